/*
 * http.h — request plumbing between libmicrohttpd and the route handlers.
 *
 * emu_http_access is the MHD access handler. It collects the body (at most
 * EMU_MAX_BODY bytes, the rest is discarded and answered with 413), then:
 * /_emulator/... (any host, no auth) → the stats endpoints; otherwise
 * --latency-ms sleep (no lock held), Host → family (unknown → 404), digest
 * auth (→ 401 + challenge), rate limit (→ 429), routing table lookup,
 * an armed fault (faults.h: status → that error, reset → the connection is
 * closed unanswered, stall → a sleep first, truncate/malformed → the
 * answer is spoilt when sent), 404/405, then the handler under the model
 * lock. Every response gets
 * Content-Type, X-Debug-Trace-Id and, once authenticated, the
 * X-Ratelimit-* headers.
 */
#ifndef EMU_HTTP_H
#define EMU_HTTP_H

#include <microhttpd.h>

enum MHD_Result emu_http_access(void *cls, struct MHD_Connection *conn,
				const char *url, const char *method,
				const char *version, const char *upload_data,
				size_t *upload_data_size, void **req_cls);
void emu_http_completed(void *cls, struct MHD_Connection *conn,
			void **req_cls, enum MHD_RequestTerminationCode toe);
void emu_http_connection(void *cls, struct MHD_Connection *conn,
			 void **socket_context,
			 enum MHD_ConnectionNotificationCode toe);

#endif
