/* Unit tests: path parsing (fs/path.c) and naming (fs/naming.c). */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "tcfs.h"
#include "naming.h"

/* A fake tree: org "default"; projects production (111), two "sandbox"
 * (201, 202); clusters of 111: web (sls 901), orders-db (ded 902). */
struct fake_child {
	const char *parent;      /* parent resource id, "" for projects */
	enum tcfs_kind kind;
	const char *id;
	const char *display;
};

static const struct fake_child fake[] = {
	{ "", TCFS_K_PROJECT, "111", "production" },
	{ "", TCFS_K_PROJECT, "201", "sandbox" },
	{ "", TCFS_K_PROJECT, "202", "sandbox" },
	{ "111", TCFS_K_SLS_CLUSTER, "901", "web" },
	{ "111", TCFS_K_DED_CLUSTER, "902", "orders-db" },
};

static int fake_org(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "default") == 0 ? 0 : -1;
}

static int fake_child(void *arg, const struct tcfs_node *coll, const char *name,
		      enum tcfs_kind *kind, char *id, size_t idsz, time_t *mtime)
{
	const char *parent = tcfs_node_id(coll) ? tcfs_node_id(coll) : "";
	struct tcfs_named v[8];
	size_t idx[8], n = 0;
	long i;

	(void)arg;
	for (size_t k = 0; k < sizeof(fake) / sizeof(fake[0]); k++) {
		if (strcmp(fake[k].parent, parent) != 0)
			continue;
		v[n].id = fake[k].id;
		v[n].display = fake[k].display;
		idx[n++] = k;
	}
	tcfs_naming_assign(v, n, NULL);
	i = tcfs_naming_find(v, n, name);
	if (i < 0)
		return -ENOENT;
	*kind = fake[idx[i]].kind;
	snprintf(id, idsz, "%s", fake[idx[i]].id);
	*mtime = 42;
	return 0;
}

static const struct tcfs_resolver R = { NULL, fake_org, fake_child };

Test(path, root_and_org)
{
	struct tcfs_node n;

	cr_assert_eq(tcfs_path_parse("/", &R, &n), 0);
	cr_assert_eq(n.kind, TCFS_K_ROOT);
	cr_assert_eq(n.what, TCFS_W_DIR);
	cr_assert_eq(tcfs_path_parse("/default", &R, &n), 0);
	cr_assert_eq(n.kind, TCFS_K_ORG);
	cr_assert_eq(n.org, 0);
	cr_assert_eq(tcfs_path_parse("/nope", &R, &n), 0);
	cr_assert_eq(n.what, TCFS_W_LEAF);
	cr_assert_eq(tcfs_path_parse("/nope/x", &R, &n), -ENOENT);
	cr_assert_eq(tcfs_path_parse("relative", &R, &n), -ENOENT);
}

Test(path, fixed_files_and_dirs)
{
	struct tcfs_node n;

	cr_assert_eq(tcfs_path_parse("/default/organization.json", &R, &n), 0);
	cr_assert_eq(n.what, TCFS_W_FILE);
	cr_assert_eq(n.file->type, TCFS_F_ORGINFO);
	cr_assert_eq(tcfs_path_parse("/default/regions/serverless.json", &R, &n), 0);
	cr_assert_eq(n.file->type, TCFS_F_LIST);
	cr_assert_eq(tcfs_path_parse("/default/projects", &R, &n), 0);
	cr_assert_eq(n.kind, TCFS_K_PROJECTS);
	cr_assert_eq(tcfs_path_parse("/default/organization.json/x", &R, &n), -ENOTDIR);
}

Test(path, resources_by_name_and_id)
{
	struct tcfs_node a, b;
	char ka[TCFS_KEY_MAX], kb[TCFS_KEY_MAX];

	cr_assert_eq(tcfs_path_parse("/default/projects/production/clusters/web/spec.json",
				     &R, &a), 0);
	cr_assert_eq(a.what, TCFS_W_FILE);
	cr_assert_eq(a.kind, TCFS_K_SLS_CLUSTER);
	cr_assert_eq(a.file->type, TCFS_F_SPEC);
	cr_assert_eq(a.nids, 2);
	cr_assert_str_eq(a.ids[0], "111");
	cr_assert_str_eq(a.ids[1], "901");
	cr_assert_eq(a.mtime, 42);
	cr_assert_eq(tcfs_path_parse("/default/projects/111/clusters/901/spec.json",
				     &R, &b), 0);
	tcfs_node_dirkey(&a, ka, sizeof(ka));
	tcfs_node_dirkey(&b, kb, sizeof(kb));
	cr_assert_str_eq(ka, kb);
	cr_assert_eq(tcfs_path_parse("/default/projects/production/clusters/orders-db",
				     &R, &a), 0);
	cr_assert_eq(a.kind, TCFS_K_DED_CLUSTER);
	cr_assert_eq(a.what, TCFS_W_DIR);
}

