/*
 * presigned.c — requests to presigned object-storage URLs (tc_put_url):
 * another host than the API's, signed by the URL itself, so no digest
 * authentication, no paging, no retry here (the caller retries a part).
 * The URL's query is a credential for as long as it lives: it is never
 * logged nor put in an error.
 */
#include "tc_internal.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>

/* host and path of an https URL, without the query. */
static void url_parts(const char *url, char *host, size_t hostsz, char *path,
		      size_t pathsz)
{
	const char *p = url + strlen("https://");
	size_t n = strcspn(p, "/?#"), m;

	snprintf(host, hostsz, "%.*s", (int)n, p);
	p += n;
	m = strcspn(p, "?#");
	snprintf(path, pathsz, "%.*s", (int)m, *p == '/' ? p : "/");
}

int tc_put_url(tc_client *c, const char *url, const void *data, size_t len,
	       char *etag, size_t etagsz, struct tc_error *err)
{
	struct tc_http_request req;
	struct tc_http_response resp;
	char host[128], path[256];
	int r;

	tc_error_clear(err);
	if (etagsz)
		etag[0] = '\0';
	if (!url || strncmp(url, "https://", 8) != 0 || !url[8]) {
		tc_error_set(err, TC_E_INVALID, "an upload URL must be https://");
		return -1;
	}
	url_parts(url, host, sizeof(host), path, sizeof(path));
	snprintf(err->method, sizeof(err->method), "PUT");
	snprintf(err->host, sizeof(err->host), "%s", host);
	snprintf(err->path, sizeof(err->path), "%s", path);
	if (!c->tops->put_url) {
		tc_error_set(err, TC_E_CONFIG, "this transport cannot upload");
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.method = "PUT";
	req.url = url;
	req.body = data;
	req.body_len = len;
	req.connect_timeout_ms = c->connect_timeout_ms;
	req.timeout_ms = c->timeout_ms > 300000 ? c->timeout_ms : 300000;
	req.low_speed_time_s = 30;
	req.max_body_bytes = 64 * 1024;
	req.interrupted = c->interrupted;
	req.interrupted_arg = c->interrupted_arg;
	r = c->tops->put_url(c->transport, &req, &resp, etag, etagsz, err);
	if (r != 0)
		return -1;
	if (resp.status < 200 || resp.status > 299) {
		tc_error_from_response(err, resp.status, resp.reason, resp.body,
				       resp.body_len, resp.trace_id);
		snprintf(err->method, sizeof(err->method), "PUT");
		snprintf(err->host, sizeof(err->host), "%s", host);
		snprintf(err->path, sizeof(err->path), "%s", path);
		r = -1;
	} else if (etagsz && !etag[0]) {
		tc_error_set(err, TC_E_BAD_RESPONSE, "the storage host answered "
			     "%ld without an ETag", resp.status);
		r = -1;
	}
	tc_http_response_release(&resp);
	tc_client_log(c, LOG_DEBUG, "PUT %s%s: %zu bytes, %s", host, path, len,
		      r == 0 ? "stored" : "failed");
	return r;
}
