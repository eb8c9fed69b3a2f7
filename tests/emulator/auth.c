/* auth.c — HTTP Digest authentication and the IAM API keys (auth.h). */
#include "auth.h"
#include "emu.h"
#include "model.h"

#include <pthread.h>

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

/* ---- the key table ------------------------------------------------------ */

struct apikey {
	char access[EMU_APIKEY_ACCESS_MAX + 1];
	char secret[EMU_APIKEY_SECRET_MAX + 1];
	char role[32];
	char display[128];
	char project[32];          /* "" for an organization key */
};

static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;
static struct apikey *keys;     /* guarded by keys_lock */
static size_t nkeys, capkeys;

/* The key of the request this thread handles (a connection's thread). */
static __thread char caller_key[EMU_APIKEY_ACCESS_MAX + 1];
static __thread char caller_role[32];

static const char *const org_roles[] = { "org:owner", "org:member",
	"org:billing_admin", "org:billing_viewer", "org:audit_admin", NULL };
static const char *const project_roles[] = { "project:owner", "project:dev",
	"project:readonly", "project:ctl_plane_viewer", NULL };

bool emu_auth_role_valid(const char *role, bool *project_role)
{
	for (size_t i = 0; role && org_roles[i]; i++)
		if (strcmp(role, org_roles[i]) == 0) {
			*project_role = false;
			return true;
		}
	for (size_t i = 0; role && project_roles[i]; i++)
		if (strcmp(role, project_roles[i]) == 0) {
			*project_role = true;
			return true;
		}
	return false;
}

static struct apikey *key_find(const char *access)
{
	for (size_t i = 0; access && i < nkeys; i++)
		if (strcmp(keys[i].access, access) == 0)
			return &keys[i];
	return NULL;
}

/* The API's ApiKey. */
static json_t *key_json(const struct apikey *k, bool with_secret)
{
	char name[256];
	json_t *o;

	snprintf(name, sizeof(name), "orgs/%s/apiKeys/%s", emu_model_org_id(),
		 k->access);
	o = json_pack("{s:s, s:s, s:s, s:s}", "accessKey", k->access,
		      "displayName", k->display, "name", name, "role", k->role);
	if (o && k->project[0])
		json_object_set_new(o, "projectId", json_string(k->project));
	if (o && with_secret)
		json_object_set_new(o, "secretKey", json_string(k->secret));
	return o;
}

