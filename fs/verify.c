/*
 * verify.c — after a change whose answer was lost (issue 12: "a write in
 * flight when the backend dies"): the connection died, nothing came in
 * time, the answer was garbled, or a 5xx came after the retries. The API
 * may or may not have acted, so the object is read again (fresh, one
 * request) and the outcome is told truthfully in .error:
 *   - the API now holds the new values: APPLIED, the write succeeds;
 *   - it holds the previous values: NOT applied, the write fails;
 *   - it holds something else, or cannot be read: UNKNOWN, the write fails.
 * The caller keeps the user's text in spec.json.rejected when it fails.
 */
#include "tcfs.h"
#include "cache.h"
#include "store.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tcfs_update_outcome_unknown(int r)
{
	/* -EAGAIN is "not sent" (no slot, or a 429): it did not happen */
	return r == -EHOSTUNREACH || r == -ETIMEDOUT || r == -EIO;
}

/* The object as the API holds it now: one GET past the cache (a fresh
 * cached listing may still show the values from before the change). The
 * answer replaces the cached object and its item in the cached listing;
 * on failure only the object is dropped (the listing keeps serving name
 * resolution, so .error and spec.json.rejected stay reachable). */
static int reread(struct tcfs_org *org, const struct tcfs_node *res,
		  json_t **obj, struct tc_error *err)
{
	const char *id = tcfs_node_id(res);
	struct tcfs_node coll;
	char key[TCFS_KEY_MAX];

	tcfs_node_parent_coll(res, &coll);
	tcfs_obj_key(res->kind, &coll, id, key, sizeof(key));
	tcfs_cache_invalidate(org->cache, key);
	/* not cached now: the row's GET (or batch get) fetches it again and
	 * refreshes its item in the cached listing */
	return tcfs_fetch_object(org, res, obj, err) == 0 ? 0 : -1;
}

int tcfs_verify_update(struct tcfs_org *org, const struct tcfs_node *res,
		       json_t *cur, json_t *next, int r)
{
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	char dkey[TCFS_KEY_MAX], why[900];
	struct tc_error err;
	json_t *obj = NULL, *now = NULL;
	char *prev;
	size_t len;
	int f;

	if (!tcfs_update_outcome_unknown(r) || !tcfs_node_id(res) ||
	    !k->spec_from)
		return r;
	/* the failure as finish_update recorded it, without its newline */
	tcfs_node_dirkey(res, dkey, sizeof(dkey));
	prev = tcfs_store_get(dkey, TCFS_SLOT_ERROR, &len, NULL);
	while (prev && len > 0 && prev[len - 1] == '\n')
		prev[--len] = '\0';
	tc_error_clear(&err);
	f = reread(org, res, &obj, &err);
	if (f == 0)
		now = k->spec_from(obj);
	if (now && json_equal(now, next)) {
		tcfs_log(LOG_WARNING, "%s; read again: the change WAS applied",
			 prev ? prev : "the answer to a change was lost");
		r = 0;
	} else if (now && cur && json_equal(now, cur)) {
		tcfs_error_set(res, "%s; read again from the API: NOT applied "
			       "(spec.json shows the previous values); your "
			       "text is in spec.json.rejected",
			       prev ? prev : "the answer was lost");
	} else if (now) {
		tcfs_error_set(res, "%s; read again from the API: the values "
			       "are neither the previous ones nor yours "
			       "(changed elsewhere?): UNKNOWN whether your "
			       "change was applied; spec.json shows the current "
			       "values, your text is in spec.json.rejected",
			       prev ? prev : "the answer was lost");
	} else {
		tc_error_format(&err, why, sizeof(why));
		tcfs_error_set(res, "%s; UNKNOWN whether it was applied: "
			       "reading it again failed too (%s); read "
			       "spec.json again once the API answers; your "
			       "text is in spec.json.rejected",
			       prev ? prev : "the answer was lost", why);
	}
	json_decref(now);
	json_decref(obj);
	free(prev);
	return r;
}
