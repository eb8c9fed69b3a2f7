/*
 * import_body.c — the imports family's pure checks and bodies: the create
 * body of an import from cloud storage (mkdir in imports/), the target of
 * an uploaded file from its name and the LOCAL import body after an
 * upload. The rules are those of serverless-v1beta1 import.swagger.json and
 * dedicated-v1beta1.json (ImportOptions, ImportSource and its blocks).
 */
#include "imports.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const file_types[] = { "CSV", "SQL", "AURORA_SNAPSHOT",
					  "PARQUET", NULL };

struct block {
	const char *type, *key, *scheme;
	const char *auth[3];       /* authType values */
	const char *cred[3];       /* the credential field of each authType */
	int ded;                   /* Dedicated clusters take it too */
};

static const struct block blocks[] = {
	{ "S3", "s3", "s3://", { "ROLE_ARN", "ACCESS_KEY" },
	  { "roleArn", "accessKey" }, 1 },
	{ "GCS", "gcs", "gs://", { "SERVICE_ACCOUNT_KEY" },
	  { "serviceAccountKey" }, 1 },
	{ "AZURE_BLOB", "azureBlob", "https://", { "SAS_TOKEN" },
	  { "sasToken" }, 1 },
	{ "S3_COMPATIBLE", "s3Compatible", "s3://", { "ACCESS_KEY" },
	  { "accessKey" }, 0 },
	{ "OSS", "oss", "oss://", { "ACCESS_KEY" }, { "accessKey" }, 0 },
};
#define NBLOCKS (sizeof(blocks) / sizeof(blocks[0]))

static int in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int fail(char *msg, size_t msgsz, const char *text)
{
	snprintf(msg, msgsz, "%s", text);
	return -EINVAL;
}

static int check_options(json_t *opts, char *msg, size_t msgsz)
{
	const char *ft = json_string_value(json_object_get(opts, "fileType"));
	json_t *csv = json_object_get(opts, "csvFormat");

	if (!json_is_object(opts))
		return fail(msg, msgsz, "importOptions must be an object "
			    "({\"fileType\": \"CSV\"})");
	if (!in_list(ft, file_types))
		return fail(msg, msgsz, "importOptions.fileType must be CSV, "
			    "SQL, AURORA_SNAPSHOT or PARQUET");
	if (csv && !json_is_object(csv))
		return fail(msg, msgsz, "importOptions.csvFormat must be an "
			    "object");
	return 0;
}

/* A credential is a non-empty string, or for accessKey {id, secret}. */
static int cred_ok(json_t *v, const char *field)
{
	if (strcmp(field, "accessKey") == 0)
		return json_is_object(v) &&
		       json_string_length(json_object_get(v, "id")) > 0 &&
		       json_string_length(json_object_get(v, "secret")) > 0;
	return json_is_string(v) && json_string_length(v) > 0;
}

static int check_block(json_t *src, const struct block *b, char *msg,
		       size_t msgsz)
{
	json_t *blk = json_object_get(src, b->key);
	const char *uri = json_string_value(json_object_get(blk, "uri"));
	const char *auth = json_string_value(json_object_get(blk, "authType"));
	size_t i;

	if (!json_is_object(blk)) {
		snprintf(msg, msgsz, "source.type %s needs the object "
			 "source.%s", b->type, b->key);
		return -EINVAL;
	}
	if (!uri || strncmp(uri, b->scheme, strlen(b->scheme)) != 0 ||
	    strlen(uri) <= strlen(b->scheme) || strlen(uri) > 2048 ||
	    tcfs_has_control(uri)) {
		snprintf(msg, msgsz, "source.%s.uri must start with %s (at most "
			 "2048 characters)", b->key, b->scheme);
		return -EINVAL;
	}
	for (i = 0; i < 3 && b->auth[i]; i++)
		if (auth && strcmp(auth, b->auth[i]) == 0)
			break;
	if (i == 3 || !b->auth[i]) {
		snprintf(msg, msgsz, "source.%s.authType must be %s%s%s",
			 b->key, b->auth[0], b->auth[1] ? " or " : "",
			 b->auth[1] ? b->auth[1] : "");
		return -EINVAL;
	}
	if (!cred_ok(json_object_get(blk, b->cred[i]), b->cred[i])) {
		snprintf(msg, msgsz, "source.%s.%s is required with authType %s%s",
			 b->key, b->cred[i], auth,
			 strcmp(b->cred[i], "accessKey") == 0
			 ? " ({\"id\", \"secret\"})" : "");
		return -EINVAL;
	}
	return 0;
}

