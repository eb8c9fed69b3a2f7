/*
 * test_emulator_branches.c — the emulator's serverless branches
 * (/v1beta1/clusters/{c}/branches, :reset): fields, token paging, CREATING →
 * ACTIVE and RESTORING → ACTIVE on the timer, DELETED on delete,
 * constraints → 400 (google.rpc.Status), 404s (Dedicated clusters have none).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "emufam.h"
#include "testemu.h"

#define SL "https://serverless.tidbapi.com/v1beta1"
#define OC "10058425682284910922"   /* orders-cache: 2 branches */
#define BR SL "/clusters/" OC "/branches"
#define FEATURE "bran-7k2q4vxnmd3hb5ceu6tjwyrzfa"

EMUFAM_FIXTURE(branches, 60);

Test(branches, list_fields_and_token_paging)
{
	json_t *b = emufam_call(&c, "GET", BR, NULL, 200), *first;
	char url[256];

	cr_assert_eq(json_array_size(json_object_get(b, "branches")), 2);
	cr_expect_eq(json_integer_value(json_object_get(b, "totalSize")), 2);
	first = json_array_get(json_object_get(b, "branches"), 0);
	cr_expect_str_eq(emufam_str(first, "branchId"), FEATURE);
	cr_expect_str_eq(emufam_str(first, "name"), "clusters/" OC "/branches/" FEATURE);
	cr_expect_str_eq(emufam_str(first, "displayName"), "feature-checkout");
	cr_expect_str_eq(emufam_str(first, "clusterId"), OC);
	cr_expect_str_eq(emufam_str(first, "parentId"), OC);
	cr_expect_str_eq(emufam_str(first, "parentDisplayName"), "orders-cache");
	cr_expect_str_eq(emufam_str(first, "state"), "ACTIVE");
	cr_expect(json_is_object(json_object_get(first, "endpoints")));
	json_decref(b);
	b = emufam_call(&c, "GET", BR "?pageSize=1", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "branches")), 1);
	snprintf(url, sizeof(url), BR "?pageSize=1&pageToken=%s",
		 emufam_str(b, "nextPageToken"));
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b, "branches"), 0),
				    "displayName"), "load-test");
	cr_expect_null(json_object_get(b, "nextPageToken"));
	json_decref(b);
	b = emufam_call(&c, "GET", BR "/" FEATURE "?view=BASIC", NULL, 200);
	cr_expect_null(json_object_get(b, "endpoints"));
	json_decref(b);
	json_decref(emufam_call(&c, "GET", BR "/" FEATURE "?view=ALL", NULL, 400));
}

Test(branches, create_reset_delete_states)
{
	json_t *b = emufam_call(&c, "POST", BR, "{\"displayName\":\"hotfix-42\","
				"\"parentId\":\"" FEATURE "\",\"rootPassword\":"
				"\"a-long-password\"}", 200);
	char url[256];

	cr_expect_str_eq(emufam_str(b, "state"), "CREATING");
	cr_expect_str_eq(emufam_str(b, "parentId"), FEATURE);
	cr_expect_str_eq(emufam_str(b, "parentDisplayName"), "feature-checkout");
	cr_expect(strncmp(emufam_str(b, "branchId"), "bran-", 5) == 0);
	cr_expect_eq(strlen(emufam_str(b, "branchId")), 31);
	cr_expect_null(json_object_get(b, "rootPassword"));
	snprintf(url, sizeof(url), BR "/%s", emufam_str(b, "branchId"));
	json_decref(b);
	/* not ACTIVE yet: no reset */
	b = emufam_call(&c, "POST", SL "/clusters/" OC "/branches/x:reset", NULL, 404);
	json_decref(b);
	cr_expect_eq(emufam_wait_state(&c, url, "state", "ACTIVE", 3000), 0);
	char reset[300];
	snprintf(reset, sizeof(reset), "%s:reset", url);
	b = emufam_call(&c, "POST", reset, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "state"), "RESTORING");
	json_decref(b);
	json_decref(emufam_call(&c, "POST", reset, NULL, 400));
	cr_expect_eq(emufam_wait_state(&c, url, "state", "ACTIVE", 3000), 0);
	b = emufam_call(&c, "DELETE", url, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "state"), "DELETED");
	json_decref(b);
	json_decref(emufam_call(&c, "GET", url, NULL, 404));
}

Test(branches, constraints_and_not_found)
{
	static const char *const bad[] = {
		"{}", "{\"displayName\":\"\"}", "{\"displayName\":5}",
		"{\"displayName\":\"ok\",\"parentId\":\"bran-nope\"}",
		"{\"displayName\":\"ok\",\"parentTimestamp\":\"yesterday\"}",
		"{\"displayName\":\"ok\",\"parentTimestamp\":\"2099-01-01T00:00:00Z\"}",
		"{\"displayName\":\"ok\",\"rootPassword\":\"short\"}",
		"[]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = emufam_call(&c, "POST", BR, bad[i], 400);
		cr_expect_eq(json_integer_value(json_object_get(b, "code")), 3, "%s", bad[i]);
		json_decref(b);
	}
	/* five at most */
	for (int i = 0; i < 3; i++)
		json_decref(emufam_call(&c, "POST", BR, "{\"displayName\":\"more\"}", 200));
	json_decref(emufam_call(&c, "POST", BR, "{\"displayName\":\"sixth\"}", 400));
	json_decref(emufam_call(&c, "GET", SL "/clusters/10058425682284910921/branches",
				NULL, 404));
	json_decref(emufam_call(&c, "GET", BR "/bran-nope", NULL, 404));
	json_decref(emufam_call(&c, "DELETE", BR "/bran-nope", NULL, 404));
}
