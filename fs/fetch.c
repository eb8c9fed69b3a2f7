/*
 * fetch.c — reading the API through the cache: lists (one call per page,
 * items also fill the object cache), objects (one GET, which also keeps
 * the object's item in the cached listing current), collections' children
 * with their names (fresh for readdir, or aged for name resolution: the
 * rule in tcfs.h; the resolver itself is fs/resolve.c).
 */
#include "tcfs.h"
#include "cache.h"
#include "overlay.h"
#include "naming.h"
#include "log.h"
#include "spec.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tcfs_ctx *tcfs_g;

struct tcfs_org *tcfs_org_of(const struct tcfs_node *n)
{
	if (!tcfs_g || n->org < 0 || (size_t)n->org >= tcfs_g->norgs)
		return NULL;
	return &tcfs_g->orgs[n->org];
}

static int not_found(struct tc_error *err, const char *what)
{
	tc_error_clear(err);
	err->kind = TC_E_HTTP;
	err->http_status = 404;
	snprintf(err->message, sizeof(err->message), "%s not found", what);
	return -ENOENT;
}

/* A response of the wrong shape: drop it, fill err ("<what> is not ..."),
 * return -1 (for fetch callbacks). */
static int bad_shape(json_t **v, struct tc_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad_shape(json_t **v, struct tc_error *err, const char *fmt, ...)
{
	va_list ap;

	json_decref(*v);
	*v = NULL;
	tc_error_clear(err);
	err->kind = TC_E_BAD_RESPONSE;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* The -errno of a failed fetch (EIO when the error maps to none). */
static int fetch_errno(const struct tc_error *err)
{
	int e = tc_error_errno(err, 0);

	return -(e ? e : EIO);
}

/* ---- lists -------------------------------------------------------------- */

struct list_arg {
	struct tcfs_org *org;
	enum tcfs_kind src;
	const struct tcfs_node *coll;
};

static int fetch_list_cb(void *arg, uint64_t start, json_t **out,
			 struct tc_error *err)
{
	struct list_arg *a = arg;
	const struct tcfs_kind_desc *k = tcfs_kind(a->src);
	json_t *items = NULL;
	size_t i;
	json_t *it;

	if ((k->list_fn ? k->list_fn(a->org, a->src, a->coll, &items, err)
			: tcfs_call_list(a->org, &k->list, a->coll, &items,
					 err)) != 0)
		return -1;
	if (!json_is_array(items))
		return bad_shape(&items, err, "list of %ss is not an array",
				 k->label);
	/* a list of whole objects fills the object cache; a list of partial
	 * items never marks an object as known (its file needs the full one) */
	json_array_foreach(k->list_partial ? NULL : items, i, it) {
		const char *id = tcfs_json_str_borrow(it, k->id_key);
		char key[TCFS_KEY_MAX];

		if (!json_is_object(it) || !id)
			continue;
		tcfs_obj_key(a->src, a->coll, id, key, sizeof(key));
		tcfs_cache_store(a->org->cache, key, it, start);
	}
	if (k->on_list)
		k->on_list(a->org, items);
	*out = items;
	return 0;
}

/* A list through the cache, as the API answered it (no overlay). max_age
 * > 0: a cached list that expired less than max_age seconds ago is used as
 * it is (*stale = 1). */
static int fetch_list_raw(struct tcfs_org *org, enum tcfs_kind src,
			  const struct tcfs_node *coll, double max_age,
			  json_t **raw, int *stale, struct tc_error *err)
{
	const struct tcfs_kind_desc *k = tcfs_kind(src);
	char key[TCFS_KEY_MAX];
	struct list_arg a = { org, src, coll };

	*raw = NULL;
	*stale = 0;
	if (!k->list.desc)
		return not_found(err, k->label);
	tcfs_list_key(src, coll, key, sizeof(key));
	if (max_age > 0) {
		int g = tcfs_cache_get_aged(org->cache, key, max_age, raw);

		if (g <= 0)
			*raw = NULL;   /* a miss (or a 404 remembered): fetch */
		*stale = g == 2;
	}
	if (!*raw && tcfs_cache_fetch(org->cache, key, fetch_list_cb, &a, raw,
				      err) != 0)
		return fetch_errno(err);
	return 0;
}

/* The same with the overlay applied. */
static int fetch_list_aged(struct tcfs_org *org, enum tcfs_kind src,
			   const struct tcfs_node *coll, double max_age,
			   json_t **items, int *stale, struct tc_error *err)
{
	char key[TCFS_KEY_MAX];
	json_t *raw = NULL;
	int r;

	*items = NULL;
	r = fetch_list_raw(org, src, coll, max_age, &raw, stale, err);
	if (r != 0)
		return r;
	tcfs_list_key(src, coll, key, sizeof(key));
	*items = tcfs_overlay_apply(org->overlay, src, coll, key, raw);
	json_decref(raw);
	return *items ? 0 : -ENOMEM;
}

int tcfs_fetch_list(struct tcfs_org *org, enum tcfs_kind src,
		    const struct tcfs_node *coll, json_t **items,
		    struct tc_error *err)
{
	int stale;

	return fetch_list_aged(org, src, coll, 0, items, &stale, err);
}

struct file_list_arg {
	struct tcfs_org *org;
	const struct tcfs_file_desc *f;
	const struct tcfs_node *n;
};

static int fetch_file_list_cb(void *arg, uint64_t start, json_t **out,
			      struct tc_error *err)
{
	struct file_list_arg *a = arg;

	(void)start;
	if (tcfs_call_list(a->org, &a->f->call, a->n, out, err) != 0)
		return -1;
	if (!json_is_array(*out))
		return bad_shape(out, err, "%s: the list is not an array",
				 a->f->name);
	return 0;
}

int tcfs_fetch_file_list(struct tcfs_org *org, const struct tcfs_file_desc *f,
			 json_t **items, struct tc_error *err)
{
	struct tcfs_node top;
	struct file_list_arg a = { org, f, &top };
	char key[TCFS_KEY_MAX];

	/* a list of the organization: no ids */
	memset(&top, 0, sizeof(top));
	tcfs_call_key(&f->call, &top, NULL, key, sizeof(key));
	/* through tcfs_cache_fetch: 50 parallel cats cost one request */
	if (tcfs_cache_fetch(org->cache, key, fetch_file_list_cb, &a,
			     items, err) != 0)
		return fetch_errno(err);
	return 0;
}

/* ---- keeping cached lists current after a change ------------------------ */

struct item_edit {
	const char *id_key;
	const char *id;
	json_t *obj;           /* the replacement; NULL = remove */
	int changed_only;      /* NULL when the list would not change */
	json_t *by_id;         /* non-NULL: {id: replacement} for many items
	                          (id and obj unused) */
};

/* The replacement of item `it` (id iid) by an edit: the item itself when
 * the edit does not touch it, NULL when it removes it. */
static json_t *edit_target(const struct item_edit *a, const char *iid,
			   json_t *it)
{
	json_t *r;

	if (!iid)
		return it;
	if (a->by_id)
		return (r = json_object_get(a->by_id, iid)) ? r : it;
	return strcmp(iid, a->id) == 0 ? a->obj : it;
}

/* tcfs_edit_fn (pure; runs under the cache lock): a copy of the list with
 * the item `id` replaced by obj or removed. */
static json_t *edit_items(void *arg, json_t *cur)
{
	const struct item_edit *a = arg;
	json_t *out, *it;
	size_t i;
	int changed = 0;

	if (!json_is_array(cur))
		return NULL;
	if (a->changed_only) {
		/* most refreshes change nothing: no copy of a long list */
		json_array_foreach(cur, i, it) {
			const char *iid = tcfs_json_str_borrow(it, a->id_key);
			json_t *t = edit_target(a, iid, it);

			if (t != it && !(t && json_equal(it, t)))
				changed = 1;
		}
		if (!changed)
			return NULL;
	}
	if (!(out = json_array()))
		return NULL;
	json_array_foreach(cur, i, it) {
		json_t *keep = edit_target(a, tcfs_json_str_borrow(it, a->id_key),
					   it);

		if (keep && json_array_append(out, keep) != 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static void edit_list(struct tcfs_org *org, enum tcfs_kind kind,
		      const struct tcfs_node *coll, const char *id, json_t *obj)
{
	struct item_edit a = { tcfs_kind(kind)->id_key, id, obj, 0, NULL };
	char key[TCFS_KEY_MAX];

	tcfs_list_key(kind, coll, key, sizeof(key));
	if (obj)
		tcfs_overlay_update_pending(org->overlay, key, id, obj);
	tcfs_cache_edit(org->cache, key, edit_items, &a);
}

void tcfs_list_update_item(struct tcfs_org *org, enum tcfs_kind kind,
			   const struct tcfs_node *coll, const char *id,
			   json_t *obj)
{
	if (id && obj)
		edit_list(org, kind, coll, id, obj);
}

void tcfs_list_remove_item(struct tcfs_org *org, enum tcfs_kind kind,
			   const struct tcfs_node *coll, const char *id)
{
	if (id)
		edit_list(org, kind, coll, id, NULL);
}

/* ---- objects ------------------------------------------------------------ */

struct obj_arg {
	struct tcfs_org *org;
	enum tcfs_kind kind;
	const char *id;
	const struct tcfs_node *coll;   /* the collection listing it */
};

/* A GET answered (obj, or NULL after a 404): the object's item in the
 * cached listing follows, unless that listing changed since the GET
 * started (a change made meanwhile is newer than this answer). */
static void refresh_item(struct obj_arg *a, json_t *obj, uint64_t start)
{
	struct item_edit e = { tcfs_kind(a->kind)->id_key, a->id, obj, 1, NULL };
	char key[TCFS_KEY_MAX];

	tcfs_list_key(a->kind, a->coll, key, sizeof(key));
	tcfs_cache_edit_fetched(a->org->cache, key, edit_items, &e, start);
}

static int fetch_obj_cb(void *arg, uint64_t start, json_t **out,
			struct tc_error *err)
{
	struct obj_arg *a = arg;
	const struct tcfs_kind_desc *k = tcfs_kind(a->kind);
	const char *oid;

	if (tcfs_call_one(a->org, &k->get, a->coll, a->id, NULL, out, err) != 0) {
		if (err->kind == TC_E_HTTP && err->http_status == 404) {
			char lkey[TCFS_KEY_MAX];

			refresh_item(a, NULL, start);   /* gone */
			/* a pending create the API says is gone is shown
			 * no more (deleted behind the mount's back) */
			tcfs_list_key(a->kind, a->coll, lkey, sizeof(lkey));
			tcfs_overlay_forget_pending(a->org->overlay, lkey, a->id);
		}
		return -1;
	}
	if (!json_is_object(*out))
		return bad_shape(out, err, "%s %s is not an object", k->label,
				 a->id);
	/* an answer about another id never goes into the listing */
	oid = tcfs_json_str_borrow(*out, k->id_key);
	if (oid && strcmp(oid, a->id) == 0)
		refresh_item(a, *out, start);
	return 0;
}

/* ---- batches (a row with batch_get) ---------------------------------- */

size_t tcfs_batch_pick(json_t *items, const char *id_key, const char *id,
		       int (*want)(void *arg, const char *id), void *arg,
		       const char **out, size_t max)
{
	size_t n = 0, at = 0, count = json_array_size(items);

	if (max == 0)
		return 0;
	out[n++] = id;
	for (size_t i = 0; i < count; i++) {
		const char *iid = tcfs_json_str_borrow(json_array_get(items, i),
						       id_key);

		if (iid && strcmp(iid, id) == 0) {
			at = i + 1;
			break;
		}
	}
	for (size_t j = 0; j < count && n < max; j++) {
		const char *iid = tcfs_json_str_borrow(
			json_array_get(items, (at + j) % count), id_key);
		int dup = 0;

		if (!iid || !*iid || strcmp(iid, id) == 0 || !want(arg, iid))
			continue;
		for (size_t k = 1; k < n && !dup; k++)
			dup = strcmp(out[k], iid) == 0;
		if (!dup)
			out[n++] = iid;
	}
	return n;
}

/* A sibling is worth fetching along when its object is neither fresh in
 * the cache nor known gone (a miss), nor deleted by us, nor being fetched
 * by another thread: then it is reserved (tcfs_cache_reserve), so that a
 * reader of it meanwhile waits for this batch, and no other batch picks it
 * (8 readers of one collection fetch each object once). */
static int want_sibling(void *arg, const char *id)
{
	struct obj_arg *a = arg;
	char key[TCFS_KEY_MAX];

	tcfs_obj_key(a->kind, a->coll, id, key, sizeof(key));
	if (tcfs_overlay_is_tombstoned(a->org->overlay, key))
		return 0;
	return tcfs_cache_reserve(a->org->cache, key);
}

/* End the reservations of ids[from..to): each stored with its object in
 * by_id (NULL: none). */
static void release_siblings(struct obj_arg *a, const char **ids, size_t from,
			     size_t to, json_t *by_id, uint64_t start)
{
	for (size_t j = from; j < to; j++) {
		char key[TCFS_KEY_MAX];

		tcfs_obj_key(a->kind, a->coll, ids[j], key, sizeof(key));
		tcfs_cache_release(a->org->cache, key,
				   by_id ? json_object_get(by_id, ids[j]) : NULL,
				   start);
	}
}

static int fetch_obj_cb(void *arg, uint64_t start, json_t **out,
			struct tc_error *err);

/* The object `a->id` with up to TCFS_BATCH_MAX - 1 siblings of its cached
 * listing (fresh or usable for names) whose objects are not fresh: one
 * batch_get; the siblings go into the cache, every answer into the
 * listing. Alone (no listing, no sibling wanted), after a failure that
 * may be one id's (404: the batch is atomic) or when the answer lacks it:
 * the single GET. */
static int fetch_batch_cb(void *arg, uint64_t start, json_t **out,
			  struct tc_error *err)
{
	struct obj_arg *a = arg;
	const struct tcfs_kind_desc *k = tcfs_kind(a->kind);
	double timeout = tcfs_g ? tcfs_g->opts.cache_timeout : 0;
	const char *ids[TCFS_BATCH_MAX];
	struct item_edit e = { k->id_key, NULL, NULL, 1, NULL };
	char key[TCFS_KEY_MAX];
	json_t *list = NULL, *got = NULL, *it;
	size_t n = 0, i;
	int g;

	tcfs_list_key(a->kind, a->coll, key, sizeof(key));
	g = tcfs_cache_get_aged(a->org->cache, key,
				tcfs_resolve_max_age(timeout), &list);
	if (g == 1 || g == 2)
		n = tcfs_batch_pick(list, k->id_key, a->id, want_sibling, a,
				    ids, TCFS_BATCH_MAX);
	/* a URL of at most ~TCFS_BATCH_URL_BUDGET bytes of ids (100 ids of
	 * 20 digits: 3.2 KB) */
	for (size_t used = 0, j = 0; j < n; j++) {
		for (const char *p = ids[j]; *p; p++)
			used += strchr("-._~", *p) || (*p >= '0' && *p <= '9') ||
				((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ? 1 : 3;
		used += sizeof("&clusterIds=") - 1;
		if (used > TCFS_BATCH_URL_BUDGET && j > 0) {
			release_siblings(a, ids, j, n, NULL, start);
			n = j;
		}
	}
	if (n < 2 || k->batch_get(a->org->client, ids, n, &got, err) != 0) {
		if (n >= 2)
			release_siblings(a, ids, 1, n, NULL, start);
		json_decref(list);
		if (n >= 2 && !(err->kind == TC_E_HTTP &&
				(err->http_status == 404 || err->http_status == 400)))
			return -1;   /* not about one id: the GET would fail too */
		tc_error_clear(err);
		return fetch_obj_cb(arg, start, out, err);
	}
	e.by_id = json_object();
	json_array_foreach(got, i, it) {
		const char *oid = tcfs_json_str_borrow(it, k->id_key);

		if (!json_is_object(it) || !oid || !e.by_id)
			continue;
		json_object_set(e.by_id, oid, it);
		if (strcmp(oid, a->id) == 0) {
			json_decref(*out);
			*out = json_incref(it);
		}
	}
	/* the reserved siblings: stored (or left as they were) and freed */
	release_siblings(a, ids, 1, n, e.by_id, start);
	if (e.by_id)
		tcfs_cache_edit_fetched(a->org->cache, key, edit_items, &e, start);
	json_decref(e.by_id);
	json_decref(got);
	json_decref(list);
	if (!*out) {
		tc_error_clear(err);
		return fetch_obj_cb(arg, start, out, err);
	}
	return 0;
}

/* An expired object is fetched alone (1 request) — unless its siblings are
 * being read too: when the GETs made in place of listing the collection
 * again, within one cache_timeout window, already reach what listing it
 * costs (its pages), the listing is fetched instead; it refreshes every
 * object of the collection at once. One cluster read again and again (a
 * `watch`) makes one GET per window and never relists; a scan of N
 * clusters after expiry costs at most 2 x pages, not N. Only with an
 * expired listing still usable for names (a fresh one would have answered;
 * without one there is nothing to compare with). */
static int relist_is_cheaper(struct tcfs_org *org, enum tcfs_kind kind,
			     const struct tcfs_node *coll)
{
	double timeout = tcfs_g ? tcfs_g->opts.cache_timeout : 0;
	char key[TCFS_KEY_MAX];
	json_t *list = NULL;
	size_t pages;

	tcfs_list_key(kind, coll, key, sizeof(key));
	if (tcfs_cache_get_aged(org->cache, key, tcfs_resolve_max_age(timeout),
				&list) != 2) {
		json_decref(list);
		return 0;
	}
	pages = (json_array_size(list) + TC_PAGE_SIZE - 1) / TC_PAGE_SIZE;
	json_decref(list);
	return tcfs_cache_tick(org->cache, key, timeout) >= (pages ? pages : 1);
}

/* Objects without a GET call (projects) come from their listing. */
static int object_from_list(struct tcfs_org *org, enum tcfs_kind kind,
			    const struct tcfs_node *coll, const char *id,
			    json_t **obj, struct tc_error *err)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	json_t *items = NULL;
	size_t i;
	json_t *it;
	int r;

	r = tcfs_fetch_list(org, kind, coll, &items, err);
	if (r != 0)
		return r;
	json_array_foreach(items, i, it) {
		const char *iid = tcfs_json_str_borrow(it, k->id_key);

		if (iid && strcmp(iid, id) == 0) {
			*obj = json_incref(it);
			json_decref(items);
			return 0;
		}
	}
	json_decref(items);
	return not_found(err, k->label);
}

int tcfs_fetch_object(struct tcfs_org *org, const struct tcfs_node *res,
		      json_t **obj, struct tc_error *err)
{
	enum tcfs_kind kind = res->kind;
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	const char *id = tcfs_node_id(res);
	char key[TCFS_KEY_MAX];
	struct tcfs_node coll;
	struct obj_arg a = { org, kind, id, &coll };

	*obj = NULL;
	if (!id || k->cls != TCFS_C_RESOURCE)
		return not_found(err, k->label);
	tcfs_node_parent_coll(res, &coll);
	tcfs_obj_key(kind, &coll, id, key, sizeof(key));
	if (tcfs_overlay_is_tombstoned(org->overlay, key))
		return not_found(err, k->label);
	if (!k->get.desc) {
		json_t *v = NULL;

		if (tcfs_cache_get(org->cache, key, &v) == 1) {
			*obj = v;
			return 0;
		}
		return object_from_list(org, kind, &coll, id, obj, err);
	}
	if (!k->batch_get && tcfs_cache_get(org->cache, key, NULL) == 0 &&
	    relist_is_cheaper(org, kind, &coll)) {
		json_t *items = NULL;
		int r = tcfs_fetch_list(org, kind, &coll, &items, err);

		json_decref(items);
		if (r != 0)
			return r;
		/* listed: now fresh in the cache; not listed: the GET says */
	}
	if (tcfs_cache_fetch(org->cache, key,
			     k->batch_get ? fetch_batch_cb : fetch_obj_cb, &a,
			     obj, err) != 0)
		return fetch_errno(err);
	return 0;
}

int tcfs_fetch_object_brief(struct tcfs_org *org, const struct tcfs_node *res,
			    json_t **obj, struct tc_error *err)
{
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	const char *id = tcfs_node_id(res);
	char key[TCFS_KEY_MAX];
	struct tcfs_node coll;
	json_t *list = NULL, *it;
	size_t i;

	*obj = NULL;
	if (k->list_partial && id && k->cls == TCFS_C_RESOURCE) {
		tcfs_node_parent_coll(res, &coll);
		tcfs_obj_key(res->kind, &coll, id, key, sizeof(key));
		if (tcfs_overlay_is_tombstoned(org->overlay, key))
			return not_found(err, k->label);
		if (tcfs_cache_get(org->cache, key, obj) == 1)
			return 0;
		tcfs_list_key(res->kind, &coll, key, sizeof(key));
		if (tcfs_cache_get(org->cache, key, &list) == 1)
			json_array_foreach(list, i, it) {
				const char *iid = tcfs_json_str_borrow(it, k->id_key);

				if (iid && strcmp(iid, id) == 0) {
					*obj = json_incref(it);
					break;
				}
			}
		json_decref(list);
		if (*obj)
			return 0;
	}
	return tcfs_fetch_object(org, res, obj, err);
}

/* ---- children of a collection -------------------------------------------- */

size_t tcfs_coll_sources(const struct tcfs_node *coll, enum tcfs_kind *out)
{
	const struct tcfs_kind_desc *ck = tcfs_kind(coll->kind);
	enum tcfs_kind owner = tcfs_node_owner(coll);
	size_t n = 0;

	for (size_t s = 0; s < ck->nsources && s < TCFS_MAX_SOURCES; s++)
		if (ck->sources[s].under == TCFS_K_ROOT ||
		    ck->sources[s].under == owner)
			out[n++] = ck->sources[s].kind;
	return n;
}

void tcfs_invalidate_collection(struct tcfs_org *org,
				const struct tcfs_node *coll)
{
	enum tcfs_kind src[TCFS_MAX_SOURCES];
	size_t n = tcfs_coll_sources(coll, src);
	char key[TCFS_KEY_MAX];

	for (size_t s = 0; s < n; s++) {
		tcfs_list_key(src[s], coll, key, sizeof(key));
		if (key[0])
			tcfs_cache_invalidate(org->cache, key);
	}
}

void tcfs_invalidate_children(struct tcfs_org *org, const struct tcfs_node *res)
{
	enum tcfs_kind sub[TCFS_K_COUNT];
	size_t n = tcfs_kind_subdirs(res->kind, sub, TCFS_K_COUNT);

	for (size_t i = 0; i < n; i++) {
		struct tcfs_node coll;

		tcfs_node_dir(res, &coll);
		coll.kind = sub[i];
		if (tcfs_kind(sub[i])->cls == TCFS_C_COLLECTION)
			tcfs_invalidate_collection(org, &coll);
	}
}

/* One source's listing fetched by a thread of its own. */
struct list_job {
	struct tcfs_org *org;
	const struct tcfs_node *coll;
	enum tcfs_kind src;
	double max_age;
	json_t *raw;
	int stale;
	int r;
	struct tc_error err;
	pthread_t th;
	int threaded;
};

static void *list_job_run(void *arg)
{
	struct list_job *j = arg;

	tc_error_clear(&j->err);
	j->r = fetch_list_raw(j->org, j->src, j->coll, j->max_age, &j->raw,
			      &j->stale, &j->err);
	return NULL;
}

/* 1 when the source's listing would come from the cache (no request). */
static int list_cached(struct tcfs_org *org, enum tcfs_kind src,
		       const struct tcfs_node *coll, double max_age)
{
	char key[TCFS_KEY_MAX];
	int g;

	if (!tcfs_kind(src)->list.desc)
		return 1;
	tcfs_list_key(src, coll, key, sizeof(key));
	g = max_age > 0 ? tcfs_cache_get_aged(org->cache, key, max_age, NULL) :
			  tcfs_cache_get(org->cache, key, NULL);
	return g == 1 || g == 2;
}

/* The sources' listings; when two or more must be fetched, each of them
 * but the first gets a thread of its own (the serverless and Dedicated
 * clusters of a project are independent listings, on two hosts: `ls -l`
 * waits for the longer one, not for both). The threads take no lock of
 * this file; the cache coalesces them with any other fetch of the key. */
int tcfs_fetch_lists_raw(struct tcfs_org *org, const struct tcfs_node *coll,
			 const enum tcfs_kind *src, size_t nsrc,
			 double max_age, json_t **raw, int *stale,
			 struct tc_error *err)
{
	struct list_job jobs[TCFS_MAX_SOURCES];
	size_t missing = 0;
	int r = 0;

	memset(jobs, 0, sizeof(jobs));
	for (size_t s = 0; s < nsrc; s++) {
		jobs[s] = (struct list_job){ .org = org, .coll = coll,
			.src = src[s], .max_age = max_age };
		if (nsrc > 1 && !list_cached(org, src[s], coll, max_age))
			missing++;
	}
	for (size_t s = 0; s < nsrc; s++) {
		/* the first missing one runs here, the others in threads */
		if (missing > 1 && s > 0 &&
		    !list_cached(org, src[s], coll, max_age))
			jobs[s].threaded = pthread_create(&jobs[s].th, NULL,
							  list_job_run,
							  &jobs[s]) == 0;
	}
	for (size_t s = 0; s < nsrc; s++)
		if (!jobs[s].threaded)
			list_job_run(&jobs[s]);
	for (size_t s = 0; s < nsrc; s++) {
		if (jobs[s].threaded)
			pthread_join(jobs[s].th, NULL);
		raw[s] = jobs[s].raw;
		stale[s] = jobs[s].stale;
		if (jobs[s].r != 0 && r == 0) {
			r = jobs[s].r;
			*err = jobs[s].err;
		}
	}
	if (r != 0)
		for (size_t s = 0; s < nsrc; s++) {
			json_decref(raw[s]);
			raw[s] = NULL;
		}
	return r;
}

/* ---- a second file of a resource: its own call (TCFS_F_CALL) ------------ */

struct call_arg {
	struct tcfs_org *org;
	const struct tcfs_call *call;
	const struct tcfs_node *n;
};

static int fetch_call_cb(void *arg, uint64_t start, json_t **out,
			 struct tc_error *err)
{
	struct call_arg *a = arg;

	json_t *body = NULL;
	int r;

	(void)start;
	if (a->call->desc->items_key && a->call->desc->paging != TC_PAGING_NONE)
		return tcfs_call_list(a->org, a->call, a->n, out, err);
	if (a->n->file && a->n->file->call_body &&
	    !(body = a->n->file->call_body(a->n))) {
		tc_error_clear(err);
		err->kind = TC_E_NOMEM;
		snprintf(err->message, sizeof(err->message), "out of memory");
		return -1;
	}
	r = tcfs_call_one(a->org, a->call, a->n, NULL, body, out, err);
	json_decref(body);
	return r;
}

int tcfs_fetch_call(struct tcfs_org *org, const struct tcfs_node *n,
		    const struct tcfs_call *call, json_t **out,
		    struct tc_error *err)
{
	struct call_arg a = { org, call, n };
	char key[TCFS_KEY_MAX];

	*out = NULL;
	tcfs_call_key(call, n, NULL, key, sizeof(key));
	if (!key[0])
		return not_found(err, "file");
	if (n->file && n->file->call_body) {
		size_t kl = strlen(key);

		snprintf(key + kl, sizeof(key) - kl, " #%s",
			 tcfs_node_id(n) ? tcfs_node_id(n) : "");
	}
	if (tcfs_cache_fetch(org->cache, key, fetch_call_cb, &a, out, err) != 0)
		return fetch_errno(err);
	return 0;
}
