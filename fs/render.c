/*
 * render.c — JSON → file text, and the spec.json extraction per family.
 * Pure functions (no locks, no API calls). Every json access is checked:
 * API objects may lack any field.
 */
#include "tcfs.h"

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

/* Copy obj[key] into out[key] when present. */
static void copy_field(json_t *out, json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (v)
		json_object_set_new(out, key, json_deep_copy(v));
}

/* The fields every spec.json starts with: displayName, and labels (an
 * empty object when the API has none). A new object. */
static json_t *spec_head(json_t *obj)
{
	json_t *spec = json_object();

	if (!spec || !json_is_object(obj))
		return spec;
	copy_field(spec, obj, "displayName");
	if (json_is_object(json_object_get(obj, "labels")))
		copy_field(spec, obj, "labels");
	else
		json_object_set_new(spec, "labels", json_object());
	return spec;
}

/* Serverless (Starter / Essential): the fields PATCH + updateMask takes. */
json_t *tcfs_spec_serverless(json_t *obj)
{
	json_t *spec = spec_head(obj);
	json_t *as, *sl, *ep, *pub, *endpoints, *pubout, *nets;

	if (!spec || !json_is_object(obj))
		return spec;
	as = json_object_get(obj, "autoScaling");
	sl = json_object_get(obj, "spendingLimit");
	if (json_is_object(as)) {
		json_t *a = json_object();

		copy_field(a, as, "minRcu");
		copy_field(a, as, "maxRcu");
		json_object_set_new(spec, "autoScaling", a);
	} else if (json_is_object(sl)) {
		json_t *s = json_object();

		copy_field(s, sl, "monthly");
		json_object_set_new(spec, "spendingLimit", s);
	}
	ep = json_object_get(obj, "endpoints");
	pub = json_is_object(ep) ? json_object_get(ep, "public") : NULL;
	endpoints = json_object();
	pubout = json_object();
	if (json_is_boolean(json_object_get(pub, "disabled")))
		copy_field(pubout, pub, "disabled");
	else
		json_object_set_new(pubout, "disabled", json_false());
	nets = json_object_get(pub, "authorizedNetworks");
	if (json_is_array(nets))
		copy_field(pubout, pub, "authorizedNetworks");
	else
		json_object_set_new(pubout, "authorizedNetworks", json_array());
	json_object_set_new(endpoints, "public", pubout);
	json_object_set_new(spec, "endpoints", endpoints);
	if (json_is_object(json_object_get(obj, "automatedBackupPolicy")))
		copy_field(spec, obj, "automatedBackupPolicy");
	return spec;
}

static json_t *storage_setting(json_t *in)
{
	static const char *const keys[] = {
		"nodeSpecKey", "nodeCount", "storageSizeGi", "storageType", NULL
	};
	json_t *out = json_object();

	for (int i = 0; keys[i]; i++)
		copy_field(out, in, keys[i]);
	return out;
}

/* Dedicated: flat PATCH fields plus `paused` (pause / resume). */
json_t *tcfs_spec_dedicated(json_t *obj)
{
	json_t *spec = spec_head(obj);
	json_t *tidb, *tikv, *tiflash;
	const char *state;

	if (!spec || !json_is_object(obj))
		return spec;
	state = tcfs_json_str_borrow(obj, "state");
	json_object_set_new(spec, "paused", json_boolean(state &&
		(strcmp(state, "PAUSED") == 0 || strcmp(state, "PAUSING") == 0)));
	tidb = json_object_get(obj, "tidbNodeSetting");
	if (json_is_object(tidb)) {
		json_t *t = json_object();
		json_t *groups = json_object_get(tidb, "tidbNodeGroups");

		copy_field(t, tidb, "nodeSpecKey");
		if (json_is_array(groups)) {
			json_t *g = json_array();
			size_t i;
			json_t *it;

			json_array_foreach(groups, i, it) {
				json_t *e = json_object();

				copy_field(e, it, "tidbNodeGroupId");
				copy_field(e, it, "nodeCount");
				json_array_append_new(g, e);
			}
			json_object_set_new(t, "tidbNodeGroups", g);
		}
		json_object_set_new(spec, "tidbNodeSetting", t);
	}
	tikv = json_object_get(obj, "tikvNodeSetting");
	if (json_is_object(tikv))
		json_object_set_new(spec, "tikvNodeSetting", storage_setting(tikv));
	tiflash = json_object_get(obj, "tiflashNodeSetting");
	if (json_is_object(tiflash))
		json_object_set_new(spec, "tiflashNodeSetting", storage_setting(tiflash));
	return spec;
}
