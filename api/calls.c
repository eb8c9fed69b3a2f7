/*
 * calls.c — the descriptors of every API call the filesystem makes or is
 * about to make (tidbcloud.h). One row per call; paths are relative to the
 * family's base URL ("/api/v1beta", "/v1beta1"), "{}" takes the next id.
 * Checked against shared/tidbcloud-api/API-NOTES.md and the specs in
 * shared/tidbcloud-api/specs/ (file named per group).
 */
#include "tidbcloud.h"

#define V1    TC_FAMILY_V1BETA
#define SL    TC_FAMILY_SERVERLESS
#define DED   TC_FAMILY_DEDICATED
#define IAM   TC_FAMILY_IAM

#define CALL(var, fam, meth, p, q) \
	const tc_call_desc var = { #var, fam, meth, p, q, NULL, TC_PAGING_NONE }
#define LIST(var, fam, p, q, key, style) \
	const tc_call_desc var = { #var, fam, "GET", p, q, key, style }

/* v1beta.json: projects */
LIST(tc_desc_projects_list, V1, "/projects", NULL, "items", TC_PAGING_PAGE);
CALL(tc_desc_project_create, V1, "POST", "/projects", NULL);

/* regions: serverless-v1beta1.json (not paged), dedicated-v1beta1.json */
LIST(tc_desc_serverless_regions_list, SL, "/regions", NULL, "regions",
     TC_PAGING_TOKEN_PLAIN);
LIST(tc_desc_dedicated_regions_list, DED, "/regions", NULL, "regions",
     TC_PAGING_TOKEN);

/* serverless-v1beta1.json, serverless-v1beta1-cli/cluster.swagger.json */
LIST(tc_desc_serverless_clusters_list, SL, "/clusters", "filter=projectId%3D{}",
     "clusters", TC_PAGING_TOKEN);
CALL(tc_desc_serverless_cluster_get, SL, "GET", "/clusters/{}", "view=FULL");
CALL(tc_desc_serverless_cluster_create, SL, "POST", "/clusters", NULL);
CALL(tc_desc_serverless_cluster_update, SL, "PATCH", "/clusters/{}", NULL);
CALL(tc_desc_serverless_cluster_delete, SL, "DELETE", "/clusters/{}", NULL);
/* serverless-v1beta1-cli/br.swagger.json: {snapshot{backupId}} or
 * {pointInTime{clusterId, backupTime}} → {clusterId} of the new cluster */
CALL(tc_desc_serverless_cluster_restore, SL, "POST", "/clusters:restore", NULL);

/* dedicated-v1beta1.json */
LIST(tc_desc_dedicated_clusters_list, DED, "/clusters", "projectId={}",
     "clusters", TC_PAGING_TOKEN);
CALL(tc_desc_dedicated_cluster_get, DED, "GET", "/clusters/{}", NULL);
CALL(tc_desc_dedicated_cluster_create, DED, "POST", "/clusters", NULL);
CALL(tc_desc_dedicated_cluster_update, DED, "PATCH", "/clusters/{}", NULL);
CALL(tc_desc_dedicated_cluster_delete, DED, "DELETE", "/clusters/{}", NULL);
CALL(tc_desc_dedicated_cluster_pause, DED, "POST", "/clusters/{}:pauseCluster",
     NULL);
CALL(tc_desc_dedicated_cluster_resume, DED, "POST",
     "/clusters/{}:resumeCluster", NULL);

/* serverless-v1beta1-cli/br.swagger.json: backups of Starter/Essential */
LIST(tc_desc_serverless_backups_list, SL, "/backups", "clusterId={}",
     "backups", TC_PAGING_TOKEN);
CALL(tc_desc_serverless_backup_get, SL, "GET", "/backups/{}", NULL);
CALL(tc_desc_serverless_backup_delete, SL, "DELETE", "/backups/{}", NULL);

/* v1beta.json: backups of Dedicated clusters, and restores */
LIST(tc_desc_dedicated_backups_list, V1, "/projects/{}/clusters/{}/backups",
     NULL, "items", TC_PAGING_PAGE);
CALL(tc_desc_dedicated_backup_create, V1, "POST",
     "/projects/{}/clusters/{}/backups", NULL);
CALL(tc_desc_dedicated_backup_get, V1, "GET",
     "/projects/{}/clusters/{}/backups/{}", NULL);
CALL(tc_desc_dedicated_backup_delete, V1, "DELETE",
     "/projects/{}/clusters/{}/backups/{}", NULL);
LIST(tc_desc_restores_list, V1, "/projects/{}/restores", NULL, "items",
     TC_PAGING_PAGE);
CALL(tc_desc_restore_create, V1, "POST", "/projects/{}/restores", NULL);
CALL(tc_desc_restore_get, V1, "GET", "/projects/{}/restores/{}", NULL);

/* serverless-v1beta1.json: branches */
LIST(tc_desc_branches_list, SL, "/clusters/{}/branches", NULL, "branches",
     TC_PAGING_TOKEN);
CALL(tc_desc_branch_create, SL, "POST", "/clusters/{}/branches", NULL);
CALL(tc_desc_branch_get, SL, "GET", "/clusters/{}/branches/{}", NULL);
CALL(tc_desc_branch_delete, SL, "DELETE", "/clusters/{}/branches/{}", NULL);
CALL(tc_desc_branch_reset, SL, "POST", "/clusters/{}/branches/{}:reset", NULL);

/* serverless-v1beta1.json + serverless-v1beta1-cli/export.swagger.json */
LIST(tc_desc_exports_list, SL, "/clusters/{}/exports", NULL, "exports",
     TC_PAGING_TOKEN);
CALL(tc_desc_export_create, SL, "POST", "/clusters/{}/exports", NULL);
CALL(tc_desc_export_get, SL, "GET", "/clusters/{}/exports/{}", NULL);
CALL(tc_desc_export_delete, SL, "DELETE", "/clusters/{}/exports/{}", NULL);
CALL(tc_desc_export_cancel, SL, "POST", "/clusters/{}/exports/{}:cancel", NULL);
LIST(tc_desc_export_files_list, SL, "/clusters/{}/exports/{}/files",
     "generateUrl=false", "files", TC_PAGING_TOKEN);
/* body {fileNames: [...]} (at most 100) → {files[{name, size, url}]} */
CALL(tc_desc_export_files_download, SL, "POST",
     "/clusters/{}/exports/{}/files:download", NULL);

/* serverless-v1beta1.json + serverless-v1beta1-cli/import.swagger.json */
LIST(tc_desc_serverless_imports_list, SL, "/clusters/{}/imports", NULL,
     "imports", TC_PAGING_TOKEN);
CALL(tc_desc_serverless_import_create, SL, "POST", "/clusters/{}/imports", NULL);
CALL(tc_desc_serverless_import_get, SL, "GET", "/clusters/{}/imports/{}", NULL);
CALL(tc_desc_serverless_import_cancel, SL, "POST",
     "/clusters/{}/imports/{}:cancel", NULL);
CALL(tc_desc_serverless_import_start_upload, SL, "POST",
     "/clusters/{}/imports:startUpload",
     "fileName={}&partNumber={}&targetDatabase={}&targetTable={}");
/* body: JSON array [{partNumber, etag}] */
CALL(tc_desc_serverless_import_complete_upload, SL, "POST",
     "/clusters/{}/imports:completeUpload", "uploadId={}");
CALL(tc_desc_serverless_import_cancel_upload, SL, "POST",
     "/clusters/{}/imports:cancelUpload", "uploadId={}");

/* dedicated-v1beta1.json: imports */
LIST(tc_desc_dedicated_imports_list, DED, "/clusters/{}/imports", NULL,
     "imports", TC_PAGING_TOKEN);
CALL(tc_desc_dedicated_import_create, DED, "POST", "/clusters/{}/imports", NULL);
CALL(tc_desc_dedicated_import_get, DED, "GET", "/clusters/{}/imports/{}", NULL);
CALL(tc_desc_dedicated_import_cancel, DED, "POST",
     "/clusters/{}/imports/{}:cancel", NULL);

/* v1beta.json (deprecated): import tasks of a cluster, read-only */
LIST(tc_desc_v1beta_imports_list, V1, "/projects/{}/clusters/{}/imports", NULL,
     "items", TC_PAGING_PAGE);
CALL(tc_desc_v1beta_import_get, V1, "GET",
     "/projects/{}/clusters/{}/imports/{}", NULL);

/* iam-account-v1beta1.cli.swagger.json: SQL users */
LIST(tc_desc_sql_users_list, IAM, "/clusters/{}/sqlUsers", NULL, "sqlUsers",
     TC_PAGING_TOKEN);
CALL(tc_desc_sql_user_create, IAM, "POST", "/clusters/{}/sqlUsers", NULL);
CALL(tc_desc_sql_user_get, IAM, "GET", "/clusters/{}/sqlUsers/{}", NULL);
CALL(tc_desc_sql_user_update, IAM, "PATCH", "/clusters/{}/sqlUsers/{}", NULL);
CALL(tc_desc_sql_user_delete, IAM, "DELETE", "/clusters/{}/sqlUsers/{}", NULL);

/* dedicated-v1beta1.json: private endpoints of a TiDB node group */
CALL(tc_desc_private_link_service_get, DED, "GET",
     "/clusters/{}/tidbNodeGroups/{}/privateLinkService", NULL);
LIST(tc_desc_private_endpoint_connections_list, DED,
     "/clusters/{}/tidbNodeGroups/{}/privateEndpointConnections", NULL,
     "privateEndpointConnections", TC_PAGING_TOKEN);
/* dedicated-v1beta1.cli.swagger.json: the TiDB node groups of a cluster */
LIST(tc_desc_tidb_node_groups_list, DED, "/clusters/{}/tidbNodeGroups", NULL,
     "tidbNodeGroups", TC_PAGING_TOKEN);
CALL(tc_desc_tidb_node_group_get, DED, "GET", "/clusters/{}/tidbNodeGroups/{}",
     NULL);
/* every node group of one cluster ("-" for the node group) */
LIST(tc_desc_private_endpoint_connections_of_cluster, DED,
     "/clusters/{}/tidbNodeGroups/-/privateEndpointConnections", NULL,
     "privateEndpointConnections", TC_PAGING_TOKEN);
/* every cluster and node group of one project ("-" for both, projectId) */
LIST(tc_desc_private_endpoint_connections_of_project, DED,
     "/clusters/-/tidbNodeGroups/-/privateEndpointConnections", "projectId={}",
     "privateEndpointConnections", TC_PAGING_TOKEN);
CALL(tc_desc_private_endpoint_connection_create, DED, "POST",
     "/clusters/{}/tidbNodeGroups/{}/privateEndpointConnections", NULL);
CALL(tc_desc_private_endpoint_connection_get, DED, "GET",
     "/clusters/{}/tidbNodeGroups/{}/privateEndpointConnections/{}", NULL);
CALL(tc_desc_private_endpoint_connection_delete, DED, "DELETE",
     "/clusters/{}/tidbNodeGroups/{}/privateEndpointConnections/{}", NULL);

/* dataservice-v1beta1.json: Data Apps and what is under them */
#define DS TC_FAMILY_DATASERVICE
LIST(tc_desc_data_apps_list, DS, "/dataApps", "projectId={}", "dataApps",
     TC_PAGING_TOKEN);
CALL(tc_desc_data_app_create, DS, "POST", "/dataApps", NULL);
CALL(tc_desc_data_app_get, DS, "GET", "/dataApps/{}", NULL);
CALL(tc_desc_data_app_update, DS, "PATCH", "/dataApps/{}", NULL);
CALL(tc_desc_data_app_delete, DS, "DELETE", "/dataApps/{}", NULL);
CALL(tc_desc_data_app_api_spec, DS, "GET", "/dataApps/{}/apiSpec",
     "format=JSON");
LIST(tc_desc_data_app_endpoints_list, DS, "/dataApps/{}/endpoints", NULL,
     "endpoints", TC_PAGING_TOKEN);
CALL(tc_desc_data_app_endpoint_create, DS, "POST", "/dataApps/{}/endpoints",
     NULL);
CALL(tc_desc_data_app_endpoint_get, DS, "GET", "/dataApps/{}/endpoints/{}",
     NULL);
CALL(tc_desc_data_app_endpoint_update, DS, "PATCH",
     "/dataApps/{}/endpoints/{}", NULL);
CALL(tc_desc_data_app_endpoint_delete, DS, "DELETE",
     "/dataApps/{}/endpoints/{}", NULL);
CALL(tc_desc_data_app_endpoint_test, DS, "POST",
     "/dataApps/{}/endpoints/{}/test", NULL);
LIST(tc_desc_data_app_keys_list, DS, "/dataApps/{}/apiKeys", NULL, "apiKeys",
     TC_PAGING_TOKEN);
CALL(tc_desc_data_app_key_create, DS, "POST", "/dataApps/{}/apiKeys", NULL);
CALL(tc_desc_data_app_key_get, DS, "GET", "/dataApps/{}/apiKeys/{}", NULL);
CALL(tc_desc_data_app_key_update, DS, "PATCH", "/dataApps/{}/apiKeys/{}", NULL);
CALL(tc_desc_data_app_key_delete, DS, "DELETE", "/dataApps/{}/apiKeys/{}",
     NULL);
LIST(tc_desc_data_app_sources_list, DS, "/dataApps/{}/dataSources", NULL,
     "dataSources", TC_PAGING_TOKEN);
CALL(tc_desc_data_app_source_create, DS, "POST", "/dataApps/{}/dataSources",
     NULL);
CALL(tc_desc_data_app_source_get, DS, "GET", "/dataApps/{}/dataSources/{}",
     NULL);
CALL(tc_desc_data_app_source_delete, DS, "DELETE",
     "/dataApps/{}/dataSources/{}", NULL);
LIST(tc_desc_data_app_deployments_list, DS, "/dataApps/{}/deployments", NULL,
     "deployments", TC_PAGING_TOKEN);
CALL(tc_desc_data_app_deployment_create, DS, "POST",
     "/dataApps/{}/deployments", NULL);
CALL(tc_desc_data_app_deployment_get, DS, "GET",
     "/dataApps/{}/deployments/{}", NULL);
/* issue 10, regions / MSP / AWS CMEK */
#define MSP   TC_FAMILY_MSP
/* dedicated-v1beta1.json: the node specs of a region (pageSize 10..100) */
LIST(tc_desc_dedicated_node_specs_list, DED, "/regions/{}/nodeSpecs", NULL,
     "nodeSpecs", TC_PAGING_TOKEN);
/* iam-account-v1beta1.cli.swagger.json, host msp.tidbapi.com/v1beta1/msp */
LIST(tc_desc_msp_customers_list, MSP, "/mspCustomers", NULL, "mspCustomers",
     TC_PAGING_TOKEN);
CALL(tc_desc_msp_customer_get, MSP, "GET", "/mspCustomers/{}", NULL);
/* body {orgId} → {customerSignupUrl, expiredAt} */
CALL(tc_desc_msp_signup_url_create, MSP, "POST", "/customerSignupUrl", NULL);
/* v1beta.json: GET → {items[{region, kms_arn}]}; POST {specs[...]} → {} */
CALL(tc_desc_aws_cmek_get, V1, "GET", "/projects/{}/aws-cmek", NULL);
CALL(tc_desc_aws_cmek_create, V1, "POST", "/projects/{}/aws-cmek", NULL);
/* iam-v1beta1.json: the organization's API keys (org/api-keys/) */
LIST(tc_desc_apikeys_list, IAM, "/apikeys", NULL, "apiKeys", TC_PAGING_TOKEN);
CALL(tc_desc_apikey_create, IAM, "POST", "/apikeys", NULL);
CALL(tc_desc_apikey_get, IAM, "GET", "/apikeys/{}", NULL);
CALL(tc_desc_apikey_update, IAM, "PATCH", "/apikeys/{}", NULL);
CALL(tc_desc_apikey_delete, IAM, "DELETE", "/apikeys/{}", NULL);

/* billing-v1beta1.json: monthly bills (org/billing/). bills_months is never
 * sent: it names the cache key of billing/, whose months come from the
 * clock (fs/family_billing.c) */
CALL(tc_desc_bills_months, TC_FAMILY_BILLING, "GET", "/bills", NULL);
CALL(tc_desc_bill_get, TC_FAMILY_BILLING, "GET", "/bills/{}", NULL);
CALL(tc_desc_bill_details_get, TC_FAMILY_BILLING, "GET", "/billsDetails/{}",
     NULL);
