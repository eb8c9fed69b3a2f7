/* routes_dedicated.c — dedicated.tidbapi.com /v1beta1: clusters, regions. */
#include "emu.h"
#include "model.h"
#include "paging.h"
#include "routes_common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool in_values(json_t *vals, const char *s)
{
	size_t i;
	json_t *v;

	if (json_array_size(vals) == 0)
		return true;
	json_array_foreach(vals, i, v)
		if (s && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* GET /v1beta1/clusters?projectId&clusterIds&regionIds&clusterStates&... */
static void list_clusters(const struct emu_request *rq, struct emu_response *rs)
{
	const char *project = emu_query(rq, "projectId");
	json_t *ids = emu_query_values(rq, "clusterIds");
	json_t *regions = emu_query_values(rq, "regionIds");
	json_t *states = emu_query_values(rq, "clusterStates");
	json_t *list;
	size_t offset, total = 0;
	long size;

	if (emu_page_args(rq, rs, EMU_PAGING_TOKEN, 10, &offset, &size) == 0) {
		list = json_array();
		for (size_t i = 0; i < emu_model_cluster_count(); i++) {
			struct emu_cluster *c = emu_model_cluster_at(i);
			if (c->kind != EMU_KIND_DEDICATED ||
			    (project && *project &&
			     strcmp(emu_cluster_project(c), project) != 0) ||
			    !in_values(ids, c->id) ||
			    !in_values(regions, json_string_value(
				    json_object_get(c->obj, "regionId"))) ||
			    !in_values(states, emu_cluster_state(c)))
				continue;
			if (total >= offset && total < offset + (size_t)size)
				json_array_append_new(list, json_deep_copy(c->obj));
			total++;
		}
		rs->body = json_pack("{s:o}", "clusters", list);
		emu_page_finish(rs->body, EMU_PAGING_TOKEN, offset, size, total);
	}
	json_decref(ids);
	json_decref(regions);
	json_decref(states);
}

static void get_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_cluster *c = emu_route_cluster(rq, rs, true);
	if (c)
		rs->body = json_deep_copy(c->obj);
}

/* json_equal, with two absent values equal. */
static bool same(json_t *a, json_t *b)
{
	return a == b || (a && b && json_equal(a, b));
}

static bool is_int_min(json_t *v, json_int_t min)
{
	return json_is_integer(v) && json_integer_value(v) >= min;
}

/* Validate a tikv/tiflash setting. required: creation (all of nodeSpecKey,
 * nodeCount, storageSizeGi). Writes the offending field into err. */
static bool check_storage(json_t *s, const char *name, bool required,
			  json_int_t min_nodes, char *err, size_t errlen)
{
	static const char *const types[] = { "Basic", "Standard", "Performance", "Plus" };
	json_t *v;

	if (!json_is_object(s)) {
		snprintf(err, errlen, "%s must be an object", name);
		return false;
	}
	v = json_object_get(s, "nodeSpecKey");
	if ((v || required) && !(json_is_string(v) && json_string_length(v) > 0)) {
		snprintf(err, errlen, "%s.nodeSpecKey is required (a string such as \"8C32G\")", name);
		return false;
	}
	v = json_object_get(s, "nodeCount");
	if ((v || required) && !is_int_min(v, min_nodes)) {
		snprintf(err, errlen, "%s.nodeCount must be an integer >= %lld", name,
			 (long long)min_nodes);
		return false;
	}
	v = json_object_get(s, "storageSizeGi");
	if ((v || required) && !is_int_min(v, 1)) {
		snprintf(err, errlen, "%s.storageSizeGi must be a positive integer", name);
		return false;
	}
	v = json_object_get(s, "raftStoreIops");
	if (v && !is_int_min(v, 0)) {
		snprintf(err, errlen, "%s.raftStoreIops must be a non-negative integer", name);
		return false;
	}
	v = json_object_get(s, "storageType");
	if (v) {
		bool ok = false;
		for (size_t i = 0; i < 4; i++)
			ok |= json_is_string(v) && strcmp(json_string_value(v), types[i]) == 0;
		if (!ok) {
			snprintf(err, errlen, "%s.storageType must be Basic, Standard, "
				 "Performance or Plus", name);
			return false;
		}
	}
	return true;
}

static bool check_tidb(json_t *s, bool required, char *err, size_t errlen)
{
	json_t *v, *g;
	size_t i;

	if (!json_is_object(s)) {
		snprintf(err, errlen, "tidbNodeSetting must be an object");
		return false;
	}
	v = json_object_get(s, "nodeSpecKey");
	if ((v || required) && !(json_is_string(v) && json_string_length(v) > 0)) {
		snprintf(err, errlen, "tidbNodeSetting.nodeSpecKey is required (a string such as \"8C16G\")");
		return false;
	}
	v = json_object_get(s, "tidbNodeGroups");
	if ((v || required) && !(json_is_array(v) && json_array_size(v) > 0)) {
		snprintf(err, errlen, "tidbNodeSetting.tidbNodeGroups must be a non-empty array");
		return false;
	}
	json_array_foreach(v, i, g) {
		if (!json_is_object(g) || !is_int_min(json_object_get(g, "nodeCount"), 1)) {
			snprintf(err, errlen, "tidbNodeSetting.tidbNodeGroups[%zu].nodeCount "
				 "must be a positive integer", i);
			return false;
		}
		json_t *gid = json_object_get(g, "tidbNodeGroupId");
		if (gid && !json_is_string(gid)) {
			snprintf(err, errlen, "tidbNodeSetting.tidbNodeGroups[%zu].tidbNodeGroupId "
				 "must be a string", i);
			return false;
		}
	}
	return true;
}

/* Apply a validated tidbNodeSetting to obj. */
static void apply_tidb(json_t *obj, json_t *s, bool create)
{
	json_t *dst = json_object_get(obj, "tidbNodeSetting");
	json_t *groups = json_object_get(dst, "tidbNodeGroups");
	json_t *key = json_object_get(s, "nodeSpecKey");
	json_t *g, *cur;
	size_t i, j;

	if (key && !json_equal(key, json_object_get(dst, "nodeSpecKey"))) {
		char disp[64];

		emu_node_spec_display(json_string_value(key), disp, sizeof(disp));
		json_object_set(dst, "nodeSpecKey", key);
		json_object_set_new(dst, "nodeSpecDisplayName", json_string(disp));
		json_array_foreach(groups, j, cur) {
			json_object_set(cur, "nodeSpecKey", key);
			json_object_set_new(cur, "nodeSpecDisplayName",
					    json_string(disp));
			if (!create)
				json_object_set_new(cur, "state",
						    json_string("MODIFYING"));
		}
	}
	json_array_foreach(json_object_get(s, "tidbNodeGroups"), i, g) {
		const char *gid = json_string_value(json_object_get(g, "tidbNodeGroupId"));
		json_t *target = NULL;
		if (create || !gid) {
			target = json_array_get(groups, create ? i : 0);
			if (!target && create) {
				char id[48], name[64], dn[32];
				const char *cid = json_string_value(json_object_get(obj, "clusterId"));
				target = json_deep_copy(json_array_get(groups, 0));
				snprintf(id, sizeof(id), "%s%02zu", cid, i + 1);
				snprintf(name, sizeof(name), "tidbNodeGroups/%s", id);
				snprintf(dn, sizeof(dn), "group-%zu", i + 1);
				json_object_set_new(target, "name", json_string(name));
				json_object_set_new(target, "tidbNodeGroupId", json_string(id));
				json_object_set_new(target, "displayName", json_string(dn));
				json_object_set_new(target, "isDefaultGroup", json_false());
				json_array_append_new(groups, target);
			}
		} else {
			json_array_foreach(groups, j, cur) {
				const char *cg = json_string_value(
					json_object_get(cur, "tidbNodeGroupId"));
				if (cg && strcmp(cg, gid) == 0)
					target = cur;
			}
		}
		if (target && !json_equal(json_object_get(target, "nodeCount"),
					  json_object_get(g, "nodeCount"))) {
			json_object_set(target, "nodeCount", json_object_get(g, "nodeCount"));
			if (!create)   /* only the group changed is MODIFYING */
				json_object_set_new(target, "state",
						    json_string("MODIFYING"));
		}
	}
}

static void apply_storage(json_t *obj, const char *field, json_t *s)
{
	static const char *const keys[] = {
		"nodeSpecKey", "nodeCount", "storageSizeGi", "storageType", "raftStoreIops"
	};
	json_t *dst = json_object_get(obj, field);

	if (strcmp(field, "tiflashNodeSetting") == 0 &&
	    json_integer_value(json_object_get(s, "nodeCount")) == 0 &&
	    json_object_get(s, "nodeCount")) {
		json_object_del(obj, field);
		return;
	}
	if (!json_is_object(dst)) {
		dst = json_pack("{s:i, s:s, s:i, s:s}", "nodeCount", 2,
				"nodeSpecKey", "8C64G", "storageSizeGi", 500,
				"storageType", "Standard");
		json_object_set_new(obj, field, dst);
	}
	bool new_key = json_object_get(s, "nodeSpecKey") &&
		       !json_equal(json_object_get(s, "nodeSpecKey"),
				   json_object_get(dst, "nodeSpecKey"));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(s, keys[i]);
		if (v)
			json_object_set(dst, keys[i], v);
	}
	json_t *key = json_object_get(dst, "nodeSpecKey");
	/* the display name follows the key; an unchanged key keeps the name
	 * it has (a replayed real body's "2 vCPU, 4 GiB beta") */
	if (json_is_string(key) &&
	    (!json_object_get(dst, "nodeSpecDisplayName") || new_key)) {
		char disp[64];

		emu_node_spec_display(json_string_value(key), disp, sizeof(disp));
		json_object_set_new(dst, "nodeSpecDisplayName", json_string(disp));
	}
}

