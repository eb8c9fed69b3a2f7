/*
 * routes_imports.c — import tasks, on the object store:
 *
 * serverless.tidbapi.com /v1beta1 (import.swagger.json), Starter/Essential:
 *   GET  /v1beta1/clusters/{c}/imports?pageSize&pageToken&orderBy
 *        → {imports[], nextPageToken, totalSize}
 *   POST /v1beta1/clusters/{c}/imports {importOptions, source} → Import
 *   GET  /v1beta1/clusters/{c}/imports/{i} → Import
 *   POST /v1beta1/clusters/{c}/imports/{i}:cancel → {}
 *   and the local upload flow of upload.c (imports:startUpload, …).
 * dedicated.tidbapi.com /v1beta1 (dedicated-v1beta1.json), Dedicated:
 *   GET/POST /v1beta1/clusters/{c}/imports, GET …/imports/{i},
 *   POST …/imports/{i}:cancel — the body is an Import {creationDetails}.
 *
 * States PREPARING → IMPORTING → COMPLETED (one --transition-ms each);
 * cancel: CANCELING → CANCELED (only before COMPLETED). completePercent
 * follows the state (0, 50, 100). Import: {importId "imp-…", id (serverless,
 * deprecated), name "clusters/{c}/imports/{i}", clusterId, totalSize
 * (string), state, completePercent, message, createdBy (serverless) or
 * creator (Dedicated), createTime, completeTime, creationDetails
 * {importOptions, source without secrets}}.
 * 400 (google.rpc.Status): importOptions.fileType CSV|SQL|AURORA_SNAPSHOT|
 * PARQUET required; source.type required, serverless LOCAL|S3|GCS|
 * AZURE_BLOB|S3_COMPATIBLE|OSS, Dedicated S3|GCS|AZURE_BLOB, with its block
 * (uri scheme, authType, credential); LOCAL: local{uploadId of a completed
 * upload of this cluster not used yet, targetDatabase, targetTable 1..64}.
 * Seed: "imports": [{importId, clusterId, fileType?, sourceType?, uri?,
 * state?, totalSize?, createTime?}] (Dedicated clusters too).
 */
#include "emu.h"
#include "family.h"
#include "imports.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define KIND "import"

static const char *const file_types[] = { "CSV", "SQL", "AURORA_SNAPSHOT",
					  "PARQUET", NULL };
static const char *const sl_sources[] = { "LOCAL", "S3", "GCS", "AZURE_BLOB",
					  "S3_COMPATIBLE", "OSS", NULL };
static const char *const ded_sources[] = { "S3", "GCS", "AZURE_BLOB", NULL };

static const struct {
	const char *type, *block, *scheme, *auth[3], *cred[2];
} blocks[] = {
	{ "S3", "s3", "s3://", { "ROLE_ARN", "ACCESS_KEY", NULL },
	  { "roleArn", "accessKey" } },
	{ "GCS", "gcs", "gs://", { "SERVICE_ACCOUNT_KEY", NULL, NULL },
	  { "serviceAccountKey", NULL } },
	{ "AZURE_BLOB", "azureBlob", "https://", { "SAS_TOKEN", NULL, NULL },
	  { "sasToken", NULL } },
	{ "S3_COMPATIBLE", "s3Compatible", "s3://", { "ACCESS_KEY", NULL, NULL },
	  { "accessKey", NULL } },
	{ "OSS", "oss", "oss://", { "ACCESS_KEY", NULL, NULL },
	  { "accessKey", NULL } },
};

/* completePercent and completeTime follow the state. */
static bool refresh(const struct emu_object *o, void *arg)
{
	const char *st = emu_fstr(o->obj, "state");
	char ts[32];
	int pct = 0;

	(void)arg;
	if (!st)
		return true;
	if (strcmp(st, "IMPORTING") == 0)
		pct = 50;
	else if (strcmp(st, "COMPLETED") == 0)
		pct = 100;
	else if (strcmp(st, "PREPARING") != 0)
		pct = (int)json_integer_value(json_object_get(o->obj, "completePercent"));
	json_object_set_new(o->obj, "completePercent", json_integer(pct));
	if ((strcmp(st, "COMPLETED") == 0 || strcmp(st, "CANCELED") == 0) &&
	    json_is_null(json_object_get(o->obj, "completeTime"))) {
		emu_now_rfc3339(ts);
		json_object_set_new(o->obj, "completeTime", json_string(ts));
		if (strcmp(st, "COMPLETED") == 0)
			json_object_set_new(o->obj, "message",
					    json_string("import completed"));
	}
	return true;
}

static struct emu_cluster *cluster_of(const struct emu_request *rq,
				      struct emu_response *rs)
{
	return rq->family == EMU_FAM_DEDICATED
	       ? emu_dedicated_cluster(rq, rs, rq->ids[0])
	       : emu_serverless_cluster(rq, rs, rq->ids[0]);
}

