/* stats.c — counters and the request log (stats.h). */
#include "stats.h"
#include "emu.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Guards every static below. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long n_requests, n_challenges, n_connections, n_tls, n_rate_limited;
static long n_faults;
static json_t *routes;               /* route key → integer */

struct log_entry {
	char *method, *host, *path, *query;
	int status;
	long long bytes;     /* body bytes of a storage download, -1 */
};
static struct log_entry ring[EMU_REQUEST_LOG_LEN];
static size_t ring_start, ring_len;

static void bump(long *counter)
{
	pthread_mutex_lock(&lock);
	(*counter)++;
	pthread_mutex_unlock(&lock);
}

void emu_stats_connection(void) { bump(&n_connections); }
void emu_stats_tls_handshake(void) { bump(&n_tls); }
void emu_stats_challenge(void) { bump(&n_challenges); }
void emu_stats_rate_limited(void) { bump(&n_rate_limited); }
void emu_stats_fault(void) { bump(&n_faults); }

void emu_stats_request(const char *route_key)
{
	pthread_mutex_lock(&lock);
	n_requests++;
	if (route_key) {
		if (!routes)
			routes = json_object();
		json_t *v = json_object_get(routes, route_key);
		json_object_set_new(routes, route_key,
				    json_integer(v ? json_integer_value(v) + 1 : 1));
	}
	pthread_mutex_unlock(&lock);
}

static void entry_free(struct log_entry *e)
{
	free(e->method);
	free(e->host);
	free(e->path);
	free(e->query);
	memset(e, 0, sizeof(*e));
}

void emu_stats_log(const char *method, const char *host, const char *path,
		   const char *query, int status)
{
	emu_stats_log_bytes(method, host, path, query, status, -1);
}

void emu_stats_log_bytes(const char *method, const char *host,
			 const char *path, const char *query, int status,
			 long long bytes)
{
	struct log_entry e = { strdup(method), strdup(host), strdup(path),
			       strdup(query ? query : ""), status, bytes };

	pthread_mutex_lock(&lock);
	struct log_entry *slot;
	if (ring_len < EMU_REQUEST_LOG_LEN) {
		slot = &ring[(ring_start + ring_len++) % EMU_REQUEST_LOG_LEN];
	} else {
		slot = &ring[ring_start];
		ring_start = (ring_start + 1) % EMU_REQUEST_LOG_LEN;
		entry_free(slot);
	}
	*slot = e;
	pthread_mutex_unlock(&lock);
}

json_t *emu_stats_json(void)
{
	pthread_mutex_lock(&lock);
	json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:o}",
			      "requests", (int)n_requests,
			      "challenges", (int)n_challenges,
			      "connections", (int)n_connections,
			      "tls_handshakes", (int)n_tls,
			      "rate_limited", (int)n_rate_limited,
			      "faults_injected", (int)n_faults,
			      "routes", routes ? json_deep_copy(routes) : json_object());
	pthread_mutex_unlock(&lock);
	return o;
}

json_t *emu_stats_log_json(void)
{
	json_t *arr = json_array();

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < ring_len; i++) {
		struct log_entry *e = &ring[(ring_start + i) % EMU_REQUEST_LOG_LEN];
		json_t *j = json_pack(
			"{s:s?, s:s?, s:s?, s:s?, s:i}", "method", e->method,
			"host", e->host, "path", e->path, "query", e->query,
			"status", e->status);

		if (j && e->bytes >= 0)
			json_object_set_new(j, "bytes", json_integer(e->bytes));
		json_array_append_new(arr, j);
	}
	pthread_mutex_unlock(&lock);
	return json_pack("{s:o}", "requests", arr);
}

void emu_stats_reset(void)
{
	pthread_mutex_lock(&lock);
	n_requests = n_challenges = n_connections = n_tls = n_rate_limited = 0;
	n_faults = 0;
	json_decref(routes);
	routes = NULL;
	for (size_t i = 0; i < ring_len; i++)
		entry_free(&ring[(ring_start + i) % EMU_REQUEST_LOG_LEN]);
	ring_start = ring_len = 0;
	pthread_mutex_unlock(&lock);
}

void emu_stats_free(void)
{
	emu_stats_reset();
}
