/*
 * routes_serverless.c — serverless.tidbapi.com /v1beta1: Starter and
 * Essential clusters, regions.
 */
#include "emu.h"
#include "model.h"
#include "routes_common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- dotted paths inside JSON objects ---- */

static json_t *get_path(json_t *o, const char *path)
{
	char buf[128];
	char *save = NULL, *seg;

	snprintf(buf, sizeof(buf), "%s", path);
	for (seg = strtok_r(buf, ".", &save); seg && o;
	     seg = strtok_r(NULL, ".", &save))
		o = json_object_get(o, seg);
	return o;
}

/* Sets o.path = v (steals v), creating intermediate objects. */
static void set_path(json_t *o, const char *path, json_t *v)
{
	char buf[128];
	char *dot;
	char *seg = buf;

	snprintf(buf, sizeof(buf), "%s", path);
	while ((dot = strchr(seg, '.')) != NULL) {
		*dot = '\0';
		json_t *next = json_object_get(o, seg);
		if (!json_is_object(next)) {
			next = json_object();
			json_object_set_new(o, seg, next);
		}
		o = next;
		seg = dot + 1;
	}
	json_object_set_new(o, seg, v);
}

/* ---- field validation shared by create and update ---- */

static bool is_nonneg_int(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

static bool valid_start_time(const char *s)
{
	return strlen(s) == 5 && isdigit((unsigned char)s[0]) &&
	       isdigit((unsigned char)s[1]) && s[2] == ':' &&
	       isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4]) &&
	       atoi(s) < 24 && atoi(s + 3) < 60;
}

static bool valid_string_map(json_t *v)
{
	const char *k;
	json_t *x;

	if (!json_is_object(v))
		return false;
	json_object_foreach(v, k, x)
		if (!json_is_string(x))
			return false;
	return true;
}

/* NULL if v is acceptable for path, else why not (static text). */
static const char *check_field(const char *path, json_t *v)
{
	size_t i;
	json_t *x;

	if (strcmp(path, "displayName") == 0)
		return json_is_string(v) && emu_cluster_name_ok(json_string_value(v))
		       ? NULL : EMU_CLUSTER_NAME_RULE;
	if (strcmp(path, "labels") == 0)
		return valid_string_map(v) ? NULL : "must be an object of strings";
	if (strcmp(path, "spendingLimit") == 0) {
		if (!json_is_object(v))
			return "must be an object";
		x = json_object_get(v, "monthly");
		return !x || is_nonneg_int(x) ? NULL
		       : "monthly must be a non-negative integer (US cents)";
	}
	if (strcmp(path, "spendingLimit.monthly") == 0)
		return is_nonneg_int(v) ? NULL : "must be a non-negative integer (US cents)";
	if (strcmp(path, "autoScaling") == 0) {
		if (!json_is_object(v))
			return "must be an object";
		json_t *mn = json_object_get(v, "minRcu"), *mx = json_object_get(v, "maxRcu");
		if ((mn && !is_nonneg_int(mn)) || (mx && !is_nonneg_int(mx)))
			return "minRcu and maxRcu must be non-negative integers";
		return NULL;
	}
	if (strcmp(path, "autoScaling.minRcu") == 0 ||
	    strcmp(path, "autoScaling.maxRcu") == 0 ||
	    strcmp(path, "automatedBackupPolicy.retentionDays") == 0)
		return is_nonneg_int(v) ? NULL : "must be a non-negative integer";
	if (strcmp(path, "automatedBackupPolicy") == 0) {
		if (!json_is_object(v))
			return "must be an object";
		json_t *st = json_object_get(v, "startTime");
		json_t *rd = json_object_get(v, "retentionDays");
		if (st && !(json_is_string(st) && valid_start_time(json_string_value(st))))
			return "startTime must be \"HH:MM\"";
		if (rd && !is_nonneg_int(rd))
			return "retentionDays must be a non-negative integer";
		return NULL;
	}
	if (strcmp(path, "automatedBackupPolicy.startTime") == 0)
		return json_is_string(v) && valid_start_time(json_string_value(v))
		       ? NULL : "must be \"HH:MM\" (UTC)";
	if (strcmp(path, "endpoints.public.disabled") == 0 ||
	    strcmp(path, "encryptionConfig.enhancedEncryptionEnabled") == 0)
		return json_is_boolean(v) ? NULL : "must be a boolean";
	if (strcmp(path, "endpoints.public.authorizedNetworks") == 0) {
		if (!json_is_array(v))
			return "must be an array";
		json_array_foreach(v, i, x)
			if (!json_is_object(x) ||
			    !json_is_string(json_object_get(x, "startIpAddress")) ||
			    !json_is_string(json_object_get(x, "endIpAddress")) ||
			    !json_is_string(json_object_get(x, "displayName")))
				return "each entry needs startIpAddress, endIpAddress and displayName (strings)";
		return NULL;
	}
	if (strcmp(path, "highAvailabilityType") == 0)
		return json_is_string(v) &&
		       (strcmp(json_string_value(v), "ZONAL") == 0 ||
			strcmp(json_string_value(v), "REGIONAL") == 0)
		       ? NULL : "must be \"ZONAL\" or \"REGIONAL\"";
	if (strcmp(path, "rootPassword") == 0)
		return json_is_string(v) && json_string_length(v) >= 8 &&
		       json_string_length(v) <= 64
		       ? NULL : "must be a string of 8 to 64 characters";
	return "is not a known field";
}

