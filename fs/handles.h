/*
 * handles.h — open-file handles (fuse_file_info.fh).
 *
 * - TEXT: a read-only snapshot rendered at open; one open sees one
 *   consistent version for its whole life.
 * - SPEC / TEMPLATE: the current text at open (empty with O_TRUNC), then a
 *   private write buffer; `dirty` once written; committed by flush / fsync.
 * - CTL: collects written lines; each complete line runs a verb.
 * - SCRATCH: a reference to a scratch inode (reads/writes go there).
 * Each handle has its own mutex (a leaf lock except that it may be held
 * while calling the scratch module). Never held across an API call: the
 * committer copies the buffer out first.
 */
#ifndef TCFS_HANDLES_H
#define TCFS_HANDLES_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include "tcfs.h"

struct tcfs_scratch;

enum tcfs_hkind {
	TCFS_H_TEXT = 0,
	TCFS_H_SPEC,
	TCFS_H_TEMPLATE,
	TCFS_H_CTL,
	TCFS_H_SCRATCH
};

struct tcfs_handle {
	pthread_mutex_t lock;      /* guards the fields below */
	enum tcfs_hkind kind;
	struct tcfs_node node;     /* the file's node (a copy) */
	char *buf;                 /* the text (TEXT/SPEC/TEMPLATE/CTL) */
	size_t len, cap;
	time_t mtime;
	int dirty;                 /* written since the last commit */
	int too_big;               /* a write went past TCFS_MAX_TEXT */
	struct tcfs_scratch *scratch;   /* SCRATCH: own reference */
};

/* Takes ownership of text (may be NULL). NULL on ENOMEM. */
struct tcfs_handle *tcfs_handle_new(enum tcfs_hkind kind,
				    const struct tcfs_node *node,
				    char *text, size_t len, time_t mtime);
void tcfs_handle_free(struct tcfs_handle *h);

ssize_t tcfs_handle_read(struct tcfs_handle *h, char *buf, size_t size,
			 off_t off);
/* Buffer write (not SCRATCH). -EFBIG past TCFS_MAX_TEXT (also sets too_big). */
ssize_t tcfs_handle_write(struct tcfs_handle *h, const char *buf, size_t size,
			  off_t off);
int tcfs_handle_truncate(struct tcfs_handle *h, off_t size);
/* Copy of the buffer when dirty (clears dirty). Returns NULL when clean;
 * *too_big tells a refused oversize write. */
char *tcfs_handle_take_dirty(struct tcfs_handle *h, size_t *len, int *too_big);
size_t tcfs_handle_size(struct tcfs_handle *h);

#endif
