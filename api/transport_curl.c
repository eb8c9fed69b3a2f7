/*
 * transport_curl.c — the libcurl transport (the only file of the project
 * that includes <curl/curl.h>).
 *
 * - A pool of easy handles: a request takes one, performs, and gives it
 *   back; handles are created lazily (as many as requests ever ran at once)
 *   and reused LIFO. The pool size bounds the requests in flight.
 * - A CURLSH shares the DNS cache, TLS sessions and the CONNECTION CACHE
 *   between the handles: a request takes any idle connection to its host,
 *   whichever handle opened it, so the connections to a host are as many as
 *   requests were ever in flight to it at once (not one per handle per
 *   host), and each costs one TLS handshake. MAXCONNECTS lets the shared
 *   cache keep pool-size idle connections per host for 4 hosts.
 * - Locks: pool_lock guards the pool; share_lock[i] guards the shared data
 *   of kind i (taken by libcurl through the lock callbacks). pool_lock is
 *   never held while libcurl runs, so the two are never nested.
 * - TLS is always verified (peer and host name); only https is allowed.
 * - Non-idempotent requests (POST) use a fresh connection, so that
 *   libcurl's resend on a dead reused connection never repeats them.
 * - Authentication is NOT libcurl's: request.c computes the digest header
 *   from the challenge shared by all threads (see digest.c).
 */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "tc_internal.h"

struct curl_transport {
	struct curl_slist *connect_to;   /* "::HOST:PORT" or NULL */
	char *cacert;
	char *user_agent;
	CURLSH *share;
	pthread_mutex_t share_lock[CURL_LOCK_DATA_LAST];
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cond;
	CURL **idle;                     /* stack of idle handles */
	int nidle;
	int created;
	int max;
};

