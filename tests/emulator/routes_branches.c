/*
 * routes_branches.c — serverless.tidbapi.com /v1beta1 branches of Starter
 * and Essential clusters (branch.swagger.json, BranchService), on the
 * object store.
 *
 *   GET    /v1beta1/clusters/{c}/branches?pageSize&pageToken
 *          → {branches[], nextPageToken, totalSize}
 *   POST   /v1beta1/clusters/{c}/branches {displayName, parentId?,
 *          parentTimestamp?, rootPassword?} → Branch, CREATING → ACTIVE
 *   GET    /v1beta1/clusters/{c}/branches/{b}?view=BASIC|FULL → Branch
 *   DELETE /v1beta1/clusters/{c}/branches/{b} → Branch (state DELETED), gone
 *   POST   /v1beta1/clusters/{c}/branches/{b}:reset → Branch, RESTORING →
 *          ACTIVE (only from ACTIVE)
 *
 * Branch: {name "clusters/{c}/branches/{b}", branchId "bran-…", displayName,
 * clusterId, parentId, parentDisplayName, parentTimestamp?, createdBy,
 * state CREATING|ACTIVE|DELETED|RESTORING, endpoints{public{host, port,
 * disabled}}, userPrefix, createTime, updateTime, annotations}; rootPassword
 * is never returned. 400 (google.rpc.Status): displayName required (1..64),
 * rootPassword 8..64, parentId the cluster or one of its branches,
 * parentTimestamp RFC 3339 between the parent's creation and now, view
 * BASIC|FULL, at most EMU_MAX_BRANCHES branches per cluster; reset of a
 * branch that is not ACTIVE. 404: cluster (Dedicated clusters have none),
 * branch. Seed: "branches": [{branchId, clusterId, displayName, parentId?,
 * createTime?, state?}].
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define KIND "serverless-branch"
#define EMU_MAX_BRANCHES 5

static const char *const views[] = { "BASIC", "FULL", NULL };

static json_t *branch_object(const struct emu_cluster *c, const char *id,
			     const char *display, const char *parent_id,
			     const char *parent_display, const char *create_time,
			     const char *state)
{
	char name[200], host[160], prefix[48];

	snprintf(name, sizeof(name), "clusters/%s/branches/%s", c->id, id);
	snprintf(host, sizeof(host), "gateway01.%s.prod.aws.tidbcloud.com",
		 emu_fstr(json_object_get(c->obj, "region"), "regionId")
		 ? emu_fstr(json_object_get(c->obj, "region"), "regionId") : "aws");
	/* A userPrefix of its own, derived from the branch id. */
	snprintf(prefix, sizeof(prefix), "%.6s%.5s", strlen(id) > 5 ? id + 5 : id,
		 strlen(c->id) > 5 ? c->id + strlen(c->id) - 5 : c->id);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
			 " s:{s:{s:s, s:i, s:b}}, s:s, s:s, s:s, s:{}}",
			 "name", name, "branchId", id, "displayName", display,
			 "clusterId", c->id, "parentId", parent_id,
			 "parentDisplayName", parent_display,
			 "createdBy", "emulator@example.com", "state", state,
			 "endpoints", "public", "host", host, "port", 4000,
			 "disabled", 0, "userPrefix", prefix,
			 "createTime", create_time, "updateTime", create_time,
			 "annotations");
}

static void list_branches(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };

	if (emu_serverless_cluster(rq, rs, rq->ids[0]))
		emu_page_answer(rq, rs, EMU_PAGING_TOKEN, 10, "branches",
				emu_store_list(KIND, parents, 1, NULL, NULL));
}

/* parentId and parentTimestamp of a create request; the parent's display
 * name in *pdisplay. */
static int check_parent(const struct emu_request *rq, struct emu_response *rs,
			const struct emu_cluster *c, json_t *body,
			const char **pid, const char **pdisplay)
{
	const char *parents[1] = { c->id };
	const char *ptime = emu_fstr(c->obj, "createTime");
	time_t t, created;

	*pid = emu_fstr(body, "parentId") ? emu_fstr(body, "parentId") : c->id;
	*pdisplay = emu_fstr(c->obj, "displayName");
	if (strcmp(*pid, c->id) != 0) {
		struct emu_object *p = emu_store_find(KIND, parents, 1, *pid);
		if (!p) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "parentId %.64s is neither the cluster nor one "
				  "of its branches", *pid);
			return -1;
		}
		*pdisplay = emu_fstr(p->obj, "displayName");
		ptime = emu_fstr(p->obj, "createTime");
	}
	if (!json_object_get(body, "parentTimestamp") ||
	    json_is_null(json_object_get(body, "parentTimestamp")))
		return 0;
	if (!emu_parse_rfc3339(emu_fstr(body, "parentTimestamp"), &t)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "parentTimestamp must be an RFC 3339 time, such as "
			  "2024-01-15T08:00:00Z");
		return -1;
	}
	if (!emu_parse_rfc3339(ptime, &created))
		created = 0;
	if (t > time(NULL) || t < created) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "parentTimestamp must be between the parent's creation "
			  "and now");
		return -1;
	}
	return 0;
}

