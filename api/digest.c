/*
 * digest.c — HTTP Digest authentication (RFC 7616 / 2617, MD5 and MD5-sess,
 * qop=auth or none) done by the client itself rather than by libcurl, so
 * that ONE challenge is shared by every thread and every connection:
 *
 *  - the first exchange goes out without credentials and its 401 brings the
 *    challenge; tc_digest_update() stores it in the client;
 *  - every later exchange carries an Authorization header computed up front
 *    from the shared challenge with the next nc (one counter per nonce,
 *    incremented under the lock) and a fresh random cnonce;
 *  - a 401 carrying a new nonce (or stale=true) replaces the challenge and
 *    the request is repeated once (request.c).
 * So a client pays about one 401 in its lifetime, whatever the number of
 * threads or connections. The realm is never assumed: it is parsed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include "tc_internal.h"

/* ---- parsing ------------------------------------------------------------ */

static int is_tchar(int c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={} \t", c);
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* Read a token into buf (truncated); returns the position after it. */
static const char *read_token(const char *p, char *buf, size_t size)
{
	size_t n = 0;

	while (is_tchar((unsigned char)*p)) {
		if (n + 1 < size)
			buf[n++] = *p;
		p++;
	}
	buf[n] = '\0';
	return p;
}

/* Read a token or a quoted-string value; NULL on an unterminated quote. */
static const char *read_value(const char *p, char *buf, size_t size)
{
	size_t n = 0;

	if (*p != '"') {
		while (*p && *p != ',' && *p != ' ' && *p != '\t') {
			if (n + 1 < size)
				buf[n++] = *p;
			p++;
		}
		buf[n] = '\0';
		return p;
	}
	for (p++; *p != '"'; p++) {
		if (!*p)
			return NULL;
		if (*p == '\\' && p[1])
			p++;
		if (n + 1 < size)
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return p + 1;
}

/* Does a comma/space separated list contain exactly `word`? */
static int list_has(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; *p;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ' && *e != '\t')
			e++;
		if ((size_t)(e - p) == wl && strncasecmp(p, word, wl) == 0)
			return 1;
		p = e;
	}
	return 0;
}

static int algorithm_supported(const char *alg)
{
	return !*alg || strcasecmp(alg, "MD5") == 0 ||
	       strcasecmp(alg, "MD5-sess") == 0;
}

static int usable(const struct tc_digest_challenge *ch, int qop_seen)
{
	return ch->nonce[0] && algorithm_supported(ch->algorithm) &&
	       (!qop_seen || ch->qop_auth);
}

int tc_digest_parse(const char *header, struct tc_digest_challenge *out)
{
	struct tc_digest_challenge ch;
	int in_digest = 0, found = 0, qop_seen = 0;
	const char *p = header;
	char name[64], value[512];

	memset(out, 0, sizeof(*out));
	if (!header)
		return -1;
	memset(&ch, 0, sizeof(ch));
	for (;;) {
		p = skip_ws(p);
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *start = p;
		p = read_token(p, name, sizeof(name));
		if (p == start)
			return found ? 0 : -1;  /* garbage: keep what we have */
		const char *after = skip_ws(p);
		if (*after != '=') {
			/* A new scheme begins. */
			if (in_digest && usable(&ch, qop_seen)) {
				*out = ch;
				return 0;
			}
			in_digest = strcasecmp(name, "Digest") == 0;
			memset(&ch, 0, sizeof(ch));
			qop_seen = 0;
			continue;
		}
		p = read_value(skip_ws(after + 1), value, sizeof(value));
		if (!p)
			break;
		if (!in_digest)
			continue;
		found = 1;
		if (strcasecmp(name, "realm") == 0)
			tc_copy(ch.realm, sizeof(ch.realm), value);
		else if (strcasecmp(name, "nonce") == 0)
			tc_copy(ch.nonce, sizeof(ch.nonce), value);
		else if (strcasecmp(name, "opaque") == 0)
			tc_copy(ch.opaque, sizeof(ch.opaque), value);
		else if (strcasecmp(name, "algorithm") == 0)
			tc_copy(ch.algorithm, sizeof(ch.algorithm), value);
		else if (strcasecmp(name, "qop") == 0) {
			qop_seen = 1;
			ch.qop_auth = list_has(value, "auth");
		} else if (strcasecmp(name, "stale") == 0)
			ch.stale = strcasecmp(value, "true") == 0;
	}
	if (in_digest && usable(&ch, qop_seen)) {
		*out = ch;
		return 0;
	}
	return -1;
}

/* ---- computing ---------------------------------------------------------- */

/* MD5 hex of the given strings joined by ':'. */
static void md5_join(char out[33], int n, const char *const *parts)
{
	static const char hex[] = "0123456789abcdef";
	struct tc_md5 m;
	unsigned char d[16];

	tc_md5_init(&m);
	for (int i = 0; i < n; i++) {
		if (i)
			tc_md5_update(&m, ":", 1);
		tc_md5_update(&m, parts[i], strlen(parts[i]));
	}
	tc_md5_final(&m, d);
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[32] = '\0';
}

void tc_digest_response(const struct tc_digest_challenge *ch,
			const char *user, const char *password,
			const char *method, const char *uri,
			const char *nc, const char *cnonce, char out[33])
{
	char ha1[33], ha2[33];

	md5_join(ha1, 3, (const char *const[]){ user, ch->realm, password });
	if (strcasecmp(ch->algorithm, "MD5-sess") == 0) {
		char sess[33];
		md5_join(sess, 3, (const char *const[]){ ha1, ch->nonce, cnonce });
		memcpy(ha1, sess, sizeof(ha1));
	}
	md5_join(ha2, 2, (const char *const[]){ method, uri });
	if (ch->qop_auth)
		md5_join(out, 6, (const char *const[]){ ha1, ch->nonce, nc,
							cnonce, "auth", ha2 });
	else
		md5_join(out, 3, (const char *const[]){ ha1, ch->nonce, ha2 });
	memset(ha1, 0, sizeof(ha1));
}

/* Append `s` as a quoted-string. */
static int put_quoted(char *out, size_t size, size_t *len, const char *s)
{
	if (*len + 1 >= size)
		return -1;
	out[(*len)++] = '"';
	for (; *s; s++) {
		if (*len + 3 >= size)
			return -1;
		if (*s == '"' || *s == '\\')
			out[(*len)++] = '\\';
		out[(*len)++] = *s;
	}
	out[(*len)++] = '"';
	out[*len] = '\0';
	return 0;
}

static int put_raw(char *out, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > size)
		return -1;
	memcpy(out + *len, s, n + 1);
	*len += n;
	return 0;
}

