/* routes_common.c — cluster route helpers shared by the families
 * (routes_common.h). */
#include "routes_common.h"

#include <string.h>

struct emu_cluster *emu_route_cluster(const struct emu_request *rq,
				      struct emu_response *rs, bool dedicated)
{
	struct emu_cluster *c = emu_model_cluster_find(rq->ids[0], dedicated);

	if (!c)
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "cluster %s not found", rq->ids[0]);
	return c;
}

void emu_route_cluster_commit(struct emu_cluster *c, json_t *obj,
			      bool modifying, struct emu_response *rs)
{
	json_decref(c->obj);
	c->obj = obj;
	emu_cluster_touch(c);
	if (modifying)
		emu_cluster_transition(c, "MODIFYING", "ACTIVE");
	rs->body = json_deep_copy(c->obj);
}

void emu_route_cluster_delete(const struct emu_request *rq,
			      struct emu_response *rs, bool dedicated)
{
	struct emu_cluster *c = emu_route_cluster(rq, rs, dedicated);

	if (!c)
		return;
	if (strcmp(emu_cluster_state(c), "DELETING") != 0) {
		emu_cluster_transition(c, "DELETING", NULL);
		emu_cluster_touch(c);
	}
	rs->body = json_deep_copy(c->obj);
}
