/*
 * test_emulator_real.c — the emulator answers as the real API does where
 * real answers were seen to differ from a naive model (issue 8): partial
 * serverless list items, clusters:batchGet, the fields real bodies carry,
 * node spec display names, node group states, long transitions, seedable
 * user_count, and seed objects taken verbatim.
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

/* A Starter body as GET ?view=FULL returns it (fields and shapes from the
 * published serverless spec and its examples; values made up). */
static const char starter_body[] =
	"{\"name\": \"clusters/10234567890123456701\","
	" \"clusterId\": \"10234567890123456701\", \"displayName\": \"Cluster0\","
	" \"region\": {\"name\": \"regions/aws-us-west-2\", \"regionId\": \"aws-us-west-2\","
	"   \"cloudProvider\": \"aws\", \"displayName\": \"Oregon (us-west-2)\","
	"   \"provider\": \"aws\"},"
	" \"spendingLimit\": {\"monthly\": 1500},"
	" \"automatedBackupPolicy\": {\"startTime\": \"07:00\", \"retentionDays\": 14},"
	" \"endpoints\": {\"public\": {\"host\": \"gateway01.us-west-2.prod.aws.tidbcloud.com\","
	"   \"port\": 4000, \"disabled\": false, \"authorizedNetworks\": []},"
	"   \"private\": {\"host\": \"gateway01-privatelink.us-west-2.prod.aws.tidbcloud.com\","
	"   \"port\": 4000, \"aws\": {\"serviceName\": \"com.amazonaws.vpce.us-west-2.vpce-svc-01234567890abcdef\","
	"   \"availabilityZone\": [\"usw2-az1\"]}}},"
	" \"encryptionConfig\": {\"enhancedEncryptionEnabled\": false},"
	" \"highAvailabilityType\": \"ZONAL\", \"version\": \"v7.5.2\","
	" \"createdBy\": \"someone@example.com\", \"userPrefix\": \"3dQbK7Xn2Mp9vWc\","
	" \"state\": \"ACTIVE\","
	" \"labels\": {\"tidb.cloud/organization\": \"1372813089187041280\","
	"   \"tidb.cloud/project\": \"1372813089189561287\"},"
	" \"annotations\": {\"tidb.cloud/has-set-password\": \"false\","
	"   \"tidb.cloud/available-features\": \"DISABLE_PUBLIC_LB,DELEGATE_USER\"},"
	" \"usage\": {\"requestUnit\": \"0\", \"rowStorage\": 1176692, \"columnarStorage\": 0},"
	" \"auditLogConfig\": {\"enabled\": false, \"unredacted\": false},"
	" \"createTime\": \"2025-03-13T16:13:49Z\", \"updateTime\": \"2025-03-13T16:14:27Z\"}";

/* A Dedicated body (dedicated spec fields; a group MODIFYING in an ACTIVE
 * cluster, a display name that is not derived from the key). */
static const char dedicated_body[] =
	"{\"name\": \"clusters/10234567890123456702\", \"clusterId\": \"10234567890123456702\","
	" \"displayName\": \"test-tf2\", \"regionId\": \"aws-us-west-2\","
	" \"labels\": {\"tidb.cloud/organization\": \"1372813089187041280\","
	"   \"tidb.cloud/project\": \"1372813089189561287\"},"
	" \"tidbNodeSetting\": {\"nodeSpecKey\": \"2C4G\", \"tidbNodeGroups\": [{"
	"   \"name\": \"tidbNodeGroups/19171\", \"tidbNodeGroupId\": \"19171\","
	"   \"clusterId\": \"10234567890123456702\", \"displayName\": \"DefaultGroup\","
	"   \"nodeCount\": 1, \"endpoints\": ["
	"     {\"host\": \"tidb.abc.clusters.tidb-cloud.com\", \"port\": 4000, \"connectionType\": \"PUBLIC\"},"
	"     {\"host\": \"private-tidb.abc.clusters.tidb-cloud.com\", \"port\": 4000, \"connectionType\": \"VPC_PEERING\"},"
	"     {\"host\": \"privatelink-19171.abc.clusters.tidb-cloud.com\", \"port\": 4000, \"connectionType\": \"PRIVATE_ENDPOINT\"}],"
	"   \"nodeSpecKey\": \"2C4G\", \"nodeSpecDisplayName\": \"2 vCPU, 4 GiB beta\","
	"   \"isDefaultGroup\": true, \"state\": \"MODIFYING\"}],"
	"   \"nodeSpecDisplayName\": \"2 vCPU, 4 GiB beta\"},"
	" \"tikvNodeSetting\": {\"nodeCount\": 3, \"nodeSpecKey\": \"2C4G\", \"storageSizeGi\": 60,"
	"   \"storageType\": \"Standard\", \"nodeSpecDisplayName\": \"2 vCPU, 4 GiB\"},"
	" \"port\": 4000, \"state\": \"ACTIVE\", \"version\": \"v8.1.2\","
	" \"createdBy\": \"apikey-K0000000\", \"createTime\": \"2025-04-29T08:45:41.048Z\","
	" \"updateTime\": \"2025-04-29T08:51:03.081Z\", \"regionDisplayName\": \"Oregon (us-west-2)\","
	" \"cloudProvider\": \"aws\", \"annotations\": {"
	"   \"tidb.cloud/available-features\": \"DELEGATE_USER,DISABLE_PUBLIC_LB,PRIVATELINK\","
	"   \"tidb.cloud/has-set-password\": \"false\"}}";