Test(path, duplicates_by_id)
{
	struct tcfs_node n;

	cr_assert_eq(tcfs_path_parse("/default/projects/sandbox", &R, &n), 0);
	cr_assert_eq(n.what, TCFS_W_LEAF);     /* not a listed name */
	cr_assert_eq(tcfs_path_parse("/default/projects/201", &R, &n), 0);
	cr_assert_eq(n.kind, TCFS_K_PROJECT);
	cr_assert_str_eq(n.ids[0], "201");
}

Test(path, leaves)
{
	struct tcfs_node n;

	cr_assert_eq(tcfs_path_parse("/default/projects/production/clusters/web/4913",
				     &R, &n), 0);
	cr_assert_eq(n.what, TCFS_W_LEAF);
	cr_assert_str_eq(n.leaf, "4913");
	cr_assert_eq(n.kind, TCFS_K_SLS_CLUSTER);
	cr_assert_eq(tcfs_path_parse("/default/projects/production/clusters/newdb",
				     &R, &n), 0);
	cr_assert_eq(n.what, TCFS_W_LEAF);
	cr_assert_eq(n.kind, TCFS_K_CLUSTERS);
	cr_assert_eq(tcfs_path_parse("/default/projects/missing/clusters", &R, &n),
		     -ENOENT);
	cr_assert_eq(tcfs_path_parse("/default/projects/production/clusters/web/x/y",
				     &R, &n), -ENOENT);
}

Test(path, parent_collection)
{
	struct tcfs_node n, c;

	cr_assert_eq(tcfs_path_parse("/default/projects/production/clusters/web",
				     &R, &n), 0);
	tcfs_node_parent_coll(&n, &c);
	cr_assert_eq(c.kind, TCFS_K_CLUSTERS);
	cr_assert_eq(c.nids, 1);
	cr_assert_str_eq(tcfs_node_id(&c), "111");
}

Test(naming, valid_names)
{
	char longname[300];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert(tcfs_name_valid("web"));
	cr_assert(!tcfs_name_valid(""));
	cr_assert(!tcfs_name_valid(NULL));
	cr_assert(!tcfs_name_valid("."));
	cr_assert(!tcfs_name_valid(".."));
	cr_assert(!tcfs_name_valid("a/b"));
	cr_assert(!tcfs_name_valid(longname));
	longname[255] = '\0';
	cr_assert(tcfs_name_valid(longname));
}

Test(naming, assign)
{
	static const char *const reserved[] = { ".template.json", ".error", NULL };
	struct tcfs_named v[] = {
		{ "web", "1", NULL },
		{ "scratch", "2", NULL },
		{ "scratch", "3", NULL },
		{ "", "4", NULL },
		{ "a/b", "5", NULL },
		{ ".error", "6", NULL },
		{ "1", "7", NULL },        /* equals a sibling's id */
		{ NULL, "8", NULL },
	};
	size_t n = sizeof(v) / sizeof(v[0]);

	tcfs_naming_assign(v, n, reserved);
	cr_assert_str_eq(v[0].name, "web");
	cr_assert_str_eq(v[1].name, "2");
	cr_assert_str_eq(v[2].name, "3");
	cr_assert_str_eq(v[3].name, "4");
	cr_assert_str_eq(v[4].name, "5");
	cr_assert_str_eq(v[5].name, "6");
	cr_assert_str_eq(v[6].name, "7");
	cr_assert_str_eq(v[7].name, "8");
	cr_assert_eq(tcfs_naming_find(v, n, "web"), 0);
	cr_assert_eq(tcfs_naming_find(v, n, "1"), 0);   /* by id */
	cr_assert_eq(tcfs_naming_find(v, n, "3"), 2);
	cr_assert_eq(tcfs_naming_find(v, n, "scratch"), -1);
}
