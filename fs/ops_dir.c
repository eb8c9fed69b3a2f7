/*
 * ops_dir.c — attributes, directories and names: getattr, readdir, mkdir,
 * rmdir, unlink, rename, symlink, readlink, link, statfs.
 */
#include "ops.h"
#include "scratch.h"
#include "store.h"
#include "waitfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/statvfs.h>

void tcfs_fill_stat_common(struct stat *st)
{
	st->st_uid = tcfs_g ? tcfs_g->opts.uid : getuid();
	st->st_gid = tcfs_g ? tcfs_g->opts.gid : getgid();
	st->st_blksize = 4096;
}

/* -o umask=M: masks the modes each file has (a read-only file stays
 * read-only, a file never becomes executable), unlike libfuse's own
 * umask, which would give every entry 0777 & ~M. */
void tcfs_apply_umask(struct stat *st)
{
	if (tcfs_g && tcfs_g->opts.umask_set)
		st->st_mode &= ~(tcfs_g->opts.umask & 0777);
}

static void set_times(struct stat *st, time_t t)
{
	if (!t && tcfs_g)
		t = tcfs_g->opts.mount_time;
	st->st_mtim.tv_sec = st->st_ctim.tv_sec = st->st_atim.tv_sec = t;
}

static mode_t file_mode(const struct tcfs_file_desc *f)
{
	mode_t m = f->mode;

	if (tcfs_g && tcfs_g->opts.ro)
		m &= ~(mode_t)0222;
	return m;
}

static int scratch_dir(const struct tcfs_node *n)
{
	return n->org >= 0 && tcfs_kind(n->kind)->scratch_ok;
}

struct tcfs_scratch *tcfs_node_scratch(const struct tcfs_node *n)
{
	char key[TCFS_KEY_MAX];

	if (n->what != TCFS_W_LEAF || !scratch_dir(n))
		return NULL;
	tcfs_node_dirkey(n, key, sizeof(key));
	return tcfs_scratch_lookup(key, n->leaf);
}

/* 1 when a leaf node names an existing scratch file. */
static int scratch_exists(const struct tcfs_node *n)
{
	struct tcfs_scratch *s = tcfs_node_scratch(n);

	tcfs_scratch_unref(s);
	return s != NULL;
}

int tcfs_node_whited(const struct tcfs_node *n)
{
	char key[TCFS_KEY_MAX];

	if (n->what != TCFS_W_FILE || !tcfs_file_editable(n->file))
		return 0;
	tcfs_node_dirkey(n, key, sizeof(key));
	return tcfs_whiteout_has(key, n->file->name);
}

int tcfs_stat_node(const struct tcfs_node *n, struct stat *st)
{
	struct tcfs_scratch *s;

	memset(st, 0, sizeof(*st));
	tcfs_fill_stat_common(st);
	if (n->what == TCFS_W_DIR) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		set_times(st, n->mtime);
		return 0;
	}
	if (n->what == TCFS_W_FILE) {
		char *text = NULL;
		size_t len = 0;
		time_t mt = 0;
		int r;

		if (tcfs_node_whited(n))
			return -ENOENT;
		if (n->file->type == TCFS_F_STREAM) {
			long long size = 0;

			/* the listing's size: no download */
			r = tcfs_stream_size(n, &size, &mt);
			len = (size_t)size;
		} else if (n->file->type == TCFS_F_WAIT) {
			r = tcfs_wait_peek(n, &len);  /* never blocks */
			mt = time(NULL);
		} else {
			r = tcfs_content(n, &text, &len, &mt);
		}
		if (r != 0)
			return r;
		free(text);
		st->st_mode = S_IFREG | file_mode(n->file);
		st->st_nlink = 1;
		st->st_size = (off_t)len;
		st->st_blocks = (blkcnt_t)((len + 511) / 512);
		set_times(st, mt);
		return 0;
	}
	s = tcfs_node_scratch(n);
	if (!s)
		return -ENOENT;
	tcfs_scratch_stat(s, st);
	st->st_blocks = (st->st_size + 511) / 512;
	tcfs_scratch_unref(s);
	return 0;
}

int tcfs_op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct tcfs_handle *h = tcfs_fh(fi);
	struct tcfs_node n;
	int r;

	if (h) {
		memset(st, 0, sizeof(*st));
		tcfs_fill_stat_common(st);
		if (h->kind == TCFS_H_SCRATCH) {
			tcfs_scratch_stat(h->scratch, st);
		} else {
			size_t len = h->kind == TCFS_H_STREAM ?
				(size_t)h->stream_size :
				h->kind == TCFS_H_SINK ?
				(size_t)h->sink->size(h->sink_state) :
				tcfs_handle_size(h);

			st->st_mode = S_IFREG | (h->node.file ?
				file_mode(h->node.file) :
				h->kind == TCFS_H_SINK ? 0644 : 0444);
			st->st_nlink = 1;
			st->st_size = (off_t)len;
			set_times(st, h->mtime);
		}
		st->st_blocks = (st->st_size + 511) / 512;
		tcfs_apply_umask(st);
		return 0;
	}
	r = tcfs_lookup(path, &n);
	if (r == 0 && (r = tcfs_stat_node(&n, st)) == 0)
		tcfs_apply_umask(st);
	return r;
}

