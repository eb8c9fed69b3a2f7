/*
 * family_dataapps.c — projects/<p>/data-apps/ (Data Service,
 * dataservice.tidbapi.com /v1beta1/dataApps): the apps and their endpoints,
 * and the helpers the app's other sub-collections share
 * (family_dataapps_int.h). The api-keys/, data-sources/ and deployments/
 * of an app are in family_dataapp_parts.c.
 *
 *   data-apps/<app>/            app.json, spec.json {displayName,
 *                               description, version}, id, api-spec.json
 *   <app>/endpoints/<e>/        endpoint.json, spec.json {path, method,
 *                               params, settings, tag, batchOperation},
 *                               query.sql (the sqlTemplate, editable), test
 *                               (write arguments as JSON, read the answer
 *                               of the test call)
 *   <app>/api-keys/<k>/         api-key.json, spec.json {description, role,
 *                               rateLimitRpm}, secret (the private key,
 *                               once, after mkdir)
 *   <app>/data-sources/<c>/     data-source.json (mkdir CLUSTER links it)
 *   <app>/deployments/<d>/      deployment.json, state (mkdir deploys)
 *
 * ids: 0 project, 1 app, 2 the child. Names: apps and endpoints by
 * displayName, keys and deployments by description, data sources by the
 * cluster's name (all with the id as alias). The API's endpoint object has
 * no id field: `normalize` adds endpointId, the last segment of its name.
 * (A key's secret: family_dataapp_parts.c.)
 *
 * rmdir of a deployed (online) endpoint: the API answers 400 with the
 * reason (spec: "make sure that the endpoint is not online"). It stays
 * EINVAL (the generic 400 mapping), not EBUSY: the answer is a plain
 * rpcStatus whose code the Data Service does not keep to (API-NOTES 1.3)
 * and whose message is unpublished, so it cannot be told apart reliably
 * from any other 400; .error carries the API's message.
 */
#include "tcfs.h"
#include "family_dataapps.h"
#include "family_dataapps_int.h"
#include "store.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", NULL };
static const char *const app_types[] = { "DATAAPP", "CHAT2QUERY", NULL };
static const char *const param_types[] = { "string", "number", "integer",
					   "bool", "array", NULL };

int tcfs_da_in_list(const char *s, const char *const *l)
{
	for (; s && *l; l++)
		if (strcmp(s, *l) == 0)
			return 1;
	return 0;
}

/* ---- the published rules (pure) ------------------------------------------ */

int tcfs_dataapp_version_check(const char *v, char *msg, size_t msgsz)
{
	if (!v || strlen(v) != 5 || v[0] < '1' || v[0] > '9' || v[1] != '.' ||
	    !isdigit((unsigned char)v[2]) || v[3] != '.' ||
	    !isdigit((unsigned char)v[4])) {
		snprintf(msg, msgsz, "version: x.y.z with one digit each, x not "
			 "0 (the API's pattern ^[1-9]\\.[0-9]\\.[0-9]$)");
		return -EINVAL;
	}
	return 0;
}

int tcfs_dataapp_name_check(const char *name, char *msg, size_t msgsz)
{
	size_t n = strlen(name);

	if (n < 1 || n > 32 || !tcfs_utf8_valid(name, n) ||
	    tcfs_has_control(name)) {
		snprintf(msg, msgsz, "a Data App's displayName is 1 to 32 "
			 "characters without control characters");
		return -EINVAL;
	}
	return 0;
}

int tcfs_endpoint_path_check(const char *s, char *msg, size_t msgsz)
{
	size_t n = s ? strlen(s) : 0;
	int ok = n >= 2 && n <= 64 && s[0] == '/' && s[n - 1] != '/';

	for (size_t i = 1; ok && i < n; i++)
		ok = isalnum((unsigned char)s[i]) || s[i] == '_' ||
		     (s[i] == '/' && s[i - 1] != '/');
	if (!ok) {
		snprintf(msg, msgsz, "path: 2 to 64 characters starting with /, "
			 "segments of letters, digits and _ (the API's pattern "
			 "^\\/([a-zA-Z0-9_]+\\/)*[a-zA-Z0-9_]+$)");
		return -EINVAL;
	}
	return 0;
}

