/*
 * family_restores.c — restoring a backup into a new cluster.
 *
 * Dedicated (v1beta /projects/{p}/restores): projects/<p>/restores/ lists
 * the project's restore tasks, each named by the name of the cluster it
 * restores into (cluster.name; the id always resolves), with restore.json,
 * id, state (the task's status PENDING → RUNNING → SUCCESS | FAILED), wait
 * and .error. mkdir restores/NAME restores the backup `backup_id` of
 * restores/.template.json into a new Dedicated cluster NAME with the
 * template's `config` (root_password, port, components: the body of
 * CreateRestoreTask); the new cluster is in clusters/ at once (its
 * listing is dropped). A restore task cannot be deleted.
 *
 * Starter / Essential (serverless POST /v1beta1/clusters:restore): the API
 * takes no name for the new cluster (it names it itself, the emulator
 * "<source>-restore-NNNN"), so the verbs take none: `restore` in the ctl of
 * a backup (snapshot {backupId}) and `restore TIMESTAMP` in the ctl of a
 * cluster (pointInTime {clusterId, backupTime}, RFC 3339, checked here).
 * Both drop the project's clusters/ listing: the new cluster shows at once
 * under the name the API gave it.
 */
#include "tcfs.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct tcfs_file_desc restores_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc restore_files[] = {
	{ .name = "restore.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "wait", .type = TCFS_F_WAIT, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* ---- Dedicated: mkdir restores/NAME -------------------------------------- */

/* v1beta CreateRestoreTask `name`: the cluster name pattern. */
static int check_restore_name(const char *name, char *msg, size_t msgsz)
{
	return tcfs_valid_cluster_name(name, "name", msg, msgsz);
}

/* The spec's own fields (CreateRestoreTask): backup_id, then config with
 * the new cluster's root password, port and node settings (the spec's
 * example sizes; a restore only goes to the same or larger nodes). */
static char *restores_template(const struct tcfs_node *coll)
{
	json_t *t = json_pack("{s:s, s:{s:s, s:i, s:{s:{s:s, s:i},"
			      " s:{s:s, s:i, s:i}}}}",
			      "backup_id", "",
			      "config", "root_password", "", "port", 4000,
			      "components",
			      "tidb", "node_size", "8C16G", "node_quantity", 2,
			      "tikv", "node_size", "8C32G",
			      "storage_size_gib", 1024, "node_quantity", 3);
	size_t len;
	char *text = tcfs_render_json(t, &len);

	(void)coll;
	json_decref(t);
	return text;
}

/* A component of config.components: an object whose node_quantity and
 * storage_size_gib, when present, are positive integers. */
static int check_component(json_t *comps, const char *name, char *msg,
			   size_t msgsz)
{
	json_t *c = json_object_get(comps, name);
	static const char *const ints[] = { "node_quantity", "storage_size_gib" };

	if (!c)
		return 0;
	if (!json_is_object(c)) {
		snprintf(msg, msgsz, "config.components.%s must be an object", name);
		return -EINVAL;
	}
	if (json_object_get(c, "node_size") &&
	    !json_is_string(json_object_get(c, "node_size"))) {
		snprintf(msg, msgsz, "config.components.%s.node_size must be a "
			 "string such as \"8C16G\"", name);
		return -EINVAL;
	}
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(c, ints[i]);

		if (v && (!json_is_integer(v) || json_integer_value(v) < 1)) {
			snprintf(msg, msgsz, "config.components.%s.%s must be a "
				 "positive integer", name, ints[i]);
			return -EINVAL;
		}
	}
	if (strcmp(name, "tikv") == 0 && json_object_get(c, "node_quantity") &&
	    json_integer_value(json_object_get(c, "node_quantity")) % 3) {
		snprintf(msg, msgsz, "config.components.tikv.node_quantity must "
			 "be a multiple of 3");
		return -EINVAL;
	}
	return 0;
}

