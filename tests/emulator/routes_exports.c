/*
 * routes_exports.c — serverless.tidbapi.com /v1beta1 export tasks of
 * Starter and Essential clusters (export.swagger.json), on the object
 * store, with their files downloadable from the storage host (storage.h).
 *
 *   GET    /v1beta1/clusters/{c}/exports?pageSize&pageToken&orderBy
 *          → {exports[], nextPageToken, totalSize}
 *   POST   /v1beta1/clusters/{c}/exports {displayName?, exportOptions?,
 *          target?} → Export, RUNNING → SUCCEEDED
 *   GET    /v1beta1/clusters/{c}/exports/{e} → Export
 *   DELETE /v1beta1/clusters/{c}/exports/{e} → Export (state DELETED), gone
 *   POST   /v1beta1/clusters/{c}/exports/{e}:cancel → Export, CANCELED (only
 *          while RUNNING)
 *   GET    /v1beta1/clusters/{c}/exports/{e}/files?pageSize&pageToken&
 *          generateUrl → {files[{name, size, url?}], nextPageToken}
 *   POST   /v1beta1/clusters/{c}/exports/{e}/files:download {fileNames[]}
 *          → {files[{name, size, url}]} (presigned, --presign-ttl)
 *
 * Export: {exportId "exp-…", name, clusterId, createdBy, state
 * RUNNING|SUCCEEDED|FAILED|CANCELED|DELETED|EXPIRED, exportOptions
 * {fileType, compression, filter?, csvFormat?, parquetFormat?}, target
 * {type, s3|gcs|azureBlob|oss without secrets}, reason, displayName
 * (SNAPSHOT_<snapshotTime>), createTime, updateTime, completeTime,
 * snapshotTime, expireTime (LOCAL)}. The files (a metadata file, a schema
 * file, data files) are made at create and listed once SUCCEEDED.
 * 400 (google.rpc.Status): enums fileType SQL|CSV|PARQUET, compression
 * GZIP|SNAPPY|ZSTD|NONE, target.type LOCAL|S3|GCS|AZURE_BLOB|OSS with its
 * block (uri scheme, authType and the credential it needs); filter sql or
 * table{patterns[], where}, not both; displayName 1..64; orderBy;
 * fileNames 1..100 known names; files of an export that is not SUCCEEDED or
 * not LOCAL. Seed: "exports": [{exportId, clusterId, displayName?,
 * fileType?, compression?, state?, createTime?, files[{name, size}]}].
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "storage.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define KIND "serverless-export"
#define FILE_KIND "serverless-export-file"

static const char *const file_types[] = { "SQL", "CSV", "PARQUET", NULL };
static const char *const compressions[] = { "GZIP", "SNAPPY", "ZSTD", "NONE", NULL };
static const char *const targets[] = { "LOCAL", "S3", "GCS", "AZURE_BLOB", "OSS", NULL };

/* completeTime once finished (the state timer sets only the state). */
static bool refresh(const struct emu_object *o, void *arg)
{
	const char *st = emu_fstr(o->obj, "state");
	char ts[32];

	(void)arg;
	if (st && strcmp(st, "RUNNING") != 0 &&
	    json_is_null(json_object_get(o->obj, "completeTime"))) {
		emu_now_rfc3339(ts);
		json_object_set_new(o->obj, "completeTime", json_string(ts));
		json_object_set_new(o->obj, "updateTime", json_string(ts));
	}
	return true;
}

static void list_exports(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };
	const char *order = emu_query(rq, "orderBy");
	json_t *all, *rev;
	size_t i;

	if (!emu_serverless_cluster(rq, rs, rq->ids[0]))
		return;
	if (order && strcmp(order, "createTime") != 0 &&
	    strcmp(order, "createTime asc") != 0 &&
	    strcmp(order, "createTime desc") != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "orderBy must be \"createTime\", \"createTime asc\" or "
			  "\"createTime desc\"");
		return;
	}
	all = emu_store_list(KIND, parents, 1, refresh, NULL);
	if (order && strcmp(order, "createTime desc") == 0) {
		rev = json_array();
		for (i = json_array_size(all); i > 0; i--)
			json_array_append(rev, json_array_get(all, i - 1));
		json_decref(all);
		all = rev;
	}
	emu_page_answer(rq, rs, EMU_PAGING_TOKEN, 10, "exports", all);
}