int tcfs_endpoint_name_check(const char *s, char *msg, size_t msgsz)
{
	size_t n = strlen(s);
	int ok = n >= 1 && n <= 32;

	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)s[i]) || strchr("_-[]", s[i]);
	if (!ok) {
		snprintf(msg, msgsz, "an endpoint's displayName is 1 to 32 of "
			 "letters, digits, _ - [ ]");
		return -EINVAL;
	}
	return 0;
}

int tcfs_da_check_int(json_t *o, const char *key, long lo, long hi,
		      const char *where, char *msg, size_t msgsz)
{
	json_t *v = json_object_get(o, key);

	if (v && (!json_is_integer(v) || json_integer_value(v) < lo ||
		  json_integer_value(v) > hi)) {
		snprintf(msg, msgsz, "%s%s: an integer from %ld to %ld", where,
			 key, lo, hi);
		return -EINVAL;
	}
	return 0;
}

/* The endpoint fields of a spec or create body (only those present). */
int tcfs_endpoint_check(json_t *spec, json_t *cur, char *msg, size_t msgsz)
{
	json_t *v, *p;
	size_t i;

	(void)cur;
	if ((v = json_object_get(spec, "path")) &&
	    tcfs_endpoint_path_check(json_string_value(v), msg, msgsz))
		return -EINVAL;
	if ((v = json_object_get(spec, "method")) &&
	    !tcfs_da_in_list(json_string_value(v), methods)) {
		snprintf(msg, msgsz, "method: one of GET, POST, PUT, DELETE");
		return -EINVAL;
	}
	if ((v = json_object_get(spec, "settings"))) {
		if (!json_is_object(v)) {
			snprintf(msg, msgsz, "settings: an object");
			return -EINVAL;
		}
		if (tcfs_da_check_int(v, "timeout", 1, 60000, "settings.", msg,
				      msgsz) ||
		    tcfs_da_check_int(v, "rowLimit", 1, 2000, "settings.", msg,
				      msgsz) ||
		    tcfs_da_check_int(v, "cacheTtl", 30, 600, "settings.", msg,
				      msgsz))
			return -EINVAL;
		if ((json_object_get(v, "paginationEnabled") &&
		     !json_is_boolean(json_object_get(v, "paginationEnabled"))) ||
		    (json_object_get(v, "cacheEnabled") &&
		     !json_is_boolean(json_object_get(v, "cacheEnabled")))) {
			snprintf(msg, msgsz, "settings.paginationEnabled and "
				 "settings.cacheEnabled: true or false");
			return -EINVAL;
		}
	}
	if ((v = json_object_get(spec, "params"))) {
		if (!json_is_array(v)) {
			snprintf(msg, msgsz, "params: an array of {name, type}");
			return -EINVAL;
		}
		json_array_foreach(v, i, p) {
			const char *n = json_string_value(json_object_get(p, "name"));

			if (!n || !*n || strlen(n) > 64 ||
			    !tcfs_da_in_list(json_string_value(
						json_object_get(p, "type")),
					     param_types)) {
				snprintf(msg, msgsz, "params[%zu]: a name and a type "
					 "(string, number, integer, bool, array)", i);
				return -EINVAL;
			}
		}
	}
	if ((v = json_object_get(spec, "batchOperation")) && !json_is_boolean(v)) {
		snprintf(msg, msgsz, "batchOperation: true or false");
		return -EINVAL;
	}
	if ((v = json_object_get(spec, "tag")) &&
	    (!json_is_string(v) || json_string_length(v) > 64)) {
		snprintf(msg, msgsz, "tag: a string of at most 64 characters");
		return -EINVAL;
	}
	return 0;
}

static int app_check(json_t *spec, json_t *cur, char *msg, size_t msgsz)
{
	json_t *v;

	(void)cur;
	if ((v = json_object_get(spec, "version")) &&
	    tcfs_dataapp_version_check(json_string_value(v), msg, msgsz))
		return -EINVAL;
	if ((v = json_object_get(spec, "displayName")) &&
	    (!json_is_string(v) ||
	     tcfs_dataapp_name_check(json_string_value(v), msg, msgsz)))
		return -EINVAL;
	if ((v = json_object_get(spec, "description")) &&
	    (!json_is_string(v) || json_string_length(v) > 1000)) {
		snprintf(msg, msgsz, "description: at most 1000 characters");
		return -EINVAL;
	}
	return 0;
}

/* ---- files ---------------------------------------------------------------- */

