/*
 * export_files.c — reading an export's file (exports/<e>/files/<name>, a
 * TCFS_F_STREAM): each read(offset, size) is one ranged GET of the file's
 * presigned URL (tc_get_range), written straight into FUSE's buffer, so
 * the daemon holds no more than one read of it whatever the file's size.
 *
 * Presigned URLs are asked for with POST .../files:download, for the file
 * read and (in the same request) up to 99 of its siblings in the cached
 * listing, so `cp files/<all> dir/` costs one such call. They are kept here
 * (a small table, its own leaf lock, never held across a request) until
 * shortly before their expiry (TCFS_URL_MARGIN); a 403 from the storage host
 * (expired, or a signature it no longer takes) drops the URL and the read
 * is tried once more with a new one.
 */
#include "tcfs.h"
#include "family_exports.h"
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TCFS_URL_SLOTS  128
#define TCFS_URL_MARGIN 30     /* seconds before the expiry: not used
                                  (a quarter of a shorter lifetime) */
#define TCFS_URL_BATCH  100    /* fileNames of one files:download */

struct url_slot {
	char key[TCFS_KEY_MAX];
	char *url;
	time_t expires;
};

static pthread_mutex_t url_lock = PTHREAD_MUTEX_INITIALIZER;
static struct url_slot url_slots[TCFS_URL_SLOTS];

/* A query parameter's value (up to & or the end) into out; 0 when found. */
static int query_param(const char *url, const char *name, char *out,
		       size_t size)
{
	const char *q = strchr(url, '?');
	size_t nlen = strlen(name);

	while (q) {
		q++;
		if (strncmp(q, name, nlen) == 0 && q[nlen] == '=') {
			size_t n = strcspn(q + nlen + 1, "&#");

			if (n >= size)
				return -1;
			memcpy(out, q + nlen + 1, n);
			out[n] = '\0';
			return 0;
		}
		q = strchr(q, '&');
	}
	return -1;
}

time_t tcfs_presigned_expiry(const char *url, time_t now)
{
	char v[64], d[64];
	struct tm tm;

	if (query_param(url, "X-Emu-Expires", v, sizeof(v)) == 0 &&
	    strtoll(v, NULL, 10) > 0)
		return (time_t)strtoll(v, NULL, 10);
	if (query_param(url, "X-Amz-Expires", v, sizeof(v)) == 0 &&
	    query_param(url, "X-Amz-Date", d, sizeof(d)) == 0) {
		memset(&tm, 0, sizeof(tm));
		if (strptime(d, "%Y%m%dT%H%M%SZ", &tm))
			return timegm(&tm) + (time_t)strtoll(v, NULL, 10);
	}
	return now + 300;
}

static void file_key(const struct tcfs_node *n, const char *name, char *key,
		     size_t size)
{
	struct tcfs_node f = *n;

	snprintf(f.ids[f.nids - 1], TCFS_ID_MAX, "%s", name);
	tcfs_node_dirkey(&f, key, size);
}

/* The cached URL of key (malloc'd copy), or NULL. */
static char *url_get(const char *key)
{
	time_t now = time(NULL);
	char *url = NULL;

	pthread_mutex_lock(&url_lock);
	for (size_t i = 0; i < TCFS_URL_SLOTS; i++)
		if (url_slots[i].url && strcmp(url_slots[i].key, key) == 0 &&
		    now < url_slots[i].expires) {
			url = strdup(url_slots[i].url);
			break;
		}
	pthread_mutex_unlock(&url_lock);
	return url;
}

/* Keep url for key: its slot, a free or expired one, or the soonest to
 * expire. */
static void url_put(const char *key, const char *url, time_t expires)
{
	size_t pick = 0;
	char *copy = strdup(url);

	if (!copy)
		return;
	pthread_mutex_lock(&url_lock);
	for (size_t i = 0; i < TCFS_URL_SLOTS; i++) {
		if (url_slots[i].url && strcmp(url_slots[i].key, key) == 0) {
			pick = i;
			break;
		}
		if (!url_slots[i].url ||
		    (url_slots[pick].url &&
		     url_slots[i].expires < url_slots[pick].expires))
			pick = i;
	}
	free(url_slots[pick].url);
	snprintf(url_slots[pick].key, sizeof(url_slots[pick].key), "%s", key);
	url_slots[pick].url = copy;
	url_slots[pick].expires = expires;
	pthread_mutex_unlock(&url_lock);
}

static void url_drop(const char *key)
{
	pthread_mutex_lock(&url_lock);
	for (size_t i = 0; i < TCFS_URL_SLOTS; i++)
		if (url_slots[i].url && strcmp(url_slots[i].key, key) == 0) {
			free(url_slots[i].url);
			url_slots[i].url = NULL;
		}
	pthread_mutex_unlock(&url_lock);
}

/* fileNames: the file, then up to TCFS_URL_BATCH - 1 siblings of the
 * cached listing whose URL is not kept. */
