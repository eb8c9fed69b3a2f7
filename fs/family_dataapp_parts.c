/*
 * family_dataapp_parts.c — what a Data App holds besides its endpoints
 * (family_dataapps.c): its api-keys/, data-sources/ and deployments/
 * collections and their rows, files, mkdir bodies and spec.json.
 *
 *   <app>/api-keys/<k>/         api-key.json, spec.json {description, role,
 *                               rateLimitRpm}, secret (the private key,
 *                               once, after mkdir)
 *   <app>/data-sources/<c>/     data-source.json (mkdir CLUSTER links it)
 *   <app>/deployments/<d>/      deployment.json, state (mkdir deploys)
 *
 * Keys and deployments are named by description, data sources by the
 * cluster's name (all with the id as alias). A key's privateKey comes only
 * in the create answer: `normalize` moves it into memory
 * (api-keys/<k>/secret, 0400, gone after its first complete read) and
 * masks it in what the cache keeps. Here too: the project's clusters by
 * name or id, which a data source, an app's clusterIds and an endpoint's
 * clusterId name (tcfs_da_resolve_cluster).
 */
#include "tcfs.h"
#include "family_dataapps.h"
#include "family_dataapps_int.h"
#include "log.h"
#include "store.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roles[] = { "READ_AND_WRITE", "READ_ONLY", NULL };

/* ---- the published rules (pure) ------------------------------------------ */

int tcfs_dataapp_key_check(json_t *spec, json_t *cur, char *msg, size_t msgsz)
{
	json_t *v;

	(void)cur;
	if ((v = json_object_get(spec, "role")) &&
	    !tcfs_da_in_list(json_string_value(v), roles)) {
		snprintf(msg, msgsz, "role: READ_AND_WRITE or READ_ONLY");
		return -EINVAL;
	}
	if (tcfs_da_check_int(spec, "rateLimitRpm", 1, 1000, "", msg, msgsz))
		return -EINVAL;
	if ((v = json_object_get(spec, "description")) &&
	    (!json_is_string(v) || json_string_length(v) > 256)) {
		snprintf(msg, msgsz, "description: at most 256 characters");
		return -EINVAL;
	}
	return 0;
}

/* ---- clusters of the project, by name or id (a cached listing) ----------- */

int tcfs_da_resolve_cluster(const struct tcfs_node *n, const char *want,
			    char *id, size_t idsz, char *msg, size_t msgsz)
{
	struct tcfs_node cl = { 0 };
	struct tcfs_children ch = { 0 };
	struct tc_error err;
	int r, found = 0;

	cl.org = n->org;
	cl.kind = TCFS_K_CLUSTERS;
	cl.nids = 1;
	snprintf(cl.ids[0], sizeof(cl.ids[0]), "%s", n->ids[0]);
	cl.kinds[0] = TCFS_K_PROJECT;
	cl.what = TCFS_W_DIR;
	tc_error_clear(&err);
	r = tcfs_fetch_children(tcfs_org_of(n), &cl, &ch, &err);
	if (r != 0) {
		snprintf(msg, msgsz, "listing the project's clusters: %s",
			 err.message[0] ? err.message : strerror(-r));
		return r;
	}
	for (size_t i = 0; i < ch.n && !found; i++)
		if (strcmp(ch.v[i].name, want) == 0 ||
		    strcmp(ch.v[i].id, want) == 0) {
			snprintf(id, idsz, "%s", ch.v[i].id);
			found = 1;
		}
	tcfs_children_release(&ch);
	if (!found) {
		snprintf(msg, msgsz, "no cluster \"%.64s\" in this project "
			 "(a name or id of projects/<p>/clusters/)", want);
		return -EINVAL;
	}
	return 0;
}

/* ---- files ---------------------------------------------------------------- */

