/*
 * family_imports.c — clusters/<c>/imports/ and imports/<i>/.
 *
 * Starter / Essential (serverless v1beta1 ImportService: GET/POST
 * /clusters/{c}/imports, GET …/imports/{i}, POST …/imports/{i}:cancel) and
 * Dedicated (dedicated v1beta1, the same paths, the create body wrapped in
 * {creationDetails}). An import has no display name: it is named by its
 * importId. Files: import.json (with completePercent), id, state (PREPARING
 * → IMPORTING → COMPLETED; CANCELING → CANCELED), progress, wait, ctl
 * (cancel), .error. mkdir NAME starts an import from cloud storage with
 * imports/.template.json ({importOptions, source}, checked here first; the
 * new import shows as NAME until imports/ is listed again, and always by
 * its importId). A regular file created in imports/
 * of a Starter/Essential cluster is uploaded and imported (upload.c).
 *
 * A Dedicated cluster's imports/ also shows the import tasks of the
 * deprecated v1beta API (GET /api/v1beta/projects/{p}/clusters/{c}/imports,
 * a second source, one list per page): read-only, named by metadata.id,
 * import.json the v1beta ImportItem, state its status.phase, progress its
 * status.progress.import_progress.
 */
#include "tcfs.h"
#include "validate.h"
#include "imports.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct tcfs_file_desc imports_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc import_files[] = {
	{ .name = "import.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "progress", .type = TCFS_F_FIELD, .mode = 0444,
	  .field = "completePercent" },
	{ .name = "wait", .type = TCFS_F_WAIT, .mode = 0444 },
	{ .name = "ctl", .type = TCFS_F_CTL, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* mkdir NAME: the API gives an import no name, NAME only starts it; the
 * same rule as a file name so that nothing odd is accepted. */
static int check_import_name(const char *name, char *msg, size_t msgsz)
{
	size_t len = strlen(name);

	if (len < 1 || len > 64 || !tcfs_utf8_valid(name, len) ||
	    tcfs_has_control(name)) {
		snprintf(msg, msgsz, "the name of mkdir in imports/ is 1 to 64 "
			 "characters of UTF-8 text without control characters "
			 "(the import itself is named by its importId)");
		return -EINVAL;
	}
	return 0;
}

static char *imports_template(const struct tcfs_node *coll)
{
	json_t *t = json_pack("{s:{s:s}, s:{s:s, s:{s:s, s:s, s:s}}}",
			      "importOptions", "fileType", "CSV",
			      "source", "type", "S3", "s3", "uri",
			      "s3://bucket/path/", "authType", "ROLE_ARN",
			      "roleArn", "");
	size_t len;
	char *text = tcfs_render_json(t, &len);

	(void)coll;
	json_decref(t);
	return text;
}

static int import_body(json_t *tpl, const char *name,
		       const struct tcfs_node *coll, json_t **body,
		       enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	int ded = tcfs_node_owner(coll) == TCFS_K_DED_CLUSTER;
	int r;

	(void)name;
	r = tcfs_import_body(tpl, ded, body, msg, msgsz);
	*kind = ded ? TCFS_K_DED_IMPORT : TCFS_K_SLS_IMPORT;
	return r;
}

/* The API gives an import no name: the answer to the create is completed
 * with the mkdir NAME under a local key, so that the new directory exists
 * under NAME as soon as mkdir returns (the kernel looks it up) and until
 * this mount lists imports/ again; it is always reachable by importId. */
static json_t *import_defaults(const char *name)
{
	return json_pack("{s:s}", TCFS_IMPORT_NAME_KEY, name);
}

static const struct tcfs_create import_create = {
	.check_name = check_import_name,
	.template_default = imports_template,
	.body = import_body,
};

const struct tcfs_kind_desc tcfs_row_imports = {
	.kind = TCFS_K_IMPORTS, .label = "imports", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_SLS_CLUSTER, TCFS_K_DED_CLUSTER }, .nparents = 2,
	.dir_name = "imports", TCFS_FILES(imports_files), .scratch_ok = 1,
	.sources = { { TCFS_K_SLS_IMPORT, TCFS_K_SLS_CLUSTER },
		     { TCFS_K_DED_IMPORT, TCFS_K_DED_CLUSTER },
		     { TCFS_K_V1_IMPORT, TCFS_K_DED_CLUSTER } }, .nsources = 3,
	.mkdir = &import_create, .sink = &tcfs_import_sink,
};

static const struct tcfs_verb sls_verbs[] = {
	{ .usage = "cancel",
	  .call = TCFS_CALL(tc_desc_serverless_import_cancel, 1, 2) },
};

static const struct tcfs_verb ded_verbs[] = {
	{ .usage = "cancel",
	  .call = TCFS_CALL(tc_desc_dedicated_import_cancel, 1, 2) },
};

#define IMPORT_ROW(K, L, G, C, V)                                         \
	.kind = (K), .label = "import", .cls = TCFS_C_RESOURCE,           \
	.parents = { TCFS_K_IMPORTS }, .nparents = 1,                     \
	TCFS_FILES(import_files),                                         \
	.id_key = "importId", .name_key = TCFS_IMPORT_NAME_KEY, .state_key = "state",     \
	.mtime_keys = { "createTime", NULL },                             \
	.list = TCFS_CALL(L, 1), .get = TCFS_CALL(G, 1, 2),               \
	.create = TCFS_CALL(C, 1), .create_defaults = import_defaults,    \
	.remove_refusal = "an import cannot be deleted; echo cancel > ctl " \
			  "stops a running one",                          \
	TCFS_VERBS(V)

/* ids: 0 project, 1 cluster, 2 import */
const struct tcfs_kind_desc tcfs_row_sls_import = {
	IMPORT_ROW(TCFS_K_SLS_IMPORT, tc_desc_serverless_imports_list,
		   tc_desc_serverless_import_get,
		   tc_desc_serverless_import_create, sls_verbs)
};

const struct tcfs_kind_desc tcfs_row_ded_import = {
	IMPORT_ROW(TCFS_K_DED_IMPORT, tc_desc_dedicated_imports_list,
		   tc_desc_dedicated_import_get,
		   tc_desc_dedicated_import_create, ded_verbs)
};

/* The deprecated v1beta import tasks (v1beta.json ImportItem), read-only.
 * ids: 0 project, 1 cluster, 2 task. */
static const struct tcfs_file_desc v1_import_files[] = {
	{ .name = "import.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "progress", .type = TCFS_F_FIELD, .mode = 0444,
	  .field = "status.progress.import_progress" },
	{ .name = "wait", .type = TCFS_F_WAIT, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

const struct tcfs_kind_desc tcfs_row_v1_import = {
	.kind = TCFS_K_V1_IMPORT, .label = "import", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_IMPORTS }, .nparents = 1,
	TCFS_FILES(v1_import_files),
	.id_key = "metadata.id", .state_key = "status.phase",
	.mtime_keys = { "metadata.create_timestamp", NULL },
	.list = TCFS_CALL(tc_desc_v1beta_imports_list, 0, 1),
	.get = TCFS_CALL(tc_desc_v1beta_import_get, 0, 1, 2),
	.remove_refusal = "an import task of the deprecated v1beta API is "
			  "read-only here",
};
