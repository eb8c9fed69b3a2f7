/*
 * routes_dataapps.c — dataservice.tidbapi.com /v1beta1 Data Apps
 * (dataservice-v1beta1.json), on the object store: the apps and their
 * endpoints, the seed, and the helpers routes_dataapp_parts.c (an app's
 * API keys, data sources and deployments) shares (routes_dataapps_int.h).
 *
 *   GET POST      /dataApps?projectId=          {dataApps[], nextPageToken}
 *   GET PATCH DELETE /dataApps/{a}              DataAppRes; PATCH {version,
 *                                               displayName, description}
 *   GET           /dataApps/{a}/apiSpec?format=JSON|YAML → {name, content}
 *   GET POST      /dataApps/{a}/endpoints       {endpoints[], nextPageToken}
 *   GET PATCH DELETE /dataApps/{a}/endpoints/{e} (DELETE refused while
 *                                               the endpoint is deployed)
 *   POST          /dataApps/{a}/endpoints/{e}/test {args[{items{k:v}}]}
 *   (apiKeys, dataSources, deployments: routes_dataapp_parts.c)
 *
 * Lists: pageSize (0 = 100), pageToken; no totalSize. DELETE answers {}.
 * Errors: google.rpc.Status. Endpoints carry no id field of their own: the
 * id is the last segment of their name "dataApps/{a}/endpoints/{e}".
 * Seed: "data_apps": [{dataAppId, projectId, displayName, description?,
 * version?, appType?, clusterIds[], createdAt?, endpoints[{endpointId,
 * path, method, clusterId?, sqlTemplate, params?, settings?, tag?,
 * displayName?, description?, status?}], apiKeys[{apiKeyId, publicKey,
 * description, role, rateLimitRpm}], deployments[{deploymentId,
 * description, createdAt?}]}].
 */
#include "dataapps.h"
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "routes_dataapps_int.h"
#include "store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const app_types[] = { "DATAAPP", "CHAT2QUERY", NULL };
static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", NULL };
static const char *const param_types[] = { "string", "number", "integer",
					   "bool", "array", NULL };
static const char *const item_types[] = { "string", "number", "integer", NULL };
static const char *const formats[] = { "FORMAT_UNSPECIFIED", "JSON", "YAML",
				       NULL };

/* ---- the published patterns ----------------------------------------------- */

bool emu_dataapp_version_ok(const char *s)
{
	return s && strlen(s) == 5 && s[0] >= '1' && s[0] <= '9' &&
	       s[1] == '.' && isdigit((unsigned char)s[2]) && s[3] == '.' &&
	       isdigit((unsigned char)s[4]);
}

static bool word_ch(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

bool emu_endpoint_path_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 2 || n > 64 || s[0] != '/' || s[n - 1] == '/')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(word_ch(s[i]) || (s[i] == '/' && s[i - 1] != '/')))
			return false;
	return true;
}

bool emu_endpoint_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(word_ch(s[i]) || strchr("-/[]", s[i])))
			return false;
	return true;
}

/* ---- helpers -------------------------------------------------------------- */

struct emu_object *emu_da_find_app(const struct emu_request *rq,
				   struct emu_response *rs)
{
	return emu_find_or_404(rq, rs, K_APP, NULL, 0, rq->ids[0], "data app");
}

struct emu_object *emu_da_find_child(const struct emu_request *rq,
				     struct emu_response *rs, const char *kind,
				     const char *what)
{
	const char *parents[1] = { rq->ids[0] };

	if (!emu_da_find_app(rq, rs))
		return NULL;
	return emu_find_or_404(rq, rs, kind, parents, 1, rq->ids[1], what);
}

void emu_da_get_child(const struct emu_request *rq, struct emu_response *rs,
		      const char *kind, const char *what)
{
	struct emu_object *o = emu_da_find_child(rq, rs, kind, what);

	if (o)
		rs->body = json_deep_copy(o->obj);
}

