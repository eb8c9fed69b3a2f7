/*
 * tidbcloud.h — the TiDB Cloud client library (libtidbcloud, api/).
 *
 * What this module promises
 * -------------------------
 * - It is the only part of tidbcloudfs that speaks HTTP. It knows nothing of
 *   FUSE. Only api/transport_curl.c includes <curl/curl.h>.
 * - Thread-safety: one tc_client may be used from any number of threads at
 *   once. Connections, TLS sessions, DNS and the digest challenge are shared
 *   between threads; no lock is held across a network exchange.
 * - Ownership (as jansson does it): every json_t ** out-parameter receives a
 *   NEW reference that the caller must json_decref(); every json_t * input is
 *   BORROWED (the library takes its own reference if it keeps it). Nothing
 *   returned is shared with the library's internal state.
 * - Errors: every call returns 0 on success and -1 on failure, and fills the
 *   caller-provided struct tc_error (never NULL-checked away: pass one). On
 *   success the error struct is left zeroed. tc_error_errno() is the ONE
 *   place that maps an API result to an errno value (DESIGN.md §7).
 * - Secrets: the private key is never written to any log line, error
 *   message, or argv. tc_config strings are copied at tc_client_new().
 * - TLS is always verified (peer and host). There is no switch to turn it off;
 *   tc_config.cacert adds trust in another CA bundle.
 * - Requests: idempotent calls (GET, DELETE, PATCH, PUT) are retried on 429,
 *   502, 503, 504 and connection failures with jittered exponential backoff
 *   within a bounded total time; POST is never retried automatically (the API
 *   has no idempotency keys). The client paces requests from the
 *   X-Ratelimit-* headers so that a burst does not hit 429.
 */
#ifndef TIDBCLOUD_H
#define TIDBCLOUD_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TIDBCLOUD_VERSION "0.1.0"

/* The API families; each has its own base URL, paging style and error body. */
enum tc_family {
	TC_FAMILY_V1BETA = 0,     /* https://api.tidbcloud.com/api/v1beta        */
	TC_FAMILY_SERVERLESS,     /* https://serverless.tidbapi.com/v1beta1      */
	TC_FAMILY_DEDICATED,      /* https://dedicated.tidbapi.com/v1beta1       */
	TC_FAMILY_IAM,            /* https://iam.tidbapi.com/v1beta1             */
	TC_FAMILY_BILLING,        /* https://billing.tidbapi.com/v1beta1         */
	TC_FAMILY_DATASERVICE,    /* https://dataservice.tidbapi.com/v1beta1     */
	TC_FAMILY_MSP,            /* https://msp.tidbapi.com/v1beta1/msp         */
	TC_FAMILY_COUNT
};

/* Short lower-case name of a family ("v1beta", "serverless", ...). */
const char *tc_family_name(enum tc_family family);

/* Kinds of failure; tc_strerror() gives a readable text for each. */
enum tc_errcode {
	TC_OK = 0,
	TC_E_HTTP,          /* the API answered with a non-2xx status          */
	TC_E_CONNECT,       /* could not connect / resolve                     */
	TC_E_TLS,           /* TLS handshake or certificate verification failed */
	TC_E_TIMEOUT,       /* connect or total timeout, or too slow            */
	TC_E_CANCELLED,     /* the caller's interrupt callback asked to stop    */
	TC_E_BAD_RESPONSE,  /* body not JSON, truncated, too large, wrong shape */
	TC_E_INVALID,       /* the caller passed invalid arguments              */
	TC_E_CONFIG,        /* configuration / credentials problem              */
	TC_E_NOMEM,
	TC_E_INTERNAL,
	TC_E_BUSY           /* not sent: too many requests to that host are
	                       waiting for an answer (max_in_flight)       */
};

const char *tc_strerror(enum tc_errcode code);

/* Filled by every call that fails. All strings are NUL-terminated and
 * truncated to fit. */
struct tc_error {
	enum tc_errcode kind;
	int http_status;       /* 0 when no HTTP response was received          */
	char api_code[64];     /* the body's "code" as text ("49900007", "...")  */
	char message[512];     /* the API's message, or a description           */
	char trace_id[128];    /* X-Debug-Trace-Id, when the response had one   */
	char method[8];        /* the request that failed: "GET", ...          */
	char path[256];        /* its path (no query string secrets exist)      */
	char host[128];        /* the host it was sent to ("" before a URL)     */
	int no_answer;         /* TC_E_CONNECT after the request went out (the
	                          connection closed or was reset before any
	                          answer): the API may have acted on it        */
};

