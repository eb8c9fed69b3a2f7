/*
 * overlay.h — what the mount knows that the API's lists may not show yet:
 * pending creates (shown in their list until the list contains them,
 * at most TCFS_OVERLAY_TTL seconds) and tombstones (deleted objects hidden
 * from lists and lookups for TCFS_OVERLAY_TTL seconds, whatever the list
 * says). One per organization. Thread-safe; one leaf mutex.
 */
#ifndef TCFS_OVERLAY_H
#define TCFS_OVERLAY_H

#include <jansson.h>
#include "tcfs.h"

#define TCFS_OVERLAY_TTL 600

struct tcfs_overlay *tcfs_overlay_new(void);
void tcfs_overlay_free(struct tcfs_overlay *o);

/* Remember a created object (borrowed; a copy is kept) for list_key. */
void tcfs_overlay_add_pending(struct tcfs_overlay *o, const char *list_key,
			      const char *id, json_t *obj);
/* A pending create of `id` in list_key changed (an update answered with
 * the new object, borrowed; a copy is kept): show the new one. */
void tcfs_overlay_update_pending(struct tcfs_overlay *o, const char *list_key,
				 const char *id, json_t *obj);
/* Forget the pending create of `id` in list_key (the API says it is gone,
 * or a delete may have happened): the lists show what the API lists. */
void tcfs_overlay_forget_pending(struct tcfs_overlay *o, const char *list_key,
				 const char *id);
/* Hide the object with this cache key. */
void tcfs_overlay_tombstone(struct tcfs_overlay *o, const char *obj_key);
/* A resource created again under a deleted one's key (a SQL user is keyed
 * by its name): no longer hidden. */
void tcfs_overlay_untombstone(struct tcfs_overlay *o, const char *obj_key);
int tcfs_overlay_is_tombstoned(struct tcfs_overlay *o, const char *obj_key);
/* A list of `kind` items (of collection `coll`) with tombstoned items removed and pending creates
 * appended; pendings the list contains are forgotten (the API lists them).
 * Returns a NEW reference (items borrowed). */
json_t *tcfs_overlay_apply(struct tcfs_overlay *o, enum tcfs_kind kind,
			   const struct tcfs_node *coll, const char *list_key,
			   json_t *items);
/* The same; *gen is the overlay's generation the answer reflects. */
json_t *tcfs_overlay_apply_gen(struct tcfs_overlay *o, enum tcfs_kind kind,
			       const struct tcfs_node *coll,
			       const char *list_key, json_t *items,
			       uint64_t *gen);
/* The generation: changes whenever a pending create or a tombstone is
 * added, changed, forgotten or expires (an applied list made at an equal
 * generation from the same items is the same list). */
uint64_t tcfs_overlay_gen(struct tcfs_overlay *o);

#endif
