/*
 * resources.c — THE resource table: one row per kind of node. The router
 * (path.c), the fetch layer (fetch.c), the renderers and the operations
 * read these rows; a new resource family is new rows plus handlers.
 *
 * Cache keys: "<family>:<API path>" — objects "serverless:/clusters/<id>",
 * lists "serverless:/clusters?filter=projectId=<pid>".
 */
#include "tcfs.h"
#include "validate.h"

#include <string.h>

/* ---- thin adapters to the client library ------------------------------- */

static int list_projects(tc_client *c, const char *parent, json_t **items,
			 struct tc_error *err)
{
	(void)parent;
	return tc_projects_list(c, items, err);
}

static int regions_serverless(tc_client *c, json_t **items, struct tc_error *err)
{
	return tc_regions_list(c, TC_FAMILY_SERVERLESS, items, err);
}

static int regions_dedicated(tc_client *c, json_t **items, struct tc_error *err)
{
	return tc_regions_list(c, TC_FAMILY_DEDICATED, items, err);
}

static int get_sls(tc_client *c, const char *id, json_t **out, struct tc_error *err)
{
	return tc_serverless_cluster_get(c, id, out, err);
}

static int get_ded(tc_client *c, const char *id, json_t **out, struct tc_error *err)
{
	return tc_dedicated_cluster_get(c, id, out, err);
}

static int ded_ctl(tc_client *c, const char *id, const char *verb,
		   json_t **out, struct tc_error *err)
{
	if (strcmp(verb, "pause") == 0)
		return tc_dedicated_cluster_pause(c, id, out, err);
	if (strcmp(verb, "resume") == 0)
		return tc_dedicated_cluster_resume(c, id, out, err);
	tc_error_clear(err);
	err->kind = TC_E_INVALID;
	return -1;
}

static const char *const ded_verbs[] = { "pause", "resume", NULL };

/* ---- the files each directory kind shows ------------------------------- */

