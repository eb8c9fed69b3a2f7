/* validate.c — local checks of names and fields, escaping; see validate.h. */
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Length of the UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return c ? 1 : 0;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int tcfs_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);

		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

int tcfs_has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return 1;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return 1;
	}
	return 0;
}

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

int tcfs_valid_cluster_name(const char *s, const char *what,
			    char *msg, size_t msgsz)
{
	size_t len = s ? strlen(s) : 0;
	char esc[96];

	if (!what)
		what = "displayName";
	if (!s || !len) {
		snprintf(msg, msgsz, "%s must not be empty (4 to 64 letters, "
			 "digits and '-')", what);
		return -EINVAL;
	}
	tcfs_escape(s, esc, sizeof(esc));
	if (len < TCFS_CLUSTER_NAME_MIN || len > TCFS_CLUSTER_NAME_MAX) {
		snprintf(msg, msgsz, "%s \"%.70s%s\" is %zu bytes long: a cluster "
			 "name has 4 to 64 characters", what, esc,
			 strlen(esc) > 70 ? "..." : "", len);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!is_alnum(c) && c != '-') {
			snprintf(msg, msgsz, "%s \"%s\": a cluster name may hold "
				 "only letters A-Z a-z, digits and '-' (pattern "
				 "^[A-Za-z0-9][-A-Za-z0-9]{2,62}[A-Za-z0-9]$)",
				 what, esc);
			return -EINVAL;
		}
	}
	if (!is_alnum((unsigned char)s[0]) || !is_alnum((unsigned char)s[len - 1])) {
		snprintf(msg, msgsz, "%s \"%s\": a cluster name must start and end "
			 "with a letter or a digit", what, esc);
		return -EINVAL;
	}
	return 0;
}

int tcfs_valid_project_name(const char *s, char *msg, size_t msgsz)
{
	size_t len = s ? strlen(s) : 0, chars = 0;
	char esc[96];

	if (!len) {
		snprintf(msg, msgsz, "a project name must not be empty");
		return -EINVAL;
	}
	if (!tcfs_utf8_valid(s, len)) {
		snprintf(msg, msgsz, "a project name must be valid UTF-8 text");
		return -EINVAL;
	}
	tcfs_escape(s, esc, sizeof(esc));
	if (tcfs_has_control(s)) {
		snprintf(msg, msgsz, "project name \"%s\" holds a control "
			 "character (newline, tab, escape, ...): refused, such a "
			 "name could not be shown or typed safely", esc);
		return -EINVAL;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	if (chars > TCFS_PROJECT_NAME_MAX) {
		snprintf(msg, msgsz, "project name \"%.60s...\" has %zu "
			 "characters: at most %d", esc, chars,
			 TCFS_PROJECT_NAME_MAX);
		return -EINVAL;
	}
	if (s[0] == ' ' || s[len - 1] == ' ') {
		snprintf(msg, msgsz, "project name \"%s\" starts or ends with a "
			 "space", esc);
		return -EINVAL;
	}
	return 0;
}

int tcfs_valid_region_id(const char *s, char *msg, size_t msgsz)
{
	static const char *const clouds[] = { "aws-", "gcp-", "azure-",
					      "alicloud-", NULL };
	const char *rest = NULL;
	char esc[96];

	for (size_t i = 0; s && clouds[i]; i++)
		if (strncmp(s, clouds[i], strlen(clouds[i])) == 0)
			rest = s + strlen(clouds[i]);
	if (rest && *rest) {
		const char *p = rest;

		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		       *p == '-')
			p++;
		if (!*p)
			return 0;
	}
	tcfs_escape(s ? s : "", esc, sizeof(esc));
	snprintf(msg, msgsz, "region \"%s\" is not a region id such as "
		 "aws-us-east-1 (pattern ^(aws|gcp|azure|alicloud)-[a-z0-9-]+$)",
		 esc);
	return -EINVAL;
}

/* The integer fields of a cluster spec and their published ranges: the
 * API's int32 fields (a count, a size, a limit in cents) are never
 * negative; minRcu and maxRcu are int64, written as a string beyond 2^53
 * (a JSON number that large is not exact for every reader). */
static const struct { const char *name; json_int_t max; } spec_ints[] = {
	{ "monthly", 2147483647 }, { "retentionDays", 2147483647 },
	{ "nodeCount", 2147483647 }, { "storageSizeGi", 2147483647 },
	{ "raftStoreIops", 2147483647 },
	{ "minRcu", 9007199254740992LL }, { "maxRcu", 9007199254740992LL },
};

/* Checks the integers of v (at path, its counterpart cur) against
 * spec_ints, unless cur holds the same value. */
static int spec_ints_valid(json_t *v, json_t *cur, const char *path,
			   char *msg, size_t msgsz)
{
	char sub[160];
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, key, x) {
			snprintf(sub, sizeof(sub), "%s%s%s", path,
				 *path ? "." : "", key);
			for (i = 0; i < sizeof(spec_ints) / sizeof(spec_ints[0]); i++) {
				json_t *c = json_object_get(cur, key);
				json_int_t n;

				if (strcmp(key, spec_ints[i].name) != 0 ||
				    !json_is_integer(x) || (c && json_equal(c, x)))
					continue;
				n = json_integer_value(x);
				if (n < 0 || n > spec_ints[i].max) {
					snprintf(msg, msgsz, "%s: an integer from 0 "
						 "to %lld (%lld given)", sub,
						 (long long)spec_ints[i].max,
						 (long long)n);
					return -EINVAL;
				}
			}
			if (spec_ints_valid(x, json_object_get(cur, key), sub,
					    msg, msgsz) != 0)
				return -EINVAL;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (spec_ints_valid(x, json_array_get(cur, i), sub, msg,
					    msgsz) != 0)
				return -EINVAL;
		}
	}
	return 0;
}

