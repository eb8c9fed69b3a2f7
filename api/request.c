/*
 * request.c — tc_request: one API call = one or more HTTP exchanges.
 *
 * Loop per call:
 *   pace (ratelimit.c) → build the Authorization from the shared digest
 *   challenge → exchange (transport) → record the rate-limit headers →
 *     401 with a new challenge (or none was sent yet): store it, repeat
 *         (allowed for POST too: the server did not act on a 401);
 *     429 / 502 / 503 / 504 or a connection failure, idempotent method:
 *         wait (X-Ratelimit-Reset for a 429, else jittered exponential
 *         backoff) and repeat, while the retry budget and max_retries last
 *         (a connection failure is not retried while the host is marked
 *         unreachable: a call of its family failed to connect after its
 *         retries less than TC_UNREACHABLE_MS ago, so with the API down
 *         every call fails at once instead of after ~4.5 s of retries);
 *     2xx: parse the body (must be a JSON object; empty = {});
 *     otherwise: the error body becomes a struct tc_error.
 * Every wait is sliced (50 ms) and polls the interrupt callback. No lock is
 * held across an exchange or a wait.
 *
 * Each step of the loop is a function of its own over `struct call` (the
 * state of one tc_request): call_pace, call_exchange, then
 * call_on_transport_failure | call_on_challenge, call_on_retryable_status,
 * call_answer. A step says whether to go on, repeat the exchange, or stop.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include "tc_internal.h"

#define SLEEP_SLICE_MS 50
#define BACKOFF_BASE_MS 200
#define BACKOFF_CAP_MS 5000
/* How long a host that could not be reached after the retries is taken as
 * down: its calls try once, without retrying connection failures. */
#define TC_UNREACHABLE_MS 3000

long tc_backoff_ms(int attempt, uint64_t rnd)
{
	long base = BACKOFF_BASE_MS;

	for (int i = 0; i < attempt && base < BACKOFF_CAP_MS; i++)
		base *= 2;
	if (base > BACKOFF_CAP_MS)
		base = BACKOFF_CAP_MS;
	/* uniform in [base/2, base*3/2] */
	return base / 2 + (long)(rnd % (uint64_t)(base + 1));
}

int tc_method_idempotent(const char *method)
{
	static const char *const ok[] = { "GET", "HEAD", "DELETE", "PATCH", "PUT" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(method, ok[i]) == 0)
			return 1;
	return 0;
}

int tc_status_retryable(long status)
{
	return status == 429 || status == 502 || status == 503 || status == 504;
}

static int interrupted(const tc_client *c)
{
	return c->interrupted && c->interrupted(c->interrupted_arg);
}

/* Sleep ms in slices; -1 if interrupted. */
static int nap(tc_client *c, long ms, int throttled)
{
	while (ms > 0) {
		long slice = ms < SLEEP_SLICE_MS ? ms : SLEEP_SLICE_MS;
		if (interrupted(c))
			return -1;
		c->clock.sleep_ms(c->clock.arg, slice);
		if (throttled)
			atomic_fetch_add(&c->throttled_ms, (uint64_t)slice);
		ms -= slice;
	}
	return interrupted(c) ? -1 : 0;
}

static int cancelled(struct tc_error *err)
{
	tc_error_set(err, TC_E_CANCELLED, "interrupted");
	return -1;
}

/* Parse a 2xx body into a JSON object. */
static int parse_body(const struct tc_http_response *r, json_t **out,
		      struct tc_error *err)
{
	json_error_t jerr;
	json_t *root;
	size_t i = 0;

	while (r->body && i < r->body_len && isspace((unsigned char)r->body[i]))
		i++;
	if (!r->body || i == r->body_len) {
		root = json_object();
	} else {
		root = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!root) {
			tc_error_set(err, TC_E_BAD_RESPONSE,
				     "response is not valid JSON (%s at byte %d)",
				     jerr.text, jerr.position);
			err->http_status = (int)r->status;
			return -1;
		}
		if (!json_is_object(root)) {
			json_decref(root);
			tc_error_set(err, TC_E_BAD_RESPONSE,
				     "response is not a JSON object");
			err->http_status = (int)r->status;
			return -1;
		}
	}
	if (!root) {
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return -1;
	}
	if (out)
		*out = root;
	else
		json_decref(root);
	return 0;
}

/* Path component of an absolute URL ("https://h:1/a/b" → "/a/b"). */
static const char *url_path(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	p = strchr(p, '/');
	return p ? p : "";
}

