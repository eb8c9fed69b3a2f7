/*
 * test_emulator_apikeys_billing.c — the emulator's IAM API keys
 * (iam.tidbapi.com /v1beta1/apikeys) and bills (billing.tidbapi.com
 * /v1beta1/bills/{m}, /billsDetails/{m}): the keys that authenticate are the
 * key table (a created key authenticates with its role, a deleted one no
 * more), roles enforced with a 403 in the IAM/billing error body, the 400s
 * of the published rules, bills consistent (totalCost = runningTotal −
 * discounts − credits; details summing to the bill) and the 7-month window.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emufam.h"
#include "testemu.h"

#define IAM "https://iam.tidbapi.com/v1beta1/apikeys"
#define BILL "https://billing.tidbapi.com/v1beta1"
#define MEMBER "ORGMEMBERKEY0001"
#define MEMBER_SECRET "org-member-secret-0123456789abcdef"

EMUFAM_FIXTURE(apikeys_billing, 60);

/* "YYYY-MM" of `back` months before now (UTC). */
static void month(int back, char out[16])
{
	time_t now = time(NULL);
	struct tm t;
	int m;

	gmtime_r(&now, &t);
	m = t.tm_year * 12 + t.tm_mon - back;
	snprintf(out, 16, "%04d-%02d", 1900 + m / 12, m % 12 + 1);
}

/* A decimal string "123.45" → hundredths. */
static long long cents(const json_t *o, const char *key)
{
	const char *s = emufam_str(o, key);
	long long a = 0, b = 0;

	cr_assert(sscanf(s, "%lld.%2lld", &a, &b) == 2, "%s: \"%s\"", key, s);
	cr_assert(strchr(s, '.') && strlen(strchr(s, '.')) == 3, "%s: %s", key, s);
	return a * 100 + b;
}

static void consistent(const json_t *o)
{
	cr_expect_eq(cents(o, "totalCost"), cents(o, "runningTotal") -
		     cents(o, "discounts") - cents(o, "credits"));
}

Test(apikeys_billing, list_fields_owner_first)
{
	json_t *b = emufam_call(&c, "GET", IAM, NULL, 200), *k;

	cr_assert_geq(json_array_size(json_object_get(b, "apiKeys")), 4);
	k = json_array_get(json_object_get(b, "apiKeys"), 0);
	cr_expect_str_eq(emufam_str(k, "accessKey"), TESTEMU_PUBLIC_KEY);
	cr_expect_str_eq(emufam_str(k, "role"), "org:owner");
	cr_expect_null(json_object_get(k, "secretKey"));
	cr_expect_null(json_object_get(b, "totalSize"));
	json_decref(b);
	b = emufam_call(&c, "GET", IAM "?pageSize=1", NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "apiKeys")), 1);
	cr_expect(*emufam_str(b, "nextPageToken"));
	json_decref(b);
	b = emufam_call(&c, "GET", IAM "?projectId=1372813089189561287", NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "apiKeys")), 1);
	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b, "apiKeys"), 0),
				    "role"), "project:owner");
	json_decref(b);
	b = emufam_call(&c, "GET", IAM "/" MEMBER, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "role"), "org:member");
	cr_expect_null(json_object_get(b, "secretKey"));
	json_decref(b);
	json_decref(emufam_call(&c, "GET", IAM "/NOSUCHKEY", NULL, 404));
}

Test(apikeys_billing, create_authenticates_patch_delete)
{
	json_t *b = emufam_call(&c, "POST", IAM, "{\"displayName\":\"ci\","
				"\"role\":\"org:billing_admin\"}", 200);
	char access[80], secret[120], url[256], m[16];
	struct emuhttp k;

	snprintf(access, sizeof(access), "%s", emufam_str(b, "accessKey"));
	snprintf(secret, sizeof(secret), "%s", emufam_str(b, "secretKey"));
	cr_assert(*access && *secret);
	json_decref(b);
	month(0, m);
	cr_assert_eq(emuhttp_open(&k, &emu, access, secret), 0);
	snprintf(url, sizeof(url), BILL "/bills/%s", m);
	json_decref(emufam_call(&k, "GET", url, NULL, 200));   /* billing admin */
	json_decref(emufam_call(&k, "GET", IAM, NULL, 403));   /* not an owner */
	snprintf(url, sizeof(url), IAM "/%s", access);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect_null(json_object_get(b, "secretKey"));
	json_decref(b);
	b = emufam_call(&c, "PATCH", url, "{\"displayName\":\"ci2\"}", 200);
	cr_expect_str_eq(emufam_str(b, "displayName"), "ci2");
	json_decref(b);
	json_decref(emufam_call(&c, "PATCH", url, "{\"role\":\"project:dev\"}", 400));
	json_decref(emufam_call(&c, "PATCH", url, "{\"role\":\"project:dev\","
				"\"projectId\":1372813089189621599}", 200));
	snprintf(url, sizeof(url), BILL "/bills/%s", m);
	json_decref(emufam_call(&k, "GET", url, NULL, 403));   /* role changed */
	snprintf(url, sizeof(url), IAM "/%s", access);
	b = emufam_call(&c, "DELETE", url, NULL, 200);
	json_decref(b);
	json_decref(emufam_call(&c, "GET", url, NULL, 404));
	snprintf(url, sizeof(url), BILL "/bills/%s", m);
	json_decref(emufam_call(&k, "GET", url, NULL, 401));   /* gone */
	emuhttp_close(&k);
}

