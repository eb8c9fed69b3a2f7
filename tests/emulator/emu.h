/*
 * emu.h — the emulator's shared types: configuration, API families,
 * requests, responses, the routing table and the error bodies.
 *
 * Threading: libmicrohttpd runs one thread per connection. A request is
 * handled entirely on its connection's thread. Shared state lives in four
 * places, each with its own lock and never nested except as noted:
 *   - the data model (model.c): emu_model_lock(), held by a route handler for
 *     the whole handler so that a handler sees one consistent snapshot;
 *   - the statistics and the request log (stats.c): an internal mutex;
 *   - the rate-limit windows (ratelimit.c): an internal mutex;
 *   - the pending injected faults (faults.c): an internal mutex;
 *   - nothing else: the configuration and the digest secret are written once
 *     before the daemon starts and only read afterwards.
 * No lock is ever held while sleeping (--latency-ms, a stall fault).
 */
#ifndef EMU_H
#define EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct MHD_Connection;

/* Limits. */
#define EMU_MAX_BODY        (1024 * 1024)   /* request bodies above → 413 */
#define EMU_REQUEST_LOG_LEN 1000            /* entries kept by the request log */

/* Options, filled by main.c before anything starts; read-only afterwards. */
struct emu_config {
	const char *listen;        /* "ADDR:PORT" */
	const char *port_file;
	const char *seed_file;     /* NULL: the built-in default seed */
	const char *cert_file;
	const char *key_file;
	long transition_ms;        /* length of every transitional state */
	long long_transition_ms;   /* UPGRADING, IMPORTING, MAINTENANCE(ING) */
	long latency_ms;           /* added to every API response */
	long rate_limit;           /* requests per window per key; 0 = unlimited */
	long rate_window_ms;       /* length of the rate-limit window (60000) */
	long nonce_ttl_s;          /* digest nonce lifetime */
	long presign_ttl_s;        /* lifetime of presigned storage URLs */
	bool log_requests;
	const char *public_key;
	const char *private_key;
};
extern struct emu_config emu_cfg;

/* API families, one per host (plus msp which has no routes). */
enum emu_family {
	EMU_FAM_V1BETA,
	EMU_FAM_SERVERLESS,
	EMU_FAM_DEDICATED,
	EMU_FAM_IAM,
	EMU_FAM_BILLING,
	EMU_FAM_DATASERVICE,
	EMU_FAM_MSP,
	EMU_FAM_COUNT
};
const char *emu_family_name(enum emu_family f);
/* Family for a Host header (port already stripped, any case); -1 if none. */
int emu_family_for_host(const char *host);

/* One API request, valid for the duration of a handler call. */
#define EMU_MAX_PATH_IDS 4
struct emu_request {
	struct MHD_Connection *conn;
	const char *method;
	const char *host;          /* lower case, without :port */
	const char *path;          /* decoded, without the query */
	const char *query;         /* decoded "k=v&k=v" (log only), never NULL */
	const char *body;          /* NUL-terminated, may be empty */
	size_t body_len;
	enum emu_family family;
	/* The {id} segments of the matched pattern, in order. */
	char ids[EMU_MAX_PATH_IDS][128];
};

/* What a handler produces. body is owned by the response (may be NULL for
 * an empty body). */
struct emu_response {
	int status;
	json_t *body;
};

/* Query parameter (decoded) or NULL. */
const char *emu_query(const struct emu_request *rq, const char *key);
/* Integer query parameter: def when absent; -1 (and rs filled with a 400
 * naming key) when not a non-negative integer. */
int emu_query_long(const struct emu_request *rq, struct emu_response *rs,
		   const char *key, long def, long *out);
/* Every value of a repeated query parameter, comma lists split, as a JSON
 * array of strings (new reference, possibly empty). */
json_t *emu_query_values(const struct emu_request *rq, const char *key);
/* Opaque page tokens (AIP-158) encoding an offset into a list. */
void emu_page_token(char out[48], size_t offset);
/* 0 and *offset on success, -1 for a token we did not issue. */
int emu_page_token_parse(const char *token, size_t *offset);

/* Request body parsed as a JSON object; on failure fills rs with a 400 in
 * the family's error shape and returns NULL. New reference. */
json_t *emu_body_object(const struct emu_request *rq, struct emu_response *rs);

/* Route handlers (routes_*.c). Called with the model lock held. */
typedef void (*emu_handler)(const struct emu_request *rq, struct emu_response *rs);

struct emu_route {
	enum emu_family family;
	const char *method;
	/* Literal text with "{id}" placeholders; an id is one or more
	 * characters other than '/' and ':' so that "/clusters/{id}:pauseCluster"
	 * works. This string is also the stats route key's PATTERN. */
	const char *pattern;
	emu_handler handler;
};
extern const struct emu_route emu_routes_v1beta[];
extern const struct emu_route emu_routes_serverless[];
extern const struct emu_route emu_routes_dedicated[];
/* Each table ends with an entry whose pattern is NULL. */

/* Does path match pattern? Fills ids (up to EMU_MAX_PATH_IDS). */
bool emu_path_match(const char *pattern, const char *path,
		    char ids[EMU_MAX_PATH_IDS][128]);

/* ---- errors.c: error bodies in each family's own shape ---- */

/* gRPC status codes used by google.rpc.Status bodies. */
enum emu_rpc_code {
	EMU_RPC_INVALID_ARGUMENT = 3,
	EMU_RPC_DEADLINE_EXCEEDED = 4,
	EMU_RPC_NOT_FOUND = 5,
	EMU_RPC_ALREADY_EXISTS = 6,
	EMU_RPC_RESOURCE_EXHAUSTED = 8,
	EMU_RPC_FAILED_PRECONDITION = 9,
	EMU_RPC_UNIMPLEMENTED = 12,
	EMU_RPC_INTERNAL = 13,
	EMU_RPC_UNAVAILABLE = 14,
	EMU_RPC_UNAUTHENTICATED = 16
};

/* Error body for family f: v1beta {code:int,message,details[]};
 * serverless/dedicated/dataservice google.rpc.Status {code,message,details[]};
 * iam/billing/msp {code:string,error,msgPrefix,status}. rpc is the gRPC code
 * (the v1beta and IAM codes are derived from the HTTP status). */
void emu_error(struct emu_response *rs, enum emu_family f, int http_status,
	       enum emu_rpc_code rpc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The Kong gateway's 429 body (the same for every family). */
json_t *emu_rate_limit_body(long limit);
/* The body for an unknown Host. */
json_t *emu_unknown_host_body(const char *host);

/* ---- names.c: published name constraints ---- */
#define EMU_CLUSTER_NAME_RULE \
	"value does not match regex pattern \"^[A-Za-z0-9][-A-Za-z0-9]{2,62}[A-Za-z0-9]$\""
/* Cluster displayName (serverless and dedicated, create and update). */
bool emu_cluster_name_ok(const char *s);
/* Project name (v1beta create): 1..64 characters, no control character. */
bool emu_project_name_ok(const char *s);

/* ---- util ---- */
int64_t emu_now_ms(void);               /* CLOCK_MONOTONIC */
void emu_rfc3339(char out[32], time_t t); /* UTC, "2024-01-15T08:00:00Z" */
void emu_random_hex(char *out, size_t nbytes); /* out gets 2*nbytes + NUL */
void emu_sleep_ms(long ms);

#endif