/* Zero an error struct. */
void tc_error_clear(struct tc_error *err);

/* Map a failure to a positive errno value (EINVAL, EACCES, ENOENT, EEXIST,
 * EBUSY, EAGAIN, EIO, ETIMEDOUT, EHOSTUNREACH, EINTR, ENOMEM). `creating`
 * selects EEXIST (true) or EBUSY (false) for a 409. Returns 0 for TC_OK. */
int tc_error_errno(const struct tc_error *err, int creating);

/* One line "[GET /v1beta1/clusters] 404 Not Found: <message> (trace <id>)"
 * written into buf (always NUL-terminated). Returns buf. */
char *tc_error_format(const struct tc_error *err, char *buf, size_t size);

/* Optional log sink; level is one of the syslog levels (LOG_DEBUG, ...). */
typedef void (*tc_log_fn)(void *arg, int level, const char *line);

/* Polled while a request is in flight; returning non-zero aborts it with
 * TC_E_CANCELLED (used for FUSE's interrupt). Called from the thread that
 * made the request. */
typedef int (*tc_interrupt_fn)(void *arg);

struct tc_config {
	const char *public_key;            /* required                         */
	const char *private_key;           /* required; never logged           */
	/* Base URLs per family; NULL = the real default. A value may be a full
	 * URL ("https://host:port/path") or just "host[:port]" (then https and
	 * the family's default path are used, as the Terraform provider does). */
	const char *base_url[TC_FAMILY_COUNT];
	const char *connect_to;            /* "HOST:PORT" or NULL: every connection
	                                      goes there, while the URL's host stays
	                                      in Host and TLS (like curl --connect-to) */
	const char *cacert;                /* extra CA bundle file, or NULL     */
	long connect_timeout_ms;           /* 0 = 10000                        */
	long timeout_ms;                   /* whole request; 0 = 60000         */
	long retry_budget_ms;              /* total retry time; 0 = 30000      */
	size_t max_body_bytes;             /* 0 = 16 MiB                        */
	int max_retries;                   /* 0 = 4; -1 = never retry          */
	int rate_limit_per_minute;         /* pacing target when the server has
	                                      not told us yet; 0 = 100          */
	int max_in_flight;                 /* requests waiting for an answer per
	                                      family (host); a request beyond it
	                                      waits in_flight_wait_ms for a slot,
	                                      then fails with TC_E_BUSY, unsent;
	                                      0 = unbounded                     */
	long in_flight_wait_ms;            /* 0 = 1000                          */
	int debug;                         /* log every request at LOG_DEBUG   */
	tc_log_fn log;                     /* may be NULL                      */
	void *log_arg;
	tc_interrupt_fn interrupted;       /* may be NULL                      */
	void *interrupted_arg;
	const char *user_agent;            /* User-Agent of every request; NULL =
	                                      "tidbcloudfs/<version>"           */
};

/* Fill a config from the environment: TIDBCLOUD_PUBLIC_KEY,
 * TIDBCLOUD_PRIVATE_KEY, TIDBCLOUD_HOST, TIDBCLOUD_SERVERLESS_ENDPOINT,
 * TIDBCLOUD_DEDICATED_ENDPOINT, TIDBCLOUD_IAM_ENDPOINT,
 * TIDBCLOUD_BILLING_ENDPOINT, TIDBCLOUD_DATASERVICE_ENDPOINT. Only fields
 * whose variable is set are written; pointers point into the environment.
 * Returns the number of fields set. */
int tc_config_from_env(struct tc_config *cfg);

/* ---- credentials profiles (~/.ticloud/config.toml) --------------------- */

struct tc_profile {
	char *name;
	char *public_key;
	char *private_key;
	char *serverless_endpoint;   /* may be NULL */
	char *iam_endpoint;          /* may be NULL */
};

struct tc_profile_list {
	struct tc_profile *items;
	size_t count;
	char *current;               /* "current-profile", may be NULL */
};

/* Read the official CLI's config file. path NULL = $HOME/.ticloud/config.toml.
 * Refuses (TC_E_CONFIG) a file readable or writable by group or others, with a
 * message that says how to fix it. Profiles without both keys are skipped
 * (they may be OAuth-only). Returns 0 / -1. */
