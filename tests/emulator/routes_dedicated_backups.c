/*
 * routes_dedicated_backups.c — api.tidbcloud.com /api/v1beta backups of
 * Dedicated clusters (v1beta.json, tag Backup), on the object store.
 *
 *   GET    /api/v1beta/projects/{p}/clusters/{c}/backups?page&page_size
 *          → {items[], total}
 *   POST   /api/v1beta/projects/{p}/clusters/{c}/backups {name, description?}
 *          → {id}; a MANUAL backup, status PENDING → RUNNING → SUCCESS,
 *          one --transition-ms each
 *   GET    /api/v1beta/projects/{p}/clusters/{c}/backups/{b} → ListBackupItem
 *   DELETE /api/v1beta/projects/{p}/clusters/{c}/backups/{b} → {} (gone)
 *
 * ListBackupItem: {id, name, description, type MANUAL|AUTO,
 * create_timestamp (ISO 8601), size (string, bytes), status
 * PENDING|RUNNING|FAILED|SUCCESS}. Constraints (400, v1beta error body):
 * name required, 1..64 characters; description at most 256 characters; the
 * cluster must be Dedicated and AVAILABLE (state ACTIVE) to take one.
 * Seed: "dedicatedBackups": [{id, clusterId, name, description?, type?,
 * create_timestamp?, size?, status?}].
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

#define KIND "dedicated-backup"

static const char *const backup_states[] = { "PENDING", "RUNNING", "FAILED",
					     "SUCCESS", NULL };
static const char *const backup_types[] = { "MANUAL", "AUTO", NULL };

/* The project {p} and its Dedicated cluster {c}; NULL with a 404/400. */
static struct emu_cluster *project_cluster(const struct emu_request *rq,
					   struct emu_response *rs)
{
	struct emu_cluster *c;

	if (!emu_project_or_404(rq, rs, rq->ids[0]))
		return NULL;
	c = emu_model_cluster_find(rq->ids[1], true);
	if (!c || strcmp(emu_cluster_project(c), rq->ids[0]) != 0) {
		if (emu_model_cluster_find(rq->ids[1], false))
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "cluster %s is not a Dedicated cluster: its "
				  "backups are on serverless.tidbapi.com",
				  rq->ids[1]);
		else
			emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
				  "cluster %s not found in project %s",
				  rq->ids[1], rq->ids[0]);
		return NULL;
	}
	return c;
}

static void list_backups(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[1] };

	if (project_cluster(rq, rs))
		emu_page_answer(rq, rs, EMU_PAGING_PAGE, 10, "items",
				emu_store_list(KIND, parents, 1, NULL, NULL));
}

static void create_backup(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const steps[] = { "PENDING", "RUNNING", "SUCCESS" };
	struct emu_cluster *c = project_cluster(rq, rs);
	const char *parents[1] = { rq->ids[1] };
	json_t *body;
	char id[48], ts[32], size[32];
	struct emu_object *o;

	if (!c || !(body = emu_body_object(rq, rs)))
		return;
	if (emu_check_str(rq, rs, body, "name", "name", 1, 64, true) ||
	    emu_check_str(rq, rs, body, "description", "description", 0, 256,
			  false))
		goto out;
	if (!emu_streq(emu_cluster_state(c), "ACTIVE")) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "cluster %s is %s: a backup needs an AVAILABLE cluster",
			  rq->ids[1], emu_cluster_state(c));
		goto out;
	}
	emu_new_decimal_id(id);
	emu_now_rfc3339(ts);
	/* A plausible size that differs between backups. */
	snprintf(size, sizeof(size), "%llu",
		 (unsigned long long)(1073741824ULL + (unsigned char)id[18] * 4096ULL));
	o = emu_store_add(KIND, id, parents, 1,
			  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				    "id", id, "name", emu_fstr(body, "name"),
				    "description",
				    emu_fstr(body, "description")
				    ? emu_fstr(body, "description") : "",
				    "type", "MANUAL", "create_timestamp", ts,
				    "size", size, "status", "PENDING"),
			  "status");
	if (!o) {
		emu_error(rs, rq->family, 500, EMU_RPC_INTERNAL, "out of memory");
		goto out;
	}
	emu_store_schedule(o, steps, 3, false);
	rs->body = json_pack("{s:s}", "id", id);
out:
	json_decref(body);
}

static struct emu_object *find_backup(const struct emu_request *rq,
				      struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[1] };

	if (!project_cluster(rq, rs))
		return NULL;
	return emu_find_or_404(rq, rs, KIND, parents, 1, rq->ids[2], "backup");
}

static void get_backup(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_backup(rq, rs);

	if (o)
		rs->body = json_deep_copy(o->obj);
}

static void delete_backup(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_backup(rq, rs);

	if (!o)
		return;
	emu_store_remove(o);
	rs->body = json_object();
}

static bool in(const char *s, const char *const set[])
{
	for (size_t i = 0; s && set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

static int seed_backups(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *b;
	size_t i;

	if (emu_seed_array(seed, "dedicatedBackups", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, b) {
		const char *id = emu_fstr(b, "id"), *cid = emu_fstr(b, "clusterId");
		const char *name = emu_fstr(b, "name");
		const char *type = emu_fstr(b, "type"), *st = emu_fstr(b, "status");
		const char *parents[1] = { cid };
		json_t *obj;

		if (!id || !cid || !name || !emu_model_cluster_find(cid, true) ||
		    (type && !in(type, backup_types)) ||
		    (st && !in(st, backup_states))) {
			snprintf(err, errlen, "dedicatedBackups[%zu]: id, name and "
				 "the clusterId of a Dedicated cluster are "
				 "required; type and status from the spec", i);
			return -1;
		}
		obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
				"name", name, "description",
				emu_fstr(b, "description") ? emu_fstr(b, "description") : "",
				"type", type ? type : "AUTO", "create_timestamp",
				emu_fstr(b, "create_timestamp")
				? emu_fstr(b, "create_timestamp") : "2024-01-16T03:00:00Z",
				"size", emu_fstr(b, "size") ? emu_fstr(b, "size") : "1073741824",
				"status", st ? st : "SUCCESS");
		if (!emu_store_add(KIND, id, parents, 1, obj, "status")) {
			snprintf(err, errlen, "dedicatedBackups[%zu]: bad or "
				 "duplicate id %s", i, id);
			return -1;
		}
	}
	return 0;
}

#define BK "/api/v1beta/projects/{id}/clusters/{id}/backups"
static const struct emu_route routes[] = {
	{ EMU_FAM_V1BETA, "GET", BK, list_backups },
	{ EMU_FAM_V1BETA, "POST", BK, create_backup },
	{ EMU_FAM_V1BETA, "GET", BK "/{id}", get_backup },
	{ EMU_FAM_V1BETA, "DELETE", BK "/{id}", delete_backup },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module dedicated_backups_module = {
	"dedicated-backups", routes, seed_backups
};
EMU_MODULE(dedicated_backups_module)
