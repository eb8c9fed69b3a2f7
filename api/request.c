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
 *         backoff) and repeat, while the retry budget and max_retries last;
 *     2xx: parse the body (must be a JSON object; empty = {});
 *     otherwise: the error body becomes a struct tc_error.
 * Every wait is sliced (50 ms) and polls the interrupt callback. No lock is
 * held across an exchange or a wait.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include "tc_internal.h"

#define SLEEP_SLICE_MS 50
#define BACKOFF_BASE_MS 200
#define BACKOFF_CAP_MS 5000

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

int tc_request(tc_client *c, enum tc_family family, const char *method,
	       const char *path, json_t *body, json_t **out,
	       struct tc_error *err)
{
	struct tc_http_request req;
	struct tc_http_response resp;
	char *url = NULL, *text = NULL;
	char auth[8192], used_nonce[256];   /* a batch get's uri is ~3.5 KB */
	const char *uri;
	int idempotent, attempt = 0, rc = -1, sent_auth, stale_retried = 0;
	int no_auth_retried = 0, fetcher;
	uint64_t start, elapsed;
	size_t n;

	tc_error_clear(err);
	if (out)
		*out = NULL;
	if (!c || !method || !path || (unsigned)family >= TC_FAMILY_COUNT) {
		tc_error_set(err, TC_E_INVALID, "invalid arguments to tc_request");
		return -1;
	}
	fill_where(err, method, path);
	if (*path != '/') {
		tc_error_set(err, TC_E_INVALID, "path must start with '/'");
		return -1;
	}
	n = strlen(c->base_url[family]) + strlen(path) + 1;
	url = malloc(n);
	if (!url) {
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return -1;
	}
	snprintf(url, n, "%s%s", c->base_url[family], path);
	uri = url_path(url);
	if (body) {
		text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!text) {
			free(url);
			tc_error_set(err, TC_E_NOMEM, "cannot serialise the request body");
			return -1;
		}
	}
	idempotent = tc_method_idempotent(method);
	start = c->clock.now_ms(c->clock.arg);
	tc_http_response_init(&resp);
	atomic_fetch_add(&c->api_calls, 1);

	for (;;) {
		long wait;

		if (interrupted(c)) {
			rc = cancelled(err);
			break;
		}
		wait = tc_ratelimit_reserve(&c->ratelimit,
					    c->clock.now_ms(c->clock.arg));
		if (wait > 0 && nap(c, wait, 1) != 0) {
			rc = cancelled(err);
			break;
		}
		sent_auth = tc_digest_authorize(&c->digest, c->public_key,
						c->private_key, method, uri,
						auth, sizeof(auth), used_nonce,
						&fetcher);
		if (sent_auth < 0) {
			tc_error_set(err, TC_E_INTERNAL, "authorization header too long");
			break;
		}
		memset(&req, 0, sizeof(req));
		req.method = method;
		req.url = url;
		req.authorization = sent_auth ? auth : NULL;
		req.body = text;
		req.body_len = text ? strlen(text) : 0;
		req.connect_timeout_ms = c->connect_timeout_ms;
		req.timeout_ms = c->timeout_ms;
		req.low_speed_time_s = 30;
		req.max_body_bytes = c->max_body_bytes;
		req.interrupted = c->interrupted;
		req.interrupted_arg = c->interrupted_arg;

		tc_http_response_release(&resp);
		atomic_fetch_add(&c->requests, 1);
		int prc = c->tops->perform(c->transport, &req, &resp, err);
		if (fetcher && prc != 0)
			tc_digest_fetch_done(&c->digest);
		explicit_bzero(auth, sizeof(auth));
		elapsed = c->clock.now_ms(c->clock.arg) - start;
		if (prc != 0) {
			fill_where(err, method, path);
			if (err->kind == TC_E_CONNECT && idempotent &&
			    attempt < c->max_retries) {
				wait = tc_backoff_ms(attempt, tc_client_random(c));
				if ((long)elapsed + wait <= c->retry_budget_ms) {
					if (nap(c, wait, 0) != 0) {
						rc = cancelled(err);
						break;
					}
					attempt++;
					atomic_fetch_add(&c->retries, 1);
					continue;
				}
			}
			break;
		}
		tc_ratelimit_observe(&c->ratelimit, c->clock.now_ms(c->clock.arg),
				     resp.rl_limit, resp.rl_remaining,
				     resp.rl_reset, resp.status == 429);

		if (resp.status == 401 && resp.www_authenticate) {
			struct tc_digest_challenge ch;
			if (tc_digest_parse(resp.www_authenticate, &ch) == 0) {
				int worth = tc_digest_update(&c->digest, &ch,
							     sent_auth ? used_nonce : NULL);
				if (fetcher) {
					tc_digest_fetch_done(&c->digest);
					fetcher = 0;
				}
				if (!sent_auth && !no_auth_retried) {
					no_auth_retried = 1;
					continue;
				}
				if (sent_auth && worth && !stale_retried) {
					stale_retried = 1;
					continue;
				}
			}
		}
		if (fetcher)     /* no challenge came back: let another try */
			tc_digest_fetch_done(&c->digest);
		if (tc_status_retryable(resp.status) && idempotent &&
		    attempt < c->max_retries) {
			uint64_t rnd = tc_client_random(c);
			wait = resp.status == 429 ?
			       tc_ratelimit_429_wait(resp.rl_reset,
						     tc_backoff_ms(attempt, rnd)) :
			       tc_backoff_ms(attempt, rnd);
			if ((long)elapsed + wait <= c->retry_budget_ms) {
				if (nap(c, wait, resp.status == 429) != 0) {
					rc = cancelled(err);
					break;
				}
				attempt++;
				atomic_fetch_add(&c->retries, 1);
				continue;
			}
		}
		if (resp.status >= 200 && resp.status <= 299) {
			rc = parse_body(&resp, out, err);
			if (rc == 0)
				tc_error_clear(err);
			else
				fill_where(err, method, path);
			if (err->kind == TC_E_BAD_RESPONSE)
				snprintf(err->trace_id, sizeof(err->trace_id), "%s",
					 resp.trace_id);
			break;
		}
		tc_error_from_response(err, resp.status, resp.reason, resp.body,
				       resp.body_len, resp.trace_id);
		fill_where(err, method, path);
		if (resp.status == 401)
			tc_client_log(c, LOG_WARNING, "API key %s was refused "
				      "(HTTP 401): %s — check the public and "
				      "private key", c->public_key, err->message);
		break;
	}

	if (c->debug) {
		uint64_t ms = c->clock.now_ms(c->clock.arg) - start;
		if (rc == 0 || err->http_status)
			tc_client_log(c, LOG_DEBUG, "%s %s -> %ld (%llu ms, trace %s, "
				      "retries %d)", method, uri, resp.status,
				      (unsigned long long)ms,
				      resp.trace_id[0] ? resp.trace_id : "-", attempt);
		else
			tc_client_log(c, LOG_DEBUG, "%s %s -> %s: %s (%llu ms, "
				      "retries %d)", method, uri,
				      tc_strerror(err->kind), err->message,
				      (unsigned long long)ms, attempt);
	}
	tc_http_response_release(&resp);
	free(url);
	free(text);
	return rc;
}
