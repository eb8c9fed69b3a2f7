/*
 * mountopt.h — options that mount(8), /etc/fstab and systemd pass along
 * and that are not ours nor libfuse's (_netdev, noauto, nofail, user,
 * x-systemd.*, ...): they are dropped from the -o lists before parsing,
 * as other FUSE file systems do. Pure; unit-tested.
 */
#ifndef TCFS_MOUNTOPT_H
#define TCFS_MOUNTOPT_H

/* 1 when a single mount option (no comma) is one to ignore. */
int tcfs_mountopt_ignored(const char *opt);
/* A copy of argv (NULL-terminated, malloc'd strings) with the ignored
 * options removed from every "-o LIST" / "-oLIST" (an -o left empty is
 * dropped). NULL when out of memory. */
char **tcfs_mountopt_filter(int argc, char *argv[]);
/* Entries of a filtered argv. */
int tcfs_mountopt_count(char **v);
void tcfs_mountopt_free(char **v);

#endif
