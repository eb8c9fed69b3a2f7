/*
 * test_emulator.c — the emulator's transport behaviour: digest auth, error
 * shapes, rate limiting, latency, stats and the request log.
 * (Data model and lifecycle: test_emulator_model.c.)
 */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emuhttp.h"
#include "testemu.h"

#define SL "https://serverless.tidbapi.com"
#define DD "https://dedicated.tidbapi.com"
#define V1 "https://api.tidbcloud.com"
#define IAM "https://iam.tidbapi.com"

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

/* One request on handle c; asserts the transfer worked. */
static void req(struct emuhttp *c, const char *method, const char *url,
		const char *body, struct emuhttp_resp *r)
{
	int rc = emuhttp_request(c, method, url, body, NULL, r);
	cr_assert_eq(rc, CURLE_OK, "%s %s: curl error %d", method, url, rc);
}

/* md5 hex of s via md5sum(1) (the test program has no MD5 of its own). */
static void md5_hex(const char *s, char out[33])
{
	char cmd[] = "/tmp/emutest-md5.XXXXXX";
	int fd = mkstemp(cmd);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
	char line[300];
	snprintf(line, sizeof(line), "md5sum %s", cmd);
	FILE *p = popen(line, "r");
	cr_assert_not_null(p);
	cr_assert_eq(fscanf(p, "%32s", out), 1);
	pclose(p);
	unlink(cmd);
}

TestSuite(auth, .init = start_default, .fini = stop, .timeout = 60);

Test(auth, digest_success_and_counters)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	cr_assert_eq(testemu_reset_stats(&emu), 0);
	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", SL "/v1beta1/clusters", NULL, &r);
	cr_assert_eq(r.status, 200, "status %ld: %s", r.status, r.raw);
	cr_assert_not_null(r.body);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "totalSize")), 8);
	cr_assert(strstr(r.www_auth, "Digest ") != NULL, "no challenge seen");
	cr_assert(strstr(r.www_auth, "qop=\"auth\"") != NULL);
	cr_assert(strlen(r.trace_id) >= 16, "X-Debug-Trace-Id missing");
	cr_assert_eq(r.rl_limit, 100);
	emuhttp_free(&r);
	emuhttp_close(&c);
	/* One snapshot: its own connection is the second one counted. */
	json_t *s = testemu_stats(&emu);
	cr_assert_eq(json_integer_value(json_object_get(s, "challenges")), 1);
	cr_assert_eq(json_integer_value(json_object_get(s, "requests")), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(s, "routes"),
					"GET serverless /v1beta1/clusters")), 1);
	cr_assert_eq(json_integer_value(json_object_get(s, "connections")), 2);
	cr_assert_eq(json_integer_value(json_object_get(s, "tls_handshakes")), 2);
	json_decref(s);
}

Test(auth, wrong_key_gets_each_family_shape)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	emuhttp_open(&c, &emu, TESTEMU_PUBLIC_KEY, "not-the-private-key");
	req(&c, "GET", SL "/v1beta1/clusters", NULL, &r);
	cr_assert_eq(r.status, 401);
	cr_assert(strstr(r.www_auth, "realm=\"tidb.cloud\"") != NULL, "%s", r.www_auth);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 16);
	cr_assert(json_is_string(json_object_get(r.body, "message")));
	cr_assert(json_is_array(json_object_get(r.body, "details")));
	cr_assert_eq(r.rl_limit, -1, "401 must not carry rate-limit headers");
	emuhttp_free(&r);

	req(&c, "GET", V1 "/api/v1beta/projects", NULL, &r);
	cr_assert_eq(r.status, 401);
	cr_assert(json_is_integer(json_object_get(r.body, "code")));
	cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 49900001);
	cr_assert(json_is_array(json_object_get(r.body, "details")));
	emuhttp_free(&r);

	req(&c, "GET", IAM "/v1beta1/apikeys", NULL, &r);
	cr_assert_eq(r.status, 401);
	cr_assert(json_is_string(json_object_get(r.body, "code")), "%s", r.raw);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "status")), 401);
	cr_assert(json_is_string(json_object_get(r.body, "msgPrefix")));
	cr_assert_not_null(json_object_get(r.body, "error"));
	emuhttp_free(&r);
	emuhttp_close(&c);

	/* Wrong user name, and no credentials at all. */
	emuhttp_open(&c, &emu, "someone-else", TESTEMU_PRIVATE_KEY);
	req(&c, "GET", DD "/v1beta1/clusters", NULL, &r);
	cr_assert_eq(r.status, 401);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 16);
	emuhttp_free(&r);
	emuhttp_close(&c);
	emuhttp_open(&c, &emu, NULL, NULL);
	req(&c, "GET", DD "/v1beta1/clusters", NULL, &r);
	cr_assert_eq(r.status, 401);
	cr_assert(strstr(r.www_auth, "Digest ") == r.www_auth, "%s", r.www_auth);
	cr_assert(strstr(r.www_auth, "stale=false") != NULL, "%s", r.www_auth);
	emuhttp_free(&r);
	emuhttp_close(&c);
}

