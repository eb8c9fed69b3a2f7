/* Unit tests: errno mapping, error bodies of every family, error texts,
 * response header parsing, base URLs, environment, escaping, body shapes. */
#include <criterion/criterion.h>
#include <errno.h>
#include <syslog.h>
#include "fake_transport.h"

static struct tc_error http_err(int status)
{
	struct tc_error e = { 0 };
	e.kind = TC_E_HTTP;
	e.http_status = status;
	return e;
}

Test(errno_map, http_statuses)
{
	static const struct { int status, creating, want; } t[] = {
		{ 400, 0, EINVAL }, { 422, 0, EINVAL }, { 401, 0, EACCES },
		{ 403, 0, EACCES }, { 404, 0, ENOENT }, { 409, 1, EEXIST },
		{ 409, 0, EBUSY }, { 429, 0, EAGAIN }, { 500, 0, EIO },
		{ 502, 0, EIO }, { 503, 1, EIO }, { 504, 0, EIO },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tc_error e = http_err(t[i].status);
		cr_expect_eq(tc_error_errno(&e, t[i].creating), t[i].want,
			     "status %d creating %d", t[i].status, t[i].creating);
	}
}

Test(errno_map, transport_kinds)
{
	static const struct { enum tc_errcode k; int want; } t[] = {
		{ TC_OK, 0 }, { TC_E_CONNECT, EHOSTUNREACH }, { TC_E_TLS, EIO },
		{ TC_E_TIMEOUT, ETIMEDOUT }, { TC_E_CANCELLED, EINTR },
		{ TC_E_BAD_RESPONSE, EIO }, { TC_E_INVALID, EINVAL },
		{ TC_E_NOMEM, ENOMEM }, { TC_E_INTERNAL, EIO },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tc_error e = { 0 };
		e.kind = t[i].k;
		cr_expect_eq(tc_error_errno(&e, 0), t[i].want, "kind %d", t[i].k);
		cr_expect(*tc_strerror(t[i].k));
	}
}

Test(error_body, v1beta)
{
	struct tc_error e = { 0 };
	const char *b = "{\"code\":49900007,\"message\":\"The request exceeded the limit\",\"details\":[]}";
	tc_error_from_response(&e, 429, "Too Many Requests", b, strlen(b), "trace-1");
	cr_expect_eq(e.kind, TC_E_HTTP);
	cr_expect_eq(e.http_status, 429);
	cr_expect_str_eq(e.api_code, "49900007");
	cr_expect_str_eq(e.message, "The request exceeded the limit");
	cr_expect_str_eq(e.trace_id, "trace-1");
}

Test(error_body, rpc_status)
{
	struct tc_error e = { 0 };
	const char *b = "{\"code\":5,\"message\":\"cluster 1 not found\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\"}]}";
	tc_error_from_response(&e, 404, "", b, strlen(b), NULL);
	cr_expect_str_eq(e.api_code, "5");
	cr_expect_str_eq(e.message, "cluster 1 not found");
	cr_expect_eq(tc_error_errno(&e, 0), ENOENT);
}

Test(error_body, iam_billing_shapes)
{
	struct tc_error e = { 0 };
	const char *b1 = "{\"code\":\"400010\",\"error\":\"invalid page size\",\"msgPrefix\":\"bad request\",\"status\":400}";
	const char *b2 = "{\"code\":\"403001\",\"error\":{\"reason\":\"role\"},\"status\":403}";
	const char *b3 = "{\"code\":\"500\",\"msgPrefix\":\"internal\",\"status\":500}";

	tc_error_from_response(&e, 400, NULL, b1, strlen(b1), NULL);
	cr_expect_str_eq(e.api_code, "400010");
	cr_expect_str_eq(e.message, "bad request: invalid page size");
	tc_error_from_response(&e, 403, NULL, b2, strlen(b2), NULL);
	cr_expect_str_eq(e.api_code, "403001");
	cr_expect_str_eq(e.message, "{\"reason\":\"role\"}");
	tc_error_from_response(&e, 500, NULL, b3, strlen(b3), NULL);
	cr_expect_str_eq(e.message, "internal");
	/* msgPrefix and error saying the same thing: said once */
	const char *b4 = "{\"code\":\"500\",\"error\":\"boom\",\"msgPrefix\":\"boom\",\"status\":500}";
	tc_error_from_response(&e, 500, NULL, b4, strlen(b4), NULL);
	cr_expect_str_eq(e.message, "boom");
}

