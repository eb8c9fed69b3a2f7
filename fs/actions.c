/*
 * actions.c — every change the mount makes: spec commits, mkdir (create),
 * rmdir (delete), ctl verbs (templates: template.c). Each one: local checks first (no
 * request on refusal), then ONE API call, then the cache is made to show
 * the result at once (read-your-writes: the response is put in the object
 * cache with a new generation and replaces its item in the cached parent
 * list, creates go to the pending overlay, deletes to the tombstones and out
 * of the cached list) WITHOUT re-listing anything. Creates are never retried.
 */
#include "tcfs.h"
#include "cache.h"
#include "overlay.h"
#include "spec.h"
#include "store.h"
#include "naming.h"
#include "validate.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *display_of(const struct tcfs_node *res)
{
	const char *id = tcfs_node_id(res);

	return id ? id : "?";
}

/* Make the cache show a changed resource. `out` (borrowed) is the API's
 * answer: the object itself, {"cluster": object}, or anything else. The
 * object goes into the object cache and REPLACES its item in the cached
 * parent list (no re-listing: every request counts against the rate
 * limit). When the answer is not the object, both are invalidated and
 * fetched again on the next read. */
static void after_change(struct tcfs_org *org, const struct tcfs_node *res,
			 json_t *out)
{
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	const char *id = tcfs_node_id(res);
	struct tcfs_node coll;
	char key[TCFS_KEY_MAX];
	json_t *obj = out;
	const char *oid;

	if (!id)
		return;
	if (json_is_object(obj) && !json_object_get(obj, k->id_key) &&
	    json_is_object(json_object_get(obj, "cluster")))
		obj = json_object_get(obj, "cluster");
	oid = tcfs_json_str_borrow(obj, k->id_key);
	tcfs_obj_key(res->kind, id, key, sizeof(key));
	tcfs_node_parent_coll(res, &coll);
	if (json_is_object(obj) && oid && strcmp(oid, id) == 0) {
		tcfs_cache_put(org->cache, key, obj);
		tcfs_list_update_item(org, res->kind, &coll, id, obj);
		return;
	}
	tcfs_cache_invalidate(org->cache, key);
	tcfs_list_key(res->kind, &coll, key, sizeof(key));
	tcfs_cache_invalidate(org->cache, key);
}

/* The end of an update call (r, out, err from tc_*): a failure goes to
 * .error and becomes the mapped errno; on success the log says `what` was
 * done and the cache shows the answer (after_change). Takes over out. */
static int finish_update(struct tcfs_org *org, const struct tcfs_node *res,
			 const char *what, int r, json_t *out,
			 const struct tc_error *err)
{
	if (r != 0) {
		json_decref(out);
		return tcfs_error_api(res, what, err, 0);
	}
	tcfs_log(LOG_INFO, "done: %s", what);
	after_change(org, res, out);
	json_decref(out);
	return 0;
}

/* ---- spec.json ----------------------------------------------------------- */

int tcfs_apply_serverless(struct tcfs_org *org, const struct tcfs_node *res,
			  json_t *obj, json_t *cur, json_t *next,
			  char *msg, size_t msgsz)
{
	const char *id = tcfs_node_id(res);
	json_t *body = NULL, *out = NULL;
	char mask[512], what[900];
	struct tc_error err;
	int n, r;

	(void)obj;
	/* Starter has spendingLimit, Essential has autoScaling: the plan is
	 * not changed through spec.json */
	if (json_object_get(next, "spendingLimit") && !json_object_get(cur, "spendingLimit")) {
		snprintf(msg, msgsz, "spendingLimit applies to Starter clusters only");
		return -EINVAL;
	}
	if (json_object_get(next, "autoScaling") && !json_object_get(cur, "autoScaling")) {
		snprintf(msg, msgsz, "autoScaling applies to Essential clusters only");
		return -EINVAL;
	}
	n = tcfs_spec_diff_mask(cur, next, tcfs_sls_mask_paths, &body, mask,
				sizeof(mask));
	if (n < 0) {
		snprintf(msg, msgsz, "too many changes at once");
		return -EINVAL;
	}
	if (n == 0)
		return 0;
	json_object_set_new(body, "clusterId", json_string(id));
	tc_error_clear(&err);
	r = tc_serverless_cluster_update(org->client, id, body, mask, &out, &err);
	json_decref(body);
	snprintf(what, sizeof(what), "updating cluster %.128s (%s)", id, mask);
	return finish_update(org, res, what, r, out, &err);
}

