/*
 * content.c — the text of each fixed file, produced from the cache (fetching
 * when stale). getattr renders it for st_size; open renders it once into the
 * handle (the snapshot). Failures other than not-found are recorded in the
 * directory's .error and logged.
 */
#include "tcfs.h"
#include "store.h"
#include "spec.h"
#include "waitfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_text(const char *s, size_t *len)
{
	char *p = strdup(s);

	if (p)
		*len = strlen(p);
	return p;
}

static char *line_text(const char *s, size_t *len)
{
	size_t n = s ? strlen(s) : 0;
	char *p = malloc(n + 2);

	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\n';
	p[n + 1] = '\0';
	*len = n + 1;
	return p;
}

static char *orginfo(struct tcfs_org *org, size_t *len)
{
	struct tc_stats st;
	json_t *o = json_object(), *stats = json_object(), *rl = json_object();
	char oid[TCFS_ID_MAX];
	char *text;

	memset(&st, 0, sizeof(st));
	if (org->client)
		tc_client_stats(org->client, &st);
	pthread_mutex_lock(&org->lock);
	snprintf(oid, sizeof(oid), "%s", org->org_id);
	pthread_mutex_unlock(&org->lock);
	json_object_set_new(o, "name", json_string(org->name));
	json_object_set_new(o, "orgId", oid[0] ? json_string(oid) : json_null());
	json_object_set_new(o, "profile", org->profile[0] ?
			    json_string(org->profile) : json_null());
	json_object_set_new(stats, "requests", json_integer((json_int_t)st.requests));
	json_object_set_new(stats, "apiCalls", json_integer((json_int_t)st.api_calls));
	json_object_set_new(stats, "retries", json_integer((json_int_t)st.retries));
	json_object_set_new(stats, "throttledMs", json_integer((json_int_t)st.throttled_ms));
	json_object_set_new(rl, "limit", json_integer(st.ratelimit_limit));
	json_object_set_new(rl, "remaining", json_integer(st.ratelimit_remaining));
	json_object_set_new(rl, "reset", json_integer(st.ratelimit_reset_s));
	json_object_set_new(stats, "rateLimit", rl);
	json_object_set_new(o, "apiStats", stats);
	text = tcfs_render_json(o, len);
	json_decref(o);
	return text;
}

/* A field of the object (dotted path): a string as one line, anything
 * else as pretty JSON; absent: an empty line. */
static char *field_text(json_t *obj, const char *field, size_t *len)
{
	json_t *v = field ? tcfs_json_path_borrow(obj, field) : NULL;

	if (!v || json_is_string(v))
		return line_text(v ? json_string_value(v) : "", len);
	return tcfs_render_json(v, len);
}

static int failed(const struct tcfs_node *n, int r, const char *what,
		  const struct tc_error *err)
{
	if (r != -ENOENT) {
		char buf[900];

		tc_error_format(err, buf, sizeof(buf));
		tcfs_error_set(n, "%s: %s", what, buf);
	}
	return r;
}

