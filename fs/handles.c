/* handles.c — open-file handles; see handles.h. */
#include "handles.h"
#include "scratch.h"

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
	h->buf = text;
	h->len = h->cap = text ? len : 0;
	h->mtime = mtime;
	return h;
}

void tcfs_handle_free(struct tcfs_handle *h)
{
	if (!h)
		return;
	tcfs_scratch_unref(h->scratch);
	free(h->buf);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

ssize_t tcfs_handle_read(struct tcfs_handle *h, char *buf, size_t size,
			 off_t off)
{
	size_t n = 0;

	if (off < 0)
		return -EINVAL;
	if (h->kind == TCFS_H_SCRATCH)
		return tcfs_scratch_read(h->scratch, buf, size, off);
	pthread_mutex_lock(&h->lock);
	if ((size_t)off < h->len) {
		n = h->len - (size_t)off;
		if (n > size)
			n = size;
		memcpy(buf, h->buf + off, n);
	}
	pthread_mutex_unlock(&h->lock);
	return (ssize_t)n;
}

/* Caller holds h->lock. */
static int reserve(struct tcfs_handle *h, size_t need)
{
	size_t cap;
	char *p;

	if (need > TCFS_MAX_TEXT) {
		h->too_big = 1;
		return -EFBIG;
	}
	if (need <= h->cap)
		return 0;
	cap = h->cap ? h->cap : 4096;
	while (cap < need)
		cap *= 2;
	p = realloc(h->buf, cap);
	if (!p)
		return -ENOMEM;
	h->buf = p;
	h->cap = cap;
	return 0;
}

ssize_t tcfs_handle_write(struct tcfs_handle *h, const char *buf, size_t size,
			  off_t off)
{
	size_t end;
	int r;

	if (h->kind == TCFS_H_SCRATCH)
		return tcfs_scratch_write(h->scratch, buf, size, off);
	if (off < 0)
		return -EINVAL;
	pthread_mutex_lock(&h->lock);
	if ((size_t)off > TCFS_MAX_TEXT || size > TCFS_MAX_TEXT) {
		h->too_big = 1;
		h->dirty = 1;
		pthread_mutex_unlock(&h->lock);
		return -EFBIG;
	}
	end = (size_t)off + size;
	r = reserve(h, end);
	if (r != 0) {
		h->dirty = 1;
		pthread_mutex_unlock(&h->lock);
		return r;
	}
	if ((size_t)off > h->len)
		memset(h->buf + h->len, 0, (size_t)off - h->len);
	memcpy(h->buf + off, buf, size);
	if (end > h->len)
		h->len = end;
	h->dirty = 1;
	h->mtime = time(NULL);
	pthread_mutex_unlock(&h->lock);
	return (ssize_t)size;
}

int tcfs_handle_truncate(struct tcfs_handle *h, off_t size)
{
	int r = 0;

	if (h->kind == TCFS_H_SCRATCH)
		return tcfs_scratch_truncate(h->scratch, size);
	if (size < 0)
		return -EINVAL;
	pthread_mutex_lock(&h->lock);
	if ((size_t)size > h->len) {
		r = reserve(h, (size_t)size);
		if (r == 0)
			memset(h->buf + h->len, 0, (size_t)size - h->len);
	}
	if (r == 0)
		h->len = (size_t)size;
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
		copy = malloc(h->len + 1);
		if (copy) {
			if (h->len)
				memcpy(copy, h->buf, h->len);
			copy[h->len] = '\0';
			*len = h->len;
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
	n = h->len;
	pthread_mutex_unlock(&h->lock);
	return n;
}
