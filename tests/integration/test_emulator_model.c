/*
 * test_emulator_model.c — the emulator's data model: seeds, both pagination
 * styles, filters, create/update/delete lifecycles with timed transitions,
 * Dedicated pause/resume.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emufam.h"
#include "testemu.h"

#define SL "https://serverless.tidbapi.com"
#define DD "https://dedicated.tidbapi.com"
#define V1 "https://api.tidbcloud.com"

static struct testemu emu;
static char seed_path[64];

static void stop(void)
{
	emufam_stop_seeded(&emu, seed_path);
}

/* A seed with 25 projects; P1 holds 250 Starter clusters, P2 30 Dedicated
 * and 3 Essential ones. */
static void start_big(void)
{
	json_t *seed = json_pack("{s:s, s:[], s:[]}", "org_id", "42",
				 "projects", "clusters");
	json_t *projects = json_object_get(seed, "projects");
	json_t *clusters = json_object_get(seed, "clusters");
	char id[32], name[32];

	for (int i = 1; i <= 25; i++) {
		snprintf(id, sizeof(id), "P%d", i);
		snprintf(name, sizeof(name), "project-%02d", i);
		json_array_append_new(projects, json_pack("{s:s, s:s}", "id", id, "name", name));
	}
	for (int i = 0; i < 250; i++) {
		snprintf(id, sizeof(id), "%d", 1000 + i);
		snprintf(name, sizeof(name), "s-%03d", i);
		json_array_append_new(clusters, json_pack(
			"{s:s, s:s, s:s, s:s, s:s}", "kind", "starter",
			"clusterId", id, "displayName", name, "projectId", "P1",
			"state", i % 10 == 0 ? "MAINTENANCE" : "ACTIVE"));
	}
	for (int i = 0; i < 30; i++) {
		snprintf(id, sizeof(id), "%d", 5000 + i);
		snprintf(name, sizeof(name), "d-%03d", i);
		json_array_append_new(clusters, json_pack(
			"{s:s, s:s, s:s, s:s, s:s}", "kind", "dedicated",
			"clusterId", id, "displayName", name, "projectId", "P2",
			"regionId", i < 10 ? "aws-us-west-2" : "aws-us-east-1"));
	}
	for (int i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "%d", 7000 + i);
		json_array_append_new(clusters, json_pack(
			"{s:s, s:s, s:s, s:s, s:{s:i, s:i}}", "kind", "essential",
			"clusterId", id, "displayName", "ess1", "projectId", "P2",
			"autoScaling", "minRcu", 3000, "maxRcu", 9000));
	}
	emufam_seed_file(seed, "/tmp/emuseed.XXXXXX", seed_path, sizeof(seed_path));
	const char *const args[] = { "--seed", seed_path, "--rate-limit", "0", NULL };
	cr_assert_eq(testemu_start(&emu, args), 0);
}

static void start_fast(void)
{
	static const char *const args[] = { "--transition-ms", "200", "--rate-limit", "0", NULL };
	seed_path[0] = '\0';
	cr_assert_eq(testemu_start(&emu, args), 0);
}

