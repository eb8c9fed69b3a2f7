/*
 * routes_uploads.c — the local upload flow of serverless imports
 * (import.swagger.json, CLI only), parts going to the storage host
 * (storage.h):
 *
 *   POST /v1beta1/clusters/{c}/imports:startUpload?fileName&partNumber&
 *        targetDatabase&targetTable → {uploadId, uploadUrl[partNumber]}
 *        (presigned PUT URLs, one per part, --presign-ttl)
 *   PUT  https://upload.tidbcloud-emulator.local/uploads/{c}/{u}/{n}?…
 *        → 200, ETag "<md5 of the part>" (storage.c; nothing is kept)
 *   POST /v1beta1/clusters/{c}/imports:completeUpload?uploadId= body
 *        [{partNumber, etag}] (empty for one part) → {}
 *   POST /v1beta1/clusters/{c}/imports:cancelUpload?uploadId= → {}
 *
 * An upload is OPEN, then COMPLETED, then USED by one LOCAL import
 * (routes_imports.c). 400 (google.rpc.Status): fileName 1..255 without '/',
 * partNumber 1..10000, targetDatabase/targetTable at most 64; completing: a
 * JSON array of {partNumber, etag} in ascending order without repeats,
 * each part uploaded with that ETag, every part but the last at least
 * 5 MiB (EntityTooSmall), an empty list only when part 1 alone was
 * uploaded, nothing uploaded at all; an upload that is not OPEN. 404:
 * cluster, upload.
 */
#include "emu.h"
#include "family.h"
#include "imports.h"
#include "model.h"
#include "modules.h"
#include "storage.h"
#include "store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND "serverless-upload"
#define MIN_PART (5 * 1024 * 1024)

static void start_upload(const struct emu_request *rq, struct emu_response *rs)
{
	const char *file = emu_query(rq, "fileName");
	const char *db = emu_query(rq, "targetDatabase");
	const char *tbl = emu_query(rq, "targetTable");
	const char *parents[1] = { rq->ids[0] };
	long parts;
	json_t *urls;
	struct emu_object *o;
	char id[48], path[300], url[600];

	if (!emu_serverless_cluster(rq, rs, rq->ids[0]) ||
	    emu_query_long(rq, rs, "partNumber", 0, &parts))
		return;
	if (!file || !*file || strlen(file) > 255 || strchr(file, '/')) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "fileName is required: 1 to 255 characters without '/'");
		return;
	}
	if (parts < 1 || parts > 10000) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "partNumber must be 1 to 10000");
		return;
	}
	if ((db && strlen(db) > 64) || (tbl && strlen(tbl) > 64)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "targetDatabase and targetTable are at most 64 characters");
		return;
	}
	emu_new_prefixed_id(id, "upl-");
	o = emu_store_add(KIND, id, parents, 1,
			  json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:{}}",
				    "uploadId", id, "fileName", file,
				    "targetDatabase", db ? db : "",
				    "targetTable", tbl ? tbl : "",
				    "partCount", (json_int_t)parts,
				    "state", "OPEN", "parts"), NULL);
	if (!o) {
		emu_error(rs, rq->family, 500, EMU_RPC_INTERNAL, "out of memory");
		return;
	}
	urls = json_array();
	for (long n = 1; n <= parts; n++) {
		snprintf(path, sizeof(path), "/uploads/%s/%s/%ld", rq->ids[0], id, n);
		emu_presign(url, sizeof(url), "PUT", EMU_UPLOAD_HOST, path);
		json_array_append_new(urls, json_string(url));
	}
	rs->body = json_pack("{s:s, s:o}", "uploadId", id, "uploadUrl", urls);
}

static struct emu_object *find_upload(const struct emu_request *rq,
				      struct emu_response *rs, bool open)
{
	const char *id = emu_query(rq, "uploadId");
	const char *parents[1] = { rq->ids[0] };
	struct emu_object *o;

	if (!emu_serverless_cluster(rq, rs, rq->ids[0]))
		return NULL;
	if (!id || !*id) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "uploadId is required");
		return NULL;
	}
	if (!(o = emu_store_find(KIND, parents, 1, id))) {
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "upload %.64s not found", id);
		return NULL;
	}
	if (open && !emu_streq(emu_fstr(o->obj, "state"), "OPEN")) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "upload %s is %s", id, emu_fstr(o->obj, "state"));
		return NULL;
	}
	return o;
}