static void fill_where(struct tc_error *err, const char *method,
		       const char *path)
{
	tc_copy(err->method, sizeof(err->method), method);
	tc_copy(err->path, sizeof(err->path), path);
}

/* The host of an absolute URL ("https://h:1/a" → "h:1") into buf. */
static void url_host(const char *url, char *buf, size_t size)
{
	const char *p = strstr(url, "://"), *e;
	size_t n;

	p = p ? p + 3 : url;
	e = strchr(p, '/');
	n = e ? (size_t)(e - p) : strlen(p);
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

/* One tc_request() call: what its steps share. */
struct call {
	tc_client *c;
	enum tc_family family;
	const char *method;
	const char *path;           /* as the caller gave it */
	char *url;                  /* base URL + path (owned) */
	const char *uri;            /* the path part of url (for digest, logs) */
	char host[128];             /* the host part of url (for logs, errors) */
	char *text;                 /* the serialised body, or NULL (owned) */
	int idempotent;
	int attempt;                /* retries so far */
	int stale_retried;          /* a 401 with a new challenge was repeated */
	int no_auth_retried;        /* the unauthenticated first try was repeated */
	uint64_t start;
	struct tc_http_response resp;
	/* of the current exchange */
	int sent_auth;
	int fetcher;                /* this thread fetches the first challenge */
	char used_nonce[256];
};

/* What to do after a step. */
enum step { STEP_ON, STEP_REPEAT, STEP_DONE };

/* Check the arguments, build the URL and the body text. 0 / -1. */
static int call_prepare(struct call *k, tc_client *c, enum tc_family family,
			const char *method, const char *path, json_t *body,
			struct tc_error *err)
{
	size_t n;

	memset(k, 0, sizeof(*k));
	tc_http_response_init(&k->resp);
	if (!c || !method || !path || (unsigned)family >= TC_FAMILY_COUNT) {
		tc_error_set(err, TC_E_INVALID, "invalid arguments to tc_request");
		return -1;
	}
	k->c = c;
	k->family = family;
	k->method = method;
	k->path = path;
	fill_where(err, method, path);
	if (*path != '/') {
		tc_error_set(err, TC_E_INVALID, "path must start with '/'");
		return -1;
	}
	n = strlen(c->base_url[family]) + strlen(path) + 1;
	if (!(k->url = malloc(n))) {
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return -1;
	}
	snprintf(k->url, n, "%s%s", c->base_url[family], path);
	k->uri = url_path(k->url);
	url_host(k->url, k->host, sizeof(k->host));
	tc_copy(err->host, sizeof(err->host), k->host);
	if (body && !(k->text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY))) {
		tc_error_set(err, TC_E_NOMEM, "cannot serialise the request body");
		return -1;
	}
	k->idempotent = tc_method_idempotent(method);
	k->start = c->clock.now_ms(c->clock.arg);
	return 0;
}

static void call_release(struct call *k)
{
	tc_http_response_release(&k->resp);
	free(k->url);
	free(k->text);
}

static uint64_t call_elapsed(const struct call *k)
{
	return k->c->clock.now_ms(k->c->clock.arg) - k->start;
}

/* Wait `wait` ms and count a retry, if the retry budget allows it.
 * STEP_REPEAT, STEP_ON (no budget left) or STEP_DONE (interrupted). */
static enum step call_retry_after(struct call *k, long wait, int throttled,
				  int *rc, struct tc_error *err)
{
	if ((long)call_elapsed(k) + wait > k->c->retry_budget_ms)
		return STEP_ON;
	if (nap(k->c, wait, throttled) != 0) {
		*rc = cancelled(err);
		return STEP_DONE;
	}
	k->attempt++;
	atomic_fetch_add(&k->c->retries, 1);
	return STEP_REPEAT;
}

/* Before an exchange: the interrupt, then the rate-limit pacing. */
static int call_pace(struct call *k, struct tc_error *err)
{
	tc_client *c = k->c;
	long wait;

	if (interrupted(c))
		return cancelled(err);
	wait = tc_ratelimit_reserve(&c->ratelimit, c->clock.now_ms(c->clock.arg));
	if (wait > 0 && nap(c, wait, 1) != 0)
		return cancelled(err);
	return 0;
}

/* One HTTP exchange with the Authorization of the shared challenge (if any
 * is known yet). The transport's result: 0 = a response in k->resp. */