void emu_da_list_children(const struct emu_request *rq,
			  struct emu_response *rs, const char *kind,
			  const char *key)
{
	const char *parents[1] = { rq->ids[0] };

	if (emu_da_find_app(rq, rs))
		emu_page_answer_no_total(rq, rs, 100, key,
					 emu_store_list(kind, parents, 1, NULL,
							NULL));
}

/* ---- Data Apps ------------------------------------------------------------ */

static int check_app_fields(const struct emu_request *rq,
			    struct emu_response *rs, json_t *body, bool create)
{
	const char *v = emu_fstr(body, "version");

	if (emu_check_str(rq, rs, body, "displayName", "displayName", 1, 32,
			  create) ||
	    emu_check_str(rq, rs, body, "description", "description", 0, 1000,
			  false) ||
	    emu_check_str(rq, rs, body, "version", "version", 0, 0, false))
		return -1;
	if (json_object_get(body, "version") && !emu_dataapp_version_ok(v)) {
		bad(rq, rs, "version: value does not match regex pattern "
		    "\"^[1-9]\\.[0-9]\\.[0-9]$\"");
		return -1;
	}
	return 0;
}

static void list_apps(const struct emu_request *rq, struct emu_response *rs)
{
	const char *p = emu_query(rq, "projectId");
	const char *parents[1] = { p };

	if (!p || !*p) {
		bad(rq, rs, "projectId is required");
		return;
	}
	emu_page_answer_no_total(rq, rs, 100, "dataApps",
				 emu_store_list(K_APP, parents, 1, NULL, NULL));
}

static struct emu_object *add_app(const char *id, const char *project,
				  json_t *src)
{
	const char *parents[1] = { project };
	char name[160], now[32];
	const char *created = emu_fstr(src, "createdAt");

	emu_now_rfc3339(now);
	snprintf(name, sizeof(name), "dataApps/%s", id);
	return emu_store_add(K_APP, id, parents, 1, json_pack(
		"{s:s, s:s, s:s, s:s, s:[], s:s, s:s, s:s, s:s, s:s}",
		"dataAppId", id, "name", name,
		"version", emu_fstr(src, "version") ? emu_fstr(src, "version") :
		"1.0.0", "projectId", project, "clusterIds",
		"appType", emu_fstr(src, "appType") ? emu_fstr(src, "appType") :
		"DATAAPP", "displayName", emu_fstr(src, "displayName"),
		"description", emu_fstr(src, "description") ?
		emu_fstr(src, "description") : "",
		"createdAt", created ? created : now,
		"updatedAt", created ? created : now), NULL);
}