const struct tcfs_file_desc tcfs_da_coll_files[2] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc app_files[] = {
	{ .name = "app.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "spec.json", .type = TCFS_F_SPEC, .mode = 0644 },
	{ .name = "spec.json.rejected", .type = TCFS_F_REJECTED, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "api-spec.json", .type = TCFS_F_CALL, .mode = 0444,
	  .call = TCFS_CALL(tc_desc_data_app_api_spec, 1) },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* query.sql: the sqlTemplate, one final newline added when it has none
 * (and taken off again when saved, so an editor's newline changes nothing) */
static int render_query(const struct tcfs_node *n, char **text, size_t *len,
			time_t *mtime)
{
	struct tc_error err;
	json_t *obj = NULL;
	const char *sql;
	size_t l;
	int r;

	tc_error_clear(&err);
	r = tcfs_fetch_object(tcfs_org_of(n), n, &obj, &err);
	if (r != 0) {
		struct tcfs_node dir;

		tcfs_node_dir(n, &dir);
		return tcfs_error_api(&dir, "reading query.sql", &err, 0);
	}
	if (tcfs_object_mtime(n->kind, obj))
		*mtime = tcfs_object_mtime(n->kind, obj);
	sql = tcfs_json_str_borrow(obj, "sqlTemplate");
	sql = sql ? sql : "";
	l = strlen(sql);
	*text = malloc(l + 2);
	if (!*text) {
		json_decref(obj);
		return -ENOMEM;
	}
	memcpy(*text, sql, l);
	if (l && sql[l - 1] != '\n')
		(*text)[l++] = '\n';
	(*text)[l] = '\0';
	*len = l;
	json_decref(obj);
	return 0;
}

static const struct tcfs_call ep_update_call =
	TCFS_CALL(tc_desc_data_app_endpoint_update, 1, 2);
static const struct tcfs_call ep_test_call =
	TCFS_CALL(tc_desc_data_app_endpoint_test, 1, 2);

int tcfs_query_text_check(const char *text, size_t len, char *msg, size_t msgsz)
{
	if (memchr(text, '\0', len) || !tcfs_utf8_valid(text, len)) {
		snprintf(msg, msgsz, "query.sql must be UTF-8 text without NUL "
			 "bytes");
		return -EINVAL;
	}
	return 0;
}

/* query.sql.rejected: a refused SQL text is kept, so no edit is lost. */
static int query_refused(const struct tcfs_node *dir, const char *text,
			 size_t len, int r)
{
	char dkey[TCFS_KEY_MAX], rkey[TCFS_REJECTED_KEY_MAX];

	tcfs_node_dirkey(dir, dkey, sizeof(dkey));
	tcfs_rejected_key(dkey, "query.sql.rejected", rkey, sizeof(rkey));
	tcfs_store_set(rkey, TCFS_SLOT_REJECTED, text, len);
	return r;
}

static int commit_query(const struct tcfs_node *dir, const char *text,
			size_t len)
{
	struct tcfs_org *org = tcfs_org_of(dir);
	struct tc_error err;
	json_t *obj = NULL, *body, *out = NULL;
	char msg[200];
	char *sql;
	size_t full = len;   /* what query.sql.rejected keeps */
	int r;

	if (tcfs_query_text_check(text, len, msg, sizeof(msg)) != 0) {
		tcfs_error_set(dir, "query.sql refused (nothing was sent): %s; "
			       "the text is in query.sql.rejected", msg);
		return query_refused(dir, text, len, -EINVAL);
	}
	if (len && text[len - 1] == '\n')
		len--;
	sql = strndup(text, len);
	if (!sql)
		return -ENOMEM;
	tc_error_clear(&err);
	r = tcfs_fetch_object(org, dir, &obj, &err);
	if (r != 0) {
		free(sql);
		return query_refused(dir, text, full,
				     tcfs_error_api(dir, "reading the endpoint",
						    &err, 0));
	}
	if (strcmp(sql, tcfs_json_str_borrow(obj, "sqlTemplate") ?
		   tcfs_json_str_borrow(obj, "sqlTemplate") : "") == 0) {
		json_decref(obj);
		free(sql);
		return 0;   /* unchanged: nothing to send */
	}
	json_decref(obj);
	body = json_pack("{s:s}", "sqlTemplate", sql);
	free(sql);
	if (!body)
		return -ENOMEM;
	r = tcfs_call_one(org, &ep_update_call, dir, NULL, body, &out, &err);
	json_decref(body);
	r = tcfs_finish_update(org, dir, "updating the endpoint's query.sql",
			       r, out, &err);
	json_decref(out);
	if (r == 0)
		tcfs_error_clear(dir);
	else
		query_refused(dir, text, full, r);
	return r;
}

/* The memory key of the last test answer of an endpoint directory. */
static void test_key(const struct tcfs_node *n, char *key, size_t size)
{
	char dk[TCFS_KEY_MAX];

	tcfs_node_dirkey(n, dk, sizeof(dk));
	snprintf(key, size, "endpoint-test|%s", dk);
}

static int render_test(const struct tcfs_node *n, char **text, size_t *len,
		       time_t *mtime)
{
	char key[TCFS_KEY_MAX + 32];
	time_t t = 0;

	test_key(n, key, sizeof(key));
	*text = tcfs_store_get(key, TCFS_SLOT_REJECTED, len, &t);
	if (!*text) {
		*text = strdup("");
		*len = 0;
	} else if (t) {
		*mtime = t;
	}
	return *text ? 0 : -ENOMEM;
}

int tcfs_endpoint_test_body(const char *text, size_t len, json_t **body,
			    char *msg, size_t msgsz)
{
	json_error_t je;
	json_t *args, *items, *v;
	const char *k;

	*body = NULL;
	args = len ? json_loadb(text, len, 0, &je) : json_object();
	if (!json_is_object(args)) {
		json_decref(args);
		snprintf(msg, msgsz, "test: write the arguments as one JSON "
			 "object of strings, e.g. {\"status\": \"open\"}");
		return -EINVAL;
	}
	items = json_object();
	json_object_foreach(args, k, v) {
		if (json_is_string(v)) {
			json_object_set(items, k, v);
		} else if (json_is_number(v) || json_is_boolean(v)) {
			char *s = json_dumps(v, JSON_ENCODE_ANY);

			json_object_set_new(items, k, json_string(s ? s : ""));
			free(s);
		} else {
			snprintf(msg, msgsz, "test: argument \"%.40s\" must be a "
				 "string, number or boolean", k);
			json_decref(items);
			json_decref(args);
			return -EINVAL;
		}
	}
	json_decref(args);
	*body = json_pack("{s:[{s:o}]}", "args", "items", items);
	return *body ? 0 : -ENOMEM;
}

static int commit_test(const struct tcfs_node *dir, const char *text,
		       size_t len)
{
	struct tcfs_org *org = tcfs_org_of(dir);
	char key[TCFS_KEY_MAX + 32], msg[200];
	struct tc_error err;
	json_t *body = NULL, *out = NULL;
	char *shown;
	size_t slen;
	int r;

	r = tcfs_endpoint_test_body(text, len, &body, msg, sizeof(msg));
	if (r != 0) {
		tcfs_error_set(dir, "test refused (nothing was sent): %s", msg);
		return r;
	}
	tc_error_clear(&err);
	r = tcfs_call_one(org, &ep_test_call, dir, NULL, body, &out, &err);
	json_decref(body);
	if (r != 0)
		return tcfs_error_api(dir, "testing the endpoint", &err, 0);
	shown = tcfs_render_json(out, &slen);
	json_decref(out);
	if (!shown)
		return -ENOMEM;
	test_key(dir, key, sizeof(key));
	r = tcfs_store_set(key, TCFS_SLOT_REJECTED, shown, slen);
	free(shown);
	tcfs_error_clear(dir);
	return r;
}

static const struct tcfs_file_desc ep_files[] = {
	{ .name = "endpoint.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "spec.json", .type = TCFS_F_SPEC, .mode = 0644 },
	{ .name = "spec.json.rejected", .type = TCFS_F_REJECTED, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "query.sql", .type = TCFS_F_HOOK, .mode = 0644,
	  .render = render_query, .commit = commit_query },
	{ .name = "query.sql.rejected", .type = TCFS_F_REJECTED, .mode = 0444 },
	{ .name = "test", .type = TCFS_F_HOOK, .mode = 0644,
	  .render = render_test, .commit = commit_test },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* ---- normalize: endpoint ids ---------------------------------------------- */

static void endpoint_normalize(const struct tcfs_node *n, json_t *obj)
{
	const char *name = tcfs_json_str_borrow(obj, "name");
	const char *slash = name ? strrchr(name, '/') : NULL;

	(void)n;
	if (slash && slash[1] && !json_object_get(obj, "endpointId"))
		json_object_set_new(obj, "endpointId", json_string(slash + 1));
}

/* ---- mkdir ---------------------------------------------------------------- */

char *tcfs_da_render_template(json_t *t)
{
	size_t len;
	char *text = tcfs_render_json(t, &len);

	json_decref(t);
	return text;
}

static char *apps_template(const struct tcfs_node *coll)
{
	(void)coll;
	return tcfs_da_render_template(json_pack(
		"{s:[], s:s, s:s, s:s}", "clusterIds", "appType", "DATAAPP",
		"description", "", "version", "1.0.0"));
}

int tcfs_da_only_keys(json_t *tpl, const char *const *keys, char *msg,
		      size_t msgsz)
{
	const char *k;
	json_t *v;

	if (!json_is_object(tpl)) {
		snprintf(msg, msgsz, ".template.json must be a JSON object");
		return -EINVAL;
	}
	json_object_foreach(tpl, k, v)
		if (!tcfs_da_in_list(k, keys)) {
			snprintf(msg, msgsz, ".template.json: unknown field "
				 "\"%.40s\"", k);
			return -EINVAL;
		}
	return 0;
}

int tcfs_dataapp_body(json_t *tpl, const char *name, const char *project,
		      json_t *cluster_ids, json_t **body, char *msg,
		      size_t msgsz)
{
	static const char *const keys[] = { "clusterIds", "appType",
					    "description", "version", NULL };
	json_t *v;
	const char *ver, *type;

	*body = NULL;
	if (tcfs_da_only_keys(tpl, keys, msg, msgsz) ||
	    tcfs_dataapp_name_check(name, msg, msgsz))
		return -EINVAL;
	type = json_string_value(json_object_get(tpl, "appType"));
	if (json_object_get(tpl, "appType") &&
	    !tcfs_da_in_list(type, app_types)) {
		snprintf(msg, msgsz, "appType: DATAAPP or CHAT2QUERY");
		return -EINVAL;
	}
	ver = json_string_value(json_object_get(tpl, "version"));
	if (json_object_get(tpl, "version") &&
	    tcfs_dataapp_version_check(ver, msg, msgsz))
		return -EINVAL;
	v = json_object_get(tpl, "description");
	if (v && (!json_is_string(v) || json_string_length(v) > 1000)) {
		snprintf(msg, msgsz, "description: at most 1000 characters");
		return -EINVAL;
	}
	if (json_array_size(cluster_ids) == 0) {
		snprintf(msg, msgsz, "clusterIds: name at least one cluster of "
			 "the project (name or id) in .template.json");
		return -EINVAL;
	}
	*body = json_pack("{s:s, s:s, s:O, s:s, s:s, s:s}", "projectId", project,
			  "displayName", name, "clusterIds", cluster_ids,
			  "appType", type ? type : "DATAAPP", "description",
			  v ? json_string_value(v) : "", "version",
			  ver ? ver : "1.0.0");
	return *body ? 0 : -ENOMEM;
}

static int app_body(json_t *tpl, const char *name, const struct tcfs_node *coll,
		    json_t **body, enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	json_t *ids = json_array(), *given = json_object_get(tpl, "clusterIds"), *it;
	char id[TCFS_ID_MAX];
	size_t i;
	int r = 0;

	*kind = TCFS_K_DATA_APP;
	*body = NULL;
	if (given && !json_is_array(given)) {
		snprintf(msg, msgsz, "clusterIds: an array of cluster names or ids");
		r = -EINVAL;
	}
	/* everything but the clusters first: no request for a bad template */
	if (r == 0) {
		json_t *probe = json_pack("[s]", "-");

		r = tcfs_dataapp_body(tpl, name, coll->ids[0], probe, body, msg,
				      msgsz);
		json_decref(probe);
		json_decref(*body);
		*body = NULL;
	}
	json_array_foreach(given, i, it) {
		if (r != 0)
			break;
		if (!json_is_string(it)) {
			snprintf(msg, msgsz, "clusterIds[%zu]: a cluster name or id", i);
			r = -EINVAL;
			break;
		}
		r = tcfs_da_resolve_cluster(coll, json_string_value(it), id,
					    sizeof(id), msg, msgsz);
		if (r == 0)
			json_array_append_new(ids, json_string(id));
	}
	if (r == 0)
		r = tcfs_dataapp_body(tpl, name, coll->ids[0], ids, body, msg,
				      msgsz);
	json_decref(ids);
	return r;
}

static const struct tcfs_create app_create = {
	.check_name = tcfs_dataapp_name_check,
	.template_default = apps_template,
	.body = app_body,
};

static char *endpoints_template(const struct tcfs_node *coll)
{
	(void)coll;
	return tcfs_da_render_template(json_pack(
		"{s:s, s:s, s:s, s:[], s:{s:i, s:i, s:b, s:b, s:i}, s:s, s:b, "
		"s:s, s:s}", "path", "", "method", "GET", "clusterId", "",
		"params", "settings", "timeout", 30000, "rowLimit", 50,
		"paginationEnabled", 0, "cacheEnabled", 0, "cacheTtl", 300,
		"tag", "Default", "batchOperation", 0, "sqlTemplate", "SELECT 1",
		"description", ""));
}

int tcfs_endpoint_body(json_t *tpl, const char *name, json_t **body,
		       char *msg, size_t msgsz)
{
	static const char *const keys[] = { "path", "method", "clusterId",
		"params", "settings", "tag", "batchOperation", "sqlTemplate",
		"description", NULL };
	const char *path = json_string_value(json_object_get(tpl, "path"));
	char defpath[80];
	json_t *b, *v;

	*body = NULL;
	if (tcfs_da_only_keys(tpl, keys, msg, msgsz) ||
	    tcfs_endpoint_name_check(name, msg, msgsz))
		return -EINVAL;
	if (!path || !*path) {
		snprintf(defpath, sizeof(defpath), "/%s", name);
		path = defpath;
	}
	b = json_deep_copy(tpl);
	json_object_set_new(b, "path", json_string(path));
	json_object_set_new(b, "displayName", json_string(name));
	if (!json_object_get(b, "method"))
		json_object_set_new(b, "method", json_string("GET"));
	if (tcfs_endpoint_check(b, NULL, msg, msgsz)) {
		json_decref(b);
		return -EINVAL;
	}
	v = json_object_get(b, "sqlTemplate");
	if (v && !json_is_string(v)) {
		snprintf(msg, msgsz, "sqlTemplate: a string");
		json_decref(b);
		return -EINVAL;
	}
	*body = b;
	return 0;
}

/* The app's object (its first cluster is an endpoint's default). */
static int app_object(const struct tcfs_node *coll, json_t **obj,
		      char *msg, size_t msgsz)
{
	struct tcfs_node app = *coll;
	struct tc_error err;
	int r;

	app.kind = TCFS_K_DATA_APP;
	app.what = TCFS_W_DIR;
	app.file = NULL;
	app.nids = 2;
	tc_error_clear(&err);
	r = tcfs_fetch_object_brief(tcfs_org_of(coll), &app, obj, &err);
	if (r != 0)
		snprintf(msg, msgsz, "reading the data app: %s",
			 err.message[0] ? err.message : strerror(-r));
	return r;
}

static int endpoint_body(json_t *tpl, const char *name,
			 const struct tcfs_node *coll, json_t **body,
			 enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	const char *cid;
	char id[TCFS_ID_MAX];
	json_t *app = NULL;
	int r;

	*kind = TCFS_K_DA_ENDPOINT;
	r = tcfs_endpoint_body(tpl, name, body, msg, msgsz);
	if (r != 0)
		return r;
	cid = json_string_value(json_object_get(*body, "clusterId"));
	if (cid && *cid) {
		r = tcfs_da_resolve_cluster(coll, cid, id, sizeof(id), msg,
					    msgsz);
	} else if ((r = app_object(coll, &app, msg, msgsz)) == 0) {
		cid = json_string_value(json_array_get(
			json_object_get(app, "clusterIds"), 0));
		snprintf(id, sizeof(id), "%s", cid ? cid : "");
		json_decref(app);
		if (!id[0]) {
			snprintf(msg, msgsz, "clusterId: the data app has no data "
				 "source; mkdir data-sources/CLUSTER first");
			r = -EINVAL;
		}
	}
	if (r == 0)
		json_object_set_new(*body, "clusterId", json_string(id));
	if (r != 0) {
		json_decref(*body);
		*body = NULL;
	}
	return r;
}

static const struct tcfs_create endpoint_create = {
	.check_name = tcfs_endpoint_name_check,
	.template_default = endpoints_template,
	.body = endpoint_body,
};

/* ---- spec.json ------------------------------------------------------------ */

json_t *tcfs_da_pick(json_t *obj, const char *const *keys)
{
	json_t *spec = json_object();

	for (; spec && json_is_object(obj) && *keys; keys++)
		tcfs_json_copy_field(spec, obj, *keys);
	return spec;
}

static json_t *app_spec(json_t *obj)
{
	static const char *const k[] = { "displayName", "description", "version",
					 NULL };
	return tcfs_da_pick(obj, k);
}

static json_t *endpoint_spec(json_t *obj)
{
	static const char *const k[] = { "path", "method", "params", "settings",
					 "tag", "batchOperation", NULL };
	return tcfs_da_pick(obj, k);
}

static const struct tcfs_update app_update = {
	.style = TCFS_UPDATE_FLAT,
	.call = TCFS_CALL(tc_desc_data_app_update, 1),
};
static const struct tcfs_update endpoint_update = {
	.style = TCFS_UPDATE_FLAT,
	.call = TCFS_CALL(tc_desc_data_app_endpoint_update, 1, 2),
};

/* ---- the rows ------------------------------------------------------------- */

const struct tcfs_kind_desc tcfs_row_data_apps = {
	.kind = TCFS_K_DATA_APPS, .label = "data-apps", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_PROJECT }, .nparents = 1,
	.dir_name = "data-apps", TCFS_FILES(tcfs_da_coll_files),
	.scratch_ok = 1,
	.sources = { { TCFS_K_DATA_APP, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &app_create,
};

const struct tcfs_kind_desc tcfs_row_data_app = {
	.kind = TCFS_K_DATA_APP, .label = "data app", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_DATA_APPS }, .nparents = 1,
	TCFS_FILES(app_files), .scratch_ok = 1,
	.id_key = "dataAppId", .name_key = "displayName",
	.mtime_keys = { "updatedAt", "createdAt" },
	.list = TCFS_CALL(tc_desc_data_apps_list, 0),
	.get = TCFS_CALL(tc_desc_data_app_get, 1),
	.create = TCFS_CALL0(tc_desc_data_app_create),
	.remove = TCFS_CALL(tc_desc_data_app_delete, 1),
	.spec_from = app_spec,
	.spec_schema = "{\"displayName\":\"string\",\"description\":\"string\","
		       "\"version\":\"string\"}",
	.check = app_check, .update = &app_update,
};

const struct tcfs_kind_desc tcfs_row_da_endpoints = {
	.kind = TCFS_K_DA_ENDPOINTS, .label = "endpoints", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_DATA_APP }, .nparents = 1,
	.dir_name = "endpoints", TCFS_FILES(tcfs_da_coll_files),
	.scratch_ok = 1,
	.sources = { { TCFS_K_DA_ENDPOINT, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &endpoint_create,
};

const struct tcfs_kind_desc tcfs_row_da_endpoint = {
	.kind = TCFS_K_DA_ENDPOINT, .label = "endpoint", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_DA_ENDPOINTS }, .nparents = 1,
	TCFS_FILES(ep_files), .scratch_ok = 1,
	.id_key = "endpointId", .name_key = "displayName", .state_key = "status",
	.mtime_keys = { "updatedAt", "createdAt" },
	.list = TCFS_CALL(tc_desc_data_app_endpoints_list, 1),
	.get = TCFS_CALL(tc_desc_data_app_endpoint_get, 1, 2),
	.create = TCFS_CALL(tc_desc_data_app_endpoint_create, 1),
	.remove = TCFS_CALL(tc_desc_data_app_endpoint_delete, 1, 2),
	.spec_from = endpoint_spec,
	.spec_schema = "{\"path\":\"string\",\"method\":\"string\","
		       "\"params\":\"array\",\"settings\":\"object\","
		       "\"tag\":\"string\",\"batchOperation\":\"boolean\"}",
	.check = tcfs_endpoint_check, .update = &endpoint_update,
	.normalize = endpoint_normalize,
};