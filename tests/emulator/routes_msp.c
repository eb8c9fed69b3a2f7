/*
 * routes_msp.c — msp.tidbapi.com /v1beta1/msp, MSP customers (deprecated
 * 2024-10-15; iam-account-v1beta1.cli.swagger.json, where the paths appear
 * without the /v1beta1/msp prefix).
 *
 *   GET  /v1beta1/msp/mspCustomers?pageSize&pageToken
 *        → {mspCustomers[], nextPageToken} (pageSize 0 = all, default 100)
 *   GET  /v1beta1/msp/mspCustomers/{customerOrgId} → MspCustomer
 *   POST /v1beta1/msp/customerSignupUrl {orgId} → {customerSignupUrl,
 *        expiredAt} (a fresh URL each call, valid 7 days)
 *
 * MspCustomer: {id, orgId, orgName, email, state, effectedTime,
 * expiredTime} (times "YYYY-MM-DD HH:MM:SS"). Errors in the IAM shape
 * {code, error, msgPrefix, status}: 403 when the organization is no MSP
 * (every route), 400 orgId missing or not one of this MSP's customers,
 * 404 unknown customer.
 *
 * Seed: "regions_msp_cmek": {"mspCustomers": [{id, orgId, orgName, email,
 * state, effectedTime, expiredTime}]}. The organization is an MSP when
 * that array is present (it may be empty); otherwise every route answers
 * 403.
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define KIND "msp-customer"

/* Written by the seed loader (before the server runs), read after. */
static bool is_msp;

static bool msp_org(const struct emu_request *rq, struct emu_response *rs)
{
	if (is_msp)
		return true;
	emu_error(rs, rq->family, 403, (enum emu_rpc_code)7 /* PERMISSION_DENIED */,
		  "organization %s is not an MSP organization; the MSP API "
		  "is only available to MSP organizations", emu_model_org_id());
	return false;
}

static void list_customers(const struct emu_request *rq, struct emu_response *rs)
{
	const char *ps = emu_query(rq, "pageSize");
	json_t *all;

	if (!msp_org(rq, rs))
		return;
	all = emu_store_list(KIND, NULL, 0, NULL, NULL);
	if (ps && strcmp(ps, "0") == 0 && !emu_query(rq, "pageToken")) {
		rs->body = json_pack("{s:o}", "mspCustomers", all);
		return;
	}
	emu_page_answer_no_total(rq, rs, 100, "mspCustomers", all);
}

static void get_customer(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o;

	if (!msp_org(rq, rs))
		return;
	if (!(o = emu_find_or_404(rq, rs, KIND, NULL, 0, rq->ids[0],
				  "msp customer")))
		return;
	rs->body = json_deep_copy(o->obj);
}

static void signup_url(const struct emu_request *rq, struct emu_response *rs)
{
	char token[33], url[256], when[32];
	const char *org;
	time_t t = time(NULL) + 7 * 86400;
	struct tm tm;
	json_t *body;

	if (!msp_org(rq, rs) || !(body = emu_body_object(rq, rs)))
		return;
	org = emu_fstr(body, "orgId");
	if (!org || !*org) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "orgId is required");
	} else if (!emu_store_find(KIND, NULL, 0, org)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "org %s is not a customer of this MSP", org);
	} else {
		emu_random_hex(token, 16);
		snprintf(url, sizeof(url), "https://tidbcloud.com/signup?msp=%s"
			 "&third_party_account_provider=msp"
			 "&third_party_account_token=%s", emu_model_org_id(),
			 token);
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		rs->body = json_pack("{s:s, s:s}", "customerSignupUrl", url,
				     "expiredAt", when);
	}
	json_decref(body);
}

static int seed_customers(json_t *seed, char *err, size_t errlen)
{
	json_t *mine = json_object_get(seed, "regions_msp_cmek");
	json_t *list = json_object_get(mine, "mspCustomers"), *c;
	size_t i;

	is_msp = list != NULL;
	if (!list)
		return 0;
	if (!json_is_array(list)) {
		snprintf(err, errlen, "\"regions_msp_cmek.mspCustomers\" must be "
			 "an array");
		return -1;
	}
	json_array_foreach(list, i, c) {
		const char *org = emu_fstr(c, "orgId");

		if (!org || !emu_fstr(c, "orgName") ||
		    !emu_store_add(KIND, org, NULL, 0, json_deep_copy(c), NULL)) {
			snprintf(err, errlen, "regions_msp_cmek.mspCustomers[%zu]: "
				 "orgId and orgName are required, orgId unique", i);
			return -1;
		}
	}
	return 0;
}

static const struct emu_route routes[] = {
	{ EMU_FAM_MSP, "GET", "/v1beta1/msp/mspCustomers", list_customers },
	{ EMU_FAM_MSP, "GET", "/v1beta1/msp/mspCustomers/{id}", get_customer },
	{ EMU_FAM_MSP, "POST", "/v1beta1/msp/customerSignupUrl", signup_url },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module msp_module = { "msp", routes, seed_customers };
EMU_MODULE(msp_module)