static void stop(void)
{
	emufam_stop_seeded(&emu, seed_path);
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	cr_assert_not_null(v, "bad test JSON: %s", e.text);
	return v;
}

/* The default projects plus verbatim bodies, a seeded user_count and a
 * cluster in MAINTENANCE ending after --long-transition-ms 400. */
static void start_seeded(void)
{
	json_t *seed = json_pack("{s:s, s:[{s:s, s:s, s:i}], s:[]}", "org_id",
				 "1372813089187041280", "projects", "id",
				 "1372813089189561287", "name", "production",
				 "user_count", 7, "clusters");
	json_t *cl = json_object_get(seed, "clusters");
	json_t *s = parse(starter_body), *d = parse(dedicated_body);

	json_object_set_new(s, "kind", json_string("starter"));
	json_object_set_new(s, "verbatim", json_true());
	json_object_set_new(d, "kind", json_string("dedicated"));
	json_object_set_new(d, "verbatim", json_true());
	json_array_append_new(cl, s);
	json_array_append_new(cl, d);
	json_array_append_new(cl, json_pack(
		"{s:s, s:s, s:s, s:s, s:s}", "kind", "starter", "clusterId",
		"10234567890123456703", "displayName", "upkeep", "projectId",
		"1372813089189561287", "state", "MAINTENANCE"));
	emufam_seed_file(seed, "/tmp/emureal.XXXXXX", seed_path, sizeof(seed_path));
	const char *const args[] = { "--seed", seed_path, "--rate-limit", "0",
				     "--transition-ms", "200",
				     "--long-transition-ms", "400", NULL };
	cr_assert_eq(testemu_start(&emu, args), 0);
}

static void start_default(void)
{
	static const char *const args[] = { "--transition-ms", "200",
					     "--rate-limit", "0", NULL };
	seed_path[0] = '\0';
	cr_assert_eq(testemu_start(&emu, args), 0);
}

static const char *str(json_t *o, const char *path)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		o = json_object_get(o, k);
	return json_string_value(o) ? json_string_value(o) : "";
}

Test(real, list_items_partial_get_and_batch_full, .init = start_default, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	json_t *l, *g, *b, *it;
	size_t i;

	emuhttp_open_auth(&c, &emu);
	l = emufam_call(&c, "GET", SL "/v1beta1/clusters?pageSize=100", NULL, 200);
	cr_assert_gt(json_array_size(json_object_get(l, "clusters")), 3);
	json_array_foreach(json_object_get(l, "clusters"), i, it) {
		cr_assert_null(json_object_get(it, "automatedBackupPolicy"));
		cr_assert_null(json_object_get(it, "spendingLimit"));
		cr_assert_null(json_object_get(it, "usage"));
		cr_assert_not_null(json_object_get(it, "endpoints"));
	}
	g = emufam_call(&c, "GET", SL "/v1beta1/clusters/10058425682284910923?view=FULL", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(g, "spendingLimit"), "monthly")), 1000);
	cr_assert_not_null(json_object_get(g, "automatedBackupPolicy"));
	/* the fields real bodies carry */
	cr_assert_str_eq(str(g, "region.provider"), "aws");
	cr_assert(json_is_string(json_object_get(json_object_get(g, "usage"), "requestUnit")));
	cr_assert(json_is_integer(json_object_get(json_object_get(g, "usage"), "rowStorage")));
	cr_assert(json_is_integer(json_object_get(json_object_get(g, "usage"), "columnarStorage")));
	cr_assert(json_is_boolean(json_object_get(json_object_get(g, "auditLogConfig"), "enabled")));
	cr_assert_not_null(json_object_get(json_object_get(g, "annotations"),
					   "tidb.cloud/available-features"));
	/* batchGet: the FULL objects, in the order asked, repeated param */
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters:batchGet?clusterIds=10058425682284910931"
		 "&clusterIds=10058425682284910923&view=FULL", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "clusters")), 2);
	cr_assert_str_eq(str(json_array_get(json_object_get(b, "clusters"), 0), "clusterId"),
			 "10058425682284910931");
	cr_assert(json_equal(json_array_get(json_object_get(b, "clusters"), 1), g));
	json_decref(b);
	/* atomic: one unknown id fails it all; none, or a Dedicated id */
	json_decref(emufam_call(&c, "GET", SL "/v1beta1/clusters:batchGet?clusterIds=10058425682284910923"
			 "&clusterIds=999", NULL, 404));
	json_decref(emufam_call(&c, "GET", SL "/v1beta1/clusters:batchGet?view=FULL", NULL, 400));
	json_decref(emufam_call(&c, "GET", SL "/v1beta1/clusters:batchGet?clusterIds=10058425682284910921",
			 NULL, 404));
	json_decref(emufam_call(&c, "GET", SL "/v1beta1/clusters:batchGet?clusterIds=10058425682284910923"
			 "&view=WHOLE", NULL, 400));
	/* Dedicated list items stay whole (real list answers carry every field) */
	b = emufam_call(&c, "GET", DD "/v1beta1/clusters?projectId=1372813089189561287", NULL, 200);
	it = json_array_get(json_object_get(b, "clusters"), 0);
	json_t *dg = emufam_call(&c, "GET", DD "/v1beta1/clusters/10058425682284910921", NULL, 200);
	cr_assert(json_equal(it, dg));
	json_decref(dg);
	json_decref(b);
	json_decref(g);
	json_decref(l);
	emuhttp_close(&c);
}

