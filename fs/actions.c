/*
 * actions.c — every change the mount makes: spec commits, templates, mkdir
 * (create), rmdir (delete), ctl verbs. Each one: local checks first (no
 * request on refusal), then ONE API call, then the cache is made to show
 * the result at once (read-your-writes: the response is put in the object
 * cache with a new generation, the parent list is invalidated, creates go to
 * the pending overlay, deletes to the tombstones). Creates are never retried.
 */
#include "tcfs.h"
#include "cache.h"
#include "overlay.h"
#include "spec.h"
#include "store.h"
#include "naming.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *display_of(const struct tcfs_node *res)
{
	const char *id = tcfs_node_id(res);

	return id ? id : "?";
}

/* Make the cache show a changed resource. `out` (borrowed) is the API's
 * answer: the object itself, {"cluster": object}, or anything else (then
 * the object is invalidated and fetched again on the next read). */
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
	if (oid && strcmp(oid, id) == 0)
		tcfs_cache_put(org->cache, key, obj);
	else
		tcfs_cache_invalidate(org->cache, key);
	tcfs_node_parent_coll(res, &coll);
	tcfs_list_key(res->kind, &coll, key, sizeof(key));
	tcfs_cache_invalidate(org->cache, key);
}

/* ---- spec.json ----------------------------------------------------------- */

int tcfs_apply_serverless(struct tcfs_org *org, const struct tcfs_node *res,
			  json_t *obj, json_t *cur, json_t *next,
			  char *msg, size_t msgsz)
{
	const char *id = tcfs_node_id(res);
	json_t *body = NULL, *out = NULL;
	char mask[512];
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
	if (r != 0) {
		char what[900];

		snprintf(what, sizeof(what), "updating cluster %.128s (%s)", id, mask);
		return tcfs_error_api(res, what, &err, 0);
	}
	tcfs_log(LOG_INFO, "updated cluster %s: %s", id, mask);
	after_change(org, res, out);
	json_decref(out);
	return 0;
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
		if (r != 0) {
			char what[200];

			snprintf(what, sizeof(what), "%s cluster %s", verb, id);
			return tcfs_error_api(res, what, &err, 0);
		}
		tcfs_log(LOG_INFO, "cluster %s: %s", id, verb);
		after_change(org, res, out);
		json_decref(out);
		return 0;
	}
	if (n == 0) {
		json_decref(changes);
		return 0;
	}
	r = tc_dedicated_cluster_update(org->client, id, changes, &out, &err);
	json_decref(changes);
	if (r != 0) {
		char what[200];

		snprintf(what, sizeof(what), "updating cluster %s", id);
		return tcfs_error_api(res, what, &err, 0);
	}
	tcfs_log(LOG_INFO, "updated cluster %s", id);
	after_change(org, res, out);
	json_decref(out);
	return 0;
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
	tc_error_clear(&err);
	r = tcfs_fetch_object(org, res->kind, id, &obj, &err);
	if (r != 0) {
		tcfs_store_set(key, TCFS_SLOT_REJECTED, text, len);
		return tcfs_error_api(res, "reading the current values", &err, 0);
	}
	cur = k->spec_from(obj);
	r = tcfs_spec_parse(text, len, k->spec_schema, obj, &next, msg, sizeof(msg));
	if (r == 0)
		r = k->apply(org, res, obj, cur, next, msg, sizeof(msg));
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
	char avail[200] = "";
	struct tc_error err;
	json_t *out = NULL;
	size_t off = 0;
	int known = 0;

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
	if (k->ctl(org->client, id, verb, &out, &err) != 0) {
		char what[200];

		snprintf(what, sizeof(what), "ctl %s of %s %s", verb, k->label, id);
		return tcfs_error_api(res, what, &err, 0);
	}
	tcfs_log(LOG_INFO, "%s %s: %s", k->label, id, verb);
	tcfs_error_clear(res);
	after_change(org, res, out);
	json_decref(out);
	return 0;
}

