/* Unit tests: the object cache (fs/cache.c) — TTL, negative entries,
 * invalidation, the generation counter and coalesced fetches. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "cache.h"

static double fake_now;

static double fake_clock(void)
{
	return fake_now;
}

static json_t *num(int v)
{
	return json_integer(v);
}

Test(cache, ttl)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);
	json_t *v = NULL, *x = num(1);

	fake_now = 100;
	cr_assert_eq(tcfs_cache_get(c, "k", &v), 0);
	cr_assert_eq(tcfs_cache_store(c, "k", x, tcfs_cache_gen(c)), 1);
	cr_assert_eq(tcfs_cache_get(c, "k", &v), 1);
	cr_assert_eq(json_integer_value(v), 1);
	json_decref(v);
	fake_now = 101.9;
	cr_assert_eq(tcfs_cache_get(c, "k", NULL), 1);
	fake_now = 102.1;
	cr_assert_eq(tcfs_cache_get(c, "k", NULL), 0);
	json_decref(x);
	tcfs_cache_free(c);
}

Test(cache, negative)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);

	fake_now = 10;
	tcfs_cache_store_negative(c, "gone", tcfs_cache_gen(c));
	cr_assert_eq(tcfs_cache_get(c, "gone", NULL), -1);
	fake_now = 10.6;
	cr_assert_eq(tcfs_cache_get(c, "gone", NULL), 0);
	tcfs_cache_free(c);
}

Test(cache, invalidation_and_generations)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);
	json_t *a = num(1), *b = num(2), *v = NULL;
	uint64_t start;

	fake_now = 0;
	tcfs_cache_put(c, "obj", a);
	cr_assert_eq(tcfs_cache_get(c, "obj", NULL), 1);
	tcfs_cache_invalidate(c, "obj");
	cr_assert_eq(tcfs_cache_get(c, "obj", NULL), 0);

	/* a fetch that started before an invalidation does not store */
	start = tcfs_cache_gen(c);
	tcfs_cache_invalidate(c, "obj");
	cr_assert_eq(tcfs_cache_store(c, "obj", b, start), 0);
	cr_assert_eq(tcfs_cache_get(c, "obj", NULL), 0);

	/* nor does it overwrite a newer put (read-your-writes) */
	start = tcfs_cache_gen(c);
	tcfs_cache_put(c, "obj", a);
	cr_assert_eq(tcfs_cache_store(c, "obj", b, start), 0);
	cr_assert_eq(tcfs_cache_get(c, "obj", &v), 1);
	cr_assert_eq(json_integer_value(v), 1);
	json_decref(v);

	/* a fetch that started afterwards does */
	start = tcfs_cache_gen(c);
	cr_assert_eq(tcfs_cache_store(c, "obj", b, start), 1);

	/* prefix invalidation */
	tcfs_cache_put(c, "serverless:/clusters/1", a);
	tcfs_cache_put(c, "serverless:/clusters/2", a);
	tcfs_cache_put(c, "dedicated:/clusters/3", a);
	tcfs_cache_invalidate_prefix(c, "serverless:");
	cr_assert_eq(tcfs_cache_get(c, "serverless:/clusters/1", NULL), 0);
	cr_assert_eq(tcfs_cache_get(c, "serverless:/clusters/2", NULL), 0);
	cr_assert_eq(tcfs_cache_get(c, "dedicated:/clusters/3", NULL), 1);
	json_decref(a);
	json_decref(b);
	tcfs_cache_free(c);
}

static atomic_int calls;

static int fetch_ok(void *arg, uint64_t start, json_t **out, struct tc_error *err)
{
	(void)start;
	(void)err;
	atomic_fetch_add(&calls, 1);
	if (arg)
		usleep(100 * 1000);
	*out = num(7);
	return 0;
}

/* Fails with the HTTP status *arg (404 when arg is NULL); a 403 says
 * "not an MSP organization". */
static int fetch_status(void *arg, uint64_t start, json_t **out,
			struct tc_error *err)
{
	int status = arg ? *(const int *)arg : 404;

	(void)start;
	(void)out;
	atomic_fetch_add(&calls, 1);
	tc_error_clear(err);
	err->kind = TC_E_HTTP;
	err->http_status = status;
	if (status == 403)
		snprintf(err->message, sizeof(err->message),
			 "not an MSP organization");
	return -1;
}

/* A 403 is remembered with its message for the positive ttl (not the
 * short negative one); a get sees a miss; invalidate forgets it. */