/* target{type, <block>}: the block the type needs, with its credential. */
static int check_target(const struct emu_request *rq, struct emu_response *rs,
			json_t *t, const char *type)
{
	static const struct {
		const char *type, *block, *scheme, *auth_list[3], *cred[2];
	} blocks[] = {
		{ "S3", "s3", "s3://", { "ROLE_ARN", "ACCESS_KEY", NULL },
		  { "roleArn", "accessKey" } },
		{ "GCS", "gcs", "gs://", { "SERVICE_ACCOUNT_KEY", NULL, NULL },
		  { "serviceAccountKey", NULL } },
		{ "AZURE_BLOB", "azureBlob", "azure://", { "SAS_TOKEN", NULL, NULL },
		  { "sasToken", NULL } },
		{ "OSS", "oss", "oss://", { "ACCESS_KEY", NULL, NULL },
		  { "accessKey", NULL } },
	};
	char field[64];

	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		json_t *b = json_object_get(t, blocks[i].block);
		const char *auth, *cred;
		if (strcmp(type, blocks[i].type) != 0)
			continue;
		snprintf(field, sizeof(field), "target.%s", blocks[i].block);
		if (emu_check_object(rq, rs, t, blocks[i].block, field, true))
			return -1;
		snprintf(field, sizeof(field), "target.%s.uri", blocks[i].block);
		if (emu_check_str(rq, rs, b, "uri", field, 1, 2048, true))
			return -1;
		if (strncmp(emu_fstr(b, "uri"), blocks[i].scheme,
			    strlen(blocks[i].scheme)) != 0 &&
		    !(strcmp(type, "AZURE_BLOB") == 0 &&
		      strncmp(emu_fstr(b, "uri"), "https://", 8) == 0)) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "%s must start with %s", field, blocks[i].scheme);
			return -1;
		}
		snprintf(field, sizeof(field), "target.%s.authType", blocks[i].block);
		if (emu_check_enum(rq, rs, b, "authType", field, blocks[i].auth_list,
				   true))
			return -1;
		auth = emu_fstr(b, "authType");
		cred = blocks[i].cred[strcmp(auth, "ACCESS_KEY") == 0 &&
				      blocks[i].cred[1] ? 1 : 0];
		if (!json_object_get(b, cred) || json_is_null(json_object_get(b, cred))) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "target.%s.%s is required with authType %s",
				  blocks[i].block, cred, auth);
			return -1;
		}
		return 0;
	}
	return 0;
}

/* exportOptions and target of a create; fills the defaults. */
static int check_create(const struct emu_request *rq, struct emu_response *rs,
			json_t *body, json_t **opts, json_t **target)
{
	json_t *o, *t, *f, *tbl;

	if (emu_check_str(rq, rs, body, "displayName", "displayName", 1, 64, false) ||
	    emu_check_object(rq, rs, body, "exportOptions", "exportOptions", false) ||
	    emu_check_object(rq, rs, body, "target", "target", false))
		return -1;
	o = json_object_get(body, "exportOptions");
	t = json_object_get(body, "target");
	if (emu_check_enum(rq, rs, o, "fileType", "exportOptions.fileType",
			   file_types, false) ||
	    emu_check_enum(rq, rs, o, "compression", "exportOptions.compression",
			   compressions, false) ||
	    emu_check_object(rq, rs, o, "filter", "exportOptions.filter", false) ||
	    emu_check_object(rq, rs, o, "csvFormat", "exportOptions.csvFormat", false) ||
	    emu_check_object(rq, rs, o, "parquetFormat",
			     "exportOptions.parquetFormat", false) ||
	    emu_check_enum(rq, rs, json_object_get(o, "parquetFormat"), "compression",
			   "exportOptions.parquetFormat.compression", compressions,
			   false) ||
	    emu_check_enum(rq, rs, t, "type", "target.type", targets, false))
		return -1;
	f = json_object_get(o, "filter");
	tbl = json_object_get(f, "table");
	if (f && (emu_check_str(rq, rs, f, "sql", "exportOptions.filter.sql", 1,
				0, false) ||
		  emu_check_object(rq, rs, f, "table", "exportOptions.filter.table",
				   false) ||
		  emu_check_array_of_strings(rq, rs, tbl, "patterns",
					     "exportOptions.filter.table.patterns") ||
		  emu_check_str(rq, rs, tbl, "where",
				"exportOptions.filter.table.where", 0, 0, false)))
		return -1;
	if (emu_fstr(f, "sql") && tbl) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "exportOptions.filter takes sql or table, not both");
		return -1;
	}
	if (check_target(rq, rs, t, emu_fstr(t, "type") ? emu_fstr(t, "type")
		     : "LOCAL"))
		return -1;
	*opts = o ? json_deep_copy(o) : json_object();
	if (!emu_fstr(*opts, "fileType"))
		json_object_set_new(*opts, "fileType", json_string("CSV"));
	if (!emu_fstr(*opts, "compression"))
		json_object_set_new(*opts, "compression", json_string("GZIP"));
	*target = t ? json_deep_copy(t) : json_object();
	if (!emu_fstr(*target, "type"))
		json_object_set_new(*target, "type", json_string("LOCAL"));
	/* secrets are write-only */
	json_object_del(json_object_get(json_object_get(*target, "s3"), "accessKey"),
			"secret");
	json_object_del(json_object_get(*target, "gcs"), "serviceAccountKey");
	json_object_del(json_object_get(*target, "azureBlob"), "sasToken");
	json_object_del(json_object_get(json_object_get(*target, "oss"), "accessKey"),
			"secret");
	return 0;
}

