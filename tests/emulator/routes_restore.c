/*
 * routes_restore.c — restores into a new cluster, on both hosts that have
 * them (the new cluster is added to the model at once, through the model's
 * public functions):
 *
 * api.tidbcloud.com /api/v1beta (v1beta.json, tag Restore), Dedicated:
 *   GET  /api/v1beta/projects/{p}/restores?page&page_size → {items[], total}
 *   POST /api/v1beta/projects/{p}/restores {backup_id, name,
 *        config{root_password, port?, components?, ip_access_list?}}
 *        → {id, cluster_id}; the task's status PENDING → RUNNING → SUCCESS,
 *        the new Dedicated cluster CREATING → ACTIVE
 *   GET  /api/v1beta/projects/{p}/restores/{r} → {id, create_timestamp,
 *        backup_id, cluster_id (of the backup), status, cluster{id, name,
 *        status (v1beta cluster status, CLEARED once deleted)},
 *        error_message}
 *   400 (v1beta body): backup_id/name/config.root_password required, name
 *   ^[A-Za-z0-9][-A-Za-z0-9]{2,62}[A-Za-z0-9]$ and not the name of a
 *   cluster of the project, root_password 8..64, port 1024..65535 but not
 *   10080, a backup in SUCCESS; 404: project, backup.
 *
 * serverless.tidbapi.com (br.swagger.json):
 *   POST /v1beta1/clusters:restore {snapshot{backupId}} |
 *        {pointInTime{clusterId, backupTime}} → {clusterId} of a new cluster
 *        of the same plan, project and region, RESTORING → ACTIVE, named
 *        "<source>-restore-NNNN". 400: exactly one of the two, backupTime
 *        RFC 3339, not in the future nor before the cluster existed.
 * Seed: "restores": [{id, projectId, backupId, clusterId (the new one),
 * create_timestamp?, status?}].
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KIND "v1beta-restore"
#define DEDICATED_BACKUP "dedicated-backup"
#define SERVERLESS_BACKUP "serverless-backup"

/* v1beta cluster status of the restored cluster (ClusterInfoOfRestore). */
static const char *v1beta_status(const struct emu_cluster *c)
{
	const char *s = c ? emu_cluster_state(c) : NULL;

	if (!s)
		return "CLEARED";
	if (strcmp(s, "ACTIVE") == 0)
		return "AVAILABLE";
	if (strcmp(s, "RESTORING") == 0)
		return "CREATING";
	return s;
}

/* Refresh cluster{} from the live cluster (the seed's and every later
 * view agree with the model). */
static bool refresh(const struct emu_object *o, void *arg)
{
	json_t *cl = json_object_get(o->obj, "cluster");
	const char *cid = emu_fstr(cl, "id");
	struct emu_cluster *c = cid ? emu_model_cluster_find(cid, true) : NULL;

	(void)arg;
	if (c)
		json_object_set_new(cl, "name", json_string(emu_fstr(c->obj,
							"displayName")));
	json_object_set_new(cl, "status", json_string(v1beta_status(c)));
	return true;
}

static void list_restores(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };

	if (emu_project_or_404(rq, rs, rq->ids[0]))
		emu_page_answer(rq, rs, EMU_PAGING_PAGE, 10, "items",
				emu_store_list(KIND, parents, 1, refresh, NULL));
}

static void get_restore(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };
	struct emu_object *o;

	if (!emu_project_or_404(rq, rs, rq->ids[0]))
		return;
	if (!(o = emu_find_or_404(rq, rs, KIND, parents, 1, rq->ids[1],
				  "restore")))
		return;
	refresh(o, NULL);
	rs->body = json_deep_copy(o->obj);
}

static bool name_taken(const char *project, const char *name)
{
	for (size_t i = 0; i < emu_model_cluster_count(); i++) {
		struct emu_cluster *c = emu_model_cluster_at(i);
		const char *dn = emu_fstr(c->obj, "displayName");
		if (strcmp(emu_cluster_project(c), project) == 0 && dn &&
		    strcmp(dn, name) == 0)
			return true;
	}
	return false;
}

/* The region of a cluster object of either family. */
static const struct emu_region *cluster_region(const struct emu_cluster *c)
{
	const char *r = c ? emu_fstr(c->obj, "regionId") : NULL;
	const struct emu_region *reg;

	if (c && !r)
		r = emu_fstr(json_object_get(c->obj, "region"), "regionId");
	reg = r ? emu_region_find(r) : NULL;
	return reg ? reg : &emu_regions[0];
}