int tc_profiles_load(const char *path, struct tc_profile_list *out,
		     struct tc_error *err);
void tc_profiles_release(struct tc_profile_list *list);

/* ---- the client -------------------------------------------------------- */

typedef struct tc_client tc_client;

/* Create a client; copies everything it needs out of cfg. NULL on failure
 * (err says why: missing keys, unreadable cacert, bad URL, ...). */
tc_client *tc_client_new(const struct tc_config *cfg, struct tc_error *err);
void tc_client_free(tc_client *client);

/* The resolved base URL of a family, e.g. "https://serverless.tidbapi.com/v1beta1". */
const char *tc_client_base_url(const tc_client *client, enum tc_family family);
/* The public key the client authenticates with (the API key's
 * accessKey; never the private key). */
const char *tc_client_public_key(const tc_client *client);

/* Statistics since tc_client_new (for the mount's organization.json, the
 * benchmark and the tests). Thread-safe snapshot. */
struct tc_stats {
	uint64_t requests;        /* HTTP exchanges sent, incl. 401 round trips */
	uint64_t api_calls;       /* tc_request() calls that reached the API   */
	uint64_t retries;
	uint64_t throttled_ms;    /* time spent pacing / waiting for a reset   */
	int ratelimit_limit;      /* last X-Ratelimit-Limit-Minute, -1 unknown */
	int ratelimit_remaining;  /* last X-Ratelimit-Remaining-Minute, -1      */
	int ratelimit_reset_s;    /* last X-Ratelimit-Reset, -1                */
	int64_t server_date;      /* last Date header (unix seconds), 0 none   */
	int64_t server_date_local;/* local time (unix seconds) when it came     */
};
void tc_client_stats(tc_client *client, struct tc_stats *out);

/* One API call. `path` is relative to the family's base URL and may carry a
 * query string that the caller has already escaped (tc_escape()).
 * `body` (borrowed, may be NULL) is sent as JSON. On success *out (if out is
 * not NULL) receives the parsed response body (a new reference; an empty body
 * becomes an empty object). */
int tc_request(tc_client *client, enum tc_family family, const char *method,
	       const char *path, json_t *body, json_t **out,
	       struct tc_error *err);

/* Percent-escape a string for use in a path segment or a query value.
 * Returns a malloc'd string (caller frees), or NULL on allocation failure. */
char *tc_escape(const char *s);

/* Items per page of every list call (so a list of N items costs
 * max(1, ceil(N / TC_PAGE_SIZE)) requests). */
#define TC_PAGE_SIZE 100

/* Paging. The family decides the style: v1beta uses page/page_size and
 * {items,total}; every other family uses pageSize=100/pageToken and
 * nextPageToken. `query` (may be NULL or "") holds extra parameters without
 * the leading '?' ("filter=projectId%3D1"), kept identical across pages.
 * `items_key` names the array in each page ("items", "clusters", ...).
 *
 * tc_list_all: *out_items receives a new array with every item of every page.
 * tc_list_each: calls `page_cb` once per page with the page's items array
 * (borrowed); a non-zero return stops the walk and is returned. */
int tc_list_all(tc_client *client, enum tc_family family, const char *path,
		const char *query, const char *items_key, json_t **out_items,
		struct tc_error *err);

typedef int (*tc_page_fn)(void *arg, json_t *items_borrowed);
int tc_list_each(tc_client *client, enum tc_family family, const char *path,
		 const char *query, const char *items_key, tc_page_fn page_cb,
		 void *arg, struct tc_error *err);

/* ---- API calls as descriptors -------------------------------------------
 *
 * A descriptor is a row of constant data that says everything about one API
 * call except its arguments: the family (host, error shape), the method, the
 * path relative to the family's base URL, a fixed query, and for lists the
 * array's key and the paging style. Its arguments are an array of strings
 * ("ids") that fill the "{}" placeholders of the path and then of the query,
 * in order. Adding a call is adding a row (api/calls.c); every call goes
 * through tc_call(), every list through tc_call_list().
 *
 * Invariants and ownership:
 * - Descriptors are immutable and live for the program (static storage);
 *   the library never keeps a pointer to the ids or to the descriptor after
 *   a call returns.
 * - The number of "{}" in path + query must equal n_ids: a mismatch, a NULL
 *   id, or an empty id in the path is TC_E_INVALID (no request is sent).
 *   An empty id in the query is allowed (an optional parameter left empty).
 * - Every id is percent-escaped (tc_escape) as it is expanded, so an id can
 *   never add a path segment or a query parameter. The text of the
 *   descriptor itself is sent as written (it is already escaped).
 * - A path is expanded into "<path>[?<query>]"; together with the family it
 *   identifies the resource (or the collection, for a list) uniquely: that
 *   pair, tc_call_key(), is what a cache should key on, so that children of
 *   different parents never collide.
 * - Ownership follows the rest of this header: json_t * inputs are
 *   borrowed, json_t ** outputs are new references, returned strings are
 *   malloc'd and the caller frees them.
 */

