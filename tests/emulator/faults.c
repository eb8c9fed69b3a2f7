/* faults.c — the list of armed faults (faults.h). */
#include "faults.h"
#include "modules.h"
#include "emu.h"
#include "storage.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STALL_MS 600000L

struct armed {
	struct armed *next;
	char *route;                 /* NULL: any request */
	char *after;                 /* dormant until a request of this route */
	struct emu_fault f;
	long count;
};

/* Guards the list (kept in arming order) and the random faults' state. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct armed *head;
static double random_rate;           /* 0: no random faults */
static unsigned long long rng = 1;   /* xorshift64* state, never 0 */

void emu_faults_random(double rate, unsigned long long seed)
{
	pthread_mutex_lock(&lock);
	random_rate = rate;
	/* splitmix64 of the seed: any seed (0 too) gives a non-zero state */
	seed += 0x9E3779B97F4A7C15ULL;
	seed = (seed ^ (seed >> 30)) * 0xBF58476D1CE4E5B9ULL;
	seed = (seed ^ (seed >> 27)) * 0x94D049BB133111EBULL;
	rng = (seed ^ (seed >> 31)) | 1;
	pthread_mutex_unlock(&lock);
}

/* The next pseudo-random number (xorshift64*); under `lock`. */
static unsigned long long next_random(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

/* A random fault, or none; under `lock`. */
static struct emu_fault random_fault(void)
{
	static const struct emu_fault menu[] = {
		{ EMU_FAULT_STATUS, 500, 0 }, { EMU_FAULT_STATUS, 503, 0 },
		{ EMU_FAULT_RESET, 0, 0 }, { EMU_FAULT_TRUNCATE, 0, 0 },
		{ EMU_FAULT_MALFORMED, 0, 0 },
	};
	struct emu_fault none = { EMU_FAULT_NONE, 0, 0 };
	double u;

	if (random_rate <= 0)
		return none;
	u = (double)(next_random() >> 11) / 9007199254740992.0;   /* [0,1) */
	if (u >= random_rate)
		return none;
	return menu[next_random() % (sizeof(menu) / sizeof(menu[0]))];
}

static const char *const kind_names[] = {
	[EMU_FAULT_NONE] = "none",
	[EMU_FAULT_STATUS] = "status",
	[EMU_FAULT_RESET] = "reset",
	[EMU_FAULT_STALL] = "stall",
	[EMU_FAULT_TRUNCATE] = "truncate",
	[EMU_FAULT_MALFORMED] = "malformed",
	[EMU_FAULT_RESET_AFTER] = "reset_after",
};

const char *emu_fault_kind_name(enum emu_fault_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0])
	       ? kind_names[k] : "?";
}

/* Is key "METHOD FAMILY PATTERN" one of the routing table's keys? */
static bool route_known(const char *key)
{
	const struct emu_route *const tables[] = {
		emu_routes_v1beta, emu_routes_serverless, emu_routes_dedicated
	};
	char k[256];

	if (strcmp(key, EMU_UPLOAD_ROUTE) == 0 ||
	    emu_modules_route_key_known(key))
		return true;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct emu_route *r = tables[t]; r->pattern; r++) {
			snprintf(k, sizeof(k), "%s %s %s", r->method,
				 emu_family_name(r->family), r->pattern);
			if (strcmp(k, key) == 0)
				return true;
		}
	return false;
}

/* Optional integer member: def when absent; -1 when not an integer in
 * [min, max]. */
static int int_member(json_t *spec, const char *name, long def, long min,
		      long max, long *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(spec, name);

	*out = def;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		snprintf(err, errlen, "\"%s\" must be an integer from %ld to %ld",
			 name, min, max);
		return -1;
	}
	*out = (long)json_integer_value(v);
	return 0;
}

