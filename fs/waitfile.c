/*
 * waitfile.c — the blocking `wait` file (see waitfile.h).
 *
 * Sharing: one entry per resource being waited on (key: the directory
 * key), with the last polled state and a generation. A waiter whose
 * generation is current either becomes the poller (when nobody polls and
 * the pacing interval has passed) or sleeps on the condition variable in
 * steps of 100 ms, checking for interruption and the deadline. The entry
 * lock is a leaf lock: it is never held across an API call.
 */
#include "waitfile.h"
#include "cache.h"
#include "ops.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define POLL_MIN_S      1.0
#define STEP_MS         100

struct went {
	char key[TCFS_KEY_MAX];
	int refs;
	int polling;
	double last_poll;          /* monotonic seconds, 0 = never */
	unsigned long gen;         /* polls completed */
	int result;                /* of the last poll: 0 or -errno */
	char state[64];
	int seen;                  /* a state was ever seen */
	struct went *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct went *entries;

static void init_cond(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &a);
	pthread_condattr_destroy(&a);
}

int tcfs_state_transitional(const char *s)
{
	static const char *const names[] = {
		"CREATING", "MODIFYING", "PAUSING", "RESUMING", "RESTORING",
		"IMPORTING", "EXPORTING", "RUNNING", "DELETING", "UPGRADING",
		"SCALING", "PENDING", "PREPARING", "CANCELING", "CANCELLING",
		"RESETTING", "ENABLING", "DISABLING", "UPDATING", NULL
	};

	for (size_t i = 0; s && names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return 1;
	return 0;
}

/* One GET of the resource (fresh when `fresh`). 0 and state, or -errno. */
static int poll_state(const struct tcfs_node *n, int fresh, char *state,
		      size_t size)
{
	struct tcfs_org *org = tcfs_org_of(n);
	const struct tcfs_kind_desc *k = tcfs_kind(n->kind);
	const char *id = tcfs_node_id(n), *s;
	struct tc_error err;
	json_t *obj = NULL;
	int r;

	if (!org || !id || !k->state_key)
		return -ENOENT;
	if (fresh) {
		char key[TCFS_KEY_MAX];
		struct tcfs_node coll;

		tcfs_node_parent_coll(n, &coll);
		tcfs_obj_key(n->kind, &coll, id, key, sizeof(key));
		tcfs_cache_invalidate(org->cache, key);
	}
	tc_error_clear(&err);
	r = tcfs_fetch_object(org, n, &obj, &err);
	if (r != 0)
		return r;
	s = tcfs_json_str_borrow(obj, k->state_key);
	snprintf(state, size, "%s", s ? s : "");
	json_decref(obj);
	return 0;
}

/* Seconds between polls: 1, or more when the rate-limit view is low. */
static double interval(const struct tcfs_node *n)
{
	struct tcfs_org *org = tcfs_org_of(n);
	struct tc_stats st;
	double share;

	if (!org || !org->client)
		return POLL_MIN_S;
	tc_client_stats(org->client, &st);
	if (st.ratelimit_remaining < 0 || st.ratelimit_reset_s < 0)
		return POLL_MIN_S;
	share = st.ratelimit_remaining / 4.0;
	if (share < 1.0)
		return st.ratelimit_reset_s + 1.0;
	share = st.ratelimit_reset_s / share;
	return share > POLL_MIN_S ? share : POLL_MIN_S;
}

static struct went *acquire(const char *key)
{
	struct went *e;

	for (e = entries; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			break;
	if (!e) {
		if (!(e = calloc(1, sizeof(*e))))
			return NULL;
		snprintf(e->key, sizeof(e->key), "%s", key);
		e->next = entries;
		entries = e;
	}
	e->refs++;
	return e;
}

static void release(struct went *e)
{
	if (--e->refs > 0)
		return;
	for (struct went **p = &entries; *p; p = &(*p)->next)
		if (*p == e) {
			*p = e->next;
			break;
		}
	free(e);
}

static void deadline_ts(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += (long)ms * 1000000L;
	ts->tv_sec += ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

/* Wait until settled. 0 with the final state in `out`, or -errno. */
static int wait_settled(const struct tcfs_node *n, char *out, size_t size)
{
	double start = tcfs_clock_monotonic();
	double limit = tcfs_g ? tcfs_g->opts.wait_timeout : 1800;
	char key[TCFS_KEY_MAX];
	unsigned long seen_gen = 0;
	struct went *e;
	int r = 0, first = 1;

	pthread_once(&once, init_cond);
	tcfs_node_dirkey(n, key, sizeof(key));
	pthread_mutex_lock(&lock);
	if (!(e = acquire(key))) {
		pthread_mutex_unlock(&lock);
		return -ENOMEM;
	}
	for (;;) {
		double now = tcfs_clock_monotonic();
		struct timespec ts;

		if (e->gen > seen_gen) {
			seen_gen = e->gen;
			if (e->result == -ENOENT && e->seen) {
				snprintf(out, size, "DELETED");
				break;
			}
			if (e->result != 0) {
				r = e->result;
				break;
			}
			if (!tcfs_state_transitional(e->state)) {
				snprintf(out, size, "%s", e->state);
				break;
			}
		}
		if (tcfs_interrupted(NULL)) {
			r = -EINTR;
			break;
		}
		if (now - start >= limit) {
			r = -ETIMEDOUT;
			break;
		}
		if (!e->polling && (first || e->last_poll == 0 ||
				    now - e->last_poll >= interval(n))) {
			char st[64];
			int pr;

			e->polling = 1;
			pthread_mutex_unlock(&lock);
			/* the first look may use the cache (fresh within
			 * cache_timeout); later polls ask the API */
			pr = poll_state(n, !first, st, sizeof(st));
			pthread_mutex_lock(&lock);
			first = 0;
			e->polling = 0;
			e->last_poll = tcfs_clock_monotonic();
			if (pr == -EINTR || pr == -ECANCELED) {
				/* our reader went away: others poll on */
				pthread_cond_broadcast(&cond);
				r = -EINTR;
				break;
			}
			e->result = pr;
			if (pr == 0) {
				snprintf(e->state, sizeof(e->state), "%s", st);
				e->seen = 1;
			}
			e->gen++;
			pthread_cond_broadcast(&cond);
			continue;
		}
		first = 0;
		deadline_ts(&ts, STEP_MS);
		pthread_cond_timedwait(&cond, &lock, &ts);
	}
	release(e);
	pthread_mutex_unlock(&lock);
	return r;
}

int tcfs_wait_text(const struct tcfs_node *n, char **text, size_t *len)
{
	char state[64];
	int r = wait_settled(n, state, sizeof(state));

	*text = NULL;
	*len = 0;
	if (r != 0)
		return r;
	if (!(*text = malloc(strlen(state) + 2)))
		return -ENOMEM;
	*len = (size_t)sprintf(*text, "%s\n", state);
	return 0;
}

int tcfs_wait_peek(const struct tcfs_node *n, size_t *len)
{
	char state[64];
	int r = poll_state(n, 0, state, sizeof(state));

	*len = 0;
	if (r != 0)
		return r;
	if (!tcfs_state_transitional(state))
		*len = strlen(state) + 1;
	return 0;
}
