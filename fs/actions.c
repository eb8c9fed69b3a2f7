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

void tcfs_after_change(struct tcfs_org *org, const struct tcfs_node *res,
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
	if (k->answer_key && json_is_object(obj) &&
	    !json_object_get(obj, k->id_key) &&
	    json_is_object(json_object_get(obj, k->answer_key)))
		obj = json_object_get(obj, k->answer_key);
	oid = tcfs_json_str_borrow(obj, k->id_key);
	tcfs_node_parent_coll(res, &coll);
	tcfs_obj_key(res->kind, &coll, id, key, sizeof(key));
	if (json_is_object(obj) && oid && strcmp(oid, id) == 0) {
		tcfs_cache_put(org->cache, key, obj);
		tcfs_list_update_item(org, res->kind, &coll, id, obj);
		return;
	}
	tcfs_cache_invalidate(org->cache, key);
	tcfs_list_key(res->kind, &coll, key, sizeof(key));
	tcfs_cache_invalidate(org->cache, key);
}

int tcfs_finish_update(struct tcfs_org *org, const struct tcfs_node *res,
		       const char *what, int r, json_t *out,
		       const struct tc_error *err)
{
	if (r != 0)
		return tcfs_error_api(res, what, err, 0);
	tcfs_log(LOG_INFO, "done: %s", what);
	tcfs_after_change(org, res, out);
	return 0;
}

/* ---- spec.json ----------------------------------------------------------- */

/* The last object the cache saw for `res`, whatever its age (NULL when
 * none): what the user most likely read. No request. */
