/*
 * auth.h — HTTP Digest authentication (RFC 7616, MD5, qop=auth).
 *
 * Nonces are stateless: "<issue time, 16 hex digits of monotonic ms>" followed
 * by MD5(time ":" secret) in hex, the secret being random per process. A
 * nonce is therefore valid for any URI and any nc until it is older than
 * emu_cfg.nonce_ttl_s; a client may reuse one challenge for many requests
 * (nc is checked to be well-formed and non-zero, not to be monotonic, so that
 * clients sending requests in parallel with one nonce are not refused).
 * A request whose digest is right but whose nonce is expired or not one of
 * ours gets EMU_AUTH_STALE (the client should retry with the new nonce of
 * a stale=true challenge, without asking the user again).
 */
#ifndef EMU_AUTH_H
#define EMU_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#define EMU_AUTH_REALM "tidb.cloud"

enum emu_auth_result {
	EMU_AUTH_OK,
	EMU_AUTH_MISSING,   /* no Authorization header or not Digest */
	EMU_AUTH_BAD,       /* malformed, wrong user, wrong password */
	EMU_AUTH_STALE      /* right credentials, expired or unknown nonce */
};

/* Generates the per-process secret. Call once before serving. */
void emu_auth_init(void);
/* Check an Authorization header value (may be NULL) for a request. */
enum emu_auth_result emu_auth_check(const char *authorization,
				    const char *method, const char *path);
/* A WWW-Authenticate header value with a fresh nonce. */
void emu_auth_challenge(char *out, size_t outlen, bool stale);

#endif
