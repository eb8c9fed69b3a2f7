/*
 * calls.c — a row's API calls: the ids of a node fed to a descriptor's
 * "{}" slots (struct tcfs_call), the one generic call and list, and the
 * cache keys (tc_call_key: family + fully expanded path, so children of
 * different parents never collide). No lock is held here.
 */
#include "tcfs.h"

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

		if (l == TCFS_LEVEL_VIA && via) {
			out[i] = via;
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

/* The id of a TCFS_LEVEL_VIA slot: the row's via_field of the body (a
 * create: sent without it, *sent a new copy) or of the object of resource
 * node n (its listing item will do: usually no request). */
static int via_value(struct tcfs_org *org, const struct tcfs_node *n,
		     json_t *body, char *buf, size_t size, json_t **sent,
		     struct tc_error *err)
{
	const char *field = tcfs_kind(n->kind)->via_field;
	const char *v = NULL;
	json_t *obj = NULL;

	if (!field) {
		enum tcfs_kind src[TCFS_MAX_SOURCES];

		/* a collection: the field of its (first) source row */
		if (tcfs_kind(n->kind)->cls == TCFS_C_COLLECTION &&
		    tcfs_coll_sources(n, src) >= 1)
			field = tcfs_kind(src[0])->via_field;
	}
	tc_error_clear(err);
	if (field && json_is_string(json_object_get(body, field))) {
		snprintf(buf, size, "%s", json_string_value(
				 json_object_get(body, field)));
		*sent = json_deep_copy(body);
		json_object_del(*sent, field);
		return 0;
	}
	if (field && n->what == TCFS_W_DIR && tcfs_node_id(n) &&
	    tcfs_fetch_object_brief(org, n, &obj, err) == 0)
		v = tcfs_json_str_borrow(obj, field);
	if (v)
		snprintf(buf, size, "%s", v);
	json_decref(obj);
	if (!v) {
		if (!err->kind)
			err->kind = TC_E_INVALID;
		if (!err->message[0])
			snprintf(err->message, sizeof(err->message),
				 "no %s to address the call", field ? field : "id");
		return -1;
	}
	return 0;
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
	if (has_via(call) && via_value(org, n, body, via, sizeof(via), &sent,
				       err) != 0)
		return -1;
	if (call_ids(call, n, id, via[0] ? via : NULL, ids, err) != 0)
		r = -1;
	else
		r = tc_call(org->client, call->desc, ids, call->nlevels, sent,
			    out, err);
	if (sent != body)
		json_decref(sent);
	return r;
}

int tcfs_call_list(struct tcfs_org *org, const struct tcfs_call *call,
		   const struct tcfs_node *n, json_t **items,
		   struct tc_error *err)
{
	const char *ids[TC_CALL_MAX_IDS];

	*items = NULL;
	if (call_ids(call, n, NULL, NULL, ids, err) != 0)
		return -1;
	return tc_call_list(org->client, call->desc, ids, call->nlevels, NULL,
			    items, err);
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
