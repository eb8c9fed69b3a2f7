/* storage.c — the object-storage hosts: presigned downloads and uploads
 * (storage.h). */
#include "storage.h"
#include "emu.h"
#include "model.h"
#include "faults.h"
#include "stats.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#define LINE_LEN 44            /* one generated line, '\n' included */

static unsigned char key[32];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void key_init(void)
{
	char hex[65];

	emu_random_hex(hex, 32);
	for (size_t i = 0; i < 32; i++)
		key[i] = (unsigned char)strtoul((char[3]){ hex[2 * i], hex[2 * i + 1], 0 },
						NULL, 16);
}

/* hex HMAC-SHA256 of "METHOD\nhost\npath\nexpires". */
static void sign(char out[65], const char *method, const char *host,
		 const char *path, long long expires)
{
	unsigned char mac[32];
	char *msg = NULL;
	int n;

	pthread_once(&key_once, key_init);
	n = asprintf(&msg, "%s\n%s\n%s\n%lld", method, host, path, expires);
	if (n < 0 || gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, sizeof(key), msg,
				      (size_t)n, mac) != 0)
		memset(mac, 0, sizeof(mac));
	free(msg);
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

void emu_presign(char *out, size_t len, const char *method, const char *host,
		 const char *path)
{
	long long expires = (long long)time(NULL) + emu_cfg.presign_ttl_s;
	char sig[65];

	sign(sig, method, host, path, expires);
	snprintf(out, len, "https://%s%s?X-Emu-Expires=%lld&X-Emu-Signature=%s",
		 host, path, expires, sig);
}

/* Host header without :port, lower case. */
static void host_of(const char *hdr, char out[256])
{
	size_t i = 0;

	for (; hdr && hdr[i] && hdr[i] != ':' && i < 255; i++)
		out[i] = (char)tolower((unsigned char)hdr[i]);
	out[i] = '\0';
}

bool emu_storage_host(const char *host_header)
{
	char h[256];

	host_of(host_header, h);
	return strcmp(h, EMU_DOWNLOAD_HOST) == 0 || strcmp(h, EMU_UPLOAD_HOST) == 0;
}

/* ---- generated content ---- */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static void line(uint64_t seed, uint64_t i, char out[LINE_LEN + 1])
{
	snprintf(out, LINE_LEN + 1, "%012" PRIu64 ",name-%012" PRIu64 ",%012" PRIu64 "\n",
		 (uint64_t)((i + 1) % 1000000000000ULL),
		 (uint64_t)(mix(seed ^ i) % 1000000000000ULL),
		 (uint64_t)(mix(~seed + (i + 1) * 7919) % 1000000000000ULL));
}

void emu_storage_fill(const char *k, uint64_t off, char *buf, size_t n)
{
	uint64_t seed = key_hash(k);
	char l[LINE_LEN + 1];

	while (n > 0) {
		uint64_t idx = off / LINE_LEN;
		size_t at = (size_t)(off % LINE_LEN), take = LINE_LEN - at;
		if (take > n)
			take = n;
		line(seed, idx, l);
		memcpy(buf, l + at, take);
		buf += take;
		off += take;
		n -= take;
	}
}

/* ---- requests ---- */

struct storage_req {
	bool upload;
	int status;                 /* != 0: the answer is decided */
	const char *code, *message; /* S3 error */
	gnutls_hash_hd_t md5;
	bool md5_ok;
	uint64_t size;
	char cluster[128], object[128], file[256];
	long part;
	struct emu_fault fault;      /* an upload's injected fault */
};

struct reader {
	char key[512];
	uint64_t base;
};

static ssize_t read_cb(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct reader *r = cls;

	emu_storage_fill(r->key, r->base + pos, buf, max);
	return (ssize_t)max;
}

static enum MHD_Result send_text(struct MHD_Connection *conn, int status,
				 const char *type, const char *text,
				 const char *h1, const char *v1)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	if (h1)
		MHD_add_response_header(r, h1, v1);
	ret = MHD_queue_response(conn, (unsigned int)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, int status,
				  const char *code, const char *message)
{
	char xml[512];

	snprintf(xml, sizeof(xml), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<Error><Code>%s</Code><Message>%s</Message></Error>\n",
		 code, message);
	return send_text(conn, status, "application/xml", xml, NULL, NULL);
}

