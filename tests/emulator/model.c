/* model.c — projects, clusters, seed loading, state timers (model.h). */
#include "model.h"
#include "auth.h"
#include "emu.h"
#include "modules.h"
#include "seed.h"
#include "store.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guards everything below (the whole model). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static char org_id[32] = "1372813089187041280";
static struct emu_project **projects;
static size_t nprojects, cap_projects;
static struct emu_cluster **clusters;
static size_t nclusters, cap_clusters;
static uint64_t next_project_id = 1372813089190000001ULL;
static uint64_t next_cluster_id = 10058425682285000001ULL;
/* Creation time of seeded clusters (2024-01-15T08:00:00Z). */
static const time_t seed_time = 1705305600;

void emu_model_lock(void) { pthread_mutex_lock(&lock); }
void emu_model_unlock(void) { pthread_mutex_unlock(&lock); }

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fprintf(stderr, "tidbcloud-emulator: out of memory\n");
		abort();
	}
	return q;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

const char *emu_model_org_id(void) { return org_id; }

/* ---- projects ---- */

size_t emu_model_project_count(void) { return nprojects; }
struct emu_project *emu_model_project_at(size_t i)
{
	return i < nprojects ? projects[i] : NULL;
}

struct emu_project *emu_model_project_find(const char *id)
{
	for (size_t i = 0; id && i < nprojects; i++)
		if (strcmp(projects[i]->id, id) == 0)
			return projects[i];
	return NULL;
}

static struct emu_project *project_push(const char *id, const char *name,
					const char *ts, bool cmek,
					const char *type, long users)
{
	struct emu_project *p = xrealloc(NULL, sizeof(*p));

	memset(p, 0, sizeof(*p));
	snprintf(p->id, sizeof(p->id), "%s", id);
	p->name = xstrdup(name);
	snprintf(p->create_ts, sizeof(p->create_ts), "%s", ts);
	p->aws_cmek_enabled = cmek;
	snprintf(p->type, sizeof(p->type), "%s", type ? type : "dedicated");
	p->user_count = users;
	if (nprojects == cap_projects) {
		cap_projects = cap_projects ? 2 * cap_projects : 16;
		projects = xrealloc(projects, cap_projects * sizeof(*projects));
	}
	projects[nprojects++] = p;
	return p;
}

struct emu_project *emu_model_project_add(const char *name, bool cmek,
					  const char *type)
{
	char id[32], ts[24];

	do
		snprintf(id, sizeof(id), "%" PRIu64, next_project_id++);
	while (emu_model_project_find(id));
	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	return project_push(id, name, ts, cmek, type, 1);
}

size_t emu_model_project_cluster_count(const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < nclusters; i++)
		if (strcmp(emu_cluster_project(clusters[i]), id) == 0)
			n++;
	return n;
}

/* ---- clusters ---- */

size_t emu_model_cluster_count(void) { return nclusters; }
struct emu_cluster *emu_model_cluster_at(size_t i)
{
	return i < nclusters ? clusters[i] : NULL;
}

static struct emu_cluster *cluster_by_id(const char *id)
{
	for (size_t i = 0; id && i < nclusters; i++)
		if (strcmp(clusters[i]->id, id) == 0)
			return clusters[i];
	return NULL;
}

struct emu_cluster *emu_model_cluster_find(const char *id, bool dedicated)
{
	struct emu_cluster *c = cluster_by_id(id);
	if (!c || (c->kind == EMU_KIND_DEDICATED) != dedicated)
		return NULL;
	return c;
}

struct emu_cluster *emu_model_cluster_add(enum emu_kind kind, json_t *obj)
{
	struct emu_cluster *c = xrealloc(NULL, sizeof(*c));

	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s",
		 json_string_value(json_object_get(obj, "clusterId")));
	c->kind = kind;
	c->obj = obj;
	json_object_del(obj, "rootPassword");
	if (nclusters == cap_clusters) {
		cap_clusters = cap_clusters ? 2 * cap_clusters : 64;
		clusters = xrealloc(clusters, cap_clusters * sizeof(*clusters));
	}
	clusters[nclusters++] = c;
	return c;
}

void emu_model_new_cluster_id(char out[32])
{
	do
		snprintf(out, 32, "%" PRIu64, next_cluster_id++);
	while (cluster_by_id(out));
}

static void cluster_free(struct emu_cluster *c)
{
	json_decref(c->obj);
	free(c);
}

const char *emu_cluster_project(const struct emu_cluster *c)
{
	const char *p = json_string_value(json_object_get(
		json_object_get(c->obj, "labels"), "tidb.cloud/project"));
	return p ? p : "";
}

const char *emu_cluster_state(const struct emu_cluster *c)
{
	const char *s = json_string_value(json_object_get(c->obj, "state"));
	return s ? s : "";
}

void emu_cluster_set_state(struct emu_cluster *c, const char *state)
{
	c->deadline_ms = 0;
	c->next_state[0] = '\0';
	json_object_set_new(c->obj, "state", json_string(state));
	if (c->kind == EMU_KIND_DEDICATED)
		emu_object_dedicated_sync_groups(c->obj);
}