static void create_app(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *body = emu_body_object(rq, rs), *ids, *it;
	const char *project;
	struct emu_object *o;
	char id[48];
	size_t i;

	if (!body)
		return;
	project = emu_fstr(body, "projectId");
	ids = json_object_get(body, "clusterIds");
	if (emu_check_str(rq, rs, body, "projectId", "projectId", 1, 64, true) ||
	    check_app_fields(rq, rs, body, true) ||
	    emu_check_enum(rq, rs, body, "appType", "appType", app_types, false))
		goto out;
	if (!emu_project_or_404(rq, rs, project))
		goto out;
	if (!json_is_array(ids) || json_array_size(ids) == 0) {
		bad(rq, rs, "clusterIds must name at least one cluster");
		goto out;
	}
	json_array_foreach(ids, i, it)
		if (!emu_da_project_cluster(rq, rs, project,
					    json_string_value(it)))
			goto out;
	emu_new_decimal_id(id);
	o = add_app(id, project, body);
	if (!o) {
		bad(rq, rs, "data app not acceptable");
		goto out;
	}
	json_array_foreach(ids, i, it) {
		const char *cid = json_string_value(it);
		struct emu_cluster *c = emu_model_cluster_find(cid, false);

		if (!c)
			c = emu_model_cluster_find(cid, true);
		emu_da_link_cluster(o, c, NULL);
	}
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static void get_app(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = emu_da_find_app(rq, rs);

	if (o)
		rs->body = json_deep_copy(o->obj);
}

static void update_app(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = emu_da_find_app(rq, rs);
	const char *keys[] = { "version", "displayName", "description" };
	json_t *body;

	if (!o || !(body = emu_body_object(rq, rs)))
		return;
	if (check_app_fields(rq, rs, body, false))
		goto out;
	for (size_t i = 0; i < 3; i++)
		if (json_object_get(body, keys[i]))
			json_object_set(o->obj, keys[i],
					json_object_get(body, keys[i]));
	touch(o->obj);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

/* The store id of a listed child: its id field, or the last segment of
 * its name (endpoints). */
const char *emu_da_child_id(json_t *it, const char *id_key)
{
	const char *n = id_key ? emu_fstr(it, id_key) : emu_fstr(it, "name");

	if (!id_key && n && strrchr(n, '/'))
		return strrchr(n, '/') + 1;
	return n;
}

static void remove_children(const char *kind, const char *app,
			    const char *id_key)
{
	const char *parents[1] = { app };
	json_t *all = emu_store_list(kind, parents, 1, NULL, NULL), *it;
	size_t i;

	json_array_foreach(all, i, it) {
		const char *id = emu_da_child_id(it, id_key);
		struct emu_object *o = id ? emu_store_find(kind, parents, 1, id)
			: NULL;

		if (o)
			emu_store_remove(o);
	}
	json_decref(all);
}

static void delete_app(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = emu_da_find_app(rq, rs);

	if (!o)
		return;
	remove_children(K_EP, o->id, NULL);
	remove_children(K_KEY, o->id, "apiKeyId");
	remove_children(K_DS, o->id, "clusterId");
	remove_children(K_DEP, o->id, "deploymentId");
	emu_store_remove(o);
	rs->body = json_object();
}

static void api_spec(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = emu_da_find_app(rq, rs);
	const char *parents[1] = { rq->ids[0] };
	const char *fmt = emu_query(rq, "format");
	json_t *eps, *ep, *paths, *doc, *q;
	char name[160];
	char *content;
	size_t i;

	if (!o)
		return;
	q = json_pack("{s:s}", "format", fmt ? fmt : "JSON");
	if (emu_check_enum(rq, rs, q, "format", "format", formats, false)) {
		json_decref(q);
		return;
	}
	json_decref(q);
	eps = emu_store_list(K_EP, parents, 1, NULL, NULL);
	paths = json_object();
	json_array_foreach(eps, i, ep) {
		const char *path = emu_fstr(ep, "path"), *m = emu_fstr(ep, "method");
		json_t *item = json_object_get(paths, path);
		char lower[8] = "";

		for (size_t j = 0; m && m[j] && j < 7; j++)
			lower[j] = (char)tolower((unsigned char)m[j]);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, path, item);
		}
		json_object_set_new(item, lower, json_pack(
			"{s:s, s:s, s:[s]}", "summary", emu_fstr(ep, "displayName"),
			"operationId", emu_fstr(ep, "displayName"), "tags",
			emu_fstr(ep, "tag") ? emu_fstr(ep, "tag") : "Default"));
	}
	json_decref(eps);
	doc = json_pack("{s:s, s:{s:s, s:s}, s:o}", "openapi", "3.0.3", "info",
			"title", emu_fstr(o->obj, "displayName"), "version",
			emu_fstr(o->obj, "version"), "paths", paths);
	if (fmt && strcmp(fmt, "YAML") == 0) {
		/* a faithful YAML rendering is beyond the emulator: JSON is
		 * valid YAML */
	}
	content = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	snprintf(name, sizeof(name), "dataApps/%s/apiSpec", o->id);
	rs->body = json_pack("{s:s, s:s}", "name", name, "content",
			     content ? content : "");
	free(content);
}