static void list_imports(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };
	const char *order = emu_query(rq, "orderBy");
	json_t *all, *rev;

	if (!cluster_of(rq, rs))
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
		for (size_t i = json_array_size(all); i > 0; i--)
			json_array_append(rev, json_array_get(all, i - 1));
		json_decref(all);
		all = rev;
	}
	emu_page_answer(rq, rs, EMU_PAGING_TOKEN, 10, "imports", all);
}

static int check_block(const struct emu_request *rq, struct emu_response *rs,
		       json_t *src, const char *type)
{
	char field[64];

	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		json_t *b = json_object_get(src, blocks[i].block);
		const char *auth, *cred;
		if (strcmp(type, blocks[i].type) != 0)
			continue;
		snprintf(field, sizeof(field), "source.%s", blocks[i].block);
		if (emu_check_object(rq, rs, src, blocks[i].block, field, true))
			return -1;
		snprintf(field, sizeof(field), "source.%s.uri", blocks[i].block);
		if (emu_check_str(rq, rs, b, "uri", field, 1, 2048, true))
			return -1;
		if (strncmp(emu_fstr(b, "uri"), blocks[i].scheme,
			    strlen(blocks[i].scheme)) != 0) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "%s must start with %s", field, blocks[i].scheme);
			return -1;
		}
		snprintf(field, sizeof(field), "source.%s.authType", blocks[i].block);
		if (emu_check_enum(rq, rs, b, "authType", field, blocks[i].auth, true))
			return -1;
		auth = emu_fstr(b, "authType");
		cred = blocks[i].cred[strcmp(auth, "ACCESS_KEY") == 0 &&
				      blocks[i].cred[1] ? 1 : 0];
		if (!json_object_get(b, cred) || json_is_null(json_object_get(b, cred))) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "source.%s.%s is required with authType %s",
				  blocks[i].block, cred, auth);
			return -1;
		}
	}
	return 0;
}

/* Validate {importOptions, source}; for LOCAL, *upload is the upload used. */
static int check_details(const struct emu_request *rq, struct emu_response *rs,
			 json_t *d, struct emu_object **upload)
{
	bool ded = rq->family == EMU_FAM_DEDICATED;
	json_t *opts = json_object_get(d, "importOptions");
	json_t *src = json_object_get(d, "source"), *local;

	*upload = NULL;
	if (emu_check_object(rq, rs, d, "importOptions", "importOptions", true) ||
	    emu_check_enum(rq, rs, opts, "fileType", "importOptions.fileType",
			   file_types, true) ||
	    emu_check_object(rq, rs, opts, "csvFormat", "importOptions.csvFormat",
			     false) ||
	    emu_check_object(rq, rs, d, "source", "source", true) ||
	    emu_check_enum(rq, rs, src, "type", "source.type",
			   ded ? ded_sources : sl_sources, true) ||
	    check_block(rq, rs, src, emu_fstr(src, "type")))
		return -1;
	if (!emu_streq(emu_fstr(src, "type"), "LOCAL"))
		return 0;
	local = json_object_get(src, "local");
	if (emu_check_object(rq, rs, src, "local", "source.local", true) ||
	    emu_check_str(rq, rs, local, "uploadId", "source.local.uploadId", 1,
			  127, true) ||
	    emu_check_str(rq, rs, local, "targetDatabase",
			  "source.local.targetDatabase", 1, 64, true) ||
	    emu_check_str(rq, rs, local, "targetTable", "source.local.targetTable",
			  1, 64, true))
		return -1;
	*upload = emu_upload_take(rq, rs, rq->ids[0], emu_fstr(local, "uploadId"));
	return *upload ? 0 : -1;
}

static json_t *strip_secrets(json_t *src)
{
	json_t *s = json_deep_copy(src);

	json_object_del(json_object_get(json_object_get(s, "s3"), "accessKey"), "secret");
	json_object_del(json_object_get(json_object_get(s, "s3Compatible"), "accessKey"),
			"secret");
	json_object_del(json_object_get(json_object_get(s, "oss"), "accessKey"), "secret");
	json_object_del(json_object_get(s, "gcs"), "serviceAccountKey");
	json_object_del(json_object_get(s, "azureBlob"), "sasToken");
	return s;
}

static json_t *import_object(bool ded, const char *cluster, const char *id,
			     json_t *options, json_t *source,
			     const char *total, const char *state, time_t created)
{
	char name[200], ts[32];
	json_t *o;

	snprintf(name, sizeof(name), "clusters/%s/imports/%s", cluster, id);
	emu_rfc3339(ts, created);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:n,"
		      " s:{s:o, s:o}}",
		      "importId", id, "name", name, "clusterId", cluster,
		      "totalSize", total, "state", state, "completePercent", 0,
		      "message", "", ded ? "creator" : "createdBy",
		      "emulator@example.com", "createTime", ts, "completeTime",
		      "creationDetails", "importOptions", options, "source", source);
	if (o && !ded)
		json_object_set_new(o, "id", json_string(id));
	return o;
}

