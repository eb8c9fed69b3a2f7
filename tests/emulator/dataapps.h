/*
 * dataapps.h — Data Service (dataservice.tidbapi.com /v1beta1) helpers
 * shared by routes_dataapps.c, routes_dataapp_parts.c and the unit tests.
 */
#ifndef EMU_DATAAPPS_H
#define EMU_DATAAPPS_H

#include <stdbool.h>
#include <jansson.h>

/* The `data` of an endpoint's test answer: {columns[], rows[], result{code,
 * message, startMs, endMs, latency, rowCount, rowAffect, limit}} from the
 * built-in evaluation of sql (${name} from args, an object of strings, or
 * the params' defaultValue) against the seeded tables orders and
 * customers. New reference (never NULL but on OOM). */
json_t *emu_dataapp_eval(const char *sql, json_t *params, json_t *args,
			 long row_limit);

/* The published patterns: a Data App version ^[1-9]\.[0-9]\.[0-9]$, an
 * endpoint path ^\/([a-zA-Z0-9_]+\/)*[a-zA-Z0-9_]+$ (2..64) and an endpoint
 * displayName ^[a-zA-Z0-9_\-\/\[\]]+$ (1..32). */
bool emu_dataapp_version_ok(const char *s);
bool emu_endpoint_path_ok(const char *s);
bool emu_endpoint_name_ok(const char *s);

#define EMU_DATAAPP_MAX_KEYS 100

#endif
