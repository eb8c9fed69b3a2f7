/*
 * spec.h — spec.json: validation against a schema, and the difference
 * against the current values. Pure functions (no locks, no API calls).
 *
 * Schema language (a JSON text in the resource table):
 *   "string" | "integer" | "number" | "boolean" | "object" | "array" | "any",
 *     or alternatives joined by '|' ("integer|string");
 *   {"key": schema, ...}  an object with these keys ("*" = any key);
 *   [schema]              an array of elements of that schema.
 * A key that the schema lacks is accepted only when the full object has the
 * same value at that place (a read-only field left unchanged, e.g. after
 * pasting cluster.json); it is dropped from the result. A changed read-only
 * field or a field the object does not have is refused.
 * A value of the wrong type is accepted only when it is the object's own
 * value at that place, unchanged (the API's data may not match the schema;
 * writing spec.json back unchanged must always work).
 * Fields missing from the new spec are left unchanged (no request clears a
 * field by omission).
 */
#ifndef TCFS_SPEC_H
#define TCFS_SPEC_H

#include <stddef.h>
#include <jansson.h>

/* Parse and validate spec text. 0 and *out (new ref: schema fields only);
 * -EFBIG (len > TCFS_MAX_TEXT) or -EINVAL with a reason in msg. No I/O. */
int tcfs_spec_parse(const char *text, size_t len, const char *schema_text,
		    json_t *obj, json_t **out, char *msg, size_t msgsz);

/* What tcfs_spec_parse checks without the current object (before any
 * request): size, JSON syntax, an object, and the types of the schema's
 * fields, against `known` (the last object the cache saw, any age; may be
 * NULL) for the "unchanged value of another type" exception. Fields that
 * are not in the schema are skipped (whether they are read-only and
 * unchanged needs the current object). 0 and *out (new ref: the schema
 * fields) or -EFBIG / -EINVAL with msg. No I/O. */
int tcfs_spec_precheck(const char *text, size_t len, const char *schema_text,
		       json_t *known, json_t **out, char *msg, size_t msgsz);

/* The value at a dotted path ("endpoints.public.disabled"), borrowed. */
json_t *tcfs_json_path_borrow(json_t *root, const char *path);

/* Changed mask paths between cur and next. Returns the number of changed
 * paths; when > 0, *body (new ref) holds the changed values at their paths
 * and mask the comma-separated paths. -1 when mask does not fit. */
int tcfs_spec_diff_mask(json_t *cur, json_t *next, const char *const *paths,
			json_t **body, char *mask, size_t masksz);
/* Changed top-level fields; *changes (new ref, always set) holds them.
 * Returns their number. */
int tcfs_spec_diff_flat(json_t *cur, json_t *next, json_t **changes);

#endif
