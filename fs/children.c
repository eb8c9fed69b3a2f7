/*
 * children.c — the children of a collection with their names, kept per
 * listing generation.
 *
 * Building a collection's children (the overlay applied to each source's
 * listing, every item's name checked, the naming rules, which sort the
 * ids and the display names) costs O(n log n) for n children; a path
 * lookup needs them for every collection on the path, and `ls -l` of a
 * collection of n children looks n paths up (and readdir once): O(n² log
 * n) for one `ls -l`. So a built set is kept (struct tcfs_childset), with its
 * index by name and by id, and used again as long as it is the same
 * listing generation: the very same cached listing arrays (the cache
 * replaces an array, it never changes one; the set holds a reference to
 * each, so an address cannot be reused meanwhile) and the same overlay
 * generation (tcfs_overlay_gen). A lookup then costs two hash probes.
 *
 * The kept sets: a direct-mapped table of MEMO_SLOTS entries (a collision
 * replaces the older set), under one leaf lock (memo_lock) that guards the
 * table and the sets' reference counts; a set itself is immutable once
 * built. No other lock is taken while memo_lock is held.
 */
#include "tcfs.h"
#include "overlay.h"
#include "naming.h"
#include "spec.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_SLOTS 256

struct tcfs_childset {
	unsigned refs;                     /* under memo_lock */
	const struct tcfs_org *org;
	char *key;                         /* coll kind + the sources' list keys */
	size_t nsrc;
	json_t *raw[TCFS_MAX_SOURCES];     /* the cached listings (held) */
	json_t *items[TCFS_MAX_SOURCES];   /* with the overlay applied */
	uint64_t ogen;                     /* the overlay generation */
	struct tcfs_child *v;
	size_t n;
	uint32_t *by_name, *by_id;         /* open addressing: index + 1 */
	size_t mask;                       /* slots - 1 */
};

static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tcfs_childset *memo[MEMO_SLOTS];