Test(real, dedicated_bodies_and_node_specs, .init = start_default, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	const char *url = DD "/v1beta1/clusters/10058425682284910921";
	json_t *b, *g, *ep;

	emuhttp_open_auth(&c, &emu);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "labels"),
			 "tidb.cloud/organization")), "1372813089187041280");
	g = json_array_get(json_object_get(json_object_get(b, "tidbNodeSetting"), "tidbNodeGroups"), 0);
	ep = json_object_get(g, "endpoints");
	cr_assert_eq(json_array_size(ep), 3);
	cr_assert_str_eq(str(json_array_get(ep, 1), "connectionType"), "VPC_PEERING");
	cr_assert_str_eq(str(json_array_get(ep, 2), "connectionType"), "PRIVATE_ENDPOINT");
	json_decref(b);
	/* a node spec change: the display name follows the region's spec */
	b = emufam_call(&c, "PATCH", url, "{\"tikvNodeSetting\": {\"nodeSpecKey\": \"16C64G\"},"
		 " \"tidbNodeSetting\": {\"nodeSpecKey\": \"8C32G\"}}", 200);
	cr_assert_str_eq(str(b, "tikvNodeSetting.nodeSpecDisplayName"), "16 vCPU, 64 GiB");
	cr_assert_str_eq(str(b, "tidbNodeSetting.nodeSpecDisplayName"), "8 vCPU, 32 GiB");
	cr_assert_str_eq(str(b, "state"), "MODIFYING");
	json_decref(b);
	usleep(600 * 1000);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_assert_str_eq(str(b, "state"), "ACTIVE");
	g = json_array_get(json_object_get(json_object_get(b, "tidbNodeSetting"), "tidbNodeGroups"), 0);
	cr_assert_str_eq(str(g, "state"), "ACTIVE");
	cr_assert_str_eq(str(g, "nodeSpecDisplayName"), "8 vCPU, 32 GiB");
	json_decref(b);
	emuhttp_close(&c);
}

Test(real, verbatim_seed_is_replayed_unchanged, .init = start_seeded, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	json_t *want, *b, *it, *l;
	size_t i;
	int found = 0;

	emuhttp_open_auth(&c, &emu);
	want = parse(starter_body);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters/10234567890123456701", NULL, 200);
	cr_assert(json_equal(b, want), "GET differs from the seeded body: %s",
		  json_dumps(b, JSON_SORT_KEYS));
	json_decref(b);
	l = emufam_call(&c, "GET", SL "/v1beta1/clusters?filter=projectId%3D1372813089189561287", NULL, 200);
	json_array_foreach(json_object_get(l, "clusters"), i, it) {
		if (strcmp(str(it, "clusterId"), "10234567890123456701") != 0)
			continue;
		found = 1;
		json_object_del(want, "automatedBackupPolicy");
		json_object_del(want, "spendingLimit");
		json_object_del(want, "usage");
		cr_assert(json_equal(it, want), "list item is not the body less 3 fields");
	}
	cr_assert(found);
	json_decref(l);
	json_decref(want);
	want = parse(dedicated_body);
	b = emufam_call(&c, "GET", DD "/v1beta1/clusters/10234567890123456702", NULL, 200);
	cr_assert(json_equal(b, want), "dedicated GET differs from the seeded body");
	json_decref(b);
	json_decref(want);
	/* a node count change keeps the real display name of the key */
	b = emufam_call(&c, "PATCH", DD "/v1beta1/clusters/10234567890123456702",
		 "{\"tikvNodeSetting\": {\"nodeCount\": 6}}", 200);
	cr_assert_str_eq(str(b, "tikvNodeSetting.nodeSpecDisplayName"), "2 vCPU, 4 GiB");
	json_decref(b);
	/* seeded user_count */
	b = emufam_call(&c, "GET", V1 "/api/v1beta/projects", NULL, 200);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(
		json_object_get(b, "items"), 0), "user_count")), 7);
	json_decref(b);
	/* MAINTENANCE ends after --long-transition-ms */
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters/10234567890123456703", NULL, 200);
	cr_assert_str_eq(str(b, "state"), "MAINTENANCE");
	json_decref(b);
	usleep(700 * 1000);
	b = emufam_call(&c, "GET", SL "/v1beta1/clusters/10234567890123456703", NULL, 200);
	cr_assert_str_eq(str(b, "state"), "ACTIVE");
	json_decref(b);
	emuhttp_close(&c);
}
