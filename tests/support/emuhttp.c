/* emuhttp.c — see emuhttp.h. */
#include "emuhttp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int emuhttp_open(struct emuhttp *c, const struct testemu *e, const char *user,
		 const char *pass)
{
	char conn[128];

	memset(c, 0, sizeof(*c));
	c->h = curl_easy_init();
	if (!c->h)
		return -1;
	snprintf(conn, sizeof(conn), "::127.0.0.1:%d", e->port);
	c->connect_to = curl_slist_append(NULL, conn);
	curl_easy_setopt(c->h, CURLOPT_CONNECT_TO, c->connect_to);
	curl_easy_setopt(c->h, CURLOPT_CAINFO, e->cacert);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	if (user) {
		curl_easy_setopt(c->h, CURLOPT_HTTPAUTH, (long)CURLAUTH_DIGEST);
		curl_easy_setopt(c->h, CURLOPT_USERNAME, user);
		curl_easy_setopt(c->h, CURLOPT_PASSWORD, pass);
	}
	return 0;
}

int emuhttp_open_auth(struct emuhttp *c, const struct testemu *e)
{
	return emuhttp_open(c, e, TESTEMU_PUBLIC_KEY, TESTEMU_PRIVATE_KEY);
}

void emuhttp_close(struct emuhttp *c)
{
	if (c->h)
		curl_easy_cleanup(c->h);
	curl_slist_free_all(c->connect_to);
	memset(c, 0, sizeof(*c));
}

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct emuhttp_resp *r = arg;
	size_t len = r->raw ? strlen(r->raw) : 0;
	char *grown = realloc(r->raw, len + sz * n + 1);
	if (!grown)
		return 0;
	memcpy(grown + len, p, sz * n);
	grown[len + sz * n] = '\0';
	r->raw = grown;
	return sz * n;
}

static void header_value(const char *line, size_t len, char *out, size_t outlen)
{
	const char *colon = memchr(line, ':', len);
	const char *v = colon ? colon + 1 : line + len;
	const char *end = line + len;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	snprintf(out, outlen, "%.*s", (int)(end - v), v);
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct emuhttp_resp *r = arg;
	size_t len = sz * n;
	char v[1024];

	if (len > 9 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (e.g. after a 401): reset per-response fields. */
		r->trace_id[0] = '\0';
		r->rl_limit = r->rl_remaining = r->rl_reset = -1;
	} else if (len > 17 && strncasecmp(p, "X-Debug-Trace-Id:", 17) == 0) {
		header_value(p, len, r->trace_id, sizeof(r->trace_id));
	} else if (strncasecmp(p, "X-Ratelimit-Limit-Minute:", 25) == 0) {
		header_value(p, len, v, sizeof(v));
		r->rl_limit = atol(v);
	} else if (strncasecmp(p, "X-Ratelimit-Remaining-Minute:", 29) == 0) {
		header_value(p, len, v, sizeof(v));
		r->rl_remaining = atol(v);
	} else if (strncasecmp(p, "X-Ratelimit-Reset:", 18) == 0) {
		header_value(p, len, v, sizeof(v));
		r->rl_reset = atol(v);
	} else if (strncasecmp(p, "WWW-Authenticate:", 17) == 0) {
		size_t used = strlen(r->www_auth);
		header_value(p, len, v, sizeof(v));
		snprintf(r->www_auth + used, sizeof(r->www_auth) - used, "%s%s",
			 used ? "\n" : "", v);
	}
	return len;
}

int emuhttp_request(struct emuhttp *c, const char *method, const char *url,
		    const char *body, const char *const *headers,
		    struct emuhttp_resp *out)
{
	struct curl_slist *hdrs = NULL;
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	out->rl_limit = out->rl_remaining = out->rl_reset = -1;
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	} else {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
	}
	for (size_t i = 0; headers && headers[i]; i++)
		hdrs = curl_slist_append(hdrs, headers[i]);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->h, CURLOPT_HEADERDATA, out);
	rc = curl_easy_perform(c->h);
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(c->h, CURLINFO_TOTAL_TIME, &out->seconds);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	if (!out->raw)
		out->raw = strdup("");
	out->body = out->raw && *out->raw ? json_loads(out->raw, 0, NULL) : NULL;
	return (int)rc;
}

void emuhttp_free(struct emuhttp_resp *r)
{
	json_decref(r->body);
	free(r->raw);
	memset(r, 0, sizeof(*r));
}

json_t *emuhttp_json(const struct testemu *e, const char *method,
		     const char *url, const char *body, long *status)
{
	struct emuhttp c;
	struct emuhttp_resp r;
	json_t *out = NULL;

	*status = 0;
	if (emuhttp_open_auth(&c, e) != 0)
		return NULL;
	if (emuhttp_request(&c, method, url, body, NULL, &r) == CURLE_OK) {
		*status = r.status;
		out = json_incref(r.body);
	}
	emuhttp_free(&r);
	emuhttp_close(&c);
	return out;
}
