/*
 * seed.c — fills a running tidbcloud-emulator THROUGH THE API for the
 * benchmark (bench/run), with the client library and a few threads.
 *
 * Usage: bench-seed CONNECT_TO CACERT BIG SMALL FAMILIES THREADS MANIFEST
 *   keys from TIDBCLOUD_PUBLIC_KEY / TIDBCLOUD_PRIVATE_KEY.
 *
 * The emulator starts from bench's minimal seed file: the organization and
 * project "archive" with one Starter cluster "archive-000", which holds what
 * the API cannot create (a 200 MB export file and Starter backups: POST
 * makes 3 MiB exports, and Starter backups have no POST). This program then
 * creates, with POSTs:
 *   - projects "big", "web", "data", "ops" (5 with "archive");
 *   - BIG clusters in "big" (Starter, Essential, Dedicated in turn) and
 *     SMALL in each other project (SMALL - 1 in "archive");
 *   - in the first FAMILIES clusters of "big": Starter/Essential: 2 branches,
 *     1 LOCAL CSV export (with files), 1 S3 import, 2 SQL users; Dedicated:
 *     2 backups (once ACTIVE), 1 S3 import, 2 SQL users.
 * MANIFEST receives {"projects": {name: id}, "family_clusters": [ids],
 * "requests": N, "seconds": S}. Exit 0 when every POST succeeded.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tidbcloud.h"

#define NPROJ 5
static const char *const proj_names[NPROJ] = { "big", "web", "data", "ops", "archive" };

struct job {
	int project;          /* index into proj_names */
	int kind;             /* 0 Starter, 1 Essential, 2 Dedicated */
	char name[32];
	char id[64];          /* filled on success */
};

static tc_client *client;
static char proj_ids[NPROJ][64];
static struct job *jobs;
static int njobs, nfam;
static atomic_int next_job, failures;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int call(enum tc_family fam, const char *method, const char *path,
		json_t *body, json_t **out)
{
	struct tc_error err;
	char line[600];

	if (tc_request(client, fam, method, path, body, out, &err) == 0)
		return 0;
	fprintf(stderr, "bench-seed: %s %s: %s\n", method, path,
		tc_error_format(&err, line, sizeof(line)));
	atomic_fetch_add(&failures, 1);
	return -1;
}

static json_t *cluster_body(const struct job *j)
{
	const char *pid = proj_ids[j->project];

	if (j->kind == 2)
		return json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:[{s:i}]},"
				 " s:{s:s, s:i, s:i}, s:i, s:s}",
				 "displayName", j->name, "regionId", "aws-us-east-1",
				 "labels", "tidb.cloud/project", pid,
				 "tidbNodeSetting", "nodeSpecKey", "8C16G",
				 "tidbNodeGroups", "nodeCount", 2,
				 "tikvNodeSetting", "nodeSpecKey", "8C32G",
				 "nodeCount", 3, "storageSizeGi", 500,
				 "port", 4000, "rootPassword", "a-Secret-pass-123");
	json_t *b = json_pack("{s:s, s:{s:s}, s:{s:s}}", "displayName", j->name,
			      "region", "name", "regions/aws-us-east-1",
			      "labels", "tidb.cloud/project", pid);
	if (j->kind == 1)
		json_object_set_new(b, "autoScaling",
				    json_pack("{s:i, s:i}", "minRcu", 2000, "maxRcu", 4000));
	else
		json_object_set_new(b, "spendingLimit", json_pack("{s:i}", "monthly", 0));
	return b;
}

static void create_cluster(struct job *j)
{
	json_t *b = cluster_body(j), *out = NULL;
	enum tc_family fam = j->kind == 2 ? TC_FAMILY_DEDICATED : TC_FAMILY_SERVERLESS;

	if (b && call(fam, "POST", "/clusters", b, &out) == 0) {
		const char *id = json_string_value(json_object_get(out, "clusterId"));
		snprintf(j->id, sizeof(j->id), "%s", id ? id : "");
	}
	json_decref(b);
	json_decref(out);
}

