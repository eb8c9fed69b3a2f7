/* routes_v1beta.c — api.tidbcloud.com /api/v1beta: projects. */
#include "emu.h"
#include "model.h"

#include <string.h>

static json_t *project_json(const struct emu_project *p)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:b, s:s}",
			 "id", p->id, "org_id", emu_model_org_id(),
			 "name", p->name,
			 "cluster_count",
			 (json_int_t)emu_model_project_cluster_count(p->id),
			 "user_count", (json_int_t)p->user_count,
			 "create_timestamp", p->create_ts,
			 "aws_cmek_enabled", p->aws_cmek_enabled,
			 "type", p->type);
}

/* GET /api/v1beta/projects?page=N&page_size=N → {items, total}. */
static void list_projects(const struct emu_request *rq, struct emu_response *rs)
{
	long page, size;
	size_t total = emu_model_project_count();

	if (emu_query_long(rq, rs, "page", 1, &page) ||
	    emu_query_long(rq, rs, "page_size", 10, &size))
		return;
	if (page == 0)
		page = 1;
	if (size == 0)
		size = 10;
	if (size > 100)
		size = 100;
	json_t *items = json_array();
	size_t start = (size_t)(page - 1) * (size_t)size;
	for (size_t i = start; i < total && i < start + (size_t)size; i++)
		json_array_append_new(items, project_json(emu_model_project_at(i)));
	rs->body = json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)total);
}

/* POST /api/v1beta/projects {name, aws_cmek_enabled?, type?} → {id}. */
static void create_project(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *body = emu_body_object(rq, rs);
	json_t *name, *cmek, *type;

	if (!body)
		return;
	name = json_object_get(body, "name");
	cmek = json_object_get(body, "aws_cmek_enabled");
	type = json_object_get(body, "type");
	if (!json_is_string(name) || !emu_project_name_ok(json_string_value(name))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "name is required (1 to 64 characters, no control "
			  "characters)");
	} else if (cmek && !json_is_boolean(cmek) && !json_is_null(cmek)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "aws_cmek_enabled must be a boolean");
	} else if (type && !(json_is_string(type) &&
			     (strcmp(json_string_value(type), "dedicated") == 0 ||
			      strcmp(json_string_value(type), "tidbx") == 0))) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "type must be \"dedicated\" or \"tidbx\"");
	} else {
		struct emu_project *p = emu_model_project_add(
			json_string_value(name), json_is_true(cmek),
			type ? json_string_value(type) : "dedicated");
		rs->body = json_pack("{s:s}", "id", p->id);
	}
	json_decref(body);
}

const struct emu_route emu_routes_v1beta[] = {
	{ EMU_FAM_V1BETA, "GET", "/api/v1beta/projects", list_projects },
	{ EMU_FAM_V1BETA, "POST", "/api/v1beta/projects", create_project },
	{ 0, NULL, NULL, NULL }
};