int tcfs_apply_dedicated(struct tcfs_org *org, const struct tcfs_node *res,
			 json_t *obj, json_t *cur, json_t *next,
			 char *msg, size_t msgsz)
{
	const char *id = tcfs_node_id(res);
	json_t *np = json_object_get(next, "paused");
	json_t *cp = json_object_get(cur, "paused");
	json_t *c2 = json_copy(cur), *n2 = json_copy(next);
	json_t *changes = NULL, *out = NULL;
	struct tc_error err;
	char what[200];
	int pchanged = np && !(cp && json_equal(np, cp));
	int n, r;

	(void)obj;
	json_object_del(c2, "paused");
	json_object_del(n2, "paused");
	n = tcfs_spec_diff_flat(c2, n2, &changes);
	json_decref(c2);
	json_decref(n2);
	if (pchanged && n > 0) {
		snprintf(msg, msgsz, "`paused` cannot be changed together with "
			 "other fields (%d changed); apply one change at a time", n);
		json_decref(changes);
		return -EINVAL;
	}
	tc_error_clear(&err);
	if (pchanged) {
		const char *verb = json_is_true(np) ? "pause" : "resume";

		json_decref(changes);
		r = tcfs_kind(res->kind)->ctl(org->client, id, verb, &out, &err);
		snprintf(what, sizeof(what), "%s cluster %s", verb, id);
		return finish_update(org, res, what, r, out, &err);
	}
	if (n == 0) {
		json_decref(changes);
		return 0;
	}
	r = tc_dedicated_cluster_update(org->client, id, changes, &out, &err);
	json_decref(changes);
	snprintf(what, sizeof(what), "updating cluster %s", id);
	return finish_update(org, res, what, r, out, &err);
}

/* The last object the cache saw for `res`, whatever its age (NULL when
 * none): what the user most likely read. No request. */
static json_t *known_object(struct tcfs_org *org, const struct tcfs_node *res)
{
	char key[TCFS_KEY_MAX];
	json_t *obj = NULL;

	tcfs_obj_key(res->kind, tcfs_node_id(res), key, sizeof(key));
	if (tcfs_cache_get_aged(org->cache, key, 1e12, &obj) <= 0)
		return NULL;
	return obj;
}

/* Everything that can be checked without the current values, before any
 * request (so an invalid edit is refused with no request even while the
 * API is unreachable): size, JSON, types, the published constraints. */
static int precheck_spec(struct tcfs_org *org, const struct tcfs_node *res,
			 const char *text, size_t len, char *msg, size_t msgsz)
{
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	json_t *known = known_object(org, res);
	json_t *cur = known ? k->spec_from(known) : NULL;
	json_t *next = NULL;
	int r;

	r = tcfs_spec_precheck(text, len, k->spec_schema, known, &next, msg,
			       msgsz);
	if (r == 0 && k->check)
		r = k->check(next, cur, msg, msgsz);
	json_decref(next);
	json_decref(cur);
	json_decref(known);
	return r;
}

