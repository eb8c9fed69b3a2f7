/*
 * ratelimit.h — the per-key request budget (API-NOTES §1.2).
 *
 * A fixed window per API key (emu_cfg.rate_window_ms, default 60 s),
 * starting at the key's first request after the previous window ended. Thread-safe (one internal mutex).
 * With emu_cfg.rate_limit == 0 every request is allowed and the headers
 * report EMU_RATE_UNLIMITED as the limit.
 */
#ifndef EMU_RATELIMIT_H
#define EMU_RATELIMIT_H

#include <stdbool.h>

#define EMU_RATE_UNLIMITED 1000000L

struct emu_rate {
	bool allowed;
	long limit;         /* X-Ratelimit-Limit-Minute */
	long remaining;     /* X-Ratelimit-Remaining-Minute (after this one) */
	long reset_s;       /* X-Ratelimit-Reset: s until the window ends, rounded
	                       up, at least 1 */
};

/* Count one request for key and say whether it may proceed. */
void emu_ratelimit_take(const char *key, struct emu_rate *out);
void emu_ratelimit_free(void);

#endif
