/*
 * ops_write.c — create, write, flush, fsync, truncate, chmod, chown,
 * utimens. Spec and template writes are buffered in the handle and
 * committed on flush (close) or fsync, so errors reach close(2) / the
 * editor. ctl runs each complete line as it is written.
 */
#include "ops.h"
#include "scratch.h"
#include "store.h"
#include "control.h"
#include "validate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int tcfs_op_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return tcfs_open_path(path, fi, 1, mode);
}

/* Run the complete lines in a ctl handle's buffer (all: and the rest). */
static int run_ctl_lines(struct tcfs_handle *h, int all)
{
	struct tcfs_node dir;
	char verb[256];
	int result = 0;

	tcfs_node_dir(&h->node, &dir);
	/* Verbs run in order; once one is refused the rest written to this
	 * handle are dropped (also in later writes), so
	 * `printf 'pause\nresume\n' > ctl` never resumes after a failed pause
	 * and .error keeps the first refusal. */
	pthread_mutex_lock(&h->lock);
	result = h->ctl_failed;
	pthread_mutex_unlock(&h->lock);
	/* A write is all verbs or nothing: a NUL byte, an empty line or any
	 * line that is not exactly a verb refuses every line of the buffer
	 * before any of them runs (no request). */
	if (result == 0) {
		const struct tcfs_kind_desc *k = tcfs_kind(dir.kind);
		const char *usages[TCFS_MAX_VERBS + 1];
		char msg[300];

		tcfs_kind_verb_usages(dir.kind, usages);
		if (tcfs_handle_ctl_check(h, usages, all, msg,
					  sizeof(msg)) != 0) {
			tcfs_error_set(&dir, "ctl of %s %s refused (nothing was "
				       "sent): %s", k->label,
				       tcfs_node_id(&dir) ? tcfs_node_id(&dir) : "?",
				       msg);
			result = -EINVAL;
		}
	}
	while (tcfs_handle_take_line(h, verb, sizeof(verb), all)) {
		if (result != 0 || !verb[0])
			continue;
		result = dir.kind == TCFS_K_ORG ?
			 tcfs_control_verb(&dir, verb) :
			 tcfs_do_ctl(&dir, verb);
	}
	if (result != 0) {
		pthread_mutex_lock(&h->lock);
		if (!h->ctl_failed)
			h->ctl_failed = result;
		pthread_mutex_unlock(&h->lock);
	}
	return result;
}

int tcfs_op_write(const char *path, const char *buf, size_t size, off_t off,
		  struct fuse_file_info *fi)
{
	struct tcfs_handle *h = tcfs_fh(fi);
	ssize_t n;

	(void)path;
	if (!h)
		return -EBADF;
	if (tcfs_g->opts.ro)
		return -EROFS;
	switch (h->kind) {
	case TCFS_H_TEXT:
		return -EBADF;
	case TCFS_H_SINK:
		return (int)h->sink->write(h->sink_state, buf, size, off);
	case TCFS_H_CTL: {
		int r;

		/* appended whatever the offset: a command stream; but no
		 * writer of verbs is ever this far in (dd seek=1T would
		 * otherwise run its verb) */
		if (off > (off_t)TCFS_MAX_TEXT) {
			struct tcfs_node dir;

			tcfs_node_dir(&h->node, &dir);
			tcfs_error_set(&dir, "ctl refused (nothing was sent): a "
				       "write at offset %lld, past %d bytes",
				       (long long)off, TCFS_MAX_TEXT);
			pthread_mutex_lock(&h->lock);
			h->text.len = 0;
			if (!h->ctl_failed)
				h->ctl_failed = -EFBIG;
			pthread_mutex_unlock(&h->lock);
			return -EFBIG;
		}
		n = tcfs_handle_append(h, buf, size, 4096);
		if (n < 0) {
			struct tcfs_node dir;

			tcfs_node_dir(&h->node, &dir);
			tcfs_error_set(&dir, "ctl refused (nothing was sent): "
				       "more than 4096 bytes without a verb");
			pthread_mutex_lock(&h->lock);
			h->text.len = 0;
			if (!h->ctl_failed)
				h->ctl_failed = -EINVAL;
			pthread_mutex_unlock(&h->lock);
			return (int)n;
		}
		r = run_ctl_lines(h, 0);
		return r ? r : (int)n;
	}
	default:
		if (size > (size_t)TCFS_MAX_SCRATCH)
			return -EFBIG;
		n = tcfs_handle_write(h, buf, size, off);
		return (int)n;
	}
}

