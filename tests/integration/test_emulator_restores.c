/*
 * test_emulator_restores.c — restores into new clusters: v1beta
 * /api/v1beta/projects/{p}/restores from a Dedicated backup (task PENDING →
 * RUNNING → SUCCESS, new Dedicated cluster CREATING → ACTIVE) and serverless
 * POST /v1beta1/clusters:restore (snapshot or point in time, new cluster
 * RESTORING → ACTIVE); constraints and 404s.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "emufam.h"
#include "testemu.h"

#define PROD "1372813089189561287"
#define STAGING "1372813089189621599"
#define RS "https://api.tidbcloud.com/api/v1beta/projects/" PROD "/restores"
#define SL "https://serverless.tidbapi.com/v1beta1"
#define DED "https://dedicated.tidbapi.com/v1beta1"
#define ORDERS_CACHE "10058425682284910922"

EMUFAM_FIXTURE(restores, 60);

Test(restores, seeded_restore_and_fields)
{
	json_t *b = emufam_call(&c, "GET", "https://api.tidbcloud.com/api/v1beta"
				"/projects/" STAGING "/restores", NULL, 200), *r;

	cr_assert_eq(json_integer_value(json_object_get(b, "total")), 1);
	r = json_array_get(json_object_get(b, "items"), 0);
	cr_expect_str_eq(emufam_str(r, "id"), "1740000000000000501");
	cr_expect_str_eq(emufam_str(r, "backup_id"), "1730000000000000301");
	cr_expect_str_eq(emufam_str(r, "cluster_id"), "10058425682284910921");
	cr_expect_str_eq(emufam_str(r, "status"), "SUCCESS");
	cr_expect_str_eq(emufam_str(json_object_get(r, "cluster"), "name"),
			 "stage-dedicated");
	cr_expect_str_eq(emufam_str(json_object_get(r, "cluster"), "status"), "PAUSED");
	json_decref(b);
	b = emufam_call(&c, "GET", RS, NULL, 200);
	cr_expect_eq(json_integer_value(json_object_get(b, "total")), 0);
	json_decref(b);
}

Test(restores, dedicated_restore_creates_a_cluster)
{
	json_t *b = emufam_call(&c, "POST", RS,
				"{\"backup_id\":\"1730000000000000302\","
				"\"name\":\"orders-db-copy\","
				"\"config\":{\"root_password\":\"s3cret-pass\"}}", 200);
	char url[256], curl[256];

	cr_assert(json_is_string(json_object_get(b, "id")));
	snprintf(url, sizeof(url), RS "/%s", emufam_str(b, "id"));
	snprintf(curl, sizeof(curl), DED "/clusters/%s", emufam_str(b, "cluster_id"));
	json_decref(b);
	/* the new cluster exists at once */
	b = emufam_call(&c, "GET", curl, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "displayName"), "orders-db-copy");
	cr_expect_str_eq(emufam_str(json_object_get(b, "labels"),
				    "tidb.cloud/project"), PROD);
	cr_expect(json_object_get(b, "rootPassword") == NULL);
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "backup_id"), "1730000000000000302");
	cr_expect_str_eq(emufam_str(json_object_get(b, "cluster"), "name"),
			 "orders-db-copy");
	json_decref(b);
	cr_expect_eq(emufam_wait_state(&c, url, "status", "RUNNING", 3000), 0);
	cr_expect_eq(emufam_wait_state(&c, url, "status", "SUCCESS", 3000), 0);
	cr_expect_eq(emufam_wait_state(&c, curl, "state", "ACTIVE", 3000), 0);
	b = emufam_call(&c, "GET", RS "?page_size=1", NULL, 200);
	cr_expect_eq(json_integer_value(json_object_get(b, "total")), 1);
	json_decref(b);
}

