/* log.c — stderr or syslog, filtered by level; see log.h. */
#include "log.h"
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Set before the FUSE loop starts, read-only afterwards. */
static int use_syslog;
static int max_level = LOG_INFO;
static int api_lines;

void tcfs_log_init(int verbose)
{
	max_level = verbose ? LOG_DEBUG : LOG_INFO;
	use_syslog = 0;
}

void tcfs_log_set_level(int level)
{
	max_level = level;
}

void tcfs_log_api_lines(int on)
{
	api_lines = on;
}

int tcfs_log_level_parse(const char *name)
{
	static const struct { const char *name; int level; } names[] = {
		{ "error", LOG_ERR }, { "warn", LOG_WARNING },
		{ "warning", LOG_WARNING }, { "info", LOG_INFO },
		{ "debug", LOG_DEBUG },
	};

	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].level;
	return -1;
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

	if (level > max_level)
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
	/* The library logs one line per request at LOG_DEBUG, and only when
	 * asked to (debug_api or log_level=debug). debug_api shows them at
	 * any level (as before), log_level=debug as debug lines. */
	if (level >= LOG_DEBUG) {
		char esc[4096];

		if (api_lines)
			level = LOG_INFO;
		if (level > max_level)
			return;
		tcfs_escape(line, esc, sizeof(esc));
		if (use_syslog)
			syslog(level, "api: %s", esc);
		else
			fprintf(stderr, "tidbcloudfs: api: %s\n", esc);
		return;
	}
	tcfs_log(level, "api: %s", line ? line : "");
}
