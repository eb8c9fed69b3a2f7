/*
 * families.h — THE list of node kinds: one X(KIND, row) per kind, in the
 * order of the table. It makes the enum tcfs_kind (tcfs.h) and the table
 * of rows (resources.c); each row is defined in its family's file
 * (fs/family_<name>.c: rows, spec schema, templates, hooks) or, for the
 * fixed directories, in resources.c. Adding a family: its rows here, its
 * file, its descriptors (api/calls.c), its tests — nothing else.
 */
#ifndef TCFS_FAMILIES_H
#define TCFS_FAMILIES_H

#define TCFS_KINDS(X)                                                   \
	X(ROOT, root)               /* /                               */ \
	X(ORG, org)                 /* /<org>                          */ \
	X(REGIONS, regions)         /* /<org>/regions                  */ \
	X(PROJECTS, projects)       /* family_projects.c               */ \
	X(PROJECT, project)                                               \
	X(CLUSTERS, clusters)       /* family_clusters.c               */ \
	X(SLS_CLUSTER, sls_cluster) /* Starter / Essential             */ \
	X(DED_CLUSTER, ded_cluster) /* Dedicated                       */ \
	X(BACKUPS, backups)         /* family_backups.c                */ \
	X(SLS_BACKUP, sls_backup)   /* of a Starter / Essential cluster */ \
	X(DED_BACKUP, ded_backup)   /* of a Dedicated cluster          */ \
	X(BRANCHES, branches)       /* family_branches.c               */ \
	X(BRANCH, branch)           /* of a Starter / Essential cluster */ \
	X(EXPORTS, exports)         /* family_exports.c                */ \
	X(EXPORT, export)           /* of a Starter / Essential cluster */ \
	X(EXPORT_FILES, export_files) /* an export's files/            */ \
	X(EXPORT_FILE, export_file) /* one file of it (a stream file)  */ \
	X(SQL_USERS, sql_users)     /* family_sql_users.c              */ \
	X(SQL_USER, sql_user)                                             \
	X(PRIVATE_ENDPOINTS, private_endpoints) /* family_private_endpoints.c */ \
	X(PRIVATE_ENDPOINT, private_endpoint) \
	X(RESTORES, restores)       /* family_restores.c               */ \
	X(RESTORE, restore)         /* a Dedicated restore task        */ \
	X(IMPORTS, imports)         /* family_imports.c                */ \
	X(SLS_IMPORT, sls_import)   /* of a Starter / Essential cluster */ \
	X(DED_IMPORT, ded_import)   /* of a Dedicated cluster          */ \
	X(V1_IMPORT, v1_import)     /* deprecated v1beta task, read-only */ \
	X(NODE_GROUPS, node_groups) /* family_node_groups.c            */ \
	X(NODE_GROUP, node_group)   /* a TiDB node group of a Dedicated cluster */ \
	X(DATA_APPS, data_apps)     /* family_dataapps.c               */ \
	X(DATA_APP, data_app)                                             \
	X(DA_ENDPOINTS, da_endpoints)                                     \
	X(DA_ENDPOINT, da_endpoint)                                       \
	X(DA_KEYS, da_keys)          /* family_dataapp_parts.c          */ \
	X(DA_KEY, da_key)                                                 \
	X(DA_SOURCES, da_sources)                                         \
	X(DA_SOURCE, da_source)                                           \
	X(DA_DEPLOYMENTS, da_deployments)                                 \
	X(DA_DEPLOYMENT, da_deployment) \
	X(DED_REGIONS, ded_regions) /* family_regions.c: regions/dedicated */ \
	X(DED_REGION, ded_region)   /* one region: its node specs      */ \
	X(MSP, msp)                 /* family_msp.c: <org>/msp         */ \
	X(MSP_CUSTOMERS, msp_customers) \
	X(MSP_CUSTOMER, msp_customer) \
	X(API_KEYS, api_keys)       /* family_apikeys.c                */ \
	X(API_KEY, api_key)         /* an IAM API key of the org       */ \
	X(BILLING, billing)         /* family_billing.c                */ \
	X(BILL, bill)               /* a month's bill (YYYY-MM)        */

#endif