/* Split "/exports/{c}/{e}/{file}" or "/uploads/{c}/{u}/{part}". */
static bool split(struct storage_req *s, const char *url, const char *prefix)
{
	const char *p = url + strlen(prefix), *a, *b;
	char *end;

	if (strncmp(url, prefix, strlen(prefix)) != 0 ||
	    !(a = strchr(p, '/')) || !(b = strchr(a + 1, '/')) ||
	    a == p || b == a + 1 || !b[1] || strchr(b + 1, '/') ||
	    (size_t)(a - p) >= sizeof(s->cluster) ||
	    (size_t)(b - a - 1) >= sizeof(s->object) ||
	    strlen(b + 1) >= sizeof(s->file))
		return false;
	memcpy(s->cluster, p, (size_t)(a - p));
	memcpy(s->object, a + 1, (size_t)(b - a - 1));
	strcpy(s->file, b + 1);
	if (!s->upload)
		return true;
	if (strlen(s->file) > 5 || !isdigit((unsigned char)s->file[0]))
		return false;
	s->part = strtol(s->file, &end, 10);
	return *end == '\0' && s->part >= 1 && s->part <= 10000;
}

/* Check the host, path, signature and expiry; sets status on failure. */
static void check(struct storage_req *s, struct MHD_Connection *conn,
		  const char *url, const char *method, const char *host)
{
	const char *exp = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
						      "X-Emu-Expires");
	const char *sig = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
						      "X-Emu-Signature");
	const char *signed_method = strcmp(method, "HEAD") == 0 ? "GET" : method;
	char want[65], *end = NULL;
	long long e = exp ? strtoll(exp, &end, 10) : 0;
	unsigned diff = 0;

	s->upload = strcmp(host, EMU_UPLOAD_HOST) == 0;
	if (s->upload ? strcmp(method, "PUT") != 0
	    : strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		s->status = 405;
		s->code = "MethodNotAllowed";
		s->message = "The specified method is not allowed against this resource.";
		return;
	}
	if (!split(s, url, s->upload ? "/uploads/" : "/exports/")) {
		s->status = 404;
		s->code = "NoSuchKey";
		s->message = "The specified key does not exist.";
		return;
	}
	sign(want, signed_method, host, url, e);
	if (!sig || strlen(sig) != 64 || !exp || !end || *end)
		diff = 1;
	for (size_t i = 0; !diff && i < 64; i++)
		diff |= (unsigned)(sig[i] ^ want[i]);
	if (diff) {
		s->status = 403;
		s->code = "SignatureDoesNotMatch";
		s->message = "The request signature we calculated does not match "
			     "the signature you provided.";
	} else if ((long long)time(NULL) > e) {
		s->status = 403;
		s->code = "AccessDenied";
		s->message = "Request has expired";
	}
}

/* Range: bytes=a-b | a- | -n of a file of `size`; false: whole file. *bad
 * when unsatisfiable. */
static bool parse_range(const char *h, uint64_t size, uint64_t *from,
			uint64_t *to, bool *bad)
{
	unsigned long long a = 0, b = 0;
	int n = 0;

	*bad = false;
	if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return false;
	h += 6;
	if (h[0] == '-') {
		if (sscanf(h + 1, "%llu%n", &b, &n) != 1 || h[1 + n] || b == 0) {
			*bad = b == 0 && n > 0;
			return *bad;
		}
		if (size == 0) {
			*bad = true;
			return true;
		}
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return true;
	}
	if (sscanf(h, "%llu-%n", &a, &n) != 1 || n == 0)
		return false;
	if (h[n] == '\0')
		b = size ? size - 1 : 0;
	else if (sscanf(h + n, "%llu", &b) != 1 || b < a)
		return false;
	if (a >= size) {
		*bad = true;
		return true;
	}
	*from = a;
	*to = b >= size ? size - 1 : b;
	return true;
}

