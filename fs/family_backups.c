/*
 * family_backups.c — clusters/<c>/backups/ and backups/<b>/: the backups
 * of a Starter / Essential cluster (serverless v1beta1 BackupRestoreService:
 * GET /backups?clusterId=, GET and DELETE /backups/{id}). A backup has no
 * display name: it is named by its id. No mkdir (the serverless API takes
 * no manual backup); rmdir deletes. Dedicated clusters have no backups/
 * until the Dedicated backups rows join the collection's sources
 * ({TCFS_K_DED_BACKUP, TCFS_K_DED_CLUSTER}, parents += TCFS_K_DED_CLUSTER).
 */
#include "tcfs.h"

static const struct tcfs_file_desc backups_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc backup_files[] = {
	{ .name = "backup.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

const struct tcfs_kind_desc tcfs_row_backups = {
	.kind = TCFS_K_BACKUPS, .label = "backups", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_SLS_CLUSTER }, .nparents = 1, .dir_name = "backups",
	TCFS_FILES(backups_files),
	.sources = { { TCFS_K_SLS_BACKUP, TCFS_K_SLS_CLUSTER } }, .nsources = 1,
};

/* ids: 0 project, 1 cluster, 2 backup */
const struct tcfs_kind_desc tcfs_row_sls_backup = {
	.kind = TCFS_K_SLS_BACKUP, .label = "backup", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_BACKUPS }, .nparents = 1,
	TCFS_FILES(backup_files),
	.id_key = "backupId", .name_key = NULL,
	.mtime_keys = { "createTime", NULL },
	.list = TCFS_CALL(tc_desc_serverless_backups_list, 1),
	.get = TCFS_CALL(tc_desc_serverless_backup_get, 2),
	.remove = TCFS_CALL(tc_desc_serverless_backup_delete, 2),
};