/* POST /v1beta1/clusters, body = Cluster. */
static void create_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *body = emu_body_object(rq, rs);
	json_t *dn, *rid, *labels, *tidb, *tikv, *tiflash, *port, *pw;
	const struct emu_region *r = NULL;
	const struct emu_project *proj = NULL;
	char err[256], id[32];

	if (!body)
		return;
	dn = json_object_get(body, "displayName");
	rid = json_object_get(body, "regionId");
	labels = json_object_get(body, "labels");
	tidb = json_object_get(body, "tidbNodeSetting");
	tikv = json_object_get(body, "tikvNodeSetting");
	tiflash = json_object_get(body, "tiflashNodeSetting");
	port = json_object_get(body, "port");
	pw = json_object_get(body, "rootPassword");
	err[0] = '\0';
	if (!json_is_string(dn))
		snprintf(err, sizeof(err), "displayName is required");
	else if (!emu_cluster_name_ok(json_string_value(dn)))
		snprintf(err, sizeof(err), "invalid Cluster.DisplayName: %s",
			 EMU_CLUSTER_NAME_RULE);
	else if (!json_is_string(rid))
		snprintf(err, sizeof(err), "regionId is required (e.g. \"aws-us-east-1\")");
	else if (!(r = emu_region_find(json_string_value(rid))) || !r->dedicated)
		snprintf(err, sizeof(err), "regionId: unknown region \"%s\"",
			 json_string_value(rid));
	else if (labels && !json_is_object(labels))
		snprintf(err, sizeof(err), "labels must be an object of strings");
	else if (!tidb)
		snprintf(err, sizeof(err), "tidbNodeSetting is required");
	else if (!check_tidb(tidb, true, err, sizeof(err)))
		;
	else if (!tikv)
		snprintf(err, sizeof(err), "tikvNodeSetting is required");
	else if (!check_storage(tikv, "tikvNodeSetting", true, 1, err, sizeof(err)))
		;
	else if (tiflash && !check_storage(tiflash, "tiflashNodeSetting", true, 0,
					   err, sizeof(err)))
		;
	else if (port && !(json_is_integer(port) && json_integer_value(port) >= 1024 &&
			   json_integer_value(port) <= 65535))
		snprintf(err, sizeof(err), "port must be an integer from 1024 to 65535");
	else if (pw && !(json_is_string(pw) && json_string_length(pw) >= 8 &&
			 json_string_length(pw) <= 64))
		snprintf(err, sizeof(err), "rootPassword must be a string of 8 to 64 characters");
	else if (!(proj = labels && json_object_get(labels, "tidb.cloud/project")
		   ? emu_model_project_find(json_string_value(
			     json_object_get(labels, "tidb.cloud/project")))
		   : emu_model_project_at(0)))
		snprintf(err, sizeof(err), "labels[\"tidb.cloud/project\"]: unknown project");
	if (err[0]) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT, "%s", err);
		json_decref(body);
		return;
	}
	emu_model_new_cluster_id(id);
	json_t *obj = emu_object_dedicated(id, json_string_value(dn), proj->id, r,
					   "CREATING", time(NULL));
	apply_tidb(obj, tidb, true);
	apply_storage(obj, "tikvNodeSetting", tikv);
	if (tiflash && json_integer_value(json_object_get(tiflash, "nodeCount")) > 0)
		apply_storage(obj, "tiflashNodeSetting", tiflash);
	if (port) {
		size_t i, j;
		json_t *g, *e;
		json_object_set(obj, "port", port);
		json_array_foreach(json_object_get(json_object_get(obj, "tidbNodeSetting"),
						   "tidbNodeGroups"), i, g)
			json_array_foreach(json_object_get(g, "endpoints"), j, e)
				json_object_set(e, "port", port);
	}
	if (labels) {
		json_object_update(json_object_get(obj, "labels"), labels);
		json_object_set_new(json_object_get(obj, "labels"), "tidb.cloud/project",
				    json_string(proj->id));
	}
	json_object_set_new(json_object_get(obj, "annotations"),
			    "tidb.cloud/has-set-password", json_string(pw ? "true" : "false"));
	struct emu_cluster *c = emu_model_cluster_add(EMU_KIND_DEDICATED, obj);
	emu_cluster_transition(c, "CREATING", "ACTIVE");
	rs->body = json_deep_copy(c->obj);
	json_decref(body);
}

