/*
 * routes_common.h — what the serverless and dedicated cluster routes share
 * (routes_common.c). Called with the model lock held, like every handler.
 */
#ifndef EMU_ROUTES_COMMON_H
#define EMU_ROUTES_COMMON_H

#include <stdbool.h>

#include "emu.h"
#include "model.h"

/* The cluster named by the path's {id} of the given family (dedicated or
 * Starter/Essential), or NULL with a 404 in rs. */
struct emu_cluster *emu_route_cluster(const struct emu_request *rq,
				      struct emu_response *rs, bool dedicated);
/* Replace c's object by obj (steals it), bump updateTime, enter MODIFYING
 * (→ ACTIVE) when modifying, and answer the new object. */
void emu_route_cluster_commit(struct emu_cluster *c, json_t *obj,
			      bool modifying, struct emu_response *rs);
/* DELETE /v1beta1/clusters/{id}: the cluster in DELETING (removed after
 * --transition-ms); repeating it does not restart the transition. */
void emu_route_cluster_delete(const struct emu_request *rq,
			      struct emu_response *rs, bool dedicated);

#endif
