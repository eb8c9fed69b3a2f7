/*
 * family_exports.c — clusters/<c>/exports/ of Starter / Essential clusters
 * (serverless v1beta1 ExportService).
 *
 * exports/<e>/ is named by displayName (the id always resolves):
 * export.json, id, state (RUNNING → SUCCEEDED | FAILED | CANCELED), wait,
 * ctl ("cancel"), .error, and files/ — the export's files, each a stream
 * file (TCFS_F_STREAM): st_size from the files listing, every read one
 * ranged GET of the file's presigned URL (export_files.c). mkdir
 * exports/NAME starts an export from exports/.template.json (exportOptions
 * and target, checked against the spec's enums before anything is sent;
 * by default a LOCAL CSV export of the whole cluster); rmdir deletes.
 * Dedicated clusters have no exports/ (the API has none for them).
 */
#include "tcfs.h"
#include "family_exports.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct tcfs_file_desc exports_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc export_files[] = {
	{ .name = "export.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "wait", .type = TCFS_F_WAIT, .mode = 0444 },
	{ .name = "ctl", .type = TCFS_F_CTL, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc export_files_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

int tcfs_export_check_name(const char *name, char *msg, size_t msgsz)
{
	size_t len = strlen(name);

	if (len < 1 || len > 64 || !tcfs_utf8_valid(name, len) ||
	    tcfs_has_control(name)) {
		snprintf(msg, msgsz, "an export name (displayName) is 1 to 64 "
			 "characters of UTF-8 text without control characters");
		return -EINVAL;
	}
	return 0;
}

static char *exports_template(const struct tcfs_node *coll)
{
	json_t *t = json_pack("{s:{s:s, s:s}, s:{s:s}}",
			      "exportOptions", "fileType", "CSV",
			      "compression", "GZIP", "target", "type", "LOCAL");
	size_t len;
	char *text = tcfs_render_json(t, &len);

	(void)coll;
	json_decref(t);
	return text;
}

/* obj[key] absent, or a string among vals. */
static int check_enum(json_t *obj, const char *key, const char *const *vals,
		      const char *where, char *msg, size_t msgsz)
{
	json_t *v = json_object_get(obj, key);
	char list[200] = "";
	size_t off = 0;

	if (!v)
		return 0;
	for (size_t i = 0; vals[i]; i++) {
		if (json_is_string(v) && strcmp(json_string_value(v), vals[i]) == 0)
			return 0;
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					i ? ", " : "", vals[i]);
		if (off >= sizeof(list))
			break;
	}
	snprintf(msg, msgsz, "%s.%s must be one of %s", where, key, list);
	return -EINVAL;
}

/* obj's keys all among allowed. */
static int check_keys(json_t *obj, const char *const *allowed,
		      const char *where, char *msg, size_t msgsz)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i;

		for (i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (!allowed[i]) {
			snprintf(msg, msgsz, "%s has no field \"%.64s\"", where,
				 key);
			return -EINVAL;
		}
	}
	return 0;
}

static int strings_array(json_t *a)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		return 0;
	json_array_foreach(a, i, v)
		if (!json_is_string(v))
			return 0;
	return 1;
}

static int check_filter(json_t *f, char *msg, size_t msgsz)
{
	static const char *const keys[] = { "sql", "table", NULL };
	static const char *const tkeys[] = { "patterns", "where", "partitions",
					     NULL };
	json_t *sql = json_object_get(f, "sql"), *t = json_object_get(f, "table");

	if (!json_is_object(f)) {
		snprintf(msg, msgsz, "exportOptions.filter must be an object");
		return -EINVAL;
	}
	if (check_keys(f, keys, "exportOptions.filter", msg, msgsz))
		return -EINVAL;
	if ((sql && t) || (!sql && !t)) {
		snprintf(msg, msgsz, "exportOptions.filter takes either sql or "
			 "table, not both (no filter: the whole cluster)");
		return -EINVAL;
	}
	if (sql && (!json_is_string(sql) || !*json_string_value(sql))) {
		snprintf(msg, msgsz, "exportOptions.filter.sql must be a "
			 "non-empty string");
		return -EINVAL;
	}
	if (!t)
		return 0;
	if (!json_is_object(t) ||
	    check_keys(t, tkeys, "exportOptions.filter.table", msg, msgsz)) {
		if (!json_is_object(t))
			snprintf(msg, msgsz, "exportOptions.filter.table must be "
				 "an object");
		return -EINVAL;
	}
	if (!strings_array(json_object_get(t, "patterns")) ||
	    json_array_size(json_object_get(t, "patterns")) == 0 ||
	    (json_object_get(t, "where") &&
	     !json_is_string(json_object_get(t, "where"))) ||
	    (json_object_get(t, "partitions") &&
	     !strings_array(json_object_get(t, "partitions")))) {
		snprintf(msg, msgsz, "exportOptions.filter.table takes patterns "
			 "(a non-empty array of strings), where (a string) and "
			 "partitions (an array of strings)");
		return -EINVAL;
	}
	return 0;
}