/* ---- endpoints ------------------------------------------------------------ */

static int check_settings(const struct emu_request *rq, struct emu_response *rs,
			  json_t *s)
{
	static const struct { const char *k; long lo, hi; } ints[] = {
		{ "timeout", 1, 60000 }, { "rowLimit", 1, 2000 },
		{ "cacheTtl", 30, 600 },
	};
	const char *bools[] = { "paginationEnabled", "cacheEnabled" };
	char msg[160];

	if (!json_is_object(s)) {
		bad(rq, rs, "settings must be an object");
		return -1;
	}
	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(s, ints[i].k);

		if (v && (!json_is_integer(v) || json_integer_value(v) < ints[i].lo ||
			  json_integer_value(v) > ints[i].hi)) {
			snprintf(msg, sizeof(msg), "settings.%s must be an integer "
				 "from %ld to %ld", ints[i].k, ints[i].lo, ints[i].hi);
			bad(rq, rs, msg);
			return -1;
		}
	}
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(s, bools[i]);

		if (v && !json_is_boolean(v)) {
			snprintf(msg, sizeof(msg), "settings.%s must be a boolean",
				 bools[i]);
			bad(rq, rs, msg);
			return -1;
		}
	}
	return 0;
}

static int check_params(const struct emu_request *rq, struct emu_response *rs,
			json_t *ps)
{
	json_t *p;
	size_t i;

	if (!json_is_array(ps)) {
		bad(rq, rs, "params must be an array");
		return -1;
	}
	json_array_foreach(ps, i, p) {
		if (!json_is_object(p) ||
		    emu_check_str(rq, rs, p, "name", "params.name", 1, 64, true) ||
		    emu_check_enum(rq, rs, p, "type", "params.type", param_types,
				   true) ||
		    emu_check_enum(rq, rs, p, "itemType", "params.itemType",
				   item_types, false) ||
		    emu_check_str(rq, rs, p, "defaultValue", "params.defaultValue",
				  0, 0, false) ||
		    emu_check_str(rq, rs, p, "description", "params.description",
				  0, 0, false) ||
		    emu_check_str(rq, rs, p, "enum", "params.enum", 0, 0, false)) {
			if (!rs->body)
				bad(rq, rs, "params: each is an object {name, type}");
			return -1;
		}
		if (json_object_get(p, "required") &&
		    !json_is_boolean(json_object_get(p, "required"))) {
			bad(rq, rs, "params.required must be a boolean");
			return -1;
		}
	}
	return 0;
}

/* The endpoint with this method and path other than `self`, or NULL. */
static bool same_route(const struct emu_object *o, void *arg)
{
	json_t *want = arg;

	return emu_streq(emu_fstr(o->obj, "path"), emu_fstr(want, "path")) &&
	       emu_streq(emu_fstr(o->obj, "method"), emu_fstr(want, "method")) &&
	       !emu_streq(o->id, emu_fstr(want, "self"));
}

static int check_endpoint(const struct emu_request *rq, struct emu_response *rs,
			  struct emu_object *app, json_t *body, json_t *cur)
{
	const bool create = cur == NULL;
	const char *parents[1] = { app->id };
	json_t *v, *want, *dup;
	const char *path, *method;

