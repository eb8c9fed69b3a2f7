/*
 * imports.h — the imports family's pure helpers (fs/import_body.c) and the
 * local upload of a file created in imports/ (fs/upload.c).
 */
#ifndef TCFS_IMPORTS_H
#define TCFS_IMPORTS_H

#include <stddef.h>
#include <jansson.h>

struct tcfs_node;

/* The local key that names an import made by mkdir NAME (the API's
 * Import has no name) until imports/ is listed again. */
#define TCFS_IMPORT_NAME_KEY "mkdirName"

/* The create body of an import from imports/.template.json
 * ({importOptions, source}), checked against the published rules
 * (fileType, source.type of this kind of cluster, its block: uri scheme,
 * authType, credential). Dedicated (ded != 0) wraps it in
 * {creationDetails}. 0, or -EINVAL with the rule in msg. Pure. */
int tcfs_import_body(json_t *tpl, int ded, json_t **body, char *msg,
		     size_t msgsz);

/* The target table of an uploaded file: "DB.TABLE.csv" → DB, TABLE, and
 * the fileType from the extension (CSV, SQL, PARQUET); the template's
 * source.local.targetDatabase/targetTable win when set. 0, or -EINVAL
 * with the rule in msg. Pure. */
int tcfs_upload_target(const char *file, json_t *tpl, char *db, size_t dbsz,
		       char *table, size_t tablesz, const char **file_type,
		       char *msg, size_t msgsz);

/* The LOCAL import body for a completed upload. New reference. */
json_t *tcfs_import_local_body(const char *upload_id, const char *db,
			       const char *table, const char *file_type,
			       json_t *tpl);

/* imports/ of a Starter/Essential cluster: a created DB.TABLE.csv (.sql,
 * .parquet) is uploaded and imported (upload.c). */
struct tcfs_sink;
extern const struct tcfs_sink tcfs_import_sink;

#endif
