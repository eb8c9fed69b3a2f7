/* Unit tests: pacing from X-Ratelimit-* headers with a fake clock. */
#include <criterion/criterion.h>
#include "fake_transport.h"

static struct tc_ratelimit rl;

static void rl_setup(void) { tc_ratelimit_init(&rl); }
static void rl_teardown(void) { tc_ratelimit_destroy(&rl); }

TestSuite(reserve, .init = rl_setup, .fini = rl_teardown);

Test(reserve, large_remaining_never_waits)
{
	tc_ratelimit_observe(&rl, 0, 100, 90, 30, 0);
	for (int i = 0; i < 60; i++)
		cr_expect_eq(tc_ratelimit_reserve(&rl, 100), 0, "request %d", i);
}

Test(reserve, low_remaining_is_spread_until_reset)
{
	static const long want[] = { 0, 6000, 12000, 18000, 24000, 30250 };

	tc_ratelimit_observe(&rl, 0, 100, 5, 30, 0);
	for (int i = 0; i < 6; i++)
		cr_expect_eq(tc_ratelimit_reserve(&rl, 0), want[i], "slot %d", i);
}

Test(reserve, exhausted_waits_for_reset)
{
	tc_ratelimit_observe(&rl, 1000, 100, 0, 10, 0);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 1000), 10250);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 5000), 6250);
	/* the window is over: full speed until the next response says otherwise */
	cr_expect_eq(tc_ratelimit_reserve(&rl, 11000), 0);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 11001), 0);
}

Test(reserve, response_refreshes_the_estimate)
{
	tc_ratelimit_observe(&rl, 0, 100, 3, 30, 0);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 0), 0);
	tc_ratelimit_observe(&rl, 100, 100, 100, 60, 0);   /* new window */
	cr_expect_eq(tc_ratelimit_reserve(&rl, 100), 0);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 100), 0);
}

Test(reserve, a_429_blocks_every_thread)
{
	tc_ratelimit_observe(&rl, 0, 100, 0, 5, 1);
	cr_expect_geq(tc_ratelimit_reserve(&rl, 0), 5000);
	cr_expect_geq(tc_ratelimit_reserve(&rl, 2000), 3000);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 6000), 0);
}

/* A reset far beyond the API's one-minute window is capped at a minute:
 * neither pacing nor the wait after a 429 parks a thread for longer. */
Test(reserve, absurd_reset_is_capped)
{
	tc_ratelimit_observe(&rl, 0, 100, 0, 99999999, 1);
	cr_expect_leq(tc_ratelimit_reserve(&rl, 0), 60250);
	cr_expect_leq(tc_ratelimit_429_wait(99999999, 0), 60250);
	cr_expect_eq(tc_ratelimit_429_wait(5, 0), 5250);
	cr_expect_eq(tc_ratelimit_429_wait(-1, 700), 700);
}

Test(reserve, disabled)
{
	rl.enabled = 0;
	tc_ratelimit_observe(&rl, 0, 100, 0, 50, 1);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 0), 0);
}

Test(reserve, local_window_before_any_header)
{
	rl.fallback_limit = 10;
	for (int i = 0; i < 8; i++)
		cr_expect_eq(tc_ratelimit_reserve(&rl, 1), 0, "request %d", i);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 1), 0);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 1), 30000);
	cr_expect_eq(tc_ratelimit_reserve(&rl, 1), 60250);
}

/* ---- a fake server with a real window, driven through tc_request ---- */

struct window { long limit; uint64_t start; long count; long limited; };
static struct window win;
static struct fake_clock clk;

static int window_server(struct fake *f, const struct tc_http_request *req,
			 struct tc_http_response *resp, struct tc_error *err)
{
	uint64_t now = fake_now(&clk);
	(void)req; (void)err; (void)f;
	if (now >= win.start + 60000) {
		win.start = now;
		win.count = 0;
	}
	resp->rl_limit = win.limit;
	resp->rl_reset = (long)((win.start + 60000 - now + 999) / 1000);
	if (win.count >= win.limit) {
		win.limited++;
		resp->status = 429;
		resp->rl_remaining = 0;
		resp->body = strdup("{\"code\":49900007,\"message\":\"limit\"}");
	} else {
		win.count++;
		resp->status = 200;
		resp->rl_remaining = win.limit - win.count;
		resp->body = strdup("{}");
	}
	resp->body_len = strlen(resp->body);
	return 0;
}

static tc_client *window_client(long limit, long latency)
{
	struct fake *f = fake_new(NULL, 0);
	struct tc_config cfg = { .public_key = "p", .private_key = "k",
				 .retry_budget_ms = 120000 };
	memset(&win, 0, sizeof(win));
	win.limit = limit;
	win.start = 1000;
	fake_clock_init(&clk, 1000);
	f->handler = window_server;
	f->latency_ms = latency;
	return fake_client(f, &clk, &cfg);
}

Test(pacing, burst_over_the_limit_sees_no_429)
{
	tc_client *c = window_client(10, 20);
	struct tc_error e;
	struct tc_stats st;
	json_t *out;

	for (int i = 0; i < 30; i++) {
		cr_assert_eq(tc_request(c, TC_FAMILY_IAM, "GET", "/projects", NULL, &out, &e), 0,
			     "request %d: %s", i, e.message);
		json_decref(out);
	}
	cr_expect_eq(win.limited, 0, "pacing kept every request under the limit");
	tc_client_stats(c, &st);
	cr_expect_eq(st.retries, 0);
	cr_expect_gt(st.throttled_ms, 0);
	cr_expect_eq(st.ratelimit_limit, 10);
	/* 30 requests at 10/min need two resets: over 120 s ... */
	cr_expect_geq(fake_now(&clk) - 1000, 120000);
	/* ... and the last two of the third window are spread over its rest. */
	cr_expect_leq(fake_now(&clk) - 1000, 155000, "took %llu ms",
		      (unsigned long long)(fake_now(&clk) - 1000));
	tc_client_free(c);
}

Test(pacing, within_the_limit_never_sleeps)
{
	tc_client *c = window_client(100, 5);
	struct tc_error e;
	json_t *out;

	for (int i = 0; i < 70; i++) {
		cr_assert_eq(tc_request(c, TC_FAMILY_IAM, "GET", "/projects", NULL, &out, &e), 0);
		json_decref(out);
	}
	cr_expect_eq(clk.slept, 70 * 5, "only the fake latency");
	tc_client_free(c);
}

Test(pacing, without_pacing_429_is_waited_out)
{
	tc_client *c = window_client(10, 1);
	struct tc_error e;
	struct tc_stats st;
	json_t *out;

	tc_client_set_pacing(c, 0);
	for (int i = 0; i < 12; i++) {
		cr_assert_eq(tc_request(c, TC_FAMILY_IAM, "GET", "/projects", NULL, &out, &e), 0,
			     "%s", e.message);
		json_decref(out);
	}
	cr_expect_eq(win.limited, 1);
	tc_client_stats(c, &st);
	cr_expect_eq(st.retries, 1);
	cr_expect_geq(st.throttled_ms, 59000);
	tc_client_free(c);
}
