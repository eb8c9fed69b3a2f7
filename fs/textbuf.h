/*
 * textbuf.h — a growable byte buffer with a size limit: the one place where
 * offsets and sizes from read/write/truncate are checked before any
 * arithmetic or allocation. Used by open-file handles (handles.c, limit
 * TCFS_MAX_TEXT) and scratch files (scratch.c, limit TCFS_MAX_SCRATCH).
 *
 * Not thread-safe by itself: the owner's lock guards the buffer. Pure
 * memory operations; no other module is called.
 */
#ifndef TCFS_TEXTBUF_H
#define TCFS_TEXTBUF_H

#include <stddef.h>
#include <sys/types.h>

struct tcfs_textbuf {
	char *data;      /* malloc'd, NULL while empty */
	size_t len;      /* bytes of content */
	size_t cap;      /* bytes allocated */
	size_t max;      /* limit for len (EFBIG beyond) */
};

/* Take over `data` (len bytes, malloc'd, may be NULL). */
void tcfs_textbuf_init(struct tcfs_textbuf *b, char *data, size_t len,
		       size_t max);
void tcfs_textbuf_release(struct tcfs_textbuf *b);
/* Copy up to `size` bytes at `off` out. The count, or -EINVAL (off < 0). */
ssize_t tcfs_textbuf_read(const struct tcfs_textbuf *b, char *out, size_t size,
			  off_t off);
/* Write at `off` (a gap is zero-filled). `size`, or -EINVAL (off < 0),
 * -EFBIG (off + size past max; nothing changed), -ENOMEM. */
ssize_t tcfs_textbuf_write(struct tcfs_textbuf *b, const char *in, size_t size,
			   off_t off);
/* Set the length (growth is zero-filled). 0, -EINVAL, -EFBIG, -ENOMEM;
 * nothing changes on failure. */
int tcfs_textbuf_resize(struct tcfs_textbuf *b, off_t size);
/* A malloc'd NUL-terminated copy of the content; *len set. NULL on ENOMEM. */
char *tcfs_textbuf_copy(const struct tcfs_textbuf *b, size_t *len);

#endif