/* readdir with offsets: every entry has its position (1, 2, ...) and a
 * call at offset `off` fills from position off + 1 until the kernel's
 * buffer is full. Only so does libfuse pass the attributes of a
 * FUSE_FILL_DIR_PLUS entry on to the kernel (READDIRPLUS): filled all at
 * once (offset 0), it drops them, and `ls -l` of n children costs n
 * LOOKUPs. A later call finds the children again through the kept set
 * (fs/children.c): the same order while the listing is the same. */
struct fill_ctx {
	void *buf;
	fuse_fill_dir_t filler;
	off_t skip;            /* positions already returned */
	off_t pos;             /* of the last entry */
	int full;              /* the buffer is full: stop */
	const char **taken;    /* names already listed (children) */
	size_t ntaken;
};

static void emit(struct fill_ctx *c, const char *name, const struct stat *st,
		 enum fuse_fill_dir_flags flags)
{
	if (c->full)
		return;
	c->pos++;
	if (c->pos <= c->skip)
		return;
	if (c->filler(c->buf, name, st, c->pos, flags) != 0)
		c->full = 1;
}

static int taken(const struct fill_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->ntaken; i++)
		if (strcmp(c->taken[i], name) == 0)
			return 1;
	return 0;
}

/* d_type of an entry (readdir): regular file or directory. */
static const struct stat *type_only(mode_t type)
{
	static const struct stat reg = { .st_mode = S_IFREG },
		dir = { .st_mode = S_IFDIR };

	return type == S_IFDIR ? &dir : &reg;
}

/* The attributes of a listed child (a resource directory), as getattr
 * would give them: passed with FUSE_FILL_DIR_PLUS, so that `ls -l` of a
 * collection of n children costs readdir calls, not n lookups. A resource
 * shown as a file (its size needs its content) gets its type only. */
static enum fuse_fill_dir_flags child_stat(const struct tcfs_child *c,
					   struct stat *st)
{
	memset(st, 0, sizeof(*st));
	if (tcfs_kind(c->kind)->as_file) {
		st->st_mode = S_IFREG;
		return 0;
	}
	tcfs_fill_stat_common(st);
	st->st_mode = S_IFDIR | 0755;
	st->st_nlink = 2;
	set_times(st, tcfs_object_mtime(c->kind, c->item));
	tcfs_apply_umask(st);
	return FUSE_FILL_DIR_PLUS;
}

static void fill_scratch(void *arg, const char *name)
{
	struct fill_ctx *c = arg;

	if (!taken(c, name))
		emit(c, name, NULL, 0);
}

int tcfs_op_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
		    off_t off, struct fuse_file_info *fi,
		    enum fuse_readdir_flags flags)
{
	struct tcfs_node n;
	const struct tcfs_kind_desc *k;
	struct tcfs_children ch;
	struct fill_ctx fc = { buf, filler, off > 0 ? off : 0, 0, 0, NULL, 0 };
	char key[TCFS_KEY_MAX];
	int r;