Test(error_body, unparseable)
{
	struct tc_error e = { 0 };
	const char *html = "<html><body>bad gateway</body></html>";

	tc_error_from_response(&e, 502, "Bad Gateway", html, strlen(html), NULL);
	cr_expect_str_eq(e.message, "HTTP 502 Bad Gateway");
	cr_expect_str_eq(e.api_code, "");
	tc_error_from_response(&e, 503, NULL, NULL, 0, NULL);
	cr_expect_str_eq(e.message, "HTTP 503 Service Unavailable");
	tc_error_from_response(&e, 418, "", "[1,2]", 5, NULL);
	cr_expect_str_eq(e.message, "HTTP 418");
	tc_error_from_response(&e, 400, NULL, "{\"code\":1}", 10, NULL);
	cr_expect_str_eq(e.message, "HTTP 400 Bad Request");
	cr_expect_str_eq(e.api_code, "1");
}

Test(error_format, one_line)
{
	struct tc_error e = http_err(404);
	char buf[256];

	strcpy(e.method, "GET");
	strcpy(e.path, "/clusters/1");
	strcpy(e.message, "not found");
	strcpy(e.trace_id, "abc");
	cr_expect_str_eq(tc_error_format(&e, buf, sizeof(buf)),
			 "[GET /clusters/1] 404 Not Found: not found (trace abc)");
	e.kind = TC_E_TIMEOUT;
	e.http_status = 0;
	e.trace_id[0] = 0;
	tc_error_format(&e, buf, sizeof(buf));
	cr_expect_str_eq(buf, "[GET /clusters/1] the request timed out: not found");
	tc_error_format(&e, buf, 8);
	cr_expect_eq(strlen(buf), 7);
}

Test(headers, parse_lines)
{
	struct tc_http_response r;
	static const char *const lines[] = {
		"HTTP/1.1 100 Continue\r\n", "X-Ratelimit-Remaining-Minute: 1\r\n", "\r\n",
		"HTTP/1.1 429 Too Many Requests\r\n",
		"x-ratelimit-limit-minute: 100\r\n",
		"X-Ratelimit-Remaining-Minute:   0 \r\n",
		"X-Ratelimit-Reset: 23\r\n",
		"X-Debug-Trace-Id: 4f2a\r\n",
		"WWW-Authenticate: Basic realm=\"x\"\r\n",
		"WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n",
		"Content-Type: application/json\r\n", "\r\n",
	};

	tc_http_response_init(&r);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		cr_assert_eq(tc_http_response_header(&r, lines[i], strlen(lines[i])), 0);
	cr_expect_str_eq(r.reason, "Too Many Requests");
	cr_expect_eq(r.rl_limit, 100);
	cr_expect_eq(r.rl_remaining, 0);
	cr_expect_eq(r.rl_reset, 23);
	cr_expect_str_eq(r.trace_id, "4f2a");
	cr_expect_str_eq(r.www_authenticate, "Basic realm=\"x\", Digest realm=\"r\", nonce=\"n\"");
	tc_http_response_release(&r);
	cr_expect_eq(r.rl_reset, -1);
}

/* Hostile X-Ratelimit-* values are "absent" (-1), never negative or huge. */
Test(headers, hostile_ratelimit_values_are_absent)
{
	static const char *const bad[] = {
		"-5", "", "abc", "12abc", "99999999999999999999", "0x10", " -1",
		"1e9", "+3",
	};
	struct tc_http_response r;
	char line[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tc_http_response_init(&r);
		snprintf(line, sizeof(line), "X-Ratelimit-Reset: %s\r\n", bad[i]);
		cr_assert_eq(tc_http_response_header(&r, line, strlen(line)), 0);
		snprintf(line, sizeof(line), "X-Ratelimit-Remaining-Minute: %s\r\n", bad[i]);
		cr_assert_eq(tc_http_response_header(&r, line, strlen(line)), 0);
		cr_expect_eq(r.rl_reset, -1, "reset \"%s\" -> %ld", bad[i], r.rl_reset);
		cr_expect_eq(r.rl_remaining, -1, "remaining \"%s\"", bad[i]);
		tc_http_response_release(&r);
	}
}

