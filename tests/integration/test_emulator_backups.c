/*
 * test_emulator_backups.c — the first family on the emulator's generic
 * object store, route modules and shared paging: serverless backups
 * (GET /v1beta1/backups?clusterId=, GET/DELETE /v1beta1/backups/{id}),
 * over HTTP and through libtidbcloud's generic list (tc_call_list).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emufam.h"
#include "tc_internal.h"
#include "testemu.h"

#define SL "https://serverless.tidbapi.com"
#define ESSENTIAL_ID "10058425682284910922"   /* orders-cache: 3 backups */
#define STAGE_ID "10058425682284910931"       /* stage-app: 2 backups */
#define DEDICATED_ID "10058425682284910921"
#define STARTER_NONE "10058425682284910942"   /* a Starter without backups */

static struct testemu emu;
static char seed_path[64];

static void start_default(void)
{
	static const char *const args[] = { "--rate-limit", "0", NULL };
	seed_path[0] = '\0';
	cr_assert_eq(testemu_start(&emu, args), 0, "emulator did not start");
}

static void stop(void)
{
	emufam_stop_seeded(&emu, seed_path);
}

TestSuite(backups, .init = start_default, .fini = stop, .timeout = 60);

Test(backups, list_by_cluster_with_published_fields)
{
	struct emuhttp c;
	json_t *b, *first;

	emuhttp_open_auth(&c, &emu);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=" ESSENTIAL_ID, NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "backups")), 3);
	cr_expect_eq(json_integer_value(json_object_get(b, "totalSize")), 3);
	cr_expect_null(json_object_get(b, "nextPageToken"));
	first = json_array_get(json_object_get(b, "backups"), 0);
	cr_expect_str_eq(emufam_str(first, "backupId"), "1720000000000000101");
	cr_expect_str_eq(emufam_str(first, "name"), "backups/1720000000000000101");
	cr_expect_str_eq(emufam_str(first, "clusterId"), ESSENTIAL_ID);
	cr_expect_str_eq(emufam_str(first, "createTime"), "2024-03-01T03:00:00Z");
	cr_expect_eq(json_object_size(first), 4, "only the published fields");
	json_decref(b);

	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=" STAGE_ID, NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "backups")), 2);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=" STARTER_NONE, NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "backups")), 0);
	json_decref(b);
	emuhttp_close(&c);
	cr_expect_eq(testemu_route(&emu, "GET serverless /v1beta1/backups"), 3);
}

Test(backups, token_paging)
{
	struct emuhttp c;
	json_t *b;
	char url[256];

	emuhttp_open_auth(&c, &emu);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=" ESSENTIAL_ID
		 "&pageSize=2", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "backups")), 2);
	cr_expect_eq(json_integer_value(json_object_get(b, "totalSize")), 3);
	cr_assert(json_is_string(json_object_get(b, "nextPageToken")));
	snprintf(url, sizeof(url), SL "/v1beta1/backups?clusterId=" ESSENTIAL_ID
		 "&pageSize=2&pageToken=%s", emufam_str(b, "nextPageToken"));
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "backups")), 1);
	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b, "backups"), 0),
			     "backupId"), "1720000000000000103");
	cr_expect_null(json_object_get(b, "nextPageToken"));
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=" ESSENTIAL_ID
		 "&pageToken=bogus", NULL, 400);
	cr_expect_eq(json_integer_value(json_object_get(b, "code")), 3);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=" ESSENTIAL_ID
		 "&pageSize=-1", NULL, 400);
	json_decref(b);
	emuhttp_close(&c);
}

Test(backups, get_and_delete)
{
	struct emuhttp c;
	json_t *b;

	emuhttp_open_auth(&c, &emu);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups/1720000000000000201", NULL, 200);
	cr_expect_str_eq(emufam_str(b, "clusterId"), STAGE_ID);
	json_decref(b);
	b = emufam_call(&c, "DELETE", SL "/v1beta1/backups/1720000000000000201", NULL, 200);
	cr_expect_str_eq(emufam_str(b, "backupId"), "1720000000000000201");
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups/1720000000000000201", NULL, 404);
	cr_expect_eq(json_integer_value(json_object_get(b, "code")), 5);
	cr_expect(strstr(emufam_str(b, "message"), "1720000000000000201") != NULL);
	json_decref(b);
	b = emufam_call(&c, "DELETE", SL "/v1beta1/backups/1720000000000000201", NULL, 404);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=" STAGE_ID, NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "backups")), 1);
	json_decref(b);
	emuhttp_close(&c);
}

Test(backups, bad_requests)
{
	struct emuhttp c;
	json_t *b;

	emuhttp_open_auth(&c, &emu);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups", NULL, 400);
	cr_expect(strstr(emufam_str(b, "message"), "clusterId") != NULL);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=" DEDICATED_ID, NULL, 404);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups?clusterId=nope", NULL, 404);
	json_decref(b);
	b = emufam_call(&c, "PATCH", SL "/v1beta1/backups/1720000000000000101", NULL, 405);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/backups/1720000000000000101/x", NULL, 404);
	json_decref(b);
	/* other hosts do not have the route */
	b = emufam_call(&c, "GET", "https://dedicated.tidbapi.com/v1beta1/backups/"
		 "1720000000000000101", NULL, 404);
	json_decref(b);
	emuhttp_close(&c);
}

