/*
 * family_backups.c — clusters/<c>/backups/ and backups/<b>/.
 *
 * Starter / Essential (serverless v1beta1 BackupRestoreService: GET
 * /backups?clusterId=, GET and DELETE /backups/{id}): a backup has no
 * display name, it is named by its id, and the API takes no manual backup
 * (mkdir is refused). Dedicated (v1beta /projects/{p}/clusters/{c}/backups):
 * named by name, `state` is its status (PENDING → RUNNING → SUCCESS), mkdir
 * NAME takes a manual backup from .template.json ({description}). Both:
 * backup.json, id, rmdir deletes. One collection row, a source per kind
 * of cluster.
 */
#include "tcfs.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct tcfs_file_desc backups_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* ctl: `restore` (family_restores.c) */
static const struct tcfs_file_desc sls_backup_files[] = {
	{ .name = "backup.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "ctl", .type = TCFS_F_CTL, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc ded_backup_files[] = {
	{ .name = "backup.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* v1beta CreateBackupReq: name 1..64 characters (the emulator's and the
 * console's rule), no control character. */
static int check_backup_name(const char *name, char *msg, size_t msgsz)
{
	size_t len = strlen(name);

	if (len < 1 || len > 64 || !tcfs_utf8_valid(name, len) ||
	    tcfs_has_control(name)) {
		snprintf(msg, msgsz, "a backup name is 1 to 64 characters of "
			 "UTF-8 text without control characters");
		return -EINVAL;
	}
	return 0;
}

static char *backups_template(const struct tcfs_node *coll)
{
	json_t *t = json_pack("{s:s}", "description", "");
	size_t len;
	char *text = tcfs_render_json(t, &len);

	(void)coll;
	json_decref(t);
	return text;
}

static int backup_body(json_t *tpl, const char *name,
		       const struct tcfs_node *coll, json_t **body,
		       enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	json_t *desc = json_object_get(tpl, "description");

	*body = NULL;
	if (tcfs_node_owner(coll) != TCFS_K_DED_CLUSTER) {
		snprintf(msg, msgsz, "Starter and Essential clusters are backed "
			 "up automatically: the API takes no manual backup");
		return -EPERM;
	}
	if (!json_is_object(tpl) || (desc && !json_is_string(desc))) {
		snprintf(msg, msgsz, ".template.json must be an object with a "
			 "string \"description\"");
		return -EINVAL;
	}
	if (desc && strlen(json_string_value(desc)) > 256) {
		snprintf(msg, msgsz, "description is at most 256 characters");
		return -EINVAL;
	}
	*kind = TCFS_K_DED_BACKUP;
	*body = json_pack("{s:s, s:s}", "name", name, "description",
			  desc ? json_string_value(desc) : "");
	return *body ? 0 : -ENOMEM;
}

/* POST answers {id}: complete it for the listing. */
static json_t *ded_backup_defaults(const char *name)
{
	return json_pack("{s:s, s:s, s:s}", "name", name, "type", "MANUAL",
			 "status", "PENDING");
}

static const struct tcfs_create backup_create = {
	.check_name = check_backup_name,
	.template_default = backups_template,
	.body = backup_body,
};

const struct tcfs_kind_desc tcfs_row_backups = {
	.kind = TCFS_K_BACKUPS, .label = "backups", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_SLS_CLUSTER, TCFS_K_DED_CLUSTER }, .nparents = 2,
	.dir_name = "backups", TCFS_FILES(backups_files), .scratch_ok = 1,
	.sources = { { TCFS_K_SLS_BACKUP, TCFS_K_SLS_CLUSTER },
		     { TCFS_K_DED_BACKUP, TCFS_K_DED_CLUSTER } }, .nsources = 2,
	.mkdir = &backup_create,
};

/* ids: 0 project, 1 cluster, 2 backup */
const struct tcfs_kind_desc tcfs_row_sls_backup = {
	.kind = TCFS_K_SLS_BACKUP, .label = "backup", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_BACKUPS }, .nparents = 1,
	TCFS_FILES(sls_backup_files),
	.id_key = "backupId", .name_key = NULL,
	.mtime_keys = { "createTime", NULL },
	.list = TCFS_CALL(tc_desc_serverless_backups_list, 1),
	.get = TCFS_CALL(tc_desc_serverless_backup_get, 2),
	.remove = TCFS_CALL(tc_desc_serverless_backup_delete, 2),
	TCFS_VERBS(tcfs_restore_backup_verbs),
};

const struct tcfs_kind_desc tcfs_row_ded_backup = {
	.kind = TCFS_K_DED_BACKUP, .label = "backup", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_BACKUPS }, .nparents = 1,
	TCFS_FILES(ded_backup_files),
	.id_key = "id", .name_key = "name", .state_key = "status",
	.mtime_keys = { "create_timestamp", NULL },
	.list = TCFS_CALL(tc_desc_dedicated_backups_list, 0, 1),
	.get = TCFS_CALL(tc_desc_dedicated_backup_get, 0, 1, 2),
	.create = TCFS_CALL(tc_desc_dedicated_backup_create, 0, 1),
	.remove = TCFS_CALL(tc_desc_dedicated_backup_delete, 0, 1, 2),
	.create_defaults = ded_backup_defaults,
};
