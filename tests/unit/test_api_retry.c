/* Unit tests: retry and backoff decisions (fake transport, fake clock). */
#include <criterion/criterion.h>
#include <errno.h>
#include "fake_transport.h"

#define OK200 { .status = 200, .body = "{}" }

static struct fake *f;
static struct fake_clock clk;
static tc_client *c;

static void setup_with(const struct fake_reply *script, size_t n,
		       const struct tc_config *cfg)
{
	f = fake_new(script, n);
	fake_clock_init(&clk, 5000);
	c = fake_client(f, &clk, cfg);
	cr_assert(c);
	tc_client_set_pacing(c, 0);
}

static void teardown_client(void)
{
	tc_client_free(c);
	c = NULL;
}

#define SETUP(script) setup_with(script, sizeof(script) / sizeof(script[0]), NULL)

static int get(json_t **out, struct tc_error *e)
{
	return tc_request(c, TC_FAMILY_DEDICATED, "GET", "/clusters", NULL, out, e);
}

Test(policy, backoff_bounds)
{
	for (int a = 0; a < 12; a++) {
		long base = 200L << (a < 5 ? a : 5);
		if (base > 5000)
			base = 5000;
		for (uint64_t r = 0; r < 5000; r += 37) {
			long d = tc_backoff_ms(a, r * 2654435761u);
			cr_assert_geq(d, base / 2, "attempt %d", a);
			cr_assert_leq(d, base + base / 2, "attempt %d", a);
		}
	}
}

Test(policy, methods_and_statuses)
{
	cr_expect(tc_method_idempotent("GET"));
	cr_expect(tc_method_idempotent("DELETE"));
	cr_expect(tc_method_idempotent("PATCH"));
	cr_expect(tc_method_idempotent("PUT"));
	cr_expect(!tc_method_idempotent("POST"));
	cr_expect(tc_status_retryable(429));
	cr_expect(tc_status_retryable(502));
	cr_expect(tc_status_retryable(503));
	cr_expect(tc_status_retryable(504));
	cr_expect(!tc_status_retryable(500));
	cr_expect(!tc_status_retryable(404));
	cr_expect(!tc_status_retryable(409));
}

Test(retry, get_retried_on_5xx, .fini = teardown_client)
{
	static const struct fake_reply s[] = {
		{ .status = 503, .body = "busy" }, { .status = 502 }, { .status = 504 }, OK200,
	};
	struct tc_error e;
	struct tc_stats st;
	json_t *out;

	SETUP(s);
	cr_assert_eq(get(&out, &e), 0, "%s", e.message);
	json_decref(out);
	cr_expect_eq(f->nreq, 4);
	tc_client_stats(c, &st);
	cr_expect_eq(st.retries, 3);
	/* three backoffs: 100..300 + 200..600 + 400..1200 ms */
	cr_expect_geq(clk.slept, 700);
	cr_expect_leq(clk.slept, 2100);
}

Test(retry, post_never_retried, .fini = teardown_client)
{
	static const struct fake_reply s[] = { { .status = 503 }, OK200 };
	struct tc_error e;
	json_t *out = NULL, *body = json_pack("{ss}", "name", "p");

	SETUP(s);
	cr_expect_eq(tc_request(c, TC_FAMILY_V1BETA, "POST", "/projects", body, &out, &e), -1);
	json_decref(body);
	cr_expect_eq(f->nreq, 1);
	cr_expect_eq(e.http_status, 503);
	cr_expect_eq(tc_error_errno(&e, 1), EIO);
	cr_expect_str_eq(e.method, "POST");
	cr_expect_str_eq(e.path, "/projects");
	cr_expect_eq(clk.slept, 0);
}

Test(retry, post_not_retried_on_connection_failure, .fini = teardown_client)
{
	static const struct fake_reply s[] = { { .fail = TC_E_CONNECT }, OK200 };
	struct tc_error e;
	json_t *out = NULL;

	SETUP(s);
	cr_expect_eq(tc_request(c, TC_FAMILY_DEDICATED, "POST", "/clusters/1:pauseCluster",
				NULL, &out, &e), -1);
	cr_expect_eq(f->nreq, 1);
	cr_expect_eq(tc_error_errno(&e, 0), EHOSTUNREACH);
}

Test(retry, post_resent_after_401_challenge, .fini = teardown_client)
{
	static const struct fake_reply s[] = {
		{ .status = 401, .www_auth = "Digest realm=\"r\", nonce=\"n\", qop=\"auth\"" },
		OK200,
	};
	struct tc_error e;
	json_t *out = NULL;

	SETUP(s);
	cr_assert_eq(tc_request(c, TC_FAMILY_SERVERLESS, "POST", "/clusters", NULL, &out, &e), 0);
	json_decref(out);
	cr_expect_eq(f->nreq, 2);
	cr_expect_null(f->auth[0]);
	cr_expect(f->auth[1] && strstr(f->auth[1], "nonce=\"n\""));
	cr_expect_null(f->body[1], "no body given, none sent");
}

Test(retry, get_retried_on_connection_failure, .fini = teardown_client)
{
	static const struct fake_reply s[] = { { .fail = TC_E_CONNECT }, OK200 };
	struct tc_error e;
	json_t *out;

	SETUP(s);
	cr_assert_eq(get(&out, &e), 0);
	json_decref(out);
	cr_expect_eq(f->nreq, 2);
}

/* A host that could not be reached after the retries is tried once, not
 * retried, for a while (3 s); any answer ends that at once. */