Test(cache, refusal)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);
	struct tc_error err;
	json_t *v = NULL;
	int forbidden = 403;

	fake_now = 10;
	atomic_store(&calls, 0);
	cr_assert_eq(tcfs_cache_fetch(c, "msp", fetch_status, &forbidden, &v, &err), -1);
	fake_now = 11.5;   /* past neg_ttl, within ttl */
	tc_error_clear(&err);
	cr_assert_eq(tcfs_cache_fetch(c, "msp", fetch_status, &forbidden, &v, &err), -1);
	cr_assert_eq(err.http_status, 403);
	cr_assert_str_eq(err.message, "not an MSP organization");
	cr_assert_eq(atomic_load(&calls), 1);
	cr_assert_eq(tcfs_cache_get(c, "msp", NULL), 0);
	fake_now = 12.1;   /* past ttl: asked again */
	cr_assert_eq(tcfs_cache_fetch(c, "msp", fetch_status, &forbidden, &v, &err), -1);
	cr_assert_eq(atomic_load(&calls), 2);
	tcfs_cache_invalidate(c, "msp");
	cr_assert_eq(tcfs_cache_fetch(c, "msp", fetch_ok, NULL, &v, &err), 0);
	cr_assert_eq(json_integer_value(v), 7);
	json_decref(v);
	tcfs_cache_free(c);
}

static struct tcfs_cache *invalidating_cache;

static int fetch_then_invalidated(void *arg, uint64_t start, json_t **out,
				  struct tc_error *err)
{
	(void)arg;
	(void)start;
	(void)err;
	/* a change happens while this fetch is in flight */
	tcfs_cache_invalidate(invalidating_cache, "k");
	*out = num(1);
	return 0;
}

Test(cache, fetch)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);
	struct tc_error err;
	json_t *v = NULL;

	fake_now = 0;
	atomic_store(&calls, 0);
	cr_assert_eq(tcfs_cache_fetch(c, "k", fetch_ok, NULL, &v, &err), 0);
	json_decref(v);
	cr_assert_eq(tcfs_cache_fetch(c, "k", fetch_ok, NULL, &v, &err), 0);
	json_decref(v);
	cr_assert_eq(atomic_load(&calls), 1);
	fake_now = 3;
	cr_assert_eq(tcfs_cache_fetch(c, "k", fetch_ok, NULL, &v, &err), 0);
	json_decref(v);
	cr_assert_eq(atomic_load(&calls), 2);

	/* 404 becomes a negative entry */
	atomic_store(&calls, 0);
	cr_assert_eq(tcfs_cache_fetch(c, "missing", fetch_status, NULL, &v, &err), -1);
	cr_assert_eq(err.http_status, 404);
	cr_assert_eq(tcfs_cache_fetch(c, "missing", fetch_status, NULL, &v, &err), -1);
	cr_assert_eq(err.http_status, 404);
	cr_assert_eq(atomic_load(&calls), 1);

	/* invalidated during the fetch: returned, not stored */
	invalidating_cache = c;
	cr_assert_eq(tcfs_cache_fetch(c, "k2", fetch_then_invalidated, NULL, &v, &err), 0);
	json_decref(v);
	tcfs_cache_invalidate(c, "k");
	cr_assert_eq(tcfs_cache_fetch(c, "k", fetch_then_invalidated, NULL, &v, &err), 0);
	json_decref(v);
	cr_assert_eq(tcfs_cache_get(c, "k", NULL), 0);
	tcfs_cache_free(c);
}

struct thr {
	struct tcfs_cache *c;
	int rc;
};

static void *worker(void *arg)
{
	struct thr *t = arg;
	struct tc_error err;
	json_t *v = NULL;

	t->rc = tcfs_cache_fetch(t->c, "same", fetch_ok, (void *)1, &v, &err);
	json_decref(v);
	return NULL;
}

