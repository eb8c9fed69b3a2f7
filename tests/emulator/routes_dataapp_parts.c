/*
 * routes_dataapp_parts.c — what a Data App holds besides its endpoints
 * (routes_dataapps.c), on the object store:
 *
 *   GET POST      /dataApps/{a}/apiKeys         (≤ 100 per app; the
 *                                               privateKey only in the answer
 *                                               of POST, masked afterwards)
 *   GET PATCH DELETE /dataApps/{a}/apiKeys/{k}
 *   GET POST      /dataApps/{a}/dataSources     POST {clusterId}
 *   GET DELETE    /dataApps/{a}/dataSources/{c}
 *   GET POST      /dataApps/{a}/deployments     POST {description}: every
 *                                               endpoint becomes deployed
 *   GET           /dataApps/{a}/deployments/{d}
 *
 * A data source is the link of a cluster of the app's project to the app
 * (also made by the app's clusterIds: emu_da_link_cluster). Seed: the
 * apiKeys[] and deployments[] of a data_apps[] entry (emu_dataapp_seed_parts,
 * called by routes_dataapps.c's loader).
 */
#include "dataapps.h"
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "routes_dataapps_int.h"
#include "store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const key_roles[] = { "READ_AND_WRITE", "READ_ONLY", NULL };
static const char *const expire_options[] = { "EXPIRE_OPTION_NEVER_EXPIRE",
					      "EXPIRE_OPTION_SET_TTL", NULL };

/* ---- data sources: clusters of the app's project ------------------------- */

/* The cluster of the app's project with this id, or NULL with a 400. */
struct emu_cluster *emu_da_project_cluster(const struct emu_request *rq,
					   struct emu_response *rs,
					   const char *project, const char *id)
{
	struct emu_cluster *c = id ? emu_model_cluster_find(id, false) : NULL;

	if (id && !c)
		c = emu_model_cluster_find(id, true);
	if (!c || !emu_streq(emu_cluster_project(c), project)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "cluster %s is not a cluster of project %s",
			  id ? id : "(none)", project ? project : "?");
		return NULL;
	}
	return c;
}

static json_t *data_source(const char *app, const struct emu_cluster *c,
			   const char *created)
{
	const char *region = emu_fstr(json_object_get(c->obj, "region"), "name");
	const char *rid = emu_fstr(c->obj, "regionId");
	const struct emu_region *r;
	char name[256], code[64] = "us-east-1";

	if (!rid && region)
		rid = strncmp(region, "regions/", 8) == 0 ? region + 8 : region;
	r = rid ? emu_region_find(rid) : NULL;
	if (rid && strchr(rid, '-'))
		snprintf(code, sizeof(code), "%s", strchr(rid, '-') + 1);
	snprintf(name, sizeof(name), "dataApps/%s/dataSources/%s", app, c->id);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			 "clusterId", c->id, "name", name, "clusterDisplay",
			 emu_fstr(c->obj, "displayName") ?
			 emu_fstr(c->obj, "displayName") : c->id,
			 "clusterType", c->kind == EMU_KIND_DEDICATED ?
			 "Dedicated" : "Serverless",
			 "clusterProvider", r && r->cloud &&
			 strcmp(r->cloud, "gcp") == 0 ? "GCP" : "AWS",
			 "clusterRegion", code, "clusterRegionDisplay",
			 r && r->display ? r->display : code,
			 "createdAt", created);
}

/* Link cluster c to app (data source + clusterIds). */
struct emu_object *emu_da_link_cluster(struct emu_object *app,
				       const struct emu_cluster *c,
				       const char *created)
{
	const char *parents[1] = { app->id };
	json_t *ids = json_object_get(app->obj, "clusterIds");
	struct emu_object *o;
	char now[32];

	emu_now_rfc3339(now);
	o = emu_store_add(K_DS, c->id, parents, 1,
			  data_source(app->id, c, created ? created : now), NULL);
	if (o && json_is_array(ids))
		json_array_append_new(ids, json_string(c->id));
	return o;
}

/* ---- API keys ------------------------------------------------------------- */