static int call_exchange(struct call *k, struct tc_error *err)
{
	tc_client *c = k->c;
	struct tc_http_request req;
	char auth[8192];   /* a batch get's uri is ~3.5 KB */
	int prc;

	k->sent_auth = tc_digest_authorize(&c->digest, c->public_key,
					   c->private_key, k->method, k->uri,
					   auth, sizeof(auth), k->used_nonce,
					   &k->fetcher);
	if (k->sent_auth < 0) {
		tc_error_set(err, TC_E_INTERNAL, "authorization header too long");
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.method = k->method;
	req.url = k->url;
	req.authorization = k->sent_auth ? auth : NULL;
	req.body = k->text;
	req.body_len = k->text ? strlen(k->text) : 0;
	req.connect_timeout_ms = c->connect_timeout_ms;
	req.timeout_ms = c->timeout_ms;
	/* a stall (less than 1 byte/s) ends a request after 30 s, or
	 * sooner when the whole request has less time */
	req.low_speed_time_s = c->timeout_ms / 1000 < 30 ?
			       (c->timeout_ms / 1000 > 0 ? c->timeout_ms / 1000 : 1) : 30;
	req.max_body_bytes = c->max_body_bytes;
	req.interrupted = c->interrupted;
	req.interrupted_arg = c->interrupted_arg;

	tc_http_response_release(&k->resp);
	atomic_fetch_add(&c->requests, 1);
	prc = c->tops->perform(c->transport, &req, &k->resp, err);
	if (k->fetcher && prc != 0) {
		tc_digest_fetch_done(&c->digest);
		k->fetcher = 0;
	}
	explicit_bzero(auth, sizeof(auth));
	return prc;
}

/* Was the host of this call found unreachable a moment ago? */
static int host_unreachable(const struct call *k)
{
	uint64_t until = atomic_load(&k->c->unreachable_until[k->family]);

	return until && k->c->clock.now_ms(k->c->clock.arg) < until;
}

/* The end of a call: a connection failure marks the host unreachable for a
 * while; any answer clears the mark. */
static void note_reachability(const struct call *k, int answered,
			      const struct tc_error *err)
{
	tc_client *c = k->c;

	if (answered)
		atomic_store(&c->unreachable_until[k->family], 0);
	else if (err->kind == TC_E_CONNECT)
		atomic_store(&c->unreachable_until[k->family],
			     c->clock.now_ms(c->clock.arg) + TC_UNREACHABLE_MS);
}

/* No response: repeat an idempotent call after a connection failure. */
static enum step call_on_transport_failure(struct call *k, int *rc,
					   struct tc_error *err)
{
	enum step s = STEP_ON;

	fill_where(err, k->method, k->path);
	if (err->kind == TC_E_CONNECT && k->idempotent &&
	    k->attempt < k->c->max_retries && !host_unreachable(k))
		s = call_retry_after(k, tc_backoff_ms(k->attempt,
						      tc_client_random(k->c)),
				     0, rc, err);
	return s == STEP_REPEAT ? STEP_REPEAT : STEP_DONE;
}

/* A 401 with a challenge: store it and repeat once when that may help
 * (nothing was sent yet, or the nonce was new or stale). Allowed for POST
 * too: the server did not act on a 401. Releases the fetcher role. */
static enum step call_on_challenge(struct call *k)
{
	struct tc_digest_challenge ch;
	enum step s = STEP_ON;

	if (k->resp.status == 401 && k->resp.www_authenticate &&
	    tc_digest_parse(k->resp.www_authenticate, &ch) == 0) {
		int worth = tc_digest_update(&k->c->digest, &ch,
					     k->sent_auth ? k->used_nonce : NULL);
		if (!k->sent_auth && !k->no_auth_retried) {
			k->no_auth_retried = 1;
			s = STEP_REPEAT;
		} else if (k->sent_auth && worth && !k->stale_retried) {
			k->stale_retried = 1;
			s = STEP_REPEAT;
		}
	}
	if (k->fetcher) {   /* done, or no challenge came: let another try */
		tc_digest_fetch_done(&k->c->digest);
		k->fetcher = 0;
	}
	return s;
}

/* 429 / 502 / 503 / 504 on an idempotent call: wait (X-Ratelimit-Reset for
 * a 429, else jittered backoff) and repeat while the budget lasts. */
static enum step call_on_retryable_status(struct call *k, int *rc,
					  struct tc_error *err)
{
	long status = k->resp.status, wait;
	uint64_t rnd;

	if (!tc_status_retryable(status) || !k->idempotent ||
	    k->attempt >= k->c->max_retries)
		return STEP_ON;
	rnd = tc_client_random(k->c);
	wait = status == 429 ?
	       tc_ratelimit_429_wait(k->resp.rl_reset, tc_backoff_ms(k->attempt, rnd)) :
	       tc_backoff_ms(k->attempt, rnd);
	return call_retry_after(k, wait, status == 429, rc, err);
}

/* The final response: a 2xx body parsed into *out, or the error body. */
static int call_answer(struct call *k, json_t **out, struct tc_error *err)
{
	const struct tc_http_response *r = &k->resp;
	int rc;

	if (r->status >= 200 && r->status <= 299) {
		rc = parse_body(r, out, err);
		if (rc == 0)
			tc_error_clear(err);
		else
			fill_where(err, k->method, k->path);
		if (err->kind == TC_E_BAD_RESPONSE)
			snprintf(err->trace_id, sizeof(err->trace_id), "%s",
				 r->trace_id);
		return rc;
	}
	tc_error_from_response(err, r->status, r->reason, r->body, r->body_len,
			       r->trace_id);
	fill_where(err, k->method, k->path);
	tc_copy(err->host, sizeof(err->host), k->host);
	if (r->status == 401)
		tc_client_log(k->c, LOG_WARNING, "%s: API key %s was refused "
			      "(HTTP 401): %s — check the public and private key",
			      k->host, k->c->public_key, err->message);
	return -1;
}

static void call_log(const struct call *k, int rc, const struct tc_error *err)
{
	unsigned long long ms;

	if (!k->c->debug)
		return;
	ms = (unsigned long long)call_elapsed(k);
	if (rc == 0 || err->http_status)
		tc_client_log(k->c, LOG_DEBUG, "%s %s %s -> %ld (%llu ms, trace %s, "
			      "retries %d)", k->method, k->host, k->uri,
			      k->resp.status, ms,
			      k->resp.trace_id[0] ? k->resp.trace_id : "-",
			      k->attempt);
	else
		tc_client_log(k->c, LOG_DEBUG, "%s %s %s -> %s: %s (%llu ms, "
			      "retries %d)", k->method, k->host, k->uri,
			      tc_strerror(err->kind), err->message, ms,
			      k->attempt);
}

static int request(tc_client *c, enum tc_family family, const char *method,
		   const char *path, json_t *body, json_t **out,
		   struct tc_error *err)
{
	struct call k;
	int rc = -1;
	enum step s;

	tc_error_clear(err);
	if (out)
		*out = NULL;
	if (call_prepare(&k, c, family, method, path, body, err) != 0) {
		call_release(&k);
		return -1;
	}
	atomic_fetch_add(&c->api_calls, 1);
	for (;;) {
		if (call_pace(&k, err) != 0)
			break;
		if (call_exchange(&k, err) != 0) {
			if (k.sent_auth < 0 ||
			    call_on_transport_failure(&k, &rc, err) == STEP_DONE) {
				note_reachability(&k, 0, err);
				break;
			}
			continue;
		}
		note_reachability(&k, 1, err);
		if (k.resp.date > 0) {
			atomic_store(&c->server_date, (int_fast64_t)k.resp.date);
			atomic_store(&c->server_date_local,
				     (int_fast64_t)time(NULL));
		}
		tc_ratelimit_observe(&c->ratelimit, c->clock.now_ms(c->clock.arg),
				     k.resp.rl_limit, k.resp.rl_remaining,
				     k.resp.rl_reset, k.resp.status == 429);
		if (call_on_challenge(&k) == STEP_REPEAT)
			continue;
		s = call_on_retryable_status(&k, &rc, err);
		if (s == STEP_REPEAT)
			continue;
		if (s == STEP_ON)
			rc = call_answer(&k, out, err);
		break;
	}
	call_log(&k, rc, err);
	call_release(&k);
	return rc;
}

int tc_request(tc_client *c, enum tc_family family, const char *method,
	       const char *path, json_t *body, json_t **out,
	       struct tc_error *err)
{
	int rc;

	if (!c || (unsigned)family >= TC_FAMILY_COUNT)
		return request(c, family, method, path, body, out, err);
	if (tc_inflight_enter(&c->inflight, family) != 0) {
		tc_error_clear(err);
		if (out)
			*out = NULL;
		fill_where(err, method ? method : "", path ? path : "");
		tc_error_set(err, TC_E_BUSY, "not sent: %d requests to %s are "
			     "already waiting for an answer (the API is slow or "
			     "stalled); try again", c->inflight.max,
			     tc_family_name(family));
		return -1;
	}
	rc = request(c, family, method, path, body, out, err);
	tc_inflight_leave(&c->inflight, family);
	return rc;
}
