/*
 * test_emulator_dedicated_backups.c — the emulator's v1beta backups of
 * Dedicated clusters (/api/v1beta/projects/{p}/clusters/{c}/backups):
 * published fields, page/page_size paging, a manual backup's PENDING →
 * RUNNING → SUCCESS on the --transition-ms timer, constraints → 400 in the
 * v1beta error body, 404s.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "emufam.h"
#include "testemu.h"

#define PROD "1372813089189561287"
#define ORDERS_DB "10058425682284910921"    /* 3 backups */
#define ORDERS_CACHE "10058425682284910922" /* Essential */
#define STAGE_DED "10058425682284910932"    /* PAUSED, staging */
#define STAGING "1372813089189621599"
#define BK "https://api.tidbcloud.com/api/v1beta/projects/" PROD "/clusters/" \
	ORDERS_DB "/backups"

EMUFAM_FIXTURE(dedicated_backups, 60);

Test(dedicated_backups, list_fields_and_paging)
{
	json_t *b = emufam_call(&c, "GET", BK, NULL, 200), *first;

	cr_assert_eq(json_array_size(json_object_get(b, "items")), 3);
	cr_expect_eq(json_integer_value(json_object_get(b, "total")), 3);
	first = json_array_get(json_object_get(b, "items"), 0);
	cr_expect_str_eq(emufam_str(first, "id"), "1730000000000000301");
	cr_expect_str_eq(emufam_str(first, "name"), "nightly-2024-03-01");
	cr_expect_str_eq(emufam_str(first, "type"), "AUTO");
	cr_expect_str_eq(emufam_str(first, "status"), "SUCCESS");
	cr_expect_str_eq(emufam_str(first, "size"), "52613349376");
	cr_expect_str_eq(emufam_str(first, "create_timestamp"), "2024-03-01T02:00:00Z");
	cr_expect(json_is_string(json_object_get(first, "description")));
	cr_expect_eq(json_object_size(first), 7);
	json_decref(b);

	b = emufam_call(&c, "GET", BK "?page=2&page_size=2", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "items")), 1);
	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b, "items"), 0),
				    "id"), "1730000000000000303");
	cr_expect_eq(json_integer_value(json_object_get(b, "total")), 3);
	json_decref(b);
	b = emufam_call(&c, "GET", BK "?page=x", NULL, 400);
	cr_expect(json_is_integer(json_object_get(b, "code")));
	json_decref(b);
}

Test(dedicated_backups, manual_backup_states_and_delete)
{
	json_t *b = emufam_call(&c, "POST", BK,
				"{\"name\":\"pre-upgrade\",\"description\":\"x\"}",
				200);
	char url[256];

	cr_assert(json_is_string(json_object_get(b, "id")));
	cr_expect_eq(json_object_size(b), 1);
	snprintf(url, sizeof(url), BK "/%s", emufam_str(b, "id"));
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "type"), "MANUAL");
	cr_expect_str_eq(emufam_str(b, "name"), "pre-upgrade");
	cr_expect(strcmp(emufam_str(b, "status"), "PENDING") == 0 ||
		  strcmp(emufam_str(b, "status"), "RUNNING") == 0);
	json_decref(b);
	cr_expect_eq(emufam_wait_state(&c, url, "status", "RUNNING", 3000), 0);
	cr_expect_eq(emufam_wait_state(&c, url, "status", "SUCCESS", 3000), 0);
	b = emufam_call(&c, "DELETE", url, NULL, 200);
	cr_expect_eq(json_object_size(b), 0);
	json_decref(b);
	json_decref(emufam_call(&c, "GET", url, NULL, 404));
	json_decref(emufam_call(&c, "DELETE", url, NULL, 404));
}

Test(dedicated_backups, constraints_are_400_in_the_v1beta_shape)
{
	static const char *const bad[] = {
		"{}", "{\"name\":\"\"}", "{\"name\":7}", "[1]", "not json",
		NULL,
	};
	char body[512], longdesc[300];

	memset(longdesc, 'd', sizeof(longdesc) - 1);
	longdesc[sizeof(longdesc) - 1] = '\0';
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bad[i])
			snprintf(body, sizeof(body), "%s", bad[i]);
		else
			snprintf(body, sizeof(body), "{\"name\":\"ok\","
				 "\"description\":\"%s\"}", longdesc);
		json_t *b = emufam_call(&c, "POST", BK, body, 400);
		cr_expect(json_is_integer(json_object_get(b, "code")), "%s", body);
		cr_expect(json_is_string(json_object_get(b, "message")));
		cr_expect(json_is_array(json_object_get(b, "details")));
		json_decref(b);
	}
	/* a paused cluster cannot take one; a Starter/Essential cluster is not
	 * on this host */
	json_decref(emufam_call(&c, "POST", "https://api.tidbcloud.com/api/v1beta"
				"/projects/" STAGING "/clusters/" STAGE_DED "/backups",
				"{\"name\":\"x-1\"}", 400));
	json_decref(emufam_call(&c, "POST", "https://api.tidbcloud.com/api/v1beta"
				"/projects/" PROD "/clusters/" ORDERS_CACHE "/backups",
				"{\"name\":\"x-1\"}", 400));
}

Test(dedicated_backups, not_found)
{
	json_decref(emufam_call(&c, "GET", "https://api.tidbcloud.com/api/v1beta"
				"/projects/1/clusters/" ORDERS_DB "/backups", NULL, 404));
	/* the cluster is in another project */
	json_decref(emufam_call(&c, "GET", "https://api.tidbcloud.com/api/v1beta"
				"/projects/" STAGING "/clusters/" ORDERS_DB "/backups",
				NULL, 404));
	json_decref(emufam_call(&c, "GET", BK "/1730000000000000401", NULL, 404));
	json_decref(emufam_call(&c, "PATCH", BK "/1730000000000000301", "{}", 405));
}
