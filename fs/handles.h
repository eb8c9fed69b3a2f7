/*
 * handles.h — open-file handles (fuse_file_info.fh).
 *
 * - TEXT: a read-only snapshot rendered at open; one open sees one
 *   consistent version for its whole life.
 * - SPEC / TEMPLATE: the current text at open (empty with O_TRUNC), then a
 *   private write buffer; `dirty` once written; committed by flush / fsync.
 * - CTL: collects written lines; each complete line runs a verb.
 * - SCRATCH: a reference to a scratch inode (reads/writes go there).
 * - STREAM: nothing but its size at open; each read fetches its range.
 * - SINK: a created file whose bytes go to the collection's sink (an
 *   upload), finished at the first flush, ended at release.
 * Ownership: a handle owns its text and one reference to its scratch
 * inode; it lives from open/create until release (FUSE runs no operation
 * on a handle after its release, and none concurrently with it).
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
#include "textbuf.h"

struct tcfs_scratch;

enum tcfs_hkind {
	TCFS_H_TEXT = 0,
	TCFS_H_SPEC,
	TCFS_H_TEMPLATE,
	TCFS_H_CTL,
	TCFS_H_SCRATCH,
	TCFS_H_STREAM,     /* a TCFS_F_STREAM file: no text; reads go to
	                      tcfs_stream_read; `stream_size` from open */
	TCFS_H_SINK        /* a file created in a collection with a sink
	                      (tcfs.h struct tcfs_sink): writes go to it */
};

struct tcfs_handle {
	pthread_mutex_t lock;      /* guards text, mtime, dirty, too_big,
	                              ctl_failed */
	enum tcfs_hkind kind;      /* set at creation, then read-only */
	struct tcfs_node node;     /* the file's node (a copy), read-only */
	struct tcfs_textbuf text;  /* TEXT/SPEC/TEMPLATE/CTL, TCFS_MAX_TEXT */
	time_t mtime;
	int dirty;                 /* written since the last commit */
	int too_big;               /* a write went past TCFS_MAX_TEXT */
	int ctl_failed;            /* CTL: -errno of the first refused verb;
	                              later verbs on this handle are dropped */
	struct tcfs_scratch *scratch;   /* SCRATCH: own reference */
	long long stream_size;     /* STREAM: st_size at open */
	/* STREAM read-ahead (fs/ops_read.c): a sequential reader gets ranges
	 * of a growing window (1 MiB up to TCFS_STREAM_WINDOW_MAX) instead of
	 * one ranged GET per kernel read; under `lock`, fetched outside it */
	char *ra_buf;              /* bytes [ra_off, ra_off + ra_len) */
	long long ra_off;
	size_t ra_len;
	size_t ra_window;          /* the last window fetched, 0: none */
	long long next_off;        /* where a sequential read goes on */
	const struct tcfs_sink *sink;   /* SINK: the row's, and its state */
	void *sink_state;          /* SINK: set at open, ended by free */
};

#define TCFS_STREAM_WINDOW_MIN (1u << 20)
#define TCFS_STREAM_WINDOW_MAX (4u << 20)

/* Takes ownership of text (may be NULL). NULL on ENOMEM. */
struct tcfs_handle *tcfs_handle_new(enum tcfs_hkind kind,
				    const struct tcfs_node *node,
				    char *text, size_t len, time_t mtime);
void tcfs_handle_free(struct tcfs_handle *h);

ssize_t tcfs_handle_read(struct tcfs_handle *h, char *buf, size_t size,
			 off_t off);
/* Buffer write (SCRATCH: the scratch file). -EFBIG past TCFS_MAX_TEXT; a
 * refused write sets too_big, so the commit fails too (the text is
 * incomplete). */
ssize_t tcfs_handle_write(struct tcfs_handle *h, const char *buf, size_t size,
			  off_t off);
/* Append at the end (CTL: a command stream, whatever the offset), in one
 * locked step; -EINVAL when the buffer would pass `limit` bytes. */
ssize_t tcfs_handle_append(struct tcfs_handle *h, const char *buf, size_t size,
			   size_t limit);
/* CTL: take the first complete line (all: or the unterminated rest) out
 * of the buffer into `line` (blanks trimmed, cut to size - 1). 1 when a
 * line was taken, 0 when none is complete. */
int tcfs_handle_take_line(struct tcfs_handle *h, char *line, size_t size,
			  int all);
/* CTL: check the buffer with tcfs_ctl_text_valid (validate.h); on
 * refusal the buffer is emptied (nothing of it will run). 0 / -EINVAL. */
int tcfs_handle_ctl_check(struct tcfs_handle *h, const char *const *verbs,
			  int final, char *msg, size_t msgsz);
/* Resize the buffer (SCRATCH: the file). -EFBIG past the limit, which
 * changes nothing (and does not make the commit fail). */
int tcfs_handle_truncate(struct tcfs_handle *h, off_t size);
/* Copy of the buffer when dirty (clears dirty). Returns NULL when clean;
 * *too_big tells a refused oversize write. */
char *tcfs_handle_take_dirty(struct tcfs_handle *h, size_t *len, int *too_big);
size_t tcfs_handle_size(struct tcfs_handle *h);

#endif
