/*
 * render.c — JSON → file text, times, and the helpers the families' spec
 * extractors share (fs/family_*.c).
 * Pure functions (no locks, no API calls). Every json access is checked:
 * API objects may lack any field.
 */
#include "tcfs.h"
#include "spec.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One set of dump flags for every rendered file. */
#define TCFS_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

char *tcfs_render_json(json_t *v, size_t *len)
{
	char *s = v ? json_dumps(v, TCFS_JSON_FLAGS | JSON_ENCODE_ANY) : NULL;
	char *out;
	size_t n;

	if (!s)
		s = strdup("null");
	if (!s)
		return NULL;
	n = strlen(s);
	out = realloc(s, n + 2);
	if (!out) {
		free(s);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = '\0';
	*len = n + 1;
	return out;
}

const char *tcfs_json_str_borrow(json_t *obj, const char *key)
{
	json_t *v;

	if (!json_is_object(obj) || !key)
		return NULL;
	v = json_object_get(obj, key);
	/* a dotted key names a nested field ("metadata.id") */
	if (!v && strchr(key, '.'))
		v = tcfs_json_path_borrow(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

time_t tcfs_parse_time(const char *s)
{
	struct tm tm;
	time_t t;
	const char *p;

	if (!s || !*s)
		return 0;
	if (digits(s, (int)strlen(s))) {
		long long v = strtoll(s, NULL, 10);

		return v > 0 ? (time_t)v : 0;
	}
	/* YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM) */
	if (strlen(s) < 19 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't' &&
	    s[10] != ' ') || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_sec = atoi(s + 17);
	/* timegm would normalize "9999-99-99T99:99:99Z" into a date */
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return 0;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return 0;
	p = s + 19;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if ((*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' &&
	    digits(p + 4, 2) && atoi(p + 1) <= 23 && atoi(p + 4) <= 59) {
		long off = (atoi(p + 1) * 60L + atoi(p + 4)) * 60L;

		t += *p == '+' ? -off : off;
	}
	return t > 0 ? t : 0;
}

time_t tcfs_object_mtime(enum tcfs_kind kind, json_t *obj)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);

	for (int i = 0; i < 2; i++) {
		time_t t;

		if (!k->mtime_keys[i])
			continue;
		t = tcfs_parse_time(tcfs_json_str_borrow(obj, k->mtime_keys[i]));
		if (t)
			return t;
	}
	return 0;
}

void tcfs_json_copy_field(json_t *out, json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (v)
		json_object_set_new(out, key, json_deep_copy(v));
}
