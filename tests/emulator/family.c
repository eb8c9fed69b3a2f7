/* family.c — helpers shared by the family route files (family.h). */
#include "family.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *emu_fstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int emu_check_str(const struct emu_request *rq, struct emu_response *rs,
		  const json_t *obj, const char *key, const char *field,
		  size_t min, size_t max, bool required)
{
	json_t *v = json_object_get(obj, key);
	size_t len;

	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "%s is required", field);
		return -1;
	}
	if (!json_is_string(v)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "%s must be a string", field);
		return -1;
	}
	len = json_string_length(v);
	if (len < min || (max && len > max)) {
		if (max)
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "%s must be %zu to %zu characters", field,
				  min, max);
		else
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "%s must not be empty", field);
		return -1;
	}
	return 0;
}

int emu_check_enum(const struct emu_request *rq, struct emu_response *rs,
		   const json_t *obj, const char *key, const char *field,
		   const char *const allowed[], bool required)
{
	char list[256] = "";
	const char *s;

	if (emu_check_str(rq, rs, obj, key, field, 0, 0, required))
		return -1;
	if (!(s = emu_fstr(obj, key)))
		return 0;
	for (size_t i = 0; allowed[i]; i++) {
		if (strcmp(s, allowed[i]) == 0)
			return 0;
		if (strlen(list) + strlen(allowed[i]) + 3 < sizeof(list)) {
			if (i)
				strcat(list, ", ");
			strcat(list, allowed[i]);
		}
	}
	emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
		  "invalid value for %s: \"%.64s\" (one of %s)", field, s, list);
	return -1;
}

int emu_check_object(const struct emu_request *rq, struct emu_response *rs,
		     const json_t *obj, const char *key, const char *field,
		     bool required)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "%s is required", field);
		return -1;
	}
	if (json_is_object(v))
		return 0;
	emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
		  "%s must be an object", field);
	return -1;
}

int emu_check_array_of_strings(const struct emu_request *rq,
			       struct emu_response *rs, const json_t *obj,
			       const char *key, const char *field)
{
	json_t *v = json_object_get(obj, key), *e;
	size_t i;

	if (!v || json_is_null(v))
		return 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (!json_is_string(e) || json_string_length(e) == 0)
				goto bad;
		return 0;
	}
bad:
	emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
		  "%s must be an array of non-empty strings", field);
	return -1;
}

bool emu_parse_rfc3339(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
			 &sec, &n) != 6 || n != 19)
		return false;
	s += n;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (strcmp(s, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60 || y < 1970 || y > 9999)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm);
	return true;
}

bool emu_display_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 4 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool an = isascii((unsigned char)s[i]) && isalnum((unsigned char)s[i]);
		if (!an && (s[i] != '-' || i == 0 || i == n - 1))
			return false;
	}
	return true;
}

void emu_new_decimal_id(char out[48])
{
	char hex[17];
	unsigned long long v;

	emu_random_hex(hex, 8);
	v = strtoull(hex, NULL, 16) % 9000000000000000000ULL;
	snprintf(out, 48, "%llu", v + 1000000000000000000ULL);
}

static unsigned hexval(char c)
{
	return (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10) & 15u;
}

void emu_new_prefixed_id(char out[48], const char *prefix)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	char hex[53];
	size_t n = strlen(prefix);

	if (n > 20)
		n = 20;
	memcpy(out, prefix, n);
	emu_random_hex(hex, 26);
	for (size_t i = 0; i < 26; i++)
		out[n + i] = b32[(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1])) & 31u];
	out[n + 26] = '\0';
}

void emu_now_rfc3339(char out[32])
{
	emu_rfc3339(out, time(NULL));
}

struct emu_cluster *emu_serverless_cluster(const struct emu_request *rq,
					   struct emu_response *rs,
					   const char *id)
{
	struct emu_cluster *c = emu_model_cluster_find(id, false);

	if (!c)
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "cluster %s not found", id);
	return c;
}

struct emu_cluster *emu_dedicated_cluster(const struct emu_request *rq,
					  struct emu_response *rs,
					  const char *id)
{
	struct emu_cluster *c = emu_model_cluster_find(id, true);

	if (!c)
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "cluster %s not found", id);
	return c;
}

struct emu_project *emu_project_or_404(const struct emu_request *rq,
				       struct emu_response *rs, const char *id)
{
	struct emu_project *p = emu_model_project_find(id);

	if (!p)
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "project %s not found", id);
	return p;
}

struct emu_object *emu_find_or_404(const struct emu_request *rq,
				   struct emu_response *rs, const char *kind,
				   const char *const parents[], size_t nparents,
				   const char *id, const char *what)
{
	struct emu_object *o = emu_store_find(kind, parents, nparents, id);

	if (!o)
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "%s %s not found", what, id);
	return o;
}

int emu_seed_array(const json_t *seed, const char *key, json_t **list,
		   char *err, size_t errlen)
{
	*list = json_object_get(seed, key);
	if (!*list || json_is_array(*list))
		return 0;
	*list = NULL;
	snprintf(err, errlen, "\"%s\" must be an array", key);
	return -1;
}
