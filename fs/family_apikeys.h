/*
 * family_apikeys.h — the pure hooks of family_apikeys.c that the unit
 * tests call (tests/unit/test_fs_apikeys.c).
 */
#ifndef TCFS_FAMILY_APIKEYS_H
#define TCFS_FAMILY_APIKEYS_H

#include <stddef.h>
#include <jansson.h>

/* An API key's displayName as mkdir gets it: 1..64 characters of UTF-8
 * without control characters. 0 or -EINVAL with msg. */
int tcfs_apikey_name_check(const char *name, char *msg, size_t msgsz);

/* The POST /apikeys body from a template {role, projectId?} and the name:
 * {displayName, role, projectId} (projectId an integer, 0 for the
 * organization). 0 and *body, or -EINVAL with the rule in msg. */
int tcfs_apikey_body(json_t *tpl, const char *name, json_t **body,
		     char *msg, size_t msgsz);

/* spec.json {displayName, role, projectId} against the published rules
 * (the role one of iam-v1beta1.json's; an org:* role with projectId 0, a
 * project:* role with a project's id). cur may be NULL. 0 or -EINVAL. */
int tcfs_apikey_check(json_t *spec, json_t *cur, char *msg, size_t msgsz);

/* spec.json of an ApiKey object: {displayName, role, projectId} with
 * projectId an integer (0 when the key has none: an organization key). */
json_t *tcfs_apikey_spec(json_t *obj);

#endif