/* ---- templates ------------------------------------------------------------ */

/* The default template of a project's clusters: a Starter cluster in the
 * mount's default region (-o default_region, default aws-us-east-1) in this
 * project, with a zero spending limit (the free tier). "servicePlan" picks
 * the API: Starter / Essential (serverless; Essential needs autoScaling
 * {minRcu, maxRcu}) or Dedicated (dedicated; needs regionId,
 * tidbNodeSetting, tikvNodeSetting). mkdir NAME fills displayName. */
char *tcfs_template_default(const char *project_id, const char *region)
{
	json_t *t = json_object(), *reg = json_object(), *labels = json_object();
	json_t *sl = json_object();
	char rname[256];
	size_t len;
	char *text;

	snprintf(rname, sizeof(rname), "regions/%s", region ? region : "aws-us-east-1");
	json_object_set_new(t, "servicePlan", json_string("Starter"));
	json_object_set_new(t, "displayName", json_string(""));
	json_object_set_new(reg, "name", json_string(rname));
	json_object_set_new(t, "region", reg);
	json_object_set_new(labels, "tidb.cloud/project",
			    json_string(project_id ? project_id : ""));
	json_object_set_new(t, "labels", labels);
	json_object_set_new(sl, "monthly", json_integer(0));
	json_object_set_new(t, "spendingLimit", sl);
	text = tcfs_render_json(t, &len);
	json_decref(t);
	return text;
}

char *tcfs_template_text(const struct tcfs_node *coll, size_t *len,
			 time_t *mtime)
{
	char key[TCFS_KEY_MAX];
	struct tcfs_node dir;
	char *text;

	tcfs_node_dir(coll, &dir);
	tcfs_node_dirkey(&dir, key, sizeof(key));
	text = tcfs_store_get(key, TCFS_SLOT_TEMPLATE, len, mtime);
	if (text)
		return text;
	text = tcfs_template_default(tcfs_node_id(coll),
				     tcfs_g ? tcfs_g->opts.default_region : NULL);
	*len = text ? strlen(text) : 0;
	return text;
}

int tcfs_commit_template(const struct tcfs_node *coll, const char *text,
			 size_t len)
{
	char key[TCFS_KEY_MAX];
	struct tcfs_node dir;
	json_error_t jerr;
	json_t *v;

	if (tcfs_g->opts.ro)
		return -EROFS;
	tcfs_node_dir(coll, &dir);
	if (len > TCFS_MAX_TEXT) {
		tcfs_error_set(&dir, ".template.json rejected: %zu bytes is more "
			       "than the %d-byte limit", len, TCFS_MAX_TEXT);
		return -EFBIG;
	}
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v || !json_is_object(v)) {
		if (v)
			tcfs_error_set(&dir, ".template.json rejected: it must be "
				       "a JSON object");
		else
			tcfs_error_set(&dir, ".template.json rejected: invalid JSON: "
				       "%s (line %d, column %d)", jerr.text,
				       jerr.line, jerr.column);
		json_decref(v);
		return -EINVAL;
	}
	json_decref(v);
	tcfs_node_dirkey(&dir, key, sizeof(key));
	tcfs_error_clear(&dir);
	return tcfs_store_set(key, TCFS_SLOT_TEMPLATE, text, len);
}

static void add_missing(char *buf, size_t size, const char *field)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%s%s", n ? ", " : "", field);
}