/* How a list is walked (api/paging.c). */
enum tc_paging {
	TC_PAGING_NONE = 0,    /* not a list: one request, one object        */
	TC_PAGING_TOKEN,       /* pageSize=100[&pageToken=T] → nextPageToken */
	TC_PAGING_TOKEN_PLAIN, /* as TOKEN, but the first request carries no
	                          paging parameters (lists that are normally
	                          not paged, such as serverless regions)       */
	TC_PAGING_PAGE         /* page=N&page_size=100 → {items, total}      */
};

typedef struct tc_call_desc {
	const char *name;        /* for error messages: "serverless backup get" */
	enum tc_family family;
	const char *method;      /* "GET", "POST", "PATCH", "PUT", "DELETE"    */
	const char *path;        /* "/clusters/{}/branches/{}:reset"           */
	const char *query;       /* fixed query without '?', may hold "{}";
	                            NULL when none ("clusterId={}")            */
	const char *items_key;   /* lists: the array of each page; else NULL  */
	enum tc_paging paging;   /* TC_PAGING_NONE unless a list               */
} tc_call_desc;

/* Most ids any descriptor takes (path and query together). */
#define TC_CALL_MAX_IDS 8

/* One call: the descriptor's request with its ids, body (borrowed, may be
 * NULL; sent as JSON), *out (may be NULL) the parsed answer as tc_request()
 * gives it. A list descriptor sent this way yields its first page as the
 * server answers it (no paging parameters added). 0 / -1 with err. */
int tc_call(tc_client *client, const tc_call_desc *desc,
	    const char *const ids[], size_t n_ids, json_t *body, json_t **out,
	    struct tc_error *err);

/* PUT `len` bytes to a presigned object-storage URL (an import's upload
 * part): https only, no Authorization, TLS verified with the client's CA,
 * connect_to applies. Sent once (the caller retries a part). 0 with the
 * answer's ETag (quotes kept) in etag, or -1 with err (TC_E_HTTP and the
 * status for a non-2xx answer; err->path holds the URL's path, never its
 * query, which carries the signature). */
int tc_put_url(tc_client *client, const char *url, const void *data,
	       size_t len, char *etag, size_t etagsz, struct tc_error *err);

/* Every item of a list descriptor (paging != TC_PAGING_NONE and items_key
 * set, else TC_E_INVALID), walked in its paging style; extra_query (may be
 * NULL or "", already escaped, without '?') is appended to the descriptor's
 * own query and kept identical across pages (filters, orderBy).
 * *items receives a new array. 0 / -1 with err. */
int tc_call_list(tc_client *client, const tc_call_desc *desc,
		 const char *const ids[], size_t n_ids,
		 const char *extra_query, json_t **items,
		 struct tc_error *err);

/* As tc_call_list, but page_cb sees each page's items (borrowed) as it
 * arrives; its non-zero return stops the walk and is returned. */
int tc_call_list_each(tc_client *client, const tc_call_desc *desc,
		      const char *const ids[], size_t n_ids,
		      const char *extra_query, tc_page_fn page_cb, void *arg,
		      struct tc_error *err);

/* A ranged GET of a presigned URL (an export's file; any host, no API
 * authentication; connect_to and the CA apply): bytes [off, off + size)
 * into buf, *got how many (fewer at the end of the file), *status the
 * HTTP status (206, or 200 from a server ignoring Range; anything else
 * writes nothing: 403 when the URL expired, 416 past the end). 0 / -1
 * with err (no response). */
int tc_get_range(tc_client *client, const char *url, long long off,
		 char *buf, size_t size, size_t *got, long *status,
		 struct tc_error *err);