static json_t *batch_names(struct tcfs_org *org, const struct tcfs_node *n)
{
	json_t *names = json_array(), *items = NULL, *it;
	struct tcfs_node coll;
	struct tc_error err;
	const char *self = tcfs_node_id(n);
	size_t i;

	json_array_append_new(names, json_string(self));
	tcfs_node_parent_coll(n, &coll);
	tc_error_clear(&err);
	if (tcfs_fetch_list(org, TCFS_K_EXPORT_FILE, &coll, &items, &err) != 0)
		return names;
	json_array_foreach(items, i, it) {
		const char *name = tcfs_json_str_borrow(it, "name");
		char key[TCFS_KEY_MAX], *cached;

		if (json_array_size(names) >= TCFS_URL_BATCH)
			break;
		if (!name || strcmp(name, self) == 0)
			continue;
		file_key(n, name, key, sizeof(key));
		cached = url_get(key);
		if (!cached)
			json_array_append_new(names, json_string(name));
		free(cached);
	}
	json_decref(items);
	return names;
}

static const struct tcfs_call download_call =
	TCFS_CALL(tc_desc_export_files_download, 1, 2);

/* A presigned URL of file n (malloc'd), asking the API when none is kept
 * (or `fresh`). NULL with -errno in *r (.error of files/ set). */
static char *file_url(struct tcfs_org *org, const struct tcfs_node *n,
		      const struct tcfs_node *coll, int fresh, int *r)
{
	char key[TCFS_KEY_MAX], *url;
	json_t *body, *out = NULL, *f;
	struct tc_error err;
	time_t now = time(NULL);
	size_t i;

	*r = 0;
	tcfs_node_dirkey(n, key, sizeof(key));
	if (!fresh && (url = url_get(key)))
		return url;
	body = json_pack("{s:o}", "fileNames", batch_names(org, n));
	tc_error_clear(&err);
	*r = tcfs_call_one(org, &download_call, n, NULL, body, &out, &err);
	json_decref(body);
	if (*r != 0) {
		*r = tcfs_error_api(coll, "asking for the download URL of "
				    "an export file", &err, 0);
		return NULL;
	}
	url = NULL;
	json_array_foreach(json_object_get(out, "files"), i, f) {
		const char *name = tcfs_json_str_borrow(f, "name");
		const char *u = tcfs_json_str_borrow(f, "url");
		char k[TCFS_KEY_MAX];
		time_t exp, margin;

		if (!name || !u)
			continue;
		exp = tcfs_presigned_expiry(u, now);
		margin = (exp - now) / 4 < TCFS_URL_MARGIN ? (exp - now) / 4
							   : TCFS_URL_MARGIN;
		file_key(n, name, k, sizeof(k));
		url_put(k, u, exp - (margin > 0 ? margin : 0));
		if (!url && strcmp(name, tcfs_node_id(n)) == 0)
			url = strdup(u);   /* used now, however short its life */
	}
	json_decref(out);
	if (!url) {
		tcfs_error_set(coll, "files:download gave no usable URL for %s",
			       tcfs_node_id(n));
		*r = -EIO;
	}
	return url;
}

static long export_file_read(struct tcfs_org *org, const struct tcfs_node *n,
			     json_t *obj, char *buf, size_t size, long long off)
{
	struct tcfs_node coll;
	char key[TCFS_KEY_MAX];

	(void)obj;
	tcfs_node_parent_coll(n, &coll);
	tcfs_node_dirkey(n, key, sizeof(key));
	for (int attempt = 0; attempt < 2; attempt++) {
		struct tc_error err;
		size_t got = 0;
		long status = 0;
		int r;
		char *url = file_url(org, n, &coll, attempt > 0, &r);

		if (!url)
			return r;
		tc_error_clear(&err);
		r = tc_get_range(org->client, url, off, buf, size, &got,
				 &status, &err);
		free(url);
		if (r != 0)
			return tcfs_error_api(&coll, "downloading an export file",
					      &err, 0);
		if (status == 200 || status == 206)
			return (long)got;
		if (status == 416)
			return 0;
		if (status == 403) {
			url_drop(key);   /* expired: ask for a new URL */
			continue;
		}
		tcfs_error_set(&coll, "downloading %s: the storage host "
			       "answered HTTP %ld", tcfs_node_id(n), status);
		return status == 404 ? -ENOENT : -EIO;
	}
	tcfs_error_set(&coll, "downloading %s: the storage host refused a "
		       "fresh presigned URL (HTTP 403)", tcfs_node_id(n));
	return -EACCES;
}

static long long export_file_size(json_t *obj)
{
	json_t *v = json_object_get(obj, "size");

	if (json_is_integer(v))
		return (long long)json_integer_value(v);
	if (json_is_string(v))     /* int64 as a JSON string */
		return strtoll(json_string_value(v), NULL, 10);
	return -1;
}

const struct tcfs_stream tcfs_export_file_stream = {
	.size = export_file_size,
	.read = export_file_read,
};