Test(auth, nonce_reused_across_uris)
{
	static const char *const urls[] = {
		SL "/v1beta1/clusters", SL "/v1beta1/clusters/10058425682284910923",
		SL "/v1beta1/regions", SL "/v1beta1/clusters/10058425682284910931",
		SL "/v1beta1/clusters?pageSize=2", SL "/v1beta1/clusters?view=BASIC",
	};
	const int n = 24;
	struct emuhttp c;
	struct emuhttp_resp r;

	cr_assert_eq(testemu_reset_stats(&emu), 0);
	emuhttp_open_auth(&c, &emu);
	for (int i = 0; i < n; i++) {
		const char *u = urls[i % 6];
		req(&c, "GET", u, NULL, &r);
		cr_assert_eq(r.status, 200, "%s: %ld %s", u, r.status, r.raw);
		emuhttp_free(&r);
	}
	emuhttp_close(&c);
	json_t *s = testemu_stats(&emu);
	long ch = (long)json_integer_value(json_object_get(s, "challenges"));
	long conns = (long)json_integer_value(json_object_get(s, "connections"));
	cr_assert_eq(ch, 1, "the nonce was not reused (challenges=%ld)", ch);
	cr_assert_eq(json_integer_value(json_object_get(s, "requests")), n);
	cr_assert_eq(conns, 2, "keep-alive not used (connections=%ld)", conns);
	json_decref(s);
}

/* A correct digest over a nonce the emulator never issued → stale=true. */
Test(auth, unknown_nonce_is_stale)
{
	const char *nonce = "00000000000000010123456789abcdef0123456789abcdef";
	const char *uri = "/v1beta1/clusters";
	char buf[512], ha1[33], ha2[33], resp[33], hdr[1024];
	struct emuhttp c;
	struct emuhttp_resp r;

	snprintf(buf, sizeof(buf), "%s:tidb.cloud:%s", TESTEMU_PUBLIC_KEY,
		 TESTEMU_PRIVATE_KEY);
	md5_hex(buf, ha1);
	snprintf(buf, sizeof(buf), "GET:%s", uri);
	md5_hex(buf, ha2);
	snprintf(buf, sizeof(buf), "%s:%s:00000001:abcdef:auth:%s", ha1, nonce, ha2);
	md5_hex(buf, resp);
	snprintf(hdr, sizeof(hdr),
		 "Authorization: Digest username=\"%s\", realm=\"tidb.cloud\", "
		 "nonce=\"%s\", uri=\"%s\", qop=auth, nc=00000001, "
		 "cnonce=\"abcdef\", response=\"%s\", algorithm=MD5",
		 TESTEMU_PUBLIC_KEY, nonce, uri, resp);
	const char *const headers[] = { hdr, NULL };

	emuhttp_open(&c, &emu, NULL, NULL);
	cr_assert_eq(emuhttp_request(&c, "GET", SL "/v1beta1/clusters", NULL,
				     headers, &r), CURLE_OK);
	cr_assert_eq(r.status, 401);
	cr_assert(strstr(r.www_auth, "stale=true") != NULL, "%s", r.www_auth);
	emuhttp_free(&r);

	/* The same digest with a wrong response is not stale. */
	hdr[strlen(hdr) - 20] = hdr[strlen(hdr) - 20] == 'a' ? 'b' : 'a';
	cr_assert_eq(emuhttp_request(&c, "GET", SL "/v1beta1/clusters", NULL,
				     headers, &r), CURLE_OK);
	cr_assert_eq(r.status, 401);
	cr_assert(strstr(r.www_auth, "stale=false") != NULL, "%s", r.www_auth);
	emuhttp_free(&r);
	emuhttp_close(&c);
}

