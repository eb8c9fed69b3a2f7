/*
 * validate.h — the local checks of names and fields against the API's
 * published constraints, and the escaping of text that came from the API
 * before it reaches a terminal, the log or an .error file. ONE place for
 * every such rule (the mount refuses with EINVAL and no request; the
 * message says which rule). Pure functions: no locks, no I/O.
 *
 * The rules (shared/tidbcloud-api/specs):
 * - cluster displayName (serverless v1beta1 and dedicated v1beta1 Cluster,
 *   v1beta ClusterItem): ^[A-Za-z0-9][-A-Za-z0-9]{2,62}[A-Za-z0-9]$, that
 *   is 4 to 64 characters, letters, digits and '-', starting and ending
 *   with a letter or a digit.
 * - project name (v1beta CreateProjectReq): the spec publishes no pattern
 *   or length; the mount refuses what cannot be shown or deleted safely:
 *   empty, not UTF-8, a control character (C0, DEL, C1), leading or
 *   trailing white space, more than 64 characters.
 * - region ids (option default_region): ^(aws|gcp|azure|alicloud)-[a-z0-9-]+$
 */
#ifndef TCFS_VALIDATE_H
#define TCFS_VALIDATE_H

#include <stddef.h>
#include <jansson.h>

#define TCFS_CLUSTER_NAME_MIN 4
#define TCFS_CLUSTER_NAME_MAX 64
#define TCFS_PROJECT_NAME_MAX 64

/* 1 when the len bytes at s are valid UTF-8 (no NUL, no overlong forms,
 * no surrogates). */
int tcfs_utf8_valid(const char *s, size_t len);
/* 1 when s holds a control character: C0 (< 0x20), DEL, or a C1 code
 * point (U+0080..U+009F, UTF-8 C2 80..C2 9F). */
int tcfs_has_control(const char *s);

/* A cluster display name. 0, or -EINVAL with the broken rule in msg
 * (`what` names the field in the message: "displayName", "name"). */
int tcfs_valid_cluster_name(const char *s, const char *what,
			    char *msg, size_t msgsz);
/* A project name (mkdir projects/NAME). 0 or -EINVAL with msg. */
int tcfs_valid_project_name(const char *s, char *msg, size_t msgsz);
/* A region id such as aws-us-east-1. 0 or -EINVAL with msg. */
int tcfs_valid_region_id(const char *s, char *msg, size_t msgsz);

/* The editable fields of a cluster spec (serverless or dedicated) that
 * have a published constraint and DIFFER from `cur` (the current spec,
 * may be NULL: then every present field is checked): displayName, and the
 * integers (counts, sizes, the spending limit: 0 to 2^31-1; minRcu and
 * maxRcu: 0 to 2^53; a JSON number outside is refused). A value
 * the API holds already is never refused (writing spec.json back
 * unchanged always works). 0 or -EINVAL with "field: rule" in msg. */
/* Only the integers of tcfs_valid_cluster_spec (a create's body). */
int tcfs_valid_cluster_ints(json_t *spec, json_t *cur, char *msg,
			    size_t msgsz);
int tcfs_valid_cluster_spec(json_t *spec, json_t *cur, char *msg,
			    size_t msgsz);

/* What was written to a ctl file (buf, len bytes; may hold NUL): every
 * complete line, and with `final` the unterminated rest too, must be
 * exactly a use of one of `verbs` (usages "verb ARG [OPTIONAL]",
 * NULL-terminated; NULL = none): the verb, then one word (no blank, no
 * control character, UTF-8) per argument, separated by one space; a
 * [bracketed] argument may be left out. A NUL byte, an
 * empty line, white space or anything else refuses the WHOLE write.
 * 0 or -EINVAL with the reason in msg. */
int tcfs_ctl_text_valid(const char *buf, size_t len, const char *const *verbs,
			int final, char *msg, size_t msgsz);

/* Copy s into out (always NUL-terminated when outsz > 0) with control
 * characters written as \n, \r, \t, \e or \xHH (C1 as \u0080..\u009f) and
 * invalid UTF-8 bytes as \xHH. Returns out. */
char *tcfs_escape(const char *s, char *out, size_t outsz);

#endif