static int check_key(const struct emu_request *rq, struct emu_response *rs,
		     json_t *body, bool create)
{
	json_t *v = json_object_get(body, "rateLimitRpm"), *ex;

	if (emu_check_str(rq, rs, body, "description", "description", 0, 256,
			  create) ||
	    emu_check_enum(rq, rs, body, "role", "role", key_roles, create))
		return -1;
	if ((create && !v) || (v && (!json_is_integer(v) ||
				     json_integer_value(v) < 1 ||
				     json_integer_value(v) > 1000))) {
		bad(rq, rs, "rateLimitRpm must be an integer from 1 to 1000");
		return -1;
	}
	if ((ex = json_object_get(body, "apiKeyExpireSetting"))) {
		json_t *ttl = json_object_get(ex, "apiKeyTtl");

		if (!json_is_object(ex) ||
		    emu_check_enum(rq, rs, ex, "expireOption",
				   "apiKeyExpireSetting.expireOption",
				   expire_options, false)) {
			if (!rs->body)
				bad(rq, rs, "apiKeyExpireSetting must be an object");
			return -1;
		}
		if (ttl && (!json_is_integer(ttl) || json_integer_value(ttl) < 1 ||
			    json_integer_value(ttl) > 525600)) {
			bad(rq, rs, "apiKeyExpireSetting.apiKeyTtl must be an "
			    "integer from 1 to 525600");
			return -1;
		}
	}
	return 0;
}

static struct emu_object *add_key(const char *app, const char *id,
				  const char *pub, const char *priv, json_t *src)
{
	const char *parents[1] = { app };
	char name[200], masked[40];
	json_t *ex = json_object_get(src, "apiKeyExpireSetting");

	snprintf(name, sizeof(name), "dataApps/%s/apiKeys/%s", app, id);
	snprintf(masked, sizeof(masked), "********%s",
		 strlen(priv) > 4 ? priv + strlen(priv) - 4 : priv);
	return emu_store_add(K_KEY, id, parents, 1, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o}",
		"apiKeyId", id, "name", name, "publicKey", pub,
		"privateKey", masked, "description",
		emu_fstr(src, "description") ? emu_fstr(src, "description") : "",
		"role", emu_fstr(src, "role") ? emu_fstr(src, "role") : "READ_ONLY",
		"rateLimitRpm", json_integer_value(json_object_get(src,
							  "rateLimitRpm")) ?
		json_integer_value(json_object_get(src, "rateLimitRpm")) : 100,
		"expireState", "EXPIRE_STATE_NEVER_EXPIRE",
		"apiKeyExpireSetting", json_is_object(ex) ? json_deep_copy(ex) :
		json_pack("{s:s}", "expireOption", "EXPIRE_OPTION_NEVER_EXPIRE")),
		NULL);
}

static void list_keys(const struct emu_request *rq, struct emu_response *rs)
{
	emu_da_list_children(rq, rs, K_KEY, "apiKeys");
}