int tcfs_template_body(json_t *tpl, const char *name, const char *project_id,
		       json_t **body, enum tc_family *family,
		       char *msg, size_t msgsz)
{
	char missing[300] = "";
	char plan[32];
	json_t *b, *labels, *region;
	const char *p;

	*body = NULL;
	if (!json_is_object(tpl)) {
		snprintf(msg, msgsz, ".template.json must be a JSON object");
		return -EINVAL;
	}
	b = json_deep_copy(tpl);
	if (!b) {
		snprintf(msg, msgsz, "out of memory");
		return -ENOMEM;
	}
	p = tcfs_json_str_borrow(b, "servicePlan");
	if (json_object_get(b, "servicePlan") && !p) {
		snprintf(msg, msgsz, "servicePlan must be a string: Starter, "
			 "Essential or Dedicated");
		json_decref(b);
		return -EINVAL;
	}
	snprintf(plan, sizeof(plan), "%s", p ? p :
		 (json_object_get(b, "autoScaling") ? "Essential" : "Starter"));
	json_object_del(b, "servicePlan");
	json_object_set_new(b, "displayName", json_string(name));
	labels = json_object_get(b, "labels");
	if (!json_is_object(labels)) {
		labels = json_object();
		json_object_set_new(b, "labels", labels);
	}
	json_object_set_new(labels, "tidb.cloud/project",
			    json_string(project_id ? project_id : ""));
	region = json_object_get(b, "region");

	if (strcasecmp(plan, "Starter") == 0 || strcasecmp(plan, "Essential") == 0) {
		int essential = strcasecmp(plan, "Essential") == 0;

		*family = TC_FAMILY_SERVERLESS;
		if (!json_is_object(region) ||
		    !(tcfs_json_str_borrow(region, "name") ||
		      tcfs_json_str_borrow(region, "regionId")))
			add_missing(missing, sizeof(missing),
				    "region (e.g. {\"name\": \"regions/aws-us-east-1\"})");
		if (essential) {
			if (!json_is_object(json_object_get(b, "autoScaling")))
				add_missing(missing, sizeof(missing),
					    "autoScaling ({\"minRcu\": 2000, \"maxRcu\": 4000})");
			json_object_del(b, "spendingLimit");
		} else if (json_object_get(b, "autoScaling")) {
			snprintf(msg, msgsz, "a Starter cluster has no autoScaling; "
				 "set \"servicePlan\": \"Essential\"");
			json_decref(b);
			return -EINVAL;
		}
	} else if (strcasecmp(plan, "Dedicated") == 0) {
		const char *rn = json_is_object(region) ?
			tcfs_json_str_borrow(region, "name") : NULL;

		*family = TC_FAMILY_DEDICATED;
		if (!json_is_string(json_object_get(b, "regionId")) && rn)
			json_object_set_new(b, "regionId", json_string(
				strncmp(rn, "regions/", 8) == 0 ? rn + 8 : rn));
		json_object_del(b, "region");
		json_object_del(b, "spendingLimit");
		json_object_del(b, "autoScaling");
		if (!json_object_get(b, "port"))
			json_object_set_new(b, "port", json_integer(4000));
		if (!json_is_string(json_object_get(b, "regionId")))
			add_missing(missing, sizeof(missing), "regionId");
		if (!json_is_object(json_object_get(b, "tidbNodeSetting")))
			add_missing(missing, sizeof(missing), "tidbNodeSetting");
		if (!json_is_object(json_object_get(b, "tikvNodeSetting")))
			add_missing(missing, sizeof(missing), "tikvNodeSetting");
	} else {
		snprintf(msg, msgsz, "unknown servicePlan \"%.40s\" (expected "
			 "Starter, Essential or Dedicated)", plan);
		json_decref(b);
		return -EINVAL;
	}
	if (missing[0]) {
		snprintf(msg, msgsz, "missing required field(s) for servicePlan %s "
			 "in .template.json: %s", plan, missing);
		json_decref(b);
		return -EINVAL;
	}
	*body = b;
	return 0;
}

/* ---- mkdir / rmdir ------------------------------------------------------- */

/* Show a created object at once: object cache, pending overlay, list. */
static void show_created(struct tcfs_org *org, enum tcfs_kind kind,
			 const struct tcfs_node *coll, json_t *obj)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	const char *id = tcfs_json_str_borrow(obj, k->id_key);
	char okey[TCFS_KEY_MAX], lkey[TCFS_KEY_MAX];

	tcfs_list_key(kind, coll, lkey, sizeof(lkey));
	if (id) {
		tcfs_obj_key(kind, id, okey, sizeof(okey));
		tcfs_cache_put(org->cache, okey, obj);
		tcfs_overlay_add_pending(org->overlay, lkey, id, obj);
	}
	tcfs_cache_invalidate(org->cache, lkey);
}

