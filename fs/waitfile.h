/*
 * waitfile.h — the `wait` file of a resource that has a state: reading it
 * blocks while the resource is in a transitional state (CREATING,
 * MODIFYING, PAUSING, RESUMING, ...), then gives the final state and a
 * newline ("DELETED" when the resource went away meanwhile).
 *
 * - Bounded by -o wait_timeout (default 1800 s): -ETIMEDOUT.
 * - An interrupted request (Ctrl-C on the reader) ends at once: -EINTR.
 * - Polling is shared: all readers waiting on the same resource are
 *   served by one poll (one GET) at a time, paced at one per second or
 *   slower when the client's rate-limit view (X-Ratelimit-*) is low: a
 *   poll spends at most a quarter of what is left of the minute.
 * - getattr never blocks: st_size is the exact length when the resource
 *   is settled, 0 while it is in transition (as /proc files do).
 */
#ifndef TCFS_WAITFILE_H
#define TCFS_WAITFILE_H

#include "tcfs.h"

/* 1 when `state` is a transitional state. */
int tcfs_state_transitional(const char *state);
/* The text of a read of `wait` (blocks; see above). *text malloc'd. */
int tcfs_wait_text(const struct tcfs_node *n, char **text, size_t *len);
/* st_size of `wait` without blocking (exact or 0). */
int tcfs_wait_peek(const struct tcfs_node *n, size_t *len);

#endif