/* Check the parts list against the uploaded parts; the total size. */
static int check_parts(const struct emu_request *rq, struct emu_response *rs,
		       json_t *list, json_t *uploaded, uint64_t *total)
{
	json_t *p, *u;
	size_t i, n = json_array_size(list);
	long prev = 0;
	char key[16];

	*total = 0;
	if (n == 0) {
		if (json_object_size(uploaded) == 1 &&
		    (u = json_object_get(uploaded, "1"))) {
			*total = (uint64_t)json_integer_value(json_object_get(u, "size"));
			return 0;
		}
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  json_object_size(uploaded) ? "list the uploaded parts"
			  : "no part has been uploaded");
		return -1;
	}
	json_array_foreach(list, i, p) {
		json_t *num = json_object_get(p, "partNumber");
		const char *etag = emu_fstr(p, "etag");
		if (!json_is_object(p) || !json_is_integer(num) || !etag) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "each part needs partNumber (integer) and etag");
			return -1;
		}
		if (json_integer_value(num) <= prev) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "parts must be in ascending partNumber order "
				  "without repeats");
			return -1;
		}
		prev = (long)json_integer_value(num);
		snprintf(key, sizeof(key), "%ld", prev);
		u = json_object_get(uploaded, key);
		if (!u || !emu_streq(emu_fstr(u, "etag"), etag)) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "InvalidPart: part %ld was not uploaded with "
				  "ETag %.64s", prev, etag);
			return -1;
		}
		if (i + 1 < n && json_integer_value(json_object_get(u, "size")) < MIN_PART) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "EntityTooSmall: part %ld is smaller than 5 MiB "
				  "and not the last part", prev);
			return -1;
		}
		*total += (uint64_t)json_integer_value(json_object_get(u, "size"));
	}
	return 0;
}

static void complete_upload(const struct emu_request *rq,
			    struct emu_response *rs)
{
	struct emu_object *o = find_upload(rq, rs, true);
	json_error_t jerr;
	json_t *list;
	uint64_t total;
	char size[32];

	if (!o)
		return;
	list = rq->body_len ? json_loadb(rq->body, rq->body_len, 0, &jerr)
			    : json_array();
	if (!json_is_array(list)) {
		json_decref(list);
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "the body must be a JSON array of {partNumber, etag}");
		return;
	}
	if (check_parts(rq, rs, list, json_object_get(o->obj, "parts"), &total) == 0) {
		snprintf(size, sizeof(size), "%" PRIu64, total);
		json_object_set_new(o->obj, "totalSize", json_string(size));
		json_object_set_new(o->obj, "state", json_string("COMPLETED"));
		rs->body = json_object();
	}
	json_decref(list);
}

static void cancel_upload(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_upload(rq, rs, true);

	if (!o)
		return;
	emu_store_remove(o);
	rs->body = json_object();
}

int emu_upload_part_put(const char *cluster, const char *upload_id,
			long part, uint64_t size, const char *etag)
{
	const char *parents[1] = { cluster };
	struct emu_object *o = emu_store_find(KIND, parents, 1, upload_id);
	char key[16];

	if (!o || !emu_streq(emu_fstr(o->obj, "state"), "OPEN") ||
	    part > json_integer_value(json_object_get(o->obj, "partCount")))
		return -1;
	snprintf(key, sizeof(key), "%ld", part);
	json_object_set_new(json_object_get(o->obj, "parts"), key,
			    json_pack("{s:s, s:I}", "etag", etag, "size",
				      (json_int_t)size));
	return 0;
}

struct emu_object *emu_upload_take(const struct emu_request *rq,
				   struct emu_response *rs,
				   const char *cluster, const char *upload_id)
{
	const char *parents[1] = { cluster };
	struct emu_object *o = emu_store_find(KIND, parents, 1, upload_id);

	if (!o || !emu_streq(emu_fstr(o->obj, "state"), "COMPLETED")) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "source.local.uploadId %.64s is not a completed upload "
			  "of this cluster%s", upload_id,
			  o && emu_streq(emu_fstr(o->obj, "state"), "USED")
			  ? " (already imported)" : "");
		return NULL;
	}
	return o;
}

static const struct emu_route routes[] = {
	{ EMU_FAM_SERVERLESS, "POST", "/v1beta1/clusters/{id}/imports:startUpload",
	  start_upload },
	{ EMU_FAM_SERVERLESS, "POST", "/v1beta1/clusters/{id}/imports:completeUpload",
	  complete_upload },
	{ EMU_FAM_SERVERLESS, "POST", "/v1beta1/clusters/{id}/imports:cancelUpload",
	  cancel_upload },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module uploads_module = { "uploads", routes, NULL };
EMU_MODULE(uploads_module)