Test(restores, dedicated_constraints)
{
	static const struct { const char *body; long want; } cases[] = {
		{ "{}", 400 },
		{ "{\"backup_id\":\"1730000000000000302\",\"name\":\"ab\","
		  "\"config\":{\"root_password\":\"s3cret-pass\"}}", 400 },
		{ "{\"backup_id\":\"1730000000000000302\",\"name\":\"-bad-name\","
		  "\"config\":{\"root_password\":\"s3cret-pass\"}}", 400 },
		{ "{\"backup_id\":\"1730000000000000302\",\"name\":\"orders-db\","
		  "\"config\":{\"root_password\":\"s3cret-pass\"}}", 400 },
		{ "{\"backup_id\":\"1730000000000000302\",\"name\":\"fine-name\","
		  "\"config\":{\"root_password\":\"short\"}}", 400 },
		{ "{\"backup_id\":\"1730000000000000302\",\"name\":\"fine-name\"}", 400 },
		{ "{\"backup_id\":\"1730000000000000302\",\"name\":\"fine-name\","
		  "\"config\":{\"root_password\":\"s3cret-pass\",\"port\":10080}}", 400 },
		{ "{\"backup_id\":\"1730000000000000402\",\"name\":\"fine-name\","
		  "\"config\":{\"root_password\":\"s3cret-pass\"}}", 400 },
		{ "{\"backup_id\":\"999\",\"name\":\"fine-name\","
		  "\"config\":{\"root_password\":\"s3cret-pass\"}}", 404 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *b = emufam_call(&c, "POST", RS, cases[i].body, cases[i].want);
		cr_expect(json_is_integer(json_object_get(b, "code")), "%zu", i);
		json_decref(b);
	}
	json_decref(emufam_call(&c, "GET", RS "/42", NULL, 404));
	json_decref(emufam_call(&c, "GET", "https://api.tidbcloud.com/api/v1beta"
				"/projects/7/restores", NULL, 404));
}

Test(restores, serverless_snapshot_and_point_in_time)
{
	json_t *b = emufam_call(&c, "POST", SL "/clusters:restore",
				"{\"snapshot\":{\"backupId\":\"1720000000000000101\"}}",
				200);
	char url[256];

	cr_assert(json_is_string(json_object_get(b, "clusterId")));
	snprintf(url, sizeof(url), SL "/clusters/%s", emufam_str(b, "clusterId"));
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "state"), "RESTORING");
	cr_expect(strncmp(emufam_str(b, "displayName"), "orders-cache-restore-", 21) == 0);
	cr_expect(json_object_get(b, "autoScaling") != NULL, "still Essential");
	json_decref(b);
	cr_expect_eq(emufam_wait_state(&c, url, "state", "ACTIVE", 3000), 0);

	b = emufam_call(&c, "POST", SL "/clusters:restore",
			"{\"pointInTime\":{\"clusterId\":\"" ORDERS_CACHE "\","
			"\"backupTime\":\"2099-01-01T00:00:00Z\"}}", 400);
	cr_expect_eq(json_integer_value(json_object_get(b, "code")), 3);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/clusters/" ORDERS_CACHE, NULL, 200);
	char body[256];
	snprintf(body, sizeof(body), "{\"pointInTime\":{\"clusterId\":\""
		 ORDERS_CACHE "\",\"backupTime\":\"%s\"}}", emufam_str(b, "createTime"));
	json_decref(b);
	b = emufam_call(&c, "POST", SL "/clusters:restore", body, 200);
	cr_expect(json_is_string(json_object_get(b, "clusterId")));
	json_decref(b);
}

Test(restores, serverless_constraints)
{
	static const struct { const char *body; long want; } cases[] = {
		{ "{}", 400 },
		{ "{\"snapshot\":{\"backupId\":\"1720000000000000101\"},"
		  "\"pointInTime\":{\"clusterId\":\"" ORDERS_CACHE "\"}}", 400 },
		{ "{\"snapshot\":{}}", 400 },
		{ "{\"snapshot\":\"x\"}", 400 },
		{ "{\"pointInTime\":{\"clusterId\":\"" ORDERS_CACHE "\","
		  "\"backupTime\":\"yesterday\"}}", 400 },
		{ "{\"snapshot\":{\"backupId\":\"404\"}}", 404 },
		{ "{\"pointInTime\":{\"clusterId\":\"10058425682284910921\","
		  "\"backupTime\":\"2024-01-01T00:00:00Z\"}}", 404 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *b = emufam_call(&c, "POST", SL "/clusters:restore",
					cases[i].body, cases[i].want);
		cr_expect(json_is_string(json_object_get(b, "message")), "%zu", i);
		json_decref(b);
	}
}