/* PATCH /v1beta1/clusters/{id}, flat body of changeable fields. */
static void update_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const nodes[] = {
		"tidbNodeSetting", "tikvNodeSetting", "tiflashNodeSetting"
	};
	json_t *body = emu_body_object(rq, rs);
	json_t *copy = NULL, *v;
	struct emu_cluster *c;
	const char *key;
	char err[256];

	if (!body)
		return;
	if (!(c = emu_route_cluster(rq, rs, true)))
		goto out;
	err[0] = '\0';
	json_object_foreach(body, key, v) {
		if (strcmp(key, "displayName") == 0) {
			if (!json_is_string(v) ||
			    !emu_cluster_name_ok(json_string_value(v)))
				snprintf(err, sizeof(err), "invalid Cluster.DisplayName: %s",
					 EMU_CLUSTER_NAME_RULE);
		} else if (strcmp(key, "labels") == 0) {
			const char *k2;
			json_t *x;
			if (!json_is_object(v))
				snprintf(err, sizeof(err), "labels must be an object of strings");
			json_object_foreach(v, k2, x)
				if (!json_is_string(x))
					snprintf(err, sizeof(err), "labels[\"%s\"] must be a string", k2);
			x = json_object_get(v, "tidb.cloud/project");
			if (!err[0] && x && !emu_model_project_find(json_string_value(x)))
				snprintf(err, sizeof(err), "labels[\"tidb.cloud/project\"]: unknown project");
		} else if (strcmp(key, "tidbNodeSetting") == 0) {
			check_tidb(v, false, err, sizeof(err));
		} else if (strcmp(key, "tikvNodeSetting") == 0) {
			check_storage(v, key, false, 1, err, sizeof(err));
		} else if (strcmp(key, "tiflashNodeSetting") == 0) {
			check_storage(v, key, false, 0, err, sizeof(err));
		} else {
			snprintf(err, sizeof(err), "field \"%s\" cannot be updated "
				 "(changeable: displayName, labels, tidbNodeSetting, "
				 "tikvNodeSetting, tiflashNodeSetting)", key);
		}
		if (err[0])
			break;
	}
	if (err[0]) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT, "%s", err);
		goto out;
	}
	copy = json_deep_copy(c->obj);
	if ((v = json_object_get(body, "displayName")))
		json_object_set(copy, "displayName", v);
	if ((v = json_object_get(body, "labels"))) {
		json_t *nl = json_deep_copy(v);
		if (!json_object_get(nl, "tidb.cloud/project"))
			json_object_set(nl, "tidb.cloud/project",
					json_object_get(json_object_get(c->obj, "labels"),
							"tidb.cloud/project"));
		json_object_set_new(copy, "labels", nl);
	}
	if ((v = json_object_get(body, "tidbNodeSetting")))
		apply_tidb(copy, v, false);
	if ((v = json_object_get(body, "tikvNodeSetting")))
		apply_storage(copy, "tikvNodeSetting", v);
	if ((v = json_object_get(body, "tiflashNodeSetting")))
		apply_storage(copy, "tiflashNodeSetting", v);
	bool changed_nodes = false;
	for (size_t i = 0; i < 3; i++)
		changed_nodes |= !same(json_object_get(c->obj, nodes[i]),
				       json_object_get(copy, nodes[i]));
	if (changed_nodes && strcmp(emu_cluster_state(c), "ACTIVE") != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "cluster %s is in state %s, cannot change its nodes "
			  "(only when ACTIVE)", c->id, emu_cluster_state(c));
		goto out;
	}
	emu_route_cluster_commit(c, copy, changed_nodes, rs);
	copy = NULL;