/* The descriptor expanded with its ids: "/backups?clusterId=1%2F2"
 * (malloc'd), or NULL with err (TC_E_INVALID, TC_E_NOMEM). */
char *tc_call_path(const tc_call_desc *desc, const char *const ids[],
		   size_t n_ids, struct tc_error *err);

/* The cache key of a call: "<family> <expanded path>", e.g.
 * "serverless /backups?clusterId=42" (malloc'd), or NULL with err. */
char *tc_call_key(const tc_call_desc *desc, const char *const ids[],
		  size_t n_ids, struct tc_error *err);

/* The descriptors (api/calls.c). Ids are listed in the order they fill the
 * "{}": project p, cluster c, backup b, ... Paths and paging styles follow
 * shared/tidbcloud-api/API-NOTES.md and the published specs. */

/* projects (v1beta) */
extern const tc_call_desc tc_desc_projects_list;              /* -        */
extern const tc_call_desc tc_desc_project_create;             /* -        */
/* regions */
extern const tc_call_desc tc_desc_serverless_regions_list;    /* -        */
extern const tc_call_desc tc_desc_dedicated_regions_list;     /* -        */
/* Starter/Essential clusters */
extern const tc_call_desc tc_desc_serverless_clusters_list;   /* p        */
extern const tc_call_desc tc_desc_serverless_cluster_get;     /* c        */
extern const tc_call_desc tc_desc_serverless_cluster_create;  /* -        */
extern const tc_call_desc tc_desc_serverless_cluster_update;  /* c        */
extern const tc_call_desc tc_desc_serverless_cluster_delete;  /* c        */
extern const tc_call_desc tc_desc_serverless_cluster_restore; /* - (POST /clusters:restore) */
/* Dedicated clusters */
extern const tc_call_desc tc_desc_dedicated_clusters_list;    /* p        */
extern const tc_call_desc tc_desc_dedicated_cluster_get;      /* c        */
extern const tc_call_desc tc_desc_dedicated_cluster_create;   /* -        */
extern const tc_call_desc tc_desc_dedicated_cluster_update;   /* c        */
extern const tc_call_desc tc_desc_dedicated_cluster_delete;   /* c        */
extern const tc_call_desc tc_desc_dedicated_cluster_pause;    /* c        */
extern const tc_call_desc tc_desc_dedicated_cluster_resume;   /* c        */
/* Starter/Essential backups (serverless host, /backups?clusterId=) */
extern const tc_call_desc tc_desc_serverless_backups_list;    /* c        */
extern const tc_call_desc tc_desc_serverless_backup_get;      /* b        */
extern const tc_call_desc tc_desc_serverless_backup_delete;   /* b        */
/* Dedicated backups (v1beta) */
extern const tc_call_desc tc_desc_dedicated_backups_list;     /* p c      */
extern const tc_call_desc tc_desc_dedicated_backup_create;    /* p c      */
extern const tc_call_desc tc_desc_dedicated_backup_get;       /* p c b    */
extern const tc_call_desc tc_desc_dedicated_backup_delete;    /* p c b    */
/* Dedicated restores (v1beta) */
extern const tc_call_desc tc_desc_restores_list;              /* p        */
extern const tc_call_desc tc_desc_restore_create;             /* p        */
extern const tc_call_desc tc_desc_restore_get;                /* p r      */
/* branches (Starter/Essential) */
extern const tc_call_desc tc_desc_branches_list;              /* c        */
extern const tc_call_desc tc_desc_branch_create;              /* c        */
extern const tc_call_desc tc_desc_branch_get;                 /* c b      */
extern const tc_call_desc tc_desc_branch_delete;              /* c b      */
extern const tc_call_desc tc_desc_branch_reset;               /* c b      */
/* exports (Starter/Essential) */
extern const tc_call_desc tc_desc_exports_list;               /* c        */
extern const tc_call_desc tc_desc_export_create;              /* c        */
extern const tc_call_desc tc_desc_export_get;                 /* c e      */
extern const tc_call_desc tc_desc_export_delete;              /* c e      */
extern const tc_call_desc tc_desc_export_cancel;              /* c e      */
extern const tc_call_desc tc_desc_export_files_list;          /* c e      */
extern const tc_call_desc tc_desc_export_files_download;      /* c e      */
/* imports (Starter/Essential) */
extern const tc_call_desc tc_desc_serverless_imports_list;    /* c        */
extern const tc_call_desc tc_desc_serverless_import_create;   /* c        */
extern const tc_call_desc tc_desc_serverless_import_get;      /* c i      */
extern const tc_call_desc tc_desc_serverless_import_cancel;   /* c i      */
/* c, fileName, partNumber, targetDatabase, targetTable */
extern const tc_call_desc tc_desc_serverless_import_start_upload;
extern const tc_call_desc tc_desc_serverless_import_complete_upload; /* c, uploadId */
extern const tc_call_desc tc_desc_serverless_import_cancel_upload;   /* c, uploadId */
/* imports (Dedicated) */
extern const tc_call_desc tc_desc_dedicated_imports_list;     /* c        */
extern const tc_call_desc tc_desc_dedicated_import_create;    /* c        */
extern const tc_call_desc tc_desc_dedicated_import_get;       /* c i      */
extern const tc_call_desc tc_desc_dedicated_import_cancel;    /* c i      */
/* SQL users (IAM host) */
extern const tc_call_desc tc_desc_sql_users_list;             /* c        */
extern const tc_call_desc tc_desc_sql_user_create;            /* c        */
extern const tc_call_desc tc_desc_sql_user_get;               /* c u      */
extern const tc_call_desc tc_desc_sql_user_update;            /* c u      */
extern const tc_call_desc tc_desc_sql_user_delete;            /* c u      */
/* Data Service: p project, a Data App, e endpoint, k key, c cluster,
 * d deployment */