Test(paging, serverless_tokens_filters_skip, .init = start_big, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	char url[512];
	char token[128] = "";
	int pages = 0, seen = 0;

	emuhttp_open_auth(&c, &emu);
	do {
		snprintf(url, sizeof(url), SL "/v1beta1/clusters?pageSize=100"
			 "&filter=projectId%%3DP1%s%s", token[0] ? "&pageToken=" : "", token);
		json_t *b = emufam_call(&c, "GET", url, NULL, 200);
		json_t *list = json_object_get(b, "clusters");
		cr_assert_eq(json_integer_value(json_object_get(b, "totalSize")), 250);
		for (size_t i = 0; i < json_array_size(list); i++) {
			char want[16];
			snprintf(want, sizeof(want), "%d", 1000 + seen);
			cr_assert_str_eq(emufam_str(json_array_get(list, i), "clusterId"), want);
			cr_assert_str_eq(emufam_str(json_array_get(list, i), "name") + 9, want);
			seen++;
		}
		snprintf(token, sizeof(token), "%s", emufam_str(b, "nextPageToken"));
		pages++;
		json_decref(b);
	} while (token[0] && pages < 10);
	cr_assert_eq(pages, 3);
	cr_assert_eq(seen, 250);

	/* Default page size 10; >100 clamped; skip. */
	json_t *b = emufam_call(&c, "GET", SL "/v1beta1/clusters", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "clusters")), 10);
	cr_assert_eq(json_integer_value(json_object_get(b, "totalSize")), 253);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters?pageSize=1000", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "clusters")), 100);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters?pageSize=100&skip=245&filter=projectId%3DP1", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "clusters")), 5);
	cr_assert_null(json_object_get(b, "nextPageToken"));
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters?skip=400", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "clusters")), 0);
	json_decref(b);

	/* Filters: state (quoted), projectId lists, displayName, AND. */
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters?pageSize=100&filter="
		 "projectId%3DP1%20AND%20state%3D%22MAINTENANCE%22", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(b, "totalSize")), 25);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters?filter=projectId%3DP2,P3", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(b, "totalSize")), 3);
	cr_assert_str_eq(emufam_str(json_array_get(json_object_get(b, "clusters"), 0), "clusterPlan"), "ESSENTIAL");
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters?filter=displayName%3Ds-007", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(b, "totalSize")), 1);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters?filter=color%3Dred", NULL, 400);
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters?pageToken=garbage", NULL, 400);
	json_decref(b);
	emuhttp_close(&c);
}

Test(paging, dedicated_and_v1beta, .init = start_big, .fini = stop, .timeout = 60)
{
	struct emuhttp c;

	emuhttp_open_auth(&c, &emu);
	json_t *b = emufam_call(&c, "GET", DD "/v1beta1/clusters?projectId=P2&pageSize=20", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "clusters")), 20);
	cr_assert_eq(json_integer_value(json_object_get(b, "totalSize")), 30);
	char url[256];
	snprintf(url, sizeof(url), DD "/v1beta1/clusters?projectId=P2&pageSize=20&pageToken=%s",
		 emufam_str(b, "nextPageToken"));
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "clusters")), 10);
	cr_assert_str_eq(emufam_str(json_array_get(json_object_get(b, "clusters"), 0), "clusterId"), "5020");
	cr_assert(emufam_str(b, "nextPageToken")[0] == '\0');
	json_decref(b);
	b = emufam_call(&c, "GET", DD "/v1beta1/clusters?regionIds=aws-us-west-2&pageSize=100", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(b, "totalSize")), 10);
	json_decref(b);
	b = emufam_call(&c, "GET", DD "/v1beta1/clusters?projectId=P1", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(b, "totalSize")), 0);
	json_decref(b);

	/* v1beta page / page_size. */
	int total = 0;
	for (int page = 1; page <= 3; page++) {
		snprintf(url, sizeof(url), V1 "/api/v1beta/projects?page=%d&page_size=10", page);
		b = emufam_call(&c, "GET", url, NULL, 200);
		cr_assert_eq(json_integer_value(json_object_get(b, "total")), 25);
		json_t *items = json_object_get(b, "items");
		cr_assert_eq(json_array_size(items), page < 3 ? 10 : 5);
		if (page == 1) {
			json_t *p1 = json_array_get(items, 0);
			cr_assert_str_eq(emufam_str(p1, "id"), "P1");
			cr_assert_str_eq(emufam_str(p1, "org_id"), "42");
			cr_assert_eq(json_integer_value(json_object_get(p1, "cluster_count")), 250);
			cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 1),
							"cluster_count")), 33, "all families counted");
		}
		total += (int)json_array_size(items);
		json_decref(b);
	}
	cr_assert_eq(total, 25);
	b = emufam_call(&c, "GET", V1 "/api/v1beta/projects", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "items")), 10);
	json_decref(b);
	emuhttp_close(&c);
}

/* Poll GET url until state (or 404 when state is NULL), up to 5 s. */
static void wait_state(struct emuhttp *c, const char *url, const char *state)
{
	for (int i = 0; i < 100; i++) {
		struct emuhttp_resp r;
		cr_assert_eq(emuhttp_request(c, "GET", url, NULL, NULL, &r), CURLE_OK);
		bool done = state ? r.status == 200 && strcmp(emufam_str(r.body, "state"), state) == 0
				  : r.status == 404;
		emuhttp_free(&r);
		if (done)
			return;
		usleep(50 * 1000);
	}
	cr_assert_fail("%s never reached %s", url, state ? state : "404");
}