static void start_short_nonce(void)
{
	static const char *const args[] = { "--nonce-ttl", "1", NULL };
	start(args);
}

/* An expired nonce → 401 stale=true; libcurl then retries by itself. */
Test(nonce, expired_nonce_is_stale, .init = start_short_nonce, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", SL "/v1beta1/regions", NULL, &r);
	cr_assert_eq(r.status, 200);
	emuhttp_free(&r);
	usleep(2100 * 1000);
	req(&c, "GET", SL "/v1beta1/regions", NULL, &r);
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.raw);
	cr_assert(strstr(r.www_auth, "stale=true") != NULL, "[%s]", r.www_auth);
	emuhttp_free(&r);
	emuhttp_close(&c);
	cr_assert_eq(testemu_stat(&emu, "challenges"), 2);
	cr_assert_eq(testemu_stat(&emu, "requests"), 2);
}

TestSuite(errors, .init = start_default, .fini = stop, .timeout = 60);

Test(errors, shapes_per_family)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", V1 "/api/v1beta/nothing", NULL, &r);
	cr_assert_eq(r.status, 404);
	cr_assert(json_is_integer(json_object_get(r.body, "code")), "%s", r.raw);
	cr_assert(json_is_string(json_object_get(r.body, "message")));
	cr_assert(json_is_array(json_object_get(r.body, "details")));
	cr_assert(strlen(r.trace_id) > 0);
	cr_assert(r.rl_limit > 0, "authenticated errors carry rate-limit headers");
	emuhttp_free(&r);

	req(&c, "GET", SL "/v1beta1/clusters/424242", NULL, &r);
	cr_assert_eq(r.status, 404);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 5, "%s", r.raw);
	cr_assert(strstr(json_string_value(json_object_get(r.body, "message")), "424242"));
	cr_assert(json_is_array(json_object_get(r.body, "details")));
	emuhttp_free(&r);

	/* A dedicated id on the serverless host is not found either. */
	req(&c, "GET", SL "/v1beta1/clusters/10058425682284910921", NULL, &r);
	cr_assert_eq(r.status, 404);
	emuhttp_free(&r);
	emuhttp_close(&c);

	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", IAM "/v1beta1/nothing", NULL, &r);
	cr_assert_eq(r.status, 404);
	cr_assert(json_is_string(json_object_get(r.body, "code")), "%s", r.raw);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "status")), 404);
	cr_assert(json_is_string(json_object_get(r.body, "msgPrefix")));
	emuhttp_free(&r);
	emuhttp_close(&c);
}

Test(errors, bad_bodies)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	emuhttp_open_auth(&c, &emu);
	req(&c, "POST", SL "/v1beta1/clusters", "{not json", &r);
	cr_assert_eq(r.status, 400);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 3);
	cr_assert(strstr(r.raw, "JSON") != NULL, "%s", r.raw);
	emuhttp_free(&r);

	req(&c, "POST", SL "/v1beta1/clusters",
	    "{\"region\":{\"name\":\"regions/aws-us-east-1\"}}", &r);
	cr_assert_eq(r.status, 400);
	cr_assert(strstr(r.raw, "displayName") != NULL, "%s", r.raw);
	emuhttp_free(&r);

	req(&c, "POST", SL "/v1beta1/clusters",
	    "{\"displayName\":\"xone\",\"region\":{\"name\":\"regions/mars-1\"}}", &r);
	cr_assert_eq(r.status, 400);
	cr_assert(strstr(r.raw, "region") != NULL, "%s", r.raw);
	emuhttp_free(&r);

	req(&c, "POST", SL "/v1beta1/clusters",
	    "{\"displayName\":42,\"region\":{\"name\":\"regions/aws-us-east-1\"}}", &r);
	cr_assert_eq(r.status, 400);
	cr_assert(strcasestr(r.raw, "displayName") != NULL, "%s", r.raw);
	emuhttp_free(&r);

	req(&c, "POST", V1 "/api/v1beta/projects", "{\"name\":7}", &r);
	cr_assert_eq(r.status, 400);
	cr_assert(json_is_integer(json_object_get(r.body, "code")));
	cr_assert(strstr(r.raw, "name") != NULL, "%s", r.raw);
	emuhttp_free(&r);

	req(&c, "POST", DD "/v1beta1/clusters",
	    "{\"displayName\":\"ded1\",\"regionId\":\"aws-us-east-1\","
	    "\"tidbNodeSetting\":{\"nodeSpecKey\":\"8C16G\",\"tidbNodeGroups\":[{\"nodeCount\":2}]}}",
	    &r);
	cr_assert_eq(r.status, 400);
	cr_assert(strstr(r.raw, "tikvNodeSetting") != NULL, "%s", r.raw);
	emuhttp_free(&r);

	req(&c, "PUT", SL "/v1beta1/clusters", "{}", &r);
	cr_assert_eq(r.status, 405, "%ld", r.status);
	emuhttp_free(&r);
	emuhttp_close(&c);
}

