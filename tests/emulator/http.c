/* http.c — request plumbing and routing (http.h). */
#include "http.h"
#include "auth.h"
#include "emu.h"
#include "faults.h"
#include "modules.h"
#include "model.h"
#include "ratelimit.h"
#include "stats.h"
#include "storage.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Per request (MHD's req_cls). */
struct req_ctx {
	char *body;
	size_t len, cap;
	bool too_large;
	int64_t start_ms;
	bool storage;              /* a storage host: storage.c answers */
	void *storage_state;
};

/* Per connection (MHD's socket_context). Only its own thread touches it. */
struct conn_ctx {
	bool tls_counted;
};

static const struct {
	const char *host;
	enum emu_family family;
	const char *name;
} hosts[] = {
	{ "api.tidbcloud.com",       EMU_FAM_V1BETA,      "v1beta" },
	{ "serverless.tidbapi.com",  EMU_FAM_SERVERLESS,  "serverless" },
	{ "dedicated.tidbapi.com",   EMU_FAM_DEDICATED,   "dedicated" },
	{ "iam.tidbapi.com",         EMU_FAM_IAM,         "iam" },
	{ "billing.tidbapi.com",     EMU_FAM_BILLING,     "billing" },
	{ "dataservice.tidbapi.com", EMU_FAM_DATASERVICE, "dataservice" },
	{ "msp.tidbapi.com",         EMU_FAM_MSP,         "msp" },
};

static const struct emu_route no_routes[] = { { 0, NULL, NULL, NULL } };

static const struct emu_route *routes_for(enum emu_family f)
{
	switch (f) {
	case EMU_FAM_V1BETA:     return emu_routes_v1beta;
	case EMU_FAM_SERVERLESS: return emu_routes_serverless;
	case EMU_FAM_DEDICATED:  return emu_routes_dedicated;
	default:                 return no_routes;
	}
}

const char *emu_family_name(enum emu_family f)
{
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (hosts[i].family == f)
			return hosts[i].name;
	return "?";
}

int emu_family_for_host(const char *host)
{
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strcasecmp(hosts[i].host, host) == 0)
			return (int)hosts[i].family;
	return -1;
}

bool emu_path_match(const char *pattern, const char *path,
		    char ids[EMU_MAX_PATH_IDS][128])
{
	int n = 0;

	while (*pattern) {
		if (strncmp(pattern, "{id}", 4) == 0) {
			size_t len = strcspn(path, "/:");
			if (len == 0 || len >= 128 || n >= EMU_MAX_PATH_IDS)
				return false;
			memcpy(ids[n], path, len);
			ids[n][len] = '\0';
			n++;
			path += len;
			pattern += 4;
		} else {
			if (*pattern != *path)
				return false;
			pattern++;
			path++;
		}
	}
	return *path == '\0';
}

const char *emu_query(const struct emu_request *rq, const char *key)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);
}

json_t *emu_body_object(const struct emu_request *rq, struct emu_response *rs)
{
	json_error_t err;
	json_t *o;

	if (rq->body_len == 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "request body is required (a JSON object)");
		return NULL;
	}
	o = json_loadb(rq->body, rq->body_len, 0, &err);
	if (!o) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "malformed JSON body: %s (line %d, column %d)",
			  err.text, err.line, err.column);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "request body must be a JSON object");
		return NULL;
	}
	return o;
}

/* ---- query string rebuilt for the log ---- */

struct qbuf {
	char *s;
	size_t len, cap;
};

static void qappend(struct qbuf *q, const char *s)
{
	size_t n = strlen(s);
	if (q->len + n + 1 > q->cap) {
		size_t cap = (q->len + n + 1) * 2;
		char *p = realloc(q->s, cap);
		if (!p)
			return;
		q->s = p;
		q->cap = cap;
	}
	memcpy(q->s + q->len, s, n + 1);
	q->len += n;
}

static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *value)
{
	struct qbuf *q = cls;
	if (q->len)
		qappend(q, "&");
	qappend(q, key);
	if (value) {
		qappend(q, "=");
		qappend(q, value);
	}
	return MHD_YES;
}

/* ---- responses ---- */

static void add_json_headers(struct MHD_Response *r)
{
	char trace[33];

	emu_random_hex(trace, 16);
	MHD_add_response_header(r, "Content-Type", "application/json");
	MHD_add_response_header(r, "X-Debug-Trace-Id", trace);
}

/* A truncated answer: Content-Length says len, only the first half is
 * sent, then the connection is closed. */
struct cut_body {
	char *text;
	size_t cut;
};

static ssize_t cut_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct cut_body *b = cls;

	if (pos >= b->cut)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	size_t n = b->cut - (size_t)pos < max ? b->cut - (size_t)pos : max;
	memcpy(buf, b->text + pos, n);
	return (ssize_t)n;
}

