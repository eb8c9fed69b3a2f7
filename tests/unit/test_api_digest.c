/* Unit tests: MD5, digest challenge parsing, response computation, the
 * shared challenge and the 401 round trips of the request loop. */
#include <criterion/criterion.h>
#include <errno.h>
#include "fake_transport.h"

static void md5s(const char *s, char out[33])
{
	tc_md5_hex(s, strlen(s), out);
}

Test(md5, rfc1321_vectors)
{
	static const char *const v[][2] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char out[33];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5s(v[i][0], out);
		cr_expect_str_eq(out, v[i][1], "MD5(\"%s\")", v[i][0]);
	}
}

Test(md5, incremental_equals_oneshot)
{
	char buf[1000], a[33], b[33];
	static const char hex[] = "0123456789abcdef";
	struct tc_md5 m;
	unsigned char d[16];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 3);
	tc_md5_hex(buf, sizeof(buf), a);
	tc_md5_init(&m);
	for (size_t off = 0, step = 1; off < sizeof(buf); off += step, step = step * 3 % 71 + 1)
		tc_md5_update(&m, buf + off, off + step > sizeof(buf) ? sizeof(buf) - off : step);
	tc_md5_final(&m, d);
	for (int i = 0; i < 16; i++) {
		b[2 * i] = hex[d[i] >> 4];
		b[2 * i + 1] = hex[d[i] & 15];
	}
	b[32] = 0;
	cr_expect_str_eq(a, b);
}