int emu_auth_key_add(const char *access, const char *secret_key,
		     const char *role, const char *display, const char *project,
		     json_t **out)
{
	char gen_access[24], gen_secret[40];
	struct apikey *k;
	bool pr;
	int rc = -1;

	if (out)
		*out = NULL;
	if (!access) {   /* 16 upper-case hex characters, as a public key */
		emu_random_hex(gen_access, 8);
		for (char *p = gen_access; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		access = gen_access;
	}
	if (!secret_key) {
		char h[40];

		emu_random_hex(h, 16);
		snprintf(gen_secret, sizeof(gen_secret), "%.8s-%.4s-4%.3s-8%.3s-%.12s",
			 h, h + 8, h + 12, h + 15, h + 18);
		secret_key = gen_secret;
	}
	if (!*access || strlen(access) > EMU_APIKEY_ACCESS_MAX ||
	    !*secret_key || strlen(secret_key) > EMU_APIKEY_SECRET_MAX ||
	    !emu_auth_role_valid(role, &pr))
		return -1;
	pthread_mutex_lock(&keys_lock);
	if (key_find(access))
		goto out;
	if (nkeys == capkeys) {
		size_t cap = capkeys ? capkeys * 2 : 8;
		struct apikey *v = realloc(keys, cap * sizeof(*v));

		if (!v)
			goto out;
		keys = v;
		capkeys = cap;
	}
	k = &keys[nkeys++];
	memset(k, 0, sizeof(*k));
	snprintf(k->access, sizeof(k->access), "%s", access);
	snprintf(k->secret, sizeof(k->secret), "%s", secret_key);
	snprintf(k->role, sizeof(k->role), "%s", role);
	snprintf(k->display, sizeof(k->display), "%s", display ? display : "");
	snprintf(k->project, sizeof(k->project), "%s", project ? project : "");
	if (out)
		*out = key_json(k, true);
	rc = 0;
out:
	pthread_mutex_unlock(&keys_lock);
	explicit_bzero(gen_secret, sizeof(gen_secret));
	return rc;
}

json_t *emu_auth_keys_list(const char *project)
{
	json_t *a = json_array();

	pthread_mutex_lock(&keys_lock);
	for (size_t i = 0; i < nkeys; i++)
		if (!project || strcmp(keys[i].project, project) == 0)
			json_array_append_new(a, key_json(&keys[i], false));
	pthread_mutex_unlock(&keys_lock);
	return a;
}

json_t *emu_auth_key_get(const char *access)
{
	struct apikey *k;
	json_t *o = NULL;

	pthread_mutex_lock(&keys_lock);
	if ((k = key_find(access)))
		o = key_json(k, false);
	pthread_mutex_unlock(&keys_lock);
	return o;
}

int emu_auth_key_update(const char *access, const char *display,
			const char *role, const char *project)
{
	struct apikey *k;

	pthread_mutex_lock(&keys_lock);
	if (!(k = key_find(access))) {
		pthread_mutex_unlock(&keys_lock);
		return -1;
	}
	if (display)
		snprintf(k->display, sizeof(k->display), "%s", display);
	if (role)
		snprintf(k->role, sizeof(k->role), "%s", role);
	if (project)
		snprintf(k->project, sizeof(k->project), "%s", project);
	pthread_mutex_unlock(&keys_lock);
	return 0;
}

int emu_auth_key_delete(const char *access)
{
	struct apikey *k;

	pthread_mutex_lock(&keys_lock);
	if (!(k = key_find(access))) {
		pthread_mutex_unlock(&keys_lock);
		return -1;
	}
	explicit_bzero(k->secret, sizeof(k->secret));
	memmove(k, k + 1, (size_t)(keys + nkeys - (k + 1)) * sizeof(*k));
	nkeys--;
	pthread_mutex_unlock(&keys_lock);
	return 0;
}

const char *emu_auth_caller_key(void)
{
	return caller_key;
}

const char *emu_auth_caller_role(void)
{
	return caller_role;
}

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

void emu_auth_keys_reset(void)
{
	size_t kept = 0;

	pthread_mutex_lock(&keys_lock);
	for (size_t i = 0; i < nkeys; i++) {
		if (emu_cfg.public_key &&
		    strcmp(keys[i].access, emu_cfg.public_key) == 0)
			keys[kept++] = keys[i];
		else
			explicit_bzero(keys[i].secret, sizeof(keys[i].secret));
	}
	nkeys = kept;
	pthread_mutex_unlock(&keys_lock);
}

void emu_auth_init(void)
{
	char buf[160];

	emu_random_hex(secret, 32);
	snprintf(buf, sizeof(buf), "opaque:%s", secret);
	md5_hex(buf, opaque);
	/* the key of the environment: the seed's Organization Owner (first) */
	if (emu_auth_key_add(emu_cfg.public_key, emu_cfg.private_key,
			     "org:owner", "emulator owner key", NULL, NULL) == 0 &&
	    nkeys > 1) {
		struct apikey k = keys[nkeys - 1];

		memmove(keys + 1, keys, (nkeys - 1) * sizeof(*keys));
		keys[0] = k;
	}
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
	char key_secret[EMU_APIKEY_SECRET_MAX + 1], role[32];
	bool fresh;

	if (!authorization || strncasecmp(authorization, "Digest ", 7) != 0)
		return EMU_AUTH_MISSING;
	if (parse_params(authorization + 7, &p) != 0)
		return EMU_AUTH_BAD;
	if (!p.username[0] || !p.nonce[0] || !p.uri[0] || !p.response[0] ||
	    !p.nc[0] || !p.cnonce[0] || strcmp(p.qop, "auth") != 0)
		return EMU_AUTH_BAD;
	if (p.algorithm[0] && strcasecmp(p.algorithm, "MD5") != 0)
		return EMU_AUTH_BAD;
	caller_key[0] = caller_role[0] = '\0';
	if (strcmp(p.realm, EMU_AUTH_REALM) != 0)
		return EMU_AUTH_BAD;
	pthread_mutex_lock(&keys_lock);
	const struct apikey *k = key_find(p.username);

	if (k) {
		snprintf(key_secret, sizeof(key_secret), "%s", k->secret);
		snprintf(role, sizeof(role), "%s", k->role);
	}
	pthread_mutex_unlock(&keys_lock);
	if (!k)
		return EMU_AUTH_BAD;
	if (strspn(p.nc, "0123456789abcdefABCDEF") != strlen(p.nc) ||
	    strlen(p.nc) != 8 || strtoul(p.nc, NULL, 16) == 0)
		return EMU_AUTH_BAD;
	uri_path(p.uri, upath, sizeof(upath));
	if (strcmp(upath, path) != 0)
		return EMU_AUTH_BAD;

	snprintf(buf, sizeof(buf), "%s:%s:%s", p.username, EMU_AUTH_REALM,
		 key_secret);
	explicit_bzero(key_secret, sizeof(key_secret));
	md5_hex(buf, ha1);
	snprintf(buf, sizeof(buf), "%s:%s", method, p.uri);
	md5_hex(buf, ha2);
	snprintf(buf, sizeof(buf), "%s:%s:%s:%s:%s:%s", ha1, p.nonce, p.nc,
		 p.cnonce, p.qop, ha2);
	md5_hex(buf, expect);
	explicit_bzero(buf, sizeof(buf));
	if (strcasecmp(expect, p.response) != 0)
		return EMU_AUTH_BAD;
	fresh = nonce_fresh(p.nonce);
	if (fresh) {
		snprintf(caller_key, sizeof(caller_key), "%.64s", p.username);
		snprintf(caller_role, sizeof(caller_role), "%s", role);
	}
	return fresh ? EMU_AUTH_OK : EMU_AUTH_STALE;
}