static int commit(struct tcfs_handle *h)
{
	struct tcfs_node dir;
	size_t len = 0;
	int too_big = 0;
	char *text;
	int r;

	if (h->kind == TCFS_H_CTL)
		return run_ctl_lines(h, 1);
	if (h->kind == TCFS_H_SINK) {
		struct fuse_context *fc = fuse_get_context();

		return h->sink->finish(h->sink_state, fc ? (int)fc->pid : 0);
	}
	if (h->kind != TCFS_H_SPEC && h->kind != TCFS_H_TEMPLATE)
		return 0;
	text = tcfs_handle_take_dirty(h, &len, &too_big);
	if (!text)
		return 0;
	tcfs_node_dir(&h->node, &dir);
	if (too_big) {
		const struct tcfs_kind_desc *k = tcfs_kind(dir.kind);
		char rname[128];
		int spec = 0;

		/* the directory keeps this file's refused texts in
		 * <name>.rejected (spec.json, aws-cmek.json) */
		snprintf(rname, sizeof(rname), "%s.rejected",
			 h->node.file ? h->node.file->name : "");
		for (size_t i = 0; h->node.file && i < k->nfiles; i++)
			if (k->files[i].type == TCFS_F_REJECTED &&
			    strcmp(k->files[i].name, rname) == 0)
				spec = 1;

		/* the text is not kept, and an older refused text must not
		 * pass for it in <name>.rejected */
		if (spec) {
			char key[TCFS_KEY_MAX], rkey[TCFS_REJECTED_KEY_MAX];

			tcfs_node_dirkey(&dir, key, sizeof(key));
			tcfs_rejected_key(key, rname, rkey, sizeof(rkey));
			tcfs_store_clear(rkey, TCFS_SLOT_REJECTED);
		}
		tcfs_error_set(&dir, "%s rejected: larger than %d bytes; nothing "
			       "was sent%s", h->node.file ? h->node.file->name : "file",
			       TCFS_MAX_TEXT, spec ? "; the text is not kept" : "");
		r = -EFBIG;
	} else {
		r = tcfs_commit_file(&dir, h->node.file, text, len);
	}
	free(text);
	return r;
}

int tcfs_commit_file(const struct tcfs_node *dir,
		     const struct tcfs_file_desc *f, const char *text,
		     size_t len)
{
	if (f && f->type == TCFS_F_HOOK && f->commit)
		return f->commit(dir, text, len);
	if (f && f->type == TCFS_F_TEMPLATE)
		return tcfs_commit_template(dir, text, len);
	return tcfs_commit_spec(dir, text, len);
}

int tcfs_op_flush(const char *path, struct fuse_file_info *fi)
{
	struct tcfs_handle *h = tcfs_fh(fi);

	(void)path;
	return h ? commit(h) : 0;
}

int tcfs_op_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	struct tcfs_handle *h = tcfs_fh(fi);

	(void)path;
	(void)datasync;
	return h ? commit(h) : 0;
}

int tcfs_op_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct tcfs_handle *h = tcfs_fh(fi);
	struct tcfs_scratch *s;
	struct tcfs_node n;
	int r;

	if (tcfs_g->opts.ro)
		return -EROFS;
	if (h) {
		if (h->kind == TCFS_H_TEXT)
			return -EACCES;
		if (h->kind == TCFS_H_CTL)
			return 0;
		/* an upload only grows by writes in order */
		if (h->kind == TCFS_H_SINK)
			return size == h->sink->size(h->sink_state) ? 0 : -EINVAL;
		return tcfs_handle_truncate(h, size);
	}
	r = tcfs_lookup(path, &n);
	if (r != 0)
		return r;
	if (n.what == TCFS_W_DIR)
		return -EISDIR;
	if (n.what == TCFS_W_FILE) {
		/* truncating a writable virtual file sends nothing by itself;
		 * a size no write could reach is refused as with a handle */
		if (n.file->type == TCFS_F_CTL)
			return 0;
		if (tcfs_file_editable(n.file))
			return size > TCFS_MAX_TEXT ? -EFBIG : 0;
		return -EACCES;
	}
	if (!(s = tcfs_node_scratch(&n)))
		return -ENOENT;
	r = tcfs_scratch_truncate(s, size);
	tcfs_scratch_unref(s);
	return r;
}

/* chmod / chown / utimens: applied to scratch files, accepted (no effect,
 * no request) on the virtual files and directories so cp -p, vim and touch
 * work. */
static int attr_change(const char *path, struct fuse_file_info *fi,
		       int is_chmod, mode_t mode, const struct timespec *tv)
{
	struct tcfs_handle *h = tcfs_fh(fi);
	struct tcfs_scratch *s = NULL;
	struct tcfs_node n;
	int r;

	if (tcfs_g->opts.ro)
		return -EROFS;
	if (h) {
		if (h->kind == TCFS_H_SCRATCH)
			s = tcfs_scratch_ref(h->scratch);
		else
			return 0;
	} else {
		r = tcfs_lookup(path, &n);
		if (r != 0)
			return r;
		if (n.what != TCFS_W_LEAF)
			return 0;
		if (!(s = tcfs_node_scratch(&n)))
			return -ENOENT;
	}
	if (is_chmod == 1)
		tcfs_scratch_chmod(s, mode);
	else if (is_chmod == 2)
		tcfs_scratch_utimens(s, tv);
	tcfs_scratch_unref(s);
	return 0;
}

int tcfs_op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return attr_change(path, fi, 1, mode, NULL);
}

int tcfs_op_chown(const char *path, uid_t uid, gid_t gid,
		  struct fuse_file_info *fi)
{
	(void)uid;
	(void)gid;
	return attr_change(path, fi, 0, 0, NULL);
}

int tcfs_op_utimens(const char *path, const struct timespec tv[2],
		    struct fuse_file_info *fi)
{
	return attr_change(path, fi, 2, 0, tv);
}
