/* objects.c — the regions table and the generated API objects (model.h). */
#include "emu.h"
#include "model.h"

#include <stdio.h>
#include <string.h>

const struct emu_region emu_regions[] = {
	{ "aws-us-east-1",      "aws", "N. Virginia (us-east-1)",     true,  true },
	{ "aws-us-west-2",      "aws", "Oregon (us-west-2)",          true,  true },
	{ "aws-eu-central-1",   "aws", "Frankfurt (eu-central-1)",    true,  true },
	{ "aws-ap-southeast-1", "aws", "Singapore (ap-southeast-1)",  true,  true },
	{ "aws-ap-northeast-1", "aws", "Tokyo (ap-northeast-1)",      true,  true },
	{ "gcp-us-central1",    "gcp", "Iowa (us-central1)",          true,  true },
	{ "gcp-asia-east1",     "gcp", "Taiwan (asia-east1)",         false, true },
	{ NULL, NULL, NULL, false, false }
};

const struct emu_region *emu_region_find(const char *id)
{
	if (!id)
		return NULL;
	for (const struct emu_region *r = emu_regions; r->id; r++)
		if (strcmp(r->id, id) == 0)
			return r;
	return NULL;
}

/* "us-east-1" from "aws-us-east-1". */
static const char *region_short(const struct emu_region *r)
{
	const char *dash = strchr(r->id, '-');
	return dash ? dash + 1 : r->id;
}

json_t *emu_object_region(const struct emu_region *r, bool serverless)
{
	char name[96];

	snprintf(name, sizeof(name), "regions/%s", r->id);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "name", name,
			      "regionId", r->id, "cloudProvider", r->cloud,
			      "displayName", r->display);
	if (serverless)
		json_object_set_new(o, "servicePlans",
				    json_pack("[s,s]", "Starter", "Essential"));
	else
		json_object_set_new(o, "provider", json_string(r->cloud));
	return o;
}

/* A stable 15-character prefix derived from the cluster id (FNV-1a). */
static void user_prefix(const char *id, char out[16])
{
	static const char alphabet[] =
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint64_t h = 1469598103934665603ULL;

	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (int i = 0; i < 15; i++) {
		out[i] = alphabet[h % 62];
		h = h / 62 + (uint64_t)(i + 1) * 2654435761ULL;
	}
	out[15] = '\0';
}

json_t *emu_object_serverless(enum emu_kind kind, const char *id,
			      const char *display_name, const char *project_id,
			      const struct emu_region *region, const char *state,
			      time_t created)
{
	char name[64], ts[32], host[128], phost[128], svc[128], prefix[16];
	bool essential = kind == EMU_KIND_ESSENTIAL;
	const char *rs = region_short(region);
	json_t *priv;

	snprintf(name, sizeof(name), "clusters/%s", id);
	emu_rfc3339(ts, created);
	snprintf(host, sizeof(host), "gateway01.%s.prod.%s.tidbcloud.com", rs,
		 region->cloud);
	snprintf(phost, sizeof(phost),
		 "gateway01-privatelink.%s.prod.%s.tidbcloud.com", rs,
		 region->cloud);
	user_prefix(id, prefix);

	if (strcmp(region->cloud, "gcp") == 0) {
		snprintf(svc, sizeof(svc),
			 "projects/tidbcloud-emulator/regions/%s/serviceAttachments/gateway01",
			 rs);
		priv = json_pack("{s:s, s:i, s:{s:s}}", "host", phost,
				 "port", 4000, "gcp",
				 "serviceAttachmentName", svc);
	} else {
		snprintf(svc, sizeof(svc),
			 "com.amazonaws.vpce.%s.vpce-svc-0a1b2c3d4e5f60718", rs);
		priv = json_pack("{s:s, s:i, s:{s:s, s:[s,s]}}", "host", phost,
				 "port", 4000, "aws", "serviceName", svc,
				 "availabilityZone", "az1", "az2");
	}

	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:o, s:{s:s, s:i},"
		" s:{s:{s:s, s:i, s:b, s:[]}, s:o},"
		" s:{s:b}, s:s, s:s, s:s, s:s, s:s,"
		" s:{s:s, s:s}, s:{s:s, s:s},"
		" s:s, s:s, s:s, s:s}",
		"name", name, "clusterId", id, "displayName", display_name,
		"region", emu_object_region(region, false),
		"automatedBackupPolicy", "startTime", "07:00",
		"retentionDays", 14,
		"endpoints", "public", "host", host, "port", 4000,
		"disabled", 0, "authorizedNetworks", "private", priv,
		"encryptionConfig", "enhancedEncryptionEnabled", 0,
		"highAvailabilityType", essential ? "REGIONAL" : "ZONAL",
		"version", "v7.5.2",
		"createdBy", "emulator@example.com",
		"userPrefix", prefix,
		"state", state,
		"labels", "tidb.cloud/organization", emu_model_org_id(),
		"tidb.cloud/project", project_id,
		"annotations", "tidb.cloud/has-set-password", "false",
		"tidb.cloud/available-features",
		essential ? "DISABLE_PUBLIC_LB,DELEGATE_USER"
			  : "DISABLE_PUBLIC_LB,DELEGATE_USER,PITR",
		"createTime", ts, "updateTime", ts,
		"clusterPlan", essential ? "ESSENTIAL" : "STARTER",
		"servicePlan", essential ? "Essential" : "Starter");
	/* The region inside a cluster has no provider/servicePlans. */
	json_object_del(json_object_get(o, "region"), "provider");
	if (essential)
		json_object_set_new(o, "autoScaling",
				    json_pack("{s:i, s:i}", "minRcu", 2000,
					      "maxRcu", 4000));
	else
		json_object_set_new(o, "spendingLimit",
				    json_pack("{s:i}", "monthly", 0));
	return o;
}

