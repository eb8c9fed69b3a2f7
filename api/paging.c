/*
 * paging.c — walking a list in either paging style (enum tc_paging).
 *
 * PAGE (v1beta):   ?page=N&page_size=100 → {items: [...], total: T}; stop when the
 *           items collected reach total, or at an empty page (or, when the
 *           server sends no total, at a short page).
 * TOKEN (v1beta1): ?pageSize=100[&pageToken=T] → {<key>: [...],
 *           nextPageToken}; stop when nextPageToken is empty or absent.
 *           TOKEN_PLAIN sends no pageSize (lists normally not paged).
 * Guards against a server that never ends: at most TC_MAX_PAGES pages, and a
 * page token seen before is an error (TC_E_BAD_RESPONSE).
 *
 * Shape: a page must be an object whose `items_key` member is an array. The
 * member may be missing only from a page that holds nothing else than empty
 * paging fields ({} or {"totalSize": 0}): protobuf JSON omits empty lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_internal.h"

#define TC_MAX_PAGES 10000
#define PAGE_SIZE TC_PAGE_SIZE

/* Number in a JSON integer or decimal string; -1 if neither. */
static long long json_count(json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_string(v)) {
		char *end;
		long long n = strtoll(json_string_value(v), &end, 10);
		if (end != json_string_value(v) && !*end)
			return n;
	}
	return -1;
}

static int empty_page(json_t *page)
{
	const char *k;
	json_t *v;

	json_object_foreach(page, k, v) {
		if (strcmp(k, "nextPageToken") == 0 && json_is_string(v) &&
		    !*json_string_value(v))
			continue;
		if ((strcmp(k, "totalSize") == 0 || strcmp(k, "total") == 0) &&
		    json_count(v) == 0)
			continue;
		return 0;
	}
	return 1;
}

/* New reference to the page's items array, or NULL (err filled). */
static json_t *page_items(json_t *page, const char *key, const char *path,
			  struct tc_error *err)
{
	json_t *v = json_object_get(page, key);

	if (json_is_array(v))
		return json_incref(v);
	if (!v && empty_page(page))
		return json_array();
	tc_error_set(err, TC_E_BAD_RESPONSE, "list response has no \"%s\" array",
		     key);
	snprintf(err->method, sizeof(err->method), "GET");
	tc_copy(err->path, sizeof(err->path), path);
	return NULL;
}

/* path + '?'/'&' + query + '&' + extra (extra may be ""). */
static char *page_path(const char *path, const char *query, const char *extra)
{
	size_t n = strlen(path) + (query ? strlen(query) : 0) + strlen(extra) + 4;
	char *out = malloc(n);
	char sep = strchr(path, '?') ? '&' : '?';
	int has_q = query && *query;

	if (!out)
		return NULL;
	if (!has_q && !*extra)
		snprintf(out, n, "%s", path);
	else
		snprintf(out, n, "%s%c%s%s%s", path, sep, has_q ? query : "",
			 has_q && *extra ? "&" : "", extra);
	return out;
}

static int nomem(struct tc_error *err)
{
	tc_error_set(err, TC_E_NOMEM, "out of memory");
	return -1;
}

/* GET one page at p (freed here). 0 with *body (the page) and *items (new
 * references); -1 with err filled and nothing to release. */
static int fetch_page(tc_client *c, enum tc_family family, char *p,
		      const char *key, json_t **body, json_t **items,
		      struct tc_error *err)
{
	int rc;

	*body = *items = NULL;
	rc = tc_request(c, family, "GET", p, NULL, body, err);
	if (rc == 0 && !(*items = page_items(*body, key, p, err)))
		rc = -1;
	free(p);
	if (rc != 0) {
		json_decref(*body);
		*body = NULL;
	}
	return rc;
}

static int walk_v1beta(tc_client *c, enum tc_family family, const char *path,
		       const char *query, const char *key, tc_page_fn cb,
		       void *arg, struct tc_error *err)
{
	long long collected = 0;

	for (int page = 1; page <= TC_MAX_PAGES; page++) {
		char extra[64], *p;
		json_t *body, *items;
		long long total;
		size_t n;
		int rc;

		snprintf(extra, sizeof(extra), "page=%d&page_size=%d", page, PAGE_SIZE);
		if (!(p = page_path(path, query, extra)))
			return nomem(err);
		if (fetch_page(c, family, p, key, &body, &items, err) != 0)
			return -1;
		total = json_count(json_object_get(body, "total"));
		json_decref(body);
		n = json_array_size(items);
		rc = cb(arg, items);
		json_decref(items);
		if (rc != 0)
			return rc;
		collected += (long long)n;
		if (n == 0 || (total >= 0 && collected >= total) ||
		    (total < 0 && n < PAGE_SIZE))
			return 0;
	}
	tc_error_set(err, TC_E_BAD_RESPONSE, "list %s did not end after %d pages",
		     path, TC_MAX_PAGES);
	return -1;
}