	if (emu_check_str(rq, rs, body, "path", "path", 0, 0, create) ||
	    emu_check_enum(rq, rs, body, "method", "method", methods, create) ||
	    emu_check_str(rq, rs, body, "displayName", "displayName", 0, 0, false) ||
	    emu_check_str(rq, rs, body, "description", "description", 0, 2000,
			  false) ||
	    emu_check_str(rq, rs, body, "tag", "tag", 0, 64, false) ||
	    emu_check_str(rq, rs, body, "sqlTemplate", "sqlTemplate", 0, 0, false) ||
	    emu_check_str(rq, rs, body, "clusterId", "clusterId", 1, 64, create))
		return -1;
	path = emu_fstr(body, "path");
	if (path && !emu_endpoint_path_ok(path)) {
		bad(rq, rs, "path: value does not match regex pattern "
		    "\"^\\/([a-zA-Z0-9_]+\\/)*[a-zA-Z0-9_]+$\" (2 to 64 characters)");
		return -1;
	}
	if (emu_fstr(body, "displayName") &&
	    !emu_endpoint_name_ok(emu_fstr(body, "displayName"))) {
		bad(rq, rs, "displayName: value does not match regex pattern "
		    "\"^[a-zA-Z0-9_\\-\\/\\[\\]]+$\" (1 to 32 characters)");
		return -1;
	}
	if ((v = json_object_get(body, "settings")) && check_settings(rq, rs, v))
		return -1;
	if ((v = json_object_get(body, "params")) && check_params(rq, rs, v))
		return -1;
	if ((v = json_object_get(body, "batchOperation")) && !json_is_boolean(v)) {
		bad(rq, rs, "batchOperation must be a boolean");
		return -1;
	}
	if (emu_fstr(body, "clusterId") &&
	    !emu_store_find(K_DS, parents, 1, emu_fstr(body, "clusterId"))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "cluster %s is not a data source of data app %s",
			  emu_fstr(body, "clusterId"), app->id);
		return -1;
	}
	method = emu_fstr(body, "method");
	want = json_pack("{s:s, s:s, s:s}", "path",
			 path ? path : emu_fstr(cur, "path"), "method",
			 method ? method : emu_fstr(cur, "method"), "self",
			 cur ? emu_fstr(cur, "self") : "");
	dup = emu_store_list(K_EP, parents, 1, same_route, want);
	json_decref(want);
	if (json_array_size(dup) > 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_ALREADY_EXISTS,
			  "an endpoint %s %s already exists in this data app",
			  method ? method : emu_fstr(cur, "method"),
			  path ? path : emu_fstr(cur, "path"));
		json_decref(dup);
		return -1;
	}
	json_decref(dup);
	return 0;
}

static json_t *default_settings(void)
{
	return json_pack("{s:i, s:i, s:b, s:b, s:i}", "timeout", 30000,
			 "rowLimit", 50, "paginationEnabled", 0,
			 "cacheEnabled", 0, "cacheTtl", 300);
}

static struct emu_object *add_endpoint(struct emu_object *app, const char *id,
				       json_t *src)
{
	const char *parents[1] = { app->id };
	const char *created = emu_fstr(src, "createdAt");
	json_t *ids = json_object_get(app->obj, "clusterIds");
	json_t *settings = json_object_get(src, "settings"), *s;
	char name[200], now[32];
	const char *cid = emu_fstr(src, "clusterId");

	emu_now_rfc3339(now);
	snprintf(name, sizeof(name), "dataApps/%s/endpoints/%s", app->id, id);
	if (!cid)
		cid = json_string_value(json_array_get(ids, 0));
	s = default_settings();
	if (json_is_object(settings))
		json_object_update(s, settings);
	return emu_store_add(K_EP, id, parents, 1, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:o, s:s, s:b, s:s, "
		"s:s, s:s, s:s, s:s}",
		"name", name, "status", emu_fstr(src, "status") ?
		emu_fstr(src, "status") : "draft",
		"displayName", emu_fstr(src, "displayName") ?
		emu_fstr(src, "displayName") : emu_fstr(src, "path"),
		"description", emu_fstr(src, "description") ?
		emu_fstr(src, "description") : "",
		"path", emu_fstr(src, "path"), "method", emu_fstr(src, "method"),
		"clusterId", cid ? cid : "",
		"params", json_is_array(json_object_get(src, "params")) ?
		json_object_get(src, "params") : json_array(),
		"settings", s,
		"tag", emu_fstr(src, "tag") ? emu_fstr(src, "tag") : "Default",
		"batchOperation", json_is_true(json_object_get(src,
							      "batchOperation")),
		"sqlTemplate", emu_fstr(src, "sqlTemplate") ?
		emu_fstr(src, "sqlTemplate") : "",
		"type", "sql_endpoint", "returnType", "json",
		"createdAt", created ? created : now,
		"updatedAt", created ? created : now), NULL);
}

