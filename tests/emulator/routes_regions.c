/*
 * routes_regions.c — dedicated.tidbapi.com /v1beta1 regions beyond the list
 * (routes_dedicated.c): one region, the cloud providers, and the node specs
 * of a region (dedicated-v1beta1.json, RegionService).
 *
 *   GET /v1beta1/regions/{regionId}?projectId → Region (404 unknown)
 *   GET /v1beta1/regions:showCloudProviders?projectId → {cloudProviders[]}
 *   GET /v1beta1/regions/{regionId}/nodeSpecs?componentType&projectId&
 *       clusterId&pageSize(10)&pageToken&skip
 *       → {nodeSpecs[], totalSize, nextPageToken}
 *   GET /v1beta1/regions/{id}/componentTypes/{TIDB|TIKV|TIFLASH|PD}/
 *       nodeSpecs/{nodeSpecKey} → NodeSpec
 *
 * NodeSpec (all output only): name "regions/{r}/componentTypes/{c}/
 * nodeSpecs/{key}", regionId, componentType, nodeSpecKey, displayName
 * ("8 vCPU, 32 GiB"), vCpu, memorySizeGi, defaultNodeCount, default, and
 * for storage components (TIKV, TIFLASH) min/max/defaultStorageSizeGi and
 * storageTypes; TiKV also min/maxRaftStoreIops. The table is the same in
 * every region (GCP regions have no Plus storage). 400: componentType not
 * one of the enum; 404 (google.rpc.Status): region or node spec unknown.
 * No seed: generated from the regions table (objects.c).
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"

#include <stdio.h>
#include <string.h>

static const char *const component_types[] = { "TIDB", "TIKV", "TIFLASH",
						"PD", NULL };

struct spec_row {
	const char *component;
	const char *key;
	int vcpu, mem;
	int storage_min, storage_max, storage_def;   /* 0: no storage */
	int def_count;
	bool is_default;
};

static const struct spec_row spec_rows[] = {
	{ "TIDB", "4C16G", 4, 16, 0, 0, 0, 2, false },
	{ "TIDB", "8C16G", 8, 16, 0, 0, 0, 2, true },
	{ "TIDB", "16C32G", 16, 32, 0, 0, 0, 2, false },
	{ "TIDB", "32C64G", 32, 64, 0, 0, 0, 2, false },
	{ "TIKV", "4C16G", 4, 16, 200, 2048, 500, 3, false },
	{ "TIKV", "8C32G", 8, 32, 200, 4096, 500, 3, true },
	{ "TIKV", "8C64G", 8, 64, 200, 4096, 500, 3, false },
	{ "TIKV", "16C64G", 16, 64, 200, 6144, 1000, 3, false },
	{ "TIFLASH", "8C64G", 8, 64, 200, 4096, 500, 1, true },
	{ "TIFLASH", "16C128G", 16, 128, 200, 8192, 1000, 1, false },
	{ "PD", "4C8G", 4, 8, 0, 0, 0, 3, true },
	{ "PD", "8C16G", 8, 16, 0, 0, 0, 3, false },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, false }
};

static const struct emu_region *dedicated_region(const struct emu_request *rq,
						 struct emu_response *rs,
						 const char *id)
{
	const struct emu_region *r = emu_region_find(id);

	if (!r || !r->dedicated) {
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "region %s not found", id);
		return NULL;
	}
	return r;
}