/* Per-exchange state for the callbacks. */
struct exchange {
	const struct tc_http_request *req;
	struct tc_http_response *resp;
	size_t cap;
	int too_large;
	int nomem;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access,
		       void *arg)
{
	struct curl_transport *t = arg;
	(void)h;
	(void)access;
	if ((unsigned)data < CURL_LOCK_DATA_LAST)
		pthread_mutex_lock(&t->share_lock[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *arg)
{
	struct curl_transport *t = arg;
	(void)h;
	if ((unsigned)data < CURL_LOCK_DATA_LAST)
		pthread_mutex_unlock(&t->share_lock[data]);
}

static void transport_destroy(void *self)
{
	struct curl_transport *t = self;

	if (!t)
		return;
	for (int i = 0; i < t->nidle; i++)
		curl_easy_cleanup(t->idle[i]);
	if (t->share)
		curl_share_cleanup(t->share);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&t->share_lock[i]);
	pthread_mutex_destroy(&t->pool_lock);
	pthread_cond_destroy(&t->pool_cond);
	curl_slist_free_all(t->connect_to);
	free(t->cacert);
	free(t->user_agent);
	free(t->idle);
	free(t);
}

static CURL *take_handle(struct curl_transport *t)
{
	CURL *h;

	pthread_mutex_lock(&t->pool_lock);
	while (t->nidle == 0 && t->created >= t->max)
		pthread_cond_wait(&t->pool_cond, &t->pool_lock);
	if (t->nidle > 0) {
		h = t->idle[--t->nidle];
		pthread_mutex_unlock(&t->pool_lock);
		return h;
	}
	t->created++;
	pthread_mutex_unlock(&t->pool_lock);

	h = curl_easy_init();
	if (h && curl_easy_setopt(h, CURLOPT_SHARE, t->share) != CURLE_OK) {
		curl_easy_cleanup(h);
		h = NULL;
	}
	if (!h) {
		pthread_mutex_lock(&t->pool_lock);
		t->created--;
		pthread_cond_signal(&t->pool_cond);
		pthread_mutex_unlock(&t->pool_lock);
	}
	return h;
}

static void give_handle(struct curl_transport *t, CURL *h)
{
	pthread_mutex_lock(&t->pool_lock);
	t->idle[t->nidle++] = h;
	pthread_cond_signal(&t->pool_cond);
	pthread_mutex_unlock(&t->pool_lock);
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct exchange *x = arg;
	struct tc_http_response *r = x->resp;
	size_t len = size * n;

	if (r->body_len + len > x->req->max_body_bytes) {
		x->too_large = 1;
		return 0;
	}
	if (r->body_len + len + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 4096;
		while (cap < r->body_len + len + 1)
			cap *= 2;
		char *grown = realloc(r->body, cap);
		if (!grown) {
			x->nomem = 1;
			return 0;
		}
		r->body = grown;
		x->cap = cap;
	}
	memcpy(r->body + r->body_len, p, len);
	r->body_len += len;
	r->body[r->body_len] = '\0';
	return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct exchange *x = arg;

	if (tc_http_response_header(x->resp, p, size * n) != 0) {
		x->nomem = 1;
		return 0;
	}
	return size * n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct exchange *x = arg;

	(void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
	return x->req->interrupted && x->req->interrupted(x->req->interrupted_arg);
}

/* Host of a URL for messages ("https://h:1/p" → "h:1"). */
static void url_host(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? p + 3 : url;
	n = strcspn(p, "/?#");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* A TLS handshake that failed because the connection went away (reset,
 * closed, refused: a server that died or restarts) is a connection
 * failure, retried like one, not a TLS problem (issue 12). */
static int handshake_lost_connection(long oserr, const char *why)
{
	return oserr == ECONNRESET || oserr == ECONNREFUSED || oserr == EPIPE ||
	       oserr == ECONNABORTED || strstr(why, "reset by peer") ||
	       strstr(why, "unexpected eof") || strstr(why, "SSL_ERROR_SYSCALL");
}

static void classify(CURLcode rc, const struct exchange *x, long oserr,
		     const char *errbuf, const char *url, struct tc_error *err)
{
	const char *why = *errbuf ? errbuf : curl_easy_strerror(rc);
	char host[256];

	url_host(url, host, sizeof(host));
	if (x->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		tc_error_set(err, TC_E_BAD_RESPONSE, "response body from %s exceeds "
			     "%zu bytes", host, x->req->max_body_bytes);
		return;
	}
	if (x->nomem) {
		tc_error_set(err, TC_E_NOMEM, "out of memory reading the response");
		return;
	}
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
		tc_error_set(err, TC_E_CONNECT, "cannot reach %s: %s", host, why);
		break;
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		/* the request was sent; what the API did is unknown */
		tc_error_set(err, TC_E_CONNECT, "no answer from %s (the "
			     "connection was closed after the request was sent): "
			     "%s", host, why);
		err->no_answer = 1;
		break;
	case CURLE_OPERATION_TIMEDOUT:
		tc_error_set(err, TC_E_TIMEOUT, "%s did not answer in time: %s",
			     host, why);
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		tc_error_set(err, TC_E_CANCELLED, "interrupted");
		break;
	case CURLE_PARTIAL_FILE:
		tc_error_set(err, TC_E_BAD_RESPONSE, "truncated response from %s: %s",
			     host, why);
		break;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WRITE_ERROR:
		tc_error_set(err, TC_E_BAD_RESPONSE, "bad response from %s: %s",
			     host, why);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		if (handshake_lost_connection(oserr, why)) {
			tc_error_set(err, TC_E_CONNECT, "cannot reach %s: the "
				     "connection was lost during the TLS "
				     "handshake: %s", host, why);
			break;
		}
		/* fall through */
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		tc_error_set(err, TC_E_TLS, "TLS with %s failed: %s", host, why);
		break;
	case CURLE_OUT_OF_MEMORY:
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		tc_error_set(err, TC_E_INVALID, "bad URL for %s: %s", host, why);
		break;
	default:
		tc_error_set(err, TC_E_INTERNAL, "request to %s failed: %s", host, why);
		break;
	}
}

static int transport_perform(void *self, const struct tc_http_request *req,
			     struct tc_http_response *resp,
			     struct tc_error *err)
{
	struct curl_transport *t = self;
	struct curl_slist *headers = NULL, *grown;
	struct exchange x = { req, resp, 0, 0, 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	char *authline = NULL;
	CURLcode rc;
	long status = 0, oserr = 0;
	CURL *h;

	tc_http_response_init(resp);
	h = take_handle(t);
	if (!h) {
		tc_error_set(err, TC_E_NOMEM, "cannot create a curl handle");
		return -1;
	}
	curl_easy_reset(h);   /* keeps connections, sessions and the share */

#define ADD(line) do { \
		grown = curl_slist_append(headers, line); \
		if (!grown) goto nomem; \
		headers = grown; \
	} while (0)
	ADD("Accept: application/json");
	ADD("Expect:");
	if (req->body || strcmp(req->method, "GET") != 0)
		ADD("Content-Type: application/json");
	if (req->authorization) {
		size_t n = strlen(req->authorization) + 16;
		authline = malloc(n);
		if (!authline)
			goto nomem;
		snprintf(authline, n, "Authorization: %s", req->authorization);
		ADD(authline);
	}
#undef ADD

	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (t->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, t->cacert);
	if (t->connect_to)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, t->connect_to);
	curl_easy_setopt(h, CURLOPT_USERAGENT, t->user_agent);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_MAXCONNECTS, (long)t->max * 4);
	/* libcurl silently sends a request again when a reused connection
	 * closes before any answer byte. The server may have acted on it, so a
	 * request that must never be repeated (a create) goes out on a
	 * connection of its own, where that resend cannot happen. */
	if (!tc_method_idempotent(req->method))
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	if (req->low_speed_time_s > 0) {
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, req->low_speed_time_s);
	}
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)req->max_body_bytes);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);

	if (strcmp(req->method, "GET") == 0 && !req->body) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(req->method, "DELETE") == 0 && !req->body) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
	} else {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)req->body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	}

	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	else
		curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
	/* Drop our pointers from the handle before it goes back to the pool. */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	give_handle(t, h);
	curl_slist_free_all(headers);
	if (authline) {
		explicit_bzero(authline, strlen(authline));
		free(authline);
	}
	if (rc != CURLE_OK) {
		classify(rc, &x, oserr, errbuf, req->url, err);
		tc_http_response_release(resp);
		return -1;
	}
	resp->status = status;
	return 0;

