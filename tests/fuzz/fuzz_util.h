/*
 * fuzz_util.h — what the harnesses share (header-only; each harness is one
 * program): splitting an input into parts, and a scripted transport that
 * answers every API exchange from those parts, so that response bodies from
 * the fuzzer reach the client's parsing and the renderers.
 *
 * Input convention: parts are separated by the line "\n@@\n". A reply part
 * may start with "!NNN\n" to set its HTTP status (default 200).
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tc_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SEP "\n@@\n"
#define FUZZ_MAX_PARTS 16

struct fuzz_part {
	const char *p;
	size_t n;
};

/* Split data at FUZZ_SEP into at most max parts (the last one keeps the
 * rest). Returns the number of parts (at least 1). */
static inline size_t fuzz_split(const uint8_t *data, size_t size,
				struct fuzz_part *parts, size_t max)
{
	const char *p = (const char *)data, *end = p + size;
	size_t n = 0;

	while (n + 1 < max) {
		const char *s = memmem(p, (size_t)(end - p), FUZZ_SEP, 4);
		if (!s)
			break;
		parts[n].p = p;
		parts[n].n = (size_t)(s - p);
		n++;
		p = s + 4;
	}
	parts[n].p = p;
	parts[n].n = (size_t)(end - p);
	return n + 1;
}

/* A NUL-terminated copy (the caller frees). */
static inline char *fuzz_strndup(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* ---- scripted transport ------------------------------------------------ */
struct fuzz_tp {
	const struct fuzz_part *replies;
	size_t n, next;
	size_t calls;
	int cycle;      /* answer every exchange, going round the replies */
};

static inline int fuzz_tp_perform(void *self, const struct tc_http_request *req,
				  struct tc_http_response *resp,
				  struct tc_error *err)
{
	struct fuzz_tp *t = self;
	const char *p;
	size_t n;

	(void)req;
	tc_http_response_init(resp);
	t->calls++;
	if (t->cycle && t->n > 0 && t->next >= t->n)
		t->next = 0;
	if (t->n == 0 || t->next >= t->n || (!t->cycle && t->calls > 64)) {
		tc_error_set(err, TC_E_CONNECT, "fuzz: no more replies");
		return -1;
	}
	p = t->replies[t->next].p;
	n = t->replies[t->next].n;
	t->next++;
	resp->status = 200;
	if (n >= 5 && p[0] == '!') {
		resp->status = (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		if (resp->status < 100 || resp->status > 599)
			resp->status = 200;
		p += 5;
		n -= 5;
	}
	resp->body = fuzz_strndup(p, n);
	resp->body_len = n;
	return 0;
}

static const struct tc_transport_ops fuzz_tp_ops = { .perform = fuzz_tp_perform };

static inline uint64_t fuzz_clock_now(void *arg)
{
	uint64_t *now = arg;
	return *now;
}

static inline void fuzz_clock_sleep(void *arg, long ms)
{
	uint64_t *now = arg;
	*now += (uint64_t)(ms > 0 ? ms : 0);
}

/* A client on the scripted transport and a clock that never waits. */
static inline tc_client *fuzz_client(struct fuzz_tp *tp, uint64_t *now)
{
	struct tc_config cfg;
	struct tc_clock clk = { fuzz_clock_now, fuzz_clock_sleep, now };
	struct tc_error err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.public_key = "FUZZPUBLIC";
	cfg.private_key = "fuzz-private-key";
	cfg.max_retries = -1;
	return tc_client_new_with_transport(&cfg, &fuzz_tp_ops, tp, &clk, &err);
}

#endif