static void create_key(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *app = emu_da_find_app(rq, rs), *o;
	const char *parents[1] = { rq->ids[0] };
	char id[48], pub[24], priv[40];
	json_t *all, *body;

	if (!app || !(body = emu_body_object(rq, rs)))
		return;
	if (check_key(rq, rs, body, true))
		goto out;
	all = emu_store_list(K_KEY, parents, 1, NULL, NULL);
	if (json_array_size(all) >= EMU_DATAAPP_MAX_KEYS) {
		emu_error(rs, rq->family, 400, EMU_RPC_RESOURCE_EXHAUSTED,
			  "a data app has at most %d API keys",
			  EMU_DATAAPP_MAX_KEYS);
		json_decref(all);
		goto out;
	}
	json_decref(all);
	emu_new_decimal_id(id);
	emu_random_hex(pub, 4);
	for (char *p = pub; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	emu_random_hex(priv, 16);
	if (!(o = add_key(app->id, id, pub, priv, body))) {
		bad(rq, rs, "API key not acceptable");
		goto out;
	}
	rs->body = json_deep_copy(o->obj);
	json_object_set_new(rs->body, "privateKey", json_string(priv));
out:
	json_decref(body);
}

static void get_key(const struct emu_request *rq, struct emu_response *rs)
{
	emu_da_get_child(rq, rs, K_KEY, "API key");
}

static void update_key(const struct emu_request *rq, struct emu_response *rs)
{
	static const char *const keys[] = { "description", "role",
					    "rateLimitRpm", "apiKeyExpireSetting" };
	struct emu_object *o = emu_da_find_child(rq, rs, K_KEY, "API key");
	json_t *body, *v;

	if (!o || !(body = emu_body_object(rq, rs)))
		return;
	if (check_key(rq, rs, body, false))
		goto out;
	for (size_t i = 0; i < 4; i++)
		if ((v = json_object_get(body, keys[i])))
			json_object_set(o->obj, keys[i], v);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static void delete_key(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = emu_da_find_child(rq, rs, K_KEY, "API key");

	if (!o)
		return;
	emu_store_remove(o);
	rs->body = json_object();
}

/* ---- data sources --------------------------------------------------------- */

static void list_sources(const struct emu_request *rq, struct emu_response *rs)
{
	emu_da_list_children(rq, rs, K_DS, "dataSources");
}

static void create_source(const struct emu_request *rq,
			  struct emu_response *rs)
{
	struct emu_object *app = emu_da_find_app(rq, rs), *o;
	const char *parents[1] = { rq->ids[0] };
	struct emu_cluster *c;
	json_t *body;

	if (!app || !(body = emu_body_object(rq, rs)))
		return;
	if (emu_check_str(rq, rs, body, "clusterId", "clusterId", 1, 64, true) ||
	    !(c = emu_da_project_cluster(rq, rs,
					 emu_fstr(app->obj, "projectId"),
					 emu_fstr(body, "clusterId"))))
		goto out;
	if (emu_store_find(K_DS, parents, 1, c->id)) {
		emu_error(rs, rq->family, 400, EMU_RPC_ALREADY_EXISTS,
			  "cluster %s is already a data source of this data app",
			  c->id);
		goto out;
	}
	if (!(o = emu_da_link_cluster(app, c, NULL))) {
		bad(rq, rs, "data source not acceptable");
		goto out;
	}
	touch(app->obj);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static void get_source(const struct emu_request *rq, struct emu_response *rs)
{
	emu_da_get_child(rq, rs, K_DS, "data source");
}

static bool uses_cluster(const struct emu_object *o, void *arg)
{
	return emu_streq(emu_fstr(o->obj, "clusterId"), arg);
}

static void delete_source(const struct emu_request *rq,
			  struct emu_response *rs)
{
	struct emu_object *o = emu_da_find_child(rq, rs, K_DS, "data source");
	const char *parents[1] = { rq->ids[0] };
	struct emu_object *app;
	json_t *users, *ids, *it;
	size_t i;

	if (!o)
		return;
	users = emu_store_list(K_EP, parents, 1, uses_cluster, o->id);
	if (json_array_size(users) > 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "cluster %s is used by endpoint %s %s: change or delete "
			  "the endpoint first", o->id,
			  emu_fstr(json_array_get(users, 0), "method"),
			  emu_fstr(json_array_get(users, 0), "path"));
		json_decref(users);
		return;
	}
	json_decref(users);
	app = emu_store_find(K_APP, NULL, 0, rq->ids[0]);
	ids = json_object_get(app->obj, "clusterIds");
	json_array_foreach(ids, i, it)
		if (emu_streq(json_string_value(it), o->id)) {
			json_array_remove(ids, i);
			break;
		}
	touch(app->obj);
	emu_store_remove(o);
	rs->body = json_object();
}

/* ---- deployments ---------------------------------------------------------- */

static struct emu_object *add_deployment(const char *app, const char *id,
					 json_t *src)
{
	const char *parents[1] = { app };
	const char *created = emu_fstr(src, "createdAt");
	char name[200], now[32];

	emu_now_rfc3339(now);
	if (!created)
		created = now;
	snprintf(name, sizeof(name), "dataApps/%s/deployments/%s", app, id);
	return emu_store_add(K_DEP, id, parents, 1, json_pack(
		"{s:s, s:s, s:s, s:s, s:{}, s:s, s:s, s:s, s:s, s:s, s:s}",
		"deploymentId", id, "name", name, "description",
		emu_fstr(src, "description") ? emu_fstr(src, "description") : "",
		"origin", "UI", "originInfo", "createdBy", "apikey",
		"status", "success", "statusErrorMessage", "",
		"createdAt", created, "deployedAt", created,
		"finishedAt", created), NULL);
}

static void deploy_all(const char *app)
{
	const char *parents[1] = { app };
	json_t *eps = emu_store_list(K_EP, parents, 1, NULL, NULL), *ep;
	size_t i;

	json_array_foreach(eps, i, ep) {
		const char *eid = emu_da_child_id(ep, NULL);
		struct emu_object *o = eid ? emu_store_find(K_EP, parents, 1, eid)
			: NULL;

		if (o)
			json_object_set_new(o->obj, "status",
					    json_string("deployed"));
	}
	json_decref(eps);
}

static void list_deployments(const struct emu_request *rq,
			     struct emu_response *rs)
{
	emu_da_list_children(rq, rs, K_DEP, "deployments");
}

static void create_deployment(const struct emu_request *rq,
			      struct emu_response *rs)
{
	struct emu_object *app = emu_da_find_app(rq, rs), *o;
	json_t *body;
	char id[48];

	if (!app || !(body = emu_body_object(rq, rs)))
		return;
	if (emu_check_str(rq, rs, body, "description", "description", 0, 1000,
			  false))
		goto out;
	emu_new_decimal_id(id);
	if (!(o = add_deployment(app->id, id, body))) {
		bad(rq, rs, "deployment not acceptable");
		goto out;
	}
	deploy_all(app->id);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static void get_deployment(const struct emu_request *rq,
			   struct emu_response *rs)
{
	emu_da_get_child(rq, rs, K_DEP, "deployment");
}
/* ---- seed ----------------------------------------------------------------- */

int emu_dataapp_seed_parts(struct emu_object *app, json_t *a, size_t i,
			   char *err, size_t errlen)
{
	const char *id = app->id;
	json_t *it;
	size_t j;

	json_array_foreach(json_object_get(a, "apiKeys"), j, it) {
		const char *kid = emu_fstr(it, "apiKeyId");
		char priv[40];

		emu_random_hex(priv, 16);
		if (!kid || !emu_fstr(it, "publicKey") ||
		    !add_key(id, kid, emu_fstr(it, "publicKey"), priv, it)) {
			snprintf(err, errlen, "data_apps[%zu].apiKeys[%zu]: "
				 "apiKeyId and publicKey", i, j);
			return -1;
		}
	}
	json_array_foreach(json_object_get(a, "deployments"), j, it) {
		const char *did = emu_fstr(it, "deploymentId");

		if (!did || !add_deployment(id, did, it)) {
			snprintf(err, errlen, "data_apps[%zu].deployments[%zu]: "
				 "deploymentId", i, j);
			return -1;
		}
	}
	return 0;
}

#define DAI "/v1beta1/dataApps/{id}"
static const struct emu_route routes[] = {
	{ EMU_FAM_DATASERVICE, "GET", DAI "/apiKeys", list_keys },
	{ EMU_FAM_DATASERVICE, "POST", DAI "/apiKeys", create_key },
	{ EMU_FAM_DATASERVICE, "GET", DAI "/apiKeys/{id}", get_key },
	{ EMU_FAM_DATASERVICE, "PATCH", DAI "/apiKeys/{id}", update_key },
	{ EMU_FAM_DATASERVICE, "DELETE", DAI "/apiKeys/{id}", delete_key },
	{ EMU_FAM_DATASERVICE, "GET", DAI "/dataSources", list_sources },
	{ EMU_FAM_DATASERVICE, "POST", DAI "/dataSources", create_source },
	{ EMU_FAM_DATASERVICE, "GET", DAI "/dataSources/{id}", get_source },
	{ EMU_FAM_DATASERVICE, "DELETE", DAI "/dataSources/{id}", delete_source },
	{ EMU_FAM_DATASERVICE, "GET", DAI "/deployments", list_deployments },
	{ EMU_FAM_DATASERVICE, "POST", DAI "/deployments", create_deployment },
	{ EMU_FAM_DATASERVICE, "GET", DAI "/deployments/{id}", get_deployment },
	{ 0, NULL, NULL, NULL }
};

/* No seed of its own: routes_dataapps.c's loader calls
 * emu_dataapp_seed_parts for each app. */
static const struct emu_module dataapp_parts_module = { "data-app parts",
							 routes, NULL };
EMU_MODULE(dataapp_parts_module)