static uint32_t hash_str(const char *s, uint32_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void set_free(struct tcfs_childset *cs)
{
	if (!cs)
		return;
	for (size_t s = 0; s < cs->nsrc; s++) {
		json_decref(cs->raw[s]);
		json_decref(cs->items[s]);
	}
	free(cs->v);
	free(cs->by_name);
	free(cs->by_id);
	free(cs->key);
	free(cs);
}

static void set_unref(struct tcfs_childset *cs)
{
	int last;

	if (!cs)
		return;
	pthread_mutex_lock(&memo_lock);
	last = --cs->refs == 0;
	pthread_mutex_unlock(&memo_lock);
	if (last)
		set_free(cs);
}

/* The first child called `s` in the index (name or id): its index, or -1. */
static long index_find(const struct tcfs_childset *cs, const uint32_t *tab,
		       int by_id, const char *s)
{
	size_t i;

	if (!tab)
		return -1;
	for (i = hash_str(s, 2166136261u) & cs->mask; tab[i]; i = (i + 1) & cs->mask) {
		const struct tcfs_child *c = &cs->v[tab[i] - 1];

		if (strcmp(by_id ? c->id : c->name, s) == 0)
			return (long)tab[i] - 1;
	}
	return -1;
}

static void index_add(struct tcfs_childset *cs, uint32_t *tab, int by_id, size_t idx)
{
	const char *s = by_id ? cs->v[idx].id : cs->v[idx].name;
	size_t i;

	for (i = hash_str(s, 2166136261u) & cs->mask; tab[i]; i = (i + 1) & cs->mask)
		if (strcmp(by_id ? cs->v[tab[i] - 1].id : cs->v[tab[i] - 1].name,
			   s) == 0)
			return;   /* the first one answers, as a scan would */
	tab[i] = (uint32_t)idx + 1;
}

/* Build the set from the sources' listings (raw, held by the caller). */
static struct tcfs_childset *set_build(struct tcfs_org *org,
				  const struct tcfs_node *coll,
				  const enum tcfs_kind *src, size_t nsrc,
				  json_t *const *raw, uint64_t *ogen)
{
	const struct tcfs_kind_desc *ck = tcfs_kind(coll->kind);
	enum tcfs_kind sub[TCFS_K_COUNT];
	const char *reserved[TCFS_K_COUNT + 16];
	struct tcfs_named *named = NULL;
	struct tcfs_childset *cs = calloc(1, sizeof(*cs));
	size_t nres = 0, total = 0, n = 0, nsub, slots = 8;

	if (!cs)
		return NULL;
	cs->refs = 1;
	cs->org = org;
	cs->nsrc = nsrc;
	for (size_t s = 0; s < nsrc; s++) {
		char lkey[TCFS_KEY_MAX];

		cs->raw[s] = json_incref(raw[s]);
		tcfs_list_key(src[s], coll, lkey, sizeof(lkey));
		cs->items[s] = tcfs_overlay_apply_gen(org->overlay, src[s], coll,
						      lkey, raw[s], ogen);
		if (!cs->items[s])
			goto fail;
		total += json_array_size(cs->items[s]);
	}
	cs->ogen = *ogen;
	cs->v = calloc(total ? total : 1, sizeof(*cs->v));
	named = calloc(total ? total : 1, sizeof(*named));
	if (!cs->v || !named)
		goto fail;
	for (size_t s = 0; s < nsrc; s++) {
		const struct tcfs_kind_desc *sk = tcfs_kind(src[s]);
		size_t i;
		json_t *it;

		json_array_foreach(cs->items[s], i, it) {
			const char *id = tcfs_json_str_borrow(it, sk->id_key);

			/* an id that is no string, no valid name or too long
			 * for a node (it would be cut) cannot be addressed */
			if (!json_is_object(it) || !id || !tcfs_name_valid(id) ||
			    strlen(id) >= TCFS_ID_MAX)
				continue;
			cs->v[n].kind = src[s];
			cs->v[n].src = (unsigned)s;
			cs->v[n].id = id;
			cs->v[n].item = it;
			named[n].id = id;
			named[n].display = sk->name_key ?
				json_string_value(tcfs_json_path_borrow(it,
							sk->name_key)) : NULL;
			n++;
		}
	}
	for (size_t i = 0; i < ck->nfiles && nres < 15; i++)
		reserved[nres++] = ck->files[i].name;
	nsub = tcfs_kind_subdirs(coll->kind, sub, TCFS_K_COUNT);
	for (size_t i = 0; i < nsub; i++)
		reserved[nres++] = tcfs_kind(sub[i])->dir_name;
	reserved[nres] = NULL;
	tcfs_naming_assign(named, n, reserved);
	for (size_t i = 0; i < n; i++)
		cs->v[i].name = named[i].name;
	cs->n = n;
	free(named);
	named = NULL;
	while (slots < 2 * n)
		slots *= 2;
	cs->mask = slots - 1;
	cs->by_name = calloc(slots, sizeof(*cs->by_name));
	cs->by_id = calloc(slots, sizeof(*cs->by_id));
	if (!cs->by_name || !cs->by_id)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		index_add(cs, cs->by_name, 0, i);
		index_add(cs, cs->by_id, 1, i);
	}
	return cs;
fail:
	free(named);
	set_free(cs);
	return NULL;
}

static int set_matches(const struct tcfs_childset *cs, const struct tcfs_org *org,
		       const char *key, size_t nsrc, json_t *const *raw,
		       uint64_t ogen)
{
	if (!cs || cs->org != org || cs->nsrc != nsrc || cs->ogen != ogen ||
	    strcmp(cs->key, key) != 0)
		return 0;
	for (size_t s = 0; s < nsrc; s++)
		if (cs->raw[s] != raw[s])
			return 0;
	return 1;
}

