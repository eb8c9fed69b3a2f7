/*
 * update.c — a checked spec.json change sent by its row's update style
 * (struct tcfs_update): an update mask with a wrapper key, a flat PATCH,
 * and one field changed alone by verbs of its own (Dedicated `paused` →
 * pause / resume). The answer goes through tcfs_finish_update (actions.c).
 */
#include "tcfs.h"
#include "spec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int apply_mask(struct tcfs_org *org, const struct tcfs_node *res,
		      const struct tcfs_update *u, json_t *cur, json_t *next,
		      char *msg, size_t msgsz)
{
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	const char *id = tcfs_node_id(res);
	json_t *changed = NULL, *body, *out = NULL;
	char mask[512], what[900];
	struct tc_error err;
	int n, r;

	n = tcfs_spec_diff_mask(cur, next, u->mask_paths, &changed, mask,
				sizeof(mask));
	if (n < 0) {
		snprintf(msg, msgsz, "too many changes at once");
		return -EINVAL;
	}
	if (n == 0)
		return 0;
	if (u->id_in_body)
		json_object_set_new(changed, k->id_key, json_string(id));
	body = json_pack("{s:o, s:s}", u->wrapper ? u->wrapper : "update",
			 changed, "updateMask", mask);
	if (!body)
		return -ENOMEM;
	r = tcfs_call_one(org, &u->call, res, NULL, body, &out, &err);
	json_decref(body);
	snprintf(what, sizeof(what), "updating %s %.128s (%s)", k->label, id,
		 mask);
	r = tcfs_finish_update(org, res, what, r, out, &err);
	json_decref(out);
	return r;
}

/* The row's verb for the verb field's new value. */
static int apply_verb_field(struct tcfs_org *org, const struct tcfs_node *res,
			    const struct tcfs_update *u, json_t *value)
{
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	const char *name = json_is_true(value) ? u->verb_on : u->verb_off;
	const struct tcfs_verb *v = name ? tcfs_kind_verb(res->kind, name) : NULL;
	struct tc_error err;
	json_t *out = NULL;
	char what[200];
	int r;

	if (!v)
		return -EPERM;
	r = tcfs_call_one(org, &v->call, res, NULL, NULL, &out, &err);
	snprintf(what, sizeof(what), "%s %s %s", name, k->label,
		 tcfs_node_id(res));
	r = tcfs_finish_update(org, res, what, r, out, &err);
	json_decref(out);
	return r;
}

static int apply_flat(struct tcfs_org *org, const struct tcfs_node *res,
		      const struct tcfs_update *u, json_t *cur, json_t *next,
		      char *msg, size_t msgsz)
{
	const struct tcfs_kind_desc *k = tcfs_kind(res->kind);
	json_t *nv = u->verb_field ? json_object_get(next, u->verb_field) : NULL;
	json_t *cv = u->verb_field ? json_object_get(cur, u->verb_field) : NULL;
	json_t *c2 = json_copy(cur), *n2 = json_copy(next);
	json_t *changes = NULL, *out = NULL;
	struct tc_error err;
	char what[200];
	int vchanged = nv && !(cv && json_equal(nv, cv));
	int n, r;

	if (u->verb_field) {
		json_object_del(c2, u->verb_field);
		json_object_del(n2, u->verb_field);
	}
	n = tcfs_spec_diff_flat(c2, n2, &changes);
	json_decref(c2);
	json_decref(n2);
	if (vchanged && n > 0) {
		snprintf(msg, msgsz, "`%s` cannot be changed together with "
			 "other fields (%d changed); apply one change at a time",
			 u->verb_field, n);
		json_decref(changes);
		return -EINVAL;
	}
	if (vchanged) {
		json_decref(changes);
		return apply_verb_field(org, res, u, nv);
	}
	if (n == 0) {
		json_decref(changes);
		return 0;
	}
	r = tcfs_call_one(org, &u->call, res, NULL, changes, &out, &err);
	json_decref(changes);
	snprintf(what, sizeof(what), "updating %s %s", k->label,
		 tcfs_node_id(res));
	r = tcfs_finish_update(org, res, what, r, out, &err);
	json_decref(out);
	return r;
}

int tcfs_apply_update(struct tcfs_org *org, const struct tcfs_node *res,
		      json_t *cur, json_t *next, char *msg, size_t msgsz)
{
	const struct tcfs_update *u = tcfs_kind(res->kind)->update;

	if (!u)
		return -EPERM;
	switch (u->style) {
	case TCFS_UPDATE_MASK:
		return apply_mask(org, res, u, cur, next, msg, msgsz);
	case TCFS_UPDATE_FLAT:
		return apply_flat(org, res, u, cur, next, msg, msgsz);
	default:
		return -EPERM;
	}
}