	(void)fi;
	(void)flags;
	memset(&ch, 0, sizeof(ch));
	r = tcfs_lookup(path, &n);
	if (r != 0)
		return r;
	if (n.what != TCFS_W_DIR)
		return -ENOTDIR;
	emit(&fc, ".", NULL, 0);
	emit(&fc, "..", NULL, 0);
	if (n.kind == TCFS_K_ROOT) {
		for (size_t i = 0; tcfs_g && i < tcfs_g->norgs; i++)
			emit(&fc, tcfs_g->orgs[i].name, type_only(S_IFDIR), 0);
		return 0;
	}
	k = tcfs_kind(n.kind);
	tcfs_node_dirkey(&n, key, sizeof(key));
	for (size_t i = 0; i < k->nfiles; i++) {
		if (k->files[i].type == TCFS_F_REJECTED) {
			char rkey[TCFS_REJECTED_KEY_MAX];

			tcfs_rejected_key(key, k->files[i].name, rkey,
					  sizeof(rkey));
			if (!tcfs_store_has(rkey, TCFS_SLOT_REJECTED))
				continue;
		}
		if (k->files[i].type == TCFS_F_SECRET &&
		    !tcfs_store_has(key, TCFS_SLOT_SECRET))
			continue;
		if (tcfs_whiteout_has(key, k->files[i].name))
			continue;
		emit(&fc, k->files[i].name, type_only(S_IFREG), 0);
	}
	{
		enum tcfs_kind sub[TCFS_K_COUNT];
		size_t nsub = tcfs_kind_subdirs(n.kind, sub, TCFS_K_COUNT);

		/* named only: a sub-collection is listed when it is read */
		for (size_t i = 0; i < nsub; i++)
			emit(&fc, tcfs_kind(sub[i])->dir_name,
			     type_only(S_IFDIR), 0);
	}
	if (k->cls == TCFS_C_COLLECTION && !fc.full) {
		struct tc_error err;

		r = tcfs_fetch_children(tcfs_org_of(&n), &n, &ch, &err);
		if (r != 0) {
			char line[900];

			tc_error_format(&err, line, sizeof(line));
			tcfs_error_set(&n, "listing %s: %s", k->label, line);
			return r;
		}
		if (k->scratch_ok)
			fc.taken = calloc(ch.n ? ch.n : 1, sizeof(*fc.taken));
		for (size_t i = 0; i < ch.n; i++) {
			struct stat st;
			enum fuse_fill_dir_flags ff = 0;

			/* attributes only for an entry that will be sent */
			if (!fc.full && fc.pos + 1 > fc.skip)
				ff = child_stat(&ch.v[i], &st);
			emit(&fc, ch.v[i].name, ff || fc.pos + 1 > fc.skip ?
			     &st : NULL, ff);
			if (fc.taken)
				fc.taken[fc.ntaken++] = ch.v[i].name;
		}
	}
	if (k->scratch_ok && !fc.full)
		tcfs_scratch_list(key, fill_scratch, &fc);
	free(fc.taken);
	tcfs_children_release(&ch);
	return 0;
}

int tcfs_op_mkdir(const char *path, mode_t mode)
{
	struct tcfs_node n, dir;
	int r = tcfs_lookup(path, &n);

	(void)mode;
	if (r != 0)
		return r;
	if (n.what != TCFS_W_LEAF)
		return -EEXIST;
	tcfs_node_dir(&n, &dir);
	if (scratch_exists(&n))
		return -EEXIST;
	if (tcfs_g->opts.ro)
		return -EROFS;
	if (tcfs_kind(n.kind)->cls != TCFS_C_COLLECTION)
		return -EPERM;
	return tcfs_do_mkdir(&dir, n.leaf);
}

int tcfs_op_rmdir(const char *path)
{
	struct tcfs_node n;
	int r = tcfs_lookup(path, &n);

	if (r != 0)
		return r;
	if (n.what == TCFS_W_FILE)
		return -ENOTDIR;
	if (n.what == TCFS_W_LEAF)
		return scratch_exists(&n) ? -ENOTDIR : -ENOENT;
	return tcfs_do_rmdir(&n);
}

int tcfs_op_unlink(const char *path)
{
	struct tcfs_node n;
	char key[TCFS_KEY_MAX];
	int r = tcfs_lookup(path, &n);

	if (r != 0)
		return r;
	if (n.what == TCFS_W_DIR)
		return -EISDIR;
	if (tcfs_g->opts.ro)
		return -EROFS;
	if (n.what == TCFS_W_FILE) {
		/* Fixed files are never deleted. spec.json / .template.json
		 * may be "unlinked" (nothing happens but a short whiteout) so
		 * that a cross-device mv onto them works: it unlinks the
		 * target, then creates it with O_EXCL. */
		if (!tcfs_file_editable(n.file))
			return -EPERM;
		if (tcfs_node_whited(&n))
			return -ENOENT;
		tcfs_node_dirkey(&n, key, sizeof(key));
		tcfs_whiteout_set(key, n.file->name);
		return 0;
	}
	if (!scratch_dir(&n))
		return -ENOENT;
	tcfs_node_dirkey(&n, key, sizeof(key));
	return tcfs_scratch_unlink(key, n.leaf);
}

/* rename: scratch ↔ scratch moves; scratch → spec.json / .template.json
 * commits the content (on failure the rename fails and the scratch file
 * stays); spec.json / .template.json → a new name makes a scratch copy of
 * the current text (the virtual file remains). Everything else: EPERM. */
