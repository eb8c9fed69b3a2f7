/*
 * family_dataapps_int.h — what the two files of the Data Service family
 * share: family_dataapps.c (apps, endpoints) and family_dataapp_parts.c
 * (an app's api-keys/, data-sources/, deployments/). Private to them; the
 * rules the unit tests call are in family_dataapps.h.
 */
#ifndef TCFS_FAMILY_DATAAPPS_INT_H
#define TCFS_FAMILY_DATAAPPS_INT_H

#include <stddef.h>
#include <jansson.h>

#include "tcfs.h"

/* The files of a collection with a mkdir template: .template.json, .error
 * (family_dataapps.c). */
extern const struct tcfs_file_desc tcfs_da_coll_files[2];

/* s is one of l (NULL-terminated); NULL is in no list. */
int tcfs_da_in_list(const char *s, const char *const *l);
/* o[key], when present, is an integer from lo to hi; else -EINVAL with
 * "<where><key>: ..." in msg. */
int tcfs_da_check_int(json_t *o, const char *key, long lo, long hi,
		      const char *where, char *msg, size_t msgsz);
/* .template.json is an object of only these keys; else -EINVAL. */
int tcfs_da_only_keys(json_t *tpl, const char *const *keys, char *msg,
		      size_t msgsz);
/* The text of a template object t (stolen), or NULL. */
char *tcfs_da_render_template(json_t *t);
/* A spec.json: the keys of obj that are present. New reference. */
json_t *tcfs_da_pick(json_t *obj, const char *const *keys);

/* The id of the project's cluster named want (a name or an id of
 * projects/<p>/clusters/, a cached listing); n has the project as ids[0].
 * 0, or -errno with the reason in msg (family_dataapp_parts.c). */
int tcfs_da_resolve_cluster(const struct tcfs_node *n, const char *want,
			    char *id, size_t idsz, char *msg, size_t msgsz);

#endif
