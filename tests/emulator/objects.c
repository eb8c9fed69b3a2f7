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
	/* Real bodies carry the deprecated region.provider, the usage
	 * (requestUnit an int64 rendered as a string) and the audit log
	 * switch; list items lack automatedBackupPolicy, spendingLimit and
	 * usage (routes_serverless.c). */
	json_object_set_new(o, "usage", json_pack(
		"{s:s, s:I, s:I}", "requestUnit", essential ? "1843200" : "65536",
		"rowStorage", (json_int_t)(essential ? 268435456 : 1176692),
		"columnarStorage", (json_int_t)0));
	json_object_set_new(o, "auditLogConfig", json_pack(
		"{s:b, s:b}", "enabled", 0, "unredacted", 0));
	if (essential)
		json_object_set_new(o, "autoScaling",
				    json_pack("{s:i, s:i}", "minRcu", 2000,
					      "maxRcu", 4000));
	else
		json_object_set_new(o, "spendingLimit",
				    json_pack("{s:i}", "monthly", 0));
	return o;
}

void emu_node_spec_display(const char *key, char *out, size_t size)
{
	unsigned cpu, mem;
	char c, g, extra;

	/* "8C32G" → "8 vCPU, 32 GiB"; an unknown shape is shown as it is */
	if (key && sscanf(key, "%u%c%u%c%c", &cpu, &c, &mem, &g, &extra) == 4 &&
	    (c == 'C' || c == 'c') && (g == 'G' || g == 'g'))
		snprintf(out, size, "%u vCPU, %u GiB", cpu, mem);
	else
		snprintf(out, size, "%s", key ? key : "");
}

json_t *emu_object_dedicated(const char *id, const char *display_name,
			     const char *project_id,
			     const struct emu_region *region, const char *state,
			     time_t created)
{
	char name[64], ts[32], host[160], vhost[160], phost[160], gid[40],
	     gname[64];
	const char *tail = id + (strlen(id) > 12 ? strlen(id) - 12 : 0);

	snprintf(name, sizeof(name), "clusters/%s", id);
	emu_rfc3339(ts, created);
	snprintf(host, sizeof(host), "tidb.%.12s.clusters.tidb-cloud.com", tail);
	snprintf(vhost, sizeof(vhost),
		 "private-tidb.%.12s.clusters.tidb-cloud.com", tail);
	snprintf(gid, sizeof(gid), "%s01", id);
	snprintf(gname, sizeof(gname), "tidbNodeGroups/%s", gid);
	snprintf(phost, sizeof(phost),
		 "privatelink-%.8s.%.12s.clusters.tidb-cloud.com", gid + 4, tail);

	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:s, s:{s:s, s:s},"
		" s:{s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:i,"
		"   s:[{s:s, s:i, s:s}, {s:s, s:i, s:s}, {s:s, s:i, s:s}],"
		"   s:s, s:s, s:b, s:s}]},"
		" s:{s:i, s:s, s:s, s:i, s:s},"
		" s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}",
		"name", name, "clusterId", id, "displayName", display_name,
		"regionId", region->id,
		"labels", "tidb.cloud/project", project_id,
		"tidb.cloud/organization", emu_model_org_id(),
		"tidbNodeSetting", "nodeSpecKey", "8C16G",
		"nodeSpecDisplayName", "8 vCPU, 16 GiB",
		"tidbNodeGroups", "name", gname, "tidbNodeGroupId", gid,
		"clusterId", id, "displayName", "DefaultGroup", "nodeCount", 2,
		"endpoints", "host", host, "port", 4000,
		"connectionType", "PUBLIC", "host", vhost, "port", 4000,
		"connectionType", "VPC_PEERING", "host", phost, "port", 4000,
		"connectionType", "PRIVATE_ENDPOINT",
		"nodeSpecKey", "8C16G", "nodeSpecDisplayName", "8 vCPU, 16 GiB",
		"isDefaultGroup", 1, "state", "ACTIVE",
		"tikvNodeSetting", "nodeCount", 3, "nodeSpecKey", "8C32G",
		"nodeSpecDisplayName", "8 vCPU, 32 GiB", "storageSizeGi", 500,
		"storageType", "Standard",
		"port", 4000, "state", state, "version", "v8.5.2",
		"createdBy", "emulator@example.com", "createTime", ts,
		"updateTime", ts, "regionDisplayName", region->display,
		"cloudProvider", region->cloud,
		"annotations", "tidb.cloud/has-set-password", "true",
		"tidb.cloud/available-features",
		"DELEGATE_USER,DISABLE_PUBLIC_LB,PRIVATELINK");
	emu_object_dedicated_sync_groups(o);
	return o;
}

void emu_object_dedicated_sync_groups(json_t *obj)
{
	const char *state = json_string_value(json_object_get(obj, "state"));
	const char *gstate = NULL;
	json_t *groups = json_object_get(json_object_get(obj, "tidbNodeSetting"),
					 "tidbNodeGroups");
	size_t i;
	json_t *g;

	/* A group has a state of its own (real bodies show a MODIFYING group
	 * in an ACTIVE cluster): only a pause, a resume and the creation
	 * move every group; MODIFYING marks only the groups changed
	 * (routes_dedicated.c); a cluster back to ACTIVE ends its groups'
	 * transitions. */
	if (!state)
		return;
	if (strcmp(state, "PAUSED") == 0 || strcmp(state, "PAUSING") == 0)
		gstate = "PAUSED";
	else if (strcmp(state, "RESUMING") == 0 || strcmp(state, "CREATING") == 0)
		gstate = "MODIFYING";
	json_array_foreach(groups, i, g) {
		const char *cur = json_string_value(json_object_get(g, "state"));

		if (!json_is_object(g))
			continue;
		if (gstate)
			json_object_set_new(g, "state", json_string(gstate));
		else if (strcmp(state, "ACTIVE") == 0 && cur &&
			 (strcmp(cur, "MODIFYING") == 0 ||
			  strcmp(cur, "PAUSED") == 0))
			json_object_set_new(g, "state", json_string("ACTIVE"));
	}
}
