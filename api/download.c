/*
 * download.c — a ranged GET of a presigned URL (an export's file): no API
 * authentication, no retry loop of its own (the caller refetches the URL
 * when it expired), the body written into the caller's buffer by the
 * transport (transport.h get_range), so memory stays bounded whatever the
 * file's size. The log line names the host and path only: the query of a
 * presigned URL is its signature.
 */
#include <string.h>
#include <syslog.h>
#include "tc_internal.h"

/* "https://host/path?sig" → "host/path" for messages. */
static void url_brief(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? p + 3 : url;
	n = strcspn(p, "?#");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

int tc_get_range(tc_client *c, const char *url, long long off, char *buf,
		 size_t size, size_t *got, long *status, struct tc_error *err)
{
	struct tc_http_request req;
	char brief[512];
	int r;

	*got = 0;
	*status = 0;
	if (!c || !url || strncmp(url, "https://", 8) != 0) {
		tc_error_set(err, TC_E_INVALID, "a download URL must be https");
		return -1;
	}
	if (!c->tops->get_range) {
		tc_error_set(err, TC_E_INTERNAL, "this transport has no ranged GET");
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.url = url;
	req.connect_timeout_ms = c->connect_timeout_ms;
	req.timeout_ms = c->timeout_ms;
	req.low_speed_time_s = 30;
	req.max_body_bytes = size;
	req.interrupted = c->interrupted;
	req.interrupted_arg = c->interrupted_arg;
	atomic_fetch_add(&c->requests, 1);
	r = c->tops->get_range(c->transport, &req, off, buf, size, got,
			       status, err);
	url_brief(url, brief, sizeof(brief));
	if (r == 0)
		tc_client_log(c, LOG_DEBUG, "GET %s bytes %lld+%zu -> %ld (%zu bytes)",
			      brief, off, size, *status, *got);
	else
		tc_client_log(c, LOG_DEBUG, "GET %s bytes %lld+%zu -> %s", brief,
			      off, size, err->message);
	return r;
}