static const char *extension(const char *compression)
{
	if (strcmp(compression, "GZIP") == 0)
		return ".gz";
	if (strcmp(compression, "SNAPPY") == 0)
		return ".snappy";
	if (strcmp(compression, "ZSTD") == 0)
		return ".zst";
	return "";
}

static void add_file(const char *cluster, const char *export_id,
		     const char *name, json_int_t size)
{
	const char *parents[2] = { cluster, export_id };

	emu_store_add(FILE_KIND, name, parents, 2,
		      json_pack("{s:s, s:I}", "name", name, "size", size), NULL);
}

/* The files an export produces: metadata, a schema file, two data files. */
static void make_files(const char *cluster, const char *export_id,
		       json_t *opts)
{
	const char *ft = emu_fstr(opts, "fileType"), *ext;
	char name[160];

	ext = strcmp(ft, "PARQUET") == 0 ? ""
	      : extension(emu_fstr(opts, "compression"));
	add_file(cluster, export_id, "metadata", 153);
	add_file(cluster, export_id, "app.orders-schema.sql", 412);
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "app.orders.%09d.%s%s", i,
			 strcmp(ft, "CSV") == 0 ? "csv"
			 : strcmp(ft, "SQL") == 0 ? "sql" : "parquet", ext);
		add_file(cluster, export_id, name, i == 0 ? 3145728 : 1048576 + 4321);
	}
}

static json_t *export_object(const char *cluster, const char *id,
			     const char *display, json_t *opts, json_t *target,
			     const char *state, time_t created)
{
	char name[200], ts[32], snap[32], exp[32], dn[80];

	snprintf(name, sizeof(name), "clusters/%s/exports/%s", cluster, id);
	emu_rfc3339(ts, created);
	emu_rfc3339(snap, created);
	emu_rfc3339(exp, created + 2 * 86400);
	snprintf(dn, sizeof(dn), "SNAPSHOT_%s", snap);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s,"
			 " s:s, s:n, s:s, s:s?}",
			 "exportId", id, "name", name, "clusterId", cluster,
			 "createdBy", "emulator@example.com", "state", state,
			 "exportOptions", opts, "target", target, "reason", "",
			 "displayName", display ? display : dn, "createTime", ts,
			 "updateTime", ts, "completeTime", "snapshotTime", snap,
			 "expireTime",
			 emu_streq(emu_fstr(target, "type"), "LOCAL") ? exp : NULL);
}

