/*
 * api_bench.c — figures for the client library against tidbcloud-emulator:
 *   - digest challenges per 1,000 requests (sequential, one client);
 *   - connections and challenges for 8 threads x 200 GETs (cold client);
 *   - time of 1,000 sequential GETs with --latency-ms 0 and 20;
 *   - 40 threads reading across three API hosts (projects, a Starter and a
 *     Dedicated cluster) at 20 ms: connections, TLS handshakes and 401
 *     challenges against the peak requests in flight per host.
 * Usage: api-bench [BUILD_DIR]   (the emulator is BUILD_DIR/tidbcloud-emulator;
 * default $TCFS_BUILD_DIR or "build"). Prints one line per figure.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tidbcloud.h"
#include "testemu.h"

#define CLUSTER "10058425682284910923"   /* "website" in the default seed */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static tc_client *client(struct testemu *e)
{
	struct tc_config cfg = { 0 };
	struct tc_error err;
	tc_client *c;

	cfg.public_key = TESTEMU_PUBLIC_KEY;
	cfg.private_key = TESTEMU_PRIVATE_KEY;
	cfg.connect_to = e->connect_to;
	cfg.cacert = e->cacert;
	c = tc_client_new(&cfg, &err);
	if (!c) {
		fprintf(stderr, "api-bench: %s\n", err.message);
		exit(1);
	}
	return c;
}

static int get_n(tc_client *c, int n)
{
	struct tc_error err;
	char line[800];
	json_t *out;

	for (int i = 0; i < n; i++) {
		if (tc_serverless_cluster_get(c, CLUSTER, &out, &err) != 0) {
			fprintf(stderr, "api-bench: %s\n", tc_error_format(&err, line, sizeof(line)));
			return -1;
		}
		json_decref(out);
	}
	return 0;
}

/* requests, challenges, connections (minus the stats call's own). */
static void stats(struct testemu *e, long *req, long *chal, long *conn)
{
	json_t *s = testemu_stats(e);
	*req = (long)json_integer_value(json_object_get(s, "requests"));
	*chal = (long)json_integer_value(json_object_get(s, "challenges"));
	*conn = (long)json_integer_value(json_object_get(s, "connections")) - 1;
	json_decref(s);
}

/* n sequential GETs on c; their wall time in seconds. Exits on failure. */
static double sequential(tc_client *c, int n)
{
	double t0 = now_s();

	if (get_n(c, n) != 0)
		exit(1);
	return now_s() - t0;
}

/* 40 readers, each 30 GETs rotating over three hosts; the peak of calls
 * in flight per host is counted around tc_request (it includes a wait for
 * one of the transport's pooled handles). */
#define DEDICATED "10058425682284910921"  /* "orders-db" */
static atomic_int in_flight[3], peak[3];

static void *reader(void *arg)
{
	tc_client *c = arg;
	struct tc_error err;
	char line[800];

	for (int i = 0; i < 30; i++) {
		int h = i % 3, n;
		json_t *out = NULL;
		n = atomic_fetch_add(&in_flight[h], 1) + 1;
		for (int p = atomic_load(&peak[h]); n > p &&
		     !atomic_compare_exchange_weak(&peak[h], &p, n);)
			;
		int rc = h == 0 ? tc_projects_list(c, &out, &err)
			 : h == 1 ? tc_serverless_cluster_get(c, CLUSTER, &out, &err)
			 : tc_dedicated_cluster_get(c, DEDICATED, &out, &err);
		atomic_fetch_sub(&in_flight[h], 1);
		json_decref(out);
		if (rc != 0) {
			fprintf(stderr, "api-bench: %s\n", tc_error_format(&err, line, sizeof(line)));
			return (void *)1;
		}
	}
	return NULL;
}

static void start(struct testemu *e, const char *latency)
{
	const char *args[] = { "--rate-limit", "0", "--latency-ms", latency, NULL };
	if (testemu_start(e, args) != 0) {
		fprintf(stderr, "api-bench: cannot start the emulator (set TCFS_BUILD_DIR)\n");
		exit(1);
	}
}

static void *worker(void *arg)
{
	return (void *)(long)get_n(arg, 200);
}

int main(int argc, char **argv)
{
	struct testemu e;
	long req, chal, conn;
	tc_client *c;
	double t0, t;

	if (argc > 1)
		setenv("TCFS_BUILD_DIR", argv[1], 1);

	/* 1. challenges per 1,000 requests, and 1,000 sequential GETs at 0 ms */
	start(&e, "0");
	c = client(&e);
	t = sequential(c, 1000);
	stats(&e, &req, &chal, &conn);
	printf("digest: %ld challenge(s) for %ld requests (1,000 GETs, one client)\n", chal, req);
	printf("sequential: 1,000 GETs, latency 0 ms: %.2f s (%.2f ms/GET), %ld connection(s)\n",
	       t, t, conn);
	tc_client_free(c);

	/* 2. 8 threads x 200 GETs, cold client */
	testemu_reset_stats(&e);
	c = client(&e);
	pthread_t th[8];
	t0 = now_s();
	for (int i = 0; i < 8; i++)
		pthread_create(&th[i], NULL, worker, c);
	for (int i = 0; i < 8; i++) {
		void *rc;
		pthread_join(th[i], &rc);
		if (rc)
			return 1;
	}
	t = now_s() - t0;
	stats(&e, &req, &chal, &conn);
	printf("threads: 8 x 200 GETs: %ld requests, %ld connection(s), %ld challenge(s), "
	       "%.2f s (%.0f GET/s)\n", req, conn, chal, t, 1600 / t);
	tc_client_free(c);
	testemu_stop(&e);

	/* 3. 1,000 sequential GETs at 20 ms latency */
	start(&e, "20");
	c = client(&e);
	t = sequential(c, 1000);
	stats(&e, &req, &chal, &conn);
	printf("sequential: 1,000 GETs, latency 20 ms: %.2f s (%.2f ms/GET), %ld challenge(s), "
	       "%ld connection(s)\n", t, t, chal, conn);
	tc_client_free(c);

	/* 4. 40 readers across three hosts, cold client, 20 ms */
	testemu_reset_stats(&e);
	c = client(&e);
	pthread_t rd[40];
	t0 = now_s();
	for (int i = 0; i < 40; i++)
		pthread_create(&rd[i], NULL, reader, c);
	for (int i = 0; i < 40; i++) {
		void *rc;
		pthread_join(rd[i], &rc);
		if (rc)
			return 1;
	}
	t = now_s() - t0;
	stats(&e, &req, &chal, &conn);
	json_t *s = testemu_stats(&e);
	long tls = (long)json_integer_value(json_object_get(s, "tls_handshakes")) - 1;
	json_decref(s);
	printf("readers: 40 x 30 GETs over 3 hosts, 20 ms: %ld requests, %ld connection(s), "
	       "%ld TLS handshake(s), %ld challenge(s), peak in flight per host %d+%d+%d, "
	       "%.2f s\n", req, conn, tls, chal, atomic_load(&peak[0]), atomic_load(&peak[1]),
	       atomic_load(&peak[2]), t);
	tc_client_free(c);
	testemu_stop(&e);
	return 0;
}
