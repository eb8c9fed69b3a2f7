/*
 * errors.c — struct tc_error: texts, the errno mapping (DESIGN.md §7, the one
 * place it is done) and the parsing of the three error-body shapes:
 *   v1beta          {"code": 49900001, "message": "...", "details": []}
 *   google.rpc      {"code": 5, "message": "...", "details": [{"@type"...}]}
 *   IAM / billing   {"code": "...", "error": <any>, "msgPrefix": "...",
 *                    "status": 400}
 * The shape is recognised from the body itself, so a family that answers in
 * another family's shape (gateways do) is still understood.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_internal.h"

static const char *const family_names[TC_FAMILY_COUNT] = {
	[TC_FAMILY_V1BETA] = "v1beta",
	[TC_FAMILY_SERVERLESS] = "serverless",
	[TC_FAMILY_DEDICATED] = "dedicated",
	[TC_FAMILY_IAM] = "iam",
	[TC_FAMILY_BILLING] = "billing",
	[TC_FAMILY_DATASERVICE] = "dataservice",
	[TC_FAMILY_MSP] = "msp",
};

const char *tc_family_name(enum tc_family family)
{
	if ((unsigned)family >= TC_FAMILY_COUNT)
		return "unknown";
	return family_names[family];
}

const char *tc_strerror(enum tc_errcode code)
{
	switch (code) {
	case TC_OK:             return "success";
	case TC_E_HTTP:         return "the API returned an error";
	case TC_E_CONNECT:      return "could not connect to the API";
	case TC_E_TLS:          return "TLS handshake or certificate verification failed";
	case TC_E_TIMEOUT:      return "the request timed out";
	case TC_E_CANCELLED:    return "the request was interrupted";
	case TC_E_BAD_RESPONSE: return "malformed response from the API";
	case TC_E_INVALID:      return "invalid argument";
	case TC_E_CONFIG:       return "configuration or credentials problem";
	case TC_E_NOMEM:        return "out of memory";
	case TC_E_INTERNAL:     return "internal error";
	case TC_E_BUSY:         return "too many requests waiting for the API";
	}
	return "unknown error";
}

void tc_error_clear(struct tc_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

void tc_error_set(struct tc_error *err, enum tc_errcode kind,
		  const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->kind = kind;
	err->no_answer = 0;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

static int http_errno(int status, int creating)
{
	switch (status) {
	case 400: case 422:  return EINVAL;
	case 401: case 403:  return EACCES;
	case 404: case 410:  return ENOENT;
	case 408:            return ETIMEDOUT;
	case 409:            return creating ? EEXIST : EBUSY;
	case 429:            return EAGAIN;
	}
	if (status >= 500 && status <= 599)
		return EIO;
	if (status >= 400 && status <= 499)
		return EINVAL;
	return EIO;
}

int tc_error_errno(const struct tc_error *err, int creating)
{
	if (!err)
		return EIO;
	switch (err->kind) {
	case TC_OK:             return 0;
	case TC_E_HTTP:         return http_errno(err->http_status, creating);
	case TC_E_CONNECT:      return EHOSTUNREACH;
	case TC_E_TLS:          return EIO;
	case TC_E_TIMEOUT:      return ETIMEDOUT;
	case TC_E_CANCELLED:    return EINTR;
	case TC_E_BAD_RESPONSE: return EIO;
	case TC_E_INVALID:      return EINVAL;
	case TC_E_CONFIG:       return EINVAL;
	case TC_E_NOMEM:        return ENOMEM;
	case TC_E_INTERNAL:     return EIO;
	case TC_E_BUSY:         return EAGAIN;
	}
	return EIO;
}

const char *tc_http_reason(long status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "";
}

char *tc_error_format(const struct tc_error *err, char *buf, size_t size)
{
	const char *reason;
	char status[96] = "";

	if (!buf || size == 0)
		return buf;
	if (!err) {
		snprintf(buf, size, "(no error)");
		return buf;
	}
	if (err->http_status) {
		reason = tc_http_reason(err->http_status);
		snprintf(status, sizeof(status), "%d%s%s", err->http_status,
			 *reason ? " " : "", reason);
	} else {
		tc_copy(status, sizeof(status), tc_strerror(err->kind));
	}
	snprintf(buf, size, "[%s %s%s%s] %s: %s%s%s%s",
		 err->method[0] ? err->method : "-",
		 err->host[0] ? err->host : "", err->host[0] ? " " : "",
		 err->path[0] ? err->path : "-", status,
		 err->message[0] ? err->message : tc_strerror(err->kind),
		 err->trace_id[0] ? " (trace " : "", err->trace_id,
		 err->trace_id[0] ? ")" : "");
	return buf;
}

/* A JSON value as short text: strings as is, the rest compact JSON. */
static void value_text(json_t *v, char *out, size_t size)
{
	out[0] = '\0';
	if (json_is_string(v)) {
		snprintf(out, size, "%s", json_string_value(v));
	} else if (v && !json_is_null(v)) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (s) {
			snprintf(out, size, "%s", s);
			free(s);
		}
	}
}

void tc_error_from_response(struct tc_error *err, long status,
			    const char *reason, const char *body,
			    size_t body_len, const char *trace_id)
{
	json_t *root = NULL, *code, *msg;
	char text[sizeof(err->message)] = "";

	err->kind = TC_E_HTTP;
	err->http_status = (int)status;
	err->api_code[0] = '\0';
	snprintf(err->trace_id, sizeof(err->trace_id), "%s",
		 trace_id ? trace_id : "");
	if (body && body_len)
		root = json_loadb(body, body_len, 0, NULL);
	if (json_is_object(root)) {
		code = json_object_get(root, "code");
		if (json_is_integer(code))
			snprintf(err->api_code, sizeof(err->api_code), "%lld",
				 (long long)json_integer_value(code));
		else if (json_is_string(code))
			snprintf(err->api_code, sizeof(err->api_code), "%s",
				 json_string_value(code));
		msg = json_object_get(root, "message");
		if (json_is_string(msg) && *json_string_value(msg)) {
			tc_copy(text, sizeof(text), json_string_value(msg));
		} else {
			/* IAM / billing: msgPrefix + error. */
			char prefix[200], detail[400];
			value_text(json_object_get(root, "msgPrefix"), prefix,
				   sizeof(prefix));
			value_text(json_object_get(root, "error"), detail,
				   sizeof(detail));
			if (*prefix && *detail && strcmp(prefix, detail) != 0) {
				size_t pl = strlen(prefix);
				memcpy(text, prefix, pl);
				memcpy(text + pl, ": ", 3);
				tc_copy(text + pl + 2, sizeof(text) - pl - 2, detail);
			} else   /* one of them, or both saying the same */
				tc_copy(text, sizeof(text), *prefix ? prefix : detail);
		}
	}
	json_decref(root);
	if (!*text) {
		const char *r = reason && *reason ? reason : tc_http_reason(status);
		snprintf(text, sizeof(text), "HTTP %ld%s%s", status, *r ? " " : "", r);
	}
	memcpy(err->message, text, sizeof(err->message));
}
