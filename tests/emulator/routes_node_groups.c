/*
 * routes_node_groups.c — dedicated.tidbapi.com /v1beta1 TiDB node groups of
 * a cluster (dedicated-v1beta1.cli.swagger.json), read from the cluster's
 * tidbNodeSetting.tidbNodeGroups (the object they are edited through).
 *
 *   GET /v1beta1/clusters/{c}/tidbNodeGroups?pageSize&pageToken&skip
 *       → {tidbNodeGroups[], totalSize, nextPageToken}
 *   GET /v1beta1/clusters/{c}/tidbNodeGroups/{g} → TidbNodeGroup
 *
 * 404 (google.rpc.Status): cluster (Dedicated only), node group.
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"

#include <string.h>

static json_t *groups_of(const struct emu_cluster *c)
{
	return json_object_get(json_object_get(c->obj, "tidbNodeSetting"),
			       "tidbNodeGroups");
}

static void list_groups(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_cluster *c = emu_dedicated_cluster(rq, rs, rq->ids[0]);
	json_t *groups;

	if (!c)
		return;
	groups = groups_of(c);
	emu_page_answer(rq, rs, EMU_PAGING_TOKEN, 10, "tidbNodeGroups",
			json_is_array(groups) ? json_deep_copy(groups)
					      : json_array());
}

static void get_group(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_cluster *c = emu_dedicated_cluster(rq, rs, rq->ids[0]);
	json_t *g;
	size_t i;

	if (!c)
		return;
	json_array_foreach(groups_of(c), i, g) {
		if (emu_streq(emu_fstr(g, "tidbNodeGroupId"), rq->ids[1])) {
			rs->body = json_deep_copy(g);
			return;
		}
	}
	emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
		  "TiDB node group %s not found in cluster %s", rq->ids[1],
		  rq->ids[0]);
}

#define NG "/v1beta1/clusters/{id}/tidbNodeGroups"
static const struct emu_route routes[] = {
	{ EMU_FAM_DEDICATED, "GET", NG, list_groups },
	{ EMU_FAM_DEDICATED, "GET", NG "/{id}", get_group },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module node_groups_module = {
	"node-groups", routes, NULL
};
EMU_MODULE(node_groups_module)
