/*
 * test_emulator_faults.c — the emulator's test knobs: --rate-window-ms and
 * injected faults (/_emulator/faults). Raw HTTP through emuhttp, so that
 * what the emulator sends is seen as it is.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emuhttp.h"
#include "testemu.h"

#define SL "https://serverless.tidbapi.com"
#define V1 "https://api.tidbcloud.com"
#define WEB SL "/v1beta1/clusters/10058425682284910923"
#define WEB_ROUTE "GET serverless /v1beta1/clusters/{id}"

static struct testemu emu;

static void start(const char *const *extra)
{
	cr_assert_eq(testemu_start(&emu, extra), 0, "emulator did not start");
}

static void stop(void)
{
	cr_assert_eq(testemu_stop(&emu), 0, "emulator did not exit cleanly");
}

static void start_default(void) { start(NULL); }

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An authenticated handle; fresh: a new connection for every request (so
 * that libcurl does not silently resend a request whose reused connection
 * was closed unanswered). */
static void open_handle(struct emuhttp *c, bool fresh)
{
	cr_assert_eq(emuhttp_open_auth(c, &emu), 0);
	if (fresh)
		curl_easy_setopt(c->h, CURLOPT_FORBID_REUSE, 1L);
}

static void get_ok(struct emuhttp *c, const char *url)
{
	struct emuhttp_resp r;
	int rc = emuhttp_request(c, "GET", url, NULL, NULL, &r);
	cr_assert_eq(rc, CURLE_OK, "GET %s: curl error %d", url, rc);
	cr_assert_eq(r.status, 200, "GET %s: %ld %s", url, r.status, r.raw);
	emuhttp_free(&r);
}

static void arm(const char *spec)
{
	cr_assert_eq(testemu_fault(&emu, spec), 0, "fault refused: %s", spec);
}

/* ---- --rate-window-ms ------------------------------------------------ */

static void start_short_window(void)
{
	static const char *const a[] = { "--rate-limit", "3", "--rate-window-ms",
					 "1500", NULL };
	start(a);
}

Test(window, short_window_resets_in_whole_seconds, .init = start_short_window,
     .fini = stop, .timeout = 30)
{
	struct emuhttp c;
	struct emuhttp_resp r;
	double t0 = now_s();

	open_handle(&c, false);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(emuhttp_request(&c, "GET", WEB, NULL, NULL, &r), CURLE_OK);
		cr_assert_eq(r.status, 200);
		cr_assert_eq(r.rl_remaining, 2 - i);
		/* 1.5 s rounds up to 2; never 0, never a whole minute */
		cr_assert(r.rl_reset >= 1 && r.rl_reset <= 2, "reset %ld", r.rl_reset);
		emuhttp_free(&r);
	}
	cr_assert_eq(emuhttp_request(&c, "GET", WEB, NULL, NULL, &r), CURLE_OK);
	cr_assert_eq(r.status, 429);
	long reset = r.rl_reset;
	cr_assert(reset >= 1 && reset <= 2, "reset %ld", reset);
	emuhttp_free(&r);

	usleep((useconds_t)reset * 1000000);
	cr_assert_eq(emuhttp_request(&c, "GET", WEB, NULL, NULL, &r), CURLE_OK);
	cr_assert_eq(r.status, 200, "a new window after X-Ratelimit-Reset seconds");
	cr_assert_eq(r.rl_remaining, 2);
	emuhttp_free(&r);
	emuhttp_close(&c);
	cr_assert_lt(now_s() - t0, 5.0);
	cr_assert_eq(testemu_stat(&emu, "rate_limited"), 1);
}

Test(window, zero_window_is_a_usage_error, .timeout = 30)
{
	static const char *const a[] = { "--rate-window-ms", "0", NULL };
	cr_assert_neq(testemu_start(&emu, a), 0, "the emulator must refuse it");
}

/* ---- faults ------------------------------------------------------------ */

TestSuite(faults, .init = start_default, .fini = stop, .timeout = 30);

Test(faults, status_hits_count_requests_of_its_route)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	open_handle(&c, false);
	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"status\",\"status\":503,\"count\":2}");
	get_ok(&c, V1 "/api/v1beta/projects");        /* another route: untouched */
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(emuhttp_request(&c, "GET", WEB, NULL, NULL, &r), CURLE_OK);
		cr_assert_eq(r.status, 503);
		cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 14,
			     "google.rpc UNAVAILABLE: %s", r.raw);
		cr_assert(json_is_string(json_object_get(r.body, "message")));
		cr_assert(r.rl_limit > 0, "rate-limit headers as on any answer");
		emuhttp_free(&r);
	}
	get_ok(&c, WEB);                               /* count used up */
	emuhttp_close(&c);
	cr_assert_eq(testemu_stat(&emu, "faults_injected"), 2);
	cr_assert_eq(testemu_route(&emu, WEB_ROUTE), 3, "faulted requests count");
	json_t *f = testemu_call(&emu, "GET", "/_emulator/faults", NULL, NULL);
	cr_assert_eq(json_array_size(json_object_get(f, "faults")), 0, "cleared");
	json_decref(f);
}

