/* Integration tests: libtidbcloud against tidbcloud-emulator (TLS, digest,
 * connection reuse, paging, rate limits, timeouts, errors, injected
 * faults). */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "tc_internal.h"
#include "testemu.h"

static struct testemu emu;

static void start(const char *const *extra)
{
	cr_assert_eq(testemu_start(&emu, extra), 0, "cannot start the emulator "
		     "(TCFS_BUILD_DIR=%s)", getenv("TCFS_BUILD_DIR"));
}

static void stop(void)
{
	testemu_stop(&emu);
}

static struct tc_config config(void)
{
	struct tc_config cfg = { 0 };
	cfg.public_key = TESTEMU_PUBLIC_KEY;
	cfg.private_key = TESTEMU_PRIVATE_KEY;
	cfg.connect_to = emu.connect_to;
	cfg.cacert = emu.cacert;
	cfg.timeout_ms = 20000;
	return cfg;
}

static tc_client *client(void)
{
	struct tc_config cfg = config();
	struct tc_error e;
	tc_client *c = tc_client_new(&cfg, &e);
	cr_assert(c, "%s", e.message);
	return c;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* One snapshot of the emulator's stats. Every testemu_stat() call opens a
 * connection of its own, which the emulator counts: read all fields from one
 * snapshot and discount that one connection. */
struct snap { long requests, challenges, connections, rate_limited; };

static struct snap snapshot(void)
{
	json_t *s = testemu_stats(&emu);
	struct snap out = { -1, -1, -1, -1 };

	cr_assert(s, "cannot read /_emulator/stats");
	out.requests = (long)json_integer_value(json_object_get(s, "requests"));
	out.challenges = (long)json_integer_value(json_object_get(s, "challenges"));
	out.connections = (long)json_integer_value(json_object_get(s, "connections")) - 1;
	out.rate_limited = (long)json_integer_value(json_object_get(s, "rate_limited"));
	json_decref(s);
	return out;
}

#define WEB_ID "10058425682284910923"        /* starter, production */
#define ORDERS_ID "10058425682284910921"     /* dedicated, production */
#define PRODUCTION "1372813089189561287"

static void start_unlimited(void)
{
	static const char *const a[] = { "--rate-limit", "0", NULL };
	start(a);
}

TestSuite(emu, .init = start_unlimited, .fini = stop);

Test(emu, resources_round_trip)
{
	tc_client *c = client();
	struct tc_error e;
	json_t *items, *out;

	cr_assert_eq(tc_projects_list(c, &items, &e), 0, "%s", tc_error_format(&e, (char[600]){0}, 600));
	cr_expect_eq(json_array_size(items), 5);
	json_decref(items);
	cr_assert_eq(tc_serverless_clusters_list(c, PRODUCTION, &items, &e), 0, "%s", e.message);
	cr_expect_eq(json_array_size(items), 2, "website and orders-cache");
	json_decref(items);
	cr_assert_eq(tc_dedicated_clusters_list(c, PRODUCTION, &items, &e), 0, "%s", e.message);
	cr_expect_eq(json_array_size(items), 1);
	json_decref(items);
	cr_assert_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s", e.message);
	cr_expect_str_eq(json_string_value(json_object_get(out, "displayName")), "website");
	json_decref(out);
	cr_assert_eq(tc_dedicated_cluster_get(c, ORDERS_ID, &out, &e), 0, "%s", e.message);
	cr_expect_str_eq(json_string_value(json_object_get(out, "displayName")), "orders-db");
	json_decref(out);
	cr_assert_eq(tc_regions_list(c, TC_FAMILY_SERVERLESS, &items, &e), 0, "%s", e.message);
	cr_expect_gt(json_array_size(items), 0);
	json_decref(items);
	cr_assert_eq(tc_regions_list(c, TC_FAMILY_DEDICATED, &items, &e), 0, "%s", e.message);
	cr_expect_gt(json_array_size(items), 0);
	json_decref(items);

	cr_expect_eq(tc_serverless_cluster_get(c, "999", &out, &e), -1);
	cr_expect_eq(e.http_status, 404);
	cr_expect_eq(tc_error_errno(&e, 0), ENOENT);
	cr_expect(e.message[0] && strncmp(e.message, "HTTP ", 5) != 0, "%s", e.message);
	cr_expect(e.trace_id[0], "X-Debug-Trace-Id captured");
	tc_client_free(c);
}

/* tc_put_url: a part PUT to the presigned URL of startUpload reaches the
 * storage host through connect_to with the same CA, without digest, and
 * brings back its ETag; completeUpload accepts it. */
Test(emu, put_url_upload_part)
{
	tc_client *c = client();
	const char *ids[5] = { "10058425682284910923", "t.csv", "1", "db", "t" };
	const char *cids[2] = { ids[0], NULL };
	struct tc_error e;
	json_t *out = NULL, *parts;
	const char *url;
	char etag[64], bad[1024];

	cr_assert_eq(tc_call(c, &tc_desc_serverless_import_start_upload, ids, 5,
			     NULL, &out, &e), 0, "%s", e.message);
	url = json_string_value(json_array_get(json_object_get(out, "uploadUrl"), 0));
	cr_assert(url);
	cr_assert_eq(tc_put_url(c, url, "a,b\n", 4, etag, sizeof(etag), &e), 0,
		     "%s", e.message);
	cr_expect_eq(etag[0], '"', "the ETag as sent: %s", etag);
	/* a spoiled signature: 403, and the error never holds the query */
	snprintf(bad, sizeof(bad), "%s", url);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	cr_expect_eq(tc_put_url(c, bad, "x", 1, etag, sizeof(etag), &e), -1);
	cr_expect_eq(e.http_status, 403);
	cr_expect(!strchr(e.path, '?'), "no query in the error: %s", e.path);
	cr_expect_eq(tc_put_url(c, "http://x/y", "x", 1, etag, sizeof(etag), &e), -1);
	cr_expect_eq(e.kind, TC_E_INVALID);
	/* the good part completes the upload */
	cr_assert_eq(tc_put_url(c, url, "a,b\n", 4, etag, sizeof(etag), &e), 0);
	cids[1] = json_string_value(json_object_get(out, "uploadId"));
	parts = json_pack("[{s:i, s:s}]", "partNumber", 1, "etag", etag);
	cr_expect_eq(tc_call(c, &tc_desc_serverless_import_complete_upload, cids,
			     2, parts, NULL, &e), 0, "%s", e.message);
	json_decref(parts);
	json_decref(out);
	tc_client_free(c);
}

Test(emu, digest_challenge_reused)
{
	tc_client *c = client();
	struct tc_error e;
	json_t *out;

	/* warm-up: the first call pays the 401 */
	cr_assert_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s", e.message);
	json_decref(out);
	cr_expect_eq(testemu_stat(&emu, "challenges"), 1);
	cr_assert_eq(testemu_reset_stats(&emu), 0);
	for (int i = 0; i < 300; i++) {
		cr_assert_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s", e.message);
		json_decref(out);
	}
	struct snap s = snapshot();
	cr_expect_eq(s.requests, 300);
	cr_expect_eq(s.challenges, 0, "no 401 after warm-up");
	cr_expect_eq(s.connections, 0, "the warm connection is reused");
	cr_expect_eq(tc_client_challenges(c), 1);
	tc_client_free(c);
}

struct thr { tc_client *c; int n; int fails; };

static void *worker(void *arg)
{
	struct thr *t = arg;
	struct tc_error e;
	json_t *out;

	for (int i = 0; i < t->n; i++) {
		if (tc_serverless_cluster_get(t->c, WEB_ID, &out, &e) == 0)
			json_decref(out);
		else
			t->fails++;
	}
	return NULL;
}

Test(emu, threads_share_connections_and_challenge)
{
	tc_client *c = client();
	pthread_t th[8];
	struct thr t[8];
	struct tc_stats st;

	cr_assert_eq(testemu_reset_stats(&emu), 0);
	for (int i = 0; i < 8; i++) {
		t[i] = (struct thr){ c, 200, 0 };
		pthread_create(&th[i], NULL, worker, &t[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(t[i].fails, 0);
	}
	struct snap s = snapshot();
	cr_expect_eq(s.requests, 1600);
	cr_expect_leq(s.connections, 8, "%ld connections", s.connections);
	cr_expect_eq(s.challenges, 1, "one 401 in all, though 8 threads started cold");
	tc_client_stats(c, &st);
	cr_expect_eq(st.api_calls, 1600);
	tc_client_free(c);
}

Test(emu, wrong_key_is_eacces)
{
	struct tc_config cfg = config();
	struct tc_error e;
	json_t *out = NULL;
	tc_client *c;

	cfg.private_key = "not-the-key";
	c = tc_client_new(&cfg, &e);
	cr_assert(c);
	cr_expect_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.http_status, 401);
	cr_expect_eq(tc_error_errno(&e, 0), EACCES);
	cr_expect(e.message[0] && strncmp(e.message, "HTTP ", 5) != 0,
		  "the API's message: %s", e.message);
	cr_expect(!strstr(e.message, "not-the-key"));
	cr_expect_leq(testemu_stat(&emu, "challenges"), 3, "bounded, no loop");
	tc_client_free(c);

	cfg.private_key = TESTEMU_PRIVATE_KEY;
	cfg.public_key = "NOSUCHKEY";
	c = tc_client_new(&cfg, &e);
	cr_expect_eq(tc_projects_list(c, &out, &e), -1);
	cr_expect_eq(tc_error_errno(&e, 0), EACCES);
	tc_client_free(c);
}

Test(emu, tls_is_verified)
{
	struct tc_config cfg = config();
	struct tc_error e;
	json_t *out = NULL;
	tc_client *c;

	cfg.cacert = NULL;   /* the system CAs do not know the test CA */
	c = tc_client_new(&cfg, &e);
	cr_assert(c);
	cr_expect_eq(tc_projects_list(c, &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_TLS, "%s", e.message);
	cr_expect_eq(tc_error_errno(&e, 0), EIO);
	tc_client_free(c);
}

Test(emu, connection_refused)
{
	struct tc_config cfg = config();
	struct tc_error e;
	json_t *out = NULL;
	tc_client *c;

	cfg.connect_to = "127.0.0.1:1";
	cfg.max_retries = -1;
	c = tc_client_new(&cfg, &e);
	cr_assert(c);
	cr_expect_eq(tc_projects_list(c, &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_CONNECT, "%s", e.message);
	cr_expect_eq(tc_error_errno(&e, 0), EHOSTUNREACH);
	tc_client_free(c);
}

/* ---- paging: 250 serverless clusters in one project ------------------- */

static char seed_path[300];

static void start_big(void)
{
	char dir[] = "/tmp/tcapi-seed.XXXXXX";
	json_t *seed, *clusters = json_array();
	static char path_arg[300];
	static const char *args[] = { "--rate-limit", "0", "--seed", path_arg, NULL };

	cr_assert(mkdtemp(dir));
	for (int i = 0; i < 250; i++) {
		char id[32], name[32];
		snprintf(id, sizeof(id), "2000000000000000%03d", i);
		snprintf(name, sizeof(name), "c%03d", i);
		json_array_append_new(clusters, json_pack("{ssssssss}", "kind", i % 2 ? "starter" : "essential",
							  "clusterId", id, "displayName", name,
							  "projectId", "9000000000000000001"));
	}
	seed = json_pack("{sss[{ssss}]so}", "org_id", "1372813089187041280",
			 "projects", "id", "9000000000000000001", "name", "big",
			 "clusters", clusters);
	snprintf(seed_path, sizeof(seed_path), "%s/seed.json", dir);
	cr_assert_eq(json_dump_file(seed, seed_path, 0), 0);
	json_decref(seed);
	snprintf(path_arg, sizeof(path_arg), "%s", seed_path);
	start(args);
}

static void stop_big(void)
{
	char cmd[400];
	stop();
	snprintf(cmd, sizeof(cmd), "rm -rf \"$(dirname '%s')\"", seed_path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", seed_path);
}

Test(paging, three_pages_of_clusters, .init = start_big, .fini = stop_big)
{
	tc_client *c = client();
	struct tc_error e;
	json_t *items, *seen = json_object();

	cr_assert_eq(tc_serverless_clusters_list(c, "9000000000000000001", &items, &e), 0,
		     "%s", e.message);
	cr_expect_eq(json_array_size(items), 250);
	for (size_t i = 0; i < json_array_size(items); i++)
		json_object_set(seen, json_string_value(json_object_get(json_array_get(items, i),
									 "clusterId")), json_true());
	cr_expect_eq(json_object_size(seen), 250, "no duplicates, none missing");
	json_decref(seen);
	json_decref(items);
	cr_expect_eq(testemu_route(&emu, "GET serverless /v1beta1/clusters"), 3);

	cr_assert_eq(tc_serverless_clusters_list(c, NULL, &items, &e), 0, "%s", e.message);
	cr_expect_eq(json_array_size(items), 250);
	json_decref(items);
	tc_client_free(c);
}

/* ---- timeouts and interrupts ----------------------------------------- */

static void start_slow(void)
{
	static const char *const a[] = { "--rate-limit", "0", "--latency-ms", "1500", NULL };
	start(a);
}

Test(slow, timeout_is_etimedout, .init = start_slow, .fini = stop)
{
	struct tc_config cfg = config();
	struct tc_error e;
	json_t *out = NULL;
	tc_client *c;
	uint64_t t0;

	cfg.timeout_ms = 400;
	c = tc_client_new(&cfg, &e);
	cr_assert(c);
	t0 = now_ms();
	cr_expect_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_TIMEOUT, "%s", e.message);
	cr_expect_eq(tc_error_errno(&e, 0), ETIMEDOUT);
	cr_expect_lt(now_ms() - t0, 1400);
	tc_client_free(c);
}

static uint64_t interrupt_at;
static int interrupt_cb(void *arg)
{
	(void)arg;
	return now_ms() >= interrupt_at;
}

Test(slow, interrupt_is_eintr, .init = start_slow, .fini = stop)
{
	struct tc_config cfg = config();
	struct tc_error e;
	json_t *out = NULL;
	tc_client *c;

	cfg.interrupted = interrupt_cb;
	c = tc_client_new(&cfg, &e);
	cr_assert(c);
	interrupt_at = now_ms() + 200;
	cr_expect_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_CANCELLED, "%s", e.message);
	cr_expect_eq(tc_error_errno(&e, 0), EINTR);
	cr_expect_lt(now_ms() - interrupt_at, 1300, "aborted while in flight");
	tc_client_free(c);
}

/* ---- rate limits ------------------------------------------------------ */

static void start_limited(void)
{
	static const char *const a[] = { "--rate-limit", "10", NULL };
	start(a);
}

Test(ratelimit, past_the_budget_is_eagain, .init = start_limited, .fini = stop)
{
	struct tc_config cfg = config();
	struct tc_error e;
	json_t *out = NULL;
	tc_client *c;
	int ok = 0;

	cfg.retry_budget_ms = 2000;
	c = tc_client_new(&cfg, &e);
	cr_assert(c);
	tc_client_set_pacing(c, 0);
	for (int i = 0; i < 11; i++) {
		if (tc_serverless_cluster_get(c, WEB_ID, &out, &e) == 0) {
			ok++;
			json_decref(out);
		}
	}
	cr_expect_eq(ok, 10);
	cr_expect_eq(e.http_status, 429);
	cr_expect_eq(tc_error_errno(&e, 0), EAGAIN);
	cr_expect(e.message[0] && strncmp(e.message, "HTTP ", 5) != 0, "%s", e.message);
	cr_expect_eq(testemu_stat(&emu, "rate_limited"), 1, "no retry inside the budget");
	tc_client_free(c);
}

/* A 2-second window (--rate-window-ms) instead of a minute: the same
 * arithmetic, a thirtieth of the wait. */
static void start_limited_short(void)
{
	static const char *const a[] = { "--rate-limit", "10", "--rate-window-ms",
					 "2000", NULL };
	start(a);
}

/* 12 calls against a budget of 10 per window: pacing spreads them over two
 * windows; no 429 reaches the emulator, no exchange is wasted. */
Test(ratelimit, pacing_avoids_429, .init = start_limited_short, .fini = stop,
     .timeout = 30)
{
	struct tc_config cfg = config();
	struct tc_error e;
	struct tc_stats st;
	json_t *out = NULL;
	tc_client *c;
	uint64_t t0 = now_ms();

	c = tc_client_new(&cfg, &e);
	cr_assert(c);
	for (int i = 0; i < 12; i++) {
		cr_assert_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s", e.message);
		json_decref(out);
	}
	struct snap s = snapshot();
	cr_expect_eq(s.rate_limited, 0);
	cr_expect_eq(s.requests, 12, "one exchange per call past the 401");
	cr_expect_eq(s.challenges, 1);
	tc_client_stats(c, &st);
	cr_expect_eq(st.retries, 0);
	cr_expect_eq(st.requests, 13);
	cr_expect_eq(st.ratelimit_limit, 10);
	cr_expect_gt(st.throttled_ms, 1000, "waited for the second window");
	cr_expect_geq(now_ms() - t0, 1900);
	cr_expect_lt(now_ms() - t0, 8000);
	tc_client_free(c);
}

/* Another client of the same key (not pacing) spends the whole budget; a
 * fresh client's call meets one 429, waits for X-Ratelimit-Reset and then
 * succeeds: exactly one 429 is spent. */
Test(ratelimit, shared_key_waits_for_reset, .init = start_limited_short,
     .fini = stop, .timeout = 30)
{
	struct tc_error e;
	struct tc_stats st;
	json_t *out = NULL;
	tc_client *greedy = client(), *c;
	uint64_t t0;

	tc_client_set_pacing(greedy, 0);
	for (int i = 0; i < 10; i++) {
		cr_assert_eq(tc_serverless_cluster_get(greedy, WEB_ID, &out, &e), 0,
			     "%s", e.message);
		json_decref(out);
	}
	c = client();
	t0 = now_ms();
	cr_assert_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s",
		     tc_error_format(&e, (char[600]){0}, 600));
	json_decref(out);
	cr_expect_geq(now_ms() - t0, 1000, "waited for the reset");
	cr_expect_lt(now_ms() - t0, 4000, "but not much longer");
	struct snap s = snapshot();
	cr_expect_eq(s.rate_limited, 1, "one 429 spent");
	cr_expect_eq(s.requests, 12, "10 + the 429 + the retry");
	tc_client_stats(c, &st);
	cr_expect_eq(st.retries, 1);
	cr_expect_geq(st.throttled_ms, 1000);
	tc_client_free(c);
	tc_client_free(greedy);
}

/* ---- injected faults (/_emulator/faults) ------------------------------ */

#define WEB_ROUTE "GET serverless /v1beta1/clusters/{id}"
#define CREATE_ROUTE "POST serverless /v1beta1/clusters"

TestSuite(faults, .init = start_unlimited, .fini = stop, .timeout = 30);

static void arm(const char *spec)
{
	cr_assert_eq(testemu_fault(&emu, spec), 0, "fault refused: %s", spec);
}

static long faults_injected(void)
{
	return testemu_stat(&emu, "faults_injected");
}

/* A client that has its digest challenge already (so that every later
 * exchange is one request) and the emulator's counters zeroed. */
static tc_client *warm_client(const struct tc_config *cfg)
{
	struct tc_error e;
	json_t *out;
	tc_client *c = tc_client_new(cfg, &e);

	cr_assert(c, "%s", e.message);
	cr_assert_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s", e.message);
	json_decref(out);
	cr_assert_eq(testemu_reset_stats(&emu), 0);
	return c;
}

static json_t *create_body(void)
{
	return json_pack("{s:s, s:{s:s}, s:{s:s}}", "displayName", "faulty",
			 "region", "name", "regions/aws-us-east-1",
			 "labels", "tidb.cloud/project", PRODUCTION);
}

Test(faults, get_retried_on_503_then_succeeds)
{
	struct tc_config cfg = config();
	tc_client *c = warm_client(&cfg);
	struct tc_error e;
	struct tc_stats st;
	json_t *out;

	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"status\",\"status\":503,\"count\":2}");
	cr_assert_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s", e.message);
	json_decref(out);
	cr_expect_eq(testemu_route(&emu, WEB_ROUTE), 3, "exactly 3 requests");
	cr_expect_eq(faults_injected(), 2);
	tc_client_stats(c, &st);
	cr_expect_eq(st.retries, 2);
	tc_client_free(c);
}

Test(faults, post_not_retried_on_503)
{
	struct tc_config cfg = config();
	tc_client *c = warm_client(&cfg);
	struct tc_error e;
	json_t *body = create_body(), *out = NULL;

	arm("{\"route\":\"" CREATE_ROUTE "\",\"kind\":\"status\",\"status\":503}");
	cr_expect_eq(tc_serverless_cluster_create(c, body, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.http_status, 503);
	cr_expect_eq(tc_error_errno(&e, 1), EIO);
	cr_expect_eq(testemu_route(&emu, CREATE_ROUTE), 1, "exactly 1 request");
	json_decref(body);
	tc_client_free(c);
}

Test(faults, reset_get_is_retried)
{
	struct tc_config cfg = config();
	tc_client *c = warm_client(&cfg);
	struct tc_error e;
	json_t *out;

	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"reset\"}");
	cr_assert_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s", e.message);
	json_decref(out);
	cr_expect_eq(testemu_route(&emu, WEB_ROUTE), 2);
	cr_expect_eq(faults_injected(), 1);
	tc_client_free(c);
}

/* A create whose connection dies unanswered may have been carried out:
 * it must not be sent again, not even by libcurl's silent resend on a
 * reused connection. */
Test(faults, reset_post_is_not_resent)
{
	struct tc_config cfg = config();
	tc_client *c = warm_client(&cfg);
	struct tc_error e;
	json_t *body = create_body(), *out = NULL;

	arm("{\"route\":\"" CREATE_ROUTE "\",\"kind\":\"reset\"}");
	cr_expect_eq(tc_serverless_cluster_create(c, body, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.kind, TC_E_CONNECT, "%s", e.message);
	cr_expect_eq(testemu_route(&emu, CREATE_ROUTE), 1, "sent once");
	json_decref(body);
	tc_client_free(c);
}

Test(faults, stall_past_timeout_is_etimedout)
{
	struct tc_config cfg = config();
	tc_client *c;
	struct tc_error e;
	json_t *out = NULL;
	uint64_t t0;

	cfg.timeout_ms = 400;
	c = warm_client(&cfg);
	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"stall\",\"stall_ms\":2000}");
	t0 = now_ms();
	cr_expect_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.kind, TC_E_TIMEOUT, "%s", e.message);
	cr_expect_eq(tc_error_errno(&e, 0), ETIMEDOUT);
	cr_expect_lt(now_ms() - t0, 1500, "bounded by timeout_ms");
	cr_expect_eq(testemu_route(&emu, WEB_ROUTE), 1);
	tc_client_free(c);
}

