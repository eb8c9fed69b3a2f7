/*
 * emufam.h — helpers for the emulator family tests (test_emulator_*.c):
 * one request with an expected status, string fields, and polling a state
 * until the --transition-ms timer moves it. Header only (static inline):
 * they use Criterion, which programs outside the test suite (api-bench)
 * that link the tests/support objects do not.
 */
#ifndef EMUFAM_H
#define EMUFAM_H

#include <jansson.h>

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "emuhttp.h"
#include "testemu.h"

/* One unauthenticated request to a storage host (presigned URL), through
 * the emulator: body up to keep bytes kept (all bytes counted). */
struct emufam_raw {
	long status;
	char *body;             /* first `keep` bytes, NUL-terminated */
	size_t len;             /* bytes received */
	char content_range[128];
	char etag[80];
};

/* An emulator argument list with --transition-ms 150 and no rate limit. */
static inline const char *const *emufam_fast_args(void)
{
	static const char *const args[] = { "--transition-ms", "150",
					    "--rate-limit", "0", NULL };
	return args;
}

/* Start an emulator with emufam_fast_args() and open an authenticated
 * connection to it; stop both. */
static inline void emufam_start(struct testemu *e, struct emuhttp *c)
{
	cr_assert_eq(testemu_start(e, emufam_fast_args()), 0);
	cr_assert_eq(emuhttp_open_auth(c, e), 0);
}

static inline void emufam_stop(struct testemu *e, struct emuhttp *c)
{
	emuhttp_close(c);
	cr_assert_eq(testemu_stop(e), 0);
}

/* The usual fixture of a family test program: `emu` and `c`, start() and
 * stop() around every test of the suite, and its TestSuite line. */
#define EMUFAM_FIXTURE(suite, secs)                                         \
	static struct testemu emu;                                          \
	static struct emuhttp c;                                            \
	static void start(void)                                             \
	{                                                                   \
		emufam_start(&emu, &c);                                     \
	}                                                                   \
	static void stop(void)                                              \
	{                                                                   \
		emufam_stop(&emu, &c);                                      \
	}                                                                   \
	TestSuite(suite, .init = start, .fini = stop, .timeout = secs)

/* Write a seed document to a new file named after tmpl ("/tmp/x.XXXXXX")
 * into path; takes the reference to seed. */
static inline void emufam_seed_file(json_t *seed, const char *tmpl,
				    char *path, size_t len)
{
	int fd;

	snprintf(path, len, "%s", tmpl);
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(json_dump_file(seed, path, 0), 0);
	json_decref(seed);
}

/* Stop an emulator started with a seed file, and remove the file (when
 * seed_path is not empty). */
static inline void emufam_stop_seeded(struct testemu *e, char *seed_path)
{
	cr_assert_eq(testemu_stop(e), 0, "emulator did not exit cleanly");
	if (seed_path[0])
		unlink(seed_path);
	seed_path[0] = '\0';
}

/* method url [body] must answer `want`; returns the parsed body (new
 * reference; NULL when not JSON). Fails the test otherwise. */
static inline json_t *emufam_call(struct emuhttp *c, const char *method,
				  const char *url, const char *body, long want)
{
	struct emuhttp_resp r;
	int rc = emuhttp_request(c, method, url, body, NULL, &r);
	json_t *b;

	cr_assert_eq(rc, CURLE_OK, "%s %s: curl %d", method, url, rc);
	cr_assert_eq(r.status, want, "%s %s: %ld, want %ld: %s", method, url,
		     r.status, want, r.raw);
	b = json_incref(r.body);
	emuhttp_free(&r);
	return b;
}

/* obj[key] as a string, "" when absent. */
static inline const char *emufam_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

/* GET url until obj[key] == want (up to timeout_ms); 0 when reached. */
static inline int emufam_wait_state(struct emuhttp *c, const char *url, const char *key,
		      const char *want, long timeout_ms)
{
	struct timespec ts = { 0, 30 * 1000000L };

	for (long waited = 0; waited <= timeout_ms; waited += 30) {
		json_t *b = emufam_call(c, "GET", url, NULL, 200);
		int same = strcmp(emufam_str(b, key), want) == 0;
		json_decref(b);
		if (same)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

struct raw_ctx {
	struct emufam_raw *out;
	size_t keep;
	const char *body;
	size_t body_len, sent;
};

static inline size_t raw_write(char *p, size_t size, size_t n, void *arg)
{
	struct raw_ctx *x = arg;
	size_t len = size * n;

	if (x->out->len < x->keep) {
		size_t take = x->keep - x->out->len < len ? x->keep - x->out->len : len;
		memcpy(x->out->body + x->out->len, p, take);
		x->out->body[x->out->len + take] = '\0';
	}
	x->out->len += len;
	return len;
}

static inline size_t raw_read(char *p, size_t size, size_t n, void *arg)
{
	struct raw_ctx *x = arg;
	size_t len = size * n, left = x->body_len - x->sent;

	if (len > left)
		len = left;
	memcpy(p, x->body + x->sent, len);
	x->sent += len;
	return len;
}

static inline void header_value(const char *line, size_t len, const char *name,
			 char *out, size_t outlen)
{
	size_t nl = strlen(name), v;

	if (len <= nl || strncasecmp(line, name, nl) != 0)
		return;
	for (v = nl; v < len && line[v] == ' '; v++)
		;
	while (len > v && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	snprintf(out, outlen, "%.*s", (int)(len - v), line + v);
}

static inline size_t raw_header(char *p, size_t size, size_t n, void *arg)
{
	struct raw_ctx *x = arg;

	header_value(p, size * n, "Content-Range:", x->out->content_range,
		     sizeof(x->out->content_range));
	header_value(p, size * n, "ETag:", x->out->etag, sizeof(x->out->etag));
	return size * n;
}

/* One unauthenticated request (a presigned URL) through the emulator;
 * 0 or the CURLcode. */
static inline int emufam_raw(const struct testemu *e, const char *method, const char *url,
	       const char *range, const void *body, size_t body_len,
	       size_t keep, struct emufam_raw *out)
{
	struct raw_ctx x = { out, keep, body, body_len, 0 };
	struct curl_slist *to;
	CURL *h = curl_easy_init();
	char ct[128];
	int rc;

	memset(out, 0, sizeof(*out));
	out->body = calloc(1, keep + 1);
	snprintf(ct, sizeof(ct), "::%s", e->connect_to);
	to = curl_slist_append(NULL, ct);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CONNECT_TO, to);
	curl_easy_setopt(h, CURLOPT_CAINFO, e->cacert);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, raw_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, raw_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	if (range)
		curl_easy_setopt(h, CURLOPT_RANGE, range);
	if (strcmp(method, "PUT") == 0) {
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, raw_read);
		curl_easy_setopt(h, CURLOPT_READDATA, &x);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)body_len);
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	}
	rc = (int)curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_cleanup(h);
	curl_slist_free_all(to);
	return rc;
}

static inline void emufam_raw_free(struct emufam_raw *r)
{
	free(r->body);
	r->body = NULL;
}

#endif