static void cut_free(void *cls)
{
	struct cut_body *b = cls;

	free(b->text);
	free(b);
}

static struct MHD_Response *response_for(char *text, enum emu_fault_kind damage)
{
	static const char garbage[] =
		"<html><head><title>OK</title></head><body>upstream answered "
		"something that is not JSON</body></html>";
	size_t len = strlen(text);
	struct MHD_Response *r;

	if (damage == EMU_FAULT_MALFORMED) {
		free(text);
		if (!(text = strdup(garbage)))
			return NULL;
		len = strlen(text);
	}
	if (damage == EMU_FAULT_TRUNCATE && len > 1) {
		struct cut_body *b = malloc(sizeof(*b));
		if (!b) {
			free(text);
			return NULL;
		}
		*b = (struct cut_body){ text, len / 2 };
		r = MHD_create_response_from_callback(len, 4096, cut_reader, b,
						      cut_free);
		if (!r)
			cut_free(b);
		return r;
	}
	r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(text);
	return r;
}

/* damage: EMU_FAULT_TRUNCATE or EMU_FAULT_MALFORMED spoil the answer (a
 * malformed one becomes a 200); anything else sends it as it is. */
static enum MHD_Result send_json(struct MHD_Connection *conn, int status,
				 json_t *body, const struct emu_rate *rate,
				 const char *challenge,
				 enum emu_fault_kind damage)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	struct MHD_Response *r;
	char num[32];
	enum MHD_Result ret;

	if (!text)
		text = strdup(body ? "{}" : "");
	if (!text)
		return MHD_NO;
	r = response_for(text, damage);
	if (!r)
		return MHD_NO;
	if (damage == EMU_FAULT_MALFORMED)
		status = 200;
	add_json_headers(r);
	if (rate) {
		snprintf(num, sizeof(num), "%ld", rate->limit);
		MHD_add_response_header(r, "X-Ratelimit-Limit-Minute", num);
		snprintf(num, sizeof(num), "%ld", rate->remaining);
		MHD_add_response_header(r, "X-Ratelimit-Remaining-Minute", num);
		snprintf(num, sizeof(num), "%ld", rate->reset_s);
		MHD_add_response_header(r, "X-Ratelimit-Reset", num);
	}
	if (challenge)
		MHD_add_response_header(r, "WWW-Authenticate", challenge);
	ret = MHD_queue_response(conn, (unsigned int)status, r);
	MHD_destroy_response(r);
	return ret;
}

static void log_line(const char *method, const char *host, const char *path,
		     const char *query, int status, int64_t start_ms)
{
	if (emu_cfg.log_requests)
		fprintf(stderr, "tidbcloud-emulator: %s %s %s%s%s -> %d (%lld ms)\n",
			method, host, path, *query ? "?" : "", query, status,
			(long long)(emu_now_ms() - start_ms));
}

/* POST /_emulator/faults: arm one fault (faults.h). */
static json_t *arm_fault(const struct req_ctx *ctx, int *status)
{
	char err[256];
	json_error_t jerr;
	json_t *spec = ctx->len ? json_loadb(ctx->body, ctx->len, 0, &jerr) : NULL;

	if (!spec) {
		snprintf(err, sizeof(err), "the body must be a JSON object");
	} else if (emu_faults_add(spec, err, sizeof(err)) == 0) {
		json_decref(spec);
		return emu_faults_json();
	}
	json_decref(spec);
	*status = 400;
	return json_pack("{s:i, s:s, s:[]}", "code", (int)EMU_RPC_INVALID_ARGUMENT,
			 "message", err, "details");
}

/* /_emulator/...: any host, no auth, not counted, not logged. */
static enum MHD_Result emulator_endpoint(struct MHD_Connection *conn,
					 const char *method, const char *path,
					 const struct req_ctx *ctx)
{
	json_t *body;
	int status = 200;
	enum MHD_Result ret;

	if (strcmp(path, "/_emulator/stats") == 0 && strcmp(method, "GET") == 0) {
		body = emu_stats_json();
	} else if (strcmp(path, "/_emulator/requests") == 0 &&
		   strcmp(method, "GET") == 0) {
		body = emu_stats_log_json();
	} else if (strcmp(path, "/_emulator/reset-stats") == 0 &&
		   strcmp(method, "POST") == 0) {
		emu_stats_reset();
		body = json_object();
	} else if (strcmp(path, "/_emulator/faults") == 0 &&
		   strcmp(method, "POST") == 0) {
		body = arm_fault(ctx, &status);
	} else if (strcmp(path, "/_emulator/faults") == 0 &&
		   strcmp(method, "DELETE") == 0) {
		emu_faults_clear();
		body = emu_faults_json();
	} else if (strcmp(path, "/_emulator/faults") == 0 &&
		   strcmp(method, "GET") == 0) {
		body = emu_faults_json();
	} else {
		status = 404;
		body = json_pack("{s:i, s:s, s:[]}", "code", (int)EMU_RPC_NOT_FOUND,
				 "message", "unknown emulator endpoint "
				 "(GET /_emulator/stats, GET /_emulator/requests, "
				 "POST /_emulator/reset-stats, GET POST DELETE "
				 "/_emulator/faults)", "details");
	}
	ret = send_json(conn, status, body, NULL, NULL, EMU_FAULT_NONE);
	json_decref(body);
	return ret;
}

