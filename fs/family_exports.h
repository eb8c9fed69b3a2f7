/*
 * family_exports.h — the pure parts of family_exports.c the unit tests
 * call: the create body from .template.json and the presigned URL's
 * expiry.
 */
#ifndef TCFS_FAMILY_EXPORTS_H
#define TCFS_FAMILY_EXPORTS_H

#include <stddef.h>
#include <time.h>
#include <jansson.h>

/* The export name rule (displayName 1..64 characters, no control
 * character). 0 or -EINVAL with the rule in msg. */
int tcfs_export_check_name(const char *name, char *msg, size_t msgsz);
/* The body of POST /clusters/{c}/exports from the template (an object
 * with exportOptions and target, checked against the spec's enums) and
 * the name (displayName). 0 and *body (new), or -EINVAL with the rule in
 * msg. */
int tcfs_export_body(json_t *tpl, const char *name, json_t **body,
		     char *msg, size_t msgsz);
/* When a presigned URL stops working, from its query (X-Emu-Expires:
 * unix seconds; X-Amz-Date + X-Amz-Expires), or now + 300 s when it says
 * nothing. */
time_t tcfs_presigned_expiry(const char *url, time_t now);

/* The stream of an export's file (export_files.c). */
struct tcfs_stream;
extern const struct tcfs_stream tcfs_export_file_stream;

#endif