int tcfs_commit_spec(const struct tcfs_node *res, const char *text, size_t len)
{
	struct tcfs_org *org = tcfs_org_of(res);
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	const char *id = tcfs_node_id(res);
	char key[TCFS_KEY_MAX];
	char msg[700] = "";
	struct tc_error err;
	json_t *obj = NULL, *cur = NULL, *next = NULL;
	int r;

	if (!org || !id || !k->spec_from || !k->apply)
		return -EPERM;
	if (tcfs_g->opts.ro)
		return -EROFS;
	tcfs_node_dirkey(res, key, sizeof(key));
	if (len > TCFS_MAX_TEXT) {
		tcfs_error_set(res, "spec.json of %s %s rejected: %zu bytes is "
			       "more than the %d-byte limit; nothing was sent",
			       k->label, display_of(res), len, TCFS_MAX_TEXT);
		tcfs_store_set(key, TCFS_SLOT_REJECTED, text, len > TCFS_MAX_TEXT ?
			       TCFS_MAX_TEXT : len);
		return -EFBIG;
	}
	r = precheck_spec(org, res, text, len, msg, sizeof(msg));
	if (r == 0) {
		tc_error_clear(&err);
		r = tcfs_fetch_object(org, res, &obj, &err);
		if (r != 0) {
			tcfs_store_set(key, TCFS_SLOT_REJECTED, text, len);
			return tcfs_error_api(res, "reading the current values",
					      &err, 0);
		}
		cur = k->spec_from(obj);
		r = tcfs_spec_parse(text, len, k->spec_schema, obj, &next, msg,
				    sizeof(msg));
		if (r == 0 && k->check)
			r = k->check(next, cur, msg, sizeof(msg));
		if (r == 0)
			r = k->apply(org, res, obj, cur, next, msg, sizeof(msg));
		if (r != 0 && !msg[0])   /* the answer may have been lost */
			r = tcfs_verify_update(org, res, cur, next, r);
	}
	if (r == 0) {
		tcfs_store_clear(key, TCFS_SLOT_REJECTED);
		tcfs_error_clear(res);
	} else {
		if (msg[0])
			tcfs_error_set(res, "spec.json of %s %s rejected (nothing "
				       "was sent): %s", k->label, display_of(res), msg);
		tcfs_store_set(key, TCFS_SLOT_REJECTED, text, len);
	}
	json_decref(next);
	json_decref(cur);
	json_decref(obj);
	return r;
}

/* ---- ctl ----------------------------------------------------------------- */

int tcfs_do_ctl(const struct tcfs_node *res, const char *verb)
{
	struct tcfs_org *org = tcfs_org_of(res);
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	const char *id = tcfs_node_id(res);
	char avail[200] = "", what[200];
	struct tc_error err;
	json_t *out = NULL;
	size_t off = 0;
	int known = 0, r;

	if (!org || !id)
		return -ENOENT;
	if (tcfs_g->opts.ro)
		return -EROFS;
	for (const char *const *v = k->verbs; v && *v; v++) {
		int w = snprintf(avail + off, sizeof(avail) - off, "%s%s",
				 off ? ", " : "", *v);

		if (w > 0 && (size_t)w < sizeof(avail) - off)
			off += (size_t)w;
		if (strcmp(*v, verb) == 0)
			known = 1;
	}
	if (!known || !k->ctl) {
		tcfs_error_set(res, "ctl: unknown verb \"%.64s\" for %s %s "
			       "(available: %s)", verb, k->label, id,
			       off ? avail : "none");
		return -EINVAL;
	}
	tc_error_clear(&err);
	r = k->ctl(org->client, id, verb, &out, &err);
	snprintf(what, sizeof(what), "ctl %s of %s %s", verb, k->label, id);
	r = finish_update(org, res, what, r, out, &err);
	if (r == 0)
		tcfs_error_clear(res);
	return r;
}

/* ---- mkdir / rmdir ------------------------------------------------------- */

/* Show a created object at once: object cache and the pending overlay,
 * which every read of the list applies (cached or fetched), so the cached
 * list stays. Without an id in the answer the list is fetched again. */
static void show_created(struct tcfs_org *org, enum tcfs_kind kind,
			 const struct tcfs_node *coll, json_t *obj)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	const char *id = tcfs_json_str_borrow(obj, k->id_key);
	char okey[TCFS_KEY_MAX], lkey[TCFS_KEY_MAX];

	tcfs_list_key(kind, coll, lkey, sizeof(lkey));
	if (!id) {
		tcfs_cache_invalidate(org->cache, lkey);
		return;
	}
	tcfs_obj_key(kind, id, okey, sizeof(okey));
	tcfs_cache_put(org->cache, okey, obj);
	tcfs_overlay_add_pending(org->overlay, lkey, id, obj);
}

/* An answer that does not tell whether the API acted: the request went
 * out, but what came back was cut short, not JSON, or nothing in time. */
static int ambiguous(const struct tc_error *err)
{
	return err->kind == TC_E_BAD_RESPONSE || err->kind == TC_E_TIMEOUT ||
	       (err->kind == TC_E_HTTP && err->http_status >= 500);
}

