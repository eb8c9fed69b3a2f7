/*
 * family.h — small helpers shared by the family route files on the object
 * store (routes_branches.c, routes_exports.c, ...): field checks that answer
 * the published 400 in the host's error shape, fresh ids and times, the
 * cluster, project and stored-object look-ups that answer the 404, and the
 * seed's arrays (family.c).
 *
 * Every check returns 0 when the value is acceptable, else -1 with the 400
 * already in rs. All functions that look at the model require the model
 * lock (route handlers hold it).
 */
#ifndef EMU_FAMILY_H
#define EMU_FAMILY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emu.h"
#include "model.h"
#include "store.h"

/* a and b are both strings and equal (NULL is equal to nothing). */
static inline bool emu_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* obj[key] as a string, or NULL when absent or not a string. */
const char *emu_fstr(const json_t *obj, const char *key);

/* obj[key] must be a string of min..max bytes (max 0: no limit); absent is
 * accepted unless required. field names the value in the message. */
int emu_check_str(const struct emu_request *rq, struct emu_response *rs,
		  const json_t *obj, const char *key, const char *field,
		  size_t min, size_t max, bool required);
/* obj[key] must be one of allowed (NULL-terminated); absent is accepted
 * unless required. */
int emu_check_enum(const struct emu_request *rq, struct emu_response *rs,
		   const json_t *obj, const char *key, const char *field,
		   const char *const allowed[], bool required);
/* obj[key], when present, must be a JSON object (or an array). */
int emu_check_object(const struct emu_request *rq, struct emu_response *rs,
		     const json_t *obj, const char *key, const char *field,
		     bool required);
int emu_check_array_of_strings(const struct emu_request *rq,
			       struct emu_response *rs, const json_t *obj,
			       const char *key, const char *field);
/* An RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SS[.fff]Z" → Unix seconds. */
bool emu_parse_rfc3339(const char *s, time_t *out);

/* The published resource-name pattern of clusters and restored clusters:
 * ^[A-Za-z0-9][-A-Za-z0-9]{2,62}[A-Za-z0-9]$ */
bool emu_display_name_ok(const char *s);

/* Fresh ids: 19 decimal digits; prefix + 26 lowercase base32 characters
 * ("bran-", "exp-", "imp-", ...). out must hold 48 bytes. */
void emu_new_decimal_id(char out[48]);
void emu_new_prefixed_id(char out[48], const char *prefix);
/* Now, RFC 3339 UTC. */
void emu_now_rfc3339(char out[32]);

/* The project with this id, or NULL with a 404 in rs ("project <id> not
 * found"). */
struct emu_project *emu_project_or_404(const struct emu_request *rq,
				       struct emu_response *rs, const char *id);
/* The stored object (kind, parents, id), or NULL with a 404 in rs
 * ("<what> <id> not found"). */
struct emu_object *emu_find_or_404(const struct emu_request *rq,
				   struct emu_response *rs, const char *kind,
				   const char *const parents[], size_t nparents,
				   const char *id, const char *what);

/* A family's array of the seed: *list = seed[key], NULL when absent (both
 * 0); -1 with "\"<key>\" must be an array" in err when it is not one. */
int emu_seed_array(const json_t *seed, const char *key, json_t **list,
		   char *err, size_t errlen);

/* The Starter/Essential cluster with this id, or NULL with a 404 in rs
 * ("cluster ID not found"). */
struct emu_cluster *emu_serverless_cluster(const struct emu_request *rq,
					   struct emu_response *rs,
					   const char *id);
/* The Dedicated cluster with this id, or NULL with a 404 in rs. */
struct emu_cluster *emu_dedicated_cluster(const struct emu_request *rq,
					  struct emu_response *rs,
					  const char *id);

#endif