static const struct tcfs_file_desc plain_coll_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc key_files[] = {
	{ .name = "api-key.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "spec.json", .type = TCFS_F_SPEC, .mode = 0644 },
	{ .name = "spec.json.rejected", .type = TCFS_F_REJECTED, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "secret", .type = TCFS_F_SECRET, .mode = 0400 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc source_files[] = {
	{ .name = "data-source.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc dep_files[] = {
	{ .name = "deployment.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* ---- normalize: key secrets ---------------------------------------------- */

static void key_normalize(const struct tcfs_node *n, json_t *obj)
{
	const char *priv = tcfs_json_str_borrow(obj, "privateKey");
	const char *id = tcfs_json_str_borrow(obj, "apiKeyId");
	struct tcfs_node k;
	char key[TCFS_KEY_MAX], masked[16], *line;
	size_t l;

	if (!priv || !*priv || priv[0] == '*')
		return;   /* the API masks it in every later answer */
	l = strlen(priv);
	snprintf(masked, sizeof(masked), "********%s", l > 4 ? priv + l - 4 : "");
	/* the create answer: n is the collection api-keys/ */
	if (id && n->kind == TCFS_K_DA_KEYS && n->nids < TCFS_MAX_IDS &&
	    (line = malloc(l + 2))) {
		k = *n;
		snprintf(k.ids[k.nids], sizeof(k.ids[0]), "%s", id);
		k.kinds[k.nids] = TCFS_K_DA_KEY;
		k.nids++;
		k.kind = TCFS_K_DA_KEY;
		k.what = TCFS_W_DIR;
		k.file = NULL;
		tcfs_node_dirkey(&k, key, sizeof(key));
		memcpy(line, priv, l);
		line[l] = '\n';
		tcfs_store_set(key, TCFS_SLOT_SECRET, line, l + 1);
		explicit_bzero(line, l + 2);
		free(line);
		tcfs_log(LOG_INFO, "api-keys/%s/secret can be read once", id);
	}
	json_object_set_new(obj, "privateKey", json_string(masked));
}

/* ---- mkdir ---------------------------------------------------------------- */

static int key_name_check(const char *name, char *msg, size_t msgsz)
{
	size_t n = strlen(name);

	if (n < 1 || n > 256 || !tcfs_utf8_valid(name, n) ||
	    tcfs_has_control(name)) {
		snprintf(msg, msgsz, "a key's name is its description: 1 to 256 "
			 "characters without control characters");
		return -EINVAL;
	}
	return 0;
}

static char *keys_template(const struct tcfs_node *coll)
{
	(void)coll;
	return tcfs_da_render_template(json_pack("{s:s, s:i}", "role",
						 "READ_ONLY", "rateLimitRpm",
						 100));
}

int tcfs_dataapp_key_body(json_t *tpl, const char *name, json_t **body,
			  char *msg, size_t msgsz)
{
	static const char *const keys[] = { "role", "rateLimitRpm",
					    "apiKeyExpireSetting", NULL };
	json_t *b;

	*body = NULL;
	if (tcfs_da_only_keys(tpl, keys, msg, msgsz) ||
	    key_name_check(name, msg, msgsz) ||
	    tcfs_dataapp_key_check(tpl, NULL, msg, msgsz))
		return -EINVAL;
	b = json_deep_copy(tpl);
	json_object_set_new(b, "description", json_string(name));
	if (!json_object_get(b, "role"))
		json_object_set_new(b, "role", json_string("READ_ONLY"));
	if (!json_object_get(b, "rateLimitRpm"))
		json_object_set_new(b, "rateLimitRpm", json_integer(100));
	*body = b;
	return 0;
}

static int key_body(json_t *tpl, const char *name, const struct tcfs_node *coll,
		    json_t **body, enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	(void)coll;
	*kind = TCFS_K_DA_KEY;
	return tcfs_dataapp_key_body(tpl, name, body, msg, msgsz);
}

static const struct tcfs_create key_create = {
	.check_name = key_name_check,
	.template_default = keys_template,
	.body = key_body,
};

static int source_name_check(const char *name, char *msg, size_t msgsz)
{
	size_t n = strlen(name);

	if (n < 1 || n > 128 || tcfs_has_control(name)) {
		snprintf(msg, msgsz, "mkdir data-sources/CLUSTER: a cluster name "
			 "or id of the project");
		return -EINVAL;
	}
	return 0;
}

static int source_body(json_t *tpl, const char *name,
		       const struct tcfs_node *coll, json_t **body,
		       enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	char id[TCFS_ID_MAX];
	int r;

	(void)tpl;
	*kind = TCFS_K_DA_SOURCE;
	*body = NULL;
	r = tcfs_da_resolve_cluster(coll, name, id, sizeof(id), msg, msgsz);
	if (r == 0 && !(*body = json_pack("{s:s}", "clusterId", id)))
		r = -ENOMEM;
	return r;
}

static const struct tcfs_create source_create = {
	.check_name = source_name_check,
	.body = source_body,
};

static char *deployments_template(const struct tcfs_node *coll)
{
	(void)coll;
	return tcfs_da_render_template(json_pack("{s:s}", "description", ""));
}

static int dep_body(json_t *tpl, const char *name, const struct tcfs_node *coll,
		    json_t **body, enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	static const char *const keys[] = { "description", NULL };
	json_t *d = json_object_get(tpl, "description");

	(void)coll;
	*kind = TCFS_K_DA_DEPLOYMENT;
	*body = NULL;
	if (tcfs_da_only_keys(tpl, keys, msg, msgsz))
		return -EINVAL;
	if (d && (!json_is_string(d) || json_string_length(d) > 1000)) {
		snprintf(msg, msgsz, "description: at most 1000 characters");
		return -EINVAL;
	}
	*body = json_pack("{s:s}", "description",
			  d && json_string_length(d) ? json_string_value(d) : name);
	return *body ? 0 : -ENOMEM;
}

/* A deployment deploys every endpoint of the app: the app's endpoints/
 * (a sibling collection, tcfs_node_ancestor of deployments/) is listed
 * again after it, so their `state` says deployed at once. */
static const struct tcfs_create dep_create = {
	.check_name = key_name_check,
	.template_default = deployments_template,
	.body = dep_body,
	.relist = TCFS_K_DA_ENDPOINTS,
};

/* ---- spec.json ------------------------------------------------------------ */

static json_t *key_spec(json_t *obj)
{
	static const char *const k[] = { "description", "role", "rateLimitRpm",
					 NULL };
	return tcfs_da_pick(obj, k);
}

static const struct tcfs_update key_update = {
	.style = TCFS_UPDATE_FLAT,
	.call = TCFS_CALL(tc_desc_data_app_key_update, 1, 2),
};

/* ---- the rows ------------------------------------------------------------- */

const struct tcfs_kind_desc tcfs_row_da_keys = {
	.kind = TCFS_K_DA_KEYS, .label = "api-keys", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_DATA_APP }, .nparents = 1,
	.dir_name = "api-keys", TCFS_FILES(tcfs_da_coll_files),
	.scratch_ok = 1,
	.sources = { { TCFS_K_DA_KEY, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &key_create,
};

const struct tcfs_kind_desc tcfs_row_da_key = {
	.kind = TCFS_K_DA_KEY, .label = "data app key", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_DA_KEYS }, .nparents = 1,
	TCFS_FILES(key_files), .scratch_ok = 1,
	.id_key = "apiKeyId", .name_key = "description",
	.list = TCFS_CALL(tc_desc_data_app_keys_list, 1),
	.get = TCFS_CALL(tc_desc_data_app_key_get, 1, 2),
	.create = TCFS_CALL(tc_desc_data_app_key_create, 1),
	.remove = TCFS_CALL(tc_desc_data_app_key_delete, 1, 2),
	.spec_from = key_spec,
	.spec_schema = "{\"description\":\"string\",\"role\":\"string\","
		       "\"rateLimitRpm\":\"integer\"}",
	.check = tcfs_dataapp_key_check, .update = &key_update,
	.normalize = key_normalize,
};

const struct tcfs_kind_desc tcfs_row_da_sources = {
	.kind = TCFS_K_DA_SOURCES, .label = "data-sources",
	.cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_DATA_APP }, .nparents = 1,
	.dir_name = "data-sources", TCFS_FILES(plain_coll_files),
	.sources = { { TCFS_K_DA_SOURCE, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &source_create,
};

const struct tcfs_kind_desc tcfs_row_da_source = {
	.kind = TCFS_K_DA_SOURCE, .label = "data source", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_DA_SOURCES }, .nparents = 1,
	TCFS_FILES(source_files),
	.id_key = "clusterId", .name_key = "clusterDisplay",
	.mtime_keys = { "createdAt" },
	.list = TCFS_CALL(tc_desc_data_app_sources_list, 1),
	.get = TCFS_CALL(tc_desc_data_app_source_get, 1, 2),
	.create = TCFS_CALL(tc_desc_data_app_source_create, 1),
	.remove = TCFS_CALL(tc_desc_data_app_source_delete, 1, 2),
};

const struct tcfs_kind_desc tcfs_row_da_deployments = {
	.kind = TCFS_K_DA_DEPLOYMENTS, .label = "deployments",
	.cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_DATA_APP }, .nparents = 1,
	.dir_name = "deployments", TCFS_FILES(tcfs_da_coll_files),
	.scratch_ok = 1,
	.sources = { { TCFS_K_DA_DEPLOYMENT, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &dep_create,
};

const struct tcfs_kind_desc tcfs_row_da_deployment = {
	.kind = TCFS_K_DA_DEPLOYMENT, .label = "deployment", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_DA_DEPLOYMENTS }, .nparents = 1,
	TCFS_FILES(dep_files),
	.id_key = "deploymentId", .name_key = "description", .state_key = "status",
	.mtime_keys = { "createdAt" },
	.list = TCFS_CALL(tc_desc_data_app_deployments_list, 1),
	.get = TCFS_CALL(tc_desc_data_app_deployment_get, 1, 2),
	.create = TCFS_CALL(tc_desc_data_app_deployment_create, 1),
	.remove_refusal = "a deployment is history: it cannot be deleted",
	/* a deployment makes every endpoint deployed: dep_create.relist */
};