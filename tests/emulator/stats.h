/*
 * stats.h — counters and the request log behind /_emulator/....
 *
 * All functions are thread-safe (one internal mutex guards the counters, the
 * per-route table and the ring buffer of the last EMU_REQUEST_LOG_LEN
 * answered API requests). Counters, per docs/CONTRACTS.md:
 *   requests      authenticated API requests (any status except 401),
 *   challenges    401 answers with a WWW-Authenticate challenge,
 *   connections   TCP connections accepted,
 *   tls_handshakes connections that completed the TLS handshake (counted at
 *                 the first request of the connection),
 *   rate_limited  429 answers,
 *   faults_injected requests that got an injected fault (faults.h),
 *   routes        "METHOD FAMILY PATTERN" → requests that matched the route.
 * /_emulator/... requests themselves are neither counted nor logged.
 */
#ifndef EMU_STATS_H
#define EMU_STATS_H

#include <jansson.h>

void emu_stats_connection(void);
void emu_stats_tls_handshake(void);
void emu_stats_challenge(void);
void emu_stats_rate_limited(void);
void emu_stats_fault(void);
/* requests++, and routes[route_key]++ when route_key is not NULL. */
void emu_stats_request(const char *route_key);
/* Append to the request log (every answered API request, 401s included). */
void emu_stats_log(const char *method, const char *host, const char *path,
		   const char *query, int status);
/* {"requests":N,...,"routes":{...}} — new reference. */
json_t *emu_stats_json(void);
/* {"requests":[{"method","host","path","query","status"}...]} oldest first. */
/* The same with the body bytes a storage download sends ("bytes" in
 * /_emulator/requests; -1: none). */
void emu_stats_log_bytes(const char *method, const char *host,
			 const char *path, const char *query, int status,
			 long long bytes);
json_t *emu_stats_log_json(void);
/* Zero every counter and empty the request log. */
void emu_stats_reset(void);
void emu_stats_free(void);

#endif