out:
	json_decref(copy);
	json_decref(body);
}

static void delete_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	emu_route_cluster_delete(rq, rs, true);
}

/* pause: ACTIVE → PAUSING → PAUSED; resume: PAUSED → RESUMING → ACTIVE. */
static void pause_resume(const struct emu_request *rq, struct emu_response *rs,
			 bool pause)
{
	struct emu_cluster *c = emu_route_cluster(rq, rs, true);
	const char *need = pause ? "ACTIVE" : "PAUSED";

	if (!c)
		return;
	if (strcmp(emu_cluster_state(c), need) != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "cluster %s is in state %s, cannot %s (only from %s)",
			  c->id, emu_cluster_state(c), pause ? "pause" : "resume",
			  need);
		return;
	}
	emu_cluster_transition(c, pause ? "PAUSING" : "RESUMING",
			       pause ? "PAUSED" : "ACTIVE");
	emu_cluster_touch(c);
	rs->body = json_pack("{s:o}", "cluster", json_deep_copy(c->obj));
}

static void pause_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	pause_resume(rq, rs, true);
}

static void resume_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	pause_resume(rq, rs, false);
}

/* GET /v1beta1/regions?cloudProvider&pageSize(20)&pageToken */
static void list_regions(const struct emu_request *rq, struct emu_response *rs)
{
	const char *cloud = emu_query(rq, "cloudProvider");
	size_t offset, total = 0;
	long size;

	if (emu_page_args(rq, rs, EMU_PAGING_TOKEN, 20, &offset, &size) != 0)
		return;
	json_t *arr = json_array();
	for (const struct emu_region *r = emu_regions; r->id; r++) {
		if (!r->dedicated || (cloud && *cloud && strcmp(cloud, r->cloud) != 0))
			continue;
		if (total >= offset && total < offset + (size_t)size)
			json_array_append_new(arr, emu_object_region(r, false));
		total++;
	}
	rs->body = json_pack("{s:o}", "regions", arr);
	emu_page_finish(rs->body, EMU_PAGING_TOKEN, offset, size, total);
}

const struct emu_route emu_routes_dedicated[] = {
	{ EMU_FAM_DEDICATED, "GET", "/v1beta1/clusters", list_clusters },
	{ EMU_FAM_DEDICATED, "POST", "/v1beta1/clusters", create_cluster },
	{ EMU_FAM_DEDICATED, "GET", "/v1beta1/clusters/{id}", get_cluster },
	{ EMU_FAM_DEDICATED, "PATCH", "/v1beta1/clusters/{id}", update_cluster },
	{ EMU_FAM_DEDICATED, "DELETE", "/v1beta1/clusters/{id}", delete_cluster },
	{ EMU_FAM_DEDICATED, "POST", "/v1beta1/clusters/{id}:pauseCluster", pause_cluster },
	{ EMU_FAM_DEDICATED, "POST", "/v1beta1/clusters/{id}:resumeCluster", resume_cluster },
	{ EMU_FAM_DEDICATED, "GET", "/v1beta1/regions", list_regions },
	{ 0, NULL, NULL, NULL }
};
