/* scratch.c — in-memory scratch files; see scratch.h. */
#include "scratch.h"
#include "tcfs.h"
#include "textbuf.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct tcfs_scratch {
	int refs;
	int symlink;
	mode_t mode;
	struct tcfs_textbuf text;   /* content (symlink: the target) */
	struct timespec mtime, ctime, atime;
};

struct name {
	struct name *next;
	char *dirkey;
	char *name;
	struct tcfs_scratch *ino;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct name *names;      /* guarded by lock, with all inode data */

static void now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

/* Caller holds lock. */
static struct name **find(const char *dirkey, const char *name)
{
	struct name **pp;

	for (pp = &names; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->dirkey, dirkey) == 0 &&
		    strcmp((*pp)->name, name) == 0)
			return pp;
	return NULL;
}

static struct tcfs_scratch *ino_new(mode_t mode, int symlink)
{
	struct tcfs_scratch *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->refs = 1;
	s->symlink = symlink;
	s->mode = mode & 07777;
	tcfs_textbuf_init(&s->text, NULL, 0, TCFS_MAX_SCRATCH);
	now(&s->mtime);
	s->ctime = s->atime = s->mtime;
	return s;
}

/* Caller holds lock. */
static void unref_locked(struct tcfs_scratch *s)
{
	if (s && --s->refs == 0) {
		tcfs_textbuf_release(&s->text);
		free(s);
	}
}

/* Caller holds lock; takes over the caller's reference to ino. */
static int bind_locked(const char *dirkey, const char *name,
		       struct tcfs_scratch *ino)
{
	struct name *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->dirkey = strdup(dirkey);
	n->name = strdup(name);
	if (!n->dirkey || !n->name) {
		free(n->dirkey);
		free(n->name);
		free(n);
		return -ENOMEM;
	}
	n->ino = ino;
	n->next = names;
	names = n;
	return 0;
}

static void free_name(struct name *n)
{
	unref_locked(n->ino);
	free(n->dirkey);
	free(n->name);
	free(n);
}

int tcfs_scratch_create(const char *dirkey, const char *name, mode_t mode,
			int excl, struct tcfs_scratch **out)
{
	struct name **pp;
	struct tcfs_scratch *s;
	int r;

	*out = NULL;
	pthread_mutex_lock(&lock);
	pp = find(dirkey, name);
	if (pp) {
		r = excl ? -EEXIST : 0;
		if (!r) {
			(*pp)->ino->refs++;
			*out = (*pp)->ino;
		}
		pthread_mutex_unlock(&lock);
		return r;
	}
	s = ino_new(mode, 0);
	if (!s) {
		pthread_mutex_unlock(&lock);
		return -ENOMEM;
	}
	r = bind_locked(dirkey, name, s);
	if (r == 0) {
		s->refs++;
		*out = s;
	} else {
		unref_locked(s);
	}
	pthread_mutex_unlock(&lock);
	return r;
}

int tcfs_scratch_symlink(const char *dirkey, const char *name,
			 const char *target)
{
	struct tcfs_scratch *s = ino_new(0777, 1);
	ssize_t w;
	int r;

	if (!s)
		return -ENOMEM;
	w = tcfs_textbuf_write(&s->text, target, strlen(target), 0);
	pthread_mutex_lock(&lock);
	if (w < 0) {
		unref_locked(s);
		pthread_mutex_unlock(&lock);
		return (int)w;
	}
	r = find(dirkey, name) ? -EEXIST : bind_locked(dirkey, name, s);
	if (r != 0)
		unref_locked(s);
	pthread_mutex_unlock(&lock);
	return r;
}

struct tcfs_scratch *tcfs_scratch_lookup(const char *dirkey, const char *name)
{
	struct name **pp;
	struct tcfs_scratch *s = NULL;

	pthread_mutex_lock(&lock);
	pp = find(dirkey, name);
	if (pp) {
		s = (*pp)->ino;
		s->refs++;
	}
	pthread_mutex_unlock(&lock);
	return s;
}

struct tcfs_scratch *tcfs_scratch_ref(struct tcfs_scratch *s)
{
	pthread_mutex_lock(&lock);
	s->refs++;
	pthread_mutex_unlock(&lock);
	return s;
}

void tcfs_scratch_unref(struct tcfs_scratch *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&lock);
	unref_locked(s);
	pthread_mutex_unlock(&lock);
}

void tcfs_scratch_stat(struct tcfs_scratch *s, struct stat *st)
{
	pthread_mutex_lock(&lock);
	st->st_mode = (s->symlink ? S_IFLNK : S_IFREG) | s->mode;
	st->st_size = (off_t)s->text.len;
	st->st_nlink = 1;
	st->st_mtim = s->mtime;
	st->st_ctim = s->ctime;
	st->st_atim = s->atime;
	pthread_mutex_unlock(&lock);
}

int tcfs_scratch_is_symlink(struct tcfs_scratch *s)
{
	int r;

	pthread_mutex_lock(&lock);
	r = s->symlink;
	pthread_mutex_unlock(&lock);
	return r;
}

ssize_t tcfs_scratch_read(struct tcfs_scratch *s, char *buf, size_t size,
			  off_t off)
{
	ssize_t n;

	pthread_mutex_lock(&lock);
	n = tcfs_textbuf_read(&s->text, buf, size, off);
	pthread_mutex_unlock(&lock);
	return n;
}

