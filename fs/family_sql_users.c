/*
 * family_sql_users.c — clusters/<c>/sql-users/ and sql-users/<u>/ (IAM
 * /v1beta1/clusters/{c}/sqlUsers, any kind of cluster).
 *
 * A user is named by its userName (which is also its id in the API's
 * paths). user.json, id, spec.json {builtinRole, customRoles, password}
 * (the PATCH the API takes; the password is never returned, so it is only
 * there when written), rmdir deletes. mkdir NAME creates from
 * .template.json {builtinRole, customRoles, authMethod[, password]}; on a
 * Starter / Essential cluster NAME must start with the cluster's
 * "<userPrefix>." (the API's rule; the refusal names the directory to make).
 * Without a password in the template the mount generates one and shows it
 * ONCE in sql-users/<u>/password (0400, memory only, gone after its first
 * complete read). spec.json may hold a password: a refused text is not
 * kept in spec.json.rejected, and no message quotes it.
 */
#include "tcfs.h"
#include "family_sql_users.h"
#include "log.h"
#include "store.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define SQL_NAME_MAX 32
#define PW_MIN 8
#define PW_MAX 64

static const struct tcfs_file_desc users_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc user_files[] = {
	{ .name = "user.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "spec.json", .type = TCFS_F_SPEC, .mode = 0644 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "password", .type = TCFS_F_SECRET, .mode = 0400 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const char *const roles[] = {
	"role_admin", "role_readwrite", "role_readonly", NULL
};

/* ---- rules ---------------------------------------------------------------- */

int tcfs_sql_user_name_check(const char *name, char *msg, size_t msgsz)
{
	size_t len = strlen(name);

	if (len < 1 || len > SQL_NAME_MAX || !tcfs_utf8_valid(name, len) ||
	    tcfs_has_control(name) || strpbrk(name, "/:@'\"` ")) {
		snprintf(msg, msgsz, "a SQL user name is 1 to %d bytes of UTF-8 "
			 "(with the cluster's prefix) without control "
			 "characters, spaces or any of / : @ ' \" `",
			 SQL_NAME_MAX);
		return -EINVAL;
	}
	return 0;
}

int tcfs_sql_user_prefix_check(const char *name, const char *prefix,
			       char *msg, size_t msgsz)
{
	size_t pl = prefix ? strlen(prefix) : 0;

	if (pl == 0)
		return 0;
	if (strncmp(name, prefix, pl) != 0 || name[pl] != '.' || !name[pl + 1]) {
		snprintf(msg, msgsz, "on this cluster a SQL user name starts "
			 "with its userPrefix \"%.40s.\": mkdir sql-users/%.40s.%.32s",
			 prefix, prefix, name);
		return -EINVAL;
	}
	return 0;
}

static int role_ok(const char *r)
{
	const char *dot = r ? strrchr(r, '.') : NULL;

	if (!r)
		return 0;
	if (dot)   /* "<prefix>.role_x", as the API answers on Starter */
		r = dot + 1;
	for (size_t i = 0; roles[i]; i++)
		if (strcmp(r, roles[i]) == 0)
			return 1;
	return 0;
}

static int check_roles(json_t *v, char *msg, size_t msgsz)
{
	size_t i;
	json_t *it;

	if (!json_is_array(v)) {
		snprintf(msg, msgsz, "customRoles: an array of role names");
		return -EINVAL;
	}
	json_array_foreach(v, i, it) {
		const char *s = json_string_value(it);

		if (!s || !*s || strlen(s) > 64 || tcfs_has_control(s) ||
		    !tcfs_utf8_valid(s, strlen(s))) {
			snprintf(msg, msgsz, "customRoles[%zu]: a role name of 1 "
				 "to 64 characters", i);
			return -EINVAL;
		}
	}
	return 0;
}

/* Never quotes the value. */
static int check_password(json_t *v, const char *where, char *msg, size_t msgsz)
{
	const char *s = json_string_value(v);
	size_t len = s ? strlen(s) : 0;

	if (!s || len < PW_MIN || len > PW_MAX || tcfs_has_control(s) ||
	    !tcfs_utf8_valid(s, len)) {
		snprintf(msg, msgsz, "%spassword: a string of %d to %d characters "
			 "without control characters (value not shown)", where,
			 PW_MIN, PW_MAX);
		return -EINVAL;
	}
	return 0;
}

int tcfs_sql_user_body(json_t *tpl, const char *name, const char *password,
		       json_t **body, char *msg, size_t msgsz)
{
	const char *key, *role, *am;
	json_t *v, *b;

	*body = NULL;
	if (!json_is_object(tpl)) {
		snprintf(msg, msgsz, ".template.json must be a JSON object");
		return -EINVAL;
	}
	json_object_foreach(tpl, key, v) {
		if (strcmp(key, "builtinRole") && strcmp(key, "customRoles") &&
		    strcmp(key, "authMethod") && strcmp(key, "password")) {
			snprintf(msg, msgsz, ".template.json: unknown field \"%.40s\" "
				 "(builtinRole, customRoles, authMethod, password)",
				 key);
			return -EINVAL;
		}
	}
	role = json_string_value(json_object_get(tpl, "builtinRole"));
	if (!role_ok(role)) {
		snprintf(msg, msgsz, "builtinRole: one of role_admin, "
			 "role_readwrite, role_readonly");
		return -EINVAL;
	}
	v = json_object_get(tpl, "customRoles");
	if (v && check_roles(v, msg, msgsz) != 0)
		return -EINVAL;
	v = json_object_get(tpl, "authMethod");
	am = json_string_value(v);
	if (v && (!am || strcmp(am, "mysql_native_password") != 0)) {
		snprintf(msg, msgsz, "authMethod: mysql_native_password");
		return -EINVAL;
	}
	if (!password) {
		v = json_object_get(tpl, "password");
		if (check_password(v, ".template.json ", msg, msgsz) != 0)
			return -EINVAL;
		password = json_string_value(v);
	}
	b = json_pack("{s:s, s:s, s:s, s:s}", "userName", name, "builtinRole",
		      role, "authMethod", am ? am : "mysql_native_password",
		      "password", password);
	if (!b)
		return -ENOMEM;
	v = json_object_get(tpl, "customRoles");
	if (v)
		json_object_set(b, "customRoles", v);
	*body = b;
	return 0;
}

int tcfs_sql_user_check(json_t *spec, json_t *cur, char *msg, size_t msgsz)
{
	json_t *v = json_object_get(spec, "builtinRole");

	if (v && !(cur && json_equal(v, json_object_get(cur, "builtinRole"))) &&
	    !role_ok(json_string_value(v))) {
		snprintf(msg, msgsz, "builtinRole: one of role_admin, "
			 "role_readwrite, role_readonly");
		return -EINVAL;
	}
	v = json_object_get(spec, "customRoles");
	if (v && !(cur && json_equal(v, json_object_get(cur, "customRoles"))) &&
	    check_roles(v, msg, msgsz) != 0)
		return -EINVAL;
	v = json_object_get(spec, "password");
	if (v && check_password(v, "", msg, msgsz) != 0)
		return -EINVAL;
	return 0;
}

/* ---- the generated password ----------------------------------------------- */

static const char pw_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

int tcfs_sql_password_generate(char *out, size_t size)
{
	const unsigned n = sizeof(pw_alphabet) - 1;           /* 62 */
	const unsigned limit = 256 - 256 % n;                 /* 248 */
	unsigned char r[64];

	if (size < TCFS_SQL_PW_LEN + 1)
		return -EINVAL;
	for (int tries = 0; tries < 100; tries++) {
		size_t k = 0;
		int up = 0, lo = 0, dig = 0;

		while (k < TCFS_SQL_PW_LEN) {
			if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
				explicit_bzero(r, sizeof(r));
				explicit_bzero(out, size);
				return -EIO;
			}
			for (size_t i = 0; i < sizeof(r) && k < TCFS_SQL_PW_LEN; i++)
				if (r[i] < limit)
					out[k++] = pw_alphabet[r[i] % n];
		}
		out[k] = '\0';
		for (size_t i = 0; i < k; i++) {
			up |= out[i] >= 'A' && out[i] <= 'Z';
			lo |= out[i] >= 'a' && out[i] <= 'z';
			dig |= out[i] >= '0' && out[i] <= '9';
		}
		if (up && lo && dig) {
			explicit_bzero(r, sizeof(r));
			return 0;
		}
	}
	explicit_bzero(r, sizeof(r));
	explicit_bzero(out, size);
	return -EIO;
}

