/* auth.c — HTTP Digest authentication (auth.h). */
#include "auth.h"
#include "emu.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char secret[65];       /* written once by emu_auth_init */
static char opaque[33];

/* out = lower-case hex MD5 of s (33 bytes). */
static void md5_hex(const char *s, char out[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[16];

	if (gnutls_hash_fast(GNUTLS_DIG_MD5, s, strlen(s), d) != 0)
		memset(d, 0, sizeof(d));
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[32] = '\0';
}

void emu_auth_init(void)
{
	char buf[160];

	emu_random_hex(secret, 32);
	snprintf(buf, sizeof(buf), "opaque:%s", secret);
	md5_hex(buf, opaque);
}

static void make_nonce(char out[49], int64_t t)
{
	char buf[128], mac[33];

	snprintf(buf, sizeof(buf), "%016" PRIx64 ":%s", (uint64_t)t, secret);
	md5_hex(buf, mac);
	snprintf(out, 49, "%016" PRIx64 "%s", (uint64_t)t, mac);
}

/* 1 valid and fresh, 0 not ours or expired. */
static int nonce_fresh(const char *nonce)
{
	char expect[49], tbuf[17];
	int64_t t;

	if (strlen(nonce) != 48)
		return 0;
	memcpy(tbuf, nonce, 16);
	tbuf[16] = '\0';
	t = (int64_t)strtoull(tbuf, NULL, 16);
	make_nonce(expect, t);
	if (strcmp(expect, nonce) != 0)
		return 0;
	return emu_now_ms() - t <= emu_cfg.nonce_ttl_s * 1000;
}

void emu_auth_challenge(char *out, size_t outlen, bool stale)
{
	char nonce[49];

	make_nonce(nonce, emu_now_ms());
	snprintf(out, outlen,
		 "Digest realm=\"%s\", qop=\"auth\", nonce=\"%s\", "
		 "opaque=\"%s\", algorithm=MD5, stale=%s",
		 EMU_AUTH_REALM, nonce, opaque, stale ? "true" : "false");
}

/* The parameters of a Digest Authorization header we look at. */
struct digest_params {
	char username[256], realm[128], nonce[128], uri[8192], response[64];
	char qop[32], nc[32], cnonce[256], algorithm[32];
};

static char *param_slot(struct digest_params *p, const char *name, size_t *len)
{
#define SLOT(f) if (strcasecmp(name, #f) == 0) { *len = sizeof(p->f); return p->f; }
	SLOT(username) SLOT(realm) SLOT(nonce) SLOT(uri) SLOT(response)
	SLOT(qop) SLOT(nc) SLOT(cnonce) SLOT(algorithm)
#undef SLOT
	return NULL;
}

/* Parse `name=value` / `name="quoted"` pairs. 0 on success. */
static int parse_params(const char *s, struct digest_params *p)
{
	memset(p, 0, sizeof(*p));
	for (;;) {
		char name[32];
		size_t n = 0, cap = 0, len = 0;
		char *slot;

		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (!*s)
			return 0;
		while (*s && *s != '=' && *s != ' ' && *s != ',' && n < sizeof(name) - 1)
			name[n++] = *s++;
		name[n] = '\0';
		while (*s == ' ')
			s++;
		if (*s++ != '=')
			return -1;
		while (*s == ' ')
			s++;
		slot = param_slot(p, name, &cap);
		if (*s == '"') {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				if (slot && len + 1 < cap)
					slot[len++] = *s;
				else if (slot)
					return -1;
				s++;
			}
			if (*s++ != '"')
				return -1;
		} else {
			while (*s && *s != ',' && *s != ' ' && *s != '\t') {
				if (slot && len + 1 < cap)
					slot[len++] = *s;
				else if (slot)
					return -1;
				s++;
			}
		}
		if (slot)
			slot[len] = '\0';
	}
}

/* Decode %XX in the path part of a digest uri (up to '?'). */
static void uri_path(const char *uri, char *out, size_t outlen)
{
	size_t n = 0;

	for (const char *s = uri; *s && *s != '?' && n + 1 < outlen; s++) {
		if (*s == '%' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char h[3] = { s[1], s[2], 0 };
			out[n++] = (char)strtol(h, NULL, 16);
			s += 2;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
}

enum emu_auth_result emu_auth_check(const char *authorization,
				    const char *method, const char *path)
{
	struct digest_params p;
	char buf[8448], ha1[33], ha2[33], expect[33], upath[2048];

	if (!authorization || strncasecmp(authorization, "Digest ", 7) != 0)
		return EMU_AUTH_MISSING;
	if (parse_params(authorization + 7, &p) != 0)
		return EMU_AUTH_BAD;
	if (!p.username[0] || !p.nonce[0] || !p.uri[0] || !p.response[0] ||
	    !p.nc[0] || !p.cnonce[0] || strcmp(p.qop, "auth") != 0)
		return EMU_AUTH_BAD;
	if (p.algorithm[0] && strcasecmp(p.algorithm, "MD5") != 0)
		return EMU_AUTH_BAD;
	if (strcmp(p.realm, EMU_AUTH_REALM) != 0 ||
	    strcmp(p.username, emu_cfg.public_key) != 0)
		return EMU_AUTH_BAD;
	if (strspn(p.nc, "0123456789abcdefABCDEF") != strlen(p.nc) ||
	    strlen(p.nc) != 8 || strtoul(p.nc, NULL, 16) == 0)
		return EMU_AUTH_BAD;
	uri_path(p.uri, upath, sizeof(upath));
	if (strcmp(upath, path) != 0)
		return EMU_AUTH_BAD;

	snprintf(buf, sizeof(buf), "%s:%s:%s", p.username, EMU_AUTH_REALM,
		 emu_cfg.private_key);
	md5_hex(buf, ha1);
	snprintf(buf, sizeof(buf), "%s:%s", method, p.uri);
	md5_hex(buf, ha2);
	snprintf(buf, sizeof(buf), "%s:%s:%s:%s:%s:%s", ha1, p.nonce, p.nc,
		 p.cnonce, p.qop, ha2);
	md5_hex(buf, expect);
	if (strcasecmp(expect, p.response) != 0)
		return EMU_AUTH_BAD;
	return nonce_fresh(p.nonce) ? EMU_AUTH_OK : EMU_AUTH_STALE;
}