static int check_options(json_t *o, char *msg, size_t msgsz)
{
	static const char *const keys[] = { "fileType", "database", "table",
		"compression", "filter", "csvFormat", "parquetFormat", NULL };
	static const char *const types[] = { "SQL", "CSV", "PARQUET", NULL };
	static const char *const comps[] = { "GZIP", "SNAPPY", "ZSTD", "NONE",
					     NULL };
	const char *w = "exportOptions";

	if (!json_is_object(o)) {
		snprintf(msg, msgsz, "exportOptions must be an object");
		return -EINVAL;
	}
	if (check_keys(o, keys, w, msg, msgsz) ||
	    check_enum(o, "fileType", types, w, msg, msgsz) ||
	    check_enum(o, "compression", comps, w, msg, msgsz))
		return -EINVAL;
	for (const char *const *k = (const char *const[]){ "database", "table",
	     NULL }; *k; k++)
		if (json_object_get(o, *k) &&
		    !json_is_string(json_object_get(o, *k))) {
			snprintf(msg, msgsz, "exportOptions.%s must be a string",
				 *k);
			return -EINVAL;
		}
	for (const char *const *k = (const char *const[]){ "csvFormat",
	     "parquetFormat", NULL }; *k; k++)
		if (json_object_get(o, *k) &&
		    !json_is_object(json_object_get(o, *k))) {
			snprintf(msg, msgsz, "exportOptions.%s must be an object",
				 *k);
			return -EINVAL;
		}
	if (json_object_get(o, "filter"))
		return check_filter(json_object_get(o, "filter"), msg, msgsz);
	return 0;
}

static int check_target(json_t *t, char *msg, size_t msgsz)
{
	static const char *const keys[] = { "type", "s3", "gcs", "azureBlob",
					    "oss", NULL };
	static const char *const types[] = { "LOCAL", "S3", "GCS",
					     "AZURE_BLOB", "OSS", NULL };
	static const char *const blocks[] = { NULL, "s3", "gcs", "azureBlob",
					      "oss" };
	const char *type;

	if (!json_is_object(t)) {
		snprintf(msg, msgsz, "target must be an object");
		return -EINVAL;
	}
	if (check_keys(t, keys, "target", msg, msgsz) ||
	    check_enum(t, "type", types, "target", msg, msgsz))
		return -EINVAL;
	type = json_string_value(json_object_get(t, "type"));
	for (size_t i = 0; type && types[i]; i++) {
		if (strcmp(type, types[i]) != 0)
			continue;
		for (size_t j = 1; j < 5; j++) {
			json_t *b = json_object_get(t, blocks[j]);

			if (j == i && !json_is_object(b)) {
				snprintf(msg, msgsz, "target.type %s needs the "
					 "object target.%s", type, blocks[j]);
				return -EINVAL;
			}
			if (j != i && b) {
				snprintf(msg, msgsz, "target.%s does not go with "
					 "target.type %s", blocks[j], type);
				return -EINVAL;
			}
		}
	}
	if (!type) {
		for (size_t j = 1; j < 5; j++)
			if (json_object_get(t, blocks[j])) {
				snprintf(msg, msgsz, "target.%s needs target."
					 "type %s", blocks[j], types[j]);
				return -EINVAL;
			}
	}
	return 0;
}

