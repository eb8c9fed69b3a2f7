/*
 * routes_private_endpoints.c — dedicated.tidbapi.com /v1beta1 private
 * endpoint connections of a TiDB node group and its PrivateLink service
 * (dedicated-v1beta1.json), on the object store.
 *
 *   GET    /v1beta1/clusters/{c}/tidbNodeGroups/{g}/privateLinkService
 *          → {name, tidbNodeGroupId, serviceName, serviceDnsName,
 *          availableZones[], state ACTIVE, regionId, regionDisplayName,
 *          cloudProvider}
 *   GET    …/tidbNodeGroups/{g}/privateEndpointConnections?projectId&
 *          cloudProvider&pageSize&pageToken&skip → {privateEndpointConnections[],
 *          totalSize, nextPageToken}; "-" for {c} and/or {g} lists across
 *          clusters / node groups (the org-wide listing)
 *   POST   …/privateEndpointConnections?validateOnly {endpointId, accountId?}
 *          → PrivateEndpointConnection, endpointState PENDING → ACTIVE
 *   GET    …/privateEndpointConnections/{id} → PrivateEndpointConnection
 *   DELETE …/privateEndpointConnections/{id} → it, endpointState DELETING,
 *          gone one --transition-ms later
 *
 * 400 (google.rpc.Status): endpointId required, on AWS "vpce-" and 8 to 17
 * lower-case hex digits, on GCP/Azure 1..128 characters; the same
 * endpointId twice on one node group; accountId 1..64; a "-" in a create.
 * 404: cluster (Dedicated only), node group, connection. Seed:
 * "privateEndpointConnections": [{id, clusterId, endpointId, accountId?,
 * endpointState?}] on the cluster's default node group.
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define KIND "private-endpoint-connection"

/* The node group {g} of cluster c, or NULL. */
static json_t *node_group(const struct emu_cluster *c, const char *gid)
{
	json_t *groups = json_object_get(json_object_get(c->obj, "tidbNodeSetting"),
					 "tidbNodeGroups"), *g;
	size_t i;

	json_array_foreach(groups, i, g)
		if (strcmp(emu_fstr(g, "tidbNodeGroupId") ? emu_fstr(g, "tidbNodeGroupId")
			   : "", gid) == 0)
			return g;
	return NULL;
}

static struct emu_cluster *cluster_group(const struct emu_request *rq,
					 struct emu_response *rs, json_t **group)
{
	struct emu_cluster *c = emu_dedicated_cluster(rq, rs, rq->ids[0]);

	if (c && !(*group = node_group(c, rq->ids[1]))) {
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "TiDB node group %s not found in cluster %s",
			  rq->ids[1], rq->ids[0]);
		return NULL;
	}
	return c;
}

static void service_name(const struct emu_cluster *c, const char *gid,
			 char out[160])
{
	const char *r = emu_fstr(c->obj, "regionId");

	/* "aws-us-east-1" → "us-east-1" */
	snprintf(out, 160, "com.amazonaws.vpce.%s.vpce-svc-%.17s",
		 r && strlen(r) > 4 ? r + 4 : "us-east-1", gid);
}

static void get_service(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *g;
	struct emu_cluster *c = cluster_group(rq, rs, &g);
	char name[200], svc[160], dns[200];

	if (!c)
		return;
	snprintf(name, sizeof(name), "tidbNodeGroups/%s/privateLinkService",
		 rq->ids[1]);
	service_name(c, rq->ids[1], svc);
	snprintf(dns, sizeof(dns), "privatelink-%s.%s.prod.aws.tidbcloud.com",
		 rq->ids[1], emu_fstr(c->obj, "regionId"));
	rs->body = json_pack("{s:s, s:s, s:s, s:s, s:[s, s], s:s, s:s, s:s, s:s}",
			     "name", name, "tidbNodeGroupId", rq->ids[1],
			     "serviceName", svc, "serviceDnsName", dns,
			     "availableZones", "use1-az1", "use1-az2",
			     "state", "ACTIVE", "regionId", emu_fstr(c->obj, "regionId"),
			     "regionDisplayName", emu_fstr(c->obj, "regionDisplayName"),
			     "cloudProvider", emu_fstr(c->obj, "cloudProvider"));
}

struct list_filter {
	const char *project, *cloud;
};