static int post(enum tc_family fam, const char *path, const char *text)
{
	json_error_t jerr;
	json_t *b = json_loads(text, 0, &jerr), *out = NULL;
	int rc = b ? call(fam, "POST", path, b, &out) : -1;

	json_decref(b);
	json_decref(out);
	return rc;
}

/* Wait (up to 20 s) until a cluster leaves CREATING. */
static void wait_active(const struct job *j)
{
	enum tc_family fam = j->kind == 2 ? TC_FAMILY_DEDICATED : TC_FAMILY_SERVERLESS;
	char path[128];

	snprintf(path, sizeof(path), "/clusters/%s", j->id);
	for (int i = 0; i < 200; i++) {
		json_t *out = NULL;
		if (call(fam, "GET", path, NULL, &out) != 0)
			return;
		int done = strcmp(json_string_value(json_object_get(out, "state"))
				  ? json_string_value(json_object_get(out, "state")) : "",
				  "ACTIVE") == 0;
		json_decref(out);
		if (done)
			return;
		usleep(100 * 1000);
	}
}

static void families(const struct job *j, int n)
{
	char path[160], body[600];
	const char *s3 = "\"source\":{\"type\":\"S3\",\"s3\":{\"uri\":\"s3://bench/data/\","
			 "\"authType\":\"ACCESS_KEY\",\"accessKey\":{\"id\":\"AK\",\"secret\":\"SK\"}}}";

	if (!j->id[0])
		return;
	wait_active(j);
	if (j->kind == 2) {
		snprintf(path, sizeof(path), "/projects/%s/clusters/%s/backups",
			 proj_ids[j->project], j->id);
		for (int i = 0; i < 2; i++) {
			snprintf(body, sizeof(body), "{\"name\":\"bench-%d-%d\"}", n, i);
			post(TC_FAMILY_V1BETA, path, body);
		}
		snprintf(path, sizeof(path), "/clusters/%s/imports", j->id);
		snprintf(body, sizeof(body), "{\"creationDetails\":{\"importOptions\":"
			 "{\"fileType\":\"CSV\"},%s}}", s3);
		post(TC_FAMILY_DEDICATED, path, body);
	} else {
		snprintf(path, sizeof(path), "/clusters/%s/branches", j->id);
		for (int i = 0; i < 2; i++) {
			snprintf(body, sizeof(body), "{\"displayName\":\"br-%d\"}", i);
			post(TC_FAMILY_SERVERLESS, path, body);
		}
		snprintf(path, sizeof(path), "/clusters/%s/exports", j->id);
		post(TC_FAMILY_SERVERLESS, path, "{\"exportOptions\":{\"fileType\":\"CSV\","
		     "\"compression\":\"NONE\"},\"target\":{\"type\":\"LOCAL\"}}");
		snprintf(path, sizeof(path), "/clusters/%s/imports", j->id);
		snprintf(body, sizeof(body), "{\"importOptions\":{\"fileType\":\"CSV\"},%s}", s3);
		post(TC_FAMILY_SERVERLESS, path, body);
	}
	snprintf(path, sizeof(path), "/clusters/%s/sqlUsers", j->id);
	for (int i = 0; i < 2; i++) {
		snprintf(body, sizeof(body), "{\"userName\":\"bench%d\",\"autoPrefix\":true,"
			 "\"password\":\"Str0ng-pass-word\",\"builtinRole\":\"%s\"}",
			 i, i ? "role_readonly" : "role_readwrite");
		post(TC_FAMILY_IAM, path, body);
	}
}

static void *worker(void *arg)
{
	int phase = *(int *)arg, i;

	while ((i = atomic_fetch_add(&next_job, 1)) < (phase ? nfam : njobs)) {
		if (phase)
			families(&jobs[i], i);
		else
			create_cluster(&jobs[i]);
	}
	return NULL;
}

static void run_phase(int phase, int threads)
{
	pthread_t th[64];

	atomic_store(&next_job, 0);
	for (int t = 0; t < threads; t++)
		pthread_create(&th[t], NULL, worker, &phase);
	for (int t = 0; t < threads; t++)
		pthread_join(th[t], NULL);
}

