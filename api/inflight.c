/*
 * inflight.c — the bound on requests in flight per API host (family), so
 * that a stalled host cannot hold every thread of the caller: a request
 * that finds `max` requests to its host already waiting for an answer
 * waits at most `wait_ms` for a slot, then fails with TC_E_BUSY without
 * being sent. One mutex and condition variable per client (leaf lock,
 * never held across a request).
 */
#include "tc_internal.h"

#include <errno.h>
#include <time.h>

void tc_inflight_init(struct tc_inflight *f, int max, long wait_ms)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&f->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->cond, &ca);
	pthread_condattr_destroy(&ca);
	for (int i = 0; i < TC_FAMILY_COUNT; i++)
		f->busy[i] = 0;
	f->max = max;
	f->wait_ms = wait_ms;
}

void tc_inflight_destroy(struct tc_inflight *f)
{
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
}

int tc_inflight_enter(struct tc_inflight *f, enum tc_family family)
{
	struct timespec until;
	int r = 0;

	if (f->max <= 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += f->wait_ms / 1000;
	until.tv_nsec += (f->wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&f->lock);
	while (f->busy[family] >= f->max && r == 0)
		if (pthread_cond_timedwait(&f->cond, &f->lock, &until) == ETIMEDOUT)
			r = f->busy[family] >= f->max ? -1 : 0;
	if (r == 0)
		f->busy[family]++;
	pthread_mutex_unlock(&f->lock);
	return r;
}

void tc_inflight_leave(struct tc_inflight *f, enum tc_family family)
{
	if (f->max <= 0)
		return;
	pthread_mutex_lock(&f->lock);
	f->busy[family]--;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}