Test(cache, coalesced)
{
	struct tcfs_cache *c = tcfs_cache_new(60.0, 1.0, NULL);
	pthread_t th[8];
	struct thr t[8];

	atomic_store(&calls, 0);
	for (int i = 0; i < 8; i++) {
		t[i].c = c;
		pthread_create(&th[i], NULL, worker, &t[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(t[i].rc, 0);
	}
	cr_assert_eq(atomic_load(&calls), 1);
	tcfs_cache_free(c);
}

/* tcfs_cache_edit: the in-place update of a cached listing after a change */
static json_t *add_ten(void *arg, json_t *cur)
{
	(void)arg;
	return json_integer(json_integer_value(cur) + 10);
}

static json_t *give_up(void *arg, json_t *cur)
{
	(void)arg;
	(void)cur;
	return NULL;
}

Test(cache, edit_in_place)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);
	json_t *a = num(1), *b = num(2), *v = NULL;
	uint64_t start;

	fake_now = 1000;
	cr_assert_eq(tcfs_cache_store(c, "list", a, tcfs_cache_gen(c)), 1);
	/* a fetch of the list starts, then the list is edited */
	start = tcfs_cache_gen(c);
	fake_now = 1001;
	cr_assert_eq(tcfs_cache_edit(c, "list", add_ten, NULL), 1);
	cr_assert_eq(tcfs_cache_get(c, "list", &v), 1);
	cr_assert_eq(json_integer_value(v), 11);
	json_decref(v);
	/* the older fetch cannot overwrite the edited value */
	cr_assert_eq(tcfs_cache_store(c, "list", b, start), 0);
	cr_assert_eq(tcfs_cache_get(c, "list", &v), 1);
	cr_assert_eq(json_integer_value(v), 11);
	json_decref(v);
	/* the edit kept the listing's age: it expires 2 s after the fetch */
	fake_now = 1001.9;
	cr_assert_eq(tcfs_cache_get(c, "list", NULL), 1);
	fake_now = 1002.1;
	cr_assert_eq(tcfs_cache_get(c, "list", NULL), 0);
	/* an expired value is edited too (it still serves name resolution)
	 * and stays expired, with its age */
	start = tcfs_cache_gen(c);
	cr_assert_eq(tcfs_cache_edit(c, "list", add_ten, NULL), 1);
	cr_assert_eq(tcfs_cache_get(c, "list", NULL), 0);
	cr_assert_eq(tcfs_cache_get_aged(c, "list", 60, &v), 2);
	cr_assert_eq(json_integer_value(v), 21);
	json_decref(v);
	cr_assert_eq(tcfs_cache_store(c, "list", b, start), 0);
	/* nothing to edit: invalidated (a fetch from before is refused) */
	tcfs_cache_invalidate(c, "list");
	start = tcfs_cache_gen(c);
	cr_assert_eq(tcfs_cache_edit(c, "list", add_ten, NULL), 0);
	cr_assert_eq(tcfs_cache_store(c, "list", b, start), 0);
	cr_assert_eq(tcfs_cache_get_aged(c, "list", 60, NULL), 0);
	cr_assert_eq(tcfs_cache_edit(c, "never-stored", add_ten, NULL), 0);
	cr_assert_eq(tcfs_cache_get(c, "never-stored", NULL), 0);
	/* the callback gives up: invalidated */
	cr_assert_eq(tcfs_cache_store(c, "list", b, tcfs_cache_gen(c)), 1);
	cr_assert_eq(tcfs_cache_edit(c, "list", give_up, NULL), 0);
	cr_assert_eq(tcfs_cache_get(c, "list", NULL), 0);
	/* a negative entry is not edited */
	tcfs_cache_store_negative(c, "gone", tcfs_cache_gen(c));
	cr_assert_eq(tcfs_cache_edit(c, "gone", add_ten, NULL), 0);
	cr_assert_eq(tcfs_cache_get(c, "gone", NULL), 0);
	json_decref(a);
	json_decref(b);
	tcfs_cache_free(c);
}

/* tcfs_cache_get_aged: expired values within max_age, for name resolution */
Test(cache, get_aged)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);
	json_t *a = num(1), *v = NULL;

	fake_now = 2000;
	cr_assert_eq(tcfs_cache_get_aged(c, "k", 60, &v), 0);
	cr_assert_eq(tcfs_cache_store(c, "k", a, tcfs_cache_gen(c)), 1);
	cr_assert_eq(tcfs_cache_get_aged(c, "k", 60, &v), 1);   /* fresh */
	json_decref(v);
	fake_now = 2003;                                          /* expired */
	cr_assert_eq(tcfs_cache_get(c, "k", NULL), 0);
	cr_assert_eq(tcfs_cache_get_aged(c, "k", 60, &v), 2);
	cr_assert_eq(json_integer_value(v), 1);
	json_decref(v);
	cr_assert_eq(tcfs_cache_get_aged(c, "k", 0, NULL), 0);  /* no ageing */
	fake_now = 2060.5;                                        /* too old */
	cr_assert_eq(tcfs_cache_get_aged(c, "k", 60, NULL), 0);
	/* invalidated and negative values are never handed out */
	cr_assert_eq(tcfs_cache_store(c, "k", a, tcfs_cache_gen(c)), 1);
	tcfs_cache_invalidate(c, "k");
	cr_assert_eq(tcfs_cache_get_aged(c, "k", 60, NULL), 0);
	tcfs_cache_store_negative(c, "n", tcfs_cache_gen(c));
	fake_now = 2061;
	cr_assert_eq(tcfs_cache_get_aged(c, "n", 60, NULL), 0);
	json_decref(a);
	tcfs_cache_free(c);
}

