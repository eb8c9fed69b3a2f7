/*
 * ops.c — THE operations table, and init/destroy (the kernel-side cache
 * policy: short entry/attr timeouts, no negative entries, no inode
 * numbers of our own, no kernel page cache; each open asks for direct I/O).
 */
#include "ops.h"

#include <stdatomic.h>
#include <string.h>

/* Set once the FUSE loop runs: only then does a thread have a request
 * context that fuse_interrupted() may look at. */
static atomic_int fuse_active;

int tcfs_interrupted(void *arg)
{
	struct fuse_context *fc;

	(void)arg;
	if (!atomic_load(&fuse_active))
		return 0;
	fc = fuse_get_context();
	if (!fc || !fc->fuse)
		return 0;
	return fuse_interrupted();
}

static void *tcfs_op_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	cfg->entry_timeout = 1.0;
	cfg->attr_timeout = 1.0;
	/* 0: the daemon makes files as side effects the kernel does not see
	 * (<file>.rejected after a refused edit), and the high-level API
	 * cannot drop a negative entry (fuse_invalidate_path only
	 * invalidates known inodes): a remembered "absent" would hide them.
	 * Lookups of absent names are answered from the daemon's caches. */
	cfg->negative_timeout = 0;
	cfg->use_ino = 0;
	cfg->readdir_ino = 0;
	cfg->nullpath_ok = 0;     /* readdir needs its path; handles cope with NULL */
	cfg->hard_remove = 1;     /* scratch inodes outlive unlink while open */
	cfg->kernel_cache = 0;
	cfg->auto_cache = 0;
	cfg->direct_io = 0;       /* set per open instead */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	conn->want &= ~(unsigned)FUSE_CAP_WRITEBACK_CACHE;
	atomic_store(&fuse_active, 1);
	return tcfs_g;
}

const struct fuse_operations tcfs_operations = {
	.init     = tcfs_op_init,
	.getattr  = tcfs_op_getattr,
	.readdir  = tcfs_op_readdir,
	.mkdir    = tcfs_op_mkdir,
	.rmdir    = tcfs_op_rmdir,
	.unlink   = tcfs_op_unlink,
	.rename   = tcfs_op_rename,
	.symlink  = tcfs_op_symlink,
	.readlink = tcfs_op_readlink,
	.link     = tcfs_op_link,
	.statfs   = tcfs_op_statfs,
	.open     = tcfs_op_open,
	.read     = tcfs_op_read,
	.release  = tcfs_op_release,
	.create   = tcfs_op_create,
	.write    = tcfs_op_write,
	.flush    = tcfs_op_flush,
	.fsync    = tcfs_op_fsync,
	.truncate = tcfs_op_truncate,
	.chmod    = tcfs_op_chmod,
	.chown    = tcfs_op_chown,
	.utimens  = tcfs_op_utimens,
};
