/*
 * ops_read.c — open, read, release. open renders the file once into the
 * handle (a consistent snapshot for the life of the handle) and asks for
 * direct I/O so reads always come from that snapshot, never from a stale
 * page cache sized by an older st_size.
 */
#include "ops.h"
#include "scratch.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

static int writable_file(const struct tcfs_file_desc *f)
{
	return tcfs_file_editable(f) || f->type == TCFS_F_CTL;
}

/* A file created in a collection with a sink (imports/: an upload). */
static int open_sink(const struct tcfs_node *n, struct fuse_file_info *fi)
{
	const struct tcfs_sink *sk = tcfs_kind(n->kind)->sink;
	struct tcfs_handle *h;
	void *state = NULL;
	int r;

	if (tcfs_g->opts.ro)
		return -EROFS;
	if ((fi->flags & O_ACCMODE) == O_RDONLY)
		return -EACCES;
	r = sk->begin(n, &state);
	if (r != 0)
		return r;
	h = tcfs_handle_new(TCFS_H_SINK, n, NULL, 0, time(NULL));
	if (!h) {
		sk->end(state);
		return -ENOMEM;
	}
	h->sink = sk;
	h->sink_state = state;
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

static int open_node(const struct tcfs_node *n, struct fuse_file_info *fi,
		     int creating, mode_t mode)
{
	int acc = fi->flags & O_ACCMODE;
	int writing = acc != O_RDONLY;
	int trunc = (fi->flags & O_TRUNC) != 0;
	struct tcfs_handle *h = NULL;
	char *text = NULL;
	size_t len = 0;
	time_t mt = 0;
	int r;

	if (n->what == TCFS_W_DIR)
		return -EISDIR;
	if (writing && tcfs_g->opts.ro)
		return -EROFS;

	if (n->what == TCFS_W_LEAF) {
		char key[TCFS_KEY_MAX];
		struct tcfs_scratch *s = NULL;

		if (n->org < 0 || !tcfs_kind(n->kind)->scratch_ok)
			return creating ? -EACCES : -ENOENT;
		if (creating && tcfs_kind(n->kind)->sink &&
		    tcfs_kind(n->kind)->sink->accepts(n))
			return open_sink(n, fi);
		tcfs_node_dirkey(n, key, sizeof(key));
		if (creating) {
			if (tcfs_g->opts.ro)
				return -EROFS;
			r = tcfs_scratch_create(key, n->leaf, mode,
						(fi->flags & O_EXCL) != 0, &s);
			if (r != 0)
				return r;
		} else {
			s = tcfs_scratch_lookup(key, n->leaf);
			if (!s)
				return -ENOENT;
		}
		if (trunc && writing)
			tcfs_scratch_truncate(s, 0);
		h = tcfs_handle_new(TCFS_H_SCRATCH, n, NULL, 0, 0);
		if (!h) {
			tcfs_scratch_unref(s);
			return -ENOMEM;
		}
		h->scratch = s;
		goto done;
	}

	/* a fixed file */
	if (tcfs_node_whited(n)) {
		char key[TCFS_KEY_MAX];

		if (!creating)
			return -ENOENT;
		/* re-created after an unlink (cross-device mv): empty */
		tcfs_node_dirkey(n, key, sizeof(key));
		tcfs_whiteout_clear(key, n->file->name);
		trunc = 1;
	} else if (creating && (fi->flags & O_EXCL)) {
		return -EEXIST;
	} else if (creating) {
		/* create() reached us: the caller believes the file is new,
		 * so it starts empty (as with O_TRUNC) */
		trunc = 1;
	}
	if (writing && !writable_file(n->file))
		return -EACCES;
	if (n->file->type == TCFS_F_STREAM) {
		long long size = 0;

		r = tcfs_stream_size(n, &size, &mt);
		if (r != 0)
			return r;
		h = tcfs_handle_new(TCFS_H_STREAM, n, NULL, 0, mt);
		if (h)
			h->stream_size = size;
	} else if (n->file->type == TCFS_F_CTL && writing) {
		h = tcfs_handle_new(TCFS_H_CTL, n, NULL, 0, time(NULL));
	} else if (writing && trunc) {
		/* O_TRUNC alone changes nothing: only written text commits */
		h = tcfs_handle_new(n->file->type == TCFS_F_TEMPLATE ?
				    TCFS_H_TEMPLATE : TCFS_H_SPEC, n, NULL, 0,
				    time(NULL));
	} else {
		r = tcfs_content(n, &text, &len, &mt);
		if (r != 0)
			return r;
		h = tcfs_handle_new(!writing ? TCFS_H_TEXT :
				    n->file->type == TCFS_F_TEMPLATE ?
				    TCFS_H_TEMPLATE : TCFS_H_SPEC, n, text, len, mt);
	}
	if (!h)
		return -ENOMEM;
done:
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

int tcfs_open_path(const char *path, struct fuse_file_info *fi, int creating,
		   mode_t mode)
{
	struct tcfs_node n;
	int r = tcfs_lookup(path, &n);

	return r ? r : open_node(&n, fi, creating, mode);
}

int tcfs_op_open(const char *path, struct fuse_file_info *fi)
{
	return tcfs_open_path(path, fi, 0, 0);
}

/* A read of a STREAM file. The first read, and any read that does not
 * go on where the last one ended (dd skip=, tail -c), fetches exactly its
 * range; a sequential reader (cp, cat) gets a window that doubles from
 * TCFS_STREAM_WINDOW_MIN to TCFS_STREAM_WINDOW_MAX and later reads are
 * served from it: a 200 MB cp is ~30 ranged GETs, not 1,600. At most one
 * window per open handle is kept; no lock is held across the download. */
static int stream_read(struct tcfs_handle *h, char *buf, size_t size,
		       off_t off)
{
	size_t win, give;
	long n;
	char *nb;
	int seq;

	if (off >= h->stream_size)
		return 0;
	if ((long long)size > h->stream_size - off)
		size = (size_t)(h->stream_size - off);
	pthread_mutex_lock(&h->lock);
	if (h->ra_buf && off >= h->ra_off &&
	    off + (long long)size <= h->ra_off + (long long)h->ra_len) {
		memcpy(buf, h->ra_buf + (off - h->ra_off), size);
		h->next_off = off + (long long)size;
		pthread_mutex_unlock(&h->lock);
		return (int)size;
	}
	seq = off > 0 && off == h->next_off;
	win = h->ra_window;
	pthread_mutex_unlock(&h->lock);
	if (!seq) {
		n = tcfs_stream_read(&h->node, buf, size, off);
		pthread_mutex_lock(&h->lock);
		h->next_off = off + (n > 0 ? n : 0);
		h->ra_window = 0;
		pthread_mutex_unlock(&h->lock);
		return (int)n;
	}
	win = win ? win * 2 : TCFS_STREAM_WINDOW_MIN;
	if (win > TCFS_STREAM_WINDOW_MAX)
		win = TCFS_STREAM_WINDOW_MAX;
	if (win < size)
		win = size;
	if ((long long)win > h->stream_size - off)
		win = (size_t)(h->stream_size - off);
	if (!(nb = malloc(win)))
		return (int)tcfs_stream_read(&h->node, buf, size, off);
	n = tcfs_stream_read(&h->node, nb, win, off);
	if (n <= 0) {
		free(nb);
		return (int)n;
	}
	give = (size_t)n < size ? (size_t)n : size;
	memcpy(buf, nb, give);
	pthread_mutex_lock(&h->lock);
	free(h->ra_buf);
	h->ra_buf = nb;
	h->ra_off = off;
	h->ra_len = (size_t)n;
	h->ra_window = win;
	h->next_off = off + (long long)give;
	pthread_mutex_unlock(&h->lock);
	return (int)give;
}

int tcfs_op_read(const char *path, char *buf, size_t size, off_t off,
		 struct fuse_file_info *fi)
{
	struct tcfs_handle *h = tcfs_fh(fi);
	ssize_t n;

	(void)path;
	if (!h)
		return -EBADF;
	if (h->kind == TCFS_H_CTL)
		return 0;
	if (h->kind == TCFS_H_SINK)
		return -EBADF;
	if (h->kind == TCFS_H_STREAM)
		return stream_read(h, buf, size, off);
	n = tcfs_handle_read(h, buf, size, off);
	/* a secret is shown once: read to its end, it is gone */
	if (n >= 0 && h->node.file && h->node.file->type == TCFS_F_SECRET &&
	    (size_t)off + (size_t)n >= h->text.len) {
		char key[TCFS_KEY_MAX];

		tcfs_node_dirkey(&h->node, key, sizeof(key));
		tcfs_store_clear(key, TCFS_SLOT_SECRET);
	}
	return (int)n;
}

int tcfs_op_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	tcfs_handle_free(tcfs_fh(fi));
	fi->fh = 0;
	return 0;
}