/* Find the route; *path_known tells 404 from 405. */
static const struct emu_route *find_route(enum emu_family f, const char *method,
					  const char *path,
					  char ids[EMU_MAX_PATH_IDS][128],
					  bool *path_known)
{
	const struct emu_route *found;

	*path_known = false;
	if ((found = emu_modules_route(f, method, path, ids, path_known)))
		return found;
	for (const struct emu_route *r = routes_for(f); r->pattern; r++) {
		if (!emu_path_match(r->pattern, path, ids))
			continue;
		if (strcmp(r->method, method) == 0)
			return r;
		*path_known = true;
	}
	return NULL;
}

/* The gRPC code of an injected status (google.rpc.Status bodies). */
static enum emu_rpc_code fault_rpc_code(int status)
{
	switch (status) {
	case 400: return EMU_RPC_INVALID_ARGUMENT;
	case 404: return EMU_RPC_NOT_FOUND;
	case 409: return EMU_RPC_ALREADY_EXISTS;
	case 429: return EMU_RPC_RESOURCE_EXHAUSTED;
	case 501: return EMU_RPC_UNIMPLEMENTED;
	case 502: case 503: return EMU_RPC_UNAVAILABLE;
	case 504: return EMU_RPC_DEADLINE_EXCEEDED;
	default:  return status >= 500 ? EMU_RPC_INTERNAL : EMU_RPC_FAILED_PRECONDITION;
	}
}

static enum MHD_Result dispatch(struct MHD_Connection *conn, const char *url,
				const char *method, struct req_ctx *ctx)
{
	const char *hosthdr = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							  "Host");
	char host[256];
	struct qbuf q = { NULL, 0, 0 };
	struct emu_request rq;
	struct emu_response rs = { 200, NULL };
	struct emu_rate rate;
	const struct emu_route *route;
	const char *challenge = NULL;
	char chbuf[512], key[256];
	struct emu_fault fault = { EMU_FAULT_NONE, 0, 0 };
	bool authed = false, path_known;
	int fam;
	enum MHD_Result ret;

	/* Host without :port, lower case. */
	snprintf(host, sizeof(host), "%s", hosthdr ? hosthdr : "");
	if (host[0] == '[') {
		char *end = strchr(host, ']');
		if (end)
			end[1] = '\0';
	} else {
		char *colon = strchr(host, ':');
		if (colon)
			*colon = '\0';
	}
	for (char *p = host; *p; p++)
		*p = (char)tolower((unsigned char)*p);

	if (strncmp(url, "/_emulator/", 11) == 0)
		return emulator_endpoint(conn, method, url, ctx);

	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_iter, &q);
	if (emu_cfg.latency_ms > 0)
		emu_sleep_ms(emu_cfg.latency_ms);

	memset(&rq, 0, sizeof(rq));
	rq.conn = conn;
	rq.method = method;
	rq.host = host;
	rq.path = url;
	rq.query = q.s ? q.s : "";
	rq.body = ctx->body ? ctx->body : "";
	rq.body_len = ctx->len;

	fam = emu_family_for_host(host);
	if (fam < 0) {
		rs.status = 404;
		rs.body = emu_unknown_host_body(host);
		goto answer;
	}
	rq.family = (enum emu_family)fam;

	enum emu_auth_result ar = emu_auth_check(
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
		method, url);
	if (ar != EMU_AUTH_OK) {
		emu_auth_challenge(chbuf, sizeof(chbuf), ar == EMU_AUTH_STALE);
		challenge = chbuf;
		emu_error(&rs, rq.family, 401, EMU_RPC_UNAUTHENTICATED,
			  ar == EMU_AUTH_STALE ? "The nonce is stale, retry with the new challenge"
			  : rq.family == EMU_FAM_V1BETA && ar == EMU_AUTH_BAD
			  ? "public_key not found"
			  : "The API key cannot be authenticated");
		emu_stats_challenge();
		goto answer;
	}
	authed = true;
	emu_ratelimit_take(emu_cfg.public_key, &rate);
	if (!rate.allowed) {
		rs.status = 429;
		rs.body = emu_rate_limit_body(rate.limit);
		emu_stats_rate_limited();
		emu_stats_request(NULL);
		goto answer;
	}
	if (ctx->too_large) {
		emu_stats_request(NULL);
		emu_error(&rs, rq.family, 413, EMU_RPC_INVALID_ARGUMENT,
			  "request body larger than %d bytes", EMU_MAX_BODY);
		goto answer;
	}
	route = find_route(rq.family, method, url, rq.ids, &path_known);
	if (route)
		snprintf(key, sizeof(key), "%s %s %s", route->method,
			 emu_family_name(rq.family), route->pattern);
	emu_stats_request(route ? key : NULL);
	fault = emu_faults_take(route ? key : NULL);
	if (fault.kind != EMU_FAULT_NONE)
		emu_stats_fault();
	switch (fault.kind) {
	case EMU_FAULT_STATUS:
		emu_error(&rs, rq.family, fault.status, fault_rpc_code(fault.status),
			  "injected fault: HTTP %d", fault.status);
		goto answer;
	case EMU_FAULT_RESET:
		emu_stats_log(method, host, url, rq.query, 0);
		log_line(method, host, url, rq.query, 0, ctx->start_ms);
		free(q.s);
		return MHD_NO;       /* MHD closes the connection, no answer */
	case EMU_FAULT_STALL:
		emu_sleep_ms(fault.stall_ms);
		break;
	default:                     /* truncate, malformed: spoil the answer */
		break;
	}
	if (!route) {
		if (path_known)
			emu_error(&rs, rq.family, 405, EMU_RPC_UNIMPLEMENTED,
				  "method %s not allowed on %s", method, url);
		else
			emu_error(&rs, rq.family, 404, EMU_RPC_NOT_FOUND,
				  "no such API: %s %s", method, url);
		goto answer;
	}
	emu_model_lock();
	emu_model_advance();
	route->handler(&rq, &rs);
	emu_model_unlock();
	if (fault.kind == EMU_FAULT_RESET_AFTER) {   /* done, then no answer */
		emu_stats_log(method, host, url, rq.query, 0);
		log_line(method, host, url, rq.query, 0, ctx->start_ms);
		json_decref(rs.body);
		free(q.s);
		return MHD_NO;
	}