static void list_endpoints(const struct emu_request *rq, struct emu_response *rs)
{
	emu_da_list_children(rq, rs, K_EP, "endpoints");
}

static void create_endpoint(const struct emu_request *rq,
			    struct emu_response *rs)
{
	struct emu_object *app = emu_da_find_app(rq, rs), *o;
	json_t *body;
	char id[48];

	if (!app || !(body = emu_body_object(rq, rs)))
		return;
	if (!json_object_get(body, "displayName") && emu_fstr(body, "path") &&
	    !emu_endpoint_name_ok(emu_fstr(body, "path"))) {
		bad(rq, rs, "displayName is required when the path is not a "
		    "valid displayName");
		goto out;
	}
	if (check_endpoint(rq, rs, app, body, NULL))
		goto out;
	emu_new_decimal_id(id);
	if (!(o = add_endpoint(app, id, body))) {
		bad(rq, rs, "endpoint not acceptable");
		goto out;
	}
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static void get_endpoint(const struct emu_request *rq, struct emu_response *rs)
{
	emu_da_get_child(rq, rs, K_EP, "endpoint");
}

static void update_endpoint(const struct emu_request *rq,
			    struct emu_response *rs)
{
	static const char *const keys[] = { "displayName", "description", "path",
		"method", "clusterId", "params", "tag", "batchOperation",
		"sqlTemplate" };
	struct emu_object *o = emu_da_find_child(rq, rs, K_EP, "endpoint");
	struct emu_object *app;
	json_t *body, *cur, *v;

	if (!o || !(body = emu_body_object(rq, rs)))
		return;
	app = emu_store_find(K_APP, NULL, 0, rq->ids[0]);
	cur = json_pack("{s:s, s:s, s:s}", "path", emu_fstr(o->obj, "path"),
			"method", emu_fstr(o->obj, "method"), "self", o->id);
	if (check_endpoint(rq, rs, app, body, cur))
		goto out;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((v = json_object_get(body, keys[i])))
			json_object_set(o->obj, keys[i], v);
	if ((v = json_object_get(body, "settings")))
		json_object_update(json_object_get(o->obj, "settings"), v);
	touch(o->obj);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(cur);
	json_decref(body);
}

static void delete_endpoint(const struct emu_request *rq,
			    struct emu_response *rs)
{
	struct emu_object *o = emu_da_find_child(rq, rs, K_EP, "endpoint");

	if (!o)
		return;
	if (emu_streq(emu_fstr(o->obj, "status"), "deployed")) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "endpoint %s %s is online: an online endpoint cannot "
			  "be deleted, undeploy it first",
			  emu_fstr(o->obj, "method"), emu_fstr(o->obj, "path"));
		return;
	}
	emu_store_remove(o);
	rs->body = json_object();
}

static void test_endpoint(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = emu_da_find_child(rq, rs, K_EP, "endpoint");
	json_t *body, *args, *items = NULL, *data, *v;
	const char *key;
	size_t i;

	if (!o || !(body = emu_body_object(rq, rs)))
		return;
	args = json_object_get(body, "args");
	if (args && !json_is_array(args)) {
		bad(rq, rs, "args must be an array of {items}");
		goto out;
	}
	json_array_foreach(args, i, v) {
		json_t *it = json_object_get(v, "items");

		if (!json_is_object(it)) {
			bad(rq, rs, "args.items must be an object of strings");
			goto out;
		}
		if (!items)
			items = it;
	}
	json_object_foreach(items, key, v)
		if (!json_is_string(v)) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "args.items.%s must be a string", key);
			goto out;
		}
	data = emu_dataapp_eval(emu_fstr(o->obj, "sqlTemplate"),
				json_object_get(o->obj, "params"), items,
				(long)json_integer_value(json_object_get(
					json_object_get(o->obj, "settings"),
					"rowLimit")));
	rs->body = json_pack("{s:s, s:o}", "type", "sql_endpoint", "data", data);
