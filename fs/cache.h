/*
 * cache.h — the API object cache of one organization.
 *
 * - Keyed by tc_call_key() of a row's call (fs/calls.c): the family and
 *   the fully expanded path, "serverless /clusters/123?view=FULL",
 *   "serverless /clusters?filter=projectId%3D1", "v1beta /projects".
 * - Values are json_t trees; the cache holds its own reference and hands out
 *   NEW references. Cached JSON is never mutated (copy before changing).
 * - Positive entries live `ttl` seconds, negative entries (404) `neg_ttl`.
 *   An expired positive value is kept (until replaced or invalidated) with
 *   the time it was fetched: tcfs_cache_get_aged hands it out to a caller
 *   that accepts an older value (name resolution, see tcfs.h), and both
 *   edits below still apply to it. Every other read treats it as a miss.
 * - Generations: a global counter; every put/invalidate stamps the entry
 *   with a new generation. A fetch records the counter when it starts
 *   (tcfs_cache_gen or the `start` passed to the fetch callback); its result
 *   is stored only if the entry was not stamped since, so a fetch that began
 *   before an invalidation never stores its stale result.
 * - Identical concurrent fetches are coalesced: one thread fetches, the
 *   others wait for its result (tcfs_cache_fetch).
 * - Bounded: at most max_entries entries and about max_bytes bytes (keys
 *   and values as compact JSON; 0 = no bound). Past a bound the least
 *   recently used entries are evicted (a get, fetch, store, put or edit is
 *   a use), never one being fetched. An evicted entry is simply a miss:
 *   the next read fetches it. A new entry starts at the highest evicted
 *   generation, so a fetch that began before an eviction never stores a
 *   result the evicted entry's stamp would have refused.
 * - Thread-safe. One mutex per cache, a leaf lock: never held across the
 *   fetch callback (the API call) nor across calls into other modules.
 */
#ifndef TCFS_CACHE_H
#define TCFS_CACHE_H

#include <stdint.h>
#include <jansson.h>
#include "tidbcloud.h"

struct tcfs_cache;

/* Seconds on a monotonic clock; tests pass a fake one. */
typedef double (*tcfs_clock_fn)(void);
double tcfs_clock_monotonic(void);

/* clock NULL = monotonic. */
struct tcfs_cache *tcfs_cache_new(double ttl, double neg_ttl, tcfs_clock_fn clock);
void tcfs_cache_free(struct tcfs_cache *c);
/* The bounds (0 = none); evicts at once when over them. */
#define TCFS_CACHE_MAX_ENTRIES 100000
#define TCFS_CACHE_MAX_MB      256
void tcfs_cache_set_limits(struct tcfs_cache *c, size_t max_entries,
			   size_t max_bytes);
/* What the cache holds now, and how many entries it evicted. */
void tcfs_cache_usage(struct tcfs_cache *c, size_t *entries, size_t *bytes,
		      uint64_t *evictions);

/* Fresh lookup: 1 = hit (*out new ref), 0 = miss, -1 = negative hit. */
int tcfs_cache_get(struct tcfs_cache *c, const char *key, json_t **out);
/* The same, but a positive value that has expired and was fetched (or put)
 * less than max_age seconds ago is handed out too: 2 = such an expired hit
 * (*out new ref). An edit does not make a value younger. */
int tcfs_cache_get_aged(struct tcfs_cache *c, const char *key, double max_age,
			json_t **out);

/* Count an event on a key within a window (the object GETs answered in
 * place of fetching the listing `key` again, fetch.c): returns how many
 * were counted before this one since the later of the window's start and
 * the last store of the key's value; a window older than `window`
 * seconds is started anew. */
unsigned tcfs_cache_tick(struct tcfs_cache *c, const char *key, double window);

/* The current generation (record it before starting a fetch). */
uint64_t tcfs_cache_gen(struct tcfs_cache *c);
/* Store a value fetched since generation `start` (value borrowed). Returns 1
 * if stored, 0 if the key was put/invalidated since `start`. */