static void create_export(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const steps[] = { "RUNNING", "SUCCEEDED" };
	const char *parents[1] = { rq->ids[0] };
	json_t *body, *opts, *target;
	struct emu_object *o;
	char id[48];

	if (!emu_serverless_cluster(rq, rs, rq->ids[0]) ||
	    !(body = emu_body_object(rq, rs)))
		return;
	if (check_create(rq, rs, body, &opts, &target))
		goto out;
	emu_new_prefixed_id(id, "exp-");
	o = emu_store_add(KIND, id, parents, 1,
			  export_object(rq->ids[0], id, emu_fstr(body, "displayName"),
					opts, target, "RUNNING", time(NULL)),
			  "state");
	if (!o) {
		emu_error(rs, rq->family, 500, EMU_RPC_INTERNAL, "out of memory");
		goto out;
	}
	make_files(rq->ids[0], id, json_object_get(o->obj, "exportOptions"));
	emu_store_schedule(o, steps, 2, false);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static struct emu_object *find_export(const struct emu_request *rq,
				      struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };
	struct emu_object *o;

	if (!emu_serverless_cluster(rq, rs, rq->ids[0]))
		return NULL;
	if ((o = emu_find_or_404(rq, rs, KIND, parents, 1, rq->ids[1],
				 "export")))
		refresh(o, NULL);
	return o;
}

static void get_export(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_export(rq, rs);

	if (o)
		rs->body = json_deep_copy(o->obj);
}

static void delete_export(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[2] = { rq->ids[0], rq->ids[1] };
	struct emu_object *o = find_export(rq, rs), *f;
	json_t *files;
	size_t i;

	if (!o)
		return;
	rs->body = json_deep_copy(o->obj);
	json_object_set_new(rs->body, "state", json_string("DELETED"));
	files = emu_store_list(FILE_KIND, parents, 2, NULL, NULL);
	for (i = 0; i < json_array_size(files); i++)
		if ((f = emu_store_find(FILE_KIND, parents, 2,
					emu_fstr(json_array_get(files, i), "name"))))
			emu_store_remove(f);
	json_decref(files);
	emu_store_remove(o);
}

static void cancel_export(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_export(rq, rs);

	if (!o)
		return;
	if (!emu_streq(emu_fstr(o->obj, "state"), "RUNNING")) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "export %s is %s: only a RUNNING export can be canceled",
			  o->id, emu_fstr(o->obj, "state"));
		return;
	}
	emu_store_set_state(o, "CANCELED");
	refresh(o, NULL);
	rs->body = json_deep_copy(o->obj);
}

/* The export, SUCCEEDED and LOCAL, whose files are asked for. */
static struct emu_object *ready_export(const struct emu_request *rq,
				       struct emu_response *rs)
{
	struct emu_object *o = find_export(rq, rs);

	if (!o)
		return NULL;
	if (!emu_streq(emu_fstr(o->obj, "state"), "SUCCEEDED")) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "export %s is %s: files exist once it SUCCEEDED",
			  o->id, emu_fstr(o->obj, "state"));
		return NULL;
	}
	if (!emu_streq(emu_fstr(json_object_get(o->obj, "target"), "type"), "LOCAL")) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "export %s went to %s: only LOCAL exports are "
			  "downloaded", o->id,
			  emu_fstr(json_object_get(o->obj, "target"), "type"));
		return NULL;
	}
	return o;
}

static void add_url(json_t *file, const char *cluster, const char *export_id)
{
	char path[600], url[900];

	snprintf(path, sizeof(path), "/exports/%s/%s/%s", cluster, export_id,
		 emu_fstr(file, "name"));
	emu_presign(url, sizeof(url), "GET", EMU_DOWNLOAD_HOST, path);
	json_object_set_new(file, "url", json_string(url));
}

static void list_files(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[2] = { rq->ids[0], rq->ids[1] };
	const char *gen = emu_query(rq, "generateUrl");
	json_t *files, *f;
	size_t i;

	if (!ready_export(rq, rs))
		return;
	if (gen && strcmp(gen, "true") != 0 && strcmp(gen, "false") != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "generateUrl must be true or false");
		return;
	}
	emu_page_answer_no_total(rq, rs, 100, "files",
				 emu_store_list(FILE_KIND, parents, 2, NULL,
						NULL));
	if (rs->status != 200)
		return;
	files = json_object_get(rs->body, "files");
	if (gen && strcmp(gen, "true") == 0)
		json_array_foreach(files, i, f)
			add_url(f, rq->ids[0], rq->ids[1]);
}