/* The published name rules, on create and update of every host, with
 * that host's 400 shape; nothing is created or changed. */
Test(errors, names_the_api_refuses)
{
	static const char *const bad[] = {
		"web", "ab", "my_db", "web.prod", "-rf", "bad name", "-web",
		"a/b", "x\\u001b[31mred", "line\\nbreak",
		"a2345678901234567890123456789012345678901234567890123456789012345",
	};
	char body[512];
	struct emuhttp c;
	struct emuhttp_resp r;

	emuhttp_open_auth(&c, &emu);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "{\"displayName\":\"%s\",\"region\":"
			 "{\"name\":\"regions/aws-us-east-1\"}}", bad[i]);
		req(&c, "POST", SL "/v1beta1/clusters", body, &r);
		cr_assert_eq(r.status, 400, "serverless create %s: %s", bad[i], r.raw);
		cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 3);
		cr_assert(strstr(r.raw, "regex") != NULL, "%s", r.raw);
		emuhttp_free(&r);

		snprintf(body, sizeof(body), "{\"cluster\":{\"displayName\":\"%s\"},"
			 "\"updateMask\":\"displayName\"}", bad[i]);
		req(&c, "PATCH", SL "/v1beta1/clusters/10058425682284910923", body, &r);
		cr_assert_eq(r.status, 400, "serverless update %s: %s", bad[i], r.raw);
		emuhttp_free(&r);

		snprintf(body, sizeof(body), "{\"displayName\":\"%s\"}", bad[i]);
		req(&c, "PATCH", DD "/v1beta1/clusters/10058425682284910921", body, &r);
		cr_assert_eq(r.status, 400, "dedicated update %s: %s", bad[i], r.raw);
		cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 3);
		emuhttp_free(&r);

		snprintf(body, sizeof(body), "{\"displayName\":\"%s\",\"regionId\":"
			 "\"aws-us-east-1\",\"labels\":{\"tidb.cloud/project\":"
			 "\"1372813089189561287\"}}", bad[i]);
		req(&c, "POST", DD "/v1beta1/clusters", body, &r);
		cr_assert_eq(r.status, 400, "dedicated create %s: %s", bad[i], r.raw);
		emuhttp_free(&r);
	}
	/* project names: control characters and more than 64 characters */
	static const char *const badp[] = {
		"", "new\\nline", "esc\\u001b[2J", "tab\\there", "c1\\u0085x",
		"p2345678901234567890123456789012345678901234567890123456789012345",
	};
	for (size_t i = 0; i < sizeof(badp) / sizeof(badp[0]); i++) {
		snprintf(body, sizeof(body), "{\"name\":\"%s\"}", badp[i]);
		req(&c, "POST", V1 "/api/v1beta/projects", body, &r);
		cr_assert_eq(r.status, 400, "project %s: %s", badp[i], r.raw);
		cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 49900002);
		emuhttp_free(&r);
	}
	/* nothing was changed */
	req(&c, "GET", SL "/v1beta1/clusters/10058425682284910923", NULL, &r);
	cr_assert_str_eq(json_string_value(json_object_get(r.body, "displayName")), "website");
	emuhttp_free(&r);
	req(&c, "GET", V1 "/api/v1beta/projects", NULL, &r);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "total")), 5, "%s", r.raw);
	emuhttp_free(&r);
	/* the limits themselves pass */
	req(&c, "PATCH", DD "/v1beta1/clusters/10058425682284910921",
	    "{\"displayName\":\"a23-\"}", &r);
	cr_assert_eq(r.status, 400, "ends with '-': %s", r.raw);
	emuhttp_free(&r);
	req(&c, "PATCH", DD "/v1beta1/clusters/10058425682284910921",
	    "{\"displayName\":\"A2-4\"}", &r);
	cr_assert_eq(r.status, 200, "4 characters: %s", r.raw);
	emuhttp_free(&r);
	emuhttp_close(&c);
}