Test(faults, any_route_uses_the_family_shape)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	open_handle(&c, false);
	arm("{\"kind\":\"status\",\"status\":500}");
	cr_assert_eq(emuhttp_request(&c, "GET", V1 "/api/v1beta/projects", NULL,
				     NULL, &r), CURLE_OK);
	cr_assert_eq(r.status, 500);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 49900000,
		     "v1beta shape: %s", r.raw);
	emuhttp_free(&r);
	get_ok(&c, V1 "/api/v1beta/projects");
	emuhttp_close(&c);
}

Test(faults, reset_closes_without_an_answer)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	open_handle(&c, true);
	get_ok(&c, WEB);                               /* digest warm-up */
	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"reset\"}");
	int rc = emuhttp_request(&c, "GET", WEB, NULL, NULL, &r);
	cr_assert(rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR,
		  "curl error %d, status %ld", rc, r.status);
	emuhttp_free(&r);
	get_ok(&c, WEB);
	emuhttp_close(&c);
	cr_assert_eq(testemu_stat(&emu, "faults_injected"), 1);

	json_t *log = testemu_call(&emu, "GET", "/_emulator/requests", NULL, NULL);
	json_t *all = json_object_get(log, "requests");
	int zeros = 0;
	for (size_t i = 0; i < json_array_size(all); i++)
		zeros += json_integer_value(json_object_get(json_array_get(all, i),
							    "status")) == 0;
	cr_assert_eq(zeros, 1, "the reset is logged with status 0");
	json_decref(log);
}

Test(faults, stall_delays_then_answers)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	open_handle(&c, false);
	get_ok(&c, WEB);
	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"stall\",\"stall_ms\":800}");
	double t0 = now_s();
	get_ok(&c, WEB);
	cr_assert_geq(now_s() - t0, 0.75);
	t0 = now_s();
	cr_assert_eq(emuhttp_request(&c, "GET", WEB, NULL, NULL, &r), CURLE_OK);
	emuhttp_free(&r);
	cr_assert_lt(now_s() - t0, 0.5, "only count requests stall");
	emuhttp_close(&c);
}

Test(faults, truncate_sends_less_than_content_length)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	open_handle(&c, false);
	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"truncate\"}");
	int rc = emuhttp_request(&c, "GET", WEB, NULL, NULL, &r);
	cr_assert_eq(rc, CURLE_PARTIAL_FILE, "curl error %d", rc);
	cr_assert_eq(r.status, 200);
	cr_assert_gt(strlen(r.raw), 0, "part of the body arrived");
	cr_assert_null(r.body, "and it is not whole JSON");
	emuhttp_free(&r);
	emuhttp_close(&c);
	open_handle(&c, false);
	get_ok(&c, WEB);
	emuhttp_close(&c);
}

Test(faults, malformed_is_200_not_json)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	open_handle(&c, false);
	arm("{\"kind\":\"malformed\",\"count\":1}");
	cr_assert_eq(emuhttp_request(&c, "GET", WEB, NULL, NULL, &r), CURLE_OK);
	cr_assert_eq(r.status, 200);
	cr_assert_gt(strlen(r.raw), 0);
	cr_assert_null(r.body, "not JSON: %s", r.raw);
	emuhttp_free(&r);
	get_ok(&c, WEB);
	emuhttp_close(&c);
}

Test(faults, bad_specs_are_400_and_delete_clears)
{
	static const char *const bad[] = {
		"not json", "[]", "{}", "{\"kind\":\"explode\"}",
		"{\"kind\":\"status\",\"status\":200}",
		"{\"kind\":\"reset\",\"count\":0}",
		"{\"kind\":\"stall\",\"stall_ms\":-1}",
		"{\"kind\":\"reset\",\"route\":\"GET serverless /v1beta1/nothing\"}",
		"{\"kind\":\"reset\",\"route\":5}",
	};
	long status;
	json_t *r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = testemu_call(&emu, "POST", "/_emulator/faults", bad[i], &status);
		cr_expect_eq(status, 400, "%s accepted", bad[i]);
		cr_expect(json_is_string(json_object_get(r, "message")), "%s", bad[i]);
		json_decref(r);
	}
	arm("{\"kind\":\"reset\",\"count\":5}");
	arm("{\"kind\":\"status\"}");
	r = testemu_call(&emu, "DELETE", "/_emulator/faults", NULL, &status);
	cr_assert_eq(status, 200);
	cr_assert_eq(json_array_size(json_object_get(r, "faults")), 0);
	json_decref(r);

	struct emuhttp c;
	open_handle(&c, false);
	get_ok(&c, WEB);
	emuhttp_close(&c);
	cr_assert_eq(testemu_stat(&emu, "faults_injected"), 0);
}