/* Paths an updateMask may name, and read-only ones (rejected by name). */
static const char *const mask_paths[] = {
	"displayName", "labels", "spendingLimit", "spendingLimit.monthly",
	"autoScaling", "autoScaling.minRcu", "autoScaling.maxRcu",
	"endpoints.public.disabled", "endpoints.public.authorizedNetworks",
	"automatedBackupPolicy", "automatedBackupPolicy.startTime",
	"automatedBackupPolicy.retentionDays", NULL
};
static const char *const read_only_paths[] = {
	"name", "clusterId", "region", "version", "createdBy", "userPrefix",
	"state", "annotations", "createTime", "updateTime", "clusterPlan",
	"servicePlan", "endpoints", "endpoints.public", "endpoints.private",
	"endpoints.public.host", "endpoints.public.port", "rootPassword",
	"encryptionConfig", "highAvailabilityType", NULL
};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* ---- handlers ---- */

/* Value of a filter field for a cluster (borrowed or in buf). */
static const char *filter_value(const struct emu_cluster *c, const char *key)
{
	json_t *o = c->obj;

	if (strcmp(key, "projectId") == 0)
		return emu_cluster_project(c);
	if (strcmp(key, "clusterId") == 0)
		return c->id;
	if (strcmp(key, "state") == 0 || strcmp(key, "displayName") == 0 ||
	    strcmp(key, "clusterPlan") == 0 || strcmp(key, "servicePlan") == 0)
		return json_string_value(json_object_get(o, key));
	if (strcmp(key, "region.name") == 0 || strcmp(key, "region.regionId") == 0 ||
	    strcmp(key, "region.cloudProvider") == 0)
		return json_string_value(get_path(o, key));
	if (strcmp(key, "region.provider") == 0)
		return json_string_value(get_path(o, "region.cloudProvider"));
	if (strncmp(key, "labels.", 7) == 0)
		return json_string_value(json_object_get(
			json_object_get(o, "labels"), key + 7));
	return NULL;
}

static bool known_filter_key(const char *key)
{
	static const char *const keys[] = {
		"projectId", "clusterId", "state", "displayName", "clusterPlan",
		"servicePlan", "region.name", "region.regionId",
		"region.cloudProvider", "region.provider", NULL
	};
	return in_list(keys, key) || (strncmp(key, "labels.", 7) == 0 && key[7]);
}

/* Parses `k=v AND k="v1,v2" ...` into [[key, [values]]...]; NULL + message
 * on error. */