Test(digest, rfc2617_known_answer)
{
	struct tc_digest_challenge ch;
	char resp[33];

	cr_assert_eq(tc_digest_parse("Digest realm=\"testrealm@host.com\", "
				     "qop=\"auth,auth-int\", "
				     "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
				     "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", &ch), 0);
	cr_expect_str_eq(ch.realm, "testrealm@host.com");
	cr_expect_str_eq(ch.nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
	cr_expect_str_eq(ch.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
	cr_expect(ch.qop_auth);
	tc_digest_response(&ch, "Mufasa", "Circle Of Life", "GET", "/dir/index.html",
			   "00000001", "0a4f113b", resp);
	cr_expect_str_eq(resp, "6629fae49393a05397450978507c4ef1");
}

Test(digest, parse_variants)
{
	struct tc_digest_challenge ch;

	/* Several schemes, unquoted values, odd spacing, escapes. */
	cr_assert_eq(tc_digest_parse("Basic realm=\"x\", Digest  realm = \"a\\\"b\" ,"
				     "nonce=abc123,algorithm=MD5-sess,qop=\"auth\","
				     "stale=TRUE", &ch), 0);
	cr_expect_str_eq(ch.realm, "a\"b");
	cr_expect_str_eq(ch.nonce, "abc123");
	cr_expect_str_eq(ch.algorithm, "MD5-sess");
	cr_expect(ch.qop_auth);
	cr_expect(ch.stale);

	/* No qop: RFC 2069 compatibility. */
	cr_assert_eq(tc_digest_parse("Digest realm=\"r\", nonce=\"n\"", &ch), 0);
	cr_expect(!ch.qop_auth);
	cr_expect(!ch.stale);

	/* Realm is whatever the server says. */
	cr_assert_eq(tc_digest_parse("digest realm=\"tidb.cloud\", nonce=\"n\", qop=\"auth\", "
				     "algorithm=MD5", &ch), 0);
	cr_expect_str_eq(ch.realm, "tidb.cloud");

	/* SHA-256 first, MD5 second: the MD5 one is chosen. */
	cr_assert_eq(tc_digest_parse("Digest realm=\"r\", nonce=\"n1\", algorithm=SHA-256, "
				     "qop=\"auth\", Digest realm=\"r\", nonce=\"n2\", "
				     "algorithm=MD5, qop=\"auth\"", &ch), 0);
	cr_expect_str_eq(ch.nonce, "n2");

	/* Unusable. */
	cr_expect_eq(tc_digest_parse("Basic realm=\"x\"", &ch), -1);
	cr_expect_eq(tc_digest_parse("Digest realm=\"x\"", &ch), -1);
	cr_expect_eq(tc_digest_parse("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-256", &ch), -1);
	cr_expect_eq(tc_digest_parse("Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"", &ch), -1);
	cr_expect_eq(tc_digest_parse("Digest realm=\"unterminated", &ch), -1);
	cr_expect_eq(tc_digest_parse("", &ch), -1);
	cr_expect_eq(tc_digest_parse(NULL, &ch), -1);
}

Test(digest, md5_sess_and_no_qop)
{
	struct tc_digest_challenge ch = { 0 };
	char r[33], ha1[33], sess[33], ha2[33], want[33], buf[512];

	strcpy(ch.realm, "R");
	strcpy(ch.nonce, "N");
	strcpy(ch.algorithm, "MD5-sess");
	ch.qop_auth = 1;
	tc_digest_response(&ch, "u", "p", "GET", "/x", "00000001", "C", r);
	md5s("u:R:p", ha1);
	snprintf(buf, sizeof(buf), "%s:N:C", ha1);
	md5s(buf, sess);
	md5s("GET:/x", ha2);
	snprintf(buf, sizeof(buf), "%s:N:00000001:C:auth:%s", sess, ha2);
	md5s(buf, want);
	cr_expect_str_eq(r, want);

	ch.algorithm[0] = 0;
	ch.qop_auth = 0;
	tc_digest_response(&ch, "u", "p", "GET", "/x", "", "", r);
	snprintf(buf, sizeof(buf), "%s:N:%s", ha1, ha2);
	md5s(buf, want);
	cr_expect_str_eq(r, want);
}

Test(digest, header_fields)
{
	struct tc_digest_challenge ch;
	char h[1024];

	cr_assert_eq(tc_digest_parse("Digest realm=\"tidbcloud\", nonce=\"NONCE\", "
				     "opaque=\"OP\", qop=\"auth\", algorithm=MD5", &ch), 0);
	cr_assert_gt(tc_digest_header(&ch, "pub", "priv", "GET", "/v1beta1/clusters?x=1",
				      42, "cafe", h, sizeof(h)), 0);
	cr_expect(strstr(h, "Digest username=\"pub\"") == h);
	cr_expect(strstr(h, "realm=\"tidbcloud\""));
	cr_expect(strstr(h, "nonce=\"NONCE\""));
	cr_expect(strstr(h, "uri=\"/v1beta1/clusters?x=1\""));
	cr_expect(strstr(h, "algorithm=MD5"));
	cr_expect(strstr(h, "opaque=\"OP\""));
	cr_expect(strstr(h, "qop=auth"));
	cr_expect(strstr(h, "nc=0000002a"));
	cr_expect(strstr(h, "cnonce=\"cafe\""));
	cr_expect(!strstr(h, "priv"), "the password never appears");
	cr_expect_eq(tc_digest_header(&ch, "pub", "priv", "GET", "/", 1, "c", h, 40), -1);
}

Test(digest, shared_state)
{
	struct tc_digest_state d;
	struct tc_digest_challenge ch, ch2;
	char h[1024], used[256];
	int fetcher;

	tc_digest_state_init(&d);
	cr_expect_eq(tc_digest_authorize(&d, "u", "p", "GET", "/", h, sizeof(h), used, &fetcher), 0);
	cr_expect_eq(fetcher, 1, "the first caller fetches the challenge");
	cr_assert_eq(tc_digest_parse("Digest realm=\"r\", nonce=\"n1\", qop=\"auth\"", &ch), 0);
	cr_expect_eq(tc_digest_update(&d, &ch, NULL), 1, "nothing sent: worth retrying");
	tc_digest_fetch_done(&d);
	cr_expect_eq(tc_digest_authorize(&d, "u", "p", "GET", "/", h, sizeof(h), used, &fetcher), 1);
	cr_expect(strstr(h, "nc=00000001"));
	cr_expect_str_eq(used, "n1");
	cr_expect_eq(tc_digest_authorize(&d, "u", "p", "GET", "/", h, sizeof(h), used, &fetcher), 1);
	cr_expect(strstr(h, "nc=00000002"));
	/* Same nonce refused again: wrong credentials, not worth it. */
	cr_expect_eq(tc_digest_update(&d, &ch, "n1"), 0);
	/* stale=true with a new nonce: worth it, nc restarts. */
	cr_assert_eq(tc_digest_parse("Digest realm=\"r\", nonce=\"n2\", qop=\"auth\", stale=true", &ch2), 0);
	cr_expect_eq(tc_digest_update(&d, &ch2, "n1"), 1);
	cr_expect_eq(tc_digest_authorize(&d, "u", "p", "GET", "/", h, sizeof(h), used, &fetcher), 1);
	cr_expect(strstr(h, "nc=00000001"));
	cr_expect_str_eq(used, "n2");
	cr_expect_eq(d.challenges, 2);
	tc_digest_state_destroy(&d);
}

/* ---- the request loop against a fake server that checks digest ------- */

struct server {
	pthread_mutex_t lock;
	const char *password;
	char nonce[64];
	int nonce_gen;
	long challenges, ok;
	unsigned long max_nc;
};

static int digest_server(struct fake *f, const struct tc_http_request *req,
			 struct tc_http_response *resp, struct tc_error *err)
{
	struct server *s = f->arg;
	char chal[256], want[33], nc[16] = "", cnonce[64] = "", got[40] = "", nonce[64] = "";
	const char *a = req->authorization, *p;
	struct tc_digest_challenge ch = { 0 };

	pthread_mutex_lock(&s->lock);
	snprintf(chal, sizeof(chal), "Digest realm=\"emu\", nonce=\"%s\", qop=\"auth\", "
		 "algorithm=MD5", s->nonce);
	if (a) {
		if ((p = strstr(a, "nc=")))
			sscanf(p, "nc=%15[0-9a-f]", nc);
		if ((p = strstr(a, "cnonce=\"")))
			sscanf(p, "cnonce=\"%63[^\"]", cnonce);
		if ((p = strstr(a, "response=\"")))
			sscanf(p, "response=\"%39[^\"]", got);
		if ((p = strstr(a, " nonce=\"")))
			sscanf(p, " nonce=\"%63[^\"]", nonce);
		strcpy(ch.realm, "emu");
		strcpy(ch.nonce, s->nonce);
		ch.qop_auth = 1;
		const char *uri = strstr(req->url + 8, "/");
		tc_digest_response(&ch, "PUBKEY", s->password, req->method, uri, nc,
				   cnonce, want);
	}
	if (!a || strcmp(nonce, s->nonce) != 0 || strcmp(got, want) != 0) {
		s->challenges++;
		pthread_mutex_unlock(&s->lock);
		resp->status = 401;
		resp->www_authenticate = strdup(chal);
		resp->body = strdup("{\"code\":49900001,\"message\":\"The API key cannot be authenticated\",\"details\":[]}");
		resp->body_len = strlen(resp->body);
		return 0;
	}
	s->ok++;
	unsigned long n = strtoul(nc, NULL, 16);
	if (n > s->max_nc)
		s->max_nc = n;
	pthread_mutex_unlock(&s->lock);
	resp->status = 200;
	resp->body = strdup("{\"ok\":true}");
	resp->body_len = strlen(resp->body);
	(void)err;
	return 0;
}

static struct server srv;

static tc_client *digest_client(struct fake **fp, const char *server_password)
{
	struct fake *f = fake_new(NULL, 0);
	memset(&srv, 0, sizeof(srv));
	pthread_mutex_init(&srv.lock, NULL);
	srv.password = server_password;
	strcpy(srv.nonce, "nonce-1");
	f->handler = digest_server;
	f->arg = &srv;
	*fp = f;
	tc_client *c = fake_client(f, NULL, NULL);
	if (c)   /* the fake sends no X-Ratelimit headers: no local pacing */
		tc_client_set_pacing(c, 0);
	return c;
}

Test(digest_flow, one_challenge_then_one_exchange_per_call)
{
	struct fake *f;
	tc_client *c = digest_client(&f, "secret-private-key-XYZ");
	struct tc_error err;
	struct tc_stats st;
	json_t *out;

	cr_assert(c);
	for (int i = 0; i < 50; i++) {
		cr_assert_eq(tc_request(c, TC_FAMILY_SERVERLESS, "GET", "/clusters", NULL,
					&out, &err), 0, "%s", err.message);
		json_decref(out);
	}
	cr_expect_eq(srv.challenges, 1);
	cr_expect_eq(f->nreq, 51);
	cr_expect_null(f->auth[0], "the first exchange has no credentials");
	cr_expect(strstr(f->auth[2], "nc=00000002"));
	tc_client_stats(c, &st);
	cr_expect_eq(st.requests, 51);
	cr_expect_eq(st.api_calls, 50);
	cr_expect_eq(tc_client_challenges(c), 1);

	/* The server rotates its nonce: one 401, the call still succeeds. */
	strcpy(srv.nonce, "nonce-2");
	cr_assert_eq(tc_request(c, TC_FAMILY_V1BETA, "POST", "/projects", NULL, &out, &err), 0);
	json_decref(out);
	cr_expect_eq(srv.challenges, 2);
	cr_expect_eq(f->nreq, 53);
	tc_client_free(c);
}

Test(digest_flow, wrong_key_is_eacces_with_message)
{
	struct fake *f;
	tc_client *c = digest_client(&f, "another-password");
	struct tc_error err;
	json_t *out = NULL;

	cr_assert(c);
	cr_assert_eq(tc_request(c, TC_FAMILY_SERVERLESS, "GET", "/clusters", NULL, &out, &err), -1);
	cr_expect_null(out);
	cr_expect_eq(err.kind, TC_E_HTTP);
	cr_expect_eq(err.http_status, 401);
	cr_expect_eq(tc_error_errno(&err, 0), EACCES);
	cr_expect_str_eq(err.message, "The API key cannot be authenticated");
	cr_expect_str_eq(err.api_code, "49900001");
	cr_expect_eq(f->nreq, 2, "one unauthenticated + one authenticated exchange");
	/* A later call: one exchange, no loop. */
	cr_assert_eq(tc_request(c, TC_FAMILY_SERVERLESS, "GET", "/clusters", NULL, &out, &err), -1);
	cr_expect_eq(f->nreq, 3);
	tc_client_free(c);
}

struct thr { tc_client *c; int n; int failures; };

static void *worker(void *arg)
{
	struct thr *t = arg;
	struct tc_error err;
	json_t *out;

	for (int i = 0; i < t->n; i++) {
		if (tc_request(t->c, TC_FAMILY_SERVERLESS, "GET", "/clusters/1", NULL,
			       &out, &err) != 0)
			t->failures++;
		else
			json_decref(out);
	}
	return NULL;
}

Test(digest_flow, threads_share_one_challenge)
{
	struct fake *f;
	tc_client *c = digest_client(&f, "secret-private-key-XYZ");
	pthread_t th[8];
	struct thr t[8];
	json_t *out;
	struct tc_error err;

	cr_assert(c);
	/* warm-up: one call fetches the challenge */
	cr_assert_eq(tc_request(c, TC_FAMILY_SERVERLESS, "GET", "/x", NULL, &out, &err), 0);
	json_decref(out);
	for (int i = 0; i < 8; i++) {
		t[i] = (struct thr){ c, 200, 0 };
		pthread_create(&th[i], NULL, worker, &t[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(t[i].failures, 0);
	}
	cr_expect_eq(srv.challenges, 1, "one challenge for 1601 calls");
	cr_expect_eq(srv.max_nc, 1601);
	tc_client_free(c);
}

Test(digest_flow, cold_start_threads_pay_one_challenge)
{
	struct fake *f;
	tc_client *c = digest_client(&f, "secret-private-key-XYZ");
	pthread_t th[8];
	struct thr t[8];

	cr_assert(c);
	f->latency_ms = 0;
	for (int i = 0; i < 8; i++) {
		t[i] = (struct thr){ c, 50, 0 };
		pthread_create(&th[i], NULL, worker, &t[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(t[i].failures, 0);
	}
	cr_expect_eq(srv.challenges, 1, "the other threads waited for the first 401");
	cr_expect_eq(f->nreq, 401);
	tc_client_free(c);
}