Test(errors, huge_body_is_413)
{
	size_t n = 3 * 1024 * 1024;
	char *big = malloc(n + 1);
	struct emuhttp c;
	struct emuhttp_resp r;

	cr_assert_not_null(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", SL "/v1beta1/regions", NULL, &r);  /* get the nonce */
	emuhttp_free(&r);
	req(&c, "POST", SL "/v1beta1/clusters", big, &r);
	cr_assert_eq(r.status, 413, "%ld", r.status);
	emuhttp_free(&r);
	/* The emulator still answers. */
	req(&c, "GET", SL "/v1beta1/regions", NULL, &r);
	cr_assert_eq(r.status, 200);
	emuhttp_free(&r);
	emuhttp_close(&c);
	free(big);
}

Test(errors, unknown_host)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", "https://localhost/v1beta1/clusters", NULL, &r);
	cr_assert_eq(r.status, 404);
	cr_assert(strstr(json_string_value(json_object_get(r.body, "message")),
			 "unknown host") != NULL, "%s", r.raw);
	cr_assert(strlen(r.trace_id) > 0);
	emuhttp_free(&r);
	emuhttp_close(&c);
}

static void start_rate5(void)
{
	static const char *const args[] = { "--rate-limit", "5", NULL };
	start(args);
}

Test(ratelimit, limit_headers_and_429, .init = start_rate5, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	emuhttp_open_auth(&c, &emu);
	for (int i = 0; i < 5; i++) {
		req(&c, "GET", SL "/v1beta1/regions", NULL, &r);
		cr_assert_eq(r.status, 200, "request %d: %ld", i, r.status);
		cr_assert_eq(r.rl_limit, 5);
		cr_assert_eq(r.rl_remaining, 4 - i, "remaining %ld at %d", r.rl_remaining, i);
		cr_assert(r.rl_reset >= 1 && r.rl_reset <= 60, "reset %ld", r.rl_reset);
		emuhttp_free(&r);
	}
	req(&c, "GET", DD "/v1beta1/clusters", NULL, &r);
	cr_assert_eq(r.status, 429);
	cr_assert_eq(json_integer_value(json_object_get(r.body, "code")), 49900007, "%s", r.raw);
	cr_assert(json_is_array(json_object_get(r.body, "details")));
	cr_assert(strstr(json_string_value(json_object_get(r.body, "message")),
			 "exceeded the limit of 5 times per apikey per minute") != NULL, "%s", r.raw);
	cr_assert_eq(r.rl_limit, 5);
	cr_assert_eq(r.rl_remaining, 0);
	cr_assert(r.rl_reset >= 1 && r.rl_reset <= 60);
	emuhttp_free(&r);
	emuhttp_close(&c);
	cr_assert_eq(testemu_stat(&emu, "rate_limited"), 1);
	/* The challenge (a 401) did not use the budget: 5 requests passed. */
	cr_assert_eq(testemu_stat(&emu, "challenges"), 1);
	cr_assert_eq(testemu_stat(&emu, "requests"), 6);
}

static void start_latency(void)
{
	static const char *const args[] = { "--latency-ms", "200", NULL };
	start(args);
}

struct par { struct testemu *e; long status; };