/* config: root_password 8..64 (required), port 1024..65535 but 10080,
 * components {tidb, tikv, tiflash}. The password is never quoted. */
static int check_config(json_t *cfg, char *msg, size_t msgsz)
{
	json_t *pw = json_object_get(cfg, "root_password");
	json_t *port = json_object_get(cfg, "port");
	json_t *comps = json_object_get(cfg, "components");
	size_t len;

	if (!json_is_object(cfg)) {
		snprintf(msg, msgsz, "config must be an object with "
			 "root_password (and port, components)");
		return -EINVAL;
	}
	len = json_is_string(pw) ? json_string_length(pw) : 0;
	if (!json_is_string(pw) || len < 8 || len > 64) {
		snprintf(msg, msgsz, "config.root_password is required: 8 to 64 "
			 "characters");
		return -EINVAL;
	}
	if (port && (!json_is_integer(port) || json_integer_value(port) < 1024 ||
		     json_integer_value(port) > 65535 ||
		     json_integer_value(port) == 10080)) {
		snprintf(msg, msgsz, "config.port must be an integer in 1024-65535 "
			 "other than 10080");
		return -EINVAL;
	}
	if (comps && !json_is_object(comps)) {
		snprintf(msg, msgsz, "config.components must be an object");
		return -EINVAL;
	}
	if (check_component(comps, "tidb", msg, msgsz) ||
	    check_component(comps, "tikv", msg, msgsz) ||
	    check_component(comps, "tiflash", msg, msgsz))
		return -EINVAL;
	return 0;
}

/* 1 when s is a decimal id (uint64 in the spec), 1..20 digits. */
static int decimal_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int restore_body(json_t *tpl, const char *name,
			const struct tcfs_node *coll, json_t **body,
			enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	json_t *bid = json_object_get(tpl, "backup_id");
	const char *key;
	json_t *v;

	(void)coll;
	*body = NULL;
	if (!json_is_object(tpl)) {
		snprintf(msg, msgsz, ".template.json must be an object with "
			 "backup_id and config");
		return -EINVAL;
	}
	json_object_foreach(tpl, key, v)
		if (strcmp(key, "backup_id") != 0 && strcmp(key, "config") != 0 &&
		    strcmp(key, "name") != 0) {
			snprintf(msg, msgsz, ".template.json: unknown field \"%.64s\" "
				 "(the API takes backup_id and config; the name is "
				 "the directory's)", key);
			return -EINVAL;
		}
	if (!json_is_string(bid) || !decimal_id(json_string_value(bid))) {
		snprintf(msg, msgsz, "backup_id is required: the id of a Dedicated "
			 "backup (its backups/<name>/id), digits only");
		return -EINVAL;
	}
	if (check_config(json_object_get(tpl, "config"), msg, msgsz))
		return -EINVAL;
	*kind = TCFS_K_RESTORE;
	*body = json_pack("{s:O, s:s, s:O}", "backup_id", bid, "name", name,
			  "config", json_object_get(tpl, "config"));
	return *body ? 0 : -ENOMEM;
}

/* POST answers {id, cluster_id}: complete it for the listing (named by
 * cluster.name). */
static json_t *restore_defaults(const char *name)
{
	return json_pack("{s:s, s:{s:s, s:s}}", "status", "PENDING",
			 "cluster", "name", name, "status", "CREATING");
}

static const struct tcfs_create restore_create = {
	.check_name = check_restore_name,
	.template_default = restores_template,
	.body = restore_body,
	.relist = TCFS_K_CLUSTERS,
};

/* ---- Starter / Essential: the ctl verbs ----------------------------------- */

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Strict RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
 * with values in range (tcfs_parse_time). */
static int rfc3339(const char *s)
{
	size_t n = strlen(s);
	const char *p = s + 19;

	if (n < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2))
		return 0;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return 0;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if ((*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' &&
		 digits(p + 4, 2) && (p[1] - '0') * 10 + (p[2] - '0') <= 23 &&
		 p[4] <= '5')
		p += 6;
	else
		return 0;
	return *p == '\0' && tcfs_parse_time(s) != 0;
}