int tcfs_valid_cluster_ints(json_t *spec, json_t *cur, char *msg,
			    size_t msgsz)
{
	return spec_ints_valid(spec, cur, "", msg, msgsz);
}

int tcfs_valid_cluster_spec(json_t *spec, json_t *cur, char *msg,
			    size_t msgsz)
{
	json_t *v = json_object_get(spec, "displayName");
	json_t *c = json_object_get(cur, "displayName");

	if (spec_ints_valid(spec, cur, "", msg, msgsz) != 0)
		return -EINVAL;
	if (!v || (c && json_equal(c, v)))
		return 0;
	if (!json_is_string(v)) {
		snprintf(msg, msgsz, "displayName: expected string");
		return -EINVAL;
	}
	return tcfs_valid_cluster_name(json_string_value(v), "displayName",
				       msg, msgsz);
}

/* 1 when the n bytes at line are one word: not empty, no space, no
 * control character (the line holds no NUL: checked before). */
static int is_word(const char *w, size_t n)
{
	const unsigned char *p = (const unsigned char *)w;

	if (n == 0 || !tcfs_utf8_valid(w, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] <= ' ' || p[i] == 0x7f ||
		    (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 &&
		     p[i + 1] <= 0x9F))
			return 0;
	return 1;
}

/* 1 when line (n bytes) is a use of usage "verb ARG [OPT]": the verb
 * exactly, then one word per argument, the [optional] ones may be left
 * out; words separated by exactly one space, nothing else. */
static int matches_usage(const char *line, size_t n, const char *usage)
{
	size_t vlen = strcspn(usage, " ");
	const char *u = usage + vlen, *p = line + vlen;
	const char *end = line + n;

	if (n < vlen || memcmp(line, usage, vlen) != 0)
		return 0;
	while (*u == ' ') {
		int optional;
		size_t alen;

		u++;
		optional = *u == '[';
		u += strcspn(u, " ");
		if (p == end) {
			if (!optional)
				return 0;
			continue;
		}
		if (*p != ' ')
			return 0;
		p++;
		for (alen = 0; p + alen < end && p[alen] != ' '; alen++)
			;
		if (!is_word(p, alen))
			return 0;
		p += alen;
	}
	return p == end;
}

static int is_verb(const char *line, size_t n, const char *const *verbs)
{
	for (const char *const *v = verbs; v && *v; v++)
		if (matches_usage(line, n, *v))
			return 1;
	return 0;
}

int tcfs_ctl_text_valid(const char *buf, size_t len, const char *const *verbs,
			int final, char *msg, size_t msgsz)
{
	size_t start = 0, lineno = 1;

	if (len && memchr(buf, '\0', len)) {
		snprintf(msg, msgsz, "a NUL byte at offset %zu: write one verb "
			 "per line, nothing else; the whole write was refused",
			 (size_t)((const char *)memchr(buf, '\0', len) - buf));
		return -EINVAL;
	}
	while (start < len) {
		const char *nl = memchr(buf + start, '\n', len - start);
		size_t n = nl ? (size_t)(nl - (buf + start)) : len - start;
		char line[80], esc[100];

		if (!nl && !final)
			break;
		if (!is_verb(buf + start, n, verbs)) {
			snprintf(line, sizeof(line), "%.*s",
				 (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1),
				 buf + start);
			char avail[160] = "";
			size_t off = 0;

			for (const char *const *v = verbs; v && *v; v++) {
				int w = snprintf(avail + off, sizeof(avail) - off,
						 "%s%s", off ? ", " : "", *v);

				if (w > 0 && (size_t)w < sizeof(avail) - off)
					off += (size_t)w;
			}
			tcfs_escape(line, esc, sizeof(esc));
			snprintf(msg, msgsz, "line %zu \"%s%s\" is not exactly a "
				 "verb (available: %s; one per line, nothing else); "
				 "the whole write was refused", lineno, esc,
				 n >= sizeof(line) - 1 ? "..." : "",
				 off ? avail : "none");
			return -EINVAL;
		}
		start += n + (nl ? 1 : 0);
		lineno++;
	}
	return 0;
}

char *tcfs_escape(const char *s, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t o = 0, left = strlen((const char *)p);

	if (!outsz)
		return out;
	while (*p) {
		char tmp[8];
		size_t n = utf8_seq(p, left), w;

		if (n == 1 && *p >= 0x20 && *p != 0x7F) {
			tmp[0] = (char)*p;
			w = 1;
		} else if (n == 2 && p[0] == 0xC2 && p[1] <= 0x9F) {
			w = (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", p[1]);
		} else if (n > 1) {
			memcpy(tmp, p, n);
			w = n;
		} else {
			n = 1;
			switch (*p) {
			case '\n': memcpy(tmp, "\\n", 3); break;
			case '\r': memcpy(tmp, "\\r", 3); break;
			case '\t': memcpy(tmp, "\\t", 3); break;
			case 0x1B: memcpy(tmp, "\\e", 3); break;
			default: snprintf(tmp, sizeof(tmp), "\\x%02x", *p); break;
			}
			w = strlen(tmp);
		}
		if (o + w >= outsz)
			break;
		memcpy(out + o, tmp, w);
		o += w;
		p += n;
		left -= n;
	}
	out[o] = '\0';
	return out;
}