json_t *emu_object_dedicated(const char *id, const char *display_name,
			     const char *project_id,
			     const struct emu_region *region, const char *state,
			     time_t created)
{
	char name[64], ts[32], host[160], gid[40], gname[64];

	snprintf(name, sizeof(name), "clusters/%s", id);
	emu_rfc3339(ts, created);
	snprintf(host, sizeof(host), "tidb.%.12s.clusters.tidb-cloud.com", id + (strlen(id) > 12 ? strlen(id) - 12 : 0));
	snprintf(gid, sizeof(gid), "%s01", id);
	snprintf(gname, sizeof(gname), "tidbNodeGroups/%s", gid);

	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:s, s:{s:s},"
		" s:{s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:i, s:[{s:s, s:i, s:s}],"
		"   s:s, s:s, s:b, s:s}]},"
		" s:{s:i, s:s, s:s, s:i, s:s},"
		" s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}}",
		"name", name, "clusterId", id, "displayName", display_name,
		"regionId", region->id,
		"labels", "tidb.cloud/project", project_id,
		"tidbNodeSetting", "nodeSpecKey", "8C16G",
		"nodeSpecDisplayName", "8 vCPU, 16 GiB",
		"tidbNodeGroups", "name", gname, "tidbNodeGroupId", gid,
		"clusterId", id, "displayName", "DefaultGroup", "nodeCount", 2,
		"endpoints", "host", host, "port", 4000,
		"connectionType", "PUBLIC",
		"nodeSpecKey", "8C16G", "nodeSpecDisplayName", "8 vCPU, 16 GiB",
		"isDefaultGroup", 1, "state", "ACTIVE",
		"tikvNodeSetting", "nodeCount", 3, "nodeSpecKey", "8C32G",
		"nodeSpecDisplayName", "8 vCPU, 32 GiB", "storageSizeGi", 500,
		"storageType", "Standard",
		"port", 4000, "state", state, "version", "v8.5.2",
		"createdBy", "emulator@example.com", "createTime", ts,
		"updateTime", ts, "regionDisplayName", region->display,
		"cloudProvider", region->cloud,
		"annotations", "tidb.cloud/has-set-password", "true");
	emu_object_dedicated_sync_groups(o);
	return o;
}

void emu_object_dedicated_sync_groups(json_t *obj)
{
	const char *state = json_string_value(json_object_get(obj, "state"));
	const char *gstate = "ACTIVE";
	json_t *groups = json_object_get(json_object_get(obj, "tidbNodeSetting"),
					 "tidbNodeGroups");
	size_t i;
	json_t *g;

	if (!state)
		return;
	if (strcmp(state, "PAUSED") == 0 || strcmp(state, "PAUSING") == 0)
		gstate = "PAUSED";
	else if (strcmp(state, "MODIFYING") == 0 ||
		 strcmp(state, "RESUMING") == 0 ||
		 strcmp(state, "CREATING") == 0)
		gstate = "MODIFYING";
	json_array_foreach(groups, i, g)
		if (json_is_object(g))
			json_object_set_new(g, "state", json_string(gstate));
}
