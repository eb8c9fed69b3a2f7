/*
 * routes_v1beta_imports.c — api.tidbcloud.com /api/v1beta import tasks of a
 * cluster (v1beta.json, tag Import, deprecated), read-only, on the object
 * store.
 *
 *   GET /api/v1beta/projects/{p}/clusters/{c}/imports?page&page_size
 *       → {items[], total}
 *   GET /api/v1beta/projects/{p}/clusters/{c}/imports/{i} → ImportItem
 *
 * ImportItem (ListImportTasksResp.items): {metadata{id, name,
 * create_timestamp (unix seconds)}, spec{source{type S3|GCS|LOCAL_FILE,
 * uri, format{type CSV|PARQUET|SQL|AURORA_SNAPSHOT}}, target{tables[]}},
 * status{phase PREPARING|IMPORTING|COMPLETED|FAILED|CANCELING|CANCELED,
 * error_message?, start_timestamp, end_timestamp?, progress{import_progress,
 * validation_progress}, source_total_size_bytes}}. The seed's tasks are
 * finished (they keep their phase). 404 (v1beta body): project, cluster
 * (not in the project), task. Seed: "v1betaImports": [{id, clusterId,
 * name?, create_timestamp?, sourceType?, uri, fileType?, database?,
 * table?, phase?, errorMessage?, totalSize?}].
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND "v1beta-import"

static const char *const phases[] = { "PREPARING", "IMPORTING", "COMPLETED",
				      "FAILED", "CANCELING", "CANCELED", NULL };
static const char *const source_types[] = { "S3", "GCS", "LOCAL_FILE", NULL };
static const char *const file_types[] = { "CSV", "PARQUET", "SQL",
					  "AURORA_SNAPSHOT", NULL };

static bool in(const char *s, const char *const set[])
{
	for (size_t i = 0; s && set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

/* The project {p} holds the cluster {c} (any kind); 404 otherwise. */
static bool project_cluster(const struct emu_request *rq,
			    struct emu_response *rs)
{
	struct emu_cluster *c = emu_model_cluster_find(rq->ids[1], true);

	if (!c)
		c = emu_model_cluster_find(rq->ids[1], false);
	if (!emu_project_or_404(rq, rs, rq->ids[0]))
		return false;
	if (!c || strcmp(emu_cluster_project(c), rq->ids[0]) != 0) {
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "cluster %s not found in project %s", rq->ids[1],
			  rq->ids[0]);
		return false;
	}
	return true;
}

static void list_imports(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[1] };

	if (project_cluster(rq, rs))
		emu_page_answer(rq, rs, EMU_PAGING_PAGE, 10, "items",
				emu_store_list(KIND, parents, 1, NULL, NULL));
}

static void get_import(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[1] };
	struct emu_object *o;

	if (!project_cluster(rq, rs))
		return;
	if (!(o = emu_find_or_404(rq, rs, KIND, parents, 1, rq->ids[2],
				  "import task")))
		return;
	rs->body = json_deep_copy(o->obj);
}

static const char *or(const char *v, const char *dflt)
{
	return v ? v : dflt;
}

/* The published ImportItem of one seed entry. */
static json_t *seed_item(json_t *b, const char *id)
{
	const char *phase = or(emu_fstr(b, "phase"), "COMPLETED");
	const char *created = or(emu_fstr(b, "create_timestamp"), "1709888400");
	int done = strcmp(phase, "COMPLETED") == 0;
	int ended = done || strcmp(phase, "FAILED") == 0 ||
		    strcmp(phase, "CANCELED") == 0;
	char end[32];
	json_t *status, *item;

	snprintf(end, sizeof(end), "%lld", atoll(created) + 1800);
	/* a double in the spec; whole numbers here, as JSON prints them */
	status = json_pack("{s:s, s:s, s:{s:I, s:I}, s:s}", "phase", phase,
			   "start_timestamp", created, "progress",
			   "import_progress", (json_int_t)(done ? 100 : ended ? 35 : 0),
			   "validation_progress", (json_int_t)(done ? 100 : ended ? 35 : 0),
			   "source_total_size_bytes",
			   or(emu_fstr(b, "totalSize"), "0"));
	if (status && ended)
		json_object_set_new(status, "end_timestamp", json_string(end));
	if (status && emu_fstr(b, "errorMessage"))
		json_object_set_new(status, "error_message",
				    json_string(emu_fstr(b, "errorMessage")));
	item = json_pack("{s:{s:s, s:s, s:s}, s:{s:{s:s, s:s, s:{s:s}}, "
			 "s:{s:[{s:s, s:s}]}}, s:o}",
			 "metadata", "id", id, "name", or(emu_fstr(b, "name"), ""),
			 "create_timestamp", created,
			 "spec", "source", "type",
			 or(emu_fstr(b, "sourceType"), "S3"),
			 "uri", emu_fstr(b, "uri"), "format", "type",
			 or(emu_fstr(b, "fileType"), "CSV"),
			 "target", "tables", "database_name",
			 or(emu_fstr(b, "database"), "app"), "table_name",
			 or(emu_fstr(b, "table"), "orders"),
			 "status", status);
	return item;
}

static int seed_imports(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *b;
	size_t i;

	if (emu_seed_array(seed, "v1betaImports", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, b) {
		const char *id = emu_fstr(b, "id"), *cid = emu_fstr(b, "clusterId");
		const char *parents[1] = { cid };
		const char *st = emu_fstr(b, "sourceType"), *ft = emu_fstr(b, "fileType");
		json_t *obj;

		if (!id || !cid || !emu_fstr(b, "uri") ||
		    (!emu_model_cluster_find(cid, true) &&
		     !emu_model_cluster_find(cid, false)) ||
		    (st && !in(st, source_types)) || (ft && !in(ft, file_types)) ||
		    (emu_fstr(b, "phase") && !in(emu_fstr(b, "phase"), phases))) {
			snprintf(err, errlen, "v1betaImports[%zu]: id, uri and "
				 "the clusterId of a cluster are required; "
				 "sourceType, fileType and phase from the spec", i);
			return -1;
		}
		obj = seed_item(b, id);
		if (!obj || !emu_store_add(KIND, id, parents, 1, obj, NULL)) {
			snprintf(err, errlen, "v1betaImports[%zu]: bad or "
				 "duplicate id %s", i, id);
			return -1;
		}
	}
	return 0;
}

#define IM "/api/v1beta/projects/{id}/clusters/{id}/imports"
static const struct emu_route routes[] = {
	{ EMU_FAM_V1BETA, "GET", IM, list_imports },
	{ EMU_FAM_V1BETA, "GET", IM "/{id}", get_import },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module v1beta_imports_module = {
	"v1beta-imports", routes, seed_imports
};
EMU_MODULE(v1beta_imports_module)
