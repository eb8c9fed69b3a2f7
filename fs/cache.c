/* cache.c — TTL cache with generations, coalesced fetches and a bound
 * (least recently used entries evicted); see cache.h. */
#include "cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NBUCKETS 1024

struct entry {
	struct entry *next;
	struct entry *lru_prev, *lru_next;   /* most recently used first */
	size_t bytes;         /* estimated size: key + value (compact JSON) */
	char *key;
	json_t *value;        /* NULL when empty or negative */
	int negative;
	struct tc_error *refusal;  /* a remembered 403 (negative): its error */
	double expires;
	double stored;        /* when the value was fetched or put */
	double tick_start;    /* tcfs_cache_tick: the window's start */
	unsigned ticks;       /* ... and the count in it */
	uint64_t gen;         /* generation of the last put / invalidate */
	int inflight;         /* a thread is fetching this key */
};

struct tcfs_cache {
	pthread_mutex_t lock;     /* guards everything below */
	pthread_cond_t done;      /* signalled when a fetch finishes */
	struct entry *buckets[NBUCKETS];
	uint64_t gen;
	double ttl, neg_ttl;
	tcfs_clock_fn clock;
	struct entry *lru_head, *lru_tail;
	size_t count, bytes;          /* entries, their estimated bytes */
	size_t max_entries, max_bytes;   /* 0 = unbounded */
	uint64_t evicted_gen;         /* highest generation evicted: a new
	                                 entry starts there, so a fetch that
	                                 began before an eviction never stores
	                                 what the evicted stamp refused */
	uint64_t evictions;
};

double tcfs_clock_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % NBUCKETS;
}

struct tcfs_cache *tcfs_cache_new(double ttl, double neg_ttl, tcfs_clock_fn clock)
{
	struct tcfs_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	c->ttl = ttl;
	c->neg_ttl = neg_ttl;
	c->clock = clock ? clock : tcfs_clock_monotonic;
	return c;
}

void tcfs_cache_free(struct tcfs_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < NBUCKETS; i++) {
		struct entry *e = c->buckets[i];

		while (e) {
			struct entry *next = e->next;

			json_decref(e->value);
			free(e->refusal);
			free(e->key);
			free(e);
			e = next;
		}
	}
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* ---- the bound: LRU list (caller holds the lock) ----------------------- */