int tc_digest_header(const struct tc_digest_challenge *ch, const char *user,
		     const char *password, const char *method,
		     const char *uri, unsigned long nc, const char *cnonce,
		     char *out, size_t size)
{
	char ncs[16], resp[33];
	size_t len = 0;
	int bad = 0;

	snprintf(ncs, sizeof(ncs), "%08lx", nc & 0xffffffffUL);
	tc_digest_response(ch, user, password, method, uri, ncs, cnonce, resp);
	if (size == 0)
		return -1;
	out[0] = '\0';
	bad |= put_raw(out, size, &len, "Digest username=");
	bad |= put_quoted(out, size, &len, user);
	bad |= put_raw(out, size, &len, ", realm=");
	bad |= put_quoted(out, size, &len, ch->realm);
	bad |= put_raw(out, size, &len, ", nonce=");
	bad |= put_quoted(out, size, &len, ch->nonce);
	bad |= put_raw(out, size, &len, ", uri=");
	bad |= put_quoted(out, size, &len, uri);
	if (ch->algorithm[0]) {
		bad |= put_raw(out, size, &len, ", algorithm=");
		bad |= put_raw(out, size, &len, ch->algorithm);
	}
	bad |= put_raw(out, size, &len, ", response=");
	bad |= put_quoted(out, size, &len, resp);
	if (ch->opaque[0]) {
		bad |= put_raw(out, size, &len, ", opaque=");
		bad |= put_quoted(out, size, &len, ch->opaque);
	}
	if (ch->qop_auth) {
		bad |= put_raw(out, size, &len, ", qop=auth, nc=");
		bad |= put_raw(out, size, &len, ncs);
		bad |= put_raw(out, size, &len, ", cnonce=");
		bad |= put_quoted(out, size, &len, cnonce);
	}
	return bad ? -1 : (int)len;
}

/* ---- the shared state --------------------------------------------------- */

void tc_digest_state_init(struct tc_digest_state *d)
{
	memset(d, 0, sizeof(*d));
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
}

void tc_digest_state_destroy(struct tc_digest_state *d)
{
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
}

static void make_cnonce(char out[17])
{
	static const char hex[] = "0123456789abcdef";
	static atomic_uint_fast64_t fallback;
	unsigned char r[8];

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t v = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
			     (atomic_fetch_add(&fallback, 1) * 0x9e3779b97f4a7c15ULL);
		memcpy(r, &v, sizeof(r));
	}
	for (int i = 0; i < 8; i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[16] = '\0';
}

int tc_digest_authorize(struct tc_digest_state *d, const char *user,
			const char *password, const char *method,
			const char *uri, char *out, size_t size,
			char used_nonce[256], int *fetcher)
{
	struct tc_digest_challenge ch;
	unsigned long nc;
	char cnonce[17];

	used_nonce[0] = '\0';
	*fetcher = 0;
	pthread_mutex_lock(&d->lock);
	if (!d->have && d->fetching) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += TC_DIGEST_GATE_MS / 1000;
		until.tv_nsec += (TC_DIGEST_GATE_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!d->have && d->fetching)
			if (pthread_cond_timedwait(&d->cond, &d->lock, &until) != 0)
				break;
	}
	if (!d->have) {
		if (!d->fetching)
			d->fetching = *fetcher = 1;
		pthread_mutex_unlock(&d->lock);
		return 0;
	}
	ch = d->ch;
	nc = ++d->nc;
	pthread_mutex_unlock(&d->lock);

	snprintf(used_nonce, 256, "%s", ch.nonce);
	make_cnonce(cnonce);
	return tc_digest_header(&ch, user, password, method, uri, nc, cnonce,
				out, size) < 0 ? -1 : 1;
}

int tc_digest_update(struct tc_digest_state *d,
		     const struct tc_digest_challenge *ch,
		     const char *used_nonce)
{
	int worth;

	worth = !used_nonce || !*used_nonce ||
		strcmp(used_nonce, ch->nonce) != 0 || ch->stale;
	pthread_mutex_lock(&d->lock);
	if (!d->have || strcmp(d->ch.nonce, ch->nonce) != 0) {
		d->ch = *ch;
		d->ch.stale = 0;
		d->nc = 0;
		d->have = 1;
		d->challenges++;
		pthread_cond_broadcast(&d->cond);
	}
	pthread_mutex_unlock(&d->lock);
	return worth;
}

void tc_digest_fetch_done(struct tc_digest_state *d)
{
	pthread_mutex_lock(&d->lock);
	d->fetching = 0;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}
