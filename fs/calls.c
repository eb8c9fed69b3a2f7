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
		    const char *id, const char **out, struct tc_error *err)
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
	if (call_ids(call, n, id, ids, &err) != 0)
		return;
	key = tc_call_key(call->desc, ids, call->nlevels, &err);
	if (key && strlen(key) < size)
		memcpy(buf, key, strlen(key) + 1);
	free(key);
}

int tcfs_call_one(struct tcfs_org *org, const struct tcfs_call *call,
		  const struct tcfs_node *n, const char *id, json_t *body,
		  json_t **out, struct tc_error *err)
{
	const char *ids[TC_CALL_MAX_IDS];

	if (out)
		*out = NULL;
	if (call_ids(call, n, id, ids, err) != 0)
		return -1;
	return tc_call(org->client, call->desc, ids, call->nlevels, body, out,
		       err);
}

int tcfs_call_list(struct tcfs_org *org, const struct tcfs_call *call,
		   const struct tcfs_node *n, json_t **items,
		   struct tc_error *err)
{
	const char *ids[TC_CALL_MAX_IDS];

	*items = NULL;
	if (call_ids(call, n, NULL, ids, err) != 0)
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