static void lru_unlink(struct tcfs_cache *c, struct entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else if (c->lru_head == e)
		c->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else if (c->lru_tail == e)
		c->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

/* e was used: to the head of the list. */
static void touch(struct tcfs_cache *c, struct entry *e)
{
	if (c->lru_head == e)
		return;
	lru_unlink(c, e);
	e->lru_next = c->lru_head;
	if (c->lru_head)
		c->lru_head->lru_prev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
}

static void free_entry(struct tcfs_cache *c, struct entry *e)
{
	struct entry **pp = &c->buckets[hash(e->key)];

	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (*pp)
		*pp = e->next;
	lru_unlink(c, e);
	if (e->gen > c->evicted_gen)
		c->evicted_gen = e->gen;
	c->count--;
	c->bytes -= e->bytes;
	c->evictions++;
	json_decref(e->value);
	free(e->refusal);
	free(e->key);
	free(e);
}

static int over(const struct tcfs_cache *c)
{
	return (c->max_entries && c->count > c->max_entries) ||
	       (c->max_bytes && c->bytes > c->max_bytes);
}

/* Evict least recently used entries while over a bound; never `keep` (the
 * entry being used) nor an entry being fetched (its fetcher holds it). */
static void evict(struct tcfs_cache *c, struct entry *keep)
{
	struct entry *e = c->lru_tail;

	while (e && over(c)) {
		struct entry *prev = e->lru_prev;

		if (e != keep && !e->inflight)
			free_entry(c, e);
		e = prev;
	}
}

/* Caller holds the lock. */
static struct entry *find(struct tcfs_cache *c, const char *key, int create)
{
	unsigned h = hash(key);
	struct entry *e;

	for (e = c->buckets[h]; e; e = e->next)
		if (strcmp(e->key, key) == 0) {
			touch(c, e);
			return e;
		}
	if (!create)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->key = strdup(key);
	if (!e->key) {
		free(e);
		return NULL;
	}
	e->gen = c->evicted_gen;
	e->next = c->buckets[h];
	c->buckets[h] = e;
	e->bytes = strlen(key) + sizeof(*e);
	c->count++;
	c->bytes += e->bytes;
	touch(c, e);
	evict(c, e);
	return e;
}

/* Caller holds the lock. 1 hit, -1 negative hit (404), -2 a remembered
 * refusal (403: e->refusal), 0 miss. */
static int fresh(struct tcfs_cache *c, struct entry *e, json_t **out)
{
	if (!e || c->clock() >= e->expires)
		return 0;
	if (e->negative)
		return e->refusal ? -2 : -1;
	if (!e->value)
		return 0;
	if (out)
		*out = json_incref(e->value);
	return 1;
}

/* Account e's value (after a change of e->value); no eviction (a caller
 * walking the buckets may use it). */
static void account(struct tcfs_cache *c, struct entry *e)
{
	size_t b = strlen(e->key) + sizeof(*e) +
		   (e->value ? json_dumpb(e->value, NULL, 0, JSON_COMPACT) : 0);

	c->bytes = c->bytes - e->bytes + b;
	e->bytes = b;
}

static void set_value(struct tcfs_cache *c, struct entry *e, json_t *value,
		      int negative)
{
	json_decref(e->value);
	e->value = value ? json_incref(value) : NULL;
	free(e->refusal);
	e->refusal = NULL;
	account(c, e);
	evict(c, e);
	e->negative = negative;
	e->stored = c->clock();
	e->expires = e->stored + (negative ? c->neg_ttl : c->ttl);
	e->ticks = 0;
}

int tcfs_cache_get(struct tcfs_cache *c, const char *key, json_t **out)
{
	int r;

	pthread_mutex_lock(&c->lock);
	r = fresh(c, find(c, key, 0), out);
	pthread_mutex_unlock(&c->lock);
	return r == -2 ? 0 : r;   /* a refusal: tcfs_cache_fetch answers it */
}

int tcfs_cache_get_aged(struct tcfs_cache *c, const char *key, double max_age,
			json_t **out)
{
	struct entry *e;
	int r;

	pthread_mutex_lock(&c->lock);
	e = find(c, key, 0);
	r = fresh(c, e, out);
	if (r == -2)
		r = 0;    /* a refusal: tcfs_cache_fetch answers it */
	if (r == 0 && e && e->value && !e->negative &&
	    c->clock() - e->stored < max_age) {
		if (out)
			*out = json_incref(e->value);
		r = 2;
	}
	pthread_mutex_unlock(&c->lock);
	return r;
}

unsigned tcfs_cache_tick(struct tcfs_cache *c, const char *key, double window)
{
	struct entry *e;
	unsigned before = 0;
	double now;

	pthread_mutex_lock(&c->lock);
	now = c->clock();
	e = find(c, key, 1);
	if (e) {
		if (e->ticks == 0 || now - e->tick_start >= window) {
			e->ticks = 0;
			e->tick_start = now;
		}
		before = e->ticks++;
	}
	pthread_mutex_unlock(&c->lock);
	return before;
}

void tcfs_cache_set_limits(struct tcfs_cache *c, size_t max_entries,
			   size_t max_bytes)
{
	pthread_mutex_lock(&c->lock);
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	evict(c, NULL);
	pthread_mutex_unlock(&c->lock);
}

void tcfs_cache_usage(struct tcfs_cache *c, size_t *entries, size_t *bytes,
		      uint64_t *evictions)
{
	pthread_mutex_lock(&c->lock);
	if (entries)
		*entries = c->count;
	if (bytes)
		*bytes = c->bytes;
	if (evictions)
		*evictions = c->evictions;
	pthread_mutex_unlock(&c->lock);
}

uint64_t tcfs_cache_gen(struct tcfs_cache *c)
{
	uint64_t g;

	pthread_mutex_lock(&c->lock);
	g = c->gen;
	pthread_mutex_unlock(&c->lock);
	return g;
}

static int store(struct tcfs_cache *c, const char *key, json_t *value,
		 int negative, uint64_t start)
{
	struct entry *e;
	int stored = 0;

	pthread_mutex_lock(&c->lock);
	e = find(c, key, 1);
	if (e && e->gen <= start) {
		set_value(c, e, value, negative);
		stored = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return stored;
}

int tcfs_cache_store(struct tcfs_cache *c, const char *key, json_t *value,
		     uint64_t start)
{
	if (!value)
		return 0;
	return store(c, key, value, 0, start);
}

int tcfs_cache_store_negative(struct tcfs_cache *c, const char *key,
			      uint64_t start)
{
	return store(c, key, NULL, 1, start);
}

void tcfs_cache_put(struct tcfs_cache *c, const char *key, json_t *value)
{
	struct entry *e;

	pthread_mutex_lock(&c->lock);
	e = find(c, key, 1);
	if (e) {
		e->gen = ++c->gen;
		set_value(c, e, value, 0);
	}
	pthread_mutex_unlock(&c->lock);
}

static void drop(struct tcfs_cache *c, struct entry *e)
{
	e->gen = ++c->gen;
	json_decref(e->value);
	e->value = NULL;
	free(e->refusal);
	e->refusal = NULL;
	account(c, e);
	e->negative = 0;
	e->expires = 0;
}

void tcfs_cache_invalidate(struct tcfs_cache *c, const char *key)
{
	struct entry *e;

	pthread_mutex_lock(&c->lock);
	e = find(c, key, 1);
	if (e)
		drop(c, e);
	pthread_mutex_unlock(&c->lock);
}

void tcfs_cache_invalidate_prefix(struct tcfs_cache *c, const char *prefix)
{
	size_t n = strlen(prefix);

	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < NBUCKETS; i++)
		for (struct entry *e = c->buckets[i]; e; e = e->next)
			if (strncmp(e->key, prefix, n) == 0)
				drop(c, e);
	pthread_mutex_unlock(&c->lock);
}

int tcfs_cache_edit(struct tcfs_cache *c, const char *key, tcfs_edit_fn fn,
		    void *arg)
{
	struct entry *e;
	json_t *next = NULL;
	int edited = 0;

	pthread_mutex_lock(&c->lock);
	e = find(c, key, 1);
	if (e && e->value && !e->negative)
		next = fn(arg, e->value);
	if (next) {
		/* a new generation, the same expiry and age */
		e->gen = ++c->gen;
		json_decref(e->value);
		e->value = next;
		account(c, e);
		evict(c, e);
		edited = 1;
	} else if (e) {
		drop(c, e);
	}
	pthread_mutex_unlock(&c->lock);
	return edited;
}

int tcfs_cache_edit_fetched(struct tcfs_cache *c, const char *key,
			    tcfs_edit_fn fn, void *arg, uint64_t start)
{
	struct entry *e;
	json_t *next = NULL;

	pthread_mutex_lock(&c->lock);
	e = find(c, key, 0);
	if (e && e->value && !e->negative && e->gen <= start)
		next = fn(arg, e->value);
	if (next) {
		/* the same generation, expiry and age */
		json_decref(e->value);
		e->value = next;
		account(c, e);
		evict(c, e);
	}
	pthread_mutex_unlock(&c->lock);
	return next != NULL;
}

/* A 403 is an answer about the caller's rights (an organization that is no
 * MSP, a key without the billing role): it holds as long as a value would,
 * so it is remembered for ttl with its error, not asked again on every
 * walk of the tree. Caller holds the lock. */
static void remember_refusal(struct tcfs_cache *c, struct entry *e,
			     const struct tc_error *err)
{
	struct tc_error *copy = malloc(sizeof(*copy));

	if (!copy)
		return;
	*copy = *err;
	set_value(c, e, NULL, 1);
	e->refusal = copy;
	e->expires = e->stored + c->ttl;
}

int tcfs_cache_reserve(struct tcfs_cache *c, const char *key)
{
	struct entry *e;
	int r = 0;

	pthread_mutex_lock(&c->lock);
	e = find(c, key, 1);
	if (e && !e->inflight && fresh(c, e, NULL) == 0) {
		e->inflight = 1;
		r = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return r;
}

void tcfs_cache_release(struct tcfs_cache *c, const char *key, json_t *value,
			uint64_t start)
{
	struct entry *e;

	pthread_mutex_lock(&c->lock);
	e = find(c, key, 0);
	if (e && e->inflight) {
		e->inflight = 0;
		if (value && e->gen <= start)
			set_value(c, e, value, 0);
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->lock);
}

int tcfs_cache_fetch(struct tcfs_cache *c, const char *key, tcfs_fetch_fn fn,
		     void *arg, json_t **out, struct tc_error *err)
{
	struct entry *e;
	uint64_t start;
	json_t *value = NULL;
	int r;

	*out = NULL;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		e = find(c, key, 1);
		if (!e) {
			pthread_mutex_unlock(&c->lock);
			tc_error_clear(err);
			err->kind = TC_E_NOMEM;
			snprintf(err->message, sizeof(err->message), "out of memory");
			return -1;
		}
		r = fresh(c, e, out);
		if (r != 0 || !e->inflight)
			break;
		pthread_cond_wait(&c->done, &c->lock);
	}
	if (r == 1) {
		pthread_mutex_unlock(&c->lock);
		return 0;
	}
	if (r == -1) {
		pthread_mutex_unlock(&c->lock);
		tc_error_clear(err);
		err->kind = TC_E_HTTP;
		err->http_status = 404;
		snprintf(err->message, sizeof(err->message), "not found");
		return -1;
	}
	if (r == -2) {
		*err = *e->refusal;
		pthread_mutex_unlock(&c->lock);
		return -1;
	}
	e->inflight = 1;
	start = c->gen;
	pthread_mutex_unlock(&c->lock);

	tc_error_clear(err);
	r = fn(arg, start, &value, err);

	pthread_mutex_lock(&c->lock);
	/* An entry being fetched is never evicted: e is still valid. */
	e->inflight = 0;
	if (e->gen <= start) {
		if (r == 0 && value)
			set_value(c, e, value, 0);
		else if (r != 0 && err->kind == TC_E_HTTP && err->http_status == 404)
			set_value(c, e, NULL, 1);
		else if (r != 0 && err->kind == TC_E_HTTP &&
			 err->http_status == 403)
			remember_refusal(c, e, err);
	}
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
	if (r != 0) {
		json_decref(value);
		return -1;
	}
	if (!value) {
		tc_error_clear(err);
		err->kind = TC_E_BAD_RESPONSE;
		snprintf(err->message, sizeof(err->message), "empty response");
		return -1;
	}
	*out = value;
	return 0;
}