/* ---- through the client's generic list --------------------------------- */

static tc_client *client(void)
{
	struct tc_config cfg = { 0 };
	struct tc_error e;
	tc_client *c;

	cfg.public_key = TESTEMU_PUBLIC_KEY;
	cfg.private_key = TESTEMU_PRIVATE_KEY;
	cfg.connect_to = emu.connect_to;
	cfg.cacert = emu.cacert;
	cfg.timeout_ms = 20000;
	cfg.user_agent = "tidbcloudfs-tests/1";
	c = tc_client_new(&cfg, &e);
	cr_assert(c, "%s", e.message);
	return c;
}

Test(backups, api_lists_get_and_delete_through_descriptors)
{
	tc_client *c = client();
	const char *ids[] = { ESSENTIAL_ID };
	const char *one[] = { "1720000000000000102" };
	struct tc_error e;
	json_t *items, *out;

	cr_assert_eq(tc_call_list(c, &tc_desc_serverless_backups_list, ids, 1,
				  NULL, &items, &e), 0, "%s", e.message);
	cr_expect_eq(json_array_size(items), 3);
	json_decref(items);
	cr_assert_eq(tc_call(c, &tc_desc_serverless_backup_get, one, 1, NULL,
			     &out, &e), 0, "%s", e.message);
	cr_expect_str_eq(emufam_str(out, "clusterId"), ESSENTIAL_ID);
	json_decref(out);
	cr_assert_eq(tc_call(c, &tc_desc_serverless_backup_delete, one, 1, NULL,
			     NULL, &e), 0, "%s", e.message);
	cr_expect_eq(tc_call(c, &tc_desc_serverless_backup_get, one, 1, NULL,
			     &out, &e), -1);
	cr_expect_eq(e.http_status, 404);
	cr_expect_str_eq(e.path, "/backups/1720000000000000102");
	tc_client_free(c);
}

/* A seed with 250 backups of one cluster: the client pages with
 * pageSize=100 and nextPageToken. */
static void start_many(void)
{
	json_t *seed = json_pack(
		"{s:s, s:[{s:s, s:s}], s:[{s:s, s:s, s:s, s:s}], s:[]}",
		"org_id", "42", "projects", "id", "P1", "name", "one",
		"clusters", "kind", "starter", "clusterId", "9001",
		"displayName", "many-backups", "projectId", "P1", "backups");
	json_t *list = json_object_get(seed, "backups");
	char id[32];

	for (int i = 0; i < 250; i++) {
		snprintf(id, sizeof(id), "%d", 50000 + i);
		json_array_append_new(list, json_pack("{s:s, s:s}", "backupId", id,
						      "clusterId", "9001"));
	}
	emufam_seed_file(seed, "/tmp/emuseed.XXXXXX", seed_path, sizeof(seed_path));
	const char *const args[] = { "--seed", seed_path, "--rate-limit", "0", NULL };
	cr_assert_eq(testemu_start(&emu, args), 0);
}

Test(many, api_walks_every_page, .init = start_many, .fini = stop,
     .timeout = 60)
{
	tc_client *c = client();
	const char *ids[] = { "9001" };
	struct tc_error e;
	json_t *items;

	cr_assert_eq(testemu_reset_stats(&emu), 0);
	cr_assert_eq(tc_call_list(c, &tc_desc_serverless_backups_list, ids, 1,
				  NULL, &items, &e), 0, "%s", e.message);
	cr_assert_eq(json_array_size(items), 250);
	for (size_t i = 0; i < 250; i++) {
		char want[32];
		snprintf(want, sizeof(want), "%zu", 50000 + i);
		cr_expect_str_eq(emufam_str(json_array_get(items, i), "backupId"), want);
	}
	json_decref(items);
	cr_expect_eq(testemu_route(&emu, "GET serverless /v1beta1/backups"), 3,
		     "one request per page of 100");
	tc_client_free(c);
}

/* A seed whose backup names a Dedicated cluster is refused at start. */
Test(seed, backup_of_a_dedicated_cluster_is_refused, .timeout = 30)
{
	json_t *seed = json_pack(
		"{s:s, s:[{s:s, s:s}], s:[{s:s, s:s, s:s, s:s}],"
		" s:[{s:s, s:s}]}",
		"org_id", "42", "projects", "id", "P1", "name", "one",
		"clusters", "kind", "dedicated", "clusterId", "9002",
		"displayName", "ded-one", "projectId", "P1",
		"backups", "backupId", "1", "clusterId", "9002");
	char path[64];

	emufam_seed_file(seed, "/tmp/emuseed.XXXXXX", path, sizeof(path));
	const char *const args[] = { "--seed", path, NULL };
	cr_expect_neq(testemu_start(&emu, args), 0);
	unlink(path);
}