/* tcfs_cache_edit_fetched: a GET's answer refreshes a listing's item */
Test(cache, edit_fetched)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);
	json_t *a = num(1), *b = num(2), *v = NULL;
	uint64_t start;

	fake_now = 3000;
	cr_assert_eq(tcfs_cache_store(c, "list", a, tcfs_cache_gen(c)), 1);
	fake_now = 3005;    /* expired: edited, stays expired, keeps its age */
	start = tcfs_cache_gen(c);
	cr_assert_eq(tcfs_cache_edit_fetched(c, "list", add_ten, NULL, start), 1);
	cr_assert_eq(tcfs_cache_get(c, "list", NULL), 0);
	cr_assert_eq(tcfs_cache_get_aged(c, "list", 60, &v), 2);
	cr_assert_eq(json_integer_value(v), 11);
	json_decref(v);
	fake_now = 3060.5;
	cr_assert_eq(tcfs_cache_get_aged(c, "list", 60, NULL), 0);
	/* no new generation: a list fetch that started before still stores */
	cr_assert_eq(tcfs_cache_store(c, "list", b, start), 1);
	/* a change since the GET started wins: nothing is edited */
	start = tcfs_cache_gen(c);
	cr_assert_eq(tcfs_cache_edit(c, "list", add_ten, NULL), 1);   /* 12 */
	cr_assert_eq(tcfs_cache_edit_fetched(c, "list", add_ten, NULL, start), 0);
	cr_assert_eq(tcfs_cache_get(c, "list", &v), 1);
	cr_assert_eq(json_integer_value(v), 12);
	json_decref(v);
	/* fn gives up, or nothing cached: nothing happens (no invalidation) */
	start = tcfs_cache_gen(c);
	cr_assert_eq(tcfs_cache_edit_fetched(c, "list", give_up, NULL, start), 0);
	cr_assert_eq(tcfs_cache_get(c, "list", NULL), 1);
	cr_assert_eq(tcfs_cache_edit_fetched(c, "none", add_ten, NULL, start), 0);
	cr_assert_eq(tcfs_cache_get_aged(c, "none", 60, NULL), 0);
	json_decref(a);
	json_decref(b);
	tcfs_cache_free(c);
}

/* tcfs_cache_tick: events counted per key within a window */
Test(cache, tick)
{
	struct tcfs_cache *c = tcfs_cache_new(2.0, 0.5, fake_clock);
	json_t *a = num(1);

	fake_now = 4000;
	cr_assert_eq(tcfs_cache_tick(c, "list", 2.0), 0);
	cr_assert_eq(tcfs_cache_tick(c, "list", 2.0), 1);
	fake_now = 4001.9;
	cr_assert_eq(tcfs_cache_tick(c, "list", 2.0), 2);
	cr_assert_eq(tcfs_cache_tick(c, "other", 2.0), 0);
	fake_now = 4002.1;                 /* a new window */
	cr_assert_eq(tcfs_cache_tick(c, "list", 2.0), 0);
	cr_assert_eq(tcfs_cache_tick(c, "list", 2.0), 1);
	/* a stored value starts the count anew */
	cr_assert_eq(tcfs_cache_store(c, "list", a, tcfs_cache_gen(c)), 1);
	cr_assert_eq(tcfs_cache_tick(c, "list", 2.0), 0);
	json_decref(a);
	tcfs_cache_free(c);
}

/* The bound: past max_entries the least recently used entry goes, a
 * recently read one stays; an evicted key is a plain miss. */
