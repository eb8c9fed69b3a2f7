/*
 * ratelimit.c — pacing from the X-Ratelimit-* headers.
 *
 * The API allows `limit` requests per key and minute and says, on every
 * response, how many remain (`remaining`) and in how many seconds the window
 * resets (`reset`). Before each exchange the request loop reserves a slot:
 *
 *   avail = remaining − (requests started since that response)
 *   window_end = time of that response + reset
 *
 *   - window already over, or avail > max(2, limit/5): go now (a large
 *     remainder never costs a sleep);
 *   - 0 < avail ≤ that threshold: spread the remaining requests evenly over
 *     the time left: the slot is max(now, next_slot) and the following slot
 *     is (window_end − slot)/avail later;
 *   - avail ≤ 0: wait for window_end (+250 ms margin).
 * After a 429 every thread waits until its X-Ratelimit-Reset has passed
 * (blocked_until). A reset beyond a minute (MAX_RESET_S) counts as a
 * minute. Before the server has said anything, the same rules run
 * on a local 60 s window with the configured target (default 100).
 * The caller sleeps outside the lock, in slices that honour the interrupt.
 */
#include <string.h>
#include "tc_internal.h"

#define RESET_MARGIN_MS 250
#define LOCAL_WINDOW_MS 60000
/* The API's windows are a minute long: a larger X-Ratelimit-Reset is a
 * broken or hostile header, and must not park every thread for hours. */
#define MAX_RESET_S 60

static long cap_reset(long reset_s)
{
	return reset_s > MAX_RESET_S ? MAX_RESET_S : reset_s;
}

void tc_ratelimit_init(struct tc_ratelimit *rl)
{
	memset(rl, 0, sizeof(*rl));
	pthread_mutex_init(&rl->lock, NULL);
	rl->enabled = 1;
	rl->limit = rl->remaining = rl->reset_s = -1;
	rl->fallback_limit = 100;
}

void tc_ratelimit_destroy(struct tc_ratelimit *rl)
{
	pthread_mutex_destroy(&rl->lock);
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

long tc_ratelimit_reserve(struct tc_ratelimit *rl, uint64_t now)
{
	uint64_t go = now, window_end;
	long limit, avail, threshold;

	pthread_mutex_lock(&rl->lock);
	if (!rl->enabled) {
		pthread_mutex_unlock(&rl->lock);
		return 0;
	}
	go = max_u64(go, rl->blocked_until_ms);
	if (rl->remaining >= 0 && rl->reset_s >= 0) {
		limit = rl->limit > 0 ? rl->limit : rl->fallback_limit;
		window_end = rl->observed_ms + (uint64_t)rl->reset_s * 1000;
		avail = rl->remaining - rl->started;
	} else {
		if (rl->local_start_ms == 0 ||
		    now >= rl->local_start_ms + LOCAL_WINDOW_MS) {
			rl->local_start_ms = now ? now : 1;
			rl->local_started = 0;
		}
		limit = rl->fallback_limit;
		window_end = rl->local_start_ms + LOCAL_WINDOW_MS;
		avail = limit - rl->local_started;
		rl->local_started++;
	}
	rl->started++;
	threshold = limit / 5 > 2 ? limit / 5 : 2;
	if (go < window_end && avail <= threshold) {
		if (avail <= 0) {
			go = window_end + RESET_MARGIN_MS;
		} else {
			uint64_t slot = max_u64(go, rl->next_slot_ms);
			if (slot < window_end)
				rl->next_slot_ms = slot + (window_end - slot) / (uint64_t)avail;
			go = slot;
		}
	}
	pthread_mutex_unlock(&rl->lock);
	return (long)(go - now);
}

void tc_ratelimit_observe(struct tc_ratelimit *rl, uint64_t now,
			  long limit, long remaining, long reset_s,
			  int was_429)
{
	reset_s = cap_reset(reset_s);
	pthread_mutex_lock(&rl->lock);
	if (limit >= 0)
		rl->limit = limit;
	if (remaining >= 0 && reset_s >= 0) {
		rl->remaining = remaining;
		rl->reset_s = reset_s;
		rl->observed_ms = now;
		rl->started = 0;
	}
	if (was_429 && reset_s >= 0) {
		uint64_t until = now + (uint64_t)tc_ratelimit_429_wait(reset_s, 0);
		rl->blocked_until_ms = max_u64(rl->blocked_until_ms, until);
	}
	pthread_mutex_unlock(&rl->lock);
}

long tc_ratelimit_429_wait(long reset_s, long fallback_ms)
{
	if (reset_s < 0)
		return fallback_ms;
	return cap_reset(reset_s) * 1000 + RESET_MARGIN_MS;
}