int tcfs_export_body(json_t *tpl, const char *name, json_t **body,
		     char *msg, size_t msgsz)
{
	static const char *const keys[] = { "exportOptions", "target", NULL };
	json_t *o, *t;

	*body = NULL;
	if (tcfs_export_check_name(name, msg, msgsz))
		return -EINVAL;
	if (!json_is_object(tpl)) {
		snprintf(msg, msgsz, ".template.json must be an object with "
			 "exportOptions and target (the name of the directory "
			 "is the displayName)");
		return -EINVAL;
	}
	if (check_keys(tpl, keys, ".template.json", msg, msgsz))
		return -EINVAL;
	o = json_object_get(tpl, "exportOptions");
	t = json_object_get(tpl, "target");
	if ((o && check_options(o, msg, msgsz)) ||
	    (t && check_target(t, msg, msgsz)))
		return -EINVAL;
	*body = json_pack("{s:s}", "displayName", name);
	if (!*body)
		return -ENOMEM;
	if (o)
		json_object_set(*body, "exportOptions", o);
	if (t)
		json_object_set(*body, "target", t);
	return 0;
}

static int export_create_body(json_t *tpl, const char *name,
			      const struct tcfs_node *coll, json_t **body,
			      enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	(void)coll;
	*kind = TCFS_K_EXPORT;
	return tcfs_export_body(tpl ? tpl : json_object(), name, body, msg,
				msgsz);
}

static const struct tcfs_create export_create = {
	.check_name = tcfs_export_check_name,
	.template_default = exports_template,
	.body = export_create_body,
};

static const struct tcfs_verb export_verbs[] = {
	{ .usage = "cancel", .call = TCFS_CALL(tc_desc_export_cancel, 1, 2),
	  .effect = TCFS_EFFECT_REFRESH_SELF },
};

const struct tcfs_kind_desc tcfs_row_exports = {
	.kind = TCFS_K_EXPORTS, .label = "exports", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_SLS_CLUSTER }, .nparents = 1,
	.dir_name = "exports", TCFS_FILES(exports_files), .scratch_ok = 1,
	.sources = { { TCFS_K_EXPORT, TCFS_K_SLS_CLUSTER } }, .nsources = 1,
	.mkdir = &export_create,
};

/* ids: 0 project, 1 cluster, 2 export, 3 file */
const struct tcfs_kind_desc tcfs_row_export = {
	.kind = TCFS_K_EXPORT, .label = "export", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_EXPORTS }, .nparents = 1,
	TCFS_FILES(export_files),
	.id_key = "exportId", .name_key = "displayName", .state_key = "state",
	.mtime_keys = { "updateTime", "createTime" },
	.list = TCFS_CALL(tc_desc_exports_list, 1),
	.get = TCFS_CALL(tc_desc_export_get, 1, 2),
	.create = TCFS_CALL(tc_desc_export_create, 1),
	.remove = TCFS_CALL(tc_desc_export_delete, 1, 2),
	TCFS_VERBS(export_verbs),
};

const struct tcfs_kind_desc tcfs_row_export_files = {
	.kind = TCFS_K_EXPORT_FILES, .label = "export files",
	.cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_EXPORT }, .nparents = 1,
	.dir_name = "files", TCFS_FILES(export_files_files),
	.sources = { { TCFS_K_EXPORT_FILE, TCFS_K_EXPORT } }, .nsources = 1,
};

static const struct tcfs_file_desc export_file_as_file = {
	.name = "file", .type = TCFS_F_STREAM, .mode = 0444,
	.stream = &tcfs_export_file_stream,
};

const struct tcfs_kind_desc tcfs_row_export_file = {
	.kind = TCFS_K_EXPORT_FILE, .label = "export file",
	.cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_EXPORT_FILES }, .nparents = 1,
	.id_key = "name", .name_key = NULL,
	.list = TCFS_CALL(tc_desc_export_files_list, 1, 2),
	.remove_refusal = "an export's files go with the export: rmdir the "
			  "export to delete them",
	.as_file = &export_file_as_file,
};