Test(cache, lru_entries)
{
	struct tcfs_cache *c = tcfs_cache_new(100.0, 1.0, fake_clock);
	json_t *x = num(7);
	char key[32];
	size_t n = 0;
	uint64_t ev = 0;

	fake_now = 0;
	tcfs_cache_set_limits(c, 3, 0);
	tcfs_cache_put(c, "a", x);
	tcfs_cache_put(c, "b", x);
	tcfs_cache_put(c, "c", x);
	cr_assert_eq(tcfs_cache_get(c, "a", NULL), 1);   /* a is used: b is oldest */
	tcfs_cache_put(c, "d", x);
	cr_assert_eq(tcfs_cache_get(c, "b", NULL), 0, "the least recently used goes");
	cr_assert_eq(tcfs_cache_get(c, "a", NULL), 1);
	cr_assert_eq(tcfs_cache_get(c, "c", NULL), 1);
	cr_assert_eq(tcfs_cache_get(c, "d", NULL), 1);
	tcfs_cache_usage(c, &n, NULL, &ev);
	cr_assert_eq(n, 3);
	cr_assert_geq(ev, 1);
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		tcfs_cache_put(c, key, x);
	}
	tcfs_cache_usage(c, &n, NULL, NULL);
	cr_assert_eq(n, 3, "never more than the bound");
	cr_assert_eq(tcfs_cache_get(c, "k99", NULL), 1);
	json_decref(x);
	tcfs_cache_free(c);
}

/* The byte bound counts values as compact JSON. */
Test(cache, lru_bytes)
{
	struct tcfs_cache *c = tcfs_cache_new(100.0, 1.0, fake_clock);
	json_t *big = json_string("0123456789012345678901234567890123456789"
				  "0123456789012345678901234567890123456789");
	size_t bytes = 0, n = 0;
	char key[32];

	fake_now = 0;
	tcfs_cache_set_limits(c, 0, 2000);
	for (int i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "big%d", i);
		tcfs_cache_put(c, key, big);
	}
	tcfs_cache_usage(c, &n, &bytes, NULL);
	cr_assert_leq(bytes, 2000);
	cr_assert_gt(n, 1);
	cr_assert_lt(n, 50);
	cr_assert_eq(tcfs_cache_get(c, "big49", NULL), 1);
	cr_assert_eq(tcfs_cache_get(c, "big0", NULL), 0);
	json_decref(big);
	tcfs_cache_free(c);
}

/* An invalidation that is evicted still refuses an older fetch's result:
 * a key made anew starts at the highest evicted generation. */
Test(cache, eviction_keeps_generations)
{
	struct tcfs_cache *c = tcfs_cache_new(100.0, 1.0, fake_clock);
	json_t *x = num(1);
	uint64_t start;

	fake_now = 0;
	tcfs_cache_set_limits(c, 2, 0);
	start = tcfs_cache_gen(c);          /* a fetch of "obj" starts */
	tcfs_cache_invalidate(c, "obj");    /* a change meanwhile */
	tcfs_cache_put(c, "p", x);
	tcfs_cache_put(c, "q", x);          /* "obj" is evicted */
	cr_assert_eq(tcfs_cache_store(c, "obj", x, start), 0,
		     "the older fetch is not stored");
	cr_assert_eq(tcfs_cache_store(c, "obj", x, tcfs_cache_gen(c)), 1);
	json_decref(x);
	tcfs_cache_free(c);
}

/* An entry being fetched is never evicted (its fetcher holds it). */
static struct tcfs_cache *evict_cache;

static int fill_while_fetching(void *arg, uint64_t start, json_t **out,
			       struct tc_error *err)
{
	char key[32];

	(void)arg;
	(void)start;
	(void)err;
	for (int i = 0; i < 20; i++) {
		json_t *v = num(i);

		snprintf(key, sizeof(key), "other%d", i);
		tcfs_cache_put(evict_cache, key, v);
		json_decref(v);
	}
	*out = num(42);
	return 0;
}

Test(cache, inflight_not_evicted)
{
	struct tc_error err;
	json_t *v = NULL;

	fake_now = 0;
	evict_cache = tcfs_cache_new(100.0, 1.0, fake_clock);
	tcfs_cache_set_limits(evict_cache, 2, 0);
	cr_assert_eq(tcfs_cache_fetch(evict_cache, "slow", fill_while_fetching,
				      NULL, &v, &err), 0);
	cr_assert_eq(json_integer_value(v), 42);
	json_decref(v);
	tcfs_cache_free(evict_cache);
}
