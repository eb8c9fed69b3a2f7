/*
 * family_clusters.c — clusters/ and clusters/<c>/: Starter / Essential
 * (serverless v1beta1) and Dedicated (dedicated v1beta1) clusters. The
 * rows, the spec.json extraction and schemas, the update styles (an update
 * mask wrapped in {"cluster": …}; a flat PATCH with `paused` through
 * pause / resume), the verbs, the .template.json and its create body.
 */
#include "tcfs.h"
#include "validate.h"
#include "family_private_endpoints.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct tcfs_file_desc clusters_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* ctl is 0644: reading lists the verbs, writing runs one. */
static const struct tcfs_file_desc cluster_files[] = {
	{ .name = "cluster.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "spec.json", .type = TCFS_F_SPEC, .mode = 0644 },
	{ .name = "spec.json.rejected", .type = TCFS_F_REJECTED, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "wait", .type = TCFS_F_WAIT, .mode = 0444 },
	{ .name = "ctl", .type = TCFS_F_CTL, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* Dedicated: the same, and the PrivateLink service of the default TiDB
 * node group (family_private_endpoints.c: TCFS_LEVEL_VIA from via_of). */
static const struct tcfs_file_desc ded_cluster_files[] = {
	{ .name = "cluster.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "spec.json", .type = TCFS_F_SPEC, .mode = 0644 },
	{ .name = "spec.json.rejected", .type = TCFS_F_REJECTED, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "wait", .type = TCFS_F_WAIT, .mode = 0444 },
	{ .name = "ctl", .type = TCFS_F_CTL, .mode = 0644 },
	{ .name = "private-link-service.json", .type = TCFS_F_CALL, .mode = 0444,
	  .call = TCFS_CALL(tc_desc_private_link_service_get, 1, TCFS_LEVEL_VIA) },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* ---- spec.json ------------------------------------------------------------ */

/* Editable fields of spec.json, in the schema language of spec.h. */
static const char sls_schema[] =
	"{\"displayName\":\"string\",\"labels\":{\"*\":\"string\"},"
	"\"spendingLimit\":{\"monthly\":\"integer\"},"
	"\"autoScaling\":{\"minRcu\":\"integer|string\",\"maxRcu\":\"integer|string\"},"
	"\"endpoints\":{\"public\":{\"disabled\":\"boolean\",\"authorizedNetworks\":"
	"[{\"startIpAddress\":\"string\",\"endIpAddress\":\"string\",\"displayName\":\"string\"}]}},"
	"\"automatedBackupPolicy\":{\"startTime\":\"string\",\"retentionDays\":\"integer\"}}";

#define NODE_SETTING "{\"nodeSpecKey\":\"string\",\"nodeCount\":\"integer\"," \
	"\"storageSizeGi\":\"integer\",\"storageType\":\"string\",\"raftStoreIops\":\"integer\"}"

static const char ded_schema[] =
	"{\"displayName\":\"string\",\"labels\":{\"*\":\"string\"},\"paused\":\"boolean\","
	"\"tidbNodeSetting\":{\"nodeSpecKey\":\"string\",\"tidbNodeGroups\":"
	"[{\"tidbNodeGroupId\":\"string\",\"nodeCount\":\"integer\"}]},"
	"\"tikvNodeSetting\":" NODE_SETTING ","
	"\"tiflashNodeSetting\":" NODE_SETTING "}";

/* The serverless updateMask paths. */
const char *const tcfs_sls_mask_paths[] = {
	"displayName", "labels", "spendingLimit.monthly", "autoScaling",
	"endpoints.public.disabled", "endpoints.public.authorizedNetworks",
	"automatedBackupPolicy", NULL
};

/* The fields every cluster spec.json starts with: displayName, and labels
 * (an empty object when the API has none). A new object. */
static json_t *spec_head(json_t *obj)
{
	json_t *spec = json_object();

	if (!spec || !json_is_object(obj))
		return spec;
	tcfs_json_copy_field(spec, obj, "displayName");
	if (json_is_object(json_object_get(obj, "labels")))
		tcfs_json_copy_field(spec, obj, "labels");
	else
		json_object_set_new(spec, "labels", json_object());
	return spec;
}

/* Serverless (Starter / Essential): the fields PATCH + updateMask takes. */
json_t *tcfs_spec_serverless(json_t *obj)
{
	json_t *spec = spec_head(obj);
	json_t *as, *sl, *ep, *pub, *endpoints, *pubout, *nets;

	if (!spec || !json_is_object(obj))
		return spec;
	as = json_object_get(obj, "autoScaling");
	sl = json_object_get(obj, "spendingLimit");
	if (json_is_object(as)) {
		json_t *a = json_object();

		tcfs_json_copy_field(a, as, "minRcu");
		tcfs_json_copy_field(a, as, "maxRcu");
		json_object_set_new(spec, "autoScaling", a);
	} else if (json_is_object(sl)) {
		json_t *s = json_object();

		tcfs_json_copy_field(s, sl, "monthly");
		json_object_set_new(spec, "spendingLimit", s);
	}
	ep = json_object_get(obj, "endpoints");
	pub = json_is_object(ep) ? json_object_get(ep, "public") : NULL;
	endpoints = json_object();
	pubout = json_object();
	if (json_is_boolean(json_object_get(pub, "disabled")))
		tcfs_json_copy_field(pubout, pub, "disabled");
	else
		json_object_set_new(pubout, "disabled", json_false());
	nets = json_object_get(pub, "authorizedNetworks");
	if (json_is_array(nets))
		tcfs_json_copy_field(pubout, pub, "authorizedNetworks");
	else
		json_object_set_new(pubout, "authorizedNetworks", json_array());
	json_object_set_new(endpoints, "public", pubout);
	json_object_set_new(spec, "endpoints", endpoints);
	if (json_is_object(json_object_get(obj, "automatedBackupPolicy")))
		tcfs_json_copy_field(spec, obj, "automatedBackupPolicy");
	return spec;
}

static json_t *storage_setting(json_t *in)
{
	static const char *const keys[] = {
		"nodeSpecKey", "nodeCount", "storageSizeGi", "storageType", NULL
	};
	json_t *out = json_object();

	for (int i = 0; keys[i]; i++)
		tcfs_json_copy_field(out, in, keys[i]);
	return out;
}

/* Dedicated: flat PATCH fields plus `paused` (pause / resume). */
json_t *tcfs_spec_dedicated(json_t *obj)
{
	json_t *spec = spec_head(obj);
	json_t *tidb, *tikv, *tiflash;
	const char *state;

	if (!spec || !json_is_object(obj))
		return spec;
	state = tcfs_json_str_borrow(obj, "state");
	json_object_set_new(spec, "paused", json_boolean(state &&
		(strcmp(state, "PAUSED") == 0 || strcmp(state, "PAUSING") == 0)));
	tidb = json_object_get(obj, "tidbNodeSetting");
	if (json_is_object(tidb)) {
		json_t *t = json_object();
		json_t *groups = json_object_get(tidb, "tidbNodeGroups");

		tcfs_json_copy_field(t, tidb, "nodeSpecKey");
		if (json_is_array(groups)) {
			json_t *g = json_array();
			size_t i;
			json_t *it;

			json_array_foreach(groups, i, it) {
				json_t *e = json_object();

				tcfs_json_copy_field(e, it, "tidbNodeGroupId");
				tcfs_json_copy_field(e, it, "nodeCount");
				json_array_append_new(g, e);
			}
			json_object_set_new(t, "tidbNodeGroups", g);
		}
		json_object_set_new(spec, "tidbNodeSetting", t);
	}
	tikv = json_object_get(obj, "tikvNodeSetting");
	if (json_is_object(tikv))
		json_object_set_new(spec, "tikvNodeSetting", storage_setting(tikv));
	tiflash = json_object_get(obj, "tiflashNodeSetting");
	if (json_is_object(tiflash))
		json_object_set_new(spec, "tiflashNodeSetting", storage_setting(tiflash));
	return spec;
}

/* Starter has spendingLimit, Essential has autoScaling: the plan is not
 * changed through spec.json (known only with the current values). */
static int check_serverless(json_t *next, json_t *cur, char *msg, size_t msgsz)
{
	if (cur && json_object_get(next, "spendingLimit") &&
	    !json_object_get(cur, "spendingLimit")) {
		snprintf(msg, msgsz, "spendingLimit applies to Starter clusters only");
		return -EINVAL;
	}
	if (cur && json_object_get(next, "autoScaling") &&
	    !json_object_get(cur, "autoScaling")) {
		snprintf(msg, msgsz, "autoScaling applies to Essential clusters only");
		return -EINVAL;
	}
	return tcfs_valid_cluster_spec(next, cur, msg, msgsz);
}

static const struct tcfs_update sls_update = {
	.style = TCFS_UPDATE_MASK,
	.call = TCFS_CALL(tc_desc_serverless_cluster_update, 1),
	.wrapper = "cluster", .mask_paths = tcfs_sls_mask_paths,
	.id_in_body = 1,
};

static const struct tcfs_update ded_update = {
	.style = TCFS_UPDATE_FLAT,
	.call = TCFS_CALL(tc_desc_dedicated_cluster_update, 1),
	.verb_field = "paused", .verb_on = "pause", .verb_off = "resume",
};

static const struct tcfs_verb ded_verbs[] = {
	{ .usage = "pause", .call = TCFS_CALL(tc_desc_dedicated_cluster_pause, 1) },
	{ .usage = "resume", .call = TCFS_CALL(tc_desc_dedicated_cluster_resume, 1) },
};

/* ---- .template.json and mkdir --------------------------------------------- */

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
	/* the integers of the body (spending limit, node counts, sizes) in
	 * their published ranges, as in spec.json */
	if (tcfs_valid_cluster_ints(b, NULL, msg, msgsz) != 0) {
		json_decref(b);
		return -EINVAL;
	}
	*body = b;
	return 0;
}

static int check_cluster_name(const char *name, char *msg, size_t msgsz)
{
	return tcfs_valid_cluster_name(name, "name", msg, msgsz);
}

static char *clusters_template(const struct tcfs_node *coll)
{
	return tcfs_template_default(tcfs_node_id(coll),
				     tcfs_g ? tcfs_g->opts.default_region : NULL);
}

static int cluster_body(json_t *tpl, const char *name,
			const struct tcfs_node *coll, json_t **body,
			enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	enum tc_family family = TC_FAMILY_SERVERLESS;
	int r = tcfs_template_body(tpl, name, tcfs_node_id(coll), body, &family,
				   msg, msgsz);

	*kind = family == TC_FAMILY_DEDICATED ? TCFS_K_DED_CLUSTER :
						TCFS_K_SLS_CLUSTER;
	return r;
}

static json_t *cluster_defaults(const char *name)
{
	return json_pack("{s:s, s:s}", "displayName", name, "state", "CREATING");
}

static const struct tcfs_create cluster_create = {
	.check_name = check_cluster_name,
	.template_default = clusters_template,
	.body = cluster_body,
};

/* ---- the rows ------------------------------------------------------------- */

const struct tcfs_kind_desc tcfs_row_clusters = {
	.kind = TCFS_K_CLUSTERS, .label = "clusters", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_PROJECT }, .nparents = 1, .dir_name = "clusters",
	TCFS_FILES(clusters_files), .scratch_ok = 1,
	.sources = { { TCFS_K_SLS_CLUSTER, TCFS_K_ROOT },
		     { TCFS_K_DED_CLUSTER, TCFS_K_ROOT } }, .nsources = 2,
	.mkdir = &cluster_create,
};

/* What the two cluster rows share: the same place in the tree, files,
 * naming and state fields. */
#define CLUSTER_ROW \
	.label = "cluster", .cls = TCFS_C_RESOURCE, \
	.parents = { TCFS_K_CLUSTERS }, .nparents = 1, \
	.scratch_ok = 1, .id_key = "clusterId", \
	.name_key = "displayName", .state_key = "state", \
	.mtime_keys = { "updateTime", "createTime" }, .answer_key = "cluster", \
	.create_defaults = cluster_defaults

const struct tcfs_kind_desc tcfs_row_sls_cluster = {
	.kind = TCFS_K_SLS_CLUSTER, CLUSTER_ROW, TCFS_FILES(cluster_files),
	.list = TCFS_CALL(tc_desc_serverless_clusters_list, 0),
	.get = TCFS_CALL(tc_desc_serverless_cluster_get, 1),
	.create = TCFS_CALL0(tc_desc_serverless_cluster_create),
	.remove = TCFS_CALL(tc_desc_serverless_cluster_delete, 1),
	.list_partial = 1, .batch_get = tc_serverless_clusters_batch_get,
	.spec_from = tcfs_spec_serverless, .spec_schema = sls_schema,
	.check = check_serverless, .update = &sls_update,
	TCFS_VERBS(tcfs_restore_cluster_verbs),   /* family_restores.c */
};

const struct tcfs_kind_desc tcfs_row_ded_cluster = {
	.kind = TCFS_K_DED_CLUSTER, CLUSTER_ROW, TCFS_FILES(ded_cluster_files),
	.via_of = tcfs_pe_default_group,
	/* list items are whole objects: the dedicated spec's List has no
	 * view, and real list answers carry every field a GET has */
	.list = TCFS_CALL(tc_desc_dedicated_clusters_list, 0),
	.get = TCFS_CALL(tc_desc_dedicated_cluster_get, 1),
	.create = TCFS_CALL0(tc_desc_dedicated_cluster_create),
	.remove = TCFS_CALL(tc_desc_dedicated_cluster_delete, 1),
	.spec_from = tcfs_spec_dedicated, .spec_schema = ded_schema,
	.check = tcfs_valid_cluster_spec, .update = &ded_update,
	TCFS_VERBS(ded_verbs),
};
