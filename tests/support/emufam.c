/* emufam.c — helpers for the emulator family tests (emufam.h). */
#include "emufam.h"

#include <criterion/criterion.h>

#include <string.h>
#include <time.h>

const char *const emufam_fast_args[] = { "--transition-ms", "150",
					 "--rate-limit", "0", NULL };

json_t *emufam_call(struct emuhttp *c, const char *method, const char *url,
		    const char *body, long want)
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

const char *emufam_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

int emufam_wait_state(struct emuhttp *c, const char *url, const char *key,
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