static json_t *node_spec(const struct emu_region *r,
			  const struct spec_row *s)
{
	char name[192], disp[64];
	json_t *o;

	snprintf(name, sizeof(name), "regions/%s/componentTypes/%s/nodeSpecs/%s",
		 r->id, s->component, s->key);
	snprintf(disp, sizeof(disp), "%d vCPU, %d GiB", s->vcpu, s->mem);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "name", name,
		      "regionId", r->id, "componentType", s->component,
		      "nodeSpecKey", s->key, "displayName", disp,
		      "vCpu", s->vcpu, "memorySizeGi", s->mem);
	if (s->storage_max) {
		json_t *types = json_pack("[s,s,s]", "Basic", "Standard",
					  "Performance");

		if (strcmp(r->cloud, "aws") == 0)
			json_array_append_new(types, json_string("Plus"));
		json_object_set_new(o, "defaultStorageSizeGi",
				    json_integer(s->storage_def));
		json_object_set_new(o, "maxStorageSizeGi",
				    json_integer(s->storage_max));
		json_object_set_new(o, "minStorageSizeGi",
				    json_integer(s->storage_min));
		json_object_set_new(o, "storageTypes", types);
	}
	json_object_set_new(o, "defaultNodeCount", json_integer(s->def_count));
	if (strcmp(s->component, "TIKV") == 0) {
		json_object_set_new(o, "maxRaftStoreIops", json_integer(20000));
		json_object_set_new(o, "minRaftStoreIops", json_integer(3000));
	}
	json_object_set_new(o, "default", json_boolean(s->is_default));
	return o;
}

static void get_region(const struct emu_request *rq, struct emu_response *rs)
{
	const struct emu_region *r = dedicated_region(rq, rs, rq->ids[0]);

	if (r)
		rs->body = emu_object_region(r, false);
}

static void show_cloud_providers(const struct emu_request *rq,
				 struct emu_response *rs)
{
	json_t *arr = json_array();

	(void)rq;
	for (const struct emu_region *r = emu_regions; r->id; r++) {
		bool seen = false;
		size_t i;
		json_t *v;

		if (!r->dedicated)
			continue;
		json_array_foreach(arr, i, v)
			if (strcmp(json_string_value(v), r->cloud) == 0)
				seen = true;
		if (!seen)
			json_array_append_new(arr, json_string(r->cloud));
	}
	rs->body = json_pack("{s:o}", "cloudProviders", arr);
}

static bool known_component(const char *c)
{
	for (size_t i = 0; c && component_types[i]; i++)
		if (strcmp(c, component_types[i]) == 0)
			return true;
	return false;
}

static void list_node_specs(const struct emu_request *rq, struct emu_response *rs)
{
	const struct emu_region *r = dedicated_region(rq, rs, rq->ids[0]);
	const char *comp = emu_query(rq, "componentType");
	json_t *all;

	if (!r)
		return;
	if (comp && *comp && !known_component(comp)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid value for enum field componentType: \"%s\"",
			  comp);
		return;
	}
	all = json_array();
	for (const struct spec_row *s = spec_rows; s->component; s++)
		if (!comp || !*comp || strcmp(comp, s->component) == 0)
			json_array_append_new(all, node_spec(r, s));
	emu_page_answer(rq, rs, EMU_PAGING_TOKEN, 10, "nodeSpecs", all);
}

static void get_node_spec(const struct emu_request *rq, struct emu_response *rs)
{
	const struct emu_region *r = dedicated_region(rq, rs, rq->ids[0]);

	if (!r)
		return;
	if (!known_component(rq->ids[1])) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid value for enum field componentType: \"%s\"",
			  rq->ids[1]);
		return;
	}
	for (const struct spec_row *s = spec_rows; s->component; s++)
		if (strcmp(rq->ids[1], s->component) == 0 &&
		    strcmp(rq->ids[2], s->key) == 0) {
			rs->body = node_spec(r, s);
			return;
		}
	emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
		  "node spec %s of %s not found in region %s", rq->ids[2],
		  rq->ids[1], r->id);
}

static const struct emu_route routes[] = {
	{ EMU_FAM_DEDICATED, "GET", "/v1beta1/regions:showCloudProviders",
	  show_cloud_providers },
	{ EMU_FAM_DEDICATED, "GET", "/v1beta1/regions/{id}", get_region },
	{ EMU_FAM_DEDICATED, "GET", "/v1beta1/regions/{id}/nodeSpecs",
	  list_node_specs },
	{ EMU_FAM_DEDICATED, "GET",
	  "/v1beta1/regions/{id}/componentTypes/{id}/nodeSpecs/{id}", get_node_spec },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module regions_module = { "regions", routes, NULL };
EMU_MODULE(regions_module)
