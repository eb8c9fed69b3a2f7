/*
 * emufam.h — helpers for the emulator family tests (test_emulator_*.c):
 * one request with an expected status, string fields, and polling a state
 * until the --transition-ms timer moves it (emufam.c).
 */
#ifndef EMUFAM_H
#define EMUFAM_H

#include <jansson.h>

#include "emuhttp.h"

/* method url [body] must answer `want`; returns the parsed body (new
 * reference; NULL when not JSON). Fails the test otherwise. */
json_t *emufam_call(struct emuhttp *c, const char *method, const char *url,
		    const char *body, long want);
/* obj[key] as a string, "" when absent. */
const char *emufam_str(const json_t *obj, const char *key);
/* GET url until obj[key] == want (up to timeout_ms); 0 when reached. */
int emufam_wait_state(struct emuhttp *c, const char *url, const char *key,
		      const char *want, long timeout_ms);
/* An emulator argument list with --transition-ms 150 and no rate limit. */
extern const char *const emufam_fast_args[];

/* One unauthenticated request to a storage host (presigned URL), through
 * the emulator: body up to keep bytes kept (all bytes counted). */
struct emufam_raw {
	long status;
	char *body;             /* first `keep` bytes, NUL-terminated */
	size_t len;             /* bytes received */
	char content_range[128];
	char etag[80];
};
int emufam_raw(const struct testemu *e, const char *method, const char *url,
	       const char *range, const void *body, size_t body_len,
	       size_t keep, struct emufam_raw *out);
void emufam_raw_free(struct emufam_raw *r);

#endif