static int projects(void)
{
	json_t *items = NULL, *it;
	struct tc_error err;
	char line[600];
	size_t i;

	if (tc_projects_list(client, &items, &err) != 0) {
		fprintf(stderr, "bench-seed: %s\n", tc_error_format(&err, line, sizeof(line)));
		return -1;
	}
	for (int p = 0; p < NPROJ; p++) {
		json_array_foreach(items, i, it) {
			if (strcmp(json_string_value(json_object_get(it, "name")) ?
				   json_string_value(json_object_get(it, "name")) : "",
				   proj_names[p]) == 0)
				snprintf(proj_ids[p], 64, "%s",
					 json_string_value(json_object_get(it, "id")));
		}
		if (!proj_ids[p][0]) {
			json_t *b = json_pack("{s:s}", "name", proj_names[p]), *out = NULL;
			if (call(TC_FAMILY_V1BETA, "POST", "/projects", b, &out) == 0)
				snprintf(proj_ids[p], 64, "%s",
					 json_string_value(json_object_get(out, "id")) ?
					 json_string_value(json_object_get(out, "id")) : "");
			json_decref(b);
			json_decref(out);
			if (!proj_ids[p][0])
				return -1;
		}
	}
	json_decref(items);
	return 0;
}

int main(int argc, char **argv)
{
	struct tc_config cfg = { 0 };
	struct tc_stats st;
	struct tc_error err;
	double t0 = now_s();

	if (argc != 8) {
		fprintf(stderr, "usage: bench-seed CONNECT_TO CACERT BIG SMALL FAMILIES "
			"THREADS MANIFEST\n");
		return 2;
	}
	int big = atoi(argv[3]), small = atoi(argv[4]), threads = atoi(argv[6]);
	nfam = atoi(argv[5]);
	if (threads < 1 || threads > 64 || big < nfam || small < 1)
		return 2;
	cfg.public_key = getenv("TIDBCLOUD_PUBLIC_KEY");
	cfg.private_key = getenv("TIDBCLOUD_PRIVATE_KEY");
	cfg.connect_to = argv[1];
	cfg.cacert = argv[2];
	if (!(client = tc_client_new(&cfg, &err))) {
		fprintf(stderr, "bench-seed: %s\n", err.message);
		return 1;
	}
	if (projects() != 0)
		return 1;
	jobs = calloc((size_t)(big + 4 * small), sizeof(*jobs));
	if (!jobs)
		return 1;
	for (int i = 0; i < big; i++, njobs++) {
		jobs[njobs].project = 0;
		jobs[njobs].kind = i % 3;
		snprintf(jobs[njobs].name, sizeof(jobs[njobs].name), "big-%04d", i + 1);
	}
	for (int p = 1; p < NPROJ; p++)
		for (int i = p == NPROJ - 1 ? 1 : 0; i < small; i++, njobs++) {
			jobs[njobs].project = p;
			jobs[njobs].kind = i % 3;
			snprintf(jobs[njobs].name, sizeof(jobs[njobs].name), "%s-%03d",
				 proj_names[p], i);
		}
	run_phase(0, threads);
	run_phase(1, threads);

	tc_client_stats(client, &st);
	json_t *m = json_object(), *pj = json_object(), *fam = json_array();
	for (int p = 0; p < NPROJ; p++)
		json_object_set_new(pj, proj_names[p], json_string(proj_ids[p]));
	for (int i = 0; i < nfam; i++)
		json_array_append_new(fam, json_string(jobs[i].id));
	json_object_set_new(m, "projects", pj);
	json_object_set_new(m, "family_clusters", fam);
	json_object_set_new(m, "clusters_created", json_integer(njobs));
	json_object_set_new(m, "requests", json_integer((json_int_t)st.requests));
	json_object_set_new(m, "seconds", json_real(now_s() - t0));
	json_object_set_new(m, "failures", json_integer(atomic_load(&failures)));
	int rc = json_dump_file(m, argv[7], JSON_INDENT(1)) == 0 && !atomic_load(&failures) ? 0 : 1;
	json_decref(m);
	free(jobs);
	tc_client_free(client);
	return rc;
}
