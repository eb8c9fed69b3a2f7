/*
 * scratch.h — scratch files: any name inside a resource directory that is
 * not one of its own entries may be created as a regular file or a symlink
 * held in memory (editor swap files, backups, sed/jq temporaries). Never
 * sent to the API, gone at unmount.
 *
 * A scratch file is a refcounted inode bound to (dirkey, name). Open
 * handles hold a reference, so unlink/rename of the name never affects an
 * open handle. Thread-safe: one leaf mutex guards the names and all inode
 * data; it is never held while calling other modules.
 */
#ifndef TCFS_SCRATCH_H
#define TCFS_SCRATCH_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct tcfs_scratch;

/* Create (or with !excl open an existing) regular file. *out: new ref.
 * -EEXIST (excl), -ENOMEM. */
int tcfs_scratch_create(const char *dirkey, const char *name, mode_t mode,
			int excl, struct tcfs_scratch **out);
int tcfs_scratch_symlink(const char *dirkey, const char *name,
			 const char *target);
/* New reference or NULL. */
struct tcfs_scratch *tcfs_scratch_lookup(const char *dirkey, const char *name);
struct tcfs_scratch *tcfs_scratch_ref(struct tcfs_scratch *s);
void tcfs_scratch_unref(struct tcfs_scratch *s);

/* st_mode, st_size, st_mtime/ctime/atime, st_nlink filled. */
void tcfs_scratch_stat(struct tcfs_scratch *s, struct stat *st);
int tcfs_scratch_is_symlink(struct tcfs_scratch *s);
ssize_t tcfs_scratch_read(struct tcfs_scratch *s, char *buf, size_t size,
			  off_t off);
ssize_t tcfs_scratch_write(struct tcfs_scratch *s, const char *buf,
			   size_t size, off_t off);
int tcfs_scratch_truncate(struct tcfs_scratch *s, off_t size);
int tcfs_scratch_chmod(struct tcfs_scratch *s, mode_t mode);
int tcfs_scratch_utimens(struct tcfs_scratch *s, const struct timespec tv[2]);
/* A malloc'd copy of the content (NUL-terminated). */
char *tcfs_scratch_content(struct tcfs_scratch *s, size_t *len);
/* Create or replace `name` with this content (regular file). */
int tcfs_scratch_put(const char *dirkey, const char *name, const char *data,
		     size_t len, mode_t mode);

int tcfs_scratch_unlink(const char *dirkey, const char *name);
/* Move a name (replacing a scratch target). noreplace → -EEXIST. */
int tcfs_scratch_rename(const char *fromdir, const char *from,
			const char *todir, const char *to, int noreplace);
/* Call fn for each name in a directory (under no lock: names are copied). */
int tcfs_scratch_list(const char *dirkey,
		      void (*fn)(void *arg, const char *name), void *arg);
void tcfs_scratch_free_all(void);

#endif