/* `restore` of a backup: a snapshot restore, no argument. */
static int snapshot_body(const struct tcfs_node *res, const char *const *args,
			 size_t nargs, json_t **body, char *msg, size_t msgsz)
{
	const char *id = tcfs_node_id(res);

	(void)args;
	*body = NULL;
	if (nargs != 0) {
		snprintf(msg, msgsz, "restore takes no argument: the API names "
			 "the new cluster itself");
		return -EINVAL;
	}
	if (!id) {
		snprintf(msg, msgsz, "no backup id");
		return -EINVAL;
	}
	*body = json_pack("{s:{s:s}}", "snapshot", "backupId", id);
	return *body ? 0 : -ENOMEM;
}

/* `restore TIMESTAMP` of a cluster: a point-in-time restore. */
static int pitr_body(const struct tcfs_node *res, const char *const *args,
		     size_t nargs, json_t **body, char *msg, size_t msgsz)
{
	const char *id = tcfs_node_id(res);

	*body = NULL;
	if (nargs != 1 || !args[0]) {
		snprintf(msg, msgsz, "usage: restore TIMESTAMP (RFC 3339, such "
			 "as 2024-01-15T08:00:00Z); the API names the new "
			 "cluster itself");
		return -EINVAL;
	}
	if (!rfc3339(args[0])) {
		snprintf(msg, msgsz, "TIMESTAMP must be an RFC 3339 time such as "
			 "2024-01-15T08:00:00Z or 2024-01-15T16:00:00+08:00");
		return -EINVAL;
	}
	if (!id) {
		snprintf(msg, msgsz, "no cluster id");
		return -EINVAL;
	}
	*body = json_pack("{s:{s:s, s:s}}", "pointInTime", "clusterId", id,
			  "backupTime", args[0]);
	return *body ? 0 : -ENOMEM;
}

const struct tcfs_verb tcfs_restore_backup_verbs[1] = {
	{ .usage = "restore",
	  .call = TCFS_CALL0(tc_desc_serverless_cluster_restore),
	  .body = snapshot_body,
	  .effect = TCFS_EFFECT_ANCESTOR, .ancestor = TCFS_K_CLUSTERS },
};

const struct tcfs_verb tcfs_restore_cluster_verbs[1] = {
	{ .usage = "restore TIMESTAMP",
	  .call = TCFS_CALL0(tc_desc_serverless_cluster_restore),
	  .body = pitr_body,
	  .effect = TCFS_EFFECT_ANCESTOR, .ancestor = TCFS_K_CLUSTERS },
};

/* ---- rows ------------------------------------------------------------------ */

const struct tcfs_kind_desc tcfs_row_restores = {
	.kind = TCFS_K_RESTORES, .label = "restores", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_PROJECT }, .nparents = 1, .dir_name = "restores",
	TCFS_FILES(restores_files), .scratch_ok = 1,
	.sources = { { TCFS_K_RESTORE, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &restore_create,
};

/* ids: 0 project, 1 restore */
const struct tcfs_kind_desc tcfs_row_restore = {
	.kind = TCFS_K_RESTORE, .label = "restore", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_RESTORES }, .nparents = 1,
	TCFS_FILES(restore_files),
	.id_key = "id", .name_key = "cluster.name", .state_key = "status",
	.mtime_keys = { "create_timestamp", NULL },
	.list = TCFS_CALL(tc_desc_restores_list, 0),
	.get = TCFS_CALL(tc_desc_restore_get, 0, 1),
	.create = TCFS_CALL(tc_desc_restore_create, 0),
	.create_defaults = restore_defaults,
	.remove_refusal = "the API has no way to delete a restore task (rmdir "
			  "the restored cluster in clusters/ instead)",
};
