/*
 * resources.c — the per-resource calls fs/ uses today, each a thin wrapper
 * over tc_call()/tc_call_list() and a descriptor of calls.c. They keep
 * their signatures until fs/ passes descriptors and a node's ids itself;
 * a new family needs descriptors only, no wrapper here.
 */
#include <stdlib.h>
#include <string.h>
#include "tc_internal.h"

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

/* A call with one id (a resource id, or a project id for a list). */
static int call1(tc_client *c, const tc_call_desc *d, const char *id,
		 json_t *body, json_t **out, struct tc_error *err)
{
	const char *ids[1] = { id };

	return tc_call(c, d, ids, 1, body, out, err);
}

/* A list filtered by project when project_id is set, else the whole org:
 * the descriptor's query names the project ("projectId={}"); without one
 * the same path is listed without that query. */
static int list_by_project(tc_client *c, const tc_call_desc *d,
			   const char *project_id, json_t **items,
			   struct tc_error *err)
{
	const char *ids[1] = { project_id };
	tc_call_desc all;

	if (project_id && *project_id)
		return tc_call_list(c, d, ids, 1, NULL, items, err);
	all = *d;
	all.query = NULL;
	return tc_call_list(c, &all, NULL, 0, NULL, items, err);
}

int tc_projects_list(tc_client *c, json_t **items, struct tc_error *err)
{
	return tc_call_list(c, &tc_desc_projects_list, NULL, 0, NULL, items, err);
}

int tc_project_create(tc_client *c, json_t *body, json_t **out,
		      struct tc_error *err)
{
	return tc_call(c, &tc_desc_project_create, NULL, 0, body, out, err);
}

int tc_serverless_clusters_list(tc_client *c, const char *project_id,
				json_t **items, struct tc_error *err)
{
	return list_by_project(c, &tc_desc_serverless_clusters_list, project_id,
			       items, err);
}

int tc_serverless_cluster_get(tc_client *c, const char *cluster_id,
			      json_t **out, struct tc_error *err)
{
	return call1(c, &tc_desc_serverless_cluster_get, cluster_id, NULL, out, err);
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
	return tc_call(c, &tc_desc_serverless_cluster_create, NULL, 0, cluster,
		       out, err);
}

int tc_serverless_cluster_update(tc_client *c, const char *cluster_id,
				 json_t *cluster, const char *update_mask,
				 json_t **out, struct tc_error *err)
{
	json_t *body;
	int rc;

	if (out)
		*out = NULL;
	if (!cluster || !update_mask || !*update_mask)
		return invalid(err, "an update needs the new values and a mask");
	body = json_pack("{sOss}", "cluster", cluster, "updateMask", update_mask);
	if (!body)
		return fail(err, TC_E_NOMEM, "out of memory");
	rc = call1(c, &tc_desc_serverless_cluster_update, cluster_id, body, out,
		   err);
	json_decref(body);
	return rc;
}

int tc_serverless_cluster_delete(tc_client *c, const char *cluster_id,
				 json_t **out, struct tc_error *err)
{
	return call1(c, &tc_desc_serverless_cluster_delete, cluster_id, NULL, out,
		     err);
}

int tc_dedicated_clusters_list(tc_client *c, const char *project_id,
			       json_t **items, struct tc_error *err)
{
	return list_by_project(c, &tc_desc_dedicated_clusters_list, project_id,
			       items, err);
}

int tc_dedicated_cluster_get(tc_client *c, const char *cluster_id,
			     json_t **out, struct tc_error *err)
{
	return call1(c, &tc_desc_dedicated_cluster_get, cluster_id, NULL, out, err);
}

int tc_dedicated_cluster_create(tc_client *c, json_t *cluster, json_t **out,
				struct tc_error *err)
{
	return tc_call(c, &tc_desc_dedicated_cluster_create, NULL, 0, cluster,
		       out, err);
}

int tc_dedicated_cluster_update(tc_client *c, const char *cluster_id,
				json_t *changes, json_t **out,
				struct tc_error *err)
{
	if (out)
		*out = NULL;
	if (!changes)
		return invalid(err, "an update needs the changed fields");
	return call1(c, &tc_desc_dedicated_cluster_update, cluster_id, changes,
		     out, err);
}

int tc_dedicated_cluster_delete(tc_client *c, const char *cluster_id,
				json_t **out, struct tc_error *err)
{
	return call1(c, &tc_desc_dedicated_cluster_delete, cluster_id, NULL, out,
		     err);
}

/* The custom methods (":pauseCluster") take an empty JSON object. */
static int empty_body_call(tc_client *c, const tc_call_desc *d, const char *id,
			   json_t **out, struct tc_error *err)
{
	json_t *body = json_object();
	int rc;

	if (out)
		*out = NULL;
	if (!body)
		return fail(err, TC_E_NOMEM, "out of memory");
	rc = call1(c, d, id, body, out, err);
	json_decref(body);
	return rc;
}

int tc_dedicated_cluster_pause(tc_client *c, const char *cluster_id,
			       json_t **out, struct tc_error *err)
{
	return empty_body_call(c, &tc_desc_dedicated_cluster_pause, cluster_id,
			       out, err);
}

int tc_dedicated_cluster_resume(tc_client *c, const char *cluster_id,
				json_t **out, struct tc_error *err)
{
	return empty_body_call(c, &tc_desc_dedicated_cluster_resume, cluster_id,
			       out, err);
}

int tc_regions_list(tc_client *c, enum tc_family family, json_t **items,
		    struct tc_error *err)
{
	if (family == TC_FAMILY_SERVERLESS)
		return tc_call_list(c, &tc_desc_serverless_regions_list, NULL, 0,
				    NULL, items, err);
	if (family == TC_FAMILY_DEDICATED)
		return tc_call_list(c, &tc_desc_dedicated_regions_list, NULL, 0,
				    NULL, items, err);
	if (items)
		*items = NULL;
	return invalid(err, "regions exist for the serverless and dedicated "
		       "families only");
}