nomem:
	give_handle(t, h);
	curl_slist_free_all(headers);
	free(authline);
	tc_error_set(err, TC_E_NOMEM, "out of memory");
	return -1;
}

/* A ranged GET: the body goes straight into the caller's buffer. */
struct range_x {
	CURL *h;
	char *buf;
	size_t size, got;
	long long skip;      /* a 200 (Range ignored): bytes still to drop */
	int started, full;
	long status;
};

static size_t on_range_body(char *p, size_t size, size_t n, void *arg)
{
	struct range_x *x = arg;
	size_t len = size * n, take;

	if (!x->started) {
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
		x->started = 1;
	}
	if (x->status != 206 && x->status != 200)
		return len;                      /* an error body: dropped */
	if (x->status == 200 && x->skip > 0) {
		size_t drop = (long long)len < x->skip ? len : (size_t)x->skip;

		x->skip -= (long long)drop;
		p += drop;
		len -= drop;
	}
	take = len < x->size - x->got ? len : x->size - x->got;
	memcpy(x->buf + x->got, p, take);
	x->got += take;
	if (x->got == x->size && take < len) {
		x->full = 1;                     /* more than asked: stop here */
		return 0;
	}
	return size * n;
}

static size_t on_range_header(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static int transport_get_range(void *self, const struct tc_http_request *req,
			       long long off, char *buf, size_t size,
			       size_t *got, long *status, struct tc_error *err)
{
	struct curl_transport *t = self;
	struct range_x x = { 0 };
	struct exchange ex = { req, NULL, 0, 0, 0 };
	char errbuf[CURL_ERROR_SIZE] = "", range[64];
	CURLcode rc;
	CURL *h;

	*got = 0;
	*status = 0;
	if (size == 0 || off < 0) {
		tc_error_set(err, TC_E_INVALID, "empty or negative range");
		return -1;
	}
	h = take_handle(t);
	if (!h) {
		tc_error_set(err, TC_E_NOMEM, "cannot create a curl handle");
		return -1;
	}
	curl_easy_reset(h);
	x.h = h;
	x.buf = buf;
	x.size = size;
	x.skip = off;
	snprintf(range, sizeof(range), "%lld-%lld", off,
		 off + (long long)size - 1);
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (t->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, t->cacert);
	if (t->connect_to)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, t->connect_to);
	curl_easy_setopt(h, CURLOPT_USERAGENT, t->user_agent);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_RANGE, range);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	if (req->low_speed_time_s > 0) {
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, req->low_speed_time_s);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_range_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_range_header);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &ex);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && x.full))
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &x.status);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	if (x.full) {
		/* the rest of a 200 was refused: not a connection to reuse */
		curl_easy_cleanup(h);
		pthread_mutex_lock(&t->pool_lock);
		t->created--;
		pthread_cond_signal(&t->pool_cond);
		pthread_mutex_unlock(&t->pool_lock);
	} else {
		give_handle(t, h);
	}
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && x.full)) {
		classify(rc, &ex, 0, errbuf, req->url, err);
		return -1;
	}
	*status = x.status;
	*got = (x.status == 200 || x.status == 206) ? x.got : 0;
	return 0;
}