static json_t *parse_filter(const char *filter, char *err, size_t errlen)
{
	json_t *terms = json_array();
	const char *p = filter;

	while (*p) {
		const char *and = strstr(p, " AND ");
		size_t n = and ? (size_t)(and - p) : strlen(p);
		char term[512], *eq, *key, *val;

		snprintf(term, sizeof(term), "%.*s", (int)(n < 511 ? n : 511), p);
		p += n;
		if (and)
			p += 5;
		key = term;
		while (*key == ' ')
			key++;
		eq = strchr(key, '=');
		if (!eq) {
			snprintf(err, errlen, "invalid filter term \"%s\" (expected field=value)", key);
			json_decref(terms);
			return NULL;
		}
		*eq = '\0';
		val = eq + 1;
		for (char *e = eq - 1; e >= key && *e == ' '; e--)
			*e = '\0';
		while (*val == ' ')
			val++;
		size_t vl = strlen(val);
		while (vl > 0 && val[vl - 1] == ' ')
			val[--vl] = '\0';
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		}
		if (!known_filter_key(key)) {
			snprintf(err, errlen, "unsupported filter field \"%s\"", key);
			json_decref(terms);
			return NULL;
		}
		json_t *vals = json_array();
		if (strcmp(key, "displayName") == 0) {
			json_array_append_new(vals, json_string(val));
		} else {
			char *save = NULL;
			for (char *v = strtok_r(val, ",", &save); v;
			     v = strtok_r(NULL, ",", &save)) {
				while (*v == ' ' || *v == '"')
					v++;
				size_t l = strlen(v);
				while (l > 0 && (v[l - 1] == ' ' || v[l - 1] == '"'))
					v[--l] = '\0';
				json_array_append_new(vals, json_string(v));
			}
		}
		json_array_append_new(terms, json_pack("[s,o]", key, vals));
	}
	return terms;
}

static bool filter_match(const struct emu_cluster *c, json_t *terms)
{
	size_t i, j;
	json_t *t, *v;

	json_array_foreach(terms, i, t) {
		const char *have = filter_value(c, json_string_value(json_array_get(t, 0)));
		bool any = false;
		json_array_foreach(json_array_get(t, 1), j, v)
			if (have && strcmp(have, json_string_value(v)) == 0)
				any = true;
		if (!any)
			return false;
	}
	return true;
}

/* A list item: the object without what real list answers leave out
 * (captured 2023 and 2025: a GET ?view=FULL has these, a list item not). */
static json_t *list_item(json_t *obj)
{
	json_t *it = json_deep_copy(obj);

	json_object_del(it, "automatedBackupPolicy");
	json_object_del(it, "spendingLimit");
	json_object_del(it, "usage");
	return it;
}

/* GET /v1beta1/clusters → {clusters, nextPageToken?, totalSize}. */
static void list_clusters(const struct emu_request *rq, struct emu_response *rs)
{
	const char *token = emu_query(rq, "pageToken");
	const char *filter = emu_query(rq, "filter");
	long size, skip;
	size_t offset, total = 0;
	json_t *terms = NULL, *list;
	char err[600];

	if (emu_query_long(rq, rs, "pageSize", 10, &size) ||
	    emu_query_long(rq, rs, "skip", 0, &skip))
		return;
	if (size == 0)
		size = 10;
	if (size > 100)
		size = 100;
	offset = (size_t)skip;
	if (token && *token && emu_page_token_parse(token, &offset) != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid pageToken \"%s\"", token);
		return;
	}
	if (filter && *filter && !(terms = parse_filter(filter, err, sizeof(err)))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid filter: %s", err);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < emu_model_cluster_count(); i++) {
		struct emu_cluster *c = emu_model_cluster_at(i);
		if (c->kind == EMU_KIND_DEDICATED || (terms && !filter_match(c, terms)))
			continue;
		if (total >= offset && total < offset + (size_t)size)
			json_array_append_new(list, list_item(c->obj));
		total++;
	}
	json_decref(terms);
	rs->body = json_pack("{s:o, s:I}", "clusters", list, "totalSize",
			     (json_int_t)total);
	if (offset + (size_t)size < total) {
		char next[48];
		emu_page_token(next, offset + (size_t)size);
		json_object_set_new(rs->body, "nextPageToken", json_string(next));
	}
}

static bool bad_view(const struct emu_request *rq, struct emu_response *rs)
{
	const char *view = emu_query(rq, "view");

	if (view && *view && strcmp(view, "BASIC") != 0 && strcmp(view, "FULL") != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid view \"%s\" (BASIC or FULL)", view);
		return true;
	}
	return false;
}