/* ---- mkdir ---------------------------------------------------------------- */

static char *users_template(const struct tcfs_node *coll)
{
	json_t *t = json_pack("{s:s, s:[], s:s}", "builtinRole", "role_readonly",
			      "customRoles", "authMethod", "mysql_native_password");
	size_t len;
	char *text = tcfs_render_json(t, &len);

	(void)coll;
	json_decref(t);
	return text;
}

/* The directory key of user `name` in collection coll, and the key the
 * generated password waits under until the create answers. */
static void user_keys(const struct tcfs_node *coll, const char *name,
		      char *key, char *pending, size_t size)
{
	struct tcfs_node u = *coll;

	if (u.nids < TCFS_MAX_IDS) {
		snprintf(u.ids[u.nids], sizeof(u.ids[0]), "%s", name);
		u.kinds[u.nids] = TCFS_K_SQL_USER;
		u.nids++;
	}
	u.kind = TCFS_K_SQL_USER;
	u.what = TCFS_W_DIR;
	u.file = NULL;
	tcfs_node_dirkey(&u, key, size);
	snprintf(pending, size, "pending-secret|%s", key);
}

/* The cluster's userPrefix (Starter / Essential) from its object or list
 * item (usually cached: no request). */
static int cluster_prefix(const struct tcfs_node *coll, char *out, size_t size,
			  char *msg, size_t msgsz)
{
	struct tcfs_node cl = *coll;
	struct tc_error err;
	json_t *obj = NULL;
	const char *p;
	int r;

	out[0] = '\0';
	if (tcfs_node_owner(coll) != TCFS_K_SLS_CLUSTER)
		return 0;
	cl.kind = TCFS_K_SLS_CLUSTER;
	cl.what = TCFS_W_DIR;
	cl.file = NULL;
	tc_error_clear(&err);
	r = tcfs_fetch_object_brief(tcfs_org_of(coll), &cl, &obj, &err);
	if (r != 0) {
		snprintf(msg, msgsz, "reading the cluster's userPrefix: %s",
			 err.message[0] ? err.message : strerror(-r));
		return r;
	}
	p = tcfs_json_str_borrow(obj, "userPrefix");
	snprintf(out, size, "%s", p ? p : "");
	json_decref(obj);
	return 0;
}

