/*
 * template.c — a collection's .template.json: the default (a Starter
 * cluster), the stored text (store.h, TCFS_SLOT_TEMPLATE), its validation
 * on write, and the create body built from it by mkdir. No API calls; the
 * body builder is pure (unit-tested).
 */
#include "tcfs.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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

