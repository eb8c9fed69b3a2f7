/* ratelimit.c — fixed-window rate limiting per key (ratelimit.h). */
#include "ratelimit.h"
#include "emu.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct window {
	struct window *next;
	char *key;
	int64_t start_ms;
	long count;
};

/* Guards the list. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct window *windows;

/* X-Ratelimit-Reset: whole seconds, rounded up, at least 1 (a client that
 * waits this long never comes back inside the window). */
static long reset_seconds(int64_t ms)
{
	long s = (long)((ms + 999) / 1000);
	return s < 1 ? 1 : s;
}

void emu_ratelimit_take(const char *key, struct emu_rate *out)
{
	int64_t now = emu_now_ms();
	int64_t window = emu_cfg.rate_window_ms > 0 ? emu_cfg.rate_window_ms : 60000;
	long limit = emu_cfg.rate_limit > 0 ? emu_cfg.rate_limit : EMU_RATE_UNLIMITED;
	struct window *w;

	pthread_mutex_lock(&lock);
	for (w = windows; w && strcmp(w->key, key) != 0; w = w->next)
		;
	if (!w) {
		w = calloc(1, sizeof(*w));
		char *k = strdup(key);
		if (!w || !k) {
			free(w);
			free(k);
			pthread_mutex_unlock(&lock);
			*out = (struct emu_rate){ true, limit, limit, reset_seconds(window) };
			return;
		}
		w->key = k;
		w->start_ms = now;
		w->next = windows;
		windows = w;
	}
	if (now - w->start_ms >= window) {
		w->start_ms = now;
		w->count = 0;
	}
	out->limit = limit;
	out->allowed = emu_cfg.rate_limit <= 0 || w->count < limit;
	if (out->allowed)
		w->count++;
	out->remaining = limit - w->count;
	if (out->remaining < 0)
		out->remaining = 0;
	out->reset_s = reset_seconds(w->start_ms + window - now);
	pthread_mutex_unlock(&lock);
}

void emu_ratelimit_free(void)
{
	pthread_mutex_lock(&lock);
	while (windows) {
		struct window *w = windows;
		windows = w->next;
		free(w->key);
		free(w);
	}
	pthread_mutex_unlock(&lock);
}