/* The object in the view asked for (FULL when absent). */
static json_t *view_of(const struct emu_request *rq, json_t *obj)
{
	static const char *const full_only[] = {
		"endpoints", "automatedBackupPolicy", "encryptionConfig",
		"annotations", "auditLogConfig", "usage"
	};
	const char *view = emu_query(rq, "view");
	json_t *o = json_deep_copy(obj);

	if (view && strcmp(view, "BASIC") == 0)
		for (size_t i = 0; i < sizeof(full_only) / sizeof(full_only[0]); i++)
			json_object_del(o, full_only[i]);
	return o;
}

/* GET /v1beta1/clusters/{id}?view=BASIC|FULL */
static void get_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_cluster *c;

	if (bad_view(rq, rs) || !(c = emu_route_cluster(rq, rs, false)))
		return;
	rs->body = view_of(rq, c->obj);
}

/* GET /v1beta1/clusters:batchGet?clusterIds=A&clusterIds=B&view= →
 * {clusters}, in the order asked; atomic: one unknown id fails it all. */
static void batch_get(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *ids = emu_query_values(rq, "clusterIds"), *v, *list;
	size_t i;

	if (bad_view(rq, rs))
		goto out;
	if (json_array_size(ids) == 0 || json_array_size(ids) > 1000) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "clusterIds: between 1 and 1000 ids are required "
			  "(%zu given)", json_array_size(ids));
		goto out;
	}
	json_array_foreach(ids, i, v)
		if (!emu_model_cluster_find(json_string_value(v), false)) {
			emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
				  "cluster %s not found", json_string_value(v));
			goto out;
		}
	list = json_array();
	json_array_foreach(ids, i, v)
		json_array_append_new(list, view_of(rq, emu_model_cluster_find(
			json_string_value(v), false)->obj));
	rs->body = json_pack("{s:o}", "clusters", list);
out:
	json_decref(ids);
}

/* The project named by a labels object (or the first project). */
static const struct emu_project *label_project(json_t *labels)
{
	const char *pid = json_string_value(json_object_get(labels, "tidb.cloud/project"));
	return pid ? emu_model_project_find(pid) : emu_model_project_at(0);
}

/* POST /v1beta1/clusters, body = Cluster. */
static void create_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const optional[] = {
		"labels", "spendingLimit", "autoScaling", "automatedBackupPolicy",
		"endpoints.public.disabled", "endpoints.public.authorizedNetworks",
		"encryptionConfig.enhancedEncryptionEnabled", "highAvailabilityType",
		"rootPassword", NULL
	};
	json_t *body = emu_body_object(rq, rs);
	json_t *dn, *region, *labels, *v;
	const struct emu_region *r = NULL;
	const struct emu_project *proj;
	const char *why;
	char id[32];

	if (!body)
		return;
	dn = json_object_get(body, "displayName");
	region = json_object_get(body, "region");
	labels = json_object_get(body, "labels");
	if (!dn) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "displayName is required");
		goto out;
	}
	if ((why = check_field("displayName", dn))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid Cluster.DisplayName: %s", why);
		goto out;
	}
	if (!json_is_object(region) ||
	    (!json_is_string(json_object_get(region, "name")) &&
	     !json_is_string(json_object_get(region, "regionId")))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "region.name is required (e.g. \"regions/aws-us-east-1\")");
		goto out;
	}
	const char *rname = json_string_value(json_object_get(region, "name"));
	if (rname)
		r = strncmp(rname, "regions/", 8) == 0 ? emu_region_find(rname + 8) : NULL;
	else
		r = emu_region_find(json_string_value(json_object_get(region, "regionId")));
	if (!r || !r->serverless) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "region.name: unknown region \"%s\"",
			  rname ? rname : json_string_value(json_object_get(region, "regionId")));
		goto out;
	}
	for (size_t i = 0; optional[i]; i++) {
		v = get_path(body, optional[i]);
		if (v && !json_is_null(v) && (why = check_field(optional[i], v))) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "%s %s", optional[i], why);
			goto out;
		}
	}
	bool essential = json_is_object(json_object_get(body, "autoScaling"));
	if (essential && json_is_object(json_object_get(body, "spendingLimit"))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "spendingLimit is not supported for Essential clusters "
			  "(autoScaling given)");
		goto out;
	}
	if (!(proj = label_project(labels))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "labels[\"tidb.cloud/project\"]: unknown project \"%s\"",
			  json_string_value(json_object_get(labels, "tidb.cloud/project")));
		goto out;
	}

	emu_model_new_cluster_id(id);
	enum emu_kind kind = essential ? EMU_KIND_ESSENTIAL : EMU_KIND_STARTER;
	json_t *obj = emu_object_serverless(kind, id, json_string_value(dn),
					    proj->id, r, "CREATING", time(NULL));
	for (size_t i = 0; optional[i]; i++) {
		v = get_path(body, optional[i]);
		if (!v || json_is_null(v) || strcmp(optional[i], "rootPassword") == 0)
			continue;
		if (strcmp(optional[i], "labels") == 0) {
			json_object_update(json_object_get(obj, "labels"), v);
			json_object_set_new(json_object_get(obj, "labels"),
					    "tidb.cloud/project", json_string(proj->id));
		} else if (json_is_object(v)) {
			json_t *dst = get_path(obj, optional[i]);
			if (json_is_object(dst))
				json_object_update(dst, v);
			else
				set_path(obj, optional[i], json_deep_copy(v));
		} else {
			set_path(obj, optional[i], json_deep_copy(v));
		}
	}
	if (json_object_get(body, "rootPassword"))
		json_object_set_new(json_object_get(obj, "annotations"),
				    "tidb.cloud/has-set-password", json_string("true"));
	struct emu_cluster *c = emu_model_cluster_add(kind, obj);
	emu_cluster_transition(c, "CREATING", "ACTIVE");
	rs->body = json_deep_copy(c->obj);
