/*
 * emuhttp.h — a small libcurl client for tests that talk to the emulator.
 *
 * One struct emuhttp is one curl easy handle (so keep-alive and the digest
 * nonce are reused between its requests), sending every connection to the
 * emulator (CURLOPT_CONNECT_TO) while keeping the real host names, and
 * trusting the test CA. Not thread-safe per handle; use one per thread.
 */
#ifndef EMUHTTP_H
#define EMUHTTP_H

#include <curl/curl.h>
#include <jansson.h>

#include "testemu.h"

struct emuhttp {
	CURL *h;
	struct curl_slist *connect_to;
};

struct emuhttp_resp {
	long status;
	json_t *body;          /* parsed body, or NULL if not JSON */
	char *raw;             /* raw body text (never NULL after a request) */
	char trace_id[80];     /* X-Debug-Trace-Id of the final response */
	long rl_limit, rl_remaining, rl_reset;   /* -1 when absent */
	char www_auth[1024];   /* every WWW-Authenticate value seen, '\n'-joined */
	double seconds;        /* total time of the exchange */
};

/* user/pass NULL: no authentication. 0 on success. */
int emuhttp_open(struct emuhttp *c, const struct testemu *e, const char *user,
		 const char *pass);
/* The test credentials (TESTEMU_PUBLIC_KEY / TESTEMU_PRIVATE_KEY). */
int emuhttp_open_auth(struct emuhttp *c, const struct testemu *e);
void emuhttp_close(struct emuhttp *c);

/* method "GET"..., url "https://serverless.tidbapi.com/v1beta1/clusters",
 * body NULL or JSON text. Extra headers (NULL-terminated, may be NULL).
 * Returns the CURLcode; the response is in out (free with emuhttp_free). */
int emuhttp_request(struct emuhttp *c, const char *method, const char *url,
		    const char *body, const char *const *headers,
		    struct emuhttp_resp *out);
void emuhttp_free(struct emuhttp_resp *r);

/* One request on a fresh authenticated handle; returns the parsed body (new
 * reference, NULL on failure) and sets *status. */
json_t *emuhttp_json(const struct testemu *e, const char *method,
		     const char *url, const char *body, long *status);

#endif