int emu_faults_add(json_t *spec, char *err, size_t errlen)
{
	json_t *route = json_object_get(spec, "route");
	json_t *after = json_object_get(spec, "after_route");
	const char *kind = json_string_value(json_object_get(spec, "kind"));
	struct armed *a;
	long status, count, stall;
	enum emu_fault_kind k = EMU_FAULT_NONE;

	if (!json_is_object(spec)) {
		snprintf(err, errlen, "the body must be a JSON object");
		return -1;
	}
	for (size_t i = 1; kind && i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(kind, kind_names[i]) == 0)
			k = (enum emu_fault_kind)i;
	if (k == EMU_FAULT_NONE) {
		snprintf(err, errlen, "\"kind\" must be one of status, reset, "
			 "stall, truncate, malformed, reset_after");
		return -1;
	}
	if (route && !json_is_null(route) &&
	    (!json_is_string(route) || !route_known(json_string_value(route)))) {
		snprintf(err, errlen, "\"route\" must be a route key such as "
			 "\"GET serverless /v1beta1/clusters/{id}\" (see "
			 "/_emulator/stats)");
		return -1;
	}
	if (after && (!json_is_string(after) ||
		      !route_known(json_string_value(after)))) {
		snprintf(err, errlen, "\"after_route\" must be a route key");
		return -1;
	}
	if (int_member(spec, "status", 503, 400, 599, &status, err, errlen) ||
	    int_member(spec, "count", 1, 1, 1000000, &count, err, errlen) ||
	    int_member(spec, "stall_ms", 1000, 0, MAX_STALL_MS, &stall, err, errlen))
		return -1;

	a = calloc(1, sizeof(*a));
	if (!a || (json_is_string(route) &&
		   !(a->route = strdup(json_string_value(route)))) ||
	    (a && after && !(a->after = strdup(json_string_value(after))))) {
		if (a)
			free(a->route);
		free(a);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->f = (struct emu_fault){ k, (int)status, stall };
	a->count = count;
	pthread_mutex_lock(&lock);
	struct armed **tail = &head;
	while (*tail)
		tail = &(*tail)->next;
	*tail = a;
	pthread_mutex_unlock(&lock);
	return 0;
}

static struct emu_fault take(const char *route_key, bool exact);

struct emu_fault emu_faults_take(const char *route_key)
{
	return take(route_key, false);
}

struct emu_fault emu_faults_take_route(const char *route_key)
{
	return take(route_key, true);
}

static struct emu_fault take(const char *route_key, bool exact)
{
	struct emu_fault f = { EMU_FAULT_NONE, 0, 0 };

	pthread_mutex_lock(&lock);
	/* A request of a dormant fault's after_route wakes it (the waking
	 * request itself is not faulted by it). */
	struct armed *woken[16];
	size_t nwoken = 0;
	for (struct armed *a = head; a; a = a->next)
		if (a->after && route_key && strcmp(a->after, route_key) == 0 &&
		    nwoken < sizeof(woken) / sizeof(woken[0]))
			woken[nwoken++] = a;
	for (struct armed **p = &head; *p; p = &(*p)->next) {
		struct armed *a = *p;
		if (a->after)
			continue;
		if (a->route && (!route_key || strcmp(a->route, route_key) != 0))
			continue;
		if (!a->route && exact)
			continue;
		f = a->f;
		if (--a->count == 0) {
			*p = a->next;
			free(a->route);
			free(a);
		}
		break;
	}
	for (size_t i = 0; i < nwoken; i++) {
		free(woken[i]->after);
		woken[i]->after = NULL;
	}
	if (f.kind == EMU_FAULT_NONE && route_key)
		f = random_fault();
	pthread_mutex_unlock(&lock);
	return f;
}

json_t *emu_faults_json(void)
{
	json_t *arr = json_array();

	pthread_mutex_lock(&lock);
	for (struct armed *a = head; a; a = a->next) {
		json_t *o = json_pack("{s:s, s:I}", "kind",
				      emu_fault_kind_name(a->f.kind), "count",
				      (json_int_t)a->count);
		if (a->route)
			json_object_set_new(o, "route", json_string(a->route));
		if (a->after)
			json_object_set_new(o, "after_route", json_string(a->after));
		if (a->f.kind == EMU_FAULT_STATUS)
			json_object_set_new(o, "status", json_integer(a->f.status));
		if (a->f.kind == EMU_FAULT_STALL)
			json_object_set_new(o, "stall_ms", json_integer(a->f.stall_ms));
		json_array_append_new(arr, o);
	}
	pthread_mutex_unlock(&lock);
	return json_pack("{s:o}", "faults", arr);
}

void emu_faults_clear(void)
{
	pthread_mutex_lock(&lock);
	while (head) {
		struct armed *a = head;
		head = a->next;
		free(a->route);
		free(a->after);
		free(a);
	}
	pthread_mutex_unlock(&lock);
}
