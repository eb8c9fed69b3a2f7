/*
 * family_regions.c — <org>/regions/dedicated/<region>/ (dedicated-v1beta1
 * RegionService): the Dedicated regions, one directory per regionId from
 * the one regions listing (the same call and cache key as
 * regions/dedicated.json), each with region.json (its listing item, no
 * request) and node-specs.json (GET /regions/{r}/nodeSpecs, every page,
 * pageSize 100: one request). Read-only: no mkdir, no rmdir.
 */
#include "tcfs.h"

static const struct tcfs_file_desc ded_regions_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc ded_region_files[] = {
	{ .name = "region.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "node-specs.json", .type = TCFS_F_CALL, .mode = 0444,
	  .call = TCFS_CALL(tc_desc_dedicated_node_specs_list, 0) },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

const struct tcfs_kind_desc tcfs_row_ded_regions = {
	.kind = TCFS_K_DED_REGIONS, .label = "dedicated regions",
	.cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_REGIONS }, .nparents = 1, .dir_name = "dedicated",
	TCFS_FILES(ded_regions_files),
	.sources = { { TCFS_K_DED_REGION, TCFS_K_ROOT } }, .nsources = 1,
};

const struct tcfs_kind_desc tcfs_row_ded_region = {
	.kind = TCFS_K_DED_REGION, .label = "region", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_DED_REGIONS }, .nparents = 1,
	TCFS_FILES(ded_region_files),
	.id_key = "regionId",
	.list = TCFS_CALL0(tc_desc_dedicated_regions_list),
};
