/*
 * transport.c — what every transport shares: the response record and the
 * parsing of response header lines (the headers the client cares about:
 * WWW-Authenticate, X-Debug-Trace-Id, X-Ratelimit-*).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include "transport.h"

void tc_http_response_init(struct tc_http_response *r)
{
	memset(r, 0, sizeof(*r));
	r->rl_limit = r->rl_remaining = r->rl_reset = -1;
}

void tc_http_response_release(struct tc_http_response *r)
{
	free(r->body);
	free(r->www_authenticate);
	tc_http_response_init(r);
}

static long parse_nonneg(const char *v, size_t len)
{
	long n = 0;
	size_t i = 0;

	if (len == 0)
		return -1;
	for (; i < len && isdigit((unsigned char)v[i]); i++) {
		if (n > 100000000L)
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	/* "23" or "23.5": the integral part; anything else is absent. */
	if (i == 0 || (i < len && v[i] != '.'))
		return -1;
	return n;
}

int tc_http_response_header(struct tc_http_response *r, const char *line,
			    size_t len)
{
	const char *colon, *v;
	size_t nlen, vlen;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* A new header block: forget the previous one's headers. */
		const char *sp = memchr(line, ' ', len), *sp2;
		free(r->www_authenticate);
		r->www_authenticate = NULL;
		r->trace_id[0] = '\0';
		r->reason[0] = '\0';
		r->rl_limit = r->rl_remaining = r->rl_reset = -1;
		r->date = 0;
		if (sp && (sp2 = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - line)))) {
			size_t rl = len - (size_t)(sp2 + 1 - line);
			if (rl >= sizeof(r->reason))
				rl = sizeof(r->reason) - 1;
			memcpy(r->reason, sp2 + 1, rl);
			r->reason[rl] = '\0';
		}
		return 0;
	}
	colon = memchr(line, ':', len);
	if (!colon)
		return 0;
	nlen = (size_t)(colon - line);
	v = colon + 1;
	while (v < line + len && (*v == ' ' || *v == '\t'))
		v++;
	vlen = (size_t)(line + len - v);
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;

#define IS(name) (nlen == sizeof(name) - 1 && strncasecmp(line, name, nlen) == 0)
	if (IS("Date")) {
		char d[64];
		struct tm tm;
		const char *end;

		if (vlen < sizeof(d)) {
			memcpy(d, v, vlen);
			d[vlen] = '\0';
			memset(&tm, 0, sizeof(tm));
			end = strptime(d, "%a, %d %b %Y %H:%M:%S GMT", &tm);
			if (end && !*end)
				r->date = (long long)timegm(&tm);
		}
		return 0;
	}
	if (IS("WWW-Authenticate")) {
		size_t old = r->www_authenticate ? strlen(r->www_authenticate) : 0;
		char *grown = realloc(r->www_authenticate, old + vlen + 3);
		if (!grown)
			return -1;
		if (old) {
			memcpy(grown + old, ", ", 2);
			old += 2;
		}
		memcpy(grown + old, v, vlen);
		grown[old + vlen] = '\0';
		r->www_authenticate = grown;
	} else if (IS("X-Debug-Trace-Id")) {
		size_t n = vlen < sizeof(r->trace_id) ? vlen : sizeof(r->trace_id) - 1;
		memcpy(r->trace_id, v, n);
		r->trace_id[n] = '\0';
	} else if (IS("X-Ratelimit-Limit-Minute")) {
		r->rl_limit = parse_nonneg(v, vlen);
	} else if (IS("X-Ratelimit-Remaining-Minute")) {
		r->rl_remaining = parse_nonneg(v, vlen);
	} else if (IS("X-Ratelimit-Reset")) {
		r->rl_reset = parse_nonneg(v, vlen);
	}
#undef IS
	return 0;
}