extern const tc_call_desc tc_desc_data_apps_list;             /* p        */
extern const tc_call_desc tc_desc_data_app_create;            /* -        */
extern const tc_call_desc tc_desc_data_app_get;               /* a        */
extern const tc_call_desc tc_desc_data_app_update;            /* a        */
extern const tc_call_desc tc_desc_data_app_delete;            /* a        */
extern const tc_call_desc tc_desc_data_app_api_spec;          /* a        */
extern const tc_call_desc tc_desc_data_app_endpoints_list;    /* a        */
extern const tc_call_desc tc_desc_data_app_endpoint_create;   /* a        */
extern const tc_call_desc tc_desc_data_app_endpoint_get;      /* a e      */
extern const tc_call_desc tc_desc_data_app_endpoint_update;   /* a e      */
extern const tc_call_desc tc_desc_data_app_endpoint_delete;   /* a e      */
extern const tc_call_desc tc_desc_data_app_endpoint_test;     /* a e      */
extern const tc_call_desc tc_desc_data_app_keys_list;         /* a        */
extern const tc_call_desc tc_desc_data_app_key_create;        /* a        */
extern const tc_call_desc tc_desc_data_app_key_get;           /* a k      */
extern const tc_call_desc tc_desc_data_app_key_update;        /* a k      */
extern const tc_call_desc tc_desc_data_app_key_delete;        /* a k      */
extern const tc_call_desc tc_desc_data_app_sources_list;      /* a        */
extern const tc_call_desc tc_desc_data_app_source_create;     /* a        */
extern const tc_call_desc tc_desc_data_app_source_get;        /* a c      */
extern const tc_call_desc tc_desc_data_app_source_delete;     /* a c      */
extern const tc_call_desc tc_desc_data_app_deployments_list;  /* a        */
extern const tc_call_desc tc_desc_data_app_deployment_create; /* a        */
extern const tc_call_desc tc_desc_data_app_deployment_get;    /* a d      */
/* Dedicated private endpoints (g = TiDB node group; "-" lists across) */
extern const tc_call_desc tc_desc_v1beta_imports_list;        /* p c      */
extern const tc_call_desc tc_desc_v1beta_import_get;          /* p c i    */
extern const tc_call_desc tc_desc_tidb_node_groups_list;      /* c        */
extern const tc_call_desc tc_desc_tidb_node_group_get;        /* c g      */
extern const tc_call_desc tc_desc_private_endpoint_connections_of_project; /* p */
extern const tc_call_desc tc_desc_private_link_service_get;          /* c g   */
extern const tc_call_desc tc_desc_private_endpoint_connections_list; /* c g   */
extern const tc_call_desc tc_desc_private_endpoint_connections_of_cluster; /* c */
extern const tc_call_desc tc_desc_private_endpoint_connection_create; /* c g  */
extern const tc_call_desc tc_desc_private_endpoint_connection_get;   /* c g e */
extern const tc_call_desc tc_desc_private_endpoint_connection_delete; /* c g e */
/* issue 10: dedicated node specs, MSP customers (deprecated), AWS CMEK */
extern const tc_call_desc tc_desc_dedicated_node_specs_list;  /* region   */
extern const tc_call_desc tc_desc_msp_customers_list;         /* -        */
extern const tc_call_desc tc_desc_msp_customer_get;           /* org      */
extern const tc_call_desc tc_desc_msp_signup_url_create;      /* -        */
extern const tc_call_desc tc_desc_aws_cmek_get;               /* p        */
extern const tc_call_desc tc_desc_aws_cmek_create;            /* p        */
/* the organization's API keys (IAM host; k = accessKey) */
extern const tc_call_desc tc_desc_apikeys_list;               /*          */
extern const tc_call_desc tc_desc_apikey_create;              /*          */
extern const tc_call_desc tc_desc_apikey_get;                 /* k        */
extern const tc_call_desc tc_desc_apikey_update;              /* k        */
extern const tc_call_desc tc_desc_apikey_delete;              /* k        */
/* bills (billing host; m = YYYY-MM); bills_months: a cache key only */
extern const tc_call_desc tc_desc_bills_months;               /*          */
extern const tc_call_desc tc_desc_bill_get;                   /* m        */
extern const tc_call_desc tc_desc_bill_details_get;           /* m        */

