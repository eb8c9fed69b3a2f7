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
/* Show lines up to this syslog level (LOG_ERR .. LOG_DEBUG; default
 * LOG_INFO, LOG_DEBUG after tcfs_log_init(1)). */
void tcfs_log_set_level(int level);
/* "error", "warn"/"warning", "info", "debug" → a level, or -1. */
int tcfs_log_level_parse(const char *name);
/* debug_api: the library's per-request lines are shown at every level. */
void tcfs_log_api_lines(int on);
/* Switch to syslog (after daemonizing). */
void tcfs_log_use_syslog(void);
void tcfs_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A tc_log_fn for tc_config.log (arg unused). */
void tcfs_log_tc(void *arg, int level, const char *line);

#endif
