/*
 * routes_cmek.c — api.tidbcloud.com /api/v1beta AWS CMEK of a project
 * (v1beta.json, ListAwsCmek / CreateAwsCmek).
 *
 *   GET  /api/v1beta/projects/{p}/aws-cmek → {items: [{region, kms_arn}]}
 *   POST /api/v1beta/projects/{p}/aws-cmek {specs: [{region, kms_arn}]} → {}
 *
 * The configuration replaces the previous one. 404 (v1beta body {code,
 * message, details}): the project. 400: the project was not created with
 * aws_cmek_enabled ("make sure that the aws_cmek_enabled field is set to
 * true"); specs missing, not an array or empty; a spec not an object, or
 * without region or kms_arn (both required strings); region not an AWS
 * region code of a Dedicated region ("us-west-2"); kms_arn not
 * "arn:aws:kms:<that region>:<12-digit account>:key/<id>" (or alias/);
 * specs for more than one region, or for another region than the one
 * configured ("For a particular project, CMEK can only be configured for
 * one AWS region"). A GET of a project without CMEK answers no items.
 *
 * Seed: "regions_msp_cmek": {"awsCmek": [{"projectId", "specs": [...]}]}:
 * each listed project is CMEK-enabled (aws_cmek_enabled true in the
 * projects list) with those specs (possibly none).
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "store.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define KIND "aws-cmek"

static void list_cmek(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o;

	if (!emu_project_or_404(rq, rs, rq->ids[0]))
		return;
	o = emu_store_find(KIND, NULL, 0, rq->ids[0]);
	rs->body = json_pack("{s:o}", "items",
			     o ? json_deep_copy(json_object_get(o->obj, "items"))
			       : json_array());
}

/* "us-west-2" names a Dedicated AWS region of the emulator. */
static bool aws_region_ok(const char *region)
{
	char id[96];
	const struct emu_region *r;

	snprintf(id, sizeof(id), "aws-%s", region);
	r = emu_region_find(id);
	return r && r->dedicated;
}

/* arn:aws:kms:<region>:<12 digits>:key/<id> or alias/<name>. */
static bool kms_arn_ok(const char *arn, const char *region)
{
	size_t rl = strlen(region);

	if (strncmp(arn, "arn:aws:kms:", 12) != 0)
		return false;
	arn += 12;
	if (strncmp(arn, region, rl) != 0 || arn[rl] != ':')
		return false;
	arn += rl + 1;
	for (int i = 0; i < 12; i++, arn++)
		if (!isdigit((unsigned char)*arn))
			return false;
	if (*arn++ != ':')
		return false;
	if (strncmp(arn, "key/", 4) == 0)
		arn += 4;
	else if (strncmp(arn, "alias/", 6) == 0)
		arn += 6;
	else
		return false;
	return *arn != '\0' && strlen(arn) <= 256 && !strpbrk(arn, " \t\n");
}

/* The specs are acceptable: 0 and *region the one region, or -1 with the
 * 400 in rs. */
static int check_specs(const struct emu_request *rq, struct emu_response *rs,
		       json_t *specs, const char **region)
{
	size_t i;
	json_t *s;

	*region = NULL;
	if (!json_is_array(specs) || json_array_size(specs) == 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "specs is required: a non-empty array of "
			  "{region, kms_arn}");
		return -1;
	}
	json_array_foreach(specs, i, s) {
		const char *reg = emu_fstr(s, "region"), *arn = emu_fstr(s, "kms_arn");

		if (!json_is_object(s) || !reg || !*reg || !arn || !*arn) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "specs[%zu]: region and kms_arn are required "
				  "strings", i);
			return -1;
		}
		if (!aws_region_ok(reg)) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "specs[%zu]: region \"%s\" is not an available "
				  "AWS region", i, reg);
			return -1;
		}
		if (!kms_arn_ok(arn, reg)) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "specs[%zu]: kms_arn \"%s\" is not a KMS key ARN "
				  "of region %s (arn:aws:kms:%s:ACCOUNT:key/ID)",
				  i, arn, reg, reg);
			return -1;
		}
		if (*region && strcmp(*region, reg) != 0) {
			emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
				  "CMEK can only be configured for one AWS region "
				  "per project (%s and %s given)", *region, reg);
			return -1;
		}
		*region = reg;
	}
	return 0;
}

static const char *configured_region(json_t *obj)
{
	return emu_fstr(json_array_get(json_object_get(obj, "items"), 0),
			"region");
}

static void create_cmek(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_project *p = emu_project_or_404(rq, rs, rq->ids[0]);
	struct emu_object *o;
	const char *region, *was;
	json_t *body, *items;
	size_t i;
	json_t *s;

	if (!p || !(body = emu_body_object(rq, rs)))
		return;
	if (!p->aws_cmek_enabled) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "AWS CMEK is not enabled for project %s: it must be "
			  "created with aws_cmek_enabled set to true", p->id);
		goto out;
	}
	if (check_specs(rq, rs, json_object_get(body, "specs"), &region))
		goto out;
	o = emu_store_find(KIND, NULL, 0, p->id);
	was = o ? configured_region(o->obj) : NULL;
	if (was && strcmp(was, region) != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_FAILED_PRECONDITION,
			  "CMEK of project %s is configured for region %s; it "
			  "can only be configured for one AWS region", p->id, was);
		goto out;
	}
	items = json_array();
	json_array_foreach(json_object_get(body, "specs"), i, s)
		json_array_append_new(items, json_pack("{s:s, s:s}", "region",
				emu_fstr(s, "region"), "kms_arn",
				emu_fstr(s, "kms_arn")));
	if (o)
		json_object_set_new(o->obj, "items", items);
	else
		emu_store_add(KIND, p->id, NULL, 0,
			      json_pack("{s:o}", "items", items), NULL);
	rs->body = json_object();
out:
	json_decref(body);
}

static int seed_cmek(json_t *seed, char *err, size_t errlen)
{
	json_t *mine = json_object_get(seed, "regions_msp_cmek");
	json_t *list = json_object_get(mine, "awsCmek"), *c, *specs, *s;
	size_t i, j;

	if (!list)
		return 0;
	if (!json_is_array(list)) {
		snprintf(err, errlen, "\"regions_msp_cmek.awsCmek\" must be an array");
		return -1;
	}
	json_array_foreach(list, i, c) {
		struct emu_project *p = emu_model_project_find(emu_fstr(c, "projectId"));
		json_t *items = json_array();

		specs = json_object_get(c, "specs");
		if (!p || (specs && !json_is_array(specs))) {
			json_decref(items);
			snprintf(err, errlen, "regions_msp_cmek.awsCmek[%zu]: "
				 "projectId of a seeded project, specs an array", i);
			return -1;
		}
		p->aws_cmek_enabled = true;
		json_array_foreach(specs, j, s)
			json_array_append_new(items, json_pack("{s:s?, s:s?}",
				"region", emu_fstr(s, "region"),
				"kms_arn", emu_fstr(s, "kms_arn")));
		emu_store_add(KIND, p->id, NULL, 0,
			      json_pack("{s:o}", "items", items), NULL);
	}
	return 0;
}

static const struct emu_route routes[] = {
	{ EMU_FAM_V1BETA, "GET", "/api/v1beta/projects/{id}/aws-cmek", list_cmek },
	{ EMU_FAM_V1BETA, "POST", "/api/v1beta/projects/{id}/aws-cmek", create_cmek },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module cmek_module = { "aws-cmek", routes, seed_cmek };
EMU_MODULE(cmek_module)