/* ctl: write `flush` to drop every cache (fs/control.c). */
static const struct tcfs_file_desc org_files[] = {
	{ .name = "organization.json", .type = TCFS_F_ORGINFO, .mode = 0444 },
	{ .name = "ctl", .type = TCFS_F_CTL, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const char *const org_verbs[] = { "flush", NULL };

static const struct tcfs_file_desc regions_files[] = {
	{ .name = "serverless.json", .type = TCFS_F_LIST, .mode = 0444,
	  .family = TC_FAMILY_SERVERLESS, .cache_key = "serverless:/regions",
	  .list = regions_serverless },
	{ .name = "dedicated.json", .type = TCFS_F_LIST, .mode = 0444,
	  .family = TC_FAMILY_DEDICATED, .cache_key = "dedicated:/regions",
	  .list = regions_dedicated },
};

static const struct tcfs_file_desc projects_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc project_files[] = {
	{ .name = "project.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

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

#define FILES(a) .files = (a), .nfiles = sizeof(a) / sizeof((a)[0])

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

/* What the two cluster rows (Starter/Essential and Dedicated) share: the
 * same place in the tree, files, naming and state fields. */
#define CLUSTER_ROW \
	.label = "cluster", .cls = TCFS_C_RESOURCE, .parent = TCFS_K_CLUSTERS, \
	FILES(cluster_files), .scratch_ok = 1, .id_key = "clusterId", \
	.name_key = "displayName", .state_key = "state", \
	.mtime_keys = { "updateTime", "createTime" }

static const struct tcfs_kind_desc table[TCFS_K_COUNT] = {
	[TCFS_K_ROOT] = {
		.kind = TCFS_K_ROOT, .label = "root", .cls = TCFS_C_STATIC,
		.parent = TCFS_K_ROOT,
	},
	[TCFS_K_ORG] = {
		.kind = TCFS_K_ORG, .label = "organization", .cls = TCFS_C_STATIC,
		.parent = TCFS_K_ROOT, FILES(org_files), .verbs = org_verbs,
	},
	[TCFS_K_REGIONS] = {
		.kind = TCFS_K_REGIONS, .label = "regions", .cls = TCFS_C_STATIC,
		.parent = TCFS_K_ORG, .dir_name = "regions", FILES(regions_files),
	},
	[TCFS_K_PROJECTS] = {
		.kind = TCFS_K_PROJECTS, .label = "projects",
		.cls = TCFS_C_COLLECTION, .parent = TCFS_K_ORG,
		.dir_name = "projects", FILES(projects_files),
		.sources = { TCFS_K_PROJECT }, .nsources = 1,
		.mkdir = tcfs_mkdir_project,
	},
	[TCFS_K_PROJECT] = {
		.kind = TCFS_K_PROJECT, .label = "project",
		.cls = TCFS_C_RESOURCE, .parent = TCFS_K_PROJECTS,
		FILES(project_files), .scratch_ok = 1,
		.family = TC_FAMILY_V1BETA, .id_key = "id", .name_key = "name",
		.mtime_keys = { "create_timestamp", NULL },
		.obj_key_fmt = "v1beta:/projects/%s",
		.list_key_fmt = "v1beta:/projects",
		.list = list_projects,
		.get = NULL,   /* no GET /projects/{id}: served from the list */
		.remove_refusal = "projects cannot be deleted: the TiDB Cloud API "
				  "has no call to delete a project",
	},
	[TCFS_K_CLUSTERS] = {
		.kind = TCFS_K_CLUSTERS, .label = "clusters",
		.cls = TCFS_C_COLLECTION, .parent = TCFS_K_PROJECT,
		.dir_name = "clusters", FILES(clusters_files), .scratch_ok = 1,
		.sources = { TCFS_K_SLS_CLUSTER, TCFS_K_DED_CLUSTER }, .nsources = 2,
		.mkdir = tcfs_mkdir_cluster,
	},
	[TCFS_K_SLS_CLUSTER] = {
		.kind = TCFS_K_SLS_CLUSTER, CLUSTER_ROW,
		.family = TC_FAMILY_SERVERLESS,
		.obj_key_fmt = "serverless:/clusters/%s",
		.list_key_fmt = "serverless:/clusters?filter=projectId=%s",
		.list = tc_serverless_clusters_list, .get = get_sls,
		.list_partial = 1, .batch_get = tc_serverless_clusters_batch_get,
		.remove = tc_serverless_cluster_delete,
		.spec_from = tcfs_spec_serverless, .spec_schema = sls_schema,
		.apply = tcfs_apply_serverless,
		.check = tcfs_valid_cluster_spec,
	},
	[TCFS_K_DED_CLUSTER] = {
		.kind = TCFS_K_DED_CLUSTER, CLUSTER_ROW,
		.family = TC_FAMILY_DEDICATED,
		.obj_key_fmt = "dedicated:/clusters/%s",
		.list_key_fmt = "dedicated:/clusters?projectId=%s",
		/* list items are whole objects: the dedicated spec's List
		 * has no view, and real list answers carry every field a GET
		 * has (node groups, endpoints, annotations) */
		.list = tc_dedicated_clusters_list, .get = get_ded,
		.remove = tc_dedicated_cluster_delete,
		.spec_from = tcfs_spec_dedicated, .spec_schema = ded_schema,
		.apply = tcfs_apply_dedicated,
		.check = tcfs_valid_cluster_spec,
		.verbs = ded_verbs, .ctl = ded_ctl,
	},
};

const struct tcfs_kind_desc *tcfs_kind(enum tcfs_kind kind)
{
	if ((int)kind < 0 || kind >= TCFS_K_COUNT)
		return &table[TCFS_K_ROOT];
	return &table[kind];
}

const struct tcfs_file_desc *tcfs_kind_file(enum tcfs_kind kind,
					    const char *name)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);

	for (size_t i = 0; i < k->nfiles; i++)
		if (strcmp(k->files[i].name, name) == 0)
			return &k->files[i];
	return NULL;
}

int tcfs_kind_subdir(enum tcfs_kind parent, const char *name)
{
	for (int i = 0; i < TCFS_K_COUNT; i++)
		if (i != TCFS_K_ROOT && table[i].parent == parent &&
		    table[i].dir_name && strcmp(table[i].dir_name, name) == 0)
			return i;
	return -1;
}