Test(apikeys_billing, create_rules)
{
	static const char *const bad[] = {
		"{\"role\":\"org:owner\"}",
		"{\"displayName\":\"\",\"role\":\"org:owner\"}",
		"{\"displayName\":\"x\"}",
		"{\"displayName\":\"x\",\"role\":\"org:admin\"}",
		"{\"displayName\":\"x\",\"role\":\"project:dev\"}",
		"{\"displayName\":\"x\",\"role\":\"org:owner\",\"projectId\":1372813089189561287}",
		"{\"displayName\":\"x\",\"role\":\"project:dev\",\"projectId\":42}",
		"{\"displayName\":\"x\",\"role\":\"project:dev\",\"projectId\":\"abc\"}",
		"{\"displayName\":7,\"role\":\"org:owner\"}",
		NULL
	};
	json_t *b;

	for (size_t i = 0; bad[i]; i++) {
		b = emufam_call(&c, "POST", IAM, bad[i], 400);
		cr_expect_str_eq(emufam_str(b, "code"), "InvalidParameter", "%s", bad[i]);
		cr_expect_eq(json_integer_value(json_object_get(b, "status")), 400);
		json_decref(b);
	}
}

Test(apikeys_billing, member_refused_403)
{
	struct emuhttp k;
	char url[128], m[16];
	json_t *b;

	month(1, m);
	cr_assert_eq(emuhttp_open(&k, &emu, MEMBER, MEMBER_SECRET), 0);
	snprintf(url, sizeof(url), BILL "/billsDetails/%s", m);
	b = emufam_call(&k, "GET", url, NULL, 403);
	cr_expect_str_eq(emufam_str(b, "code"), "Forbidden");
	cr_expect(strstr(emufam_str(b, "error"), "Organization Owner"));
	cr_expect_eq(json_integer_value(json_object_get(b, "status")), 403);
	json_decref(b);
	/* the rest of the API answers the member */
	json_decref(emufam_call(&k, "GET",
		"https://serverless.tidbapi.com/v1beta1/clusters", NULL, 200));
	emuhttp_close(&k);
}

Test(apikeys_billing, bill_consistent_with_details)
{
	char url[128], m[16];
	long long run = 0, disc = 0, cred = 0, prun = 0;
	json_t *bill, *det, *row, *p;
	size_t i;

	month(2, m);
	snprintf(url, sizeof(url), BILL "/bills/%s", m);
	bill = emufam_call(&c, "GET", url, NULL, 200);
	snprintf(url, sizeof(url), BILL "/billsDetails/%s", m);
	det = emufam_call(&c, "GET", url, NULL, 200);
	cr_assert_gt(json_array_size(json_object_get(det, "details")), 100);
	json_array_foreach(json_object_get(det, "details"), i, row) {
		consistent(row);
		cr_expect_eq(strncmp(emufam_str(row, "billedDate"), m, 7), 0);
		cr_expect(*emufam_str(row, "projectName"));
		cr_expect(*emufam_str(row, "clusterName"));
		cr_expect(*emufam_str(row, "servicePathName"));
		run += cents(row, "runningTotal");
		disc += cents(row, "discounts");
		cred += cents(row, "credits");
	}
	p = json_object_get(bill, "overview");
	cr_expect_str_eq(emufam_str(p, "billedMonth"), m);
	consistent(p);
	cr_expect_eq(cents(p, "runningTotal"), run);
	cr_expect_eq(cents(p, "discounts"), disc);
	cr_expect_eq(cents(p, "credits"), cred);
	json_array_foreach(json_object_get(json_object_get(bill, "summaryByProject"),
					   "projects"), i, row) {
		consistent(row);
		prun += cents(row, "runningTotal");
	}
	cr_expect_eq(prun, run);
	prun = 0;
	json_array_foreach(json_object_get(bill, "summaryByService"), i, row) {
		consistent(row);
		prun += cents(row, "runningTotal");
	}
	cr_expect_eq(prun, run);
	json_decref(bill);
	/* the same bill at every request */
	snprintf(url, sizeof(url), BILL "/billsDetails/%s", m);
	bill = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect(json_equal(bill, det));
	json_decref(bill);
	json_decref(det);
}

Test(apikeys_billing, month_window)
{
	char url[128], m[16];
	json_t *b;

	for (int back = 0; back <= 6; back++) {
		month(back, m);
		snprintf(url, sizeof(url), BILL "/bills/%s", m);
		json_decref(emufam_call(&c, "GET", url, NULL, 200));
	}
	month(7, m);
	snprintf(url, sizeof(url), BILL "/bills/%s", m);
	b = emufam_call(&c, "GET", url, NULL, 400);
	cr_expect_str_eq(emufam_str(b, "code"), "InvalidParameter");
	json_decref(b);
	month(-1, m);
	snprintf(url, sizeof(url), BILL "/billsDetails/%s", m);
	json_decref(emufam_call(&c, "GET", url, NULL, 400));
	json_decref(emufam_call(&c, "GET", BILL "/bills/2024-13", NULL, 400));
	json_decref(emufam_call(&c, "GET", BILL "/bills/202405", NULL, 400));
}