/* Caller holds lock. */
static void touch(struct tcfs_scratch *s)
{
	now(&s->mtime);
	s->ctime = s->mtime;
}

ssize_t tcfs_scratch_write(struct tcfs_scratch *s, const char *buf,
			   size_t size, off_t off)
{
	ssize_t n;

	pthread_mutex_lock(&lock);
	n = tcfs_textbuf_write(&s->text, buf, size, off);
	if (n >= 0)
		touch(s);
	pthread_mutex_unlock(&lock);
	return n;
}

int tcfs_scratch_truncate(struct tcfs_scratch *s, off_t size)
{
	int r;

	pthread_mutex_lock(&lock);
	r = tcfs_textbuf_resize(&s->text, size);
	if (r == 0)
		touch(s);
	pthread_mutex_unlock(&lock);
	return r;
}

int tcfs_scratch_chmod(struct tcfs_scratch *s, mode_t mode)
{
	pthread_mutex_lock(&lock);
	s->mode = mode & 07777;
	now(&s->ctime);
	pthread_mutex_unlock(&lock);
	return 0;
}

int tcfs_scratch_utimens(struct tcfs_scratch *s, const struct timespec tv[2])
{
	struct timespec t;

	now(&t);
	pthread_mutex_lock(&lock);
	if (!tv) {
		s->atime = s->mtime = t;
	} else {
		if (tv[0].tv_nsec == UTIME_NOW)
			s->atime = t;
		else if (tv[0].tv_nsec != UTIME_OMIT)
			s->atime = tv[0];
		if (tv[1].tv_nsec == UTIME_NOW)
			s->mtime = t;
		else if (tv[1].tv_nsec != UTIME_OMIT)
			s->mtime = tv[1];
	}
	s->ctime = t;
	pthread_mutex_unlock(&lock);
	return 0;
}

char *tcfs_scratch_content(struct tcfs_scratch *s, size_t *len)
{
	char *copy;

	pthread_mutex_lock(&lock);
	copy = tcfs_textbuf_copy(&s->text, len);
	pthread_mutex_unlock(&lock);
	return copy;
}

int tcfs_scratch_put(const char *dirkey, const char *name, const char *data,
		     size_t len, mode_t mode)
{
	struct tcfs_scratch *s = ino_new(mode, 0);
	struct name **pp;
	ssize_t w;
	int r;

	if (!s)
		return -ENOMEM;
	w = tcfs_textbuf_write(&s->text, data, len, 0);
	pthread_mutex_lock(&lock);
	if (w < 0) {
		unref_locked(s);
		pthread_mutex_unlock(&lock);
		return (int)w;
	}
	pp = find(dirkey, name);
	if (pp) {
		unref_locked((*pp)->ino);
		(*pp)->ino = s;
		r = 0;
	} else {
		r = bind_locked(dirkey, name, s);
		if (r != 0)
			unref_locked(s);
	}
	pthread_mutex_unlock(&lock);
	return r;
}

int tcfs_scratch_unlink(const char *dirkey, const char *name)
{
	struct name **pp;

	pthread_mutex_lock(&lock);
	pp = find(dirkey, name);
	if (pp) {
		struct name *n = *pp;

		*pp = n->next;
		free_name(n);
	}
	pthread_mutex_unlock(&lock);
	return pp ? 0 : -ENOENT;
}

int tcfs_scratch_rename(const char *fromdir, const char *from,
			const char *todir, const char *to, int noreplace)
{
	struct name **src, **dst;
	char *nd, *nn;
	int r = 0;

	nd = strdup(todir);
	nn = strdup(to);
	if (!nd || !nn) {
		free(nd);
		free(nn);
		return -ENOMEM;
	}
	pthread_mutex_lock(&lock);
	src = find(fromdir, from);
	if (!src) {
		r = -ENOENT;
		goto out;
	}
	if (strcmp(fromdir, todir) == 0 && strcmp(from, to) == 0)
		goto out;
	dst = find(todir, to);
	if (dst) {
		struct name *d = *dst;

		if (noreplace) {
			r = -EEXIST;
			goto out;
		}
		*dst = d->next;
		free_name(d);
		src = find(fromdir, from);   /* the list changed */
		if (!src) {
			r = -ENOENT;
			goto out;
		}
	}
	free((*src)->dirkey);
	free((*src)->name);
	(*src)->dirkey = nd;
	(*src)->name = nn;
	nd = nn = NULL;
out:
	pthread_mutex_unlock(&lock);
	free(nd);
	free(nn);
	return r;
}

int tcfs_scratch_list(const char *dirkey,
		      void (*fn)(void *arg, const char *name), void *arg)
{
	char **list = NULL;
	size_t n = 0, cap = 0;

	pthread_mutex_lock(&lock);
	for (struct name *it = names; it; it = it->next) {
		if (strcmp(it->dirkey, dirkey) != 0)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **p = realloc(list, nc * sizeof(*p));

			if (!p)
				break;
			list = p;
			cap = nc;
		}
		list[n] = strdup(it->name);
		if (list[n])
			n++;
	}
	pthread_mutex_unlock(&lock);
	for (size_t i = 0; i < n; i++) {
		fn(arg, list[i]);
		free(list[i]);
	}
	free(list);
	return 0;
}

void tcfs_scratch_free_all(void)
{
	pthread_mutex_lock(&lock);
	while (names) {
		struct name *n = names->next;

		free_name(names);
		names = n;
	}
	pthread_mutex_unlock(&lock);
}
