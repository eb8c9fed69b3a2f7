/* log.c — stderr or syslog; see log.h. */
#include "log.h"
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>

/* Set before the FUSE loop starts, read-only afterwards. */
static int use_syslog;
static int verbose_debug;

void tcfs_log_init(int verbose)
{
	verbose_debug = verbose;
	use_syslog = 0;
}

void tcfs_log_use_syslog(void)
{
	openlog("tidbcloudfs", LOG_PID, LOG_DAEMON);
	use_syslog = 1;
}

static const char *level_name(int level)
{
	switch (level) {
	case LOG_EMERG: case LOG_ALERT: case LOG_CRIT: case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE: case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

/* Every line is escaped here: names and messages from the API may hold
 * control characters (a terminal escape sequence, a newline that would
 * forge a log line). */
static void emit(int level, const char *raw)
{
	char line[4096];

	if (level >= LOG_DEBUG && !verbose_debug)
		return;
	tcfs_escape(raw, line, sizeof(line));
	if (use_syslog)
		syslog(level, "%s", line);
	else
		fprintf(stderr, "tidbcloudfs: %s: %s\n", level_name(level), line);
}

void tcfs_log(int level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(level, line);
}

void tcfs_log_tc(void *arg, int level, const char *line)
{
	(void)arg;
	/* The library logs requests at LOG_DEBUG only when debug_api is on. */
	if (level >= LOG_DEBUG) {
		char esc[4096];

		tcfs_escape(line, esc, sizeof(esc));
		if (use_syslog)
			syslog(LOG_INFO, "api: %s", esc);
		else
			fprintf(stderr, "tidbcloudfs: api: %s\n", esc);
		return;
	}
	tcfs_log(level, "api: %s", line ? line : "");
}
