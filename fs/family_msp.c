/*
 * family_msp.c — <org>/msp/customers/<customer>/ (MSP, deprecated;
 * msp.tidbapi.com/v1beta1/msp, iam-account-v1beta1.cli.swagger.json).
 * A customer is named by its orgName (its orgId is the alias and the id):
 * customer.json is the listing item (or GET /mspCustomers/{orgId}),
 * signup-url the customerSignupUrl of POST /customerSignupUrl {orgId}: a
 * fresh URL, cached like any answer for cache_timeout (so one cat costs
 * one POST). Read-only. An organization that is no MSP sees msp/ and
 * customers/, whose listing fails with the API's 403 (EACCES, .error).
 */
#include "tcfs.h"

static json_t *signup_body(const struct tcfs_node *n)
{
	const char *id = tcfs_node_id(n);

	return json_pack("{s:s}", "orgId", id ? id : "");
}

static const struct tcfs_file_desc msp_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc msp_customers_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc msp_customer_files[] = {
	{ .name = "customer.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "signup-url", .type = TCFS_F_CALL, .mode = 0444,
	  .call = TCFS_CALL0(tc_desc_msp_signup_url_create),
	  .field = "customerSignupUrl", .call_body = signup_body },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

const struct tcfs_kind_desc tcfs_row_msp = {
	.kind = TCFS_K_MSP, .label = "msp", .cls = TCFS_C_STATIC,
	.parents = { TCFS_K_ORG }, .nparents = 1, .dir_name = "msp",
	TCFS_FILES(msp_files),
};

const struct tcfs_kind_desc tcfs_row_msp_customers = {
	.kind = TCFS_K_MSP_CUSTOMERS, .label = "MSP customers",
	.cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_MSP }, .nparents = 1, .dir_name = "customers",
	TCFS_FILES(msp_customers_files),
	.sources = { { TCFS_K_MSP_CUSTOMER, TCFS_K_ROOT } }, .nsources = 1,
};

const struct tcfs_kind_desc tcfs_row_msp_customer = {
	.kind = TCFS_K_MSP_CUSTOMER, .label = "MSP customer",
	.cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_MSP_CUSTOMERS }, .nparents = 1,
	TCFS_FILES(msp_customer_files),
	.id_key = "orgId", .name_key = "orgName", .state_key = "state",
	.list = TCFS_CALL0(tc_desc_msp_customers_list),
	.get = TCFS_CALL(tc_desc_msp_customer_get, 0),
};
