/* store.c — the generic object store (store.h). */
#include "store.h"
#include "emu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guarded by the model lock (emu_model_lock). */
static struct emu_object **objects;
static size_t nobjects, cap_objects;

static bool fits(const char *s)
{
	return s && *s && strlen(s) < EMU_STORE_ID_LEN;
}

static bool parents_match(const struct emu_object *o,
			  const char *const parents[], size_t n, bool exact)
{
	if (exact ? o->nparents != n : o->nparents < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!parents[i] || strcmp(o->parents[i], parents[i]) != 0)
			return false;
	return true;
}

struct emu_object *emu_store_find(const char *kind, const char *const parents[],
				  size_t nparents, const char *id)
{
	for (size_t i = 0; kind && id && i < nobjects; i++) {
		struct emu_object *o = objects[i];
		if (strcmp(o->kind, kind) == 0 && strcmp(o->id, id) == 0 &&
		    (!parents || parents_match(o, parents, nparents, true)))
			return o;
	}
	return NULL;
}

struct emu_object *emu_store_add(const char *kind, const char *id,
				 const char *const parents[], size_t nparents,
				 json_t *obj, const char *state_key)
{
	struct emu_object *o;

	if (!kind || !fits(id) || !obj || nparents > EMU_STORE_MAX_PARENTS ||
	    (nparents && !parents))
		goto refuse;
	for (size_t i = 0; i < nparents; i++)
		if (!fits(parents[i]))
			goto refuse;
	if (emu_store_find(kind, parents, nparents, id))
		goto refuse;
	if (nobjects == cap_objects) {
		size_t cap = cap_objects ? 2 * cap_objects : 64;
		struct emu_object **p = realloc(objects, cap * sizeof(*p));
		if (!p)
			goto refuse;
		objects = p;
		cap_objects = cap;
	}
	if (!(o = calloc(1, sizeof(*o))))
		goto refuse;
	o->kind = kind;
	snprintf(o->id, sizeof(o->id), "%s", id);
	for (size_t i = 0; i < nparents; i++)
		snprintf(o->parents[i], sizeof(o->parents[i]), "%s", parents[i]);
	o->nparents = nparents;
	o->obj = obj;
	o->state_key = state_key;
	objects[nobjects++] = o;
	return o;
refuse:
	json_decref(obj);
	return NULL;
}

json_t *emu_store_list(const char *kind, const char *const parents[],
		       size_t nparents,
		       bool (*keep)(const struct emu_object *o, void *arg),
		       void *arg)
{
	json_t *out = json_array();

	for (size_t i = 0; out && kind && i < nobjects; i++) {
		struct emu_object *o = objects[i];
		if (strcmp(o->kind, kind) == 0 &&
		    parents_match(o, parents, nparents, false) &&
		    (!keep || keep(o, arg)))
			json_array_append_new(out, json_deep_copy(o->obj));
	}
	return out;
}

size_t emu_store_count(const char *kind)
{
	size_t n = 0;

	for (size_t i = 0; kind && i < nobjects; i++)
		if (strcmp(objects[i]->kind, kind) == 0)
			n++;
	return n;
}

static void object_free(struct emu_object *o)
{
	json_decref(o->obj);
	free(o);
}

void emu_store_remove(struct emu_object *o)
{
	for (size_t i = 0; i < nobjects; i++) {
		if (objects[i] != o)
			continue;
		memmove(&objects[i], &objects[i + 1],
			(nobjects - i - 1) * sizeof(*objects));
		nobjects--;
		object_free(o);
		return;
	}
}

static void put_state(struct emu_object *o, const char *state)
{
	if (o->state_key)
		json_object_set_new(o->obj, o->state_key, json_string(state));
}

void emu_store_set_state(struct emu_object *o, const char *state)
{
	o->deadline_ms = 0;
	o->nsteps = 0;
	o->remove_after = false;
	put_state(o, state);
}

static int64_t period_ms(void)
{
	return emu_cfg.transition_ms > 0 ? emu_cfg.transition_ms : 0;
}

void emu_store_schedule(struct emu_object *o, const char *const states[],
			size_t n, bool remove_after)
{
	if (n == 0 && !remove_after)
		return;
	if (n > 0)
		emu_store_set_state(o, states[0]);
	for (size_t i = 1; i < n && o->nsteps < EMU_STORE_MAX_STEPS; i++)
		snprintf(o->steps[o->nsteps++], sizeof(o->steps[0]), "%s", states[i]);
	o->remove_after = remove_after;
	o->deadline_ms = emu_now_ms() + period_ms();
	if (o->deadline_ms <= 0)
		o->deadline_ms = 1;
}

/* Take the steps of o that are due; false when o was removed (freed). */
static bool object_advance(struct emu_object *o, int64_t now)
{
	while (o->deadline_ms > 0 && now >= o->deadline_ms) {
		if (o->nsteps == 0) {
			if (o->remove_after)
				return false;
			o->deadline_ms = 0;
			break;
		}
		put_state(o, o->steps[0]);
		memmove(o->steps[0], o->steps[1],
			(o->nsteps - 1) * sizeof(o->steps[0]));
		o->nsteps--;
		if (o->nsteps == 0 && !o->remove_after)
			o->deadline_ms = 0;
		else
			o->deadline_ms += period_ms();
	}
	return true;
}

void emu_store_advance(void)
{
	int64_t now = emu_now_ms();
	size_t out = 0;

	for (size_t i = 0; i < nobjects; i++) {
		if (!object_advance(objects[i], now)) {
			object_free(objects[i]);
			continue;
		}
		objects[out++] = objects[i];
	}
	nobjects = out;
}

void emu_store_free(void)
{
	for (size_t i = 0; i < nobjects; i++)
		object_free(objects[i]);
	free(objects);
	objects = NULL;
	nobjects = cap_objects = 0;
}