static void transition_for(struct emu_cluster *c, const char *transitional,
			   const char *final, long ms)
{
	emu_cluster_set_state(c, transitional);
	c->deadline_ms = emu_now_ms() + (ms > 0 ? ms : 0);
	if (c->deadline_ms == 0)
		c->deadline_ms = 1;
	snprintf(c->next_state, sizeof(c->next_state), "%s", final ? final : "");
}

void emu_cluster_transition(struct emu_cluster *c, const char *transitional,
			    const char *final)
{
	transition_for(c, transitional, final, emu_cfg.transition_ms);
}

void emu_cluster_touch(struct emu_cluster *c)
{
	char ts[32];
	emu_rfc3339(ts, time(NULL));
	json_object_set_new(c->obj, "updateTime", json_string(ts));
}

/* Final state of a transitional state; NULL = removal; "" = not
 * transitional. *slow: one of the states the service ends on its own
 * schedule (an upgrade, an import, a maintenance window), which last
 * --long-transition-ms. */
static const char *final_state(const char *state, bool *slow)
{
	static const char *const map[][2] = {
		{ "CREATING", "ACTIVE" },   { "MODIFYING", "ACTIVE" },
		{ "PAUSING", "PAUSED" },    { "RESUMING", "ACTIVE" },
		{ "RESTORING", "ACTIVE" },  { "DELETING", NULL },
		{ "UPGRADING", "ACTIVE" },  { "IMPORTING", "ACTIVE" },
		{ "MAINTENANCE", "ACTIVE" }, { "MAINTAINING", "ACTIVE" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], state) == 0) {
			*slow = i >= 6;
			return map[i][1];
		}
	*slow = false;
	return "";
}

void emu_model_advance(void)
{
	int64_t now = emu_now_ms();
	size_t out = 0;

	emu_store_advance();
	for (size_t i = 0; i < nclusters; i++) {
		struct emu_cluster *c = clusters[i];
		if (c->deadline_ms > 0 && now >= c->deadline_ms) {
			if (c->next_state[0] == '\0') {
				cluster_free(c);
				continue;
			}
			char next[16];
			memcpy(next, c->next_state, sizeof(next));
			emu_cluster_set_state(c, next);
			emu_cluster_touch(c);
		}
		clusters[out++] = c;
	}
	nclusters = out;
}

/* ---- seed ---- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int load_project(json_t *p, size_t i, char *err, size_t errlen)
{
	const char *id = json_string_value(json_object_get(p, "id"));
	const char *name = json_string_value(json_object_get(p, "name"));
	json_t *ts = json_object_get(p, "create_timestamp");
	json_t *type = json_object_get(p, "type");
	json_t *users;
	char tsbuf[24] = "1656991448";

	if (!json_is_object(p) || !id || !*id || !name)
		return fail(err, errlen,
			    "projects[%zu]: \"id\" and \"name\" (strings) are required", i);
	if (emu_model_project_find(id))
		return fail(err, errlen, "projects[%zu]: duplicate id %s", i, id);
	if (json_is_string(ts))
		snprintf(tsbuf, sizeof(tsbuf), "%s", json_string_value(ts));
	else if (json_is_integer(ts))
		snprintf(tsbuf, sizeof(tsbuf), "%lld",
			 (long long)json_integer_value(ts));
	users = json_object_get(p, "user_count");
	if (users && !(json_is_integer(users) && json_integer_value(users) >= 0))
		return fail(err, errlen, "projects[%zu]: \"user_count\" must be "
			    "a non-negative integer", i);
	project_push(id, name, tsbuf,
		     json_is_true(json_object_get(p, "aws_cmek_enabled")),
		     json_is_string(type) ? json_string_value(type) : NULL,
		     users ? (long)json_integer_value(users) : 1);
	return 0;
}

static int load_cluster(json_t *s, size_t i, char *err, size_t errlen)
{
	const char *kind = json_string_value(json_object_get(s, "kind"));
	const char *id = json_string_value(json_object_get(s, "clusterId"));
	const char *dn = json_string_value(json_object_get(s, "displayName"));
	const char *pid = json_string_value(json_object_get(s, "projectId"));
	const char *rid = json_string_value(json_object_get(s, "regionId"));
	const char *state = json_string_value(json_object_get(s, "state"));
	const struct emu_region *region;
	enum emu_kind k;
	json_t *obj, *extra;

	bool verbatim = json_is_true(json_object_get(s, "verbatim"));

	if (verbatim && !pid)   /* a real body names its project in a label */
		pid = json_string_value(json_object_get(
			json_object_get(s, "labels"), "tidb.cloud/project"));
	if (!json_is_object(s) || !kind || !id || !*id || !dn || !pid)
		return fail(err, errlen, "clusters[%zu]: \"kind\", \"clusterId\", "
			    "\"displayName\" and \"projectId\" (strings) are required", i);
	if (strcmp(kind, "starter") == 0)
		k = EMU_KIND_STARTER;
	else if (strcmp(kind, "essential") == 0)
		k = EMU_KIND_ESSENTIAL;
	else if (strcmp(kind, "dedicated") == 0)
		k = EMU_KIND_DEDICATED;
	else
		return fail(err, errlen, "clusters[%zu]: unknown kind \"%s\"", i, kind);
	if (strlen(id) >= sizeof(((struct emu_cluster *)0)->id) || cluster_by_id(id))
		return fail(err, errlen, "clusters[%zu]: bad or duplicate clusterId %s", i, id);
	if (!emu_model_project_find(pid))
		return fail(err, errlen, "clusters[%zu]: unknown projectId %s", i, pid);
	if (!state)
		state = "ACTIVE";
	if (verbatim) {
		/* As the API returned it: nothing generated, nothing added
		 * (the seed's own keys "kind", "verbatim", "projectId" aside). */
		obj = json_deep_copy(s);
		json_object_del(obj, "kind");
		json_object_del(obj, "verbatim");
		json_object_del(obj, "projectId");
		json_object_del(obj, "rootPassword");
		if (!json_is_object(json_object_get(obj, "labels")))
			json_object_set_new(obj, "labels", json_object());
		json_object_set_new(json_object_get(obj, "labels"),
				    "tidb.cloud/project", json_string(pid));
		json_object_set_new(obj, "state", json_string(state));
		goto add;
	}
	region = emu_region_find(rid ? rid : "aws-us-east-1");
	if (!region || !(k == EMU_KIND_DEDICATED ? region->dedicated : region->serverless))
		return fail(err, errlen, "clusters[%zu]: unknown regionId %s", i, rid);

	if (k == EMU_KIND_DEDICATED)
		obj = emu_object_dedicated(id, dn, pid, region, state, seed_time);
	else
		obj = emu_object_serverless(k, id, dn, pid, region, state, seed_time);
	/* Any other API field is merged over the generated object. */
	extra = json_deep_copy(s);
	json_object_del(extra, "kind");
	json_object_del(extra, "projectId");
	json_object_del(extra, "rootPassword");
	if (k != EMU_KIND_DEDICATED)
		json_object_del(extra, "regionId");
	json_object_update_recursive(obj, extra);
	json_decref(extra);
	json_object_set_new(json_object_get(obj, "labels"), "tidb.cloud/project",
			    json_string(pid));
