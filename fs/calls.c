/*
 * calls.c — a row's API calls: the ids of a node fed to a descriptor's
 * "{}" slots (struct tcfs_call), the one generic call and list, and the
 * cache keys (tc_call_key: family + fully expanded path, so children of
 * different parents never collide). No lock is held here.
 */
#include "tcfs.h"
#include "cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ids of a call: levels of (n's ids, then id). 0, or -1 with err when
 * the node lacks a level the call names. */
static int call_ids(const struct tcfs_call *call, const struct tcfs_node *n,
		    const char *id, const char *via, const char **out,
		    struct tc_error *err)
{
	int have = n->nids + (id ? 1 : 0);

	tc_error_clear(err);
	if (!call->desc || call->nlevels > TC_CALL_MAX_IDS) {
		err->kind = TC_E_INVALID;
		snprintf(err->message, sizeof(err->message), "no such call");
		return -1;
	}
	for (size_t i = 0; i < call->nlevels; i++) {
		int l = call->levels[i];

		if (l == TCFS_LEVEL_VIA) {
			/* a cache key: "-" (the resource's own id is unique
			 * across the slot's values) */
			out[i] = via ? via : "-";
			continue;
		}
		if (l >= have) {
			err->kind = TC_E_INVALID;
			snprintf(err->message, sizeof(err->message),
				 "%s: the node has no id of level %d",
				 call->desc->name ? call->desc->name : "call", l);
			return -1;
		}
		out[i] = l < n->nids ? n->ids[l] : id;
	}
	return 0;
}

void tcfs_call_key(const struct tcfs_call *call, const struct tcfs_node *n,
		   const char *id, char *buf, size_t size)
{
	const char *ids[TC_CALL_MAX_IDS];
	struct tc_error err;
	char *key;

	if (size)
		buf[0] = '\0';
	if (call_ids(call, n, id, NULL, ids, &err) != 0)
		return;
	key = tc_call_key(call->desc, ids, call->nlevels, &err);
	if (key && strlen(key) < size)
		memcpy(buf, key, strlen(key) + 1);
	free(key);
}

static int has_via(const struct tcfs_call *call)
{
	for (size_t i = 0; i < call->nlevels; i++)
		if (call->levels[i] == TCFS_LEVEL_VIA)
			return 1;
	return 0;
}

/* The item with id `id` of a list (borrowed), or NULL. */
static json_t *item_of(json_t *items, const char *id_key, const char *id)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it) {
		const char *v = tcfs_json_str_borrow(it, id_key);

		if (v && strcmp(v, id) == 0)
			return it;
	}
	return NULL;
}

/* A VIA value of an item (borrowed): the row's via_of, else the field. */
static const char *via_of_item(const struct tcfs_kind_desc *k, json_t *item,
			       const char *field)
{
	if (!item)
		return NULL;
	return k->via_of ? k->via_of(item) : tcfs_json_str_borrow(item, field);
}

/* The via_field of resource node n from its listing item: the cached
 * listing at any age (the field never changes), else the listing fetched.
 * Never through the row's `get` (which needs this very value). */
static int via_from_listing(struct tcfs_org *org, enum tcfs_kind kind,
			    const struct tcfs_node *coll, const char *id,
			    const char *field, char *buf, size_t size,
			    struct tc_error *err)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	char lkey[TCFS_KEY_MAX];
	json_t *items = NULL;
	const char *v = NULL;

	tcfs_list_key(kind, coll, lkey, sizeof(lkey));
	if (tcfs_cache_get_aged(org->cache, lkey, 1e12, &items) > 0)
		v = via_of_item(k, item_of(items, k->id_key, id), field);
	if (!v) {
		json_decref(items);
		items = NULL;
		if (tcfs_fetch_list(org, kind, coll, &items, err) != 0)
			return -1;
		v = via_of_item(k, item_of(items, k->id_key, id), field);
	}
	if (v)
		snprintf(buf, size, "%s", v);
	json_decref(items);
	return v ? 0 : -1;
}

/* The id of a TCFS_LEVEL_VIA slot: the row's via_field of the body (a
 * create: sent without it, *sent a new copy) or of the resource's listing
 * item (n a resource or a file in it; or n its collection and id). */
