/* spec.c — validation and diff of spec.json; see spec.h. */
#include "spec.h"
#include "tcfs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *type_name(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int type_ok(json_t *v, const char *one, size_t n)
{
#define IS(s) (n == strlen(s) && strncmp(one, s, n) == 0)
	if (IS("any"))
		return 1;
	if (IS("string"))
		return json_is_string(v);
	if (IS("integer"))
		return json_is_integer(v);
	if (IS("number"))
		return json_is_number(v);
	if (IS("boolean"))
		return json_is_boolean(v);
	if (IS("object"))
		return json_is_object(v);
	if (IS("array"))
		return json_is_array(v);
	return 0;
#undef IS
}

static int leaf_ok(json_t *v, const char *types)
{
	const char *p = types;

	for (;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (type_ok(v, p, n))
			return 1;
		if (!bar)
			return 0;
		p = bar + 1;
	}
}

static void join(char *dst, size_t size, const char *path, const char *key)
{
	if (*path)
		snprintf(dst, size, "%s.%s", path, key);
	else
		snprintf(dst, size, "%s", key);
}

/* Validate v against schema, with ref the object's value at the same place
 * (may be NULL). *norm receives a new reference. 0 or -EINVAL. */
static int check(json_t *v, json_t *schema, json_t *ref, const char *path,
		 int lenient, json_t **norm, char *msg, size_t msgsz)
{
	*norm = NULL;
	if (json_is_string(schema)) {
		/* a value the API itself holds with another type (labels
		 * {"a": 5}) may stay as it is: spec.json must be writable back
		 * unchanged; only a changed value must have the schema's type */
		if (!leaf_ok(v, json_string_value(schema)) &&
		    !(ref && json_equal(ref, v))) {
			snprintf(msg, msgsz, "%s: expected %s, got %s", path,
				 json_string_value(schema), type_name(v));
			return -EINVAL;
		}
		*norm = json_incref(v);
		return 0;
	}
	if (json_is_array(schema)) {
		json_t *elem = json_array_get(schema, 0);
		json_t *out;
		size_t i;
		json_t *it;

		if (!json_is_array(v)) {
			snprintf(msg, msgsz, "%s: expected an array, got %s",
				 path, type_name(v));
			return -EINVAL;
		}
		out = json_array();
		json_array_foreach(v, i, it) {
			char sub[512];
			json_t *n = NULL;

			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (check(it, elem, json_is_array(ref) ?
				  json_array_get(ref, i) : NULL, sub, lenient,
				  &n, msg, msgsz) != 0) {
				json_decref(out);
				return -EINVAL;
			}
			json_array_append_new(out, n);
		}
		*norm = out;
		return 0;
	}
	if (json_is_object(schema)) {
		json_t *out;
		const char *key;
		json_t *val;

		if (!json_is_object(v)) {
			snprintf(msg, msgsz, "%s: expected an object, got %s",
				 *path ? path : "spec", type_name(v));
			return -EINVAL;
		}
		out = json_object();
		json_object_foreach(v, key, val) {
			json_t *sub = json_object_get(schema, key);
			json_t *r = json_is_object(ref) ? json_object_get(ref, key) : NULL;
			char subpath[512];
			json_t *n = NULL;

			join(subpath, sizeof(subpath), path, key);
			if (!sub)
				sub = json_object_get(schema, "*");
			if (!sub && lenient)
				continue;   /* needs the object: later */
			if (!sub) {
				if (r && json_equal(r, val))
					continue;   /* read-only, unchanged */
				if (r)
					snprintf(msg, msgsz, "%s is read-only and cannot be changed", subpath);
				else
					snprintf(msg, msgsz, "unknown field %s", subpath);
				json_decref(out);
				return -EINVAL;
			}
			if (check(val, sub, r, subpath, lenient, &n, msg,
				  msgsz) != 0) {
				json_decref(out);
				return -EINVAL;
			}
			json_object_set_new(out, key, n);
		}
		*norm = out;
		return 0;
	}
	*norm = json_incref(v);
	return 0;
}