/* 1 when the items of list `list` (may be NULL) hold `id`. */
static int list_has(json_t *list, const char *id_key, const char *id)
{
	size_t i;
	json_t *it;

	json_array_foreach(list, i, it) {
		const char *iid = tcfs_json_str_borrow(it, id_key);

		if (iid && strcmp(iid, id) == 0)
			return 1;
	}
	return 0;
}

/* After an ambiguous answer to a create: a FRESH listing of the kind is
 * searched for `name`, leaving out what the cached listing (any age) held
 * before. 1 and *obj (new ref) when exactly one new item has that name,
 * 0 when none, -errno (err2 filled) when the listing failed or more than
 * one new item matches. */
static int find_created(struct tcfs_org *org, const struct tcfs_node *coll,
			enum tcfs_kind kind, const char *name, json_t **obj,
			struct tc_error *err2)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	char lkey[TCFS_KEY_MAX];
	json_t *before = NULL, *items = NULL, *it;
	size_t i, found = 0;
	int r;

	*obj = NULL;
	tcfs_list_key(kind, coll, lkey, sizeof(lkey));
	if (tcfs_cache_get_aged(org->cache, lkey, 1e12, &before) <= 0)
		before = NULL;
	tcfs_cache_invalidate(org->cache, lkey);
	tc_error_clear(err2);
	r = tcfs_fetch_list(org, kind, coll, &items, err2);
	if (r != 0) {
		json_decref(before);
		return r;
	}
	json_array_foreach(items, i, it) {
		const char *iname = tcfs_json_str_borrow(it, k->name_key);
		const char *iid = tcfs_json_str_borrow(it, k->id_key);

		if (!iname || !iid || strcmp(iname, name) != 0 ||
		    list_has(before, k->id_key, iid))
			continue;
		if (found++ == 0)
			*obj = json_incref(it);
	}
	json_decref(items);
	json_decref(before);
	if (found > 1) {
		json_decref(*obj);
		*obj = NULL;
		snprintf(err2->message, sizeof(err2->message),
			 "%zu new %ss are named %s", found, k->label, name);
		return -EIO;
	}
	return found ? 1 : 0;
}

/* A create whose answer was ambiguous: look before reporting (never send
 * it again). 0 when the fresh listing shows the new resource (then it is
 * shown at once), else -errno with .error saying what is known. */
static int resolve_ambiguous_create(struct tcfs_org *org,
				    const struct tcfs_node *coll,
				    enum tcfs_kind kind, const char *name,
				    const struct tc_error *err)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	struct tc_error err2;
	char first[700], second[700];
	json_t *obj = NULL;
	int e = tc_error_errno(err, 1), r;

	tc_error_format(err, first, sizeof(first));
	r = find_created(org, coll, kind, name, &obj, &err2);
	if (r == 1) {
		tcfs_log(LOG_WARNING, "creating %s %s: the answer was unusable "
			 "(%s), but a fresh listing shows it (%s): created",
			 k->label, name, first,
			 tcfs_json_str_borrow(obj, k->id_key));
		show_created(org, kind, coll, obj);
		tcfs_error_clear(coll);
		json_decref(obj);
		return 0;
	}
	if (r == 0) {
		tcfs_error_set(coll, "creating %s %s: %s; the answer did not "
			       "say whether it was created, and a fresh listing "
			       "does not show it: most likely NOT created (ls "
			       "again before trying again)", k->label, name, first);
		return -(e ? e : EIO);
	}
	tc_error_format(&err2, second, sizeof(second));
	tcfs_error_set(coll, "creating %s %s: %s; the answer did not say "
		       "whether it was created and looking for it failed (%s): "
		       "UNKNOWN whether it exists; ls before trying again",
		       k->label, name, first, second);
	return -(e ? e : EIO);
}

/* The end of a create call (r, out, err from tc_*_create): a failure goes
 * to .error and becomes the mapped errno (an ambiguous one is looked up
 * first: resolve_ambiguous_create); on success the answer, completed
 * with `defaults` where it lacks a string field (the answer to a create may
 * be partial), is shown at once. Takes over out and defaults. */