int tcfs_content(const struct tcfs_node *n, char **text, size_t *len,
		 time_t *mtime)
{
	struct tcfs_org *org = tcfs_org_of(n);
	const struct tcfs_kind_desc *k = tcfs_kind(n->kind);
	const char *id = tcfs_node_id(n);
	char key[TCFS_KEY_MAX];
	struct tc_error err;
	json_t *obj = NULL;
	int r = 0;

	*text = NULL;
	*len = 0;
	*mtime = n->mtime ? n->mtime : (tcfs_g ? tcfs_g->opts.mount_time : 0);
	if (!org || n->what != TCFS_W_FILE || !n->file)
		return -ENOENT;
	tc_error_clear(&err);
	tcfs_node_dirkey(n, key, sizeof(key));

	switch (n->file->type) {
	case TCFS_F_STREAM:
		return -EFBIG;   /* never rendered whole: fs/stream.c */
	case TCFS_F_HOOK:
		if (!n->file->render)
			return -ENOENT;
		return n->file->render(n, text, len, mtime);
	case TCFS_F_FIELD:
		if (!id)
			return -ENOENT;
		r = tcfs_fetch_object_brief(org, n, &obj, &err);
		if (r != 0)
			return failed(n, r, "reading", &err);
		if (tcfs_object_mtime(n->kind, obj))
			*mtime = tcfs_object_mtime(n->kind, obj);
		*text = field_text(obj, n->file->field, len);
		json_decref(obj);
		break;
	case TCFS_F_CALL:
		r = tcfs_fetch_call(org, n, &n->file->call, &obj, &err);
		if (r != 0)
			return failed(n, r, "reading", &err);
		*text = n->file->field ? field_text(obj, n->file->field, len) :
			n->file->format ? n->file->format(obj, len) :
			tcfs_render_json(obj, len);
		json_decref(obj);
		break;
	case TCFS_F_OBJECT:
	case TCFS_F_SPEC:
	case TCFS_F_STATE:
		if (!id)
			return -ENOENT;
		r = n->file->type == TCFS_F_STATE ?
		    tcfs_fetch_object_brief(org, n, &obj, &err) :
		    tcfs_fetch_object(org, n, &obj, &err);
		if (r != 0)
			return failed(n, r, "reading", &err);
		if (tcfs_object_mtime(n->kind, obj))
			*mtime = tcfs_object_mtime(n->kind, obj);
		if (n->file->type == TCFS_F_OBJECT) {
			*text = tcfs_render_json(obj, len);
		} else if (n->file->type == TCFS_F_STATE) {
			*text = line_text(k->state_key ?
				tcfs_json_str_borrow(obj, k->state_key) : "", len);
		} else {
			json_t *spec = k->spec_from ? k->spec_from(obj) : NULL;

			if (!spec) {
				json_decref(obj);
				return -ENOENT;
			}
			*text = tcfs_render_json(spec, len);
			json_decref(spec);
		}
		json_decref(obj);
		break;
	case TCFS_F_SECRET:
		*text = tcfs_store_get(key, TCFS_SLOT_SECRET, len, mtime);
		if (!*text)
			return -ENOENT;
		break;
	case TCFS_F_REJECTED: {
		char rkey[TCFS_REJECTED_KEY_MAX];

		tcfs_rejected_key(key, n->file->name, rkey, sizeof(rkey));
		*text = tcfs_store_get(rkey, TCFS_SLOT_REJECTED, len, mtime);
		if (!*text)
			return -ENOENT;
		break;
	}
	case TCFS_F_ID:
		if (!id)
			return -ENOENT;
		*text = line_text(id, len);
		break;
	case TCFS_F_CTL: {
		const char *usages[TCFS_MAX_VERBS + 1];
		char buf[512] = "";
		size_t off = 0;

		tcfs_kind_verb_usages(n->kind, usages);
		for (const char *const *v = usages; *v; v++) {
			int w = snprintf(buf + off, sizeof(buf) - off, "%s\n", *v);

			if (w < 0 || (size_t)w >= sizeof(buf) - off)
				break;
			off += (size_t)w;
		}
		*text = dup_text(buf, len);
		break;
	}
	case TCFS_F_ERROR: {
		time_t t = 0;

		*text = tcfs_store_get(key, TCFS_SLOT_ERROR, len, &t);
		if (!*text)
			*text = dup_text("", len);
		else if (t)
			*mtime = t;
		break;
	}
	case TCFS_F_TEMPLATE: {
		time_t t = 0;

		*text = tcfs_template_text(n, len, &t);
		if (!*text)
			return -ENOENT;
		if (t)
			*mtime = t;
		break;
	}
	case TCFS_F_WAIT:
		return tcfs_wait_text(n, text, len);
	case TCFS_F_ORGINFO:
		*text = orginfo(org, len);
		break;
	case TCFS_F_LIST:
		r = tcfs_fetch_file_list(org, n->file, &obj, &err);
		if (r != 0)
			return failed(n, r, "reading", &err);
		*text = tcfs_render_json(obj, len);
		json_decref(obj);
		break;
	}
	return *text ? 0 : -ENOMEM;
}