static enum MHD_Result download(struct MHD_Connection *conn,
				struct storage_req *s, int *status,
				long long *bytes)
{
	uint64_t size = 0, from = 0, to = 0;
	bool ranged, bad;
	struct reader *r;
	struct MHD_Response *resp;
	char hdr[128];
	enum MHD_Result ret;
	int rc;

	emu_model_lock();
	emu_model_advance();
	rc = emu_export_file_stat(s->cluster, s->object, s->file, &size);
	emu_model_unlock();
	if (rc != 0) {
		*status = 404;
		return send_error(conn, 404, "NoSuchKey", "The specified key does not exist.");
	}
	ranged = parse_range(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Range"),
			     size, &from, &to, &bad);
	if (ranged && bad) {
		snprintf(hdr, sizeof(hdr), "bytes */%" PRIu64, size);
		*status = 416;
		return send_text(conn, 416, "application/xml",
				 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				 "<Error><Code>InvalidRange</Code><Message>The "
				 "requested range is not satisfiable</Message></Error>\n",
				 "Content-Range", hdr);
	}
	if (!ranged) {
		from = 0;
		to = size ? size - 1 : 0;
	}
	if (!(r = calloc(1, sizeof(*r))))
		return MHD_NO;
	snprintf(r->key, sizeof(r->key), "%s/%s/%s", s->cluster, s->object, s->file);
	r->base = from;
	*bytes = size ? (long long)(to - from + 1) : 0;
	resp = MHD_create_response_from_callback(size ? to - from + 1 : 0, 65536,
						 read_cb, r, free);
	if (!resp) {
		free(r);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/octet-stream");
	MHD_add_response_header(resp, "Accept-Ranges", "bytes");
	snprintf(hdr, sizeof(hdr), "\"%016" PRIx64 "-%" PRIu64 "\"",
		 key_hash(r->key), size);
	MHD_add_response_header(resp, "ETag", hdr);
	if (ranged) {
		snprintf(hdr, sizeof(hdr), "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64,
			 from, to, size);
		MHD_add_response_header(resp, "Content-Range", hdr);
	}
	*status = ranged ? 206 : 200;
	ret = MHD_queue_response(conn, (unsigned int)*status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result upload_done(struct MHD_Connection *conn,
				   struct storage_req *s, int *status)
{
	unsigned char d[16];
	char etag[40];
	int rc;

	if (!s->md5_ok) {
		*status = 500;
		return send_error(conn, 500, "InternalError", "digest unavailable");
	}
	gnutls_hash_output(s->md5, d);
	etag[0] = '"';
	for (size_t i = 0; i < 16; i++)
		snprintf(etag + 1 + 2 * i, 3, "%02x", d[i]);
	strcpy(etag + 33, "\"");
	emu_model_lock();
	emu_model_advance();
	rc = emu_upload_part_put(s->cluster, s->object, s->part, s->size, etag);
	emu_model_unlock();
	if (rc != 0) {
		*status = 404;
		return send_error(conn, 404, "NoSuchUpload", "The specified upload "
				  "does not exist, or was completed or aborted.");
	}
	*status = 200;
	return send_text(conn, 200, "text/plain", "", "ETag", etag);
}

enum MHD_Result emu_storage_access(struct MHD_Connection *conn,
				   const char *url, const char *method,
				   const char *upload_data,
				   size_t *upload_data_size, void **state)
{
	struct storage_req *s = *state;
	char host[256];
	int status = 0;
	long long bytes = -1;
	enum MHD_Result ret;

	host_of(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"), host);
	if (!s) {
		if (!(s = calloc(1, sizeof(*s))))
			return MHD_NO;
		*state = s;
		check(s, conn, url, method, host);
		if (!s->status && s->upload) {
			s->md5_ok = gnutls_hash_init(&s->md5, GNUTLS_DIG_MD5) == 0;
			s->fault = emu_faults_take_route(EMU_UPLOAD_ROUTE);
			if (s->fault.kind == EMU_FAULT_STATUS) {
				s->status = s->fault.status;
				s->code = "InternalError";
				s->message = "injected fault";
			} else if (s->fault.kind == EMU_FAULT_STALL) {
				emu_sleep_ms(s->fault.stall_ms);
			}
		}
	}
	if (s->fault.kind == EMU_FAULT_RESET) {
		emu_stats_log(method, host, url, "", 0);
		return MHD_NO;       /* the connection closes, no answer */
	}
	if (*upload_data_size > 0) {
		if (!s->status && s->upload && s->md5_ok)
			gnutls_hash(s->md5, upload_data, *upload_data_size);
		s->size += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (s->status) {
		status = s->status;
		ret = send_error(conn, s->status, s->code, s->message);
	} else if (s->upload) {
		ret = upload_done(conn, s, &status);
	} else {
		ret = download(conn, s, &status, &bytes);
	}
	emu_stats_log_bytes(method, host, url, "", status, bytes);
	return ret;
}

void emu_storage_done(void *state)
{
	struct storage_req *s = state;

	if (!s)
		return;
	if (s->md5_ok) {
		unsigned char d[16];
		gnutls_hash_deinit(s->md5, d);
	}
	free(s);
}
