/* util.c — clocks, timestamps, randomness (emu.h). */
#include "emu.h"

#include <errno.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

int64_t emu_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void emu_rfc3339(char out[32], time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void emu_random_hex(char *out, size_t nbytes)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char buf[64];
	size_t n = nbytes < sizeof(buf) ? nbytes : sizeof(buf);

	if (getrandom(buf, n, 0) != (ssize_t)n) {
		/* Never expected; fall back to something unique enough. */
		unsigned long long x = (unsigned long long)emu_now_ms() ^
				       (unsigned long long)(uintptr_t)out;
		for (size_t i = 0; i < n; i++, x = x * 6364136223846793005ULL + 1)
			buf[i] = (unsigned char)(x >> 56);
	}
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[buf[i] >> 4];
		out[2 * i + 1] = hex[buf[i] & 15];
	}
	out[2 * n] = '\0';
}

void emu_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
