/*
 * resources.c — the resource calls the filesystem uses, as thin wrappers.
 * Calls on one resource id are rows of `id_calls`; lists are rows of
 * `lists`. Adding a family's call means adding a row and a two-line wrapper.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_internal.h"

enum id_call {
	SL_GET, SL_UPDATE, SL_DELETE,
	DED_GET, DED_UPDATE, DED_DELETE, DED_PAUSE, DED_RESUME,
};

static const struct {
	enum tc_family family;
	const char *method;
	const char *prefix;      /* before the escaped id */
	const char *suffix;      /* after it */
} id_calls[] = {
	[SL_GET]     = { TC_FAMILY_SERVERLESS, "GET",    "/clusters/", "?view=FULL" },
	[SL_UPDATE]  = { TC_FAMILY_SERVERLESS, "PATCH",  "/clusters/", "" },
	[SL_DELETE]  = { TC_FAMILY_SERVERLESS, "DELETE", "/clusters/", "" },
	[DED_GET]    = { TC_FAMILY_DEDICATED,  "GET",    "/clusters/", "" },
	[DED_UPDATE] = { TC_FAMILY_DEDICATED,  "PATCH",  "/clusters/", "" },
	[DED_DELETE] = { TC_FAMILY_DEDICATED,  "DELETE", "/clusters/", "" },
	[DED_PAUSE]  = { TC_FAMILY_DEDICATED,  "POST",   "/clusters/", ":pauseCluster" },
	[DED_RESUME] = { TC_FAMILY_DEDICATED,  "POST",   "/clusters/", ":resumeCluster" },
};

enum list_call { LS_PROJECTS, LS_SL_CLUSTERS, LS_DED_CLUSTERS, LS_SL_REGIONS,
		 LS_DED_REGIONS };

static const struct {
	enum tc_family family;
	const char *path;
	const char *items_key;
	const char *project_param;   /* query "NAME" + escaped project id */
	int plain_first;             /* usually not paged */
} lists[] = {
	[LS_PROJECTS]     = { TC_FAMILY_V1BETA, "/projects", "items", NULL, 0 },
	[LS_SL_CLUSTERS]  = { TC_FAMILY_SERVERLESS, "/clusters", "clusters",
			      "filter=projectId%3D", 0 },
	[LS_DED_CLUSTERS] = { TC_FAMILY_DEDICATED, "/clusters", "clusters",
			      "projectId=", 0 },
	[LS_SL_REGIONS]   = { TC_FAMILY_SERVERLESS, "/regions", "regions", NULL, 1 },
	[LS_DED_REGIONS]  = { TC_FAMILY_DEDICATED, "/regions", "regions", NULL, 0 },
};

static int fail(struct tc_error *err, enum tc_errcode kind, const char *what)
{
	tc_error_clear(err);
	tc_error_set(err, kind, "%s", what);
	return -1;
}

static int invalid(struct tc_error *err, const char *what)
{
	return fail(err, TC_E_INVALID, what);
}

static int nomem(struct tc_error *err)
{
	return fail(err, TC_E_NOMEM, "out of memory");
}

static int call_id(tc_client *c, enum id_call which, const char *id,
		   json_t *body, json_t **out, struct tc_error *err)
{
	char *esc, *path;
	size_t n;
	int rc;

	if (out)
		*out = NULL;
	if (!id || !*id)
		return invalid(err, "missing resource id");
	if (!(esc = tc_escape(id)))
		return nomem(err);
	n = strlen(id_calls[which].prefix) + strlen(esc) +
	    strlen(id_calls[which].suffix) + 1;
	path = malloc(n);
	if (!path) {
		free(esc);
		return nomem(err);
	}
	snprintf(path, n, "%s%s%s", id_calls[which].prefix, esc,
		 id_calls[which].suffix);
	free(esc);
	rc = tc_request(c, id_calls[which].family, id_calls[which].method, path,
			body, out, err);
	free(path);
	return rc;
}

static int call_list(tc_client *c, enum list_call which, const char *project_id,
		     json_t **items, struct tc_error *err)
{
	char *query = NULL;
	int rc;

	if (project_id && *project_id && lists[which].project_param) {
		char *esc = tc_escape(project_id);
		size_t n = esc ? strlen(lists[which].project_param) + strlen(esc) + 1 : 0;
		if (esc && (query = malloc(n)))
			snprintf(query, n, "%s%s", lists[which].project_param, esc);
		free(esc);
		if (!query)
			return nomem(err);
	}
	rc = tc_list_all_ex(c, lists[which].family, lists[which].path, query,
			    lists[which].items_key, lists[which].plain_first,
			    items, err);
	free(query);
	return rc;
}

int tc_projects_list(tc_client *c, json_t **items, struct tc_error *err)
{
	return call_list(c, LS_PROJECTS, NULL, items, err);
}

int tc_project_create(tc_client *c, json_t *body, json_t **out,
		      struct tc_error *err)
{
	return tc_request(c, TC_FAMILY_V1BETA, "POST", "/projects", body, out, err);
}

int tc_serverless_clusters_list(tc_client *c, const char *project_id,
				json_t **items, struct tc_error *err)
{
	return call_list(c, LS_SL_CLUSTERS, project_id, items, err);
}