static int parse(const char *text, size_t len, const char *schema_text,
		 json_t *obj, int lenient, json_t **out, char *msg, size_t msgsz)
{
	json_error_t jerr;
	json_t *v, *schema;
	int r;

	*out = NULL;
	if (len > TCFS_MAX_TEXT) {
		snprintf(msg, msgsz, "spec is too large (%zu bytes, limit %d)",
			 len, TCFS_MAX_TEXT);
		return -EFBIG;
	}
	v = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		snprintf(msg, msgsz, "invalid JSON: %s (line %d, column %d)",
			 jerr.text, jerr.line, jerr.column);
		return -EINVAL;
	}
	if (!json_is_object(v)) {
		snprintf(msg, msgsz, "spec must be a JSON object, got %s", type_name(v));
		json_decref(v);
		return -EINVAL;
	}
	schema = json_loads(schema_text ? schema_text : "{}", 0, &jerr);
	if (!schema) {
		snprintf(msg, msgsz, "internal error: bad schema");
		json_decref(v);
		return -EINVAL;
	}
	r = check(v, schema, obj, "", lenient, out, msg, msgsz);
	json_decref(schema);
	json_decref(v);
	return r;
}

int tcfs_spec_parse(const char *text, size_t len, const char *schema_text,
		    json_t *obj, json_t **out, char *msg, size_t msgsz)
{
	return parse(text, len, schema_text, obj, 0, out, msg, msgsz);
}

int tcfs_spec_precheck(const char *text, size_t len, const char *schema_text,
		       json_t *known, json_t **out, char *msg, size_t msgsz)
{
	return parse(text, len, schema_text, known, 1, out, msg, msgsz);
}

json_t *tcfs_json_path_borrow(json_t *root, const char *path)
{
	char part[256];
	const char *p = path;
	json_t *cur = root;

	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (n >= sizeof(part) || !json_is_object(cur))
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		cur = json_object_get(cur, part);
		p += n;
		if (*p == '.')
			p++;
	}
	return cur;
}

static void set_path(json_t *root, const char *path, json_t *val)
{
	char part[256];
	const char *p = path;
	json_t *cur = root;

	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		json_t *next;

		if (n >= sizeof(part))
			return;
		memcpy(part, p, n);
		part[n] = '\0';
		if (!dot) {
			json_object_set_new(cur, part, json_deep_copy(val));
			return;
		}
		next = json_object_get(cur, part);
		if (!json_is_object(next)) {
			next = json_object();
			json_object_set_new(cur, part, next);
		}
		cur = next;
		p = dot + 1;
	}
}

int tcfs_spec_diff_mask(json_t *cur, json_t *next, const char *const *paths,
			json_t **body, char *mask, size_t masksz)
{
	int changed = 0;
	size_t used = 0;

	*body = json_object();
	if (masksz)
		mask[0] = '\0';
	for (size_t i = 0; paths[i]; i++) {
		json_t *nv = tcfs_json_path_borrow(next, paths[i]);
		json_t *cv = tcfs_json_path_borrow(cur, paths[i]);
		int w;

		if (!nv || (cv && json_equal(cv, nv)))
			continue;
		set_path(*body, paths[i], nv);
		w = snprintf(mask + used, masksz - used, "%s%s",
			     changed ? "," : "", paths[i]);
		if (w < 0 || (size_t)w >= masksz - used) {
			json_decref(*body);
			*body = NULL;
			return -1;
		}
		used += (size_t)w;
		changed++;
	}
	if (!changed) {
		json_decref(*body);
		*body = NULL;
	}
	return changed;
}

int tcfs_spec_diff_flat(json_t *cur, json_t *next, json_t **changes)
{
	const char *key;
	json_t *val;
	int n = 0;

	*changes = json_object();
	json_object_foreach(next, key, val) {
		json_t *cv = json_object_get(cur, key);

		if (cv && json_equal(cv, val))
			continue;
		json_object_set(*changes, key, val);
		n++;
	}
	return n;
}