/* ---- PUT to a presigned URL (object storage) ---------------------------- */

struct put_exchange {
	struct exchange x;
	char *etag;
	size_t etagsz;
};

static size_t on_put_header(char *p, size_t size, size_t n, void *arg)
{
	struct put_exchange *px = arg;
	size_t len = size * n, vlen;
	const char *v;

	if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
		v = p + 5;
		vlen = len - 5;
		while (vlen && (*v == ' ' || *v == '\t')) {
			v++;
			vlen--;
		}
		while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
				v[vlen - 1] == ' '))
			vlen--;
		if (vlen >= px->etagsz)
			vlen = px->etagsz - 1;
		memcpy(px->etag, v, vlen);
		px->etag[vlen] = '\0';
	}
	return on_header(p, size, n, &px->x);
}

static int transport_put_url(void *self, const struct tc_http_request *req,
			     struct tc_http_response *resp, char *etag,
			     size_t etagsz, struct tc_error *err)
{
	struct curl_transport *t = self;
	struct curl_slist *headers = NULL, *grown;
	struct put_exchange px = { { req, resp, 0, 0, 0 }, etag, etagsz };
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	long status = 0;
	CURL *h;

	tc_http_response_init(resp);
	if (etagsz)
		etag[0] = '\0';
	h = take_handle(t);
	if (!h) {
		tc_error_set(err, TC_E_NOMEM, "cannot create a curl handle");
		return -1;
	}
	curl_easy_reset(h);
	/* no Content-Type (a presigned URL signs none), no 100-continue */
	grown = curl_slist_append(headers, "Expect:");
	if (grown)
		headers = grown;
	grown = grown ? curl_slist_append(headers, "Content-Type:") : NULL;
	if (!grown) {
		give_handle(t, h);
		curl_slist_free_all(headers);
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return -1;
	}
	headers = grown;
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (t->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, t->cacert);
	if (t->connect_to)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, t->connect_to);
	curl_easy_setopt(h, CURLOPT_USERAGENT, t->user_agent);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	if (req->low_speed_time_s > 0) {
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, req->low_speed_time_s);
	}
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &px.x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_put_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &px);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &px.x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	give_handle(t, h);
	curl_slist_free_all(headers);
	if (rc != CURLE_OK) {
		classify(rc, &px.x, 0, errbuf, req->url, err);
		tc_http_response_release(resp);
		return -1;
	}
	resp->status = status;
	return 0;
}

static const struct tc_transport_ops curl_ops = {
	.perform = transport_perform,
	.get_range = transport_get_range,
	.put_url = transport_put_url,
	.destroy = transport_destroy,
};

int tc_transport_curl_new(const struct tc_transport_options *opt,
			  const struct tc_transport_ops **ops, void **self,
			  struct tc_error *err)
{
	struct curl_transport *t;

	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK) {
		tc_error_set(err, TC_E_INTERNAL, "curl_global_init failed: %s",
			     curl_easy_strerror(global_rc));
		return -1;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		goto nomem;
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&t->share_lock[i], NULL);
	pthread_mutex_init(&t->pool_lock, NULL);
	pthread_cond_init(&t->pool_cond, NULL);
	t->max = opt->pool_size > 0 ? opt->pool_size : 8;
	t->idle = calloc((size_t)t->max, sizeof(*t->idle));
	t->user_agent = strdup(opt->user_agent ? opt->user_agent : "tidbcloudfs");
	if (!t->idle || !t->user_agent)
		goto nomem;
	if (opt->cacert && !(t->cacert = strdup(opt->cacert)))
		goto nomem;
	if (opt->connect_to && *opt->connect_to) {
		char entry[300];
		if (strlen(opt->connect_to) > 256 || !strchr(opt->connect_to, ':')) {
			tc_error_set(err, TC_E_CONFIG, "connect_to '%s': expected "
				     "HOST:PORT", opt->connect_to);
			transport_destroy(t);
			return -1;
		}
		snprintf(entry, sizeof(entry), "::%s", opt->connect_to);
		if (!(t->connect_to = curl_slist_append(NULL, entry)))
			goto nomem;
	}
	t->share = curl_share_init();
	if (!t->share)
		goto nomem;
	curl_share_setopt(t->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(t->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(t->share, CURLSHOPT_USERDATA, t);
	curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	*ops = &curl_ops;
	*self = t;
	return 0;
nomem:
	transport_destroy(t);
	tc_error_set(err, TC_E_NOMEM, "out of memory");
	return -1;
}