out:
	json_decref(body);
}

/* PATCH /v1beta1/clusters/{id} {cluster:{...}, updateMask:"a,b"} */
static void update_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *body = emu_body_object(rq, rs);
	json_t *patch, *mask, *copy = NULL;
	struct emu_cluster *c;
	char paths[1024], *save = NULL;
	int npaths = 0;

	if (!body)
		return;
	if (!(c = emu_route_cluster(rq, rs, false)))
		goto out;
	patch = json_object_get(body, "cluster");
	mask = json_object_get(body, "updateMask");
	if (patch && !json_is_object(patch)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "cluster must be an object");
		goto out;
	}
	if (!json_is_string(mask) || json_string_length(mask) == 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "updateMask is required (comma-separated field paths)");
		goto out;
	}
	copy = json_deep_copy(c->obj);
	/* Two passes: every path name first, then the values. */
	for (int pass = 0; pass < 2; pass++) {
		save = NULL;
		snprintf(paths, sizeof(paths), "%s", json_string_value(mask));
		for (char *p = strtok_r(paths, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			while (*p == ' ')
				p++;
			for (size_t l = strlen(p); l > 0 && p[l - 1] == ' '; l--)
				p[l - 1] = '\0';
			if (!*p)
				continue;
			npaths++;
			if (in_list(read_only_paths, p) || strncmp(p, "region.", 7) == 0) {
				emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
					  "updateMask: field \"%s\" cannot be updated", p);
				goto out;
			}
			if (!in_list(mask_paths, p)) {
				emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
					  "updateMask: unknown field path \"%s\"", p);
				goto out;
			}
			if (strncmp(p, "spendingLimit", 13) == 0 && c->kind == EMU_KIND_ESSENTIAL) {
				emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
					  "updateMask: \"%s\" applies to Starter clusters only, "
					  "cluster %s is Essential", p, c->id);
				goto out;
			}
			if (strncmp(p, "autoScaling", 11) == 0 && c->kind == EMU_KIND_STARTER) {
				emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
					  "updateMask: \"%s\" applies to Essential clusters only, "
					  "cluster %s is Starter", p, c->id);
				goto out;
			}
			if (pass == 0)
				continue;
			json_t *v = get_path(patch, p);
			if (!v && strcmp(p, "endpoints.public.authorizedNetworks") == 0) {
				set_path(copy, p, json_array());
				continue;
			}
			if (!v) {
				emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
					  "cluster.%s is required by updateMask", p);
				goto out;
			}
			const char *why = check_field(p, v);
			if (why) {
				emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
					  "cluster.%s %s", p, why);
				goto out;
			}
			if (strcmp(p, "labels") == 0) {
				json_t *old = json_object_get(c->obj, "labels");
				json_t *nl = json_deep_copy(v);
				const char *pid = json_string_value(json_object_get(nl, "tidb.cloud/project"));
				if (pid && !emu_model_project_find(pid)) {
					json_decref(nl);
					emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
						  "cluster.labels[\"tidb.cloud/project\"]: unknown project \"%s\"",
						  pid);
					goto out;
				}
				if (!pid)
					json_object_set(nl, "tidb.cloud/project",
							json_object_get(old, "tidb.cloud/project"));
				json_object_set(nl, "tidb.cloud/organization",
						json_object_get(old, "tidb.cloud/organization"));
				json_object_set_new(copy, "labels", nl);
			} else if (json_is_object(v) && json_is_object(get_path(copy, p))) {
				json_object_update(get_path(copy, p), v);
			} else {
				set_path(copy, p, json_deep_copy(v));
			}
		}
	}
	if (npaths == 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "updateMask names no field");
		goto out;
	}
	json_t *as_old = json_object_get(c->obj, "autoScaling");
	json_t *as_new = json_object_get(copy, "autoScaling");
	bool scaling = c->kind == EMU_KIND_ESSENTIAL && !json_equal(as_old, as_new);
	if (scaling) {
		json_int_t mn = json_integer_value(json_object_get(as_new, "minRcu"));
		json_int_t mx = json_integer_value(json_object_get(as_new, "maxRcu"));
		if (mn > mx) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "cluster.autoScaling: minRcu (%lld) exceeds maxRcu (%lld)",
				  (long long)mn, (long long)mx);
			goto out;
		}
		if (strcmp(emu_cluster_state(c), "ACTIVE") != 0) {
			emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
				  "cluster %s is in state %s, cannot change autoScaling",
				  c->id, emu_cluster_state(c));
			goto out;
		}
	}
	/* No MODIFYING: the serverless state enum documents MODIFYING (with
	 * PAUSING, PAUSED, RESUMING, UPGRADING, IMPORTING) as "Only for
	 * Dedicated Cluster"; an Essential cluster stays ACTIVE and shows the
	 * new autoScaling at once. */
	emu_route_cluster_commit(c, copy, false, rs);
	copy = NULL;
