/*
 * stream.c — files too large to render at open (TCFS_F_STREAM, struct
 * tcfs_stream): st_size from the object or its listing item (no download),
 * and each read(offset, size) handed to the row's callback, which fetches
 * only that range. Nothing of the body is cached; an open handle of a
 * sequential reader keeps one read-ahead window (fs/ops_read.c,
 * at most TCFS_STREAM_WINDOW_MAX).
 *
 * The first user (export files) needs a ranged GET of a presigned URL: the
 * client library gets it as a call beside tc_call (a `get_range` entry in
 * api/transport.h's function table, sending "Range: bytes=off-end" and
 * writing into the caller's buffer), so the daemon's memory stays bounded
 * whatever the file's size.
 */
#include "tcfs.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>

static int stream_object(const struct tcfs_node *n, json_t **obj)
{
	struct tcfs_org *org = tcfs_org_of(n);
	struct tc_error err;
	int r;

	*obj = NULL;
	if (!org || n->what != TCFS_W_FILE || !n->file ||
	    n->file->type != TCFS_F_STREAM || !n->file->stream)
		return -ENOENT;
	tc_error_clear(&err);
	r = tcfs_fetch_object_brief(org, n, obj, &err);
	if (r != 0 && r != -ENOENT) {
		char line[900];

		tc_error_format(&err, line, sizeof(line));
		if (tcfs_kind(n->kind)->as_file) {
			struct tcfs_node coll;   /* .error of its collection */

			tcfs_node_parent_coll(n, &coll);
			tcfs_error_set(&coll, "reading %s: %s", tcfs_node_id(n),
				       line);
		} else {
			tcfs_error_set(n, "reading %s: %s", n->file->name, line);
		}
	}
	return r;
}

int tcfs_stream_size(const struct tcfs_node *n, long long *size,
		     time_t *mtime)
{
	json_t *obj = NULL;
	int r = stream_object(n, &obj);

	*size = 0;
	if (r != 0)
		return r;
	*size = n->file->stream->size ? n->file->stream->size(obj) : -1;
	if (*size < 0)
		*size = 0;
	if (mtime && tcfs_object_mtime(n->kind, obj))
		*mtime = tcfs_object_mtime(n->kind, obj);
	json_decref(obj);
	return 0;
}

/* A read costs its range only: the object was seen at open (the handle
 * keeps the size), so the callback gets obj NULL. */
long tcfs_stream_read(const struct tcfs_node *n, char *buf, size_t size,
		      long long off)
{
	struct tcfs_org *org = tcfs_org_of(n);

	if (!org || n->what != TCFS_W_FILE || !n->file ||
	    n->file->type != TCFS_F_STREAM || !n->file->stream ||
	    !n->file->stream->read)
		return -EIO;
	return n->file->stream->read(org, n, NULL, buf, size, off);
}