Test(faults, truncated_body_is_bad_response)
{
	struct tc_config cfg = config();
	tc_client *c = warm_client(&cfg);
	struct tc_error e;
	json_t *out = NULL;

	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"truncate\"}");
	cr_expect_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE, "%s", e.message);
	cr_expect_eq(tc_error_errno(&e, 0), EIO);
	cr_expect_eq(testemu_route(&emu, WEB_ROUTE), 1);
	/* the client recovers: the next call uses a sound connection */
	cr_expect_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), 0, "%s", e.message);
	json_decref(out);
	tc_client_free(c);
}

Test(faults, malformed_is_bad_response)
{
	struct tc_config cfg = config();
	tc_client *c = warm_client(&cfg);
	struct tc_error e;
	json_t *out = NULL;

	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"malformed\"}");
	cr_expect_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE, "%s", e.message);
	cr_expect_eq(tc_error_errno(&e, 0), EIO);
	cr_expect_eq(testemu_route(&emu, WEB_ROUTE), 1, "not retried");
	tc_client_free(c);
}

Test(faults, persistent_5xx_is_eio_after_retries)
{
	struct tc_config cfg = config();
	tc_client *c;
	struct tc_error e;
	struct tc_stats st;
	json_t *out = NULL;

	cfg.max_retries = 2;
	c = warm_client(&cfg);
	arm("{\"route\":\"" WEB_ROUTE "\",\"kind\":\"status\",\"status\":502,\"count\":10}");
	cr_expect_eq(tc_serverless_cluster_get(c, WEB_ID, &out, &e), -1);
	cr_expect_eq(e.http_status, 502);
	cr_expect_eq(tc_error_errno(&e, 0), EIO);
	cr_expect_eq(testemu_route(&emu, WEB_ROUTE), 3, "1 + max_retries, no more");
	tc_client_stats(c, &st);
	cr_expect_eq(st.retries, 2);
	tc_client_free(c);
}