static void create_import(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const steps[] = { "PREPARING", "IMPORTING", "COMPLETED" };
	bool ded = rq->family == EMU_FAM_DEDICATED;
	const char *parents[1] = { rq->ids[0] };
	json_t *body, *d, *src;
	struct emu_object *upload, *o;
	char id[48], total[32] = "10485760";

	if (!cluster_of(rq, rs) || !(body = emu_body_object(rq, rs)))
		return;
	if (ded && emu_check_object(rq, rs, body, "creationDetails",
				    "creationDetails", true))
		goto out;
	d = ded ? json_object_get(body, "creationDetails") : body;
	if (check_details(rq, rs, d, &upload))
		goto out;
	src = strip_secrets(json_object_get(d, "source"));
	if (upload) {
		snprintf(total, sizeof(total), "%s", emu_fstr(upload->obj, "totalSize"));
		json_object_set(json_object_get(src, "local"), "fileName",
				json_object_get(upload->obj, "fileName"));
		json_object_set_new(upload->obj, "state", json_string("USED"));
	}
	emu_new_prefixed_id(id, "imp-");
	o = emu_store_add(KIND, id, parents, 1,
			  import_object(ded, rq->ids[0], id,
					json_deep_copy(json_object_get(d, "importOptions")),
					src, total, "PREPARING", time(NULL)),
			  "state");
	if (!o) {
		emu_error(rs, rq->family, 500, EMU_RPC_INTERNAL, "out of memory");
		goto out;
	}
	emu_store_schedule(o, steps, 3, false);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static struct emu_object *find_import(const struct emu_request *rq,
				      struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };
	struct emu_object *o;

	if (!cluster_of(rq, rs))
		return NULL;
	if ((o = emu_find_or_404(rq, rs, KIND, parents, 1, rq->ids[1],
				 "import")))
		refresh(o, NULL);
	return o;
}

static void get_import(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_import(rq, rs);

	if (o)
		rs->body = json_deep_copy(o->obj);
}

static void cancel_import(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const steps[] = { "CANCELING", "CANCELED" };
	struct emu_object *o = find_import(rq, rs);
	const char *st;

	if (!o)
		return;
	st = emu_fstr(o->obj, "state");
	if (strcmp(st, "PREPARING") != 0 && strcmp(st, "IMPORTING") != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "import %s is %s: only a PREPARING or IMPORTING "
			  "import can be canceled", o->id, st);
		return;
	}
	emu_store_schedule(o, steps, 2, false);
	rs->body = json_object();
}

static int seed_imports(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *e;
	size_t i;

	if (emu_seed_array(seed, "imports", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, e) {
		const char *id = emu_fstr(e, "importId"), *cid = emu_fstr(e, "clusterId");
		const char *uri = emu_fstr(e, "uri");
		const char *parents[1] = { cid };
		bool ded = cid && emu_model_cluster_find(cid, true);
		time_t created;
		struct emu_object *o;

		if (!id || !cid || (!ded && !emu_model_cluster_find(cid, false))) {
			snprintf(err, errlen, "imports[%zu]: importId and the "
				 "clusterId of a cluster are required", i);
			return -1;
		}
		if (!emu_parse_rfc3339(emu_fstr(e, "createTime"), &created))
			created = 1709900000;
		o = emu_store_add(KIND, id, parents, 1,
				  import_object(ded, cid, id,
						json_pack("{s:s}", "fileType",
							  emu_fstr(e, "fileType")
							  ? emu_fstr(e, "fileType") : "CSV"),
						json_pack("{s:s, s:{s:s, s:s, s:s}}",
							  "type", "S3", "s3", "uri",
							  uri ? uri : "s3://acme-data/orders/",
							  "authType", "ROLE_ARN", "roleArn",
							  "arn:aws:iam::123456789012:role/tidb-import"),
						emu_fstr(e, "totalSize")
						? emu_fstr(e, "totalSize") : "734003200",
						emu_fstr(e, "state") ? emu_fstr(e, "state")
						: "COMPLETED", created),
				  "state");
		if (!o) {
			snprintf(err, errlen, "imports[%zu]: bad or duplicate id", i);
			return -1;
		}
		refresh(o, NULL);
	}
	return 0;
}

#define IM "/v1beta1/clusters/{id}/imports"
static const struct emu_route routes[] = {
	{ EMU_FAM_SERVERLESS, "GET", IM, list_imports },
	{ EMU_FAM_SERVERLESS, "POST", IM, create_import },
	{ EMU_FAM_SERVERLESS, "GET", IM "/{id}", get_import },
	{ EMU_FAM_SERVERLESS, "POST", IM "/{id}:cancel", cancel_import },
	{ EMU_FAM_DEDICATED, "GET", IM, list_imports },
	{ EMU_FAM_DEDICATED, "POST", IM, create_import },
	{ EMU_FAM_DEDICATED, "GET", IM "/{id}", get_import },
	{ EMU_FAM_DEDICATED, "POST", IM "/{id}:cancel", cancel_import },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module imports_module = { "imports", routes,
						  seed_imports };
EMU_MODULE(imports_module)