add:;
	struct emu_cluster *c = emu_model_cluster_add(k, obj);
	bool slow;
	const char *fin = final_state(state, &slow);
	json_t *keep = NULL;

	/* the seeded node group states stay as seeded (a group may be
	 * MODIFYING in an ACTIVE cluster) */
	if (k == EMU_KIND_DEDICATED)
		keep = json_deep_copy(json_object_get(obj, "tidbNodeSetting"));
	if (!fin || *fin)
		transition_for(c, state, fin, slow ? emu_cfg.long_transition_ms
					     : emu_cfg.transition_ms);
	if (keep)
		json_object_set_new(c->obj, "tidbNodeSetting", keep);
	return 0;
}

int emu_model_load(const char *seed_file, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *seed, *v;
	size_t i;
	int rc = 0;

	seed = seed_file ? json_load_file(seed_file, 0, &jerr)
			 : json_loads(emu_default_seed, 0, &jerr);
	if (!seed)
		return fail(err, errlen, "%s:%d: %s",
			    seed_file ? seed_file : "(default seed)", jerr.line,
			    jerr.text);
	if (!json_is_object(seed)) {
		json_decref(seed);
		return fail(err, errlen, "the seed must be a JSON object");
	}
	v = json_object_get(seed, "org_id");
	if (json_is_string(v))
		snprintf(org_id, sizeof(org_id), "%s", json_string_value(v));
	v = json_object_get(seed, "projects");
	if (!json_is_array(v) || json_array_size(v) == 0)
		rc = fail(err, errlen, "\"projects\" must be a non-empty array");
	for (i = 0; rc == 0 && i < json_array_size(v); i++)
		rc = load_project(json_array_get(v, i), i, err, errlen);
	v = json_object_get(seed, "clusters");
	if (rc == 0 && v && !json_is_array(v))
		rc = fail(err, errlen, "\"clusters\" must be an array");
	for (i = 0; rc == 0 && i < json_array_size(v); i++)
		rc = load_cluster(json_array_get(v, i), i, err, errlen);
	if (rc == 0)
		rc = emu_modules_seed(seed, err, errlen);
	json_decref(seed);
	return rc;
}

void emu_model_free(void)
{
	emu_store_free();
	emu_auth_keys_reset();
	for (size_t i = 0; i < nprojects; i++) {
		free(projects[i]->name);
		free(projects[i]);
	}
	for (size_t i = 0; i < nclusters; i++)
		cluster_free(clusters[i]);
	free(projects);
	free(clusters);
	projects = NULL;
	clusters = NULL;
	nprojects = nclusters = cap_projects = cap_clusters = 0;
}
