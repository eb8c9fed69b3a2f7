/*
 * naming.h — how entries of a collection are named (part of the interface):
 * an entry is listed under its display name when that name is a valid file
 * name (not empty, not "." or "..", no '/', at most 255 bytes, UTF-8 with
 * no control character), is not one
 * of the collection's own fixed entries, is unique among its siblings and is
 * not the id of a sibling; otherwise under its id. Every entry can also be
 * reached by its id (an alias that is not listed). Pure functions, no locks.
 */
#ifndef TCFS_NAMING_H
#define TCFS_NAMING_H

#include <stddef.h>

struct tcfs_named {
	const char *display;   /* may be NULL */
	const char *id;        /* never NULL */
	const char *name;      /* out: display or id (borrowed from above) */
};

/* 1 if s may be a file name. */
int tcfs_name_valid(const char *s);
/* Assign v[i].name for all items. `reserved` is a NULL-terminated list of
 * names taken by fixed entries (may be NULL). O(n log n). */
void tcfs_naming_assign(struct tcfs_named *v, size_t n,
			const char *const *reserved);
/* Index of the entry answering to `name`: a listed name first, then an id;
 * -1 when none. Call after tcfs_naming_assign. */
long tcfs_naming_find(const struct tcfs_named *v, size_t n, const char *name);

#endif
