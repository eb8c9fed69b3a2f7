/*
 * routes_backups.c — serverless.tidbapi.com /v1beta1 backups of Starter and
 * Essential clusters (serverless-v1beta1-cli/br.swagger.json,
 * BackupRestoreService): the first family on the generic object store.
 *
 *   GET    /v1beta1/backups?clusterId=&pageSize&pageToken
 *          → {backups[], nextPageToken, totalSize}
 *   GET    /v1beta1/backups/{backupId}  → Backup
 *   DELETE /v1beta1/backups/{backupId}  → Backup (gone at once)
 *
 * Backup: {name "backups/{backupId}", backupId, clusterId, createTime}; the
 * published object has no state. Seed: "backups": [{backupId, clusterId,
 * createTime?}] for Starter/Essential clusters of the seed.
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

#define KIND "serverless-backup"
#define SEED_TIME "2024-01-16T03:00:00Z"

static json_t *backup_object(const char *id, const char *cluster_id,
			     const char *create_time)
{
	char name[EMU_STORE_ID_LEN + 16];

	snprintf(name, sizeof(name), "backups/%s", id);
	return json_pack("{s:s, s:s, s:s, s:s}", "name", name, "backupId", id,
			 "clusterId", cluster_id, "createTime", create_time);
}

/* GET /v1beta1/backups?clusterId= (required) */
static void list_backups(const struct emu_request *rq, struct emu_response *rs)
{
	const char *cluster = emu_query(rq, "clusterId");
	const char *parents[1] = { cluster };

	if (!cluster || !*cluster) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "clusterId is required");
		return;
	}
	if (!emu_model_cluster_find(cluster, false)) {
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "cluster %s not found", cluster);
		return;
	}
	emu_page_answer(rq, rs, EMU_PAGING_TOKEN, 10, "backups",
			emu_store_list(KIND, parents, 1, NULL, NULL));
}

static struct emu_object *find_backup(const struct emu_request *rq,
				      struct emu_response *rs)
{
	return emu_find_or_404(rq, rs, KIND, NULL, 0, rq->ids[0], "backup");
}

/* GET /v1beta1/backups/{backupId} */
static void get_backup(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_backup(rq, rs);

	if (o)
		rs->body = json_deep_copy(o->obj);
}

/* DELETE /v1beta1/backups/{backupId}: answers the backup, removed now. */
static void delete_backup(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_backup(rq, rs);

	if (!o)
		return;
	rs->body = json_deep_copy(o->obj);
	emu_store_remove(o);
}

static int seed_fail(char *err, size_t errlen, size_t i, const char *what,
		     const char *value)
{
	snprintf(err, errlen, "backups[%zu]: %s%s%s", i, what, value ? " " : "",
		 value ? value : "");
	return -1;
}

static int seed_backups(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *b;
	size_t i;

	if (emu_seed_array(seed, "backups", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, b) {
		const char *id = json_string_value(json_object_get(b, "backupId"));
		const char *cid = json_string_value(json_object_get(b, "clusterId"));
		const char *ct = json_string_value(json_object_get(b, "createTime"));
		const char *parents[1] = { cid };

		if (!id || !*id || !cid)
			return seed_fail(err, errlen, i, "\"backupId\" and "
					 "\"clusterId\" (strings) are required", NULL);
		if (!emu_model_cluster_find(cid, false))
			return seed_fail(err, errlen, i, "no Starter/Essential "
					 "cluster", cid);
		if (emu_store_find(KIND, NULL, 0, id))
			return seed_fail(err, errlen, i, "duplicate backupId", id);
		if (!emu_store_add(KIND, id, parents, 1,
				   backup_object(id, cid, ct ? ct : SEED_TIME), NULL))
			return seed_fail(err, errlen, i, "bad backupId", id);
	}
	return 0;
}

static const struct emu_route routes[] = {
	{ EMU_FAM_SERVERLESS, "GET", "/v1beta1/backups", list_backups },
	{ EMU_FAM_SERVERLESS, "GET", "/v1beta1/backups/{id}", get_backup },
	{ EMU_FAM_SERVERLESS, "DELETE", "/v1beta1/backups/{id}", delete_backup },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module backups_module = { "backups", routes,
						  seed_backups };
EMU_MODULE(backups_module)