static void *one_request(void *arg)
{
	struct par *p = arg;
	json_t *b = emuhttp_json(p->e, "GET", SL "/v1beta1/regions", NULL, &p->status);
	json_decref(b);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

Test(latency, delays_without_serializing, .init = start_latency, .fini = stop, .timeout = 60)
{
	struct emuhttp c;
	struct emuhttp_resp r;
	pthread_t t[4];
	struct par p[4];

	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", SL "/v1beta1/regions", NULL, &r);
	emuhttp_free(&r);
	req(&c, "GET", SL "/v1beta1/regions", NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert(r.seconds >= 0.2, "took %.3f s", r.seconds);
	emuhttp_free(&r);
	emuhttp_close(&c);

	/* 4 clients x (challenge + request) = 8 delayed answers; serialized
	 * that would be >= 1.6 s, in parallel about 0.4 s. */
	double t0 = now_s();
	for (int i = 0; i < 4; i++) {
		p[i].e = &emu;
		pthread_create(&t[i], NULL, one_request, &p[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(p[i].status, 200);
	}
	double took = now_s() - t0;
	cr_assert(took >= 0.4 && took < 1.4, "4 parallel clients took %.3f s", took);
}

TestSuite(stats, .init = start_default, .fini = stop, .timeout = 60);

Test(stats, counters_reset_and_request_log)
{
	struct emuhttp c;
	struct emuhttp_resp r;

	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", SL "/v1beta1/clusters?pageSize=3&filter=state%3DACTIVE", NULL, &r);
	cr_assert_eq(r.status, 200);
	emuhttp_free(&r);
	req(&c, "GET", SL "/v1beta1/clusters/10058425682284910923", NULL, &r);
	emuhttp_free(&r);
	req(&c, "GET", SL "/v1beta1/clusters/10058425682284910931", NULL, &r);
	emuhttp_free(&r);
	emuhttp_close(&c);
	emuhttp_open_auth(&c, &emu);
	req(&c, "GET", DD "/v1beta1/clusters/10058425682284910921", NULL, &r);
	emuhttp_free(&r);
	req(&c, "POST", DD "/v1beta1/clusters/10058425682284910921:pauseCluster", "{}", &r);
	cr_assert_eq(r.status, 200, "%s", r.raw);
	emuhttp_free(&r);
	emuhttp_close(&c);

	json_t *s = testemu_stats(&emu);
	cr_assert_not_null(s);
	cr_assert_eq(json_integer_value(json_object_get(s, "requests")), 5);
	cr_assert_eq(json_integer_value(json_object_get(s, "challenges")), 2);
	/* Two client connections plus this snapshot's own. */
	cr_assert_eq(json_integer_value(json_object_get(s, "connections")), 3);
	cr_assert_eq(json_integer_value(json_object_get(s, "tls_handshakes")), 3);
	cr_assert_eq(json_integer_value(json_object_get(s, "rate_limited")), 0);
	json_t *routes = json_object_get(s, "routes");
	cr_assert_eq(json_integer_value(json_object_get(routes, "GET serverless /v1beta1/clusters")), 1);
	cr_assert_eq(json_integer_value(json_object_get(routes, "GET serverless /v1beta1/clusters/{id}")), 2);
	cr_assert_eq(json_integer_value(json_object_get(routes, "GET dedicated /v1beta1/clusters/{id}")), 1);
	cr_assert_eq(json_integer_value(json_object_get(routes,
		"POST dedicated /v1beta1/clusters/{id}:pauseCluster")), 1);
	json_decref(s);

	long st;
	json_t *log = emuhttp_json(&emu, "GET", V1 "/_emulator/requests", NULL, &st);
	cr_assert_eq(st, 200);
	json_t *arr = json_object_get(log, "requests");
	/* 5 answered requests + 2 challenges, oldest first. */
	cr_assert_eq(json_array_size(arr), 7, "%zu entries", json_array_size(arr));
	json_t *first = json_array_get(arr, 0), *second = json_array_get(arr, 1);
	cr_assert_str_eq(json_string_value(json_object_get(first, "method")), "GET");
	cr_assert_str_eq(json_string_value(json_object_get(first, "host")), "serverless.tidbapi.com");
	cr_assert_str_eq(json_string_value(json_object_get(first, "path")), "/v1beta1/clusters");
	cr_assert_eq(json_integer_value(json_object_get(first, "status")), 401);
	cr_assert_eq(json_integer_value(json_object_get(second, "status")), 200);
	cr_assert(strstr(json_string_value(json_object_get(second, "query")), "pageSize=3") != NULL);
	cr_assert(strstr(json_string_value(json_object_get(second, "query")), "filter=state=ACTIVE") != NULL,
		  "%s", json_string_value(json_object_get(second, "query")));
	json_t *last = json_array_get(arr, 6);
	cr_assert_str_eq(json_string_value(json_object_get(last, "path")),
			 "/v1beta1/clusters/10058425682284910921:pauseCluster");
	json_decref(log);

	cr_assert_eq(testemu_reset_stats(&emu), 0);
	s = testemu_stats(&emu);
	cr_assert_eq(json_integer_value(json_object_get(s, "requests")), 0);
	cr_assert_eq(json_integer_value(json_object_get(s, "challenges")), 0);
	cr_assert_eq(json_integer_value(json_object_get(s, "connections")), 1,
		     "only the snapshot's own connection");
	cr_assert_eq(json_object_size(json_object_get(s, "routes")), 0);
	json_decref(s);
}
