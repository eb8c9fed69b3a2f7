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

#include <jansson.h>

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

/* ---- the organization's IAM API keys ------------------------------------
 *
 * Every key that authenticates is one of these (accessKey = the Digest user
 * name, secretKey = its password): the key of TIDBCLOUD_PUBLIC_KEY /
 * TIDBCLOUD_PRIVATE_KEY (or the demo default) is always there with the role
 * org:owner ("emulator owner key"), the seed's "apiKeys" add more, and POST
 * /v1beta1/apikeys (routes_apikeys.c) adds one with the role it asks for.
 * Roles are those of iam-v1beta1.json: org:owner, org:member,
 * org:billing_admin, org:billing_viewer, org:audit_admin (projectId 0) and
 * project:owner, project:dev, project:readonly, project:ctl_plane_viewer
 * (a projectId). The table has its own lock (a leaf: a route handler holding
 * the model lock may call these); a deleted key stops authenticating at once.
 */
#define EMU_APIKEY_ACCESS_MAX 64
#define EMU_APIKEY_SECRET_MAX 96

/* Is role one of the published roles? *project_role: a project:* one. */
bool emu_auth_role_valid(const char *role, bool *project_role);
/* Add a key (secret NULL: generated). 0, or -1 when access is empty, too
 * long or taken, or the role is not a published one. *out (may be NULL):
 * the ApiKey WITH its secretKey (the create answer). */
int emu_auth_key_add(const char *access, const char *secret, const char *role,
		     const char *display, const char *project, json_t **out);
/* Every key (project NULL) or those of a project, in creation order, as the
 * API lists them: no secretKey. New array. */
json_t *emu_auth_keys_list(const char *project);
/* One key without its secret, or NULL. */
json_t *emu_auth_key_get(const char *access);
/* Change the given fields (NULL: unchanged). 0, -1 absent. */
int emu_auth_key_update(const char *access, const char *display,
			const char *role, const char *project);
/* 0, -1 absent. */
int emu_auth_key_delete(const char *access);
/* Forget every key but the environment's (emu_cfg.public_key): the keys a
 * seed added go with the model (emu_model_free), so a model can be loaded
 * again. */
void emu_auth_keys_reset(void);
/* The accessKey and role of the key that authenticated the request this
 * thread is handling ("" when none). */
const char *emu_auth_caller_key(void);
const char *emu_auth_caller_role(void);

#endif
