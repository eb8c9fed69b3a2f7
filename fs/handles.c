/* handles.c — open-file handles; see handles.h. */
#include "handles.h"
#include "scratch.h"
#include "validate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct tcfs_handle *tcfs_handle_new(enum tcfs_hkind kind,
				    const struct tcfs_node *node,
				    char *text, size_t len, time_t mtime)
{
	struct tcfs_handle *h = calloc(1, sizeof(*h));

	if (!h) {
		free(text);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	h->kind = kind;
	h->node = *node;
	tcfs_textbuf_init(&h->text, text, len, TCFS_MAX_TEXT);
	h->mtime = mtime;
	return h;
}

void tcfs_handle_free(struct tcfs_handle *h)
{
	if (!h)
		return;
	tcfs_scratch_unref(h->scratch);
	if (h->sink && h->sink_state)
		h->sink->end(h->sink_state);
	tcfs_textbuf_release(&h->text);
	free(h->ra_buf);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

ssize_t tcfs_handle_read(struct tcfs_handle *h, char *buf, size_t size,
			 off_t off)
{
	ssize_t n;

	if (h->kind == TCFS_H_SCRATCH)
		return tcfs_scratch_read(h->scratch, buf, size, off);
	pthread_mutex_lock(&h->lock);
	n = tcfs_textbuf_read(&h->text, buf, size, off);
	pthread_mutex_unlock(&h->lock);
	return n;
}

/* Caller holds h->lock. */
static ssize_t write_locked(struct tcfs_handle *h, const char *buf, size_t size,
			    off_t off)
{
	ssize_t n = tcfs_textbuf_write(&h->text, buf, size, off);

	/* a refused write leaves the text incomplete: the commit must fail */
	if (n < 0 && n != -EINVAL)
		h->too_big = 1;
	if (n != -EINVAL) {
		h->dirty = 1;
		if (n >= 0)
			h->mtime = time(NULL);
	}
	return n;
}

ssize_t tcfs_handle_write(struct tcfs_handle *h, const char *buf, size_t size,
			  off_t off)
{
	ssize_t n;

	if (h->kind == TCFS_H_SCRATCH)
		return tcfs_scratch_write(h->scratch, buf, size, off);
	pthread_mutex_lock(&h->lock);
	n = write_locked(h, buf, size, off);
	pthread_mutex_unlock(&h->lock);
	return n;
}

ssize_t tcfs_handle_append(struct tcfs_handle *h, const char *buf, size_t size,
			   size_t limit)
{
	ssize_t n;

	pthread_mutex_lock(&h->lock);
	if (size > limit || h->text.len > limit - size)
		n = -EINVAL;
	else
		n = write_locked(h, buf, size, (off_t)h->text.len);
	pthread_mutex_unlock(&h->lock);
	return n;
}

int tcfs_handle_take_line(struct tcfs_handle *h, char *line, size_t size,
			  int all)
{
	struct tcfs_textbuf *b = &h->text;
	const char *nl, *start;
	size_t linelen, consumed;

	pthread_mutex_lock(&h->lock);
	nl = b->len ? memchr(b->data, '\n', b->len) : NULL;
	if (!nl && !(all && b->len)) {
		pthread_mutex_unlock(&h->lock);
		return 0;
	}
	linelen = nl ? (size_t)(nl - b->data) : b->len;
	consumed = nl ? linelen + 1 : linelen;
	start = b->data;
	while (linelen && (*start == ' ' || *start == '\t')) {
		start++;
		linelen--;
	}
	while (linelen && (start[linelen - 1] == ' ' ||
			   start[linelen - 1] == '\t' ||
			   start[linelen - 1] == '\r'))
		linelen--;
	if (linelen >= size)
		linelen = size ? size - 1 : 0;
	if (size) {
		memcpy(line, start, linelen);
		line[linelen] = '\0';
	}
	memmove(b->data, b->data + consumed, b->len - consumed);
	b->len -= consumed;
	pthread_mutex_unlock(&h->lock);
	return 1;
}

int tcfs_handle_ctl_check(struct tcfs_handle *h, const char *const *verbs,
			  int final, char *msg, size_t msgsz)
{
	int r;

	pthread_mutex_lock(&h->lock);
	r = tcfs_ctl_text_valid(h->text.data, h->text.len, verbs, final, msg,
				msgsz);
	if (r != 0)
		h->text.len = 0;
	pthread_mutex_unlock(&h->lock);
	return r;
}

int tcfs_handle_truncate(struct tcfs_handle *h, off_t size)
{
	int r;

	if (h->kind == TCFS_H_SCRATCH)
		return tcfs_scratch_truncate(h->scratch, size);
	/* a refused truncate changes nothing: the commit is not affected */
	pthread_mutex_lock(&h->lock);
	r = tcfs_textbuf_resize(&h->text, size);
	pthread_mutex_unlock(&h->lock);
	return r;
}

char *tcfs_handle_take_dirty(struct tcfs_handle *h, size_t *len, int *too_big)
{
	char *copy = NULL;

	*len = 0;
	*too_big = 0;
	pthread_mutex_lock(&h->lock);
	if (h->dirty) {
		copy = tcfs_textbuf_copy(&h->text, len);
		if (copy) {
			*too_big = h->too_big;
			h->dirty = 0;
			h->too_big = 0;
		}
	}
	pthread_mutex_unlock(&h->lock);
	return copy;
}

size_t tcfs_handle_size(struct tcfs_handle *h)
{
	size_t n;

	if (h->kind == TCFS_H_SCRATCH) {
		struct stat st;

		tcfs_scratch_stat(h->scratch, &st);
		return (size_t)st.st_size;
	}
	pthread_mutex_lock(&h->lock);
	n = h->text.len;
	pthread_mutex_unlock(&h->lock);
	return n;
}