int tcfs_op_rename(const char *from, const char *to, unsigned int flags)
{
	struct tcfs_node nf, nt, dir;
	char fkey[TCFS_KEY_MAX], tkey[TCFS_KEY_MAX];
	int noreplace = (flags & RENAME_NOREPLACE) != 0;
	int r;

	if (flags & RENAME_EXCHANGE)
		return -EINVAL;
	r = tcfs_lookup(from, &nf);
	if (r != 0)
		return r;
	r = tcfs_lookup(to, &nt);
	if (r != 0)
		return r;
	if (tcfs_g->opts.ro)
		return -EROFS;
	tcfs_node_dirkey(&nf, fkey, sizeof(fkey));
	tcfs_node_dirkey(&nt, tkey, sizeof(tkey));

	if (nf.what == TCFS_W_LEAF) {
		struct tcfs_scratch *s = tcfs_node_scratch(&nf);
		char *text;
		size_t len = 0;

		if (!s)
			return -ENOENT;
		if (nt.what == TCFS_W_LEAF) {
			tcfs_scratch_unref(s);
			if (!scratch_dir(&nt))
				return -EPERM;
			return tcfs_scratch_rename(fkey, nf.leaf, tkey, nt.leaf,
						   noreplace);
		}
		if (nt.what == TCFS_W_DIR) {
			tcfs_scratch_unref(s);
			return -EISDIR;
		}
		if (noreplace) {
			tcfs_scratch_unref(s);
			return -EEXIST;
		}
		if (!tcfs_file_editable(nt.file)) {
			tcfs_scratch_unref(s);
			return -EPERM;
		}
		if (tcfs_scratch_is_symlink(s)) {
			tcfs_scratch_unref(s);
			return -EINVAL;
		}
		text = tcfs_scratch_content(s, &len);
		tcfs_scratch_unref(s);
		if (!text)
			return -ENOMEM;
		tcfs_node_dir(&nt, &dir);
		r = tcfs_commit_file(&dir, nt.file, text, len);
		free(text);
		if (r == 0) {
			tcfs_scratch_unlink(fkey, nf.leaf);
			tcfs_whiteout_clear(tkey, nt.file->name);
		}
		return r;
	}
	if (nf.what == TCFS_W_FILE && tcfs_node_whited(&nf))
		return -ENOENT;
	if (nf.what == TCFS_W_FILE) {
		char *text = NULL;
		size_t len = 0;
		time_t mt;

		if (nt.what == TCFS_W_FILE && nt.file == nf.file &&
		    strcmp(fkey, tkey) == 0)
			return 0;
		if (!tcfs_file_editable(nf.file))
			return -EPERM;
		if (nt.what != TCFS_W_LEAF || !scratch_dir(&nt))
			return nt.what == TCFS_W_DIR ? -EISDIR : -EPERM;
		if (noreplace && scratch_exists(&nt))
			return -EEXIST;
		r = tcfs_content(&nf, &text, &len, &mt);
		if (r != 0)
			return r;
		r = tcfs_scratch_put(tkey, nt.leaf, text, len, nf.file->mode);
		free(text);
		return r;
	}
	return -EPERM;   /* resources and fixed directories are not renamed */
}

int tcfs_op_symlink(const char *target, const char *path)
{
	struct tcfs_node n;
	char key[TCFS_KEY_MAX];
	int r = tcfs_lookup(path, &n);

	if (r != 0)
		return r;
	if (n.what != TCFS_W_LEAF)
		return -EEXIST;
	if (tcfs_g->opts.ro)
		return -EROFS;
	if (!scratch_dir(&n))
		return -EPERM;
	tcfs_node_dirkey(&n, key, sizeof(key));
	return tcfs_scratch_symlink(key, n.leaf, target);
}

int tcfs_op_readlink(const char *path, char *buf, size_t size)
{
	struct tcfs_node n;
	struct tcfs_scratch *s;
	ssize_t got;
	int r = tcfs_lookup(path, &n);

	if (r != 0)
		return r;
	if (n.what != TCFS_W_LEAF || !scratch_dir(&n) || size == 0)
		return -EINVAL;
	if (!(s = tcfs_node_scratch(&n)))
		return -ENOENT;
	if (!tcfs_scratch_is_symlink(s)) {
		tcfs_scratch_unref(s);
		return -EINVAL;
	}
	got = tcfs_scratch_read(s, buf, size - 1, 0);
	tcfs_scratch_unref(s);
	if (got < 0)
		return (int)got;
	buf[got] = '\0';
	return 0;
}

int tcfs_op_link(const char *from, const char *to)
{
	(void)from;
	(void)to;
	return tcfs_g && tcfs_g->opts.ro ? -EROFS : -EPERM;
}

int tcfs_op_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	memset(st, 0, sizeof(*st));
	st->f_bsize = 4096;
	st->f_frsize = 4096;
	/* no storage of its own: 0 blocks, so df shows 0 / 0 / 0 and "-"
	 * rather than a full disk that would alarm monitoring */
	st->f_blocks = 0;
	st->f_bfree = 0;
	st->f_bavail = 0;
	st->f_files = 0;
	st->f_ffree = 0;
	st->f_namemax = 255;
	return 0;
}