static void create_branch(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const steps[] = { "CREATING", "ACTIVE" };
	struct emu_cluster *c = emu_serverless_cluster(rq, rs, rq->ids[0]);
	const char *parents[1] = { rq->ids[0] };
	const char *pid, *pdisplay;
	json_t *body, *list, *obj;
	struct emu_object *o;
	char id[48], ts[32];

	if (!c || !(body = emu_body_object(rq, rs)))
		return;
	if (emu_check_str(rq, rs, body, "displayName", "displayName", 1, 64, true) ||
	    emu_check_str(rq, rs, body, "parentId", "parentId", 1, 64, false) ||
	    emu_check_str(rq, rs, body, "parentTimestamp", "parentTimestamp", 1,
			  64, false) ||
	    emu_check_str(rq, rs, body, "rootPassword", "rootPassword", 8, 64,
			  false) ||
	    check_parent(rq, rs, c, body, &pid, &pdisplay))
		goto out;
	list = emu_store_list(KIND, parents, 1, NULL, NULL);
	if (json_array_size(list) >= EMU_MAX_BRANCHES) {
		json_decref(list);
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "cluster %s already has %d branches, the most allowed",
			  c->id, EMU_MAX_BRANCHES);
		goto out;
	}
	json_decref(list);
	emu_new_prefixed_id(id, "bran-");
	emu_now_rfc3339(ts);
	obj = branch_object(c, id, emu_fstr(body, "displayName"), pid, pdisplay,
			    ts, "CREATING");
	if (emu_fstr(body, "parentTimestamp"))
		json_object_set(obj, "parentTimestamp",
				json_object_get(body, "parentTimestamp"));
	if (!(o = emu_store_add(KIND, id, parents, 1, obj, "state"))) {
		emu_error(rs, rq->family, 500, EMU_RPC_INTERNAL, "out of memory");
		goto out;
	}
	emu_store_schedule(o, steps, 2, false);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static struct emu_object *find_branch(const struct emu_request *rq,
				      struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };

	if (!emu_serverless_cluster(rq, rs, rq->ids[0]))
		return NULL;
	return emu_find_or_404(rq, rs, KIND, parents, 1, rq->ids[1], "branch");
}

static void get_branch(const struct emu_request *rq, struct emu_response *rs)
{
	const char *view = emu_query(rq, "view");
	json_t *q = json_pack("{s:s?}", "view", view);
	struct emu_object *o;

	if (emu_check_enum(rq, rs, q, "view", "view", views, false)) {
		json_decref(q);
		return;
	}
	json_decref(q);
	if (!(o = find_branch(rq, rs)))
		return;
	rs->body = json_deep_copy(o->obj);
	if (view && strcmp(view, "BASIC") == 0)
		json_object_del(rs->body, "endpoints");
}

static void delete_branch(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_branch(rq, rs);

	if (!o)
		return;
	rs->body = json_deep_copy(o->obj);
	json_object_set_new(rs->body, "state", json_string("DELETED"));
	emu_store_remove(o);
}

static void reset_branch(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const steps[] = { "RESTORING", "ACTIVE" };
	struct emu_object *o = find_branch(rq, rs);
	char ts[32];

	if (!o)
		return;
	if (!emu_streq(emu_fstr(o->obj, "state"), "ACTIVE")) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "branch %s is %s: only an ACTIVE branch can be reset",
			  o->id, emu_fstr(o->obj, "state"));
		return;
	}
	emu_now_rfc3339(ts);
	json_object_set_new(o->obj, "updateTime", json_string(ts));
	emu_store_schedule(o, steps, 2, false);
	rs->body = json_deep_copy(o->obj);
}

static int seed_branches(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *b;
	size_t i;

	if (emu_seed_array(seed, "branches", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, b) {
		const char *id = emu_fstr(b, "branchId"), *cid = emu_fstr(b, "clusterId");
		const char *dn = emu_fstr(b, "displayName");
		struct emu_cluster *c = cid ? emu_model_cluster_find(cid, false) : NULL;
		const char *parents[1] = { cid };

		if (!id || !dn || !c) {
			snprintf(err, errlen, "branches[%zu]: branchId, displayName "
				 "and the clusterId of a Starter/Essential cluster "
				 "are required", i);
			return -1;
		}
		if (!emu_store_add(KIND, id, parents, 1,
				   branch_object(c, id, dn, cid,
						 emu_fstr(c->obj, "displayName"),
						 emu_fstr(b, "createTime")
						 ? emu_fstr(b, "createTime")
						 : "2024-02-20T09:00:00Z",
						 emu_fstr(b, "state")
						 ? emu_fstr(b, "state") : "ACTIVE"),
				   "state")) {
			snprintf(err, errlen, "branches[%zu]: bad or duplicate "
				 "branchId", i);
			return -1;
		}
	}
	return 0;
}

#define BR "/v1beta1/clusters/{id}/branches"
static const struct emu_route routes[] = {
	{ EMU_FAM_SERVERLESS, "GET", BR, list_branches },
	{ EMU_FAM_SERVERLESS, "POST", BR, create_branch },
	{ EMU_FAM_SERVERLESS, "GET", BR "/{id}", get_branch },
	{ EMU_FAM_SERVERLESS, "DELETE", BR "/{id}", delete_branch },
	{ EMU_FAM_SERVERLESS, "POST", BR "/{id}:reset", reset_branch },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module branches_module = { "branches", routes,
						   seed_branches };
EMU_MODULE(branches_module)
