/* Unit tests: a row's calls (fs/calls.c) — the node's ids fed to a
 * descriptor's "{}" by level, cache keys from tc_call_key (children of
 * different parents never collide), the table's subdirectory scan and
 * sources per parent kind (fs/resources.c, fs/fetch.c), verbs by usage. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "tcfs.h"

static struct tcfs_node node(int nids, const char *a, const char *b,
			     const char *c)
{
	struct tcfs_node n;
	const char *ids[3] = { a, b, c };

	memset(&n, 0, sizeof(n));
	n.nids = nids;
	for (int i = 0; i < nids; i++)
		snprintf(n.ids[i], TCFS_ID_MAX, "%s", ids[i]);
	return n;
}

Test(calls, keys_from_levels)
{
	const struct tcfs_call get = TCFS_CALL(tc_desc_dedicated_backup_get, 0, 1, 2);
	const struct tcfs_call list = TCFS_CALL(tc_desc_serverless_backups_list, 1);
	struct tcfs_node coll = node(2, "p1", "c1", NULL);
	char key[TCFS_KEY_MAX];

	tcfs_call_key(&get, &coll, "b1", key, sizeof(key));
	cr_assert_str_eq(key, "v1beta /projects/p1/clusters/c1/backups/b1");
	tcfs_call_key(&list, &coll, NULL, key, sizeof(key));
	cr_assert_str_eq(key, "serverless /backups?clusterId=c1");
	/* a level the node does not have: no key */
	coll.nids = 1;
	tcfs_call_key(&list, &coll, NULL, key, sizeof(key));
	cr_assert_str_eq(key, "");
}

Test(calls, children_of_different_parents_differ)
{
	struct tcfs_node a = node(2, "p1", "c1", NULL), b = node(2, "p1", "c2", NULL);
	char ka[TCFS_KEY_MAX], kb[TCFS_KEY_MAX];

	a.kinds[1] = b.kinds[1] = TCFS_K_SLS_CLUSTER;
	a.kind = b.kind = TCFS_K_BACKUPS;
	tcfs_list_key(TCFS_K_SLS_BACKUP, &a, ka, sizeof(ka));
	tcfs_list_key(TCFS_K_SLS_BACKUP, &b, kb, sizeof(kb));
	cr_assert_str_neq(ka, kb);
	a.nids = 1;   /* the clusters/ of project p1 */
	tcfs_obj_key(TCFS_K_SLS_CLUSTER, &a, "9", ka, sizeof(ka));
	cr_assert_str_eq(ka, "serverless /clusters/9?view=FULL");
	/* projects have no GET: the key names the listing and the id */
	memset(&a, 0, sizeof(a));
	tcfs_obj_key(TCFS_K_PROJECT, &a, "7", ka, sizeof(ka));
	cr_assert_str_eq(ka, "v1beta /projects#7");
}

Test(calls, subdirs_and_sources_by_parent_kind)
{
	enum tcfs_kind sub[TCFS_K_COUNT], src[TCFS_MAX_SOURCES];
	struct tcfs_node coll = node(2, "p1", "c1", NULL);

	cr_assert_eq(tcfs_kind_subdir(TCFS_K_SLS_CLUSTER, "backups"), TCFS_K_BACKUPS);
	cr_assert_eq(tcfs_kind_subdir(TCFS_K_DED_CLUSTER, "backups"), TCFS_K_BACKUPS);
	cr_assert_eq(tcfs_kind_subdir(TCFS_K_SLS_BACKUP, "backups"), -1);
	cr_assert_geq(tcfs_kind_subdirs(TCFS_K_PROJECT, sub, TCFS_K_COUNT), 2);
	cr_assert_eq(sub[0], TCFS_K_CLUSTERS);
	cr_assert_eq(tcfs_kind_subdir(TCFS_K_PROJECT, "restores"), TCFS_K_RESTORES);
	coll.kind = TCFS_K_BACKUPS;
	coll.kinds[0] = TCFS_K_PROJECT;
	coll.kinds[1] = TCFS_K_SLS_CLUSTER;
	cr_assert_eq(tcfs_coll_sources(&coll, src), 1);
	cr_assert_eq(src[0], TCFS_K_SLS_BACKUP);
	coll.kinds[1] = TCFS_K_DED_CLUSTER;
	cr_assert_eq(tcfs_coll_sources(&coll, src), 1);
	cr_assert_eq(src[0], TCFS_K_DED_BACKUP);
}

Test(calls, ancestor_collection)
{
	struct tcfs_node b = node(3, "p1", "c1", "b1"), coll;

	b.kind = TCFS_K_SLS_BACKUP;
	b.kinds[0] = TCFS_K_PROJECT;
	b.kinds[1] = TCFS_K_SLS_CLUSTER;
	b.kinds[2] = TCFS_K_SLS_BACKUP;
	cr_assert_eq(tcfs_node_ancestor(&b, TCFS_K_CLUSTERS, &coll), 0);
	cr_assert_eq(coll.kind, TCFS_K_CLUSTERS);
	cr_assert_eq(coll.nids, 1);
	cr_assert_str_eq(coll.ids[0], "p1");
	cr_assert_eq(tcfs_node_ancestor(&b, TCFS_K_PROJECTS, &coll), 0);
	cr_assert_eq(coll.nids, 0);
	cr_assert_eq(tcfs_node_ancestor(&b, TCFS_K_PROJECT, &coll), -ENOENT);
}

Test(calls, verbs_by_usage)
{
	cr_assert_not_null(tcfs_kind_verb(TCFS_K_DED_CLUSTER, "pause"));
	cr_assert_null(tcfs_kind_verb(TCFS_K_DED_CLUSTER, "paus"));
	cr_assert_null(tcfs_kind_verb(TCFS_K_SLS_CLUSTER, "pause"));
}
