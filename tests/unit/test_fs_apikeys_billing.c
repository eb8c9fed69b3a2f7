/* test_fs_apikeys_billing.c — fs/family_apikeys.c (the displayName rule, the
 * create body from a template, the spec.json check and spec) and
 * fs/family_billing.c (the seven months from the clock, details.csv in
 * RFC 4180). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "family_apikeys.h"
#include "family_billing.h"

static char msg[512];

Test(apikey_name, rules)
{
	char long64[65], long65[66], utf[200] = "";

	memset(long64, 'k', 64);
	long64[64] = '\0';
	memset(long65, 'k', 65);
	long65[65] = '\0';
	for (int i = 0; i < 64; i++)
		strcat(utf, "\xc3\xa9");          /* é: 64 characters, 128 bytes */
	cr_expect_eq(tcfs_apikey_name_check("ci-bot", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_apikey_name_check("emulator owner key", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_apikey_name_check(long64, msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_apikey_name_check(utf, msg, sizeof(msg)), 0, "%s", msg);
	cr_expect_eq(tcfs_apikey_name_check(long65, msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_apikey_name_check("", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_apikey_name_check("a\tb", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_apikey_name_check("\xff\xfe", msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "displayName"), "%s", msg);
}

static int body_of(const char *tpl_text, json_t **body)
{
	json_t *tpl = json_loads(tpl_text, 0, NULL);
	int r;

	cr_assert(tpl, "bad test JSON %s", tpl_text);
	r = tcfs_apikey_body(tpl, "ci-bot", body, msg, sizeof(msg));
	json_decref(tpl);
	return r;
}

Test(apikey_body, from_template)
{
	json_t *b = NULL;

	cr_assert_eq(body_of("{\"role\":\"org:member\",\"projectId\":0}", &b), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(b, "displayName")), "ci-bot");
	cr_expect_str_eq(json_string_value(json_object_get(b, "role")), "org:member");
	cr_expect_eq(json_integer_value(json_object_get(b, "projectId")), 0);
	cr_expect(json_is_integer(json_object_get(b, "projectId")));
	json_decref(b);
	cr_assert_eq(body_of("{\"role\":\"project:dev\",\"projectId\":\"1372813089189561287\"}",
			     &b), 0, "%s", msg);
	cr_expect_eq(json_integer_value(json_object_get(b, "projectId")),
		     1372813089189561287LL);
	json_decref(b);
	cr_assert_eq(body_of("{\"role\":\"org:owner\"}", &b), 0, "%s", msg);
	cr_expect_eq(json_integer_value(json_object_get(b, "projectId")), 0);
	json_decref(b);
}

Test(apikey_body, refused)
{
	static const char *const bad[] = {
		"[]", "{}", "{\"role\":\"org:admin\"}", "{\"role\":7}",
		"{\"role\":\"project:dev\"}", "{\"role\":\"project:dev\",\"projectId\":0}",
		"{\"role\":\"org:owner\",\"projectId\":5}",
		"{\"role\":\"org:owner\",\"projectId\":-1}",
		"{\"role\":\"org:owner\",\"projectId\":\"abc\"}",
		"{\"role\":\"org:owner\",\"projectId\":1.5}",
		"{\"role\":\"org:owner\",\"secretKey\":\"x\"}",
	};
	json_t *b = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(body_of(bad[i], &b), -EINVAL, "%s accepted", bad[i]);
		cr_expect_null(b);
	}
}

static int check_of(const char *spec_text, const char *cur_text)
{
	json_t *spec = json_loads(spec_text, 0, NULL);
	json_t *cur = cur_text ? json_loads(cur_text, 0, NULL) : NULL;
	int r;

	cr_assert(spec);
	r = tcfs_apikey_check(spec, cur, msg, sizeof(msg));
	json_decref(spec);
	json_decref(cur);
	return r;
}

Test(apikey_check, spec)
{
	const char *cur = "{\"accessKey\":\"A\",\"displayName\":\"x\",\"role\":\"project:dev\","
			  "\"projectId\":\"1372813089189561287\"}";

	cr_expect_eq(check_of("{\"displayName\":\"y\",\"role\":\"org:member\",\"projectId\":0}",
			      NULL), 0, "%s", msg);
	cr_expect_eq(check_of("{\"displayName\":\"y\"}", cur), 0, "%s", msg);
	cr_expect_eq(check_of("{\"role\":\"project:readonly\"}", cur), 0, "%s", msg);
	cr_expect_eq(check_of("{\"role\":\"org:member\"}", cur), -EINVAL);
	cr_expect(strstr(msg, "organization role"), "%s", msg);
	cr_expect_eq(check_of("{\"role\":\"root\",\"projectId\":0}", NULL), -EINVAL);
	cr_expect_eq(check_of("{\"displayName\":\"\"}", NULL), -EINVAL);
	cr_expect_eq(check_of("{\"displayName\":5}", NULL), -EINVAL);
	cr_expect_eq(check_of("{\"role\":\"org:owner\",\"projectId\":\"12x\"}", NULL), -EINVAL);
}

Test(apikey_spec, from_object)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "accessKey", "A",
			      "displayName", "ci", "name", "orgs/1/apiKeys/A",
			      "role", "project:dev", "projectId", "1372813089189561287");
	json_t *s = tcfs_apikey_spec(o);

	cr_expect_eq(json_object_size(s), 3);
	cr_expect_eq(json_integer_value(json_object_get(s, "projectId")),
		     1372813089189561287LL);
	cr_expect_null(json_object_get(s, "accessKey"));
	json_decref(s);
	json_object_del(o, "projectId");
	s = tcfs_apikey_spec(o);
	cr_expect_eq(json_integer_value(json_object_get(s, "projectId")), 0);
	cr_expect(json_is_integer(json_object_get(s, "projectId")));
	json_decref(s);
	json_decref(o);
}

static const char *month_at(json_t *a, size_t i)
{
	return json_string_value(json_object_get(json_array_get(a, i), "billedMonth"));
}

Test(bill_months, seven_from_the_clock)
{
	/* 2026-03-15T12:00:00Z */
	json_t *a = tcfs_bill_months(1773576000);

	cr_assert_eq(json_array_size(a), TCFS_BILL_MONTHS);
	cr_expect_str_eq(month_at(a, 0), "2026-03");
	cr_expect_str_eq(month_at(a, 2), "2026-01");
	cr_expect_str_eq(month_at(a, 3), "2025-12");
	cr_expect_str_eq(month_at(a, 6), "2025-09");
	json_decref(a);
	/* 2026-01-01T00:00:00Z: the first second of a month counts */
	a = tcfs_bill_months(1767225600);
	cr_expect_str_eq(month_at(a, 0), "2026-01");
	cr_expect_str_eq(month_at(a, 6), "2025-07");
	json_decref(a);
	/* 2025-12-31T23:59:59Z */
	a = tcfs_bill_months(1767225599);
	cr_expect_str_eq(month_at(a, 0), "2025-12");
	json_decref(a);
}

Test(bill_csv, rfc4180)
{
	json_t *ans = json_loads(
		"{\"details\":["
		"{\"billedDate\":\"2026-03-01\",\"projectName\":\"prod\",\"clusterName\":\"db\","
		"\"servicePathName\":\"TiDB Dedicated - Node Compute - TiDB\",\"credits\":\"0.00\","
		"\"discounts\":\"1.00\",\"runningTotal\":\"10.00\",\"totalCost\":\"9.00\"},"
		"{\"billedDate\":\"2026-03-01\",\"projectName\":\"a,b\",\"clusterName\":\"say \\\"hi\\\"\","
		"\"servicePathName\":\"two\\nlines\",\"credits\":1,"
		"\"runningTotal\":\"1.00\",\"totalCost\":\"0.00\"}]}", 0, NULL);
	size_t len = 0;
	char *csv = tcfs_bill_details_csv(ans, &len);
	const char *want =
		"billedDate,projectName,clusterName,servicePathName,credits,discounts,"
		"runningTotal,totalCost\r\n"
		"2026-03-01,prod,db,TiDB Dedicated - Node Compute - TiDB,0.00,1.00,10.00,9.00\r\n"
		"2026-03-01,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",1,,1.00,0.00\r\n";

	cr_assert(csv);
	cr_expect_str_eq(csv, want);
	cr_expect_eq(len, strlen(want));
	free(csv);
	json_decref(ans);
	/* no details: the header line only */
	ans = json_pack("{s:[]}", "details");
	csv = tcfs_bill_details_csv(ans, &len);
	cr_expect_eq(len, strlen("billedDate,projectName,clusterName,servicePathName,"
				 "credits,discounts,runningTotal,totalCost\r\n"));
	free(csv);
	json_decref(ans);
	csv = tcfs_bill_details_csv(NULL, &len);
	cr_expect(csv && strncmp(csv, "billedDate,", 11) == 0);
	free(csv);
}