Test(lifecycle, serverless_create_patch_delete, .init = start_fast, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	char url[256];

	emuhttp_open_auth(&c, &emu);
	json_t *b = emufam_call(&c, "POST", SL "/v1beta1/clusters",
			 "{\"displayName\":\"new-one\",\"region\":{\"name\":\"regions/aws-us-west-2\"},"
			 "\"labels\":{\"tidb.cloud/project\":\"1372813089189621599\"},"
			 "\"rootPassword\":\"secret-password\",\"spendingLimit\":{\"monthly\":500}}", 200);
	cr_assert_str_eq(emufam_str(b, "state"), "CREATING");
	cr_assert_str_eq(emufam_str(b, "clusterPlan"), "STARTER");
	cr_assert_str_eq(emufam_str(json_object_get(b, "region"), "regionId"), "aws-us-west-2");
	cr_assert_str_eq(emufam_str(json_object_get(b, "labels"), "tidb.cloud/project"), "1372813089189621599");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(b, "spendingLimit"), "monthly")), 500);
	cr_assert_null(json_object_get(b, "rootPassword"));
	snprintf(url, sizeof(url), SL "/v1beta1/clusters/%s", emufam_str(b, "clusterId"));
	char created[40];
	snprintf(created, sizeof(created), "%s", emufam_str(b, "updateTime"));
	json_decref(b);
	wait_state(&c, url, "ACTIVE");

	/* Project list counts it. */
	b = emufam_call(&c, "GET", V1 "/api/v1beta/projects", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(b, "items"), 1),
							"cluster_count")), 4);
	json_decref(b);

	/* Multi-path mask. */
	sleep(1);
	b = emufam_call(&c, "PATCH", url,
		 "{\"cluster\":{\"displayName\":\"renamed\",\"spendingLimit\":{\"monthly\":700},"
		 "\"endpoints\":{\"public\":{\"disabled\":true}}},"
		 "\"updateMask\":\"displayName, spendingLimit.monthly,endpoints.public.disabled\"}", 200);
	cr_assert_str_eq(emufam_str(b, "displayName"), "renamed");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(b, "spendingLimit"), "monthly")), 700);
	cr_assert(json_is_true(json_object_get(json_object_get(json_object_get(b, "endpoints"), "public"), "disabled")));
	cr_assert_str_eq(emufam_str(b, "state"), "ACTIVE");
	cr_assert(strcmp(emufam_str(b, "updateTime"), created) != 0, "updateTime not bumped");
	json_decref(b);

	b = emufam_call(&c, "PATCH", url, "{\"cluster\":{},\"updateMask\":\"displayName,bogus\"}", 400);
	cr_assert(strstr(emufam_str(b, "message"), "bogus") != NULL, "%s", emufam_str(b, "message"));
	json_decref(b);
	b = emufam_call(&c, "PATCH", url, "{\"cluster\":{\"state\":\"PAUSED\"},\"updateMask\":\"state\"}", 400);
	cr_assert(strstr(emufam_str(b, "message"), "state") != NULL);
	json_decref(b);
	b = emufam_call(&c, "PATCH", url, "{\"cluster\":{\"autoScaling\":{\"minRcu\":1}},\"updateMask\":\"autoScaling\"}", 400);
	json_decref(b);
	b = emufam_call(&c, "PATCH", url, "{\"cluster\":{\"displayName\":5},\"updateMask\":\"displayName\"}", 400);
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_assert_str_eq(emufam_str(b, "displayName"), "renamed", "a failed PATCH changed the cluster");
	json_decref(b);

	/* BASIC view drops the endpoints. */
	char basic[300];
	snprintf(basic, sizeof(basic), "%s?view=BASIC", url);
	b = emufam_call(&c, "GET", basic, NULL, 200);
	cr_assert_null(json_object_get(b, "endpoints"));
	cr_assert_str_eq(emufam_str(b, "displayName"), "renamed");
	json_decref(b);

	b = emufam_call(&c, "DELETE", url, NULL, 200);
	cr_assert_str_eq(emufam_str(b, "state"), "DELETING");
	json_decref(b);
	wait_state(&c, url, NULL);
	emuhttp_close(&c);
}

