/*
 * call.c — the one generic call and the one generic list of the client:
 * a descriptor (tidbcloud.h, "API calls as descriptors") plus its ids is
 * expanded into "<path>[?<query>]" and sent with tc_request(), or walked
 * page by page with tc_list_walk() (paging.c).
 *
 * Expansion: the path, then the query, are copied; each "{}" is replaced
 * by the next id, percent-escaped. The ids are counted against the
 * placeholders before anything is built, so a wrong count is an error and
 * never a read past the array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_internal.h"

#define PLACEHOLDER "{}"

/* A growing NUL-terminated string; `failed` is sticky after an allocation
 * failure so that callers check once at the end. */
struct text {
	char *s;
	size_t len, cap;
	int failed;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *p = realloc(t->s, cap);
		if (!p) {
			t->failed = 1;
			return;
		}
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void text_adds(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static size_t count_placeholders(const char *s)
{
	size_t n = 0;

	for (const char *p = s ? strstr(s, PLACEHOLDER) : NULL; p;
	     p = strstr(p + 2, PLACEHOLDER))
		n++;
	return n;
}

static const char *desc_name(const tc_call_desc *d)
{
	return d && d->name ? d->name : "API call";
}

/* Check the descriptor and its ids; 0, or -1 with err (TC_E_INVALID). */
static int check_ids(const tc_call_desc *d, const char *const ids[],
		     size_t n_ids, struct tc_error *err)
{
	size_t in_path, want;

	if (!d || !d->path || !d->method || *d->path != '/' ||
	    (unsigned)d->family >= TC_FAMILY_COUNT) {
		tc_error_set(err, TC_E_INVALID, "invalid call descriptor");
		return -1;
	}
	in_path = count_placeholders(d->path);
	want = in_path + count_placeholders(d->query);
	if (want != n_ids || (n_ids > 0 && !ids)) {
		tc_error_set(err, TC_E_INVALID, "%s takes %zu id%s, %zu given",
			     desc_name(d), want, want == 1 ? "" : "s", n_ids);
		return -1;
	}
	for (size_t i = 0; i < n_ids; i++) {
		if (!ids[i] || (i < in_path && !*ids[i])) {
			tc_error_set(err, TC_E_INVALID, "%s: id %zu is missing",
				     desc_name(d), i + 1);
			return -1;
		}
	}
	return 0;
}

/* Append template tpl with its placeholders filled from ids[*next...]. */
static void expand(struct text *t, const char *tpl, const char *const ids[],
		   size_t *next)
{
	const char *p = tpl, *ph;

	while ((ph = strstr(p, PLACEHOLDER))) {
		char *esc = tc_escape(ids[*next]);

		text_add(t, p, (size_t)(ph - p));
		if (!esc)
			t->failed = 1;
		else
			text_adds(t, esc);
		free(esc);
		(*next)++;
		p = ph + strlen(PLACEHOLDER);
	}
	text_adds(t, p);
}

/* Path and query expanded separately (*query may be NULL). 0 / -1. */
static int expand_parts(const tc_call_desc *d, const char *const ids[],
			size_t n_ids, char **path, char **query,
			struct tc_error *err)
{
	struct text p = { 0 }, q = { 0 };
	size_t next = 0;

	*path = *query = NULL;
	if (check_ids(d, ids, n_ids, err) != 0)
		return -1;
	expand(&p, d->path, ids, &next);
	if (d->query && *d->query)
		expand(&q, d->query, ids, &next);
	if (p.failed || q.failed) {
		free(p.s);
		free(q.s);
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return -1;
	}
	*path = p.s;
	*query = q.s;
	return 0;
}

char *tc_call_path(const tc_call_desc *d, const char *const ids[],
		   size_t n_ids, struct tc_error *err)
{
	struct text t = { 0 };
	char *path, *query;

	tc_error_clear(err);
	if (expand_parts(d, ids, n_ids, &path, &query, err) != 0)
		return NULL;
	text_adds(&t, path);
	if (query) {
		text_adds(&t, "?");
		text_adds(&t, query);
	}
	free(path);
	free(query);
	if (t.failed) {
		free(t.s);
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return NULL;
	}
	return t.s;
}

char *tc_call_key(const tc_call_desc *d, const char *const ids[],
		  size_t n_ids, struct tc_error *err)
{
	char *path = tc_call_path(d, ids, n_ids, err);
	struct text t = { 0 };

	if (!path)
		return NULL;
	text_adds(&t, tc_family_name(d->family));
	text_adds(&t, " ");
	text_adds(&t, path);
	free(path);
	if (t.failed) {
		free(t.s);
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return NULL;
	}
	return t.s;
}

int tc_call(tc_client *c, const tc_call_desc *d, const char *const ids[],
	    size_t n_ids, json_t *body, json_t **out, struct tc_error *err)
{
	char *path;
	int rc;

	if (out)
		*out = NULL;
	if (!(path = tc_call_path(d, ids, n_ids, err)))
		return -1;
	rc = tc_request(c, d->family, d->method, path, body, out, err);
	free(path);
	return rc;
}

/* The query of a list: the descriptor's (expanded) and the caller's. */
static char *list_query(char *own, const char *extra, struct tc_error *err)
{
	struct text t = { 0 };

	if (!extra || !*extra)
		return own;
	if (own) {
		text_adds(&t, own);
		text_adds(&t, "&");
	}
	text_adds(&t, extra);
	free(own);
	if (t.failed) {
		free(t.s);
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return NULL;
	}
	return t.s;
}

int tc_call_list_each(tc_client *c, const tc_call_desc *d,
		      const char *const ids[], size_t n_ids,
		      const char *extra_query, tc_page_fn page_cb, void *arg,
		      struct tc_error *err)
{
	char *path, *query;
	int rc;

	tc_error_clear(err);
	if (!d || d->paging == TC_PAGING_NONE || !d->items_key ||
	    (d->method && strcmp(d->method, "GET") != 0)) {
		tc_error_set(err, TC_E_INVALID, "%s is not a list", desc_name(d));
		return -1;
	}
	if (expand_parts(d, ids, n_ids, &path, &query, err) != 0)
		return -1;
	if (extra_query && *extra_query &&
	    !(query = list_query(query, extra_query, err))) {
		free(path);
		return -1;
	}
	rc = tc_list_walk(c, d->family, d->paging, path, query, d->items_key,
			  page_cb, arg, err);
	free(path);
	free(query);
	return rc;
}

static int collect(void *arg, json_t *items)
{
	return json_array_extend(arg, items) == 0 ? 0 : TC_LIST_NOMEM;
}

int tc_call_list(tc_client *c, const tc_call_desc *d, const char *const ids[],
		 size_t n_ids, const char *extra_query, json_t **items,
		 struct tc_error *err)
{
	json_t *all;
	int rc;

	if (items)
		*items = NULL;
	if (!(all = json_array())) {
		tc_error_clear(err);
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return -1;
	}
	rc = tc_call_list_each(c, d, ids, n_ids, extra_query, collect, all, err);
	if (rc == TC_LIST_NOMEM)
		tc_error_set(err, TC_E_NOMEM, "out of memory");
	if (rc != 0) {
		json_decref(all);
		return -1;
	}
	if (items)
		*items = all;
	else
		json_decref(all);
	return 0;
}
