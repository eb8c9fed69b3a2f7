/*
 * family_private_endpoints.c — clusters/<dedicated>/private-endpoints/ and
 * private-endpoints/<e>/: the private endpoint connections of a Dedicated
 * cluster's TiDB node groups (dedicated v1beta1
 * /clusters/{c}/tidbNodeGroups/{g}/privateEndpointConnections).
 *
 * One list per cluster, across its node groups ({g} = "-"); a connection is
 * named by its endpointId (the id is an alias), state is its endpointState
 * (PENDING → ACTIVE; DELETING), with wait. Its own calls need its node
 * group: TCFS_LEVEL_VIA, from the tidbNodeGroupId of its listing item.
 * mkdir ENDPOINT-ID connects an endpoint from .template.json {accountId,
 * tidbNodeGroupId} ("" = the cluster's default node group), the endpoint id
 * checked locally (AWS: "vpce-" and 8 to 17 lower-case hex digits); rmdir
 * deletes. Starter / Essential clusters have no such directory.
 *
 * In a project with several Dedicated clusters, private-endpoints/ of any
 * of them is filled from ONE listing of the whole project ({c} and {g} "-",
 * ?projectId=), cached for cache_timeout and split by clusterId: `find`
 * costs one request per project instead of one per Dedicated cluster, and
 * `ls` of one cluster's private-endpoints/ still one (the project's
 * connections, at most 100 a page). With one Dedicated cluster: its own
 * listing.
 */