answer:
	if (fault.kind == EMU_FAULT_MALFORMED)
		rs.status = 200;
	emu_stats_log(method, host, url, rq.query, rs.status);
	log_line(method, host, url, rq.query, rs.status, ctx->start_ms);
	ret = send_json(conn, rs.status, rs.body, authed ? &rate : NULL, challenge,
			fault.kind);
	json_decref(rs.body);
	free(q.s);
	return ret;
}

enum MHD_Result emu_http_access(void *cls, struct MHD_Connection *conn,
				const char *url, const char *method,
				const char *version, const char *upload_data,
				size_t *upload_data_size, void **req_cls)
{
	struct req_ctx *ctx = *req_cls;

	if (!ctx) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		struct conn_ctx *cc = ci ? ci->socket_context : NULL;
		if (cc && !cc->tls_counted) {
			cc->tls_counted = true;
			emu_stats_tls_handshake();
		}
		ctx = calloc(1, sizeof(*ctx));
		if (!ctx)
			return MHD_NO;
		ctx->start_ms = emu_now_ms();
		ctx->storage = emu_storage_host(MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, "Host"));
		*req_cls = ctx;
		return MHD_YES;
	}
	if (ctx->storage)
		return emu_storage_access(conn, url, method, upload_data,
					  upload_data_size, &ctx->storage_state);
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		if (!ctx->too_large && ctx->len + n <= EMU_MAX_BODY) {
			if (ctx->len + n + 1 > ctx->cap) {
				size_t cap = (ctx->len + n + 1) * 2;
				if (cap > EMU_MAX_BODY + 1)
					cap = EMU_MAX_BODY + 1;
				char *p = realloc(ctx->body, cap);
				if (!p)
					return MHD_NO;
				ctx->body = p;
				ctx->cap = cap;
			}
			memcpy(ctx->body + ctx->len, upload_data, n);
			ctx->len += n;
			ctx->body[ctx->len] = '\0';
		} else {
			ctx->too_large = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return dispatch(conn, url, method, ctx);
}

void emu_http_completed(void *cls, struct MHD_Connection *conn,
			void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct req_ctx *ctx = *req_cls;

	if (ctx) {
		emu_storage_done(ctx->storage_state);
		free(ctx->body);
		free(ctx);
		*req_cls = NULL;
	}
}

void emu_http_connection(void *cls, struct MHD_Connection *conn,
			 void **socket_context,
			 enum MHD_ConnectionNotificationCode toe)
{
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = calloc(1, sizeof(struct conn_ctx));
		emu_stats_connection();
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		free(*socket_context);
		*socket_context = NULL;
	}
}
