/*
 * transport.h — one HTTP exchange, behind a function table (internal to api/).
 *
 * The request loop (request.c) never sees libcurl: it hands a fully built
 * request to ops->perform and gets back the status, the headers it cares
 * about and the body. transport_curl.c is the real implementation (and the
 * only file that includes <curl/curl.h>); the unit tests plug in a fake.
 *
 * perform() must be callable from many threads at once on the same `self`.
 */
#ifndef TC_TRANSPORT_H
#define TC_TRANSPORT_H

#include <stddef.h>
#include "tidbcloud.h"

struct tc_http_request {
	const char *method;          /* "GET", "POST", ...                     */
	const char *url;             /* absolute https:// URL                  */
	const char *authorization;   /* whole Authorization value, or NULL     */
	const char *body;            /* JSON text, or NULL for no body         */
	size_t body_len;
	long connect_timeout_ms;
	long timeout_ms;             /* whole exchange                         */
	long low_speed_time_s;       /* abort when < 1 byte/s for this long    */
	size_t max_body_bytes;       /* larger bodies fail with BAD_RESPONSE   */
	tc_interrupt_fn interrupted; /* polled while in flight; may be NULL    */
	void *interrupted_arg;
};

struct tc_http_response {
	long status;                 /* HTTP status code                       */
	char reason[64];             /* reason phrase of the status line       */
	char *body;                  /* malloc'd, NUL-terminated (may be NULL) */
	size_t body_len;
	char *www_authenticate;      /* malloc'd: every WWW-Authenticate value
	                                joined by ", ", or NULL                 */
	char trace_id[128];          /* X-Debug-Trace-Id or ""                 */
	long rl_limit;               /* X-Ratelimit-Limit-Minute, -1 absent    */
	long rl_remaining;           /* X-Ratelimit-Remaining-Minute, -1       */
	long rl_reset;               /* X-Ratelimit-Reset (seconds), -1        */
	long long date;              /* Date header as unix seconds, 0 absent  */
};

/* Initialise to "nothing received" (rl_* = -1). */
void tc_http_response_init(struct tc_http_response *r);
/* Free what init/perform allocated and re-initialise. */
void tc_http_response_release(struct tc_http_response *r);
/* Record one response header line ("Name: value\r\n"); shared by the
 * transports so that header handling is tested once. Returns 0, or -1 on
 * allocation failure. A status line ("HTTP/1.1 200 OK") starts a new header
 * block (after a 100 Continue or similar) and resets what was collected. */
int tc_http_response_header(struct tc_http_response *r, const char *line,
			    size_t len);

struct tc_transport_ops {
	/* 0: an HTTP response arrived (any status); `resp` is filled and the
	 * caller releases it.
	 * -1: no usable response; err->kind is TC_E_CONNECT (resolve, connect,
	 * reset: the request may be retried if idempotent), TC_E_TLS,
	 * TC_E_TIMEOUT, TC_E_CANCELLED, TC_E_BAD_RESPONSE (truncated, too
	 * large) or TC_E_NOMEM, with err->message; `resp` is left released. */
	int (*perform)(void *self, const struct tc_http_request *req,
		       struct tc_http_response *resp, struct tc_error *err);
	/* Called by tc_client_free; may be NULL. */
	void (*destroy)(void *self);
	/* A GET of bytes [off, off + size) of req->url with "Range:
	 * bytes=off-(off+size-1)" and no Authorization (a presigned URL, any
	 * host; connect_to, the CA and the timeouts of req apply). The body of
	 * a 206 (or of a 200, past its first off bytes) is written into buf as
	 * it arrives, never more than size bytes: *got how many. Any other
	 * status: nothing written. 0 with *status set / -1 as perform. May
	 * be NULL (no ranged downloads: tc_get_range fails TC_E_INTERNAL). */
	int (*get_range)(void *self, const struct tc_http_request *req,
			 long long off, char *buf, size_t size, size_t *got,
			 long *status, struct tc_error *err);
	/* PUT req->body to a presigned object-storage URL (another host than
	 * the API's: no Authorization, the body is bytes, not JSON; the same
	 * CA and connect_to). As perform, and the answer's ETag header (as
	 * sent, quotes kept; "" when none) into etag. May be NULL: the
	 * transport cannot upload (tc_put_url fails with TC_E_CONFIG). */
	int (*put_url)(void *self, const struct tc_http_request *req,
		       struct tc_http_response *resp, char *etag,
		       size_t etagsz, struct tc_error *err);
};

struct tc_transport_options {
	const char *connect_to;      /* "HOST:PORT" or NULL                    */
	const char *cacert;          /* CA bundle file or NULL                 */
	const char *user_agent;
	int pool_size;               /* easy handles (connections); 0 = 8      */
};

/* The libcurl transport. 0 / -1 (err filled). */
int tc_transport_curl_new(const struct tc_transport_options *opt,
			  const struct tc_transport_ops **ops, void **self,
			  struct tc_error *err);

#endif
