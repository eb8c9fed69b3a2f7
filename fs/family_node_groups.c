/*
 * family_node_groups.c — clusters/<dedicated>/node-groups/ and
 * node-groups/<g>/: the TiDB node groups of a Dedicated cluster (dedicated
 * v1beta1 GET /clusters/{c}/tidbNodeGroups[/{g}], the CLI's spec), named
 * by displayName (the tidbNodeGroupId is an alias), with each group's
 * PrivateLink service:
 *
 *   node-groups/<g>/{node-group.json, id, state, private-link-service.json, .error}
 *
 * clusters/<c>/private-link-service.json stays the default group's (the one
 * most users have); every other group's is in its own directory, so that a
 * script reads a group's service by the group's name, one request each.
 * Groups are added, resized and removed through the cluster's spec.json
 * (tidbNodeSetting.tidbNodeGroups): no mkdir or rmdir here.
 */
#include "tcfs.h"

static const struct tcfs_file_desc groups_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc group_files[] = {
	{ .name = "node-group.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "private-link-service.json", .type = TCFS_F_CALL, .mode = 0444,
	  .call = TCFS_CALL(tc_desc_private_link_service_get, 1, 2) },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

const struct tcfs_kind_desc tcfs_row_node_groups = {
	.kind = TCFS_K_NODE_GROUPS, .label = "node-groups",
	.cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_DED_CLUSTER }, .nparents = 1,
	.dir_name = "node-groups", TCFS_FILES(groups_files),
	.sources = { { TCFS_K_NODE_GROUP, TCFS_K_ROOT } }, .nsources = 1,
};

/* ids: 0 project, 1 cluster, 2 node group */
const struct tcfs_kind_desc tcfs_row_node_group = {
	.kind = TCFS_K_NODE_GROUP, .label = "TiDB node group",
	.cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_NODE_GROUPS }, .nparents = 1,
	TCFS_FILES(group_files),
	.id_key = "tidbNodeGroupId", .name_key = "displayName",
	.state_key = "state",
	.list = TCFS_CALL(tc_desc_tidb_node_groups_list, 1),
	.get = TCFS_CALL(tc_desc_tidb_node_group_get, 1, 2),
	.remove_refusal = "a TiDB node group is removed through the cluster's "
			  "spec.json (tidbNodeSetting.tidbNodeGroups)",
};