/* plain_first: the first request carries no paging parameters (for lists
 * that are usually not paged); later pages send only pageToken. */
static int walk_token(tc_client *c, enum tc_family family, const char *path,
		      const char *query, const char *key, int plain_first,
		      tc_page_fn cb, void *arg, struct tc_error *err)
{
	json_t *seen = json_object();
	char *token = NULL;
	int result = -1;

	if (!seen)
		return nomem(err);
	for (int page = 0; page < TC_MAX_PAGES; page++) {
		char *extra = NULL, *p = NULL, *esc = NULL;
		json_t *body, *items, *next;
		int rc;

		if (token && !(esc = tc_escape(token)))
			goto oom;
		size_t n = 32 + (esc ? strlen(esc) : 0);
		if (!(extra = malloc(n))) {
			free(esc);
			goto oom;
		}
		if (plain_first)
			snprintf(extra, n, "%s%s", esc ? "pageToken=" : "", esc ? esc : "");
		else
			snprintf(extra, n, "pageSize=%d%s%s", PAGE_SIZE,
				 esc ? "&pageToken=" : "", esc ? esc : "");
		free(esc);
		p = page_path(path, query, extra);
		free(extra);
		if (!p)
			goto oom;
		if (fetch_page(c, family, p, key, &body, &items, err) != 0)
			goto out;
		rc = cb(arg, items);
		json_decref(items);
		if (rc != 0) {
			json_decref(body);
			result = rc;
			goto out;
		}
		next = json_object_get(body, "nextPageToken");
		if (!json_is_string(next) || !*json_string_value(next)) {
			json_decref(body);
			result = 0;
			goto out;
		}
		if (json_object_get(seen, json_string_value(next))) {
			tc_error_set(err, TC_E_BAD_RESPONSE, "list %s: the server "
				     "repeated a page token", path);
			snprintf(err->method, sizeof(err->method), "GET");
			tc_copy(err->path, sizeof(err->path), path);
			json_decref(body);
			goto out;
		}
		free(token);
		token = strdup(json_string_value(next));
		json_decref(body);
		if (!token || json_object_set_new(seen, token, json_true()) != 0)
			goto oom;
	}
	tc_error_set(err, TC_E_BAD_RESPONSE, "list %s did not end after %d pages",
		     path, TC_MAX_PAGES);
	goto out;
oom:
	nomem(err);
out:
	free(token);
	json_decref(seen);
	return result;
}

int tc_list_walk(tc_client *c, enum tc_family family, enum tc_paging style,
		 const char *path, const char *query, const char *key,
		 tc_page_fn cb, void *arg, struct tc_error *err)
{
	tc_error_clear(err);
	if (!c || !path || !key || !cb || (unsigned)family >= TC_FAMILY_COUNT) {
		tc_error_set(err, TC_E_INVALID, "invalid arguments to a list call");
		return -1;
	}
	switch (style) {
	case TC_PAGING_PAGE:
		return walk_v1beta(c, family, path, query, key, cb, arg, err);
	case TC_PAGING_TOKEN:
		return walk_token(c, family, path, query, key, 0, cb, arg, err);
	case TC_PAGING_TOKEN_PLAIN:
		return walk_token(c, family, path, query, key, 1, cb, arg, err);
	default:
		tc_error_set(err, TC_E_INVALID, "list %s has no paging style", path);
		return -1;
	}
}

/* The style the family uses for its lists (the old public interface). */
static enum tc_paging family_style(enum tc_family family)
{
	return family == TC_FAMILY_V1BETA ? TC_PAGING_PAGE : TC_PAGING_TOKEN;
}

int tc_list_each(tc_client *c, enum tc_family family, const char *path,
		 const char *query, const char *items_key, tc_page_fn page_cb,
		 void *arg, struct tc_error *err)
{
	return tc_list_walk(c, family, family_style(family), path, query,
			    items_key, page_cb, arg, err);
}

static int collect(void *arg, json_t *items)
{
	return json_array_extend(arg, items) == 0 ? 0 : TC_LIST_NOMEM;
}

int tc_list_all(tc_client *c, enum tc_family family, const char *path,
		const char *query, const char *items_key, json_t **out_items,
		struct tc_error *err)
{
	json_t *all = json_array();
	int rc;

	if (out_items)
		*out_items = NULL;
	if (!all) {
		tc_error_clear(err);
		return nomem(err);
	}
	rc = tc_list_each(c, family, path, query, items_key, collect, all, err);
	if (rc == TC_LIST_NOMEM)
		rc = nomem(err);
	if (rc != 0) {
		json_decref(all);
		return -1;
	}
	if (out_items)
		*out_items = all;
	else
		json_decref(all);
	return 0;
}
