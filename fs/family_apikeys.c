/*
 * family_apikeys.c — <org>/api-keys/ and api-keys/<k>/ (IAM /v1beta1/apikeys,
 * iam-v1beta1.json).
 *
 * A key is named by its displayName (by its accessKey when that is not
 * unique or not a valid file name; the accessKey always resolves).
 * api-key.json is the ApiKey the API lists (never a secretKey), id its
 * accessKey, spec.json {displayName, role, projectId} is PATCHed (the
 * changed fields; projectId 0 for an organization key). mkdir NAME creates
 * a key named NAME from .template.json {role, projectId}; the answer is the
 * only one that carries the secretKey: it is taken out of it before
 * anything caches it and shown ONCE in api-keys/<k>/secret (0400, memory
 * only, gone after its first complete read; never logged). rmdir deletes,
 * except the key this mount authenticates with: EBUSY, nothing sent.
 */
#include "tcfs.h"
#include "family_apikeys.h"
#include "log.h"
#include "store.h"
#include "validate.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_CHARS 64

static const struct tcfs_file_desc keys_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
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

static const char *const org_roles[] = { "org:owner", "org:member",
	"org:billing_admin", "org:billing_viewer", "org:audit_admin", NULL };
static const char *const project_roles[] = { "project:owner", "project:dev",
	"project:readonly", "project:ctl_plane_viewer", NULL };

#define ROLES_TEXT "org:owner, org:member, org:billing_admin, " \
	"org:billing_viewer, org:audit_admin (projectId 0) or project:owner, " \
	"project:dev, project:readonly, project:ctl_plane_viewer (a projectId)"

/* 1 org role, 2 project role, 0 none. */
static int role_kind(const char *r)
{
	for (size_t i = 0; r && org_roles[i]; i++)
		if (strcmp(r, org_roles[i]) == 0)
			return 1;
	for (size_t i = 0; r && project_roles[i]; i++)
		if (strcmp(r, project_roles[i]) == 0)
			return 2;
	return 0;
}

/* UTF-8 characters of s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int tcfs_apikey_name_check(const char *name, char *msg, size_t msgsz)
{
	size_t len = strlen(name);

	if (len < 1 || !tcfs_utf8_valid(name, len) || tcfs_has_control(name) ||
	    utf8_chars(name) > NAME_MAX_CHARS) {
		snprintf(msg, msgsz, "an API key's displayName is 1 to %d "
			 "characters of UTF-8 without control characters",
			 NAME_MAX_CHARS);
		return -EINVAL;
	}
	return 0;
}

/* projectId as given (an integer ≥ 0, or a string of digits) → *out. */
static int project_value(json_t *v, long long *out)
{
	const char *s = json_string_value(v);
	char *end;

	*out = 0;
	if (!v)
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = json_integer_value(v);
		return 0;
	}
	if (s && *s && strlen(s) <= 19 && strspn(s, "0123456789") == strlen(s)) {
		*out = strtoll(s, &end, 10);
		return 0;
	}
	return -1;
}

static int check_role_project(json_t *role, json_t *project, const char *where,
			      char *msg, size_t msgsz)
{
	int rk = role_kind(json_string_value(role));
	long long p;

	if (!rk) {
		snprintf(msg, msgsz, "%srole: one of " ROLES_TEXT, where);
		return -EINVAL;
	}
	if (project_value(project, &p) != 0) {
		snprintf(msg, msgsz, "%sprojectId: the integer id of a project, "
			 "or 0 for an organization key", where);
		return -EINVAL;
	}
	if (rk == 1 && p != 0) {
		snprintf(msg, msgsz, "%srole %s is an organization role: "
			 "projectId must be 0", where, json_string_value(role));
		return -EINVAL;
	}
	if (rk == 2 && p == 0) {
		snprintf(msg, msgsz, "%srole %s is a project role: projectId "
			 "must be the id of a project", where,
			 json_string_value(role));
		return -EINVAL;
	}
	return 0;
}

int tcfs_apikey_body(json_t *tpl, const char *name, json_t **body,
		     char *msg, size_t msgsz)
{
	const char *key;
	json_t *v;
	long long p;

	*body = NULL;
	if (!json_is_object(tpl)) {
		snprintf(msg, msgsz, ".template.json must be a JSON object");
		return -EINVAL;
	}
	json_object_foreach(tpl, key, v) {
		if (strcmp(key, "role") && strcmp(key, "projectId")) {
			snprintf(msg, msgsz, ".template.json: unknown field "
				 "\"%.40s\" (role, projectId; the name is the "
				 "displayName)", key);
			return -EINVAL;
		}
	}
	if (tcfs_apikey_name_check(name, msg, msgsz) != 0 ||
	    check_role_project(json_object_get(tpl, "role"),
			       json_object_get(tpl, "projectId"),
			       ".template.json ", msg, msgsz) != 0)
		return -EINVAL;
	project_value(json_object_get(tpl, "projectId"), &p);
	*body = json_pack("{s:s, s:s, s:I}", "displayName", name, "role",
			  json_string_value(json_object_get(tpl, "role")),
			  "projectId", (json_int_t)p);
	return *body ? 0 : -ENOMEM;
}