/* config{root_password 8..64 (required), port 1024..65535 but 10080}. */
static int check_config(const struct emu_request *rq, struct emu_response *rs,
			json_t *body)
{
	json_t *cfg = json_object_get(body, "config"), *port;

	if (emu_check_object(rq, rs, body, "config", "config", true) ||
	    emu_check_str(rq, rs, cfg, "root_password", "config.root_password",
			  8, 64, true) ||
	    emu_check_object(rq, rs, cfg, "components", "config.components",
			     false))
		return -1;
	port = json_object_get(cfg, "port");
	if (port && (!json_is_integer(port) || json_integer_value(port) < 1024 ||
		     json_integer_value(port) > 65535 ||
		     json_integer_value(port) == 10080)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "config.port must be in 1024-65535 and not 10080");
		return -1;
	}
	return 0;
}

static void create_restore(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const steps[] = { "PENDING", "RUNNING", "SUCCESS" };
	const char *parents[1] = { rq->ids[0] };
	json_t *body;
	struct emu_object *b, *o;
	struct emu_cluster *src, *c;
	const char *name, *bid;
	char cid[32], rid[48], ts[32];

	if (!emu_project_or_404(rq, rs, rq->ids[0]) ||
	    !(body = emu_body_object(rq, rs)))
		return;
	if (emu_check_str(rq, rs, body, "backup_id", "backup_id", 1, 64, true) ||
	    emu_check_str(rq, rs, body, "name", "name", 1, 0, true) ||
	    check_config(rq, rs, body))
		goto out;
	name = emu_fstr(body, "name");
	bid = emu_fstr(body, "backup_id");
	if (!emu_display_name_ok(name)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "name must be 4-64 characters that only contain "
			  "numbers, letters, and hyphens, starting and ending "
			  "with a letter or number");
		goto out;
	}
	if (name_taken(rq->ids[0], name)) {
		emu_error(rs, rq->family, 400, EMU_RPC_ALREADY_EXISTS,
			  "a cluster named %s already exists in the project", name);
		goto out;
	}
	if (!(b = emu_store_find(DEDICATED_BACKUP, NULL, 0, bid))) {
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "backup %s not found", bid);
		goto out;
	}
	if (strcmp(emu_fstr(b->obj, "status") ? emu_fstr(b->obj, "status") : "",
		   "SUCCESS") != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "backup %s is %s: only a successful backup can be "
			  "restored", bid, emu_fstr(b->obj, "status"));
		goto out;
	}
	src = emu_model_cluster_find(b->parents[0], true);
	emu_model_new_cluster_id(cid);
	c = emu_model_cluster_add(EMU_KIND_DEDICATED,
				  emu_object_dedicated(cid, name, rq->ids[0],
						       cluster_region(src),
						       "CREATING", time(NULL)));
	emu_cluster_transition(c, "CREATING", "ACTIVE");
	emu_object_dedicated_sync_groups(c->obj);
	emu_new_decimal_id(rid);
	emu_now_rfc3339(ts);
	o = emu_store_add(KIND, rid, parents, 1,
			  json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s},"
				    " s:s}", "id", rid, "create_timestamp", ts,
				    "backup_id", bid, "cluster_id", b->parents[0],
				    "status", "PENDING", "cluster", "id", cid,
				    "name", name, "status", "CREATING",
				    "error_message", ""), "status");
	if (o)
		emu_store_schedule(o, steps, 3, false);
	rs->body = json_pack("{s:s, s:s}", "id", rid, "cluster_id", cid);
out:
	json_decref(body);
}

/* POST /v1beta1/clusters:restore */
static void restore_serverless(const struct emu_request *rq,
			       struct emu_response *rs)
{
	json_t *body = emu_body_object(rq, rs), *snap, *pit;
	struct emu_cluster *src, *c;
	const char *src_id;
	char cid[32], name[80];
	time_t t, created;