static bool keep(const struct emu_object *o, void *arg)
{
	const struct list_filter *f = arg;
	struct emu_cluster *c = emu_model_cluster_find(o->parents[0], true);

	if (!c)
		return false;
	if (f->project && strcmp(emu_cluster_project(c), f->project) != 0)
		return false;
	return !f->cloud || emu_streq(emu_fstr(c->obj, "cloudProvider"), f->cloud);
}

static void list_connections(const struct emu_request *rq,
			     struct emu_response *rs)
{
	struct list_filter f = { emu_query(rq, "projectId"),
				 emu_query(rq, "cloudProvider") };
	const char *parents[2] = { rq->ids[0], rq->ids[1] };
	size_t n = 2;
	json_t *g;

	if (strcmp(rq->ids[0], "-") == 0) {
		if (strcmp(rq->ids[1], "-") != 0) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "a TiDB node group needs its cluster: use \"-\" "
				  "for both to list across clusters");
			return;
		}
		n = 0;
	} else if (strcmp(rq->ids[1], "-") == 0) {
		if (!emu_dedicated_cluster(rq, rs, rq->ids[0]))
			return;
		n = 1;
	} else if (!cluster_group(rq, rs, &g)) {
		return;
	}
	emu_page_answer(rq, rs, EMU_PAGING_TOKEN, 10, "privateEndpointConnections",
			emu_store_list(KIND, parents, n, keep, &f));
}

static bool endpoint_id_ok(const char *cloud, const char *id)
{
	size_t n = strlen(id);

	if (!emu_streq(cloud, "aws"))
		return n >= 1 && n <= 128;
	if (n < 13 || n > 22 || strncmp(id, "vpce-", 5) != 0)
		return false;
	for (size_t i = 5; i < n; i++)
		if (!isxdigit((unsigned char)id[i]) || isupper((unsigned char)id[i]))
			return false;
	return true;
}

static bool same_endpoint(const struct emu_object *o, void *arg)
{
	return emu_streq(emu_fstr(o->obj, "endpointId"), (const char *)arg);
}

static json_t *connection_object(const struct emu_cluster *c, json_t *group,
				 const char *id, const char *endpoint,
				 const char *account, const char *state)
{
	const char *gid = emu_fstr(group, "tidbNodeGroupId");
	char name[256], svc[160], host[200];

	snprintf(name, sizeof(name), "tidbNodeGroups/%s/privateEndpointConnections/%s",
		 gid, id);
	service_name(c, gid, svc);
	snprintf(host, sizeof(host), "privatelink-%s.%s.prod.aws.tidbcloud.com",
		 gid, emu_fstr(c->obj, "regionId"));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:s, s:s,"
			 " s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}",
			 "name", name, "tidbNodeGroupId", gid,
			 "privateEndpointConnectionId", id, "clusterId", c->id,
			 "clusterDisplayName", emu_fstr(c->obj, "displayName"),
			 "labels", json_object_get(c->obj, "labels"),
			 "endpointId", endpoint, "privateIpAddress", "10.0.12.34",
			 "endpointState", state, "message", "",
			 "regionId", emu_fstr(c->obj, "regionId"),
			 "regionDisplayName", emu_fstr(c->obj, "regionDisplayName"),
			 "cloudProvider", emu_fstr(c->obj, "cloudProvider"),
			 "privateLinkServiceName", svc,
			 "privateLinkServiceState", "ACTIVE",
			 "tidbNodeGroupDisplayName", emu_fstr(group, "displayName"),
			 "accountId", account ? account : "", "host", host,
			 "port", 4000);
}

static void create_connection(const struct emu_request *rq,
			      struct emu_response *rs)
{
	static const char *const steps[] = { "PENDING", "ACTIVE" };
	const char *parents[2] = { rq->ids[0], rq->ids[1] };
	const char *vo = emu_query(rq, "validateOnly");
	json_t *g, *body, *dup;
	struct emu_cluster *c;
	struct emu_object *o;
	char id[48];

