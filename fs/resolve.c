/*
 * resolve.c — the live resolver for tcfs_path_parse(): organizations by
 * name, and children of collections by listed name or id alias, under the
 * rule "names from a listing up to tcfs_resolve_max_age() old, content
 * fresh through the object" (tcfs.h, "name resolution vs content
 * freshness").
 *
 * Invariants:
 * - A listing older than cache_timeout resolves a name only when the row
 *   has no `get` (projects), or when the object, fetched fresh (the GET the
 *   content needs anyway), is still listed under that name with the same
 *   id. So `cat .../clusters/website/state` after expiry costs that one GET,
 *   whatever the size of the project.
 * - When that GET fails because the API cannot be reached (down, or no
 *   answer in time), the expired listing answers alone, so the child's
 *   .error and spec.json.rejected stay readable; its content fails. For
 *   the same reason, while the API cannot be reached, a listing of any
 *   age resolves names.
 * - Whatever the expired listings cannot answer (an unknown name, a name
 *   that moved, an object gone) is answered from listings fetched anew, as
 *   readdir sees them.
 * - No lock is held here; everything goes through fetch.c (cache, overlay).
 */
#include "tcfs.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int resolve_org(void *arg, const char *name)
{
	(void)arg;
	for (size_t i = 0; tcfs_g && i < tcfs_g->norgs; i++)
		if (strcmp(tcfs_g->orgs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The child called `name`: a listed name first, then an id alias. */
static const struct tcfs_child *find_child(const struct tcfs_children *ch,
					   const char *name)
{
	return tcfs_children_find(ch, name);
}

static int any_stale(const struct tcfs_children *ch)
{
	for (size_t s = 0; s < ch->nsources; s++)
		if (ch->stale[s])
			return 1;
	return 0;
}

/* A lookup that failed for another reason than "not there": the message
 * goes to the log and to the collection's .error (the child's own .error
 * cannot be reached while its path does not resolve). */
static void record_failure(const struct tcfs_node *coll, const char *name,
			   const struct tc_error *err)
{
	char line[900];

	tc_error_format(err, line, sizeof(line));
	tcfs_error_set(coll, "looking up %s: %s", name, line);
}

/* An error that says nothing about the child: the API could not be
 * reached or did not answer in time, or the request was not sent (its
 * host's slots are all held by stalled requests). A 5xx or a garbled
 * answer is not one of them: that lookup fails as it did. */
static int api_unreachable(int r)
{
	return r == -EHOSTUNREACH || r == -ETIMEDOUT || r == -EAGAIN;
}

/* Children of coll: aged (max_age > 0) or fresh (max_age 0). While the API
 * cannot be reached, an aged lookup takes a listing of any age (names only:
 * whatever needs an object fails on its own). */
static int children(struct tcfs_org *org, const struct tcfs_node *coll,
		    const char *name, double max_age, struct tcfs_children *ch)
{
	struct tc_error err;
	int r;

	tc_error_clear(&err);
	r = tcfs_fetch_children_aged(org, coll, max_age, ch, &err);
	if (r != 0)
		record_failure(coll, name, &err);
	if (r != 0 && max_age > 0 && api_unreachable(r)) {
		tc_error_clear(&err);
		r = tcfs_fetch_children_aged(org, coll, 1e12, ch, &err);
	}
	return r;
}

/* Confirm a child found in an expired listing: fetch its object (fresh
 * within cache_timeout; the GET refreshes the item in the listing), then
 * look the name up again in the (edited) listings. 0 and *id set when
 * still there under the same id; -ENOENT when gone or moved; another
 * -errno when the object could not be fetched. */
static int confirm(struct tcfs_org *org, const struct tcfs_node *coll,
		   const char *name, double max_age, struct tcfs_children *ch,
		   const struct tcfs_child **found)
{
	struct tcfs_node res = *coll;
	char id[TCFS_ID_MAX];
	struct tc_error err;
	json_t *obj = NULL;
	int r;

	if (res.nids >= TCFS_MAX_IDS)
		return -ENOENT;
	snprintf(id, sizeof(id), "%s", (*found)->id);
	res.kinds[res.nids] = (*found)->kind;
	snprintf(res.ids[res.nids++], TCFS_ID_MAX, "%s", id);
	res.kind = (*found)->kind;
	res.what = TCFS_W_DIR;
	tc_error_clear(&err);
	r = tcfs_fetch_object(org, &res, &obj, &err);
	json_decref(obj);
	if (r != 0) {
		if (r != -ENOENT)
			record_failure(coll, name, &err);
		return r;
	}
	tcfs_children_release(ch);
	r = children(org, coll, name, max_age, ch);
	if (r != 0)
		return r;
	*found = find_child(ch, name);
	return *found && strcmp((*found)->id, id) == 0 ? 0 : -ENOENT;
}

static int resolve_child(void *arg, const struct tcfs_node *coll,
			 const char *name, enum tcfs_kind *kind, char *id,
			 size_t idsz, time_t *mtime)
{
	struct tcfs_org *org = tcfs_org_of(coll);
	double max_age = tcfs_g ? tcfs_resolve_max_age(tcfs_g->opts.cache_timeout) : 0;
	const struct tcfs_child *c;
	struct tcfs_children ch;
	int r;

	(void)arg;
	if (!org)
		return -ENOENT;
	r = children(org, coll, name, max_age, &ch);
	if (r != 0)
		return r;
	c = find_child(&ch, name);
	if (c && ch.stale[c->src] && tcfs_kind(c->kind)->get.desc) {
		/* what the older listing says, kept apart from ch (which
		 * confirm may release and fetch again) */
		enum tcfs_kind okind = c->kind;
		time_t omtime = tcfs_object_mtime(c->kind, c->item);
		char oid[TCFS_ID_MAX];

		snprintf(oid, sizeof(oid), "%s", c->id);
		r = confirm(org, coll, name, max_age, &ch, &c);
		if (r != 0 && r != -ENOENT) {
			tcfs_children_release(&ch);
			if (!api_unreachable(r))
				return r;
			/* the API is down or stalled: the older listing
			 * answers, so the child's .error, spec.json.rejected
			 * and id stay readable; whatever needs the object
			 * fails with the same error */
			*kind = okind;
			snprintf(id, idsz, "%s", oid);
			*mtime = omtime;
			return 0;
		}
		if (r != 0)
			c = NULL;
	}
	if (!c && any_stale(&ch)) {
		/* not in the expired listings: ask the API */
		tcfs_children_release(&ch);
		r = children(org, coll, name, 0, &ch);
		if (r != 0)
			return r;
		c = find_child(&ch, name);
	}
	r = -ENOENT;
	if (c) {
		*kind = c->kind;
		snprintf(id, idsz, "%s", c->id);
		*mtime = tcfs_object_mtime(c->kind, c->item);
		r = 0;
	}
	tcfs_children_release(&ch);
	return r;
}

int tcfs_lookup(const char *path, struct tcfs_node *out)
{
	static const struct tcfs_resolver live = {
		.arg = NULL, .org = resolve_org, .child = resolve_child,
	};

	return tcfs_path_parse(path, &live, out);
}