static int finish_create(struct tcfs_org *org, const struct tcfs_node *coll,
			 enum tcfs_kind kind, const char *name, int r,
			 json_t *out, const struct tc_error *err,
			 json_t *defaults)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	json_t *obj, *v;
	const char *key, *id;

	if (r != 0) {
		char what[300];

		json_decref(out);
		json_decref(defaults);
		if (ambiguous(err))
			return resolve_ambiguous_create(org, coll, kind, name, err);
		snprintf(what, sizeof(what), "creating %s %s", k->label, name);
		return tcfs_error_api(coll, what, err, 1);
	}
	obj = json_is_object(out) ? json_deep_copy(out) : json_object();
	json_object_foreach(defaults, key, v)
		if (!tcfs_json_str_borrow(obj, key))
			json_object_set(obj, key, v);
	id = tcfs_json_str_borrow(obj, k->id_key);
	if (id)
		tcfs_log(LOG_INFO, "created %s %s (%s)", k->label, name, id);
	else
		tcfs_log(LOG_WARNING, "created %s %s: the answer has no id",
			 k->label, name);
	show_created(org, kind, coll, obj);
	tcfs_error_clear(coll);
	json_decref(obj);
	json_decref(out);
	json_decref(defaults);
	return 0;
}

int tcfs_mkdir_project(struct tcfs_org *org, const struct tcfs_node *coll,
		       const char *name)
{
	json_t *body, *out = NULL;
	struct tc_error err;
	char ts[32], msg[300];
	int r;

	if (tcfs_valid_project_name(name, msg, sizeof(msg)) != 0) {
		tcfs_error_set(coll, "mkdir refused (nothing was sent): %s", msg);
		return -EINVAL;
	}
	body = json_pack("{s:s}", "name", name);
	tc_error_clear(&err);
	r = tc_project_create(org->client, body, &out, &err);
	json_decref(body);
	/* POST /projects answers {id}: complete it for the listing */
	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	return finish_create(org, coll, TCFS_K_PROJECT, name, r, out, &err,
			     json_pack("{s:s, s:s}", "name", name,
				       "create_timestamp", ts));
}

int tcfs_mkdir_cluster(struct tcfs_org *org, const struct tcfs_node *coll,
		       const char *name)
{
	const char *pid = tcfs_node_id(coll);
	char msg[600] = "";
	json_t *tpl, *body = NULL, *out = NULL;
	enum tc_family family = TC_FAMILY_SERVERLESS;
	json_error_t jerr;
	struct tc_error err;
	size_t len = 0;
	char *text;
	int r;

	if (tcfs_valid_cluster_name(name, "name", msg, sizeof(msg)) != 0) {
		tcfs_error_set(coll, "mkdir refused (nothing was sent): %s", msg);
		return -EINVAL;
	}
	text = tcfs_template_text(coll, &len, NULL);
	if (!text)
		return -ENOMEM;
	tpl = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!tpl) {
		tcfs_error_set(coll, "mkdir %s: .template.json is not valid JSON: %s",
			       name, jerr.text);
		return -EINVAL;
	}
	r = tcfs_template_body(tpl, name, pid, &body, &family, msg, sizeof(msg));
	json_decref(tpl);
	if (r != 0) {
		tcfs_error_set(coll, "mkdir %s: %s", name, msg);
		return r;
	}
	tc_error_clear(&err);
	if (family == TC_FAMILY_DEDICATED)
		r = tc_dedicated_cluster_create(org->client, body, &out, &err);
	else
		r = tc_serverless_cluster_create(org->client, body, &out, &err);
	json_decref(body);
	return finish_create(org, coll, family == TC_FAMILY_DEDICATED ?
			     TCFS_K_DED_CLUSTER : TCFS_K_SLS_CLUSTER, name, r,
			     out, &err, json_pack("{s:s, s:s}", "displayName",
						  name, "state", "CREATING"));
}

int tcfs_do_mkdir(const struct tcfs_node *coll, const char *name)
{
	struct tcfs_org *org = tcfs_org_of(coll);
	const struct tcfs_kind_desc *k = tcfs_kind(coll->kind);

	if (!org)
		return -EPERM;
	if (tcfs_g->opts.ro)
		return -EROFS;
	if (k->cls != TCFS_C_COLLECTION || !k->mkdir)
		return -EPERM;
	if (!name || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		tcfs_error_set(coll, "mkdir: the name must not be empty, \".\" "
			       "or \"..\"");
		return -EINVAL;
	}
	/* each handler checks the name against its API's rules first
	 * (validate.c): UTF-8, no control characters, the pattern */
	return k->mkdir(org, coll, name);
}