static json_t *known_object(struct tcfs_org *org, const struct tcfs_node *res)
{
	char key[TCFS_KEY_MAX];
	json_t *obj = NULL;

	struct tcfs_node coll;

	tcfs_node_parent_coll(res, &coll);
	tcfs_obj_key(res->kind, &coll, tcfs_node_id(res), key, sizeof(key));
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

/* spec.json.rejected: the refused text, unless the row's spec may carry a
 * secret (then nothing is kept). */
static void keep_rejected(const struct tcfs_kind_desc *k, const char *key,
			  const char *text, size_t len)
{
	if (!k->spec_secret)
		tcfs_store_set(key, TCFS_SLOT_REJECTED, text, len);
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

	if (!org || !id || !k->spec_from || !k->update)
		return -EPERM;
	if (tcfs_g->opts.ro)
		return -EROFS;
	tcfs_node_dirkey(res, key, sizeof(key));
	if (len > TCFS_MAX_TEXT) {
		tcfs_error_set(res, "spec.json of %s %s rejected: %zu bytes is "
			       "more than the %d-byte limit; nothing was sent",
			       k->label, display_of(res), len, TCFS_MAX_TEXT);
		keep_rejected(k, key, text, len > TCFS_MAX_TEXT ?
			       TCFS_MAX_TEXT : len);
		return -EFBIG;
	}
	r = precheck_spec(org, res, text, len, msg, sizeof(msg));
	if (r == 0) {
		tc_error_clear(&err);
		r = tcfs_fetch_object(org, res, &obj, &err);
		if (r != 0) {
			keep_rejected(k, key, text, len);
			return tcfs_error_api(res, "reading the current values",
					      &err, 0);
		}
		cur = k->spec_from(obj);
		r = tcfs_spec_parse(text, len, k->spec_schema, obj, &next, msg,
				    sizeof(msg));
		if (r == 0 && k->check)
			r = k->check(next, cur, msg, sizeof(msg));
		if (r == 0)
			r = tcfs_apply_update(org, res, cur, next, msg, sizeof(msg));
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
		keep_rejected(k, key, text, len);
	}
	json_decref(next);
	json_decref(cur);
	json_decref(obj);
	return r;
}

/* ---- ctl ----------------------------------------------------------------- */

/* Split a checked ctl line into its words (pointers into buf). */
static size_t split_words(char *buf, const char **words, size_t max)
{
	size_t n = 0;

	for (char *p = buf; *p && n < max;) {
		words[n++] = p;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/* What a verb's success does to the cache (struct tcfs_verb effect). */
static void verb_effect(struct tcfs_org *org, const struct tcfs_node *res,
			const struct tcfs_verb *v, json_t *out)
{
	struct tcfs_node coll;

	tcfs_after_change(org, res, out);
	if (v->effect == TCFS_EFFECT_ANCESTOR &&
	    tcfs_node_ancestor(res, v->ancestor, &coll) == 0)
		tcfs_invalidate_collection(org, &coll);
	if (v->effect == TCFS_EFFECT_CHILDREN)
		tcfs_invalidate_children(org, res);
}

int tcfs_do_ctl(const struct tcfs_node *res, const char *line)
{
	struct tcfs_org *org = tcfs_org_of(res);
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	const struct tcfs_verb *v = tcfs_kind_verb(res->kind, line);
	const char *id = tcfs_node_id(res);
	const char *words[TCFS_MAX_VERB_ARGS + 1];
	char buf[256], what[300], msg[300] = "";
	struct tc_error err;
	json_t *body = NULL, *out = NULL;
	size_t nw;
	int r;

	if (!org || !id)
		return -ENOENT;
	if (tcfs_g->opts.ro)
		return -EROFS;
	if (!v) {
		const char *usages[TCFS_MAX_VERBS + 1];
		char avail[200] = "";
		size_t off = 0;

		tcfs_kind_verb_usages(res->kind, usages);
		for (const char *const *u = usages; *u; u++) {
			int w = snprintf(avail + off, sizeof(avail) - off, "%s%s",
					 off ? ", " : "", *u);

			if (w > 0 && (size_t)w < sizeof(avail) - off)
				off += (size_t)w;
		}
		tcfs_error_set(res, "ctl: unknown verb \"%.64s\" for %s %s "
			       "(available: %s)", line, k->label, id,
			       off ? avail : "none");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", line);
	nw = split_words(buf, words, TCFS_MAX_VERB_ARGS + 1);
	if (v->body && v->body(res, words + 1, nw ? nw - 1 : 0, &body, msg,
			       sizeof(msg)) != 0) {
		tcfs_error_set(res, "ctl %s of %s %s refused (nothing was sent): "
			       "%s", words[0], k->label, id, msg);
		return -EINVAL;
	}
	tc_error_clear(&err);
	r = tcfs_call_one(org, &v->call, res, NULL, body, &out, &err);
	json_decref(body);
	snprintf(what, sizeof(what), "ctl %.200s of %s %s", line, k->label, id);
	if (r != 0) {
		json_decref(out);
		return tcfs_error_api(res, what, &err, 0);
	}
	tcfs_log(LOG_INFO, "done: %s", what);
	verb_effect(org, res, v, out);
	json_decref(out);
	tcfs_error_clear(res);
	return 0;
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
	tcfs_obj_key(kind, coll, id, okey, sizeof(okey));
	/* the same key as one this mount deleted (rmdir NAME; mkdir NAME of
	 * a resource keyed by its name): the new one shows */
	tcfs_overlay_untombstone(org->overlay, okey);
	tcfs_cache_put(org->cache, okey, obj);
	tcfs_overlay_add_pending(org->overlay, lkey, id, obj);
}

/* An answer that does not tell whether the API acted: the request went
 * out, but what came back was cut short, not JSON, nothing in time, or the
 * connection closed before any answer (no_answer). */
static int ambiguous(const struct tc_error *err)
{
	return err->kind == TC_E_BAD_RESPONSE || err->kind == TC_E_TIMEOUT ||
	       (err->kind == TC_E_CONNECT && err->no_answer) ||
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
		const char *iname = k->name_key ? json_string_value(
			tcfs_json_path_borrow(it, k->name_key)) : NULL;
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

/* The end of a create call (r, out, err from the row's create call): a
 * failure goes to .error and becomes the mapped errno (an ambiguous one is
 * looked up first: resolve_ambiguous_create); on success the answer,
 * completed with `defaults` (may be NULL) where it lacks a string field
 * (the answer to a create may be partial), is shown at once. out and
 * defaults are borrowed. */
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
	return 0;
}

/* The collection's template parsed (NULL with 0 when it has none). */
static int load_template(const struct tcfs_node *coll, const char *name,
			 json_t **tpl)
{
	json_error_t jerr;
	size_t len = 0;
	char *text;

	*tpl = NULL;
	if (!tcfs_kind(coll->kind)->mkdir->template_default)
		return 0;
	text = tcfs_template_text(coll, &len, NULL);
	if (!text)
		return -ENOMEM;
	*tpl = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!*tpl) {
		tcfs_error_set(coll, "mkdir %s: .template.json is not valid JSON: %s",
			       name, jerr.text);
		return -EINVAL;
	}
	return 0;
}

int tcfs_do_mkdir(const struct tcfs_node *coll, const char *name)
{
	struct tcfs_org *org = tcfs_org_of(coll);
	const struct tcfs_kind_desc *k = tcfs_kind(coll->kind);
	const struct tcfs_kind_desc *sk;
	enum tcfs_kind kind = TCFS_K_ROOT;
	json_t *tpl = NULL, *body = NULL, *out = NULL, *defaults;
	struct tc_error err;
	char msg[600] = "";
	int r;

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
	/* the name against its API's rules first (validate.c): UTF-8, no
	 * control characters, the pattern */
	if (k->mkdir->check_name &&
	    k->mkdir->check_name(name, msg, sizeof(msg)) != 0) {
		tcfs_error_set(coll, "mkdir refused (nothing was sent): %s", msg);
		return -EINVAL;
	}
	r = load_template(coll, name, &tpl);
	if (r != 0)
		return r;
	r = k->mkdir->body(tpl, name, coll, &body, &kind, msg, sizeof(msg));
	json_decref(tpl);
	if (r != 0) {
		tcfs_error_set(coll, "mkdir %s: %s", name, msg);
		return r;
	}
	sk = tcfs_kind(kind);
	if (!sk->create.desc) {
		json_decref(body);
		return -EPERM;
	}
	tc_error_clear(&err);
	r = tcfs_call_one(org, &sk->create, coll, NULL, body, &out, &err);
	json_decref(body);
	if (r == 0 && k->mkdir->answer && json_is_object(out))
		k->mkdir->answer(coll, name, out);
	defaults = sk->create_defaults ? sk->create_defaults(name) : NULL;
	r = finish_create(org, coll, kind, name, r, out, &err, defaults);
	if (k->mkdir->done)
		k->mkdir->done(coll, name, r);
	json_decref(defaults);
	if (r == 0 && k->mkdir->relist != TCFS_K_ROOT) {
		struct tcfs_node other;

		if (tcfs_node_ancestor(coll, k->mkdir->relist, &other) == 0)
			tcfs_invalidate_collection(org, &other);
	}
	json_decref(out);
	return r;
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
	if (k->remove_check) {
		char msg[400] = "";
		int rc = k->remove_check(res, msg, sizeof(msg));

		if (rc != 0) {
			tcfs_error_set(res, "rmdir refused (nothing was sent): %s",
				       msg);
			return rc;
		}
	}
	if (k->remove_refusal || !k->remove.desc) {
		tcfs_error_set(res, "rmdir refused: %s", k->remove_refusal ?
			       k->remove_refusal : "cannot be deleted");
		return -EPERM;
	}
	tc_error_clear(&err);
	tcfs_node_parent_coll(res, &coll);
	tcfs_obj_key(res->kind, &coll, id, key, sizeof(key));
	if (tcfs_call_one(org, &k->remove, res, NULL, NULL, &out, &err) != 0) {
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
			char line[700], msg[1200];
			int e = tc_error_errno(&err, 0);

			tc_error_format(&err, line, sizeof(line));
			snprintf(msg, sizeof(msg), "%s: %s; the answer did not say "
				 "whether it was deleted%s", what, line,
				 r == 0 ? ", and it still exists" :
				 " and it could not be looked up: ls shows "
				 "what the API lists now");
			tcfs_error_set(res, "%s", msg);
			/* ... and in its collection's .error when it may be
			 * gone: its own directory (and .error) goes with it */
			if (r != 0)
				tcfs_error_set(&coll, "%s", msg);
			return -(e ? e : EIO);
		}
	}
	json_decref(out);
	tcfs_log(LOG_INFO, "deleted %s %s", k->label, id);
deleted:
	/* gone at once: tombstoned (whatever a lagging list says), out of
	 * the object cache and out of the cached list; a pending create of it
	 * (made by this mount, not yet listed) is dropped, not kept for
	 * TCFS_OVERLAY_TTL behind the tombstone */
	{
		char lkey[TCFS_KEY_MAX];

		tcfs_list_key(res->kind, &coll, lkey, sizeof(lkey));
		tcfs_overlay_forget_pending(org->overlay, lkey, id);
	}
	tcfs_overlay_tombstone(org->overlay, key);
	tcfs_cache_invalidate(org->cache, key);
	tcfs_list_remove_item(org, res->kind, &coll, id);
	/* and what was listed under it is listed again if it is read */
	tcfs_invalidate_children(org, res);
	/* a secret the mount made for it (an unread generated password)
	 * goes with it: a new resource of the same name never shows it */
	tcfs_node_dirkey(res, key, sizeof(key));
	tcfs_store_clear(key, TCFS_SLOT_SECRET);
	return 0;
}