int tcfs_apikey_check(json_t *spec, json_t *cur, char *msg, size_t msgsz)
{
	json_t *d = json_object_get(spec, "displayName");
	json_t *role = json_object_get(spec, "role");
	json_t *p = json_object_get(spec, "projectId");

	(void)cur;
	if (d && (!json_is_string(d) ||
		  tcfs_apikey_name_check(json_string_value(d), msg, msgsz))) {
		snprintf(msg, msgsz, "displayName: 1 to %d characters of UTF-8 "
			 "without control characters", NAME_MAX_CHARS);
		return -EINVAL;
	}
	if (!role && !p)
		return 0;
	if (!role)
		role = json_object_get(cur, "role");
	if (!p)
		p = json_object_get(cur, "projectId");
	return check_role_project(role, p, "", msg, msgsz);
}

json_t *tcfs_apikey_spec(json_t *obj)
{
	json_t *spec = json_object();
	long long p = 0;

	if (!spec || !json_is_object(obj))
		return spec;
	tcfs_json_copy_field(spec, obj, "displayName");
	tcfs_json_copy_field(spec, obj, "role");
	if (project_value(json_object_get(obj, "projectId"), &p) != 0)
		p = 0;
	json_object_set_new(spec, "projectId", json_integer(p));
	return spec;
}

/* ---- mkdir ---------------------------------------------------------------- */

static char *keys_template(const struct tcfs_node *coll)
{
	json_t *t = json_pack("{s:s, s:i}", "role", "org:member", "projectId", 0);
	size_t len;
	char *text = tcfs_render_json(t, &len);

	(void)coll;
	json_decref(t);
	return text;
}

static int key_body(json_t *tpl, const char *name, const struct tcfs_node *coll,
		    json_t **body, enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	(void)coll;
	*kind = TCFS_K_API_KEY;
	return tcfs_apikey_body(tpl, name, body, msg, msgsz);
}

/* The secretKey leaves the answer (nothing caches or shows it) for
 * api-keys/<accessKey>/secret. */
static void key_answer(const struct tcfs_node *coll, const char *name,
		       json_t *out)
{
	const char *access = tcfs_json_str_borrow(out, "accessKey");
	const char *sk = tcfs_json_str_borrow(out, "secretKey");
	struct tcfs_node k = *coll;
	char key[TCFS_KEY_MAX];
	size_t n;
	char *line;

	if (sk && access && k.nids < TCFS_MAX_IDS &&
	    strlen(access) < sizeof(k.ids[0])) {
		snprintf(k.ids[k.nids], sizeof(k.ids[0]), "%s", access);
		k.kinds[k.nids] = TCFS_K_API_KEY;
		k.nids++;
		k.kind = TCFS_K_API_KEY;
		k.what = TCFS_W_DIR;
		k.file = NULL;
		tcfs_node_dirkey(&k, key, sizeof(key));
		n = strlen(sk);
		line = malloc(n + 2);
		if (line) {
			memcpy(line, sk, n);
			line[n] = '\n';
			line[n + 1] = '\0';
			if (tcfs_store_set(key, TCFS_SLOT_SECRET, line, n + 1) == 0)
				tcfs_log(LOG_INFO, "api-keys/%s/secret can be read "
					 "once", name);
			explicit_bzero(line, n + 1);
			free(line);
		}
	}
	if (sk)   /* wipe the answer's copy, then drop it */
		explicit_bzero((char *)(uintptr_t)sk, strlen(sk));
	json_object_del(out, "secretKey");
}

static const struct tcfs_create key_create = {
	.check_name = tcfs_apikey_name_check,
	.template_default = keys_template,
	.body = key_body,
	.answer = key_answer,
};

/* ---- rmdir: never the mount's own key -------------------------------- */

static int key_remove_check(const struct tcfs_node *res, char *msg, size_t msgsz)
{
	struct tcfs_org *org = tcfs_org_of(res);
	const char *mine = org ? tc_client_public_key(org->client) : NULL;
	const char *id = tcfs_node_id(res);

	if (mine && id && strcmp(mine, id) == 0) {
		snprintf(msg, msgsz, "API key %s is the key this mount "
			 "authenticates with: deleting it would cut the mount "
			 "off (delete it from another key or the console)", id);
		return -EBUSY;
	}
	return 0;
}

/* ---- spec.json ------------------------------------------------------------ */

static const char key_schema[] =
	"{\"displayName\":\"string\",\"role\":\"string\","
	"\"projectId\":\"integer|string\"}";

static const struct tcfs_update key_update = {
	.style = TCFS_UPDATE_FLAT,
	.call = TCFS_CALL(tc_desc_apikey_update, 0),
};

/* ---- the rows ------------------------------------------------------------- */

const struct tcfs_kind_desc tcfs_row_api_keys = {
	.kind = TCFS_K_API_KEYS, .label = "api-keys", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_ORG }, .nparents = 1,
	.dir_name = "api-keys", TCFS_FILES(keys_files), .scratch_ok = 1,
	.sources = { { TCFS_K_API_KEY, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &key_create,
};

/* ids: 0 the key's accessKey */
const struct tcfs_kind_desc tcfs_row_api_key = {
	.kind = TCFS_K_API_KEY, .label = "API key", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_API_KEYS }, .nparents = 1,
	TCFS_FILES(key_files), .scratch_ok = 1,
	.id_key = "accessKey", .name_key = "displayName",
	.list = TCFS_CALL0(tc_desc_apikeys_list),
	.get = TCFS_CALL(tc_desc_apikey_get, 0),
	.create = TCFS_CALL0(tc_desc_apikey_create),
	.remove = TCFS_CALL(tc_desc_apikey_delete, 0),
	.remove_check = key_remove_check,
	.spec_from = tcfs_apikey_spec, .spec_schema = key_schema,
	.check = tcfs_apikey_check, .update = &key_update,
};