out:
	json_decref(copy);
	json_decref(body);
}

/* DELETE /v1beta1/clusters/{id} → the cluster in DELETING. */
static void delete_cluster(const struct emu_request *rq, struct emu_response *rs)
{
	emu_route_cluster_delete(rq, rs, false);
}

/* GET /v1beta1/regions?cloudProvider= → {regions}. */
static void list_regions(const struct emu_request *rq, struct emu_response *rs)
{
	const char *cloud = emu_query(rq, "cloudProvider");
	json_t *arr = json_array();

	for (const struct emu_region *r = emu_regions; r->id; r++)
		if (r->serverless && (!cloud || !*cloud || strcmp(cloud, r->cloud) == 0))
			json_array_append_new(arr, emu_object_region(r, true));
	rs->body = json_pack("{s:o}", "regions", arr);
}

const struct emu_route emu_routes_serverless[] = {
	{ EMU_FAM_SERVERLESS, "GET", "/v1beta1/clusters", list_clusters },
	{ EMU_FAM_SERVERLESS, "GET", "/v1beta1/clusters:batchGet", batch_get },
	{ EMU_FAM_SERVERLESS, "POST", "/v1beta1/clusters", create_cluster },
	{ EMU_FAM_SERVERLESS, "GET", "/v1beta1/clusters/{id}", get_cluster },
	{ EMU_FAM_SERVERLESS, "PATCH", "/v1beta1/clusters/{id}", update_cluster },
	{ EMU_FAM_SERVERLESS, "DELETE", "/v1beta1/clusters/{id}", delete_cluster },
	{ EMU_FAM_SERVERLESS, "GET", "/v1beta1/regions", list_regions },
	{ 0, NULL, NULL, NULL }
};
