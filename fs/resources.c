/*
 * resources.c — THE resource table: one row per kind of node, in the order
 * of families.h. The fixed directories (root, organization, regions) are
 * defined here; every family's rows in its fs/family_<name>.c. The router
 * (path.c), the fetch layer (fetch.c), the renderers and the operations
 * read these rows only.
 *
 * Cache keys: tc_call_key of the row's calls (calls.c) — objects
 * "serverless /clusters/<id>?view=FULL", lists
 * "serverless /clusters?filter=projectId%3D<pid>".
 */
#include "tcfs.h"

#include <string.h>

/* ---- the fixed directories ---------------------------------------------- */

/* ctl: write `flush` to drop every cache (fs/control.c). */
static const struct tcfs_file_desc org_files[] = {
	{ .name = "organization.json", .type = TCFS_F_ORGINFO, .mode = 0444 },
	{ .name = "ctl", .type = TCFS_F_CTL, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* ORG's ctl runs in fs/control.c (no API call): the row only names it. */
static const struct tcfs_verb org_verbs[] = { { .usage = "flush" } };

static const struct tcfs_file_desc regions_files[] = {
	{ .name = "serverless.json", .type = TCFS_F_LIST, .mode = 0444,
	  .call = TCFS_CALL0(tc_desc_serverless_regions_list) },
	{ .name = "dedicated.json", .type = TCFS_F_LIST, .mode = 0444,
	  .call = TCFS_CALL0(tc_desc_dedicated_regions_list) },
};

const struct tcfs_kind_desc tcfs_row_root = {
	.kind = TCFS_K_ROOT, .label = "root", .cls = TCFS_C_STATIC,
};

const struct tcfs_kind_desc tcfs_row_org = {
	.kind = TCFS_K_ORG, .label = "organization", .cls = TCFS_C_STATIC,
	.parents = { TCFS_K_ROOT }, .nparents = 1, TCFS_FILES(org_files),
	TCFS_VERBS(org_verbs),
};

const struct tcfs_kind_desc tcfs_row_regions = {
	.kind = TCFS_K_REGIONS, .label = "regions", .cls = TCFS_C_STATIC,
	.parents = { TCFS_K_ORG }, .nparents = 1, .dir_name = "regions",
	TCFS_FILES(regions_files),
};

/* ---- the table ------------------------------------------------------------ */

#define TCFS_ROW_PTR(K, row) [TCFS_K_##K] = &tcfs_row_##row,
static const struct tcfs_kind_desc *const table[TCFS_K_COUNT] = {
	TCFS_KINDS(TCFS_ROW_PTR)
};
#undef TCFS_ROW_PTR

const struct tcfs_kind_desc *tcfs_kind(enum tcfs_kind kind)
{
	if ((int)kind < 0 || kind >= TCFS_K_COUNT)
		return table[TCFS_K_ROOT];
	return table[kind];
}

const struct tcfs_file_desc *tcfs_kind_file(enum tcfs_kind kind,
					    const char *name)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);

	for (size_t i = 0; i < k->nfiles; i++)
		if (strcmp(k->files[i].name, name) == 0)
			return &k->files[i];
	return NULL;
}

static int sits_in(const struct tcfs_kind_desc *k, enum tcfs_kind dir)
{
	for (size_t i = 0; i < k->nparents && i < TCFS_MAX_PARENTS; i++)
		if (k->parents[i] == dir)
			return 1;
	return 0;
}

size_t tcfs_kind_subdirs(enum tcfs_kind dir, enum tcfs_kind *out, size_t max)
{
	size_t n = 0;

	for (int i = 0; i < TCFS_K_COUNT && n < max; i++)
		if (i != TCFS_K_ROOT && table[i]->dir_name &&
		    sits_in(table[i], dir))
			out[n++] = (enum tcfs_kind)i;
	return n;
}

int tcfs_kind_subdir(enum tcfs_kind dir, const char *name)
{
	enum tcfs_kind sub[TCFS_K_COUNT];
	size_t n = tcfs_kind_subdirs(dir, sub, TCFS_K_COUNT);

	for (size_t i = 0; i < n; i++)
		if (strcmp(tcfs_kind(sub[i])->dir_name, name) == 0)
			return (int)sub[i];
	return -1;
}

const struct tcfs_verb *tcfs_kind_verb(enum tcfs_kind kind, const char *line)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	size_t n = strcspn(line, " ");

	for (size_t i = 0; i < k->nverbs; i++) {
		const char *u = k->verbs[i].usage;

		if (strcspn(u, " ") == n && strncmp(u, line, n) == 0)
			return &k->verbs[i];
	}
	return NULL;
}

void tcfs_kind_verb_usages(enum tcfs_kind kind, const char **out)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	size_t n = 0;

	for (size_t i = 0; i < k->nverbs && n < TCFS_MAX_VERBS; i++)
		out[n++] = k->verbs[i].usage;
	out[n] = NULL;
}
