/*
 * storage.h — the emulator's object-storage hosts (storage.c): presigned
 * URLs that export downloads and import part uploads use, served on their
 * own host names with no API authentication.
 *
 *   https://download.tidbcloud-emulator.local/exports/{c}/{e}/{file}?…
 *       GET/HEAD, Range: bytes=… (206, 416), content generated on the fly
 *       from the export and file name (fixed-width CSV-like lines), so a
 *       file of any size costs no memory;
 *   https://upload.tidbcloud-emulator.local/uploads/{c}/{upload}/{part}?…
 *       PUT of one part (streamed, MD5 counted, nothing kept), answered with
 *       its ETag.
 * Every URL carries X-Emu-Expires (Unix seconds, now + --presign-ttl) and
 * X-Emu-Signature (hex HMAC-SHA256 over method, host, path and expiry with
 * a key drawn at start). A bad or missing signature is 403
 * SignatureDoesNotMatch, an expired one 403 AccessDenied "Request has
 * expired", an unknown object 404 NoSuchKey — S3-style XML bodies.
 */
#ifndef EMU_STORAGE_H
#define EMU_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#define EMU_DOWNLOAD_HOST "download.tidbcloud-emulator.local"
#define EMU_UPLOAD_HOST   "upload.tidbcloud-emulator.local"
/* The route key of an upload PUT for injected faults (faults.h). */
#define EMU_UPLOAD_ROUTE  "PUT upload /uploads/{id}/{id}/{n}"

/* "https://HOST/PATH?X-Emu-Expires=…&X-Emu-Signature=…" for method. path
 * starts with '/' and is already URL-safe. */
void emu_presign(char *out, size_t len, const char *method, const char *host,
		 const char *path);

/* Is this Host header (any case, optional :port) one of the storage hosts? */
bool emu_storage_host(const char *host_header);

/* The MHD access handler for a storage request (http.c delegates every call
 * of such a request); *state is this request's private state. */
enum MHD_Result emu_storage_access(struct MHD_Connection *conn,
				   const char *url, const char *method,
				   const char *upload_data,
				   size_t *upload_data_size, void **state);
/* Free a request's state (the request completed). */
void emu_storage_done(void *state);

/* The generated content of a file: n bytes at offset off. */
void emu_storage_fill(const char *key, uint64_t off, char *buf, size_t n);

/* ---- provided by the family files; called with the model lock held ---- */

/* The size of a downloadable export file; -1 when there is none. */
int emu_export_file_stat(const char *cluster, const char *export_id,
			 const char *file, uint64_t *size);
/* Record an uploaded part; -1 when the upload is unknown or closed. */
int emu_upload_part_put(const char *cluster, const char *upload_id,
			long part, uint64_t size, const char *etag);

#endif