	if (strcmp(rq->ids[0], "-") == 0 || strcmp(rq->ids[1], "-") == 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "\"-\" lists across clusters; a connection is created "
			  "on one TiDB node group");
		return;
	}
	if (!(c = cluster_group(rq, rs, &g)) || !(body = emu_body_object(rq, rs)))
		return;
	if (emu_check_str(rq, rs, body, "endpointId", "endpointId", 1, 128, true) ||
	    emu_check_str(rq, rs, body, "accountId", "accountId", 1, 64, false))
		goto out;
	if (!endpoint_id_ok(emu_fstr(c->obj, "cloudProvider"),
			    emu_fstr(body, "endpointId"))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "endpointId must be an AWS VPC endpoint id such as "
			  "vpce-0123456789abcdef0");
		goto out;
	}
	dup = emu_store_list(KIND, parents, 2, same_endpoint,
			     (void *)(uintptr_t)emu_fstr(body, "endpointId"));
	if (json_array_size(dup)) {
		json_decref(dup);
		emu_error(rs, rq->family, 400, EMU_RPC_ALREADY_EXISTS,
			  "endpoint %s is already connected to this node group",
			  emu_fstr(body, "endpointId"));
		goto out;
	}
	json_decref(dup);
	emu_new_decimal_id(id);
	if (vo && strcmp(vo, "true") == 0) {
		rs->body = connection_object(c, g, id, emu_fstr(body, "endpointId"),
					     emu_fstr(body, "accountId"), "PENDING");
		goto out;
	}
	o = emu_store_add(KIND, id, parents, 2,
			  connection_object(c, g, id, emu_fstr(body, "endpointId"),
					    emu_fstr(body, "accountId"), "PENDING"),
			  "endpointState");
	if (!o) {
		emu_error(rs, rq->family, 500, EMU_RPC_INTERNAL, "out of memory");
		goto out;
	}
	emu_store_schedule(o, steps, 2, false);
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static struct emu_object *find_connection(const struct emu_request *rq,
					  struct emu_response *rs)
{
	const char *parents[2] = { rq->ids[0], rq->ids[1] };
	json_t *g;

	if (!cluster_group(rq, rs, &g))
		return NULL;
	return emu_find_or_404(rq, rs, KIND, parents, 2, rq->ids[2],
			       "private endpoint connection");
}

static void get_connection(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_connection(rq, rs);

	if (o)
		rs->body = json_deep_copy(o->obj);
}

static void delete_connection(const struct emu_request *rq,
			      struct emu_response *rs)
{
	static const char *const steps[] = { "DELETING" };
	struct emu_object *o = find_connection(rq, rs);

	if (!o)
		return;
	if (!emu_streq(emu_fstr(o->obj, "endpointState"), "DELETING"))
		emu_store_schedule(o, steps, 1, true);
	rs->body = json_deep_copy(o->obj);
}

static int seed_connections(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *p;
	size_t i;

	if (emu_seed_array(seed, "privateEndpointConnections", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, p) {
		const char *id = emu_fstr(p, "id"), *cid = emu_fstr(p, "clusterId");
		const char *ep = emu_fstr(p, "endpointId");
		struct emu_cluster *c = cid ? emu_model_cluster_find(cid, true) : NULL;
		json_t *g = json_array_get(json_object_get(json_object_get(
			c ? c->obj : NULL, "tidbNodeSetting"), "tidbNodeGroups"), 0);
		const char *parents[2] = { cid, emu_fstr(g, "tidbNodeGroupId") };

		if (!id || !ep || !c || !g) {
			snprintf(err, errlen, "privateEndpointConnections[%zu]: id, "
				 "endpointId and the clusterId of a Dedicated "
				 "cluster are required", i);
			return -1;
		}
		if (!emu_store_add(KIND, id, parents, 2,
				   connection_object(c, g, id, ep,
						     emu_fstr(p, "accountId"),
						     emu_fstr(p, "endpointState")
						     ? emu_fstr(p, "endpointState")
						     : "ACTIVE"),
				   "endpointState")) {
			snprintf(err, errlen, "privateEndpointConnections[%zu]: "
				 "bad or duplicate id", i);
			return -1;
		}
	}
	return 0;
}

#define NG "/v1beta1/clusters/{id}/tidbNodeGroups/{id}"
static const struct emu_route routes[] = {
	{ EMU_FAM_DEDICATED, "GET", NG "/privateLinkService", get_service },
	{ EMU_FAM_DEDICATED, "GET", NG "/privateEndpointConnections", list_connections },
	{ EMU_FAM_DEDICATED, "POST", NG "/privateEndpointConnections", create_connection },
	{ EMU_FAM_DEDICATED, "GET", NG "/privateEndpointConnections/{id}", get_connection },
	{ EMU_FAM_DEDICATED, "DELETE", NG "/privateEndpointConnections/{id}",
	  delete_connection },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module private_endpoints_module = {
	"private-endpoints", routes, seed_connections
};
EMU_MODULE(private_endpoints_module)
