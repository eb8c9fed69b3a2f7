/* overlay.c — pending creates and tombstones; see overlay.h. */
#include "overlay.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pending {
	struct pending *next;
	char *list_key;
	char *id;
	json_t *obj;
	time_t expires;
};

struct tomb {
	struct tomb *next;
	char *key;
	time_t expires;
};

struct tcfs_overlay {
	pthread_mutex_t lock;   /* guards both lists */
	struct pending *pending;
	struct tomb *tombs;
	uint64_t gen;           /* bumped by every change of either list */
};

struct tcfs_overlay *tcfs_overlay_new(void)
{
	struct tcfs_overlay *o = calloc(1, sizeof(*o));

	if (o)
		pthread_mutex_init(&o->lock, NULL);
	return o;
}

static void free_pending(struct pending *p)
{
	json_decref(p->obj);
	free(p->list_key);
	free(p->id);
	free(p);
}

void tcfs_overlay_free(struct tcfs_overlay *o)
{
	if (!o)
		return;
	while (o->pending) {
		struct pending *n = o->pending->next;

		free_pending(o->pending);
		o->pending = n;
	}
	while (o->tombs) {
		struct tomb *n = o->tombs->next;

		free(o->tombs->key);
		free(o->tombs);
		o->tombs = n;
	}
	pthread_mutex_destroy(&o->lock);
	free(o);
}

/* Caller holds the lock. */
static void expire(struct tcfs_overlay *o)
{
	time_t now = time(NULL);

	for (struct pending **pp = &o->pending; *pp;) {
		if ((*pp)->expires <= now) {
			struct pending *p = *pp;

			*pp = p->next;
			free_pending(p);
			o->gen++;
		} else {
			pp = &(*pp)->next;
		}
	}
	for (struct tomb **tp = &o->tombs; *tp;) {
		if ((*tp)->expires <= now) {
			struct tomb *t = *tp;

			*tp = t->next;
			free(t->key);
			free(t);
			o->gen++;
		} else {
			tp = &(*tp)->next;
		}
	}
}

void tcfs_overlay_add_pending(struct tcfs_overlay *o, const char *list_key,
			      const char *id, json_t *obj)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (!p)
		return;
	p->list_key = strdup(list_key);
	p->id = strdup(id);
	p->obj = json_deep_copy(obj);
	p->expires = time(NULL) + TCFS_OVERLAY_TTL;
	if (!p->list_key || !p->id || !p->obj) {
		free_pending(p);
		return;
	}
	pthread_mutex_lock(&o->lock);
	p->next = o->pending;
	o->pending = p;
	o->gen++;
	pthread_mutex_unlock(&o->lock);
}

void tcfs_overlay_update_pending(struct tcfs_overlay *o, const char *list_key,
				 const char *id, json_t *obj)
{
	json_t *copy = json_deep_copy(obj);

	if (!copy)
		return;
	pthread_mutex_lock(&o->lock);
	for (struct pending *p = o->pending; p; p = p->next) {
		if (strcmp(p->list_key, list_key) == 0 && strcmp(p->id, id) == 0) {
			json_decref(p->obj);
			p->obj = json_incref(copy);
			o->gen++;
		}
	}
	pthread_mutex_unlock(&o->lock);
	json_decref(copy);
}

void tcfs_overlay_forget_pending(struct tcfs_overlay *o, const char *list_key,
				 const char *id)
{
	pthread_mutex_lock(&o->lock);
	for (struct pending **pp = &o->pending; *pp;) {
		if (strcmp((*pp)->list_key, list_key) == 0 &&
		    strcmp((*pp)->id, id) == 0) {
			struct pending *p = *pp;

			*pp = p->next;
			free_pending(p);
			o->gen++;
		} else {
			pp = &(*pp)->next;
		}
	}
	pthread_mutex_unlock(&o->lock);
}

void tcfs_overlay_tombstone(struct tcfs_overlay *o, const char *obj_key)
{
	struct tomb *t = calloc(1, sizeof(*t));

	if (!t)
		return;
	t->key = strdup(obj_key);
	if (!t->key) {
		free(t);
		return;
	}
	t->expires = time(NULL) + TCFS_OVERLAY_TTL;
	pthread_mutex_lock(&o->lock);
	t->next = o->tombs;
	o->tombs = t;
	o->gen++;
	pthread_mutex_unlock(&o->lock);
}

void tcfs_overlay_untombstone(struct tcfs_overlay *o, const char *obj_key)
{
	pthread_mutex_lock(&o->lock);
	for (struct tomb **pp = &o->tombs; *pp;) {
		struct tomb *t = *pp;

		if (strcmp(t->key, obj_key) == 0) {
			*pp = t->next;
			free(t->key);
			free(t);
			o->gen++;
		} else {
			pp = &t->next;
		}
	}
	pthread_mutex_unlock(&o->lock);
}

/* Caller holds the lock. */
static int tombstoned(struct tcfs_overlay *o, const char *key)
{
	for (struct tomb *t = o->tombs; t; t = t->next)
		if (strcmp(t->key, key) == 0)
			return 1;
	return 0;
}

int tcfs_overlay_is_tombstoned(struct tcfs_overlay *o, const char *obj_key)
{
	int r;

	pthread_mutex_lock(&o->lock);
	expire(o);
	r = tombstoned(o, obj_key);
	pthread_mutex_unlock(&o->lock);
	return r;
}

json_t *tcfs_overlay_apply_gen(struct tcfs_overlay *o, enum tcfs_kind kind,
			       const struct tcfs_node *coll,
			       const char *list_key, json_t *items,
			       uint64_t *gen)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	json_t *out = json_array();
	size_t i;
	json_t *it;

	if (!out)
		return json_incref(items);
	pthread_mutex_lock(&o->lock);
	expire(o);
	json_array_foreach(items, i, it) {
		const char *id = tcfs_json_str_borrow(it, k->id_key);
		char key[TCFS_KEY_MAX];

		if (id) {
			tcfs_obj_key(kind, coll, id, key, sizeof(key));
			if (tombstoned(o, key))
				continue;
			/* the API lists it now: forget the pending create */
			for (struct pending **pp = &o->pending; *pp;) {
				if (strcmp((*pp)->list_key, list_key) == 0 &&
				    strcmp((*pp)->id, id) == 0) {
					struct pending *p = *pp;

					*pp = p->next;
					free_pending(p);
					o->gen++;
				} else {
					pp = &(*pp)->next;
				}
			}
		}
		json_array_append(out, it);
	}
	for (struct pending *p = o->pending; p; p = p->next) {
		char key[TCFS_KEY_MAX];

		if (strcmp(p->list_key, list_key) != 0)
			continue;
		tcfs_obj_key(kind, coll, p->id, key, sizeof(key));
		if (!tombstoned(o, key))
			json_array_append(out, p->obj);
	}
	if (gen)
		*gen = o->gen;
	pthread_mutex_unlock(&o->lock);
	return out;
}

json_t *tcfs_overlay_apply(struct tcfs_overlay *o, enum tcfs_kind kind,
			   const struct tcfs_node *coll, const char *list_key,
			   json_t *items)
{
	return tcfs_overlay_apply_gen(o, kind, coll, list_key, items, NULL);
}

uint64_t tcfs_overlay_gen(struct tcfs_overlay *o)
{
	uint64_t g;

	pthread_mutex_lock(&o->lock);
	expire(o);
	g = o->gen;
	pthread_mutex_unlock(&o->lock);
	return g;
}
