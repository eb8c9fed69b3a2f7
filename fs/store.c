/* store.c — keyed text slots; see store.h. */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct item {
	struct item *next;
	char *key;
	char *text[TCFS_SLOT_COUNT];
	size_t len[TCFS_SLOT_COUNT];
	time_t mtime[TCFS_SLOT_COUNT];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct item *items;   /* guarded by lock */
static double ttl[TCFS_SLOT_COUNT];   /* guarded by lock; 0: none */

/* Zero a slot's text before it is freed (a secret never lingers in freed
 * memory). */
static void wipe_free(char *text, size_t len)
{
	if (text)
		explicit_bzero(text, len);
	free(text);
}

/* Caller holds lock: wipe the slot's text when it outlived the slot's ttl. */
static void expire_slot(struct item *it, enum tcfs_slot slot, time_t now)
{
	if (it->text[slot] && ttl[slot] > 0 &&
	    difftime(now, it->mtime[slot]) >= ttl[slot]) {
		wipe_free(it->text[slot], it->len[slot]);
		it->text[slot] = NULL;
		it->len[slot] = 0;
	}
}

/* Caller holds lock. */
static struct item *find(const char *key, int create)
{
	struct item *it;

	for (it = items; it; it = it->next)
		if (strcmp(it->key, key) == 0)
			return it;
	if (!create)
		return NULL;
	it = calloc(1, sizeof(*it));
	if (!it)
		return NULL;
	it->key = strdup(key);
	if (!it->key) {
		free(it);
		return NULL;
	}
	it->next = items;
	items = it;
	return it;
}

int tcfs_store_set(const char *dirkey, enum tcfs_slot slot, const char *text,
		   size_t len)
{
	char *copy = malloc(len + 1);
	struct item *it;

	if (!copy)
		return -ENOMEM;
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	pthread_mutex_lock(&lock);
	it = find(dirkey, 1);
	if (!it) {
		pthread_mutex_unlock(&lock);
		free(copy);
		return -ENOMEM;
	}
	wipe_free(it->text[slot], it->len[slot]);
	it->text[slot] = copy;
	it->len[slot] = len;
	it->mtime[slot] = time(NULL);
	pthread_mutex_unlock(&lock);
	return 0;
}

char *tcfs_store_get(const char *dirkey, enum tcfs_slot slot, size_t *len,
		     time_t *mtime)
{
	struct item *it;
	char *copy = NULL;

	*len = 0;
	if (mtime)
		*mtime = 0;
	pthread_mutex_lock(&lock);
	it = find(dirkey, 0);
	if (it)
		expire_slot(it, slot, time(NULL));
	if (it && it->text[slot]) {
		copy = malloc(it->len[slot] + 1);
		if (copy) {
			memcpy(copy, it->text[slot], it->len[slot] + 1);
			*len = it->len[slot];
			if (mtime)
				*mtime = it->mtime[slot];
		}
	}
	pthread_mutex_unlock(&lock);
	return copy;
}

int tcfs_store_has(const char *dirkey, enum tcfs_slot slot)
{
	struct item *it;
	int has;

	pthread_mutex_lock(&lock);
	it = find(dirkey, 0);
	if (it)
		expire_slot(it, slot, time(NULL));
	has = it && it->text[slot];
	pthread_mutex_unlock(&lock);
	return has;
}

void tcfs_store_clear(const char *dirkey, enum tcfs_slot slot)
{
	struct item *it;

	pthread_mutex_lock(&lock);
	it = find(dirkey, 0);
	if (it) {
		wipe_free(it->text[slot], it->len[slot]);
		it->text[slot] = NULL;
		it->len[slot] = 0;
	}
	pthread_mutex_unlock(&lock);
}

void tcfs_store_set_ttl(enum tcfs_slot slot, double seconds)
{
	pthread_mutex_lock(&lock);
	ttl[slot] = seconds > 0 ? seconds : 0;
	pthread_mutex_unlock(&lock);
}

void tcfs_store_expire(enum tcfs_slot slot)
{
	time_t now = time(NULL);

	pthread_mutex_lock(&lock);
	for (struct item *it = items; it; it = it->next)
		expire_slot(it, slot, now);
	pthread_mutex_unlock(&lock);
}

struct whiteout {
	struct whiteout *next;
	char *key;        /* dirkey "/" name */
	time_t expires;
};

static struct whiteout *whiteouts;   /* guarded by lock */

static char *wkey(const char *dirkey, const char *name)
{
	size_t a = strlen(dirkey), b = strlen(name);
	char *k = malloc(a + b + 2);

	if (k) {
		memcpy(k, dirkey, a);
		k[a] = '/';
		memcpy(k + a + 1, name, b + 1);
	}
	return k;
}

/* Caller holds lock: drop expired ones, return the link to `key` or NULL. */
static struct whiteout **wfind(const char *key)
{
	time_t now = time(NULL);

	for (struct whiteout **pp = &whiteouts; *pp;) {
		struct whiteout *w = *pp;

		if (w->expires <= now) {
			*pp = w->next;
			free(w->key);
			free(w);
			continue;
		}
		if (key && strcmp(w->key, key) == 0)
			return pp;
		pp = &w->next;
	}
	return NULL;
}

void tcfs_whiteout_set(const char *dirkey, const char *name)
{
	char *k = wkey(dirkey, name);
	struct whiteout **pp, *w;

	if (!k)
		return;
	pthread_mutex_lock(&lock);
	pp = wfind(k);
	if (pp) {
		(*pp)->expires = time(NULL) + TCFS_WHITEOUT_TTL;
		free(k);
	} else if ((w = calloc(1, sizeof(*w))) != NULL) {
		w->key = k;
		w->expires = time(NULL) + TCFS_WHITEOUT_TTL;
		w->next = whiteouts;
		whiteouts = w;
	} else {
		free(k);
	}
	pthread_mutex_unlock(&lock);
}

int tcfs_whiteout_has(const char *dirkey, const char *name)
{
	char *k = wkey(dirkey, name);
	int has;

	if (!k)
		return 0;
	pthread_mutex_lock(&lock);
	has = wfind(k) != NULL;
	pthread_mutex_unlock(&lock);
	free(k);
	return has;
}

void tcfs_whiteout_clear(const char *dirkey, const char *name)
{
	char *k = wkey(dirkey, name);
	struct whiteout **pp;

	if (!k)
		return;
	pthread_mutex_lock(&lock);
	pp = wfind(k);
	if (pp) {
		struct whiteout *w = *pp;

		*pp = w->next;
		free(w->key);
		free(w);
	}
	pthread_mutex_unlock(&lock);
	free(k);
}

void tcfs_store_free_all(void)
{
	pthread_mutex_lock(&lock);
	while (whiteouts) {
		struct whiteout *n = whiteouts->next;

		free(whiteouts->key);
		free(whiteouts);
		whiteouts = n;
	}
	while (items) {
		struct item *next = items->next;

		for (int s = 0; s < TCFS_SLOT_COUNT; s++)
			wipe_free(items->text[s], items->len[s]);
		free(items->key);
		free(items);
		items = next;
	}
	pthread_mutex_unlock(&lock);
}

void tcfs_rejected_key(const char *dirkey, const char *rejected_name,
		       char *out, size_t size)
{
	if (!rejected_name || strcmp(rejected_name, "spec.json.rejected") == 0)
		snprintf(out, size, "%s", dirkey);
	else
		snprintf(out, size, "%s|%s", rejected_name, dirkey);
}
