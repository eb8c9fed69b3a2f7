/*
 * tc_internal.h — what the files of api/ share, and the hooks the unit tests
 * use (they are compiled with -Iapi). Not installed, not used by fs/.
 *
 * Locks of a tc_client (none is ever held while another is taken, and none
 * is held across a network exchange or a sleep):
 *   digest.lock      the shared digest challenge and its nc counter
 *   ratelimit.lock   the pacing state
 *   transport locks  (transport_curl.c) the handle pool, the CURLSH locks
 * Counters in tc_client are C11 atomics.
 */
#ifndef TC_INTERNAL_H
#define TC_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include "tidbcloud.h"
#include "transport.h"

#ifndef TCFS_VERSION
#define TCFS_VERSION TIDBCLOUD_VERSION
#endif
/* User-Agent when tc_config.user_agent is NULL. */
#define TC_DEFAULT_USER_AGENT "tidbcloudfs/" TCFS_VERSION

/* Copy a string into a fixed buffer, truncating; always NUL-terminated. */
static inline void tc_copy(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	if (size == 0)
		return;
	if (src)
		while (n + 1 < size && src[n])
			n++;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- clock ---------------------------------------------------------------
 * Monotonic milliseconds and a sleep, so that the tests can fake time. */
struct tc_clock {
	uint64_t (*now_ms)(void *arg);
	void (*sleep_ms)(void *arg, long ms);
	void *arg;
};
extern const struct tc_clock tc_clock_real;

/* ---- MD5 (md5.c, RFC 1321; written here, no libcrypto dependency) ---- */
struct tc_md5 {
	uint32_t h[4];
	uint64_t len;            /* bytes so far */
	unsigned char buf[64];
};
void tc_md5_init(struct tc_md5 *m);
void tc_md5_update(struct tc_md5 *m, const void *data, size_t len);
void tc_md5_final(struct tc_md5 *m, unsigned char out[16]);
/* Lower-case hex MD5 of a buffer into out[33]. */
void tc_md5_hex(const void *data, size_t len, char out[33]);

/* ---- digest (digest.c) ---------------------------------------------- */
struct tc_digest_challenge {
	char realm[256];
	char nonce[256];
	char opaque[256];
	char algorithm[32];      /* as sent ("MD5", "MD5-sess"); "" = MD5   */
	int qop_auth;            /* the server offered qop "auth"           */
	int stale;               /* stale=true                              */
};

/* Parse a WWW-Authenticate value (possibly several challenges joined by
 * commas) and fill `out` from its Digest challenge. 0, or -1 when there is
 * no usable Digest challenge (none, no nonce, unsupported algorithm or qop).
 */
int tc_digest_parse(const char *header, struct tc_digest_challenge *out);

/* The 32-hex-digit response of RFC 2617 §3.2.2 into out[33]. */
void tc_digest_response(const struct tc_digest_challenge *ch,
			const char *user, const char *password,
			const char *method, const char *uri,
			const char *nc, const char *cnonce, char out[33]);

/* The whole Authorization header value. Returns the length written, or -1
 * when it does not fit. */
int tc_digest_header(const struct tc_digest_challenge *ch, const char *user,
		     const char *password, const char *method,
		     const char *uri, unsigned long nc, const char *cnonce,
		     char *out, size_t size);

/* The challenge shared by every thread of one client. */
struct tc_digest_state {
	pthread_mutex_t lock;
	pthread_cond_t cond;     /* signalled when `have` or `fetching` change */
	int have;
	int fetching;            /* a thread is fetching the first challenge */
	struct tc_digest_challenge ch;
	unsigned long nc;        /* last nc handed out for ch.nonce */
	uint64_t challenges;     /* challenges accepted (for tests) */
};
void tc_digest_state_init(struct tc_digest_state *d);
void tc_digest_state_destroy(struct tc_digest_state *d);
/* Build the Authorization value for one exchange from the shared challenge,
 * with the next nc and a fresh random cnonce. Copies the nonce used into
 * used_nonce (size 256). Returns 1 when a header was written, 0 when no
 * challenge is known yet (send unauthenticated), -1 on overflow.
 * Cold start: while no challenge is known, only one thread at a time goes
 * out unauthenticated to fetch it (*fetcher = 1; it must call
 * tc_digest_fetch_done after its exchange); the others wait for it (at
 * most TC_DIGEST_GATE_MS) instead of each paying a 401. */
#define TC_DIGEST_GATE_MS 3000
int tc_digest_authorize(struct tc_digest_state *d, const char *user,
			const char *password, const char *method,
			const char *uri, char *out, size_t size,
			char used_nonce[256], int *fetcher);
void tc_digest_fetch_done(struct tc_digest_state *d);
/* A 401 carried `ch`. Store it and return 1 when the request is worth
 * repeating with it: nothing was sent (used_nonce NULL or ""), the nonce
 * differs from the one used, or stale=true. Returns 0 otherwise. */
int tc_digest_update(struct tc_digest_state *d,
		     const struct tc_digest_challenge *ch,
		     const char *used_nonce);

/* ---- rate limiting (ratelimit.c) ------------------------------------ */
struct tc_ratelimit {
	pthread_mutex_t lock;
	int enabled;
	long limit;              /* last X-Ratelimit-Limit-Minute, -1 */
	long remaining;          /* last X-Ratelimit-Remaining-Minute, -1 */
	long reset_s;            /* last X-Ratelimit-Reset, -1 */
	uint64_t observed_ms;    /* when those were received */
	long started;            /* requests started since then */
	uint64_t next_slot_ms;   /* pacing: earliest start of the next one */
	uint64_t blocked_until_ms; /* after a 429: nobody starts before */
	/* Until the server has sent X-Ratelimit-* headers: our own 60 s window
	 * with the configured target (tc_config.rate_limit_per_minute). */
	long fallback_limit;
	uint64_t local_start_ms;
	long local_started;
};
void tc_ratelimit_init(struct tc_ratelimit *rl);
void tc_ratelimit_destroy(struct tc_ratelimit *rl);
/* Before an exchange: reserve a slot and return how many ms to wait first
 * (0 = go now). See ratelimit.c for the algorithm. */
long tc_ratelimit_reserve(struct tc_ratelimit *rl, uint64_t now_ms);
/* After an exchange: the headers it carried (-1 = absent). */
void tc_ratelimit_observe(struct tc_ratelimit *rl, uint64_t now_ms,
			  long limit, long remaining, long reset_s,
			  int was_429);
/* How long to wait after a 429 (ms) from its X-Ratelimit-Reset (-1 absent
 * → fallback_ms). */
long tc_ratelimit_429_wait(long reset_s, long fallback_ms);

/* ---- retry policy (request.c) --------------------------------------- */
/* Jittered exponential backoff for retry `attempt` (0-based):
 * 200 ms · 2^attempt, capped at 5 s, ±50 % from `rnd`. */
long tc_backoff_ms(int attempt, uint64_t rnd);
/* 1 if the method may be repeated (GET, HEAD, DELETE, PATCH, PUT). */
int tc_method_idempotent(const char *method);
/* 1 if this HTTP status is worth retrying an idempotent call for. */
int tc_status_retryable(long status);

/* ---- errors (errors.c) ---------------------------------------------- */
/* Reason phrase of a status ("Bad Gateway"), "" if unknown. */
const char *tc_http_reason(long status);
/* Fill err from a non-2xx response: kind TC_E_HTTP, status, api_code and
 * message from whichever of the three body shapes it is, trace id. method
 * and path are filled by the caller. */
void tc_error_from_response(struct tc_error *err, long status,
			    const char *reason, const char *body,
			    size_t body_len, const char *trace_id);
/* printf into err->message and set err->kind (keeps other fields). */
void tc_error_set(struct tc_error *err, enum tc_errcode kind,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- URLs (client.c) ------------------------------------------------ */
/* Resolve a configured base URL (NULL = default) of a family into a
 * malloc'd "https://host[:port]/path" without a trailing slash. NULL and
 * err filled when the value is unusable. */
char *tc_base_url_resolve(enum tc_family family, const char *value,
			  struct tc_error *err);

/* ---- paging (paging.c) ---------------------------------------------- */
/* Walk the list at path (+ query, already escaped, kept across pages) in
 * the given style, calling cb with each page's items (borrowed). 0, cb's
 * non-zero return, or -1 with err. */
int tc_list_walk(tc_client *c, enum tc_family family, enum tc_paging style,
		 const char *path, const char *query, const char *key,
		 tc_page_fn cb, void *arg, struct tc_error *err);
/* What the collecting callbacks return when an array cannot grow. */
#define TC_LIST_NOMEM (-2)

/* ---- the client ----------------------------------------------------- */
/* The bound on requests in flight per family (inflight.c). */
struct tc_inflight {
	pthread_mutex_t lock;        /* guards busy */
	pthread_cond_t cond;
	int busy[TC_FAMILY_COUNT];
	int max;                     /* 0: unbounded */
	long wait_ms;
};
void tc_inflight_init(struct tc_inflight *f, int max, long wait_ms);
void tc_inflight_destroy(struct tc_inflight *f);
/* 0 with a slot taken, or -1 after wait_ms without one. */
int tc_inflight_enter(struct tc_inflight *f, enum tc_family family);
void tc_inflight_leave(struct tc_inflight *f, enum tc_family family);

struct tc_client {
	char *public_key;
	char *private_key;
	char *base_url[TC_FAMILY_COUNT];
	long connect_timeout_ms;
	long timeout_ms;
	long retry_budget_ms;
	size_t max_body_bytes;
	int max_retries;             /* resolved: 0 = never */
	int debug;
	tc_log_fn log;
	void *log_arg;
	tc_interrupt_fn interrupted;
	void *interrupted_arg;

	const struct tc_transport_ops *tops;
	void *transport;
	struct tc_clock clock;

	struct tc_digest_state digest;
	struct tc_ratelimit ratelimit;
	struct tc_inflight inflight;

	atomic_uint_fast64_t requests;
	atomic_uint_fast64_t api_calls;
	atomic_uint_fast64_t retries;
	atomic_uint_fast64_t throttled_ms;
	atomic_uint_fast64_t rng;    /* xorshift state for jitter */
	/* per family, on the client's clock (ms): a call that ended unable to
	 * connect marks its host unreachable for TC_UNREACHABLE_MS; until then
	 * a connection failure is not retried (each call still tries once, so
	 * a host that is back answers at once) — request.c */
	atomic_uint_fast64_t unreachable_until[TC_FAMILY_COUNT];
	_Atomic int_fast64_t server_date;       /* last Date header, 0 none */
	_Atomic int_fast64_t server_date_local; /* time(NULL) when it came  */
};

/* A client on a given transport and clock (the unit tests' entry point).
 * The client calls ops->destroy(transport) when freed, if set. clock NULL
 * = the real clock. */
tc_client *tc_client_new_with_transport(const struct tc_config *cfg,
					const struct tc_transport_ops *ops,
					void *transport,
					const struct tc_clock *clock,
					struct tc_error *err);
/* Turn X-Ratelimit pacing off/on (tests that want to provoke a 429). */
void tc_client_set_pacing(tc_client *client, int enabled);
/* Number of digest challenges the client accepted (401 round trips that
 * brought a new challenge). */
uint64_t tc_client_challenges(tc_client *client);
/* Next pseudo-random number (jitter). */
uint64_t tc_client_random(tc_client *client);
/* Emit one log line if a sink is configured. */
void tc_client_log(const tc_client *client, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* profiles: see profiles_toml.h (shared with the C++ shim). */

#endif