Test(base_url, resolution)
{
	static const struct { int fam; const char *in, *out; } t[] = {
		{ TC_FAMILY_V1BETA, NULL, "https://api.tidbcloud.com/api/v1beta" },
		{ TC_FAMILY_SERVERLESS, NULL, "https://serverless.tidbapi.com/v1beta1" },
		{ TC_FAMILY_DEDICATED, NULL, "https://dedicated.tidbapi.com/v1beta1" },
		{ TC_FAMILY_IAM, NULL, "https://iam.tidbapi.com/v1beta1" },
		{ TC_FAMILY_BILLING, NULL, "https://billing.tidbapi.com/v1beta1" },
		{ TC_FAMILY_DATASERVICE, NULL, "https://dataservice.tidbapi.com/v1beta1" },
		{ TC_FAMILY_V1BETA, "https://api.example.com", "https://api.example.com/api/v1beta" },
		{ TC_FAMILY_V1BETA, "https://h:8443/custom/base/", "https://h:8443/custom/base" },
		{ TC_FAMILY_V1BETA, "localhost:9443", "https://localhost:9443/api/v1beta" },
		{ TC_FAMILY_SERVERLESS, "serverless.example.com", "https://serverless.example.com/v1beta1" },
		{ TC_FAMILY_SERVERLESS, "http://127.0.0.1:8080", "https://127.0.0.1:8080/v1beta1" },
		{ TC_FAMILY_IAM, "https://iam.example.com/", "https://iam.example.com/v1beta1" },
		{ TC_FAMILY_DEDICATED, "https://d.example.com/v1beta1", "https://d.example.com/v1beta1" },
	};
	struct tc_error e = { 0 };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *u = tc_base_url_resolve(t[i].fam, t[i].in, &e);
		cr_assert(u, "%s: %s", t[i].in, e.message);
		cr_expect_str_eq(u, t[i].out);
		free(u);
	}
	cr_expect_null(tc_base_url_resolve(TC_FAMILY_IAM, "ftp://x", &e));
	cr_expect_eq(e.kind, TC_E_CONFIG);
	cr_expect_null(tc_base_url_resolve(TC_FAMILY_IAM, "https://user:pw@x", &e));
	cr_expect_null(tc_base_url_resolve(TC_FAMILY_IAM, "https:///path", &e));
	cr_expect_null(tc_base_url_resolve(TC_FAMILY_IAM, "https://h/p?q=1", &e));
}

Test(config, from_env_and_client)
{
	struct tc_config cfg = { 0 };
	struct tc_error e;
	tc_client *c;

	setenv("TIDBCLOUD_PUBLIC_KEY", "pk", 1);
	setenv("TIDBCLOUD_PRIVATE_KEY", "sk", 1);
	setenv("TIDBCLOUD_HOST", "https://127.0.0.1:1/api/v1beta", 1);
	setenv("TIDBCLOUD_SERVERLESS_ENDPOINT", "serverless.local", 1);
	setenv("TIDBCLOUD_DEDICATED_ENDPOINT", "", 1);
	unsetenv("TIDBCLOUD_IAM_ENDPOINT");
	cr_expect_eq(tc_config_from_env(&cfg), 4);
	cr_expect_str_eq(cfg.public_key, "pk");
	cr_expect_null(cfg.base_url[TC_FAMILY_DEDICATED]);
	c = tc_client_new(&cfg, &e);
	cr_assert(c, "%s", e.message);
	cr_expect_str_eq(tc_client_base_url(c, TC_FAMILY_V1BETA), "https://127.0.0.1:1/api/v1beta");
	cr_expect_str_eq(tc_client_base_url(c, TC_FAMILY_SERVERLESS), "https://serverless.local/v1beta1");
	cr_expect_str_eq(tc_client_base_url(c, TC_FAMILY_DEDICATED), "https://dedicated.tidbapi.com/v1beta1");
	tc_client_free(c);

	cfg.private_key = NULL;
	cr_expect_null(tc_client_new(&cfg, &e));
	cr_expect_eq(e.kind, TC_E_CONFIG);
	cfg.private_key = "sk";
	cfg.cacert = "/nonexistent/ca.pem";
	cr_expect_null(tc_client_new(&cfg, &e));
	cr_expect_eq(e.kind, TC_E_CONFIG);
	cr_expect(strstr(e.message, "/nonexistent/ca.pem"));
}

