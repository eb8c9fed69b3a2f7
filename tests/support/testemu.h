/*
 * testemu.h — start and stop a tidbcloud-emulator from a test program.
 *
 * testemu_start() forks the emulator found at $TCFS_BUILD_DIR/tidbcloud-emulator
 * (default "build"), with --listen 127.0.0.1:0 --port-file in a fresh temporary
 * directory plus the caller's extra arguments, and waits (up to 10 s) until it
 * has written its port. The emulator gets TESTEMU_PUBLIC_KEY/PRIVATE_KEY as
 * its credentials. Its stderr goes to <dir>/emulator.log. Not thread-safe;
 * call from the test's setup/teardown.
 */
#ifndef TESTEMU_H
#define TESTEMU_H

#include <sys/types.h>
#include <jansson.h>

#define TESTEMU_PUBLIC_KEY  "TESTPUBLICKEY1"
#define TESTEMU_PRIVATE_KEY "test-private-key-0123456789abcdef"

struct testemu {
	pid_t pid;
	int port;
	char dir[256];        /* temporary directory, removed by testemu_stop */
	char connect_to[64];  /* "127.0.0.1:PORT" */
	char cacert[512];     /* absolute path of tests/certs/ca.pem */
};

/* extra: NULL-terminated argument list (may be NULL). 0 on success. */
int testemu_start(struct testemu *e, const char *const *extra);
/* SIGTERM, wait, remove the temporary directory. Returns the exit status
 * as waitpid reported it (0 = clean exit). */
int testemu_stop(struct testemu *e);

/* GET https://api.tidbcloud.com/_emulator/stats through the emulator (no
 * auth). New reference, or NULL. */
json_t *testemu_stats(struct testemu *e);
int testemu_reset_stats(struct testemu *e);
/* Any request to the emulator's own endpoints (body NULL = none); *status
 * (may be NULL) gets the HTTP status. Parsed body (new reference) or NULL. */
json_t *testemu_call(struct testemu *e, const char *method, const char *path,
		     const char *body, long *status);
/* Arm a fault: POST /_emulator/faults with spec (JSON text, see
 * man/tidbcloud-emulator.1). 0 when the emulator accepted it. */
int testemu_fault(struct testemu *e, const char *spec);
/* Integer field of the stats object ("requests", "challenges", ...), or -1. */
long testemu_stat(struct testemu *e, const char *field);
/* Count for one route ("GET serverless /v1beta1/clusters"), 0 if absent. */
long testemu_route(struct testemu *e, const char *route);

/* Absolute path of a file in the source tree (tests/certs/ca.pem, ...),
 * found from the current directory. Static buffer. */
const char *testemu_source_path(const char *rel);

#endif