void tcfs_children_release(struct tcfs_children *c)
{
	for (size_t s = 0; s < TCFS_MAX_SOURCES; s++)
		json_decref(c->items[s]);
	set_unref(c->set);
	memset(c, 0, sizeof(*c));
}

const struct tcfs_child *tcfs_children_find(const struct tcfs_children *ch,
					    const char *name)
{
	const struct tcfs_childset *cs = ch->set;
	long i;

	if (!cs)
		return NULL;
	i = index_find(cs, cs->by_name, 0, name);
	if (i < 0)
		i = index_find(cs, cs->by_id, 1, name);
	return i < 0 ? NULL : &cs->v[i];
}

int tcfs_fetch_children(struct tcfs_org *org, const struct tcfs_node *coll,
			struct tcfs_children *out, struct tc_error *err)
{
	return tcfs_fetch_children_aged(org, coll, 0, out, err);
}

int tcfs_fetch_children_aged(struct tcfs_org *org, const struct tcfs_node *coll,
			     double max_age, struct tcfs_children *out,
			     struct tc_error *err)
{
	enum tcfs_kind src[TCFS_MAX_SOURCES];
	json_t *raw[TCFS_MAX_SOURCES] = { 0 };
	char key[TCFS_MAX_SOURCES * TCFS_KEY_MAX + 16];
	struct tcfs_childset *cs = NULL, *old = NULL;
	size_t nsrc, kl;
	uint64_t ogen, built_gen;
	unsigned slot;
	int r = 0;

	memset(out, 0, sizeof(*out));
	nsrc = tcfs_coll_sources(coll, src);
	r = tcfs_fetch_lists_raw(org, coll, src, nsrc, max_age, raw,
				 out->stale, err);
	if (r != 0)
		goto out;
	kl = (size_t)snprintf(key, sizeof(key), "%d", (int)coll->kind);
	for (size_t s = 0; s < nsrc && kl < sizeof(key); s++) {
		key[kl++] = '\n';
		tcfs_list_key(src[s], coll, key + kl, sizeof(key) - kl);
		kl += strlen(key + kl);
	}
	slot = (hash_str(key, 2166136261u) ^
		(uint32_t)(uintptr_t)org) % MEMO_SLOTS;
	ogen = tcfs_overlay_gen(org->overlay);
	pthread_mutex_lock(&memo_lock);
	if (set_matches(memo[slot], org, key, nsrc, raw, ogen)) {
		cs = memo[slot];
		cs->refs++;
	}
	pthread_mutex_unlock(&memo_lock);
	if (!cs) {
		built_gen = ogen;
		cs = set_build(org, coll, src, nsrc, raw, &built_gen);
		if (!cs) {
			r = -ENOMEM;
			goto out;
		}
		cs->key = strdup(key);
		/* kept only when nothing changed the overlay meanwhile */
		if (cs->key && built_gen == ogen) {
			pthread_mutex_lock(&memo_lock);
			old = memo[slot];
			memo[slot] = cs;
			cs->refs++;
			pthread_mutex_unlock(&memo_lock);
			set_unref(old);
		}
		if (!cs->key) {
			set_free(cs);
			r = -ENOMEM;
			goto out;
		}
	}
	out->set = cs;
	out->nsources = nsrc;
	for (size_t s = 0; s < nsrc; s++)
		out->items[s] = json_incref(cs->items[s]);
	out->v = cs->v;
	out->n = cs->n;
out:
	for (size_t s = 0; s < nsrc; s++)
		json_decref(raw[s]);
	if (r != 0)
		tcfs_children_release(out);
	return r;
}

void tcfs_children_forget_all(void)
{
	struct tcfs_childset *all[MEMO_SLOTS];

	pthread_mutex_lock(&memo_lock);
	memcpy(all, memo, sizeof(all));
	memset(memo, 0, sizeof(memo));
	pthread_mutex_unlock(&memo_lock);
	for (size_t i = 0; i < MEMO_SLOTS; i++)
		set_unref(all[i]);
}