Test(escape, reserved)
{
	char *s = tc_escape("a b/c=d&e%f~g_h.i-j\xc3\xa9");
	cr_expect_str_eq(s, "a%20b%2Fc%3Dd%26e%25f~g_h.i-j%C3%A9");
	free(s);
	s = tc_escape("");
	cr_expect_str_eq(s, "");
	free(s);
}

/* ---- body shapes through tc_request ----------------------------------- */

static char logbuf[8192];
static void logger(void *arg, int level, const char *line)
{
	(void)arg; (void)level;
	strncat(logbuf, line, sizeof(logbuf) - strlen(logbuf) - 2);
	strcat(logbuf, "\n");
}

static int one(const struct fake_reply *r, json_t **out, struct tc_error *e)
{
	struct fake *f = fake_new(r, 1);
	struct fake_clock clk;
	struct tc_config cfg = { .public_key = "PUB", .private_key = "SECRET-PRIVATE-KEY",
				 .debug = 1, .log = logger };
	fake_clock_init(&clk, 1000);
	tc_client *c = fake_client(f, &clk, &cfg);
	int rc = tc_request(c, TC_FAMILY_SERVERLESS, "GET", "/clusters/7?view=FULL", NULL, out, e);
	tc_client_free(c);
	return rc;
}

Test(body, shapes)
{
	struct tc_error e;
	json_t *out = NULL;
	struct fake_reply ok = { .status = 200, .body = "{\"clusterId\":\"7\"}" };
	struct fake_reply empty = { .status = 200, .body = "  \n" };
	struct fake_reply nobody = { .status = 204 };
	struct fake_reply notjson = { .status = 200, .body = "<html>oops</html>", .trace = "t9" };
	struct fake_reply array = { .status = 200, .body = "[1,2,3]" };
	struct fake_reply trunc = { .status = 200, .body = "{\"clusterId\":\"7\"" };
	struct fake_reply fail = { .fail = TC_E_BAD_RESPONSE };

	cr_assert_eq(one(&ok, &out, &e), 0);
	cr_expect_str_eq(json_string_value(json_object_get(out, "clusterId")), "7");
	cr_expect_eq(e.kind, TC_OK);
	json_decref(out);
	cr_assert_eq(one(&empty, &out, &e), 0);
	cr_expect(json_is_object(out) && json_object_size(out) == 0);
	json_decref(out);
	cr_assert_eq(one(&nobody, &out, &e), 0);
	json_decref(out);
	cr_expect_eq(one(&notjson, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
	cr_expect_eq(tc_error_errno(&e, 0), EIO);
	cr_expect_str_eq(e.trace_id, "t9");
	cr_expect_str_eq(e.method, "GET");
	cr_expect_str_eq(e.path, "/clusters/7?view=FULL");
	cr_expect_eq(one(&array, &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
	cr_expect_eq(one(&trunc, &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
	cr_expect_eq(one(&fail, &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
}

Test(body, secrets_never_logged)
{
	struct tc_error e;
	json_t *out = NULL;
	struct fake_reply r401 = { .status = 401, .body = "{\"code\":49900001,\"message\":\"public_key not found\"}" };
	char line[1024];

	logbuf[0] = 0;
	cr_expect_eq(one(&r401, &out, &e), -1);
	cr_expect_eq(e.http_status, 401);
	cr_expect_str_eq(e.message, "public_key not found");
	cr_expect(strstr(logbuf, "GET serverless.tidbapi.com /v1beta1/clusters/7?view=FULL -> 401"), "%s", logbuf);
	cr_expect(strstr(logbuf, "PUB"), "the public key is named in the warning");
	cr_expect(!strstr(logbuf, "SECRET-PRIVATE-KEY"));
	cr_expect(!strstr(tc_error_format(&e, line, sizeof(line)), "SECRET-PRIVATE-KEY"));
}
