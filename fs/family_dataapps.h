/*
 * family_dataapps.h — the pure rules and body builders of the Data Service
 * family (fs/family_dataapps.c; the key ones in fs/family_dataapp_parts.c),
 * for the unit tests. Each returns 0 or -EINVAL with the rule in msg
 * (nothing is sent).
 */
#ifndef TCFS_FAMILY_DATAAPPS_H
#define TCFS_FAMILY_DATAAPPS_H

#include <stddef.h>
#include <jansson.h>

int tcfs_dataapp_version_check(const char *v, char *msg, size_t msgsz);
int tcfs_dataapp_name_check(const char *name, char *msg, size_t msgsz);
int tcfs_endpoint_path_check(const char *s, char *msg, size_t msgsz);
int tcfs_endpoint_name_check(const char *s, char *msg, size_t msgsz);
/* endpoint spec / create fields: path, method, settings, params, ... */
int tcfs_endpoint_check(json_t *spec, json_t *cur, char *msg, size_t msgsz);
int tcfs_dataapp_key_check(json_t *spec, json_t *cur, char *msg, size_t msgsz);
/* query.sql text: UTF-8 without NUL */
int tcfs_query_text_check(const char *text, size_t len, char *msg,
			  size_t msgsz);
/* `test` text {"k": "v", ...} → {"args": [{"items": {...}}]} */
int tcfs_endpoint_test_body(const char *text, size_t len, json_t **body,
			    char *msg, size_t msgsz);
/* create bodies from a template and the directory name */
int tcfs_dataapp_body(json_t *tpl, const char *name, const char *project,
		      json_t *cluster_ids, json_t **body, char *msg,
		      size_t msgsz);
int tcfs_endpoint_body(json_t *tpl, const char *name, json_t **body,
		       char *msg, size_t msgsz);
int tcfs_dataapp_key_body(json_t *tpl, const char *name, json_t **body,
			  char *msg, size_t msgsz);

#endif