/* MODIFYING is documented "Only for Dedicated Cluster" (serverless state
 * enum): an Essential cluster stays ACTIVE through an autoScaling change. */
Test(lifecycle, essential_autoscaling_stays_active, .init = start_fast, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	const char *url = SL "/v1beta1/clusters/10058425682284910922";

	emuhttp_open_auth(&c, &emu);
	json_t *b = emufam_call(&c, "PATCH", url,
			 "{\"cluster\":{\"autoScaling\":{\"minRcu\":3000,\"maxRcu\":6000},"
			 "\"labels\":{\"team\":\"orders\"}},\"updateMask\":\"autoScaling,labels\"}", 200);
	cr_assert_str_eq(emufam_str(b, "state"), "ACTIVE");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(b, "autoScaling"), "maxRcu")), 6000);
	json_t *labels = json_object_get(b, "labels");
	cr_assert_str_eq(emufam_str(labels, "team"), "orders");
	cr_assert_str_eq(emufam_str(labels, "tidb.cloud/project"), "1372813089189561287");
	json_decref(b);
	wait_state(&c, url, "ACTIVE");
	b = emufam_call(&c, "PATCH", url, "{\"cluster\":{\"spendingLimit\":{\"monthly\":1}},"
		 "\"updateMask\":\"spendingLimit\"}", 400);
	json_decref(b);
	/* Essential from a create body with autoScaling. */
	b = emufam_call(&c, "POST", SL "/v1beta1/clusters",
		 "{\"displayName\":\"ess-2\",\"region\":{\"name\":\"regions/aws-us-east-1\"},"
		 "\"autoScaling\":{\"minRcu\":2000,\"maxRcu\":8000}}", 200);
	cr_assert_str_eq(emufam_str(b, "clusterPlan"), "ESSENTIAL");
	cr_assert_str_eq(emufam_str(b, "servicePlan"), "Essential");
	cr_assert_null(json_object_get(b, "spendingLimit"));
	json_decref(b);
	emuhttp_close(&c);
}