int tcfs_import_body(json_t *tpl, int ded, json_t **body, char *msg,
		     size_t msgsz)
{
	json_t *src = json_object_get(tpl, "source"), *d;
	const char *type = json_string_value(json_object_get(src, "type"));
	size_t i;
	int r;

	*body = NULL;
	if (!json_is_object(tpl))
		return fail(msg, msgsz, ".template.json must be an object "
			    "{\"importOptions\", \"source\"}");
	if ((r = check_options(json_object_get(tpl, "importOptions"), msg,
			       msgsz)) != 0)
		return r;
	if (!json_is_object(src) || !type)
		return fail(msg, msgsz, "source must be an object with a "
			    "string \"type\"");
	if (strcmp(type, "LOCAL") == 0)
		return fail(msg, msgsz, ded ? "a Dedicated cluster imports "
			    "from S3, GCS or AZURE_BLOB only" :
			    "source.type LOCAL is an upload: cp the file into "
			    "imports/ instead of mkdir");
	for (i = 0; i < NBLOCKS; i++)
		if (strcmp(type, blocks[i].type) == 0 && (blocks[i].ded || !ded))
			break;
	if (i == NBLOCKS)
		return fail(msg, msgsz, ded ? "source.type must be S3, GCS or "
			    "AZURE_BLOB" : "source.type must be S3, GCS, "
			    "AZURE_BLOB, S3_COMPATIBLE or OSS");
	if ((r = check_block(src, &blocks[i], msg, msgsz)) != 0)
		return r;
	d = json_pack("{s:O, s:{s:s, s:O}}", "importOptions",
		      json_object_get(tpl, "importOptions"), "source", "type",
		      type, blocks[i].key, json_object_get(src, blocks[i].key));
	if (!d)
		return -ENOMEM;
	*body = ded ? json_pack("{s:o}", "creationDetails", d) : d;
	return *body ? 0 : -ENOMEM;
}

/* An identifier of MySQL: 1..64 characters, no control, no '/', '\\'
 * or '.', not all spaces (the API's targetDatabase/targetTable). */
static int ident_ok(const char *s, size_t len)
{
	size_t i, spaces = 0;

	if (len < 1 || len > 64 || !tcfs_utf8_valid(s, len))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '.')
			return 0;
		spaces += c == ' ';
	}
	return spaces < len;
}

static int copy_ident(char *out, size_t outsz, const char *s, size_t len)
{
	if (!ident_ok(s, len) || len >= outsz)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int tcfs_upload_target(const char *file, json_t *tpl, char *db, size_t dbsz,
		       char *table, size_t tablesz, const char **file_type,
		       char *msg, size_t msgsz)
{
	json_t *local = json_object_get(json_object_get(tpl, "source"), "local");
	const char *tdb = json_string_value(json_object_get(local, "targetDatabase"));
	const char *ttb = json_string_value(json_object_get(local, "targetTable"));
	const char *dot1 = strchr(file, '.'), *ext = strrchr(file, '.');

	*file_type = NULL;
	if (!ext || ext == file)
		return fail(msg, msgsz, "the file name must end in .csv, .sql "
			    "or .parquet (DB.TABLE.csv)");
	if (strcasecmp(ext, ".csv") == 0)
		*file_type = "CSV";
	else if (strcasecmp(ext, ".sql") == 0)
		*file_type = "SQL";
	else if (strcasecmp(ext, ".parquet") == 0)
		*file_type = "PARQUET";
	else
		return fail(msg, msgsz, "the file name must end in .csv, .sql "
			    "or .parquet (DB.TABLE.csv)");
	if (strlen(file) > 255)
		return fail(msg, msgsz, "the file name is at most 255 bytes");
	if (tdb && *tdb && ttb && *ttb) {
		if (copy_ident(db, dbsz, tdb, strlen(tdb)) ||
		    copy_ident(table, tablesz, ttb, strlen(ttb)))
			return fail(msg, msgsz, "source.local.targetDatabase and "
				    "targetTable are 1 to 64 characters without "
				    "'.', '/' or control characters");
		return 0;
	}
	if (dot1 == ext ||
	    copy_ident(db, dbsz, file, (size_t)(dot1 - file)) ||
	    copy_ident(table, tablesz, dot1 + 1, (size_t)(ext - dot1 - 1)))
		return fail(msg, msgsz, "name the file DB.TABLE.csv (database "
			    "and table 1 to 64 characters each), or set "
			    "source.local.targetDatabase and targetTable in "
			    ".template.json");
	return 0;
}

json_t *tcfs_import_local_body(const char *upload_id, const char *db,
			       const char *table, const char *file_type,
			       json_t *tpl)
{
	json_t *opts = json_object_get(tpl, "importOptions");
	json_t *o = json_is_object(opts) ? json_deep_copy(opts) : json_object();

	json_object_set_new(o, "fileType", json_string(file_type));
	return json_pack("{s:o, s:{s:s, s:{s:s, s:s, s:s}}}", "importOptions",
			 o, "source", "type", "LOCAL", "local", "uploadId",
			 upload_id, "targetDatabase", db, "targetTable", table);
}