out:
	json_decref(body);
}

/* ---- seed ----------------------------------------------------------------- */

static int seed_app(json_t *a, size_t i, char *err, size_t errlen)
{
	const char *id = emu_fstr(a, "dataAppId"), *p = emu_fstr(a, "projectId");
	json_t *ids = json_object_get(a, "clusterIds"), *it;
	struct emu_object *app;
	size_t j;

	if (!id || !p || !emu_model_project_find(p) || !emu_fstr(a, "displayName") ||
	    !(app = add_app(id, p, a))) {
		snprintf(err, errlen, "data_apps[%zu]: dataAppId, projectId of a "
			 "project and displayName are required (ids unique)", i);
		return -1;
	}
	json_array_foreach(ids, j, it) {
		const char *cid = json_string_value(it);
		struct emu_cluster *c = cid ? emu_model_cluster_find(cid, false) : NULL;

		if (cid && !c)
			c = emu_model_cluster_find(cid, true);
		if (!c || !emu_streq(emu_cluster_project(c), p) ||
		    !emu_da_link_cluster(app, c, emu_fstr(a, "createdAt"))) {
			snprintf(err, errlen, "data_apps[%zu].clusterIds[%zu]: a "
				 "cluster of the project", i, j);
			return -1;
		}
	}
	json_array_foreach(json_object_get(a, "endpoints"), j, it) {
		const char *eid = emu_fstr(it, "endpointId");

		if (!eid || !emu_endpoint_path_ok(emu_fstr(it, "path")) ||
		    !emu_fstr(it, "method") || !add_endpoint(app, eid, it)) {
			snprintf(err, errlen, "data_apps[%zu].endpoints[%zu]: "
				 "endpointId, a valid path and method", i, j);
			return -1;
		}
	}
	return emu_dataapp_seed_parts(app, a, i, err, errlen);
}

static int seed_apps(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *a;
	size_t i;

	if (emu_seed_array(seed, "data_apps", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, a)
		if (seed_app(a, i, err, errlen) != 0)
			return -1;
	return 0;
}

#define DA "/v1beta1/dataApps"
#define DAI DA "/{id}"
static const struct emu_route routes[] = {
	{ EMU_FAM_DATASERVICE, "GET", DA, list_apps },
	{ EMU_FAM_DATASERVICE, "POST", DA, create_app },
	{ EMU_FAM_DATASERVICE, "GET", DAI, get_app },
	{ EMU_FAM_DATASERVICE, "PATCH", DAI, update_app },
	{ EMU_FAM_DATASERVICE, "DELETE", DAI, delete_app },
	{ EMU_FAM_DATASERVICE, "GET", DAI "/apiSpec", api_spec },
	{ EMU_FAM_DATASERVICE, "GET", DAI "/endpoints", list_endpoints },
	{ EMU_FAM_DATASERVICE, "POST", DAI "/endpoints", create_endpoint },
	{ EMU_FAM_DATASERVICE, "GET", DAI "/endpoints/{id}", get_endpoint },
	{ EMU_FAM_DATASERVICE, "PATCH", DAI "/endpoints/{id}", update_endpoint },
	{ EMU_FAM_DATASERVICE, "DELETE", DAI "/endpoints/{id}", delete_endpoint },
	{ EMU_FAM_DATASERVICE, "POST", DAI "/endpoints/{id}/test", test_endpoint },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module dataapps_module = { "data-apps", routes,
						   seed_apps };
EMU_MODULE(dataapps_module)
