/* textbuf.c — growable byte buffer with a limit; see textbuf.h. */
#include "textbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void tcfs_textbuf_init(struct tcfs_textbuf *b, char *data, size_t len,
		       size_t max)
{
	b->data = data;
	b->len = b->cap = data ? len : 0;
	b->max = max;
}

void tcfs_textbuf_release(struct tcfs_textbuf *b)
{
	/* wiped: a handle's text may be a password (spec.json, TCFS_F_SECRET) */
	if (b->data)
		explicit_bzero(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

ssize_t tcfs_textbuf_read(const struct tcfs_textbuf *b, char *out, size_t size,
			  off_t off)
{
	size_t n;

	if (off < 0)
		return -EINVAL;
	if ((size_t)off >= b->len)
		return 0;
	n = b->len - (size_t)off;
	if (n > size)
		n = size;
	memcpy(out, b->data + off, n);
	return (ssize_t)n;
}

/* Room for `need` bytes (need <= max, checked by the callers). */
static int reserve(struct tcfs_textbuf *b, size_t need)
{
	size_t cap;
	char *p;

	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < need)
		cap *= 2;     /* need <= max, far below SIZE_MAX / 2 */
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

ssize_t tcfs_textbuf_write(struct tcfs_textbuf *b, const char *in, size_t size,
			   off_t off)
{
	size_t end;
	int r;

	if (off < 0)
		return -EINVAL;
	/* compared one by one first: off + size must not overflow */
	if ((size_t)off > b->max || size > b->max - (size_t)off)
		return -EFBIG;
	end = (size_t)off + size;
	r = reserve(b, end);
	if (r != 0)
		return r;
	if ((size_t)off > b->len)
		memset(b->data + b->len, 0, (size_t)off - b->len);
	if (size)
		memcpy(b->data + off, in, size);
	if (end > b->len)
		b->len = end;
	return (ssize_t)size;
}

int tcfs_textbuf_resize(struct tcfs_textbuf *b, off_t size)
{
	int r;

	if (size < 0)
		return -EINVAL;
	if ((size_t)size > b->max)
		return -EFBIG;
	if ((size_t)size > b->len) {
		r = reserve(b, (size_t)size);
		if (r != 0)
			return r;
		memset(b->data + b->len, 0, (size_t)size - b->len);
	}
	b->len = (size_t)size;
	return 0;
}

char *tcfs_textbuf_copy(const struct tcfs_textbuf *b, size_t *len)
{
	char *copy = malloc(b->len + 1);

	if (!copy)
		return NULL;
	if (b->len)
		memcpy(copy, b->data, b->len);
	copy[b->len] = '\0';
	*len = b->len;
	return copy;
}
