/*
 * ops.h — the FUSE operations (high-level API, path based). The one
 * operations table is tcfs_operations in ops.c. Every handler returns 0 or
 * -errno and never crashes on odd API data. Handlers hold no lock across an
 * API call (see tcfs.h for the lock ordering).
 */
#ifndef TCFS_OPS_H
#define TCFS_OPS_H

#define FUSE_USE_VERSION 314
#include <fuse.h>

#include "tcfs.h"
#include "handles.h"

extern const struct fuse_operations tcfs_operations;

/* tc_config.interrupted: non-zero when the current FUSE request was
 * interrupted (Ctrl-C on a hung cat); 0 outside FUSE requests. */
int tcfs_interrupted(void *arg);

/* Shared helpers (ops_dir.c). */
void tcfs_fill_stat_common(struct stat *st);
/* -o umask= applied to a getattr answer. */
void tcfs_apply_umask(struct stat *st);
/* 1 when a fixed file node is hidden by a whiteout (store.h). */
int tcfs_node_whited(const struct tcfs_node *n);
int tcfs_stat_node(const struct tcfs_node *n, struct stat *st);
struct tcfs_scratch;
/* The scratch file a leaf node names (new reference), or NULL when the
 * node is no leaf, its directory takes no scratch files, or none exists. */
struct tcfs_scratch *tcfs_node_scratch(const struct tcfs_node *n);
static inline struct tcfs_handle *tcfs_fh(struct fuse_file_info *fi)
{
	return fi ? (struct tcfs_handle *)(uintptr_t)fi->fh : NULL;
}

int tcfs_op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi);
int tcfs_op_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
		    off_t off, struct fuse_file_info *fi,
		    enum fuse_readdir_flags flags);
int tcfs_op_mkdir(const char *path, mode_t mode);
int tcfs_op_rmdir(const char *path);
int tcfs_op_unlink(const char *path);
int tcfs_op_rename(const char *from, const char *to, unsigned int flags);
int tcfs_op_symlink(const char *target, const char *path);
int tcfs_op_readlink(const char *path, char *buf, size_t size);
int tcfs_op_link(const char *from, const char *to);
int tcfs_op_statfs(const char *path, struct statvfs *st);

int tcfs_op_open(const char *path, struct fuse_file_info *fi);
int tcfs_op_read(const char *path, char *buf, size_t size, off_t off,
		 struct fuse_file_info *fi);
int tcfs_op_release(const char *path, struct fuse_file_info *fi);
/* open / create of a path (fixed files and leaves) */
int tcfs_open_path(const char *path, struct fuse_file_info *fi, int creating,
		   mode_t mode);

int tcfs_op_create(const char *path, mode_t mode, struct fuse_file_info *fi);
int tcfs_op_write(const char *path, const char *buf, size_t size, off_t off,
		  struct fuse_file_info *fi);
int tcfs_op_flush(const char *path, struct fuse_file_info *fi);
int tcfs_op_fsync(const char *path, int datasync, struct fuse_file_info *fi);
int tcfs_op_truncate(const char *path, off_t size, struct fuse_file_info *fi);
int tcfs_op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi);
int tcfs_op_chown(const char *path, uid_t uid, gid_t gid,
		  struct fuse_file_info *fi);
int tcfs_op_utimens(const char *path, const struct timespec tv[2],
		    struct fuse_file_info *fi);

#endif
