/*
 * family_projects.c — projects/ and projects/<p>/ (v1beta): the rows, the
 * mkdir hooks (a name, no template) and the org id noted from a listing.
 * The v1beta API has no GET /projects/{id}: a project is served from its
 * listing (fetch.c), and no DELETE.
 */
#include "tcfs.h"
#include "validate.h"
#include "family_cmek.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

static const struct tcfs_file_desc projects_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc project_files[] = {
	{ .name = "project.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
	/* family_cmek.c: the AWS CMEK configuration (v1beta), writable */
	{ .name = "aws-cmek.json", .type = TCFS_F_HOOK, .mode = 0644,
	  .render = tcfs_cmek_render, .commit = tcfs_cmek_commit },
	{ .name = "aws-cmek.json.rejected", .type = TCFS_F_REJECTED, .mode = 0444 },
};

/* The org id, remembered from a projects listing (organization.json). */
static void note_org_id(struct tcfs_org *org, json_t *items)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it) {
		const char *oid = tcfs_json_str_borrow(it, "org_id");

		if (oid && *oid) {
			pthread_mutex_lock(&org->lock);
			snprintf(org->org_id, sizeof(org->org_id), "%s", oid);
			pthread_mutex_unlock(&org->lock);
			return;
		}
	}
}

static int project_body(json_t *tpl, const char *name,
			const struct tcfs_node *coll, json_t **body,
			enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	(void)tpl;
	(void)coll;
	(void)msg;
	(void)msgsz;
	*kind = TCFS_K_PROJECT;
	*body = json_pack("{s:s}", "name", name);
	return *body ? 0 : -ENOMEM;
}

/* POST /projects answers {id}: complete it for the listing. */
static json_t *project_defaults(const char *name)
{
	char ts[32];

	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	return json_pack("{s:s, s:s}", "name", name, "create_timestamp", ts);
}

static const struct tcfs_create project_create = {
	.check_name = tcfs_valid_project_name,
	.body = project_body,
};

const struct tcfs_kind_desc tcfs_row_projects = {
	.kind = TCFS_K_PROJECTS, .label = "projects", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_ORG }, .nparents = 1, .dir_name = "projects",
	TCFS_FILES(projects_files),
	.sources = { { TCFS_K_PROJECT, TCFS_K_ROOT } }, .nsources = 1,
	.mkdir = &project_create,
};

const struct tcfs_kind_desc tcfs_row_project = {
	.kind = TCFS_K_PROJECT, .label = "project", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_PROJECTS }, .nparents = 1,
	TCFS_FILES(project_files), .scratch_ok = 1,
	.id_key = "id", .name_key = "name",
	.mtime_keys = { "create_timestamp", NULL },
	.list = TCFS_CALL0(tc_desc_projects_list),
	.create = TCFS_CALL0(tc_desc_project_create),
	/* no get: no GET /projects/{id}, served from the list */
	.on_list = note_org_id,
	.create_defaults = project_defaults,
	.remove_refusal = "projects cannot be deleted: the TiDB Cloud API "
			  "has no call to delete a project",
};