/* ---- resource calls used by the filesystem ------------------------------
 * Thin wrappers over tc_call/tc_call_list and the descriptors above, kept
 * until fs/ names descriptors itself; see api/resources.c. Lists return the
 * whole collection as a new array. */
int tc_projects_list(tc_client *c, json_t **items, struct tc_error *err);
int tc_project_create(tc_client *c, json_t *body, json_t **out,
		      struct tc_error *err);

int tc_serverless_clusters_list(tc_client *c, const char *project_id,
				json_t **items, struct tc_error *err);
int tc_serverless_cluster_get(tc_client *c, const char *cluster_id,
			      json_t **out, struct tc_error *err);
/* Most ids one batch get may name (the spec: "A maximum of 1000"). */
#define TC_BATCH_GET_MAX 1000
/* GET /clusters:batchGet?clusterIds=…&view=FULL: the full objects of n
 * (1..TC_BATCH_GET_MAX) clusters in one request, *items a new array. The
 * call is atomic on the API's side: one unknown id fails it all (404). */
int tc_serverless_clusters_batch_get(tc_client *c, const char *const *ids,
				     size_t n, json_t **items,
				     struct tc_error *err);
int tc_serverless_cluster_create(tc_client *c, json_t *cluster, json_t **out,
				 struct tc_error *err);
/* PATCH {cluster:{...}, updateMask:"a,b"}; `cluster` holds the new values. */
int tc_serverless_cluster_update(tc_client *c, const char *cluster_id,
				 json_t *cluster, const char *update_mask,
				 json_t **out, struct tc_error *err);
int tc_serverless_cluster_delete(tc_client *c, const char *cluster_id,
				 json_t **out, struct tc_error *err);

int tc_dedicated_clusters_list(tc_client *c, const char *project_id,
			       json_t **items, struct tc_error *err);
int tc_dedicated_cluster_get(tc_client *c, const char *cluster_id,
			     json_t **out, struct tc_error *err);
int tc_dedicated_cluster_create(tc_client *c, json_t *cluster, json_t **out,
				struct tc_error *err);
/* PATCH with a flat body of the changed fields. */
int tc_dedicated_cluster_update(tc_client *c, const char *cluster_id,
				json_t *changes, json_t **out,
				struct tc_error *err);
int tc_dedicated_cluster_delete(tc_client *c, const char *cluster_id,
				json_t **out, struct tc_error *err);
int tc_dedicated_cluster_pause(tc_client *c, const char *cluster_id,
			       json_t **out, struct tc_error *err);
int tc_dedicated_cluster_resume(tc_client *c, const char *cluster_id,
				json_t **out, struct tc_error *err);

/* family is TC_FAMILY_SERVERLESS or TC_FAMILY_DEDICATED. */
int tc_regions_list(tc_client *c, enum tc_family family, json_t **items,
		    struct tc_error *err);

#ifdef __cplusplus
}
#endif
#endif /* TIDBCLOUD_H */
