/*
 * faults.h — injected faults (POST/DELETE/GET /_emulator/faults).
 *
 * A fault is armed with a JSON object
 *   {"route": "GET serverless /v1beta1/clusters/{id}",   optional; absent =
 *                                                       any API request
 *    "kind": "status" | "reset" | "stall" | "truncate" | "malformed" |
 *            "reset_after",
 *    "status": 503,       kind status: the HTTP status (400..599, default 503)
 *    "count": 1,          how many matching requests get it (default 1)
 *    "stall_ms": 1000,    kind stall: how long (default 1000, at most 600000)
 *    "after_route": "POST serverless /v1beta1/clusters"}   optional: the
 *                         fault sleeps until a request of that route has
 *                         been answered (so a test can fault what follows
 *                         a call whatever the calls before it were)
 * and hits the next `count` authenticated API requests (past the rate
 * limit) whose route key ("METHOD FAMILY PATTERN", as in the stats) equals
 * `route`; then it is gone. Faults are tried in the order they were armed.
 * Thread-safe (one internal mutex).
 */
#ifndef EMU_FAULTS_H
#define EMU_FAULTS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

enum emu_fault_kind {
	EMU_FAULT_NONE = 0,
	EMU_FAULT_STATUS,      /* answer `status` in the family's error shape */
	EMU_FAULT_RESET,       /* close the connection without an answer */
	EMU_FAULT_STALL,       /* sleep stall_ms, then answer normally */
	EMU_FAULT_TRUNCATE,    /* Content-Length of the whole body, half sent */
	EMU_FAULT_MALFORMED,   /* 200 with a body that is not JSON */
	EMU_FAULT_RESET_AFTER  /* the request is carried out, then the
	                          connection is closed without an answer */
};

struct emu_fault {
	enum emu_fault_kind kind;
	int status;
	long stall_ms;
};

/* Arm a fault from its JSON description. 0, or -1 with a message in err. */
int emu_faults_add(json_t *spec, char *err, size_t errlen);
/* The fault for a request whose route key is route_key (NULL: the request
 * matched no route; only faults without "route" apply). Consumes one of
 * its count. kind EMU_FAULT_NONE when none applies. */
struct emu_fault emu_faults_take(const char *route_key);
/* The same for a request that only faults armed for its route hit (the
 * storage hosts: "PUT upload /uploads/{id}/{id}/{n}"), never a fault
 * without "route". */
struct emu_fault emu_faults_take_route(const char *route_key);
/* Random faults (--fault-rate, --fault-seed): when no armed fault applies,
 * an API request that matched a route gets, with probability `rate`, one
 * of status 500, status 503, reset, truncate, malformed (equally likely),
 * drawn from a PRNG seeded with `seed` (the same seed and the same
 * sequence of requests give the same faults). rate 0 = off. */
void emu_faults_random(double rate, unsigned long long seed);
/* {"faults":[{route?,kind,status?,count,stall_ms?}...]} — new reference. */
json_t *emu_faults_json(void);
void emu_faults_clear(void);
const char *emu_fault_kind_name(enum emu_fault_kind k);

#endif