#include "tcfs.h"
#include "cache.h"
#include "family_private_endpoints.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct tcfs_file_desc endpoints_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc endpoint_files[] = {
	{ .name = "connection.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "wait", .type = TCFS_F_WAIT, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* ---- rules ---------------------------------------------------------------- */

int tcfs_pe_name_check(const char *name, char *msg, size_t msgsz)
{
	size_t len = strlen(name);

	if (len < 1 || len > 128 || !tcfs_utf8_valid(name, len) ||
	    tcfs_has_control(name) || strchr(name, '/') ||
	    strcmp(name, "-") == 0) {
		snprintf(msg, msgsz, "a private endpoint is named by its "
			 "endpointId: 1 to 128 characters of UTF-8 without "
			 "control characters, not \"-\"");
		return -EINVAL;
	}
	return 0;
}

int tcfs_pe_endpoint_check(const char *cloud, const char *id,
			   char *msg, size_t msgsz)
{
	size_t n;

	if (!cloud || strcasecmp(cloud, "aws") != 0)
		return 0;
	n = strncmp(id, "vpce-", 5) == 0 ? strspn(id + 5, "0123456789abcdef") : 0;
	if (n < 8 || n > 17 || id[5 + n]) {
		snprintf(msg, msgsz, "on AWS the endpointId is \"vpce-\" and 8 to "
			 "17 lower-case hex digits (vpce-0123456789abcdef0)");
		return -EINVAL;
	}
	return 0;
}

const char *tcfs_pe_default_group(json_t *cluster)
{
	json_t *groups = json_object_get(json_object_get(cluster,
				"tidbNodeSetting"), "tidbNodeGroups"), *g;
	size_t i;

	json_array_foreach(groups, i, g)
		if (json_is_true(json_object_get(g, "isDefaultGroup")))
			return tcfs_json_str_borrow(g, "tidbNodeGroupId");
	return tcfs_json_str_borrow(json_array_get(groups, 0), "tidbNodeGroupId");
}

int tcfs_pe_body(json_t *tpl, const char *name, json_t *cluster,
		 json_t **body, char *msg, size_t msgsz)
{
	const char *key, *acct, *group;
	json_t *v;
	int r;

	*body = NULL;
	if (!json_is_object(tpl)) {
		snprintf(msg, msgsz, ".template.json must be a JSON object");
		return -EINVAL;
	}
	json_object_foreach(tpl, key, v) {
		if ((strcmp(key, "accountId") && strcmp(key, "tidbNodeGroupId")) ||
		    !json_is_string(v)) {
			snprintf(msg, msgsz, ".template.json: \"%.40s\" is not a "
				 "string field of accountId, tidbNodeGroupId", key);
			return -EINVAL;
		}
	}
	r = tcfs_pe_endpoint_check(tcfs_json_str_borrow(cluster, "cloudProvider"),
				   name, msg, msgsz);
	if (r != 0)
		return r;
	acct = tcfs_json_str_borrow(tpl, "accountId");
	if (acct && strlen(acct) > 64) {
		snprintf(msg, msgsz, "accountId: at most 64 characters");
		return -EINVAL;
	}
	group = tcfs_json_str_borrow(tpl, "tidbNodeGroupId");
	if (!group || !*group)
		group = tcfs_pe_default_group(cluster);
	if (!group || !*group || strcmp(group, "-") == 0 || strchr(group, '/')) {
		snprintf(msg, msgsz, "tidbNodeGroupId: a TiDB node group of the "
			 "cluster (\"\": its default group)");
		return -EINVAL;
	}
	*body = json_pack("{s:s, s:s}", "endpointId", name, "tidbNodeGroupId",
			  group);
	if (*body && acct && *acct)
		json_object_set_new(*body, "accountId", json_string(acct));
	return *body ? 0 : -ENOMEM;
}

/* ---- mkdir ---------------------------------------------------------------- */

static char *endpoints_template(const struct tcfs_node *coll)
{
	json_t *t = json_pack("{s:s, s:s}", "accountId", "",
			      "tidbNodeGroupId", "");
	size_t len;
	char *text = tcfs_render_json(t, &len);

	(void)coll;
	json_decref(t);
	return text;
}

static int endpoint_body(json_t *tpl, const char *name,
			 const struct tcfs_node *coll, json_t **body,
			 enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	struct tcfs_node cl = *coll;
	struct tc_error err;
	json_t *obj = NULL;
	int r;

	*body = NULL;
	*kind = TCFS_K_PRIVATE_ENDPOINT;
	cl.kind = TCFS_K_DED_CLUSTER;
	cl.what = TCFS_W_DIR;
	cl.file = NULL;
	tc_error_clear(&err);
	/* the cluster's listing item: its cloud and node groups */
	r = tcfs_fetch_object_brief(tcfs_org_of(coll), &cl, &obj, &err);
	if (r != 0) {
		snprintf(msg, msgsz, "reading the cluster: %s",
			 err.message[0] ? err.message : strerror(-r));
		return r;
	}
	r = tcfs_pe_body(tpl, name, obj, body, msg, msgsz);
	json_decref(obj);
	return r;
}

static json_t *endpoint_defaults(const char *name)
{
	return json_pack("{s:s, s:s}", "endpointId", name,
			 "endpointState", "PENDING");
}

static const struct tcfs_create endpoint_create = {
	.check_name = tcfs_pe_name_check,
	.template_default = endpoints_template,
	.body = endpoint_body,
};

/* ---- the listing: one per project ---------------------------------------- */

static const struct tcfs_call of_project =
	TCFS_CALL(tc_desc_private_endpoint_connections_of_project, 0);

struct project_arg {
	struct tcfs_org *org;
	const struct tcfs_node *coll;
};

static int project_list_cb(void *arg, uint64_t start, json_t **out,
			   struct tc_error *err)
{
	struct project_arg *a = arg;

	(void)start;
	return tcfs_call_list(a->org, &of_project, a->coll, out, err);
}

/* How many Dedicated clusters the project of coll has, from its cached
 * clusters/ listing at any age (it resolved the path; no request). */
static size_t dedicated_clusters(struct tcfs_org *org,
				 const struct tcfs_node *coll)
{
	struct tcfs_node cc;
	char key[TCFS_KEY_MAX];
	json_t *items = NULL;
	size_t n = 0;

	if (tcfs_node_ancestor(coll, TCFS_K_CLUSTERS, &cc) != 0)
		return 0;
	tcfs_list_key(TCFS_K_DED_CLUSTER, &cc, key, sizeof(key));
	if (tcfs_cache_get_aged(org->cache, key, 1e12, &items) > 0)
		n = json_array_size(items);
	json_decref(items);
	return n;
}

static int endpoints_list(struct tcfs_org *org, enum tcfs_kind kind,
			  const struct tcfs_node *coll, json_t **items,
			  struct tc_error *err)
{
	struct project_arg a = { org, coll };
	const char *cid = coll->nids >= 2 ? coll->ids[1] : NULL;
	char key[TCFS_KEY_MAX];
	json_t *all = NULL, *it;
	size_t i;

	*items = NULL;
	if (!cid || dedicated_clusters(org, coll) < 2)
		return tcfs_call_list(org, &tcfs_kind(kind)->list, coll, items,
				      err);
	tcfs_call_key(&of_project, coll, NULL, key, sizeof(key));
	if (!key[0] || tcfs_cache_fetch(org->cache, key, project_list_cb, &a,
					&all, err) != 0)
		return key[0] ? -1 : tcfs_call_list(org, &tcfs_kind(kind)->list,
						    coll, items, err);
	*items = json_array();
	json_array_foreach(all, i, it) {
		const char *c = tcfs_json_str_borrow(it, "clusterId");

		if (c && strcmp(c, cid) == 0)
			json_array_append_new(*items, json_deep_copy(it));
	}
	json_decref(all);
	return *items ? 0 : -1;
}

/* ---- the rows ------------------------------------------------------------- */

const struct tcfs_kind_desc tcfs_row_private_endpoints = {
	.kind = TCFS_K_PRIVATE_ENDPOINTS, .label = "private-endpoints",
	.cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_DED_CLUSTER }, .nparents = 1,
	.dir_name = "private-endpoints", TCFS_FILES(endpoints_files),
	.scratch_ok = 1,
	.sources = { { TCFS_K_PRIVATE_ENDPOINT, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &endpoint_create,
};

/* ids: 0 project, 1 cluster, 2 connection; VIA: its node group (from its
 * listing item). The listing holds whole objects: it fills the object
 * cache; an expired one is fetched alone with its GET (wait, state). */
const struct tcfs_kind_desc tcfs_row_private_endpoint = {
	.kind = TCFS_K_PRIVATE_ENDPOINT, .label = "private endpoint",
	.cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_PRIVATE_ENDPOINTS }, .nparents = 1,
	TCFS_FILES(endpoint_files),
	.id_key = "privateEndpointConnectionId", .name_key = "endpointId",
	.state_key = "endpointState", .via_field = "tidbNodeGroupId",
	.list = TCFS_CALL(tc_desc_private_endpoint_connections_of_cluster, 1),
	.list_fn = endpoints_list,
	.get = TCFS_CALL(tc_desc_private_endpoint_connection_get, 1,
			 TCFS_LEVEL_VIA, 2),
	.create = TCFS_CALL(tc_desc_private_endpoint_connection_create, 1,
			    TCFS_LEVEL_VIA),
	.remove = TCFS_CALL(tc_desc_private_endpoint_connection_delete, 1,
			    TCFS_LEVEL_VIA, 2),
	.create_defaults = endpoint_defaults,
};
