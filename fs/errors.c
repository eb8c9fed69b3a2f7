/* errors.c — .error files: the last error of a directory; see store.h. */
#include "store.h"
#include "tcfs.h"
#include "log.h"
#include "validate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void record(const struct tcfs_node *n, const char *msg)
{
	char key[TCFS_KEY_MAX];
	char line[1200], esc[1100];
	int len;

	/* one line, control characters escaped (names come from the API) */
	tcfs_escape(msg, esc, sizeof(esc));
	tcfs_node_dirkey(n, key, sizeof(key));
	len = snprintf(line, sizeof(line), "%s\n", esc);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line))
		len = (int)sizeof(line) - 1;
	tcfs_store_set(key, TCFS_SLOT_ERROR, line, (size_t)len);
	tcfs_log(LOG_ERR, "%s", msg);
}

void tcfs_error_set(const struct tcfs_node *n, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	record(n, msg);
}

int tcfs_error_api(const struct tcfs_node *n, const char *what,
		   const struct tc_error *err, int creating)
{
	char buf[1024];
	int e = tc_error_errno(err, creating);

	tc_error_format(err, buf, sizeof(buf));
	tcfs_error_set(n, "%s: %s", what, buf);
	return -(e ? e : EIO);
}

void tcfs_error_clear(const struct tcfs_node *n)
{
	char key[TCFS_KEY_MAX];

	tcfs_node_dirkey(n, key, sizeof(key));
	tcfs_store_clear(key, TCFS_SLOT_ERROR);
}