	if (!body)
		return;
	snap = json_object_get(body, "snapshot");
	pit = json_object_get(body, "pointInTime");
	if ((snap && !json_is_null(snap)) == (pit && !json_is_null(pit))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "exactly one of snapshot and pointInTime is required");
		goto out;
	}
	if (snap && !json_is_null(snap)) {
		struct emu_object *b;
		if (emu_check_object(rq, rs, body, "snapshot", "snapshot", true) ||
		    emu_check_str(rq, rs, snap, "backupId", "snapshot.backupId",
				  1, 64, true))
			goto out;
		b = emu_store_find(SERVERLESS_BACKUP, NULL, 0,
				   emu_fstr(snap, "backupId"));
		if (!b) {
			emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
				  "backup %s not found", emu_fstr(snap, "backupId"));
			goto out;
		}
		src_id = b->parents[0];
	} else {
		if (emu_check_object(rq, rs, body, "pointInTime", "pointInTime",
				     true) ||
		    emu_check_str(rq, rs, pit, "clusterId", "pointInTime.clusterId",
				  1, 64, true) ||
		    emu_check_str(rq, rs, pit, "backupTime",
				  "pointInTime.backupTime", 1, 64, true))
			goto out;
		src_id = emu_fstr(pit, "clusterId");
		if (!emu_parse_rfc3339(emu_fstr(pit, "backupTime"), &t)) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "pointInTime.backupTime must be an RFC 3339 "
				  "time, such as 2024-01-15T08:00:00Z");
			goto out;
		}
	}
	if (!(src = emu_serverless_cluster(rq, rs, src_id)))
		goto out;
	if (pit && !json_is_null(pit)) {
		if (!emu_parse_rfc3339(emu_fstr(src->obj, "createTime"), &created))
			created = 0;
		if (t > time(NULL) || t < created) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "pointInTime.backupTime must be between the "
				  "cluster's creation and now");
			goto out;
		}
	}
	emu_model_new_cluster_id(cid);
	snprintf(name, sizeof(name), "%.50s-restore-%s",
		 emu_fstr(src->obj, "displayName"), cid + strlen(cid) - 4);
	c = emu_model_cluster_add(src->kind,
				  emu_object_serverless(src->kind, cid, name,
							emu_cluster_project(src),
							cluster_region(src),
							"RESTORING", time(NULL)));
	emu_cluster_transition(c, "RESTORING", "ACTIVE");
	rs->body = json_pack("{s:s}", "clusterId", cid);
out:
	json_decref(body);
}

static int seed_restores(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *r;
	size_t i;

	if (emu_seed_array(seed, "restores", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, r) {
		const char *id = emu_fstr(r, "id"), *pid = emu_fstr(r, "projectId");
		const char *bid = emu_fstr(r, "backupId"), *cid = emu_fstr(r, "clusterId");
		const char *parents[1] = { pid };
		struct emu_object *b = bid ? emu_store_find(DEDICATED_BACKUP, NULL,
							     0, bid) : NULL;
		struct emu_cluster *c = cid ? emu_model_cluster_find(cid, true) : NULL;
		json_t *obj;

		if (!id || !pid || !b || !c || !emu_model_project_find(pid)) {
			snprintf(err, errlen, "restores[%zu]: id, projectId, the "
				 "backupId of a Dedicated backup and the clusterId "
				 "of the restored Dedicated cluster are required", i);
			return -1;
		}
		obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s}",
				"id", id, "create_timestamp",
				emu_fstr(r, "create_timestamp")
				? emu_fstr(r, "create_timestamp") : "2024-02-01T10:00:00Z",
				"backup_id", bid, "cluster_id", b->parents[0],
				"status", emu_fstr(r, "status") ? emu_fstr(r, "status")
				: "SUCCESS", "cluster", "id", cid, "name",
				emu_fstr(c->obj, "displayName"), "status", "AVAILABLE",
				"error_message", "");
		if (!emu_store_add(KIND, id, parents, 1, obj, "status")) {
			snprintf(err, errlen, "restores[%zu]: bad or duplicate id", i);
			return -1;
		}
	}
	return 0;
}

static const struct emu_route routes[] = {
	{ EMU_FAM_V1BETA, "GET", "/api/v1beta/projects/{id}/restores", list_restores },
	{ EMU_FAM_V1BETA, "POST", "/api/v1beta/projects/{id}/restores", create_restore },
	{ EMU_FAM_V1BETA, "GET", "/api/v1beta/projects/{id}/restores/{id}", get_restore },
	{ EMU_FAM_SERVERLESS, "POST", "/v1beta1/clusters:restore", restore_serverless },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module restore_module = { "restores", routes,
						  seed_restores };
EMU_MODULE(restore_module)