/* After an ambiguous answer to a delete: the pending create (if the mount
 * made it) is forgotten and the object and its listing are dropped from
 * the cache, so nothing shows it from memory; then its GET says whether
 * it still exists (-ENOENT: gone; 0: still there; another -errno:
 * unknown). */
static int forget_after_ambiguous_delete(struct tcfs_org *org,
					 const struct tcfs_node *res,
					 const struct tcfs_node *coll,
					 const char *okey)
{
	char lkey[TCFS_KEY_MAX];
	struct tc_error err;
	json_t *obj = NULL;
	int r;

	tcfs_list_key(res->kind, coll, lkey, sizeof(lkey));
	tcfs_overlay_forget_pending(org->overlay, lkey, tcfs_node_id(res));
	tcfs_cache_invalidate(org->cache, okey);
	tcfs_cache_invalidate(org->cache, lkey);
	tc_error_clear(&err);
	r = tcfs_fetch_object(org, res, &obj, &err);
	if (r == 0) {
		const char *sk = tcfs_kind(res->kind)->state_key;
		const char *st = sk ? tcfs_json_str_borrow(obj, sk) : NULL;

		/* the API's delete answers DELETING or DELETED */
		if (st && (strcmp(st, "DELETING") == 0 ||
			   strcmp(st, "DELETED") == 0))
			r = -ENOENT;
	}
	json_decref(obj);
	return r;
}

int tcfs_do_rmdir(const struct tcfs_node *res)
{
	struct tcfs_org *org = tcfs_org_of(res);
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	const char *id = tcfs_node_id(res);
	struct tcfs_node coll;
	char key[TCFS_KEY_MAX];
	struct tc_error err;
	json_t *out = NULL;

	if (!org || k->cls != TCFS_C_RESOURCE || !id)
		return tcfs_g && tcfs_g->opts.ro ? -EROFS : -EPERM;
	if (tcfs_g->opts.ro)
		return -EROFS;
	if (tcfs_g->opts.nodelete) {
		tcfs_error_set(res, "rmdir refused: mounted with -o nodelete");
		return -EPERM;
	}
	if (k->remove_refusal || !k->remove) {
		tcfs_error_set(res, "rmdir refused: %s", k->remove_refusal ?
			       k->remove_refusal : "cannot be deleted");
		return -EPERM;
	}
	tc_error_clear(&err);
	tcfs_obj_key(res->kind, id, key, sizeof(key));
	tcfs_node_parent_coll(res, &coll);
	if (k->remove(org->client, id, &out, &err) != 0) {
		char what[200];
		int r;

		json_decref(out);
		snprintf(what, sizeof(what), "deleting %s %s", k->label, id);
		if (!ambiguous(&err))
			return tcfs_error_api(res, what, &err, 0);
		/* the API may have deleted it: nothing cached (a pending
		 * create, the object, the listing) may keep showing it; the
		 * next read asks the API; a GET now says which (404, DELETING
		 * or DELETED: deleted) */
		r = forget_after_ambiguous_delete(org, res, &coll, key);
		if (r == -ENOENT) {
			tcfs_log(LOG_WARNING, "%s: the answer was unusable, but "
				 "the %s is gone: deleted", what, k->label);
			tcfs_error_clear(res);
			goto deleted;
		}
		{
			char line[700];
			int e = tc_error_errno(&err, 0);

			tc_error_format(&err, line, sizeof(line));
			tcfs_error_set(res, "%s: %s; the answer did not say "
				       "whether it was deleted%s", what, line,
				       r == 0 ? ", and it still exists" :
				       " and it could not be looked up: ls shows "
				       "what the API lists now");
			return -(e ? e : EIO);
		}
	}
	json_decref(out);
	tcfs_log(LOG_INFO, "deleted %s %s", k->label, id);
deleted:
	/* gone at once: tombstoned (whatever a lagging list says), out of
	 * the object cache and out of the cached list */
	tcfs_overlay_tombstone(org->overlay, key);
	tcfs_cache_invalidate(org->cache, key);
	tcfs_list_remove_item(org, res->kind, &coll, id);
	return 0;
}