Test(lifecycle, dedicated_pause_resume_patch, .init = start_fast, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	const char *url = DD "/v1beta1/clusters/10058425682284910921";

	emuhttp_open_auth(&c, &emu);
	json_t *b = emufam_call(&c, "POST", DD "/v1beta1/clusters/10058425682284910921:pauseCluster", "{}", 200);
	cr_assert_str_eq(emufam_str(json_object_get(b, "cluster"), "state"), "PAUSING", "%s",
			 json_dumps(b, 0));
	json_decref(b);
	b = emufam_call(&c, "POST", DD "/v1beta1/clusters/10058425682284910921:pauseCluster", "{}", 400);
	cr_assert(strstr(emufam_str(b, "message"), "cannot pause") != NULL, "%s", emufam_str(b, "message"));
	json_decref(b);
	wait_state(&c, url, "PAUSED");
	b = emufam_call(&c, "PATCH", url, "{\"tikvNodeSetting\":{\"nodeCount\":6}}", 400);
	cr_assert(strstr(emufam_str(b, "message"), "PAUSED") != NULL, "%s", emufam_str(b, "message"));
	json_decref(b);
	b = emufam_call(&c, "POST", DD "/v1beta1/clusters/10058425682284910921:resumeCluster", "{}", 200);
	cr_assert_str_eq(emufam_str(json_object_get(b, "cluster"), "state"), "RESUMING");
	json_decref(b);
	wait_state(&c, url, "ACTIVE");
	b = emufam_call(&c, "POST", DD "/v1beta1/clusters/10058425682284910921:resumeCluster", "{}", 400);
	json_decref(b);
	b = emufam_call(&c, "POST", DD "/v1beta1/clusters/10058425682284910945:pauseCluster", "{}", 400);
	cr_assert(strstr(emufam_str(b, "message"), "MAINTENANCE") != NULL);
	json_decref(b);

	/* Node change → MODIFYING → ACTIVE; other fields at once. */
	b = emufam_call(&c, "PATCH", url, "{\"displayName\":\"orders-db-2\","
		 "\"tidbNodeSetting\":{\"tidbNodeGroups\":[{\"nodeCount\":4}]},"
		 "\"tikvNodeSetting\":{\"nodeCount\":6,\"storageSizeGi\":1000}}", 200);
	cr_assert_str_eq(emufam_str(b, "state"), "MODIFYING");
	cr_assert_str_eq(emufam_str(b, "displayName"), "orders-db-2");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(b, "tikvNodeSetting"), "nodeCount")), 6);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(
		json_object_get(b, "tidbNodeSetting"), "tidbNodeGroups"), 0), "nodeCount")), 4);
	json_decref(b);
	wait_state(&c, url, "ACTIVE");
	b = emufam_call(&c, "PATCH", url, "{\"port\":5000}", 400);
	cr_assert(strstr(emufam_str(b, "message"), "port") != NULL);
	json_decref(b);
	b = emufam_call(&c, "PATCH", url, "{\"displayName\":\"orders-db\"}", 200);
	cr_assert_str_eq(emufam_str(b, "state"), "ACTIVE");
	json_decref(b);

	/* Create; rootPassword never echoed; delete. */
	b = emufam_call(&c, "POST", DD "/v1beta1/clusters",
		 "{\"displayName\":\"dd-new\",\"regionId\":\"aws-us-east-1\","
		 "\"labels\":{\"tidb.cloud/project\":\"1372813089189702314\"},"
		 "\"tidbNodeSetting\":{\"nodeSpecKey\":\"4C16G\",\"tidbNodeGroups\":[{\"nodeCount\":1}]},"
		 "\"tikvNodeSetting\":{\"nodeSpecKey\":\"4C16G\",\"nodeCount\":3,\"storageSizeGi\":200,"
		 "\"storageType\":\"Basic\"},\"port\":4001,\"rootPassword\":\"very-secret-1\"}", 200);
	cr_assert_str_eq(emufam_str(b, "state"), "CREATING");
	cr_assert_null(json_object_get(b, "rootPassword"));
	cr_assert_eq(json_integer_value(json_object_get(b, "port")), 4001);
	cr_assert_str_eq(emufam_str(json_object_get(b, "tikvNodeSetting"), "storageType"), "Basic");
	char durl[256];
	snprintf(durl, sizeof(durl), DD "/v1beta1/clusters/%s", emufam_str(b, "clusterId"));
	json_decref(b);
	wait_state(&c, durl, "ACTIVE");
	b = emufam_call(&c, "DELETE", durl, NULL, 200);
	cr_assert_str_eq(emufam_str(b, "state"), "DELETING");
	json_decref(b);
	wait_state(&c, durl, NULL);

	b = emufam_call(&c, "GET", DD "/v1beta1/regions", NULL, 200);
	cr_assert(json_array_size(json_object_get(b, "regions")) >= 4);
	cr_assert(json_is_integer(json_object_get(b, "totalSize")));
	cr_assert_str_eq(emufam_str(json_array_get(json_object_get(b, "regions"), 0), "name"), "regions/aws-us-east-1");
	json_decref(b);
	b = emufam_call(&c, "GET", SL "/v1beta1/regions", NULL, 200);
	cr_assert(json_is_array(json_object_get(json_array_get(json_object_get(b, "regions"), 0), "servicePlans")));
	json_decref(b);
	emuhttp_close(&c);
}

Test(lifecycle, create_project, .init = start_fast, .fini = stop, .timeout = 60)
{
	struct emuhttp c;

	emuhttp_open_auth(&c, &emu);
	json_t *b = emufam_call(&c, "POST", V1 "/api/v1beta/projects", "{\"name\":\"fresh\"}", 200);
	const char *id = emufam_str(b, "id");
	cr_assert(strlen(id) > 0);
	char want[32];
	snprintf(want, sizeof(want), "%s", id);
	json_decref(b);
	b = emufam_call(&c, "GET", V1 "/api/v1beta/projects?page=1&page_size=100", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(b, "total")), 6);
	json_t *last = json_array_get(json_object_get(b, "items"), 5);
	cr_assert_str_eq(emufam_str(last, "id"), want);
	cr_assert_str_eq(emufam_str(last, "name"), "fresh");
	cr_assert_eq(json_integer_value(json_object_get(last, "cluster_count")), 0);
	json_decref(b);
	emuhttp_close(&c);
}
