/*
 * store.h — small in-memory texts attached to directories (by
 * tcfs_node_dirkey): the last error (.error), the rejected spec text
 * (spec.json.rejected) and collection templates (.template.json).
 * Gone at unmount; a slot's text is wiped (zeroed) when it is replaced
 * or cleared (TCFS_SLOT_SECRET holds passwords). Thread-safe; one leaf mutex for the whole store.
 *
 * errors.c builds on it: tcfs_error_*() record a message for a directory
 * and write it to the log.
 */
#ifndef TCFS_STORE_H
#define TCFS_STORE_H

#include <stddef.h>
#include <time.h>
#include "tidbcloud.h"

struct tcfs_node;

enum tcfs_slot {
	TCFS_SLOT_ERROR = 0,
	TCFS_SLOT_REJECTED,
	TCFS_SLOT_TEMPLATE,
	TCFS_SLOT_SECRET,      /* TCFS_F_SECRET: wiped when cleared */
	TCFS_SLOT_COUNT
};

/* The store key of a directory's <file>.rejected (TCFS_SLOT_REJECTED):
 * the directory's key for spec.json.rejected, "<name>|<dirkey>" for the
 * others (query.sql.rejected next to spec.json.rejected). */
#define TCFS_REJECTED_KEY_MAX (TCFS_KEY_MAX + 64)
void tcfs_rejected_key(const char *dirkey, const char *rejected_name,
		       char *out, size_t size);

/* Replace a slot (text copied; len bytes). 0 / -ENOMEM. */
int tcfs_store_set(const char *dirkey, enum tcfs_slot slot, const char *text,
		   size_t len);
/* A malloc'd copy (NUL-terminated) or NULL when empty; *len, *mtime set. */
char *tcfs_store_get(const char *dirkey, enum tcfs_slot slot, size_t *len,
		     time_t *mtime);
/* 1 when the slot holds text. */
int tcfs_store_has(const char *dirkey, enum tcfs_slot slot);
void tcfs_store_clear(const char *dirkey, enum tcfs_slot slot);
/* A slot's texts live at most `seconds` (0: no limit, the default): an
 * older one is wiped and reads as empty. main() sets it for
 * TCFS_SLOT_SECRET (-o secret_ttl). */
void tcfs_store_set_ttl(enum tcfs_slot slot, double seconds);
/* Wipe every text of `slot` that outlived its ttl (a cache flush). */
void tcfs_store_expire(enum tcfs_slot slot);
/* The default life of an unread generated password (-o secret_ttl). */
#define TCFS_SECRET_TTL 600
void tcfs_store_free_all(void);

/* ---- whiteouts --------------------------------------------------------------
 * `mv FILE spec.json` across file systems unlinks spec.json and then creates
 * it with O_EXCL. So unlink of a writable virtual file (spec.json,
 * .template.json) succeeds without deleting anything: the name is hidden
 * until it is created again or TCFS_WHITEOUT_TTL seconds pass. */
#define TCFS_WHITEOUT_TTL 2
void tcfs_whiteout_set(const char *dirkey, const char *name);
/* 1 when hidden (expired whiteouts are forgotten). */
int tcfs_whiteout_has(const char *dirkey, const char *name);
void tcfs_whiteout_clear(const char *dirkey, const char *name);

/* ---- errors.c: .error of a directory (node's directory) ----------------- */

/* Record a message (one line; "\n" appended) for the node's directory and
 * log it at LOG_ERR. */
void tcfs_error_set(const struct tcfs_node *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Record an API failure: "<what>: <tc_error_format>". Returns the mapped
 * -errno (tc_error_errno(err, creating)). */
int tcfs_error_api(const struct tcfs_node *n, const char *what,
		   const struct tc_error *err, int creating);
void tcfs_error_clear(const struct tcfs_node *n);

#endif