/* Reserve key for a fetch made by the caller on its behalf (a batch of
 * siblings): 1 when it was neither fresh nor being fetched, and is now
 * marked as being fetched (a tcfs_cache_fetch of it waits); 0 otherwise.
 * Every reservation ends with tcfs_cache_release: value (borrowed) stored
 * when non-NULL and nothing newer was put meanwhile (start: the
 * generation when the fetch began), NULL leaves it as it was; waiters
 * wake. */
int tcfs_cache_reserve(struct tcfs_cache *c, const char *key);
void tcfs_cache_release(struct tcfs_cache *c, const char *key, json_t *value,
			uint64_t start);
int tcfs_cache_store(struct tcfs_cache *c, const char *key, json_t *value,
		     uint64_t start);
/* Store a not-found result fetched since `start`. */
int tcfs_cache_store_negative(struct tcfs_cache *c, const char *key,
			      uint64_t start);
/* Store unconditionally (read-your-writes) and stamp a new generation. */
void tcfs_cache_put(struct tcfs_cache *c, const char *key, json_t *value);
/* Drop a key's value and stamp a new generation. */
void tcfs_cache_invalidate(struct tcfs_cache *c, const char *key);
/* Same for every key starting with prefix. */
void tcfs_cache_invalidate_prefix(struct tcfs_cache *c, const char *prefix);

/* Edit callback: from the cached value `cur` (borrowed; never mutate it)
 * return a NEW value to replace it, or NULL to give up. Runs under the
 * cache lock, so it must be pure: it takes no lock, calls no other module
 * that does and makes no I/O (jansson and pure helpers only). */
typedef json_t *(*tcfs_edit_fn)(void *arg, json_t *cur);
/* Replace a value in place by fn(arg, value) (after a change the API
 * answered with the new object: update the listing instead of dropping
 * it). The value may be fresh or expired (an expired listing still serves
 * name resolution). The entry is stamped with a new generation, so a fetch
 * that started before the edit never stores its older result over it, and
 * it KEEPS its expiry and age: the rest of the value is as old as it was.
 * When the key holds no positive value (never stored, invalidated,
 * negative), or fn returns NULL, the key is invalidated instead
 * (tcfs_cache_invalidate). Returns 1 when edited, 0 when invalidated. */
int tcfs_cache_edit(struct tcfs_cache *c, const char *key, tcfs_edit_fn fn,
		    void *arg);
/* The same with the result of a FETCH that started at generation `start`
 * (a GET of one object refreshing its item in the cached listing): applied
 * only when the key holds a positive value (fresh or expired) that was not
 * put, edited or invalidated since `start`; no new generation is stamped
 * (a fetch result, like the listing itself) and expiry and age are kept.
 * Otherwise, or when fn returns NULL, NOTHING happens (a change made since
 * has updated the key itself). Returns 1 when edited, 0 otherwise. */
int tcfs_cache_edit_fetched(struct tcfs_cache *c, const char *key,
			    tcfs_edit_fn fn, void *arg, uint64_t start);

/* Fetch callback: fill *out (new ref) and return 0, or fill err and return
 * -1. `start` is the generation at the start (for tcfs_cache_store of
 * related keys, e.g. list items). */
typedef int (*tcfs_fetch_fn)(void *arg, uint64_t start, json_t **out,
			     struct tc_error *err);
/* Fresh value from the cache, else fetched once (coalesced) and stored.
 * A 404 is stored as a negative entry (neg_ttl); a negative hit fails with a
 * 404 error. A 403 is remembered with its error for ttl (the caller's
 * rights do not change between two walks of the tree); a hit fails with
 * that error. 0 / -1 (err filled). */
int tcfs_cache_fetch(struct tcfs_cache *c, const char *key, tcfs_fetch_fn fn,
		     void *arg, json_t **out, struct tc_error *err);

#endif
