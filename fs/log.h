/*
 * log.h — the daemon's log: stderr while in the foreground (and before the
 * daemon detaches), syslog once daemonized. Thread-safe (stdio / syslog do
 * their own locking). Never pass secrets to it.
 */
#ifndef TCFS_LOG_H
#define TCFS_LOG_H

#include <syslog.h>

/* Start logging to stderr; `verbose` also prints LOG_DEBUG lines. */
void tcfs_log_init(int verbose);
/* Switch to syslog (after daemonizing). */
void tcfs_log_use_syslog(void);
void tcfs_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A tc_log_fn for tc_config.log (arg unused). */
void tcfs_log_tc(void *arg, int level, const char *line);

#endif