static int user_body(json_t *tpl, const char *name,
		     const struct tcfs_node *coll, json_t **body,
		     enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	char prefix[64], key[TCFS_KEY_MAX], pending[TCFS_KEY_MAX + 32];
	char pw[TCFS_SQL_PW_LEN + 2];
	int gen = json_is_object(tpl) && !json_object_get(tpl, "password");
	int r;

	*body = NULL;
	*kind = TCFS_K_SQL_USER;
	r = cluster_prefix(coll, prefix, sizeof(prefix), msg, msgsz);
	if (r == 0)
		r = tcfs_sql_user_prefix_check(name, prefix, msg, msgsz);
	if (r != 0)
		return r;
	if (gen && tcfs_sql_password_generate(pw, sizeof(pw)) != 0) {
		snprintf(msg, msgsz, "no random bytes for a password");
		return -EIO;
	}
	r = tcfs_sql_user_body(tpl, name, gen ? pw : NULL, body, msg, msgsz);
	if (r == 0 && gen) {
		user_keys(coll, name, key, pending, sizeof(key));
		size_t n = strlen(pw);

		pw[n] = '\n';   /* the file holds one line */
		r = tcfs_store_set(pending, TCFS_SLOT_SECRET, pw, n + 1);
	}
	explicit_bzero(pw, sizeof(pw));
	if (r != 0) {
		json_decref(*body);
		*body = NULL;
	}
	return r;
}

/* The generated password moves to sql-users/<u>/password when the user
 * was created, and is wiped otherwise. */
static void user_done(const struct tcfs_node *coll, const char *name, int r)
{
	char key[TCFS_KEY_MAX], pending[TCFS_KEY_MAX + 32];
	size_t len = 0;
	char *pw;

	user_keys(coll, name, key, pending, sizeof(key));
	pw = tcfs_store_get(pending, TCFS_SLOT_SECRET, &len, NULL);
	tcfs_store_clear(pending, TCFS_SLOT_SECRET);
	if (!pw)
		return;
	if (r == 0) {
		tcfs_store_set(key, TCFS_SLOT_SECRET, pw, len);
		tcfs_log(LOG_INFO, "sql-users/%s/password can be read once", name);
	}
	explicit_bzero(pw, len);
	free(pw);
}

static const struct tcfs_create user_create = {
	.check_name = tcfs_sql_user_name_check,
	.template_default = users_template,
	.body = user_body,
	.done = user_done,
};

/* ---- spec.json ------------------------------------------------------------ */

static const char user_schema[] =
	"{\"builtinRole\":\"string\",\"customRoles\":[\"string\"],"
	"\"password\":\"string\"}";

static json_t *user_spec(json_t *obj)
{
	json_t *spec = json_object();

	if (!spec || !json_is_object(obj))
		return spec;
	tcfs_json_copy_field(spec, obj, "builtinRole");
	if (json_is_array(json_object_get(obj, "customRoles")))
		tcfs_json_copy_field(spec, obj, "customRoles");
	else
		json_object_set_new(spec, "customRoles", json_array());
	return spec;
}

static const struct tcfs_update user_update = {
	.style = TCFS_UPDATE_FLAT,
	.call = TCFS_CALL(tc_desc_sql_user_update, 1, 2),
};

/* ---- the rows ------------------------------------------------------------- */

const struct tcfs_kind_desc tcfs_row_sql_users = {
	.kind = TCFS_K_SQL_USERS, .label = "sql-users", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_SLS_CLUSTER, TCFS_K_DED_CLUSTER }, .nparents = 2,
	.dir_name = "sql-users", TCFS_FILES(users_files), .scratch_ok = 1,
	.sources = { { TCFS_K_SQL_USER, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &user_create,
};

/* ids: 0 project, 1 cluster, 2 user name */
const struct tcfs_kind_desc tcfs_row_sql_user = {
	.kind = TCFS_K_SQL_USER, .label = "sql user", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_SQL_USERS }, .nparents = 1,
	TCFS_FILES(user_files), .scratch_ok = 1,
	.id_key = "userName", .name_key = NULL,
	.list = TCFS_CALL(tc_desc_sql_users_list, 1),
	.get = TCFS_CALL(tc_desc_sql_user_get, 1, 2),
	.create = TCFS_CALL(tc_desc_sql_user_create, 1),
	.remove = TCFS_CALL(tc_desc_sql_user_delete, 1, 2),
	.spec_from = user_spec, .spec_schema = user_schema,
	.check = tcfs_sql_user_check, .update = &user_update,
	.spec_secret = 1,
};