int tc_serverless_cluster_get(tc_client *c, const char *cluster_id,
			      json_t **out, struct tc_error *err)
{
	return call_id(c, SL_GET, cluster_id, NULL, out, err);
}

/* GET /clusters:batchGet?clusterIds=A&clusterIds=B&view=FULL (the spec's
 * collectionFormat "multi": the parameter repeated once per id). */
int tc_serverless_clusters_batch_get(tc_client *c, const char *const *ids,
				     size_t n, json_t **items,
				     struct tc_error *err)
{
	static const char head[] = "/clusters:batchGet?view=FULL";
	size_t cap = sizeof(head), off;
	json_t *body = NULL, *arr;
	char *path;
	int rc;

	*items = NULL;
	if (!ids || n == 0 || n > TC_BATCH_GET_MAX)
		return invalid(err, "a batch get needs 1 to 1000 cluster ids");
	for (size_t i = 0; i < n; i++) {
		if (!ids[i] || !*ids[i])
			return invalid(err, "missing resource id");
		cap += strlen("&clusterIds=") + 3 * strlen(ids[i]);
	}
	if (!(path = malloc(cap)))
		return nomem(err);
	off = (size_t)snprintf(path, cap, "%s", head);
	for (size_t i = 0; i < n; i++) {
		char *esc = tc_escape(ids[i]);

		if (!esc) {
			free(path);
			return nomem(err);
		}
		off += (size_t)snprintf(path + off, cap - off, "&clusterIds=%s",
					esc);
		free(esc);
	}
	rc = tc_request(c, TC_FAMILY_SERVERLESS, "GET", path, NULL, &body, err);
	free(path);
	if (rc != 0)
		return rc;
	arr = json_object_get(body, "clusters");
	if (!json_is_array(arr)) {
		json_decref(body);
		return fail(err, TC_E_BAD_RESPONSE,
			    "batchGet: the answer has no \"clusters\" array");
	}
	*items = json_incref(arr);
	json_decref(body);
	return 0;
}

int tc_serverless_cluster_create(tc_client *c, json_t *cluster, json_t **out,
				 struct tc_error *err)
{
	return tc_request(c, TC_FAMILY_SERVERLESS, "POST", "/clusters", cluster,
			  out, err);
}

int tc_serverless_cluster_update(tc_client *c, const char *cluster_id,
				 json_t *cluster, const char *update_mask,
				 json_t **out, struct tc_error *err)
{
	json_t *body;
	int rc;

	if (!cluster || !update_mask || !*update_mask)
		return invalid(err, "an update needs the new values and a mask");
	body = json_pack("{sOss}", "cluster", cluster, "updateMask", update_mask);
	if (!body)
		return nomem(err);
	rc = call_id(c, SL_UPDATE, cluster_id, body, out, err);
	json_decref(body);
	return rc;
}

int tc_serverless_cluster_delete(tc_client *c, const char *cluster_id,
				 json_t **out, struct tc_error *err)
{
	return call_id(c, SL_DELETE, cluster_id, NULL, out, err);
}

int tc_dedicated_clusters_list(tc_client *c, const char *project_id,
			       json_t **items, struct tc_error *err)
{
	return call_list(c, LS_DED_CLUSTERS, project_id, items, err);
}

int tc_dedicated_cluster_get(tc_client *c, const char *cluster_id,
			     json_t **out, struct tc_error *err)
{
	return call_id(c, DED_GET, cluster_id, NULL, out, err);
}

int tc_dedicated_cluster_create(tc_client *c, json_t *cluster, json_t **out,
				struct tc_error *err)
{
	return tc_request(c, TC_FAMILY_DEDICATED, "POST", "/clusters", cluster,
			  out, err);
}

int tc_dedicated_cluster_update(tc_client *c, const char *cluster_id,
				json_t *changes, json_t **out,
				struct tc_error *err)
{
	if (!changes)
		return invalid(err, "an update needs the changed fields");
	return call_id(c, DED_UPDATE, cluster_id, changes, out, err);
}

int tc_dedicated_cluster_delete(tc_client *c, const char *cluster_id,
				json_t **out, struct tc_error *err)
{
	return call_id(c, DED_DELETE, cluster_id, NULL, out, err);
}

static int empty_body_call(tc_client *c, enum id_call which, const char *id,
			   json_t **out, struct tc_error *err)
{
	json_t *body = json_object();
	int rc;

	if (!body)
		return nomem(err);
	rc = call_id(c, which, id, body, out, err);
	json_decref(body);
	return rc;
}

int tc_dedicated_cluster_pause(tc_client *c, const char *cluster_id,
			       json_t **out, struct tc_error *err)
{
	return empty_body_call(c, DED_PAUSE, cluster_id, out, err);
}

int tc_dedicated_cluster_resume(tc_client *c, const char *cluster_id,
				json_t **out, struct tc_error *err)
{
	return empty_body_call(c, DED_RESUME, cluster_id, out, err);
}

int tc_regions_list(tc_client *c, enum tc_family family, json_t **items,
		    struct tc_error *err)
{
	if (family == TC_FAMILY_SERVERLESS)
		return call_list(c, LS_SL_REGIONS, NULL, items, err);
	if (family == TC_FAMILY_DEDICATED)
		return call_list(c, LS_DED_REGIONS, NULL, items, err);
	if (items)
		*items = NULL;
	return invalid(err, "regions exist for the serverless and dedicated "
		       "families only");
}
