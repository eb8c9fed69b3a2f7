/*
 * store.h — the emulator's generic object store: the resources of every
 * family that is not a project or a cluster (backups, branches, exports,
 * ...), each kept as the API object its family returns.
 *
 * An object has a kind (a static string of its family file, such as
 * "serverless-backup"), an id, up to EMU_STORE_MAX_PARENTS parent ids
 * (outermost first: cluster, then export, ...), its JSON body, and an
 * optional state timer: emu_store_schedule() sets a state now and queues the
 * next ones, each reached --transition-ms after the previous one, and may
 * remove the object after the last (a deletion).
 *
 * Invariants:
 *   - (kind, parents, id) is unique; objects keep their insertion order,
 *     which is the order every list returns;
 *   - when state_key is set, obj[state_key] is the current state; an object
 *     with deadline_ms > 0 has steps (or remove_after) still to come;
 *   - obj is owned by the store: handlers answer with copies.
 * Every function requires emu_model_lock() (the whole data model is one
 * lock), except emu_store_free at shutdown.
 */
#ifndef EMU_STORE_H
#define EMU_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define EMU_STORE_MAX_PARENTS 3
#define EMU_STORE_MAX_STEPS   4
#define EMU_STORE_ID_LEN      128

struct emu_object {
	const char *kind;
	char id[EMU_STORE_ID_LEN];
	char parents[EMU_STORE_MAX_PARENTS][EMU_STORE_ID_LEN];
	size_t nparents;
	json_t *obj;
	const char *state_key;     /* "state", "status", or NULL: no state */
	int64_t deadline_ms;       /* 0: no step pending */
	char steps[EMU_STORE_MAX_STEPS][32];   /* states still to come */
	size_t nsteps;
	bool remove_after;         /* removed one period after the last step */
};

/* Add an object; steals obj (also on failure). NULL when an id or a parent
 * is empty or too long, there are too many parents, or the object exists. */
struct emu_object *emu_store_add(const char *kind, const char *id,
				 const char *const parents[], size_t nparents,
				 json_t *obj, const char *state_key);

/* The object of kind with id; parents NULL = under any parent, else the
 * nparents ids must match exactly. NULL when absent. */
struct emu_object *emu_store_find(const char *kind, const char *const parents[],
				  size_t nparents, const char *id);

/* Deep copies of the objects of kind whose first nparents parents are
 * parents[] (all of the kind when nparents is 0), in insertion order, that
 * `keep` (may be NULL) accepts. New array. */
json_t *emu_store_list(const char *kind, const char *const parents[],
		       size_t nparents,
		       bool (*keep)(const struct emu_object *o, void *arg),
		       void *arg);

/* Number of objects of kind (any parent). */
size_t emu_store_count(const char *kind);

/* Remove and free an object now. */
void emu_store_remove(struct emu_object *o);

/* Set the state now, cancelling pending steps. */
void emu_store_set_state(struct emu_object *o, const char *state);
/* states[0] now, then each next one --transition-ms after the previous;
 * with remove_after the object disappears one period after the last. At
 * most EMU_STORE_MAX_STEPS + 1 states (more are ignored). */
void emu_store_schedule(struct emu_object *o, const char *const states[],
			size_t n, bool remove_after);

/* Apply every step whose time has come (called with each request). */
void emu_store_advance(void);
/* Free every object (shutdown, reload). */
void emu_store_free(void);

#endif