int tcfs_mkdir_project(struct tcfs_org *org, const struct tcfs_node *coll,
		       const char *name)
{
	json_t *body = json_pack("{s:s}", "name", name);
	json_t *out = NULL, *obj;
	struct tc_error err;
	char ts[32];
	int r;

	tc_error_clear(&err);
	r = tc_project_create(org->client, body, &out, &err);
	json_decref(body);
	if (r != 0) {
		char what[300];

		snprintf(what, sizeof(what), "creating project %s", name);
		return tcfs_error_api(coll, what, &err, 1);
	}
	/* POST /projects answers {id}: complete it for the listing. */
	obj = json_is_object(out) ? json_deep_copy(out) : json_object();
	if (!tcfs_json_str_borrow(obj, "name"))
		json_object_set_new(obj, "name", json_string(name));
	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	if (!json_object_get(obj, "create_timestamp"))
		json_object_set_new(obj, "create_timestamp", json_string(ts));
	if (!tcfs_json_str_borrow(obj, "id"))
		tcfs_log(LOG_WARNING, "created project %s: the answer has no id", name);
	else
		tcfs_log(LOG_INFO, "created project %s (%s)", name,
			 tcfs_json_str_borrow(obj, "id"));
	show_created(org, TCFS_K_PROJECT, coll, obj);
	tcfs_error_clear(coll);
	json_decref(obj);
	json_decref(out);
	return 0;
}

int tcfs_mkdir_cluster(struct tcfs_org *org, const struct tcfs_node *coll,
		       const char *name)
{
	const char *pid = tcfs_node_id(coll);
	char msg[600] = "";
	json_t *tpl, *body = NULL, *out = NULL, *obj;
	enum tc_family family = TC_FAMILY_SERVERLESS;
	json_error_t jerr;
	struct tc_error err;
	size_t len = 0;
	char *text;
	int r;

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
	if (r != 0) {
		char what[300];

		snprintf(what, sizeof(what), "creating cluster %s", name);
		return tcfs_error_api(coll, what, &err, 1);
	}
	obj = json_is_object(out) ? json_deep_copy(out) : json_object();
	if (!tcfs_json_str_borrow(obj, "displayName"))
		json_object_set_new(obj, "displayName", json_string(name));
	if (!tcfs_json_str_borrow(obj, "state"))
		json_object_set_new(obj, "state", json_string("CREATING"));
	tcfs_log(LOG_INFO, "created cluster %s (%s)", name,
		 tcfs_json_str_borrow(obj, "clusterId") ?
		 tcfs_json_str_borrow(obj, "clusterId") : "no id in the answer");
	show_created(org, family == TC_FAMILY_DEDICATED ? TCFS_K_DED_CLUSTER :
		     TCFS_K_SLS_CLUSTER, coll, obj);
	tcfs_error_clear(coll);
	json_decref(obj);
	json_decref(out);
	return 0;
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
	if (!tcfs_name_valid(name))
		return -EINVAL;
	return k->mkdir(org, coll, name);
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
	if (k->remove(org->client, id, &out, &err) != 0) {
		char what[200];

		snprintf(what, sizeof(what), "deleting %s %s", k->label, id);
		return tcfs_error_api(res, what, &err, 0);
	}
	json_decref(out);
	tcfs_log(LOG_INFO, "deleted %s %s", k->label, id);
	tcfs_obj_key(res->kind, id, key, sizeof(key));
	tcfs_overlay_tombstone(org->overlay, key);
	tcfs_cache_invalidate(org->cache, key);
	tcfs_node_parent_coll(res, &coll);
	tcfs_list_key(res->kind, &coll, key, sizeof(key));
	tcfs_cache_invalidate(org->cache, key);
	return 0;
}
