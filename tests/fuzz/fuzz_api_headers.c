/* fuzz_api_headers — response header lines (api/transport.c) and the
 * rate-limit state they feed (api/ratelimit.c): every line of the input is
 * one header line as libcurl hands it over; after each "HTTP/" status line
 * the previous block is observed as if an exchange ended there. */
#include "fuzz_util.h"

static void observe(struct tc_ratelimit *rl, struct tc_http_response *r,
		    uint64_t *now)
{
	long wait;

	tc_ratelimit_observe(rl, *now, r->rl_limit, r->rl_remaining,
			     r->rl_reset, r->status == 429);
	wait = tc_ratelimit_reserve(rl, *now);
	if (wait < 0)
		abort();
	*now += (uint64_t)wait;
	if (tc_ratelimit_429_wait(r->rl_reset, 1000) < 0)
		abort();
	if (r->www_authenticate) {
		struct tc_digest_challenge ch;
		(void)tc_digest_parse(r->www_authenticate, &ch);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tc_http_response r;
	struct tc_ratelimit rl;
	const char *p = (const char *)data, *end = p + size;
	uint64_t now = 5000;

	tc_ratelimit_init(&rl);
	rl.fallback_limit = 100;
	tc_http_response_init(&r);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);

		if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
			observe(&rl, &r, &now);
			r.status = n >= 12 ? (p[9] - '0') * 100 : 200;
		}
		/* libcurl never passes a line with a NUL in it: copy to a
		 * buffer of exactly n bytes so overreads are caught. */
		char *line = malloc(n ? n : 1);
		if (!line)
			break;
		memcpy(line, p, n);
		if (tc_http_response_header(&r, line, n) != 0)
			abort();
		free(line);
		if (r.trace_id[sizeof(r.trace_id) - 1] != '\0' ||
		    r.reason[sizeof(r.reason) - 1] != '\0')
			abort();
		p += n;
	}
	observe(&rl, &r, &now);
	tc_http_response_release(&r);
	tc_ratelimit_destroy(&rl);
	return 0;
}