Test(retry, unreachable_host_fails_fast, .fini = teardown_client)
{
	static const struct fake_reply s[] = {
		{ .fail = TC_E_CONNECT }, { .fail = TC_E_CONNECT }, { .fail = TC_E_CONNECT },
		{ .fail = TC_E_CONNECT }, { .fail = TC_E_CONNECT },   /* 1 + 4 retries */
		{ .fail = TC_E_CONNECT },                              /* once, no retry */
		OK200,                                                 /* back: answered */
		{ .fail = TC_E_CONNECT }, OK200,                       /* retried again */
	};
	struct tc_error e;
	json_t *out = NULL;

	SETUP(s);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(tc_error_errno(&e, 0), EHOSTUNREACH);
	cr_expect_eq(f->nreq, 5);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(tc_error_errno(&e, 0), EHOSTUNREACH);
	cr_expect_eq(f->nreq, 6, "the second call was not retried");
	cr_assert_eq(get(&out, &e), 0, "%s", e.message);
	json_decref(out);
	cr_expect_eq(f->nreq, 7);
	cr_assert_eq(get(&out, &e), 0, "%s", e.message);
	json_decref(out);
	cr_expect_eq(f->nreq, 9, "after an answer, connection failures are retried");
}

Test(retry, timeout_and_tls_not_retried, .fini = teardown_client)
{
	static const struct fake_reply s[] = { { .fail = TC_E_TIMEOUT }, { .fail = TC_E_TLS }, OK200 };
	struct tc_error e;
	json_t *out = NULL;

	SETUP(s);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(tc_error_errno(&e, 0), ETIMEDOUT);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(e.kind, TC_E_TLS);
	cr_expect_eq(tc_error_errno(&e, 0), EIO);
	cr_expect_eq(f->nreq, 2);
}

Test(retry, not_found_not_retried, .fini = teardown_client)
{
	static const struct fake_reply s[] = {
		{ .status = 404, .body = "{\"code\":5,\"message\":\"no such cluster\"}", .trace = "tr" },
		OK200,
	};
	struct tc_error e;
	json_t *out = NULL;

	SETUP(s);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(f->nreq, 1);
	cr_expect_eq(tc_error_errno(&e, 0), ENOENT);
	cr_expect_str_eq(e.message, "no such cluster");
	cr_expect_str_eq(e.trace_id, "tr");
}

Test(retry, max_retries_then_eio, .fini = teardown_client)
{
	static const struct fake_reply s[] = { { .status = 503 } };
	struct tc_error e;
	json_t *out = NULL;

	SETUP(s);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(f->nreq, 5, "1 + max_retries (4)");
	cr_expect_eq(tc_error_errno(&e, 0), EIO);
	cr_expect_str_eq(e.message, "HTTP 503 Service Unavailable");
}

Test(retry, never_when_disabled)
{
	static const struct fake_reply s[] = { { .status = 503 }, OK200 };
	struct tc_config cfg = { .public_key = "p", .private_key = "k", .max_retries = -1 };
	struct tc_error e;
	json_t *out = NULL;

	setup_with(s, 2, &cfg);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(f->nreq, 1);
	teardown_client();
}

Test(retry, budget_bounds_total_time)
{
	static const struct fake_reply s[] = { { .status = 502 } };
	struct tc_config cfg = { .public_key = "p", .private_key = "k", .max_retries = 100,
				 .retry_budget_ms = 3000 };
	struct tc_error e;
	json_t *out = NULL;

	setup_with(s, 1, &cfg);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_leq(clk.slept, 3000);
	cr_expect_lt(f->nreq, 10);
	teardown_client();
}

Test(retry, on_429_waits_for_reset, .fini = teardown_client)
{
	static const struct fake_reply s[] = {
		{ .status = 429, .body = "{\"code\":49900007,\"message\":\"limit\"}",
		  .rl_present = 1, .rl_limit = 100, .rl_remaining = 0, .rl_reset = 3 },
		{ .status = 200, .body = "{}", .rl_present = 1, .rl_limit = 100,
		  .rl_remaining = 99, .rl_reset = 60 },
	};
	struct tc_error e;
	json_t *out;

	SETUP(s);
	tc_client_set_pacing(c, 1);
	cr_assert_eq(get(&out, &e), 0);
	json_decref(out);
	cr_expect_eq(f->nreq, 2);
	cr_expect_geq(clk.slept, 3000);
	cr_expect_leq(clk.slept, 3600);
}

Test(retry, on_429_beyond_budget_is_eagain_now, .fini = teardown_client)
{
	static const struct fake_reply s[] = {
		{ .status = 429, .body = "{\"code\":49900007,\"message\":\"The request exceeded the limit of 100 times per apikey per minute.\"}",
		  .rl_present = 1, .rl_limit = 100, .rl_remaining = 0, .rl_reset = 45 },
		OK200,
	};
	struct tc_error e;
	json_t *out = NULL;

	SETUP(s);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(f->nreq, 1);
	cr_expect_eq(clk.slept, 0, "no point sleeping past the budget");
	cr_expect_eq(tc_error_errno(&e, 0), EAGAIN);
	cr_expect_str_eq(e.api_code, "49900007");
}

static int stop_after;
static int interrupt_cb(void *arg)
{
	(void)arg;
	return clk.slept >= (uint64_t)stop_after;
}

Test(retry, interrupt_during_backoff)
{
	static const struct fake_reply s[] = { { .status = 503 } };
	struct tc_config cfg = { .public_key = "p", .private_key = "k",
				 .interrupted = interrupt_cb };
	struct tc_error e;
	json_t *out = NULL;

	stop_after = 150;
	setup_with(s, 1, &cfg);
	cr_expect_eq(get(&out, &e), -1);
	cr_expect_eq(e.kind, TC_E_CANCELLED);
	cr_expect_eq(tc_error_errno(&e, 0), EINTR);
	cr_expect_leq(clk.slept, 250, "sleeps are sliced");
	teardown_client();
}