static void download_files(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[2] = { rq->ids[0], rq->ids[1] };
	json_t *body, *names, *n, *out;
	struct emu_object *f;
	size_t i;

	if (!ready_export(rq, rs) || !(body = emu_body_object(rq, rs)))
		return;
	names = json_object_get(body, "fileNames");
	if (!json_is_array(names) || json_array_size(names) == 0 ||
	    json_array_size(names) > 100 ||
	    emu_check_array_of_strings(rq, rs, body, "fileNames", "fileNames")) {
		if (rs->status == 200)
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "fileNames must list 1 to 100 file names");
		goto out;
	}
	out = json_array();
	json_array_foreach(names, i, n) {
		if (!(f = emu_store_find(FILE_KIND, parents, 2, json_string_value(n)))) {
			json_decref(out);
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "export %s has no file %.128s", rq->ids[1],
				  json_string_value(n));
			goto out;
		}
		json_t *copy = json_deep_copy(f->obj);
		add_url(copy, rq->ids[0], rq->ids[1]);
		json_array_append_new(out, copy);
	}
	rs->body = json_pack("{s:o}", "files", out);
out:
	json_decref(body);
}

int emu_export_file_stat(const char *cluster, const char *export_id,
			 const char *file, uint64_t *size)
{
	const char *p1[1] = { cluster };
	const char *p2[2] = { cluster, export_id };
	struct emu_object *e = emu_store_find(KIND, p1, 1, export_id), *f;

	if (!e || !emu_streq(emu_fstr(e->obj, "state"), "SUCCEEDED") ||
	    !(f = emu_store_find(FILE_KIND, p2, 2, file)))
		return -1;
	*size = (uint64_t)json_integer_value(json_object_get(f->obj, "size"));
	return 0;
}

static int seed_exports(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *e, *files, *f;
	size_t i, j;

	if (emu_seed_array(seed, "exports", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, e) {
		const char *id = emu_fstr(e, "exportId"), *cid = emu_fstr(e, "clusterId");
		const char *parents[1] = { cid };
		time_t created;
		struct emu_object *o;

		if (!id || !cid || !emu_model_cluster_find(cid, false)) {
			snprintf(err, errlen, "exports[%zu]: exportId and the "
				 "clusterId of a Starter/Essential cluster are "
				 "required", i);
			return -1;
		}
		if (!emu_parse_rfc3339(emu_fstr(e, "createTime"), &created))
			created = 1709800000;
		o = emu_store_add(KIND, id, parents, 1,
				  export_object(cid, id, emu_fstr(e, "displayName"),
						json_pack("{s:s, s:s}", "fileType",
							  emu_fstr(e, "fileType")
							  ? emu_fstr(e, "fileType") : "CSV",
							  "compression",
							  emu_fstr(e, "compression")
							  ? emu_fstr(e, "compression") : "NONE"),
						json_pack("{s:s}", "type", "LOCAL"),
						emu_fstr(e, "state") ? emu_fstr(e, "state")
						: "SUCCEEDED", created),
				  "state");
		if (!o) {
			snprintf(err, errlen, "exports[%zu]: bad or duplicate id", i);
			return -1;
		}
		refresh(o, NULL);
		files = json_object_get(e, "files");
		json_array_foreach(files, j, f)
			if (emu_fstr(f, "name") && json_is_integer(json_object_get(f, "size")))
				add_file(cid, id, emu_fstr(f, "name"),
					 json_integer_value(json_object_get(f, "size")));
	}
	return 0;
}

#define EX "/v1beta1/clusters/{id}/exports"
static const struct emu_route routes[] = {
	{ EMU_FAM_SERVERLESS, "GET", EX, list_exports },
	{ EMU_FAM_SERVERLESS, "POST", EX, create_export },
	{ EMU_FAM_SERVERLESS, "GET", EX "/{id}", get_export },
	{ EMU_FAM_SERVERLESS, "DELETE", EX "/{id}", delete_export },
	{ EMU_FAM_SERVERLESS, "POST", EX "/{id}:cancel", cancel_export },
	{ EMU_FAM_SERVERLESS, "GET", EX "/{id}/files", list_files },
	{ EMU_FAM_SERVERLESS, "POST", EX "/{id}/files:download", download_files },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module exports_module = { "exports", routes,
						  seed_exports };
EMU_MODULE(exports_module)