static int via_value(struct tcfs_org *org, const struct tcfs_node *n,
		     const char *id, json_t *body, char *buf, size_t size,
		     json_t **sent, struct tc_error *err)
{
	const char *field = tcfs_kind(n->kind)->via_field;
	enum tcfs_kind kind = n->kind;
	struct tcfs_node coll;
	int have_coll = 0;

	if (tcfs_kind(n->kind)->cls == TCFS_C_COLLECTION) {
		enum tcfs_kind src[TCFS_MAX_SOURCES];

		/* the field of its (first) source row */
		if (tcfs_coll_sources(n, src) >= 1) {
			kind = src[0];
			field = tcfs_kind(kind)->via_field;
		}
		coll = *n;
		have_coll = id != NULL;
	} else if (tcfs_kind(n->kind)->cls == TCFS_C_RESOURCE &&
		   tcfs_node_id(n)) {
		struct tcfs_node res = *n;

		res.what = TCFS_W_DIR;   /* n may be a file of the resource */
		res.file = NULL;
		tcfs_node_parent_coll(&res, &coll);
		id = tcfs_node_id(n);
		have_coll = 1;
	}
	tc_error_clear(err);
	if (field && json_is_string(json_object_get(body, field))) {
		snprintf(buf, size, "%s", json_string_value(
				 json_object_get(body, field)));
		*sent = json_deep_copy(body);
		json_object_del(*sent, field);
		return 0;
	}
	if ((field || tcfs_kind(kind)->via_of) && have_coll &&
	    via_from_listing(org, kind, &coll, id, field, buf, size, err) == 0)
		return 0;
	if (!err->kind) {
		/* not listed (any more): as the API's 404 */
		err->kind = TC_E_HTTP;
		err->http_status = 404;
	}
	if (!err->message[0])
		snprintf(err->message, sizeof(err->message),
			 "no %s to address the call", field ? field : "id");
	return -1;
}

/* The row whose calls include desc and that normalizes its answers. */
static const struct tcfs_kind_desc *normalizer(const tc_call_desc *desc,
					       int list)
{
	for (int i = 0; i < TCFS_K_COUNT; i++) {
		const struct tcfs_kind_desc *k = tcfs_kind((enum tcfs_kind)i);

		if (!k->normalize || !desc)
			continue;
		if (list ? k->list.desc == desc :
		    (k->get.desc == desc || k->create.desc == desc ||
		     k->remove.desc == desc ||
		     (k->update && k->update->call.desc == desc)))
			return k;
	}
	return NULL;
}

int tcfs_call_one(struct tcfs_org *org, const struct tcfs_call *call,
		  const struct tcfs_node *n, const char *id, json_t *body,
		  json_t **out, struct tc_error *err)
{
	const char *ids[TC_CALL_MAX_IDS];

	char via[TCFS_ID_MAX] = "";
	json_t *sent = body;
	int r;

	if (out)
		*out = NULL;
	if (has_via(call) && via_value(org, n, id, body, via, sizeof(via),
				       &sent, err) != 0)
		return -1;
	if (call_ids(call, n, id, via[0] ? via : NULL, ids, err) != 0)
		r = -1;
	else
		r = tc_call(org->client, call->desc, ids, call->nlevels, sent,
			    out, err);
	if (sent != body)
		json_decref(sent);
	if (r == 0 && out && json_is_object(*out)) {
		const struct tcfs_kind_desc *k = normalizer(call->desc, 0);

		if (k)
			k->normalize(n, *out);
	}
	return r;
}

int tcfs_call_list(struct tcfs_org *org, const struct tcfs_call *call,
		   const struct tcfs_node *n, json_t **items,
		   struct tc_error *err)
{
	const char *ids[TC_CALL_MAX_IDS];
	const struct tcfs_kind_desc *k;

	*items = NULL;
	if (call_ids(call, n, NULL, NULL, ids, err) != 0)
		return -1;
	if (tc_call_list(org->client, call->desc, ids, call->nlevels, NULL,
			 items, err) != 0)
		return -1;
	k = normalizer(call->desc, 1);
	if (k) {
		size_t i;
		json_t *it;

		json_array_foreach(*items, i, it)
			if (json_is_object(it))
				k->normalize(n, it);
	}
	return 0;
}

void tcfs_obj_key(enum tcfs_kind kind, const struct tcfs_node *coll,
		  const char *id, char *buf, size_t size)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	char lkey[TCFS_KEY_MAX];

	if (k->get.desc) {
		tcfs_call_key(&k->get, coll, id, buf, size);
		return;
	}
	/* no GET (projects): the object is an item of its listing */
	tcfs_list_key(kind, coll, lkey, sizeof(lkey));
	snprintf(buf, size, "%s#%s", lkey, id ? id : "");
}

void tcfs_list_key(enum tcfs_kind src, const struct tcfs_node *coll,
		   char *buf, size_t size)
{
	tcfs_call_key(&tcfs_kind(src)->list, coll, NULL, buf, size);
}
