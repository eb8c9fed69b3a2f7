/* test_fs_branches.c — fs/family_branches.c through its rows: the branch
 * name rule, the default .template.json and the create body builder
 * (parentId, parentTimestamp), which refuse before any request. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcfs.h"

#define CID "10058425682284910922"

static char msg[600];

static struct tcfs_node coll(void)
{
	struct tcfs_node n;

	memset(&n, 0, sizeof(n));
	n.kind = TCFS_K_BRANCHES;
	n.what = TCFS_W_DIR;
	n.nids = 2;
	strcpy(n.ids[0], "1372813089209061633");
	strcpy(n.ids[1], CID);
	n.kinds[0] = TCFS_K_PROJECT;
	n.kinds[1] = TCFS_K_SLS_CLUSTER;
	return n;
}

/* The body for template text `tpl` (NULL: no template); the hook's return. */
static int build(const char *tpl, json_t **body)
{
	const struct tcfs_create *mk = tcfs_kind(TCFS_K_BRANCHES)->mkdir;
	struct tcfs_node c = coll();
	enum tcfs_kind kind = TCFS_K_ROOT;
	json_t *t = tpl ? json_loads(tpl, 0, NULL) : NULL;
	int r;

	cr_assert(!tpl || t, "bad test JSON %s", tpl);
	msg[0] = '\0';
	r = mk->body(t, "hotfix", &c, body, &kind, msg, sizeof(msg));
	json_decref(t);
	if (r == 0)
		cr_expect_eq(kind, TCFS_K_BRANCH);
	else
		cr_expect_null(*body);
	return r;
}

Test(branches, rows_sit_under_starter_essential_only)
{
	const struct tcfs_kind_desc *k = tcfs_kind(TCFS_K_BRANCHES);
	enum tcfs_kind sub[16];
	size_t n, i;
	int found = 0;

	cr_expect_eq(k->nparents, 1);
	cr_expect_eq(k->parents[0], TCFS_K_SLS_CLUSTER);
	n = tcfs_kind_subdirs(TCFS_K_DED_CLUSTER, sub, 16);
	for (i = 0; i < n; i++)
		cr_expect_neq(sub[i], TCFS_K_BRANCHES, "no branches/ under Dedicated");
	n = tcfs_kind_subdirs(TCFS_K_SLS_CLUSTER, sub, 16);
	for (i = 0; i < n; i++)
		found |= sub[i] == TCFS_K_BRANCHES;
	cr_expect(found, "branches/ under Starter/Essential");
	cr_expect_str_eq(tcfs_kind(TCFS_K_BRANCH)->name_key, "displayName");
	cr_expect_not_null(tcfs_kind_verb(TCFS_K_BRANCH, "reset"));
	cr_expect_null(tcfs_kind_verb(TCFS_K_BRANCH, "restore"));
	cr_expect_not_null(tcfs_kind_file(TCFS_K_BRANCH, "wait"));
}

Test(branches, name_rule)
{
	const struct tcfs_create *mk = tcfs_kind(TCFS_K_BRANCHES)->mkdir;
	static const char *const good[] = {
		"b", "feature-checkout", "Load Test 2", "caf\xc3\xa9",
		"a234567890123456789012345678901234567890123456789012345678901234",
	};
	static const char *const bad[] = {
		"", " lead", "trail ", "a\tb", "new\nline", "\x1b[31mred",
		"bad\xff", "\xc2\x85next",
		"a2345678901234567890123456789012345678901234567890123456789012345",
	};
	char wide[200] = "";

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_expect_eq(mk->check_name(good[i], msg, sizeof(msg)), 0, "%s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		cr_expect_eq(mk->check_name(bad[i], msg, sizeof(msg)), -EINVAL,
			     "#%zu accepted", i);
		cr_expect(strstr(msg, "displayName") != NULL);
	}
	/* 64 characters of two bytes each are 64 characters */
	for (int i = 0; i < 64; i++)
		strcat(wide, "\xc3\xa9");
	cr_expect_eq(mk->check_name(wide, msg, sizeof(msg)), 0);
	strcat(wide, "\xc3\xa9");
	cr_expect_eq(mk->check_name(wide, msg, sizeof(msg)), -EINVAL);
}

Test(branches, default_template)
{
	const struct tcfs_create *mk = tcfs_kind(TCFS_K_BRANCHES)->mkdir;
	struct tcfs_node c = coll();
	char *text = mk->template_default(&c);
	json_t *t = text ? json_loads(text, 0, NULL) : NULL;

	cr_assert_not_null(t);
	cr_expect_str_eq(json_string_value(json_object_get(t, "parentId")), CID);
	cr_expect(json_is_null(json_object_get(t, "parentTimestamp")));
	json_decref(t);
	free(text);
}

Test(branches, body_defaults_to_the_cluster)
{
	json_t *b = NULL;

	cr_assert_eq(build(NULL, &b), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(b, "displayName")), "hotfix");
	cr_expect_str_eq(json_string_value(json_object_get(b, "parentId")), CID);
	cr_expect_null(json_object_get(b, "parentTimestamp"));
	json_decref(b);
	cr_assert_eq(build("{\"parentId\": \"\", \"parentTimestamp\": null}", &b), 0);
	cr_expect_str_eq(json_string_value(json_object_get(b, "parentId")), CID);
	cr_expect_null(json_object_get(b, "parentTimestamp"));
	json_decref(b);
}

Test(branches, body_parent_branch_and_time)
{
	json_t *b = NULL;

	cr_assert_eq(build("{\"parentId\": \"bran-7k2q4vxnmd3hb5ceu6tjwyrzfa\","
			   " \"parentTimestamp\": \"2024-03-04T12:00:00+02:00\"}", &b),
		     0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(b, "parentId")),
			 "bran-7k2q4vxnmd3hb5ceu6tjwyrzfa");
	cr_expect_str_eq(json_string_value(json_object_get(b, "parentTimestamp")),
			 "2024-03-04T12:00:00+02:00");
	json_decref(b);
	cr_expect_eq(build("{\"parentTimestamp\": \"2024-03-04T12:00:00.250Z\"}", &b), 0);
	json_decref(b);
}

Test(branches, body_refusals_say_which_rule)
{
	static const struct { const char *tpl, *says; } bad[] = {
		{ "{\"parentTimestamp\": \"yesterday\"}", "RFC 3339" },
		{ "{\"parentTimestamp\": \"1709546400\"}", "RFC 3339" },
		{ "{\"parentTimestamp\": \"2024-03-04 12:00:00Z\"}", "RFC 3339" },
		{ "{\"parentTimestamp\": \"2024-03-04T12:00:00\"}", "RFC 3339" },
		{ "{\"parentTimestamp\": \"2024-03-04T12:00:00Zx\"}", "RFC 3339" },
		{ "{\"parentTimestamp\": \"2024-13-04T12:00:00Z\"}", "RFC 3339" },
		{ "{\"parentTimestamp\": \"2024-03-04T12:00:00.Z\"}", "RFC 3339" },
		{ "{\"parentTimestamp\": 1709546400}", "RFC 3339" },
		{ "{\"parentTimestamp\": \"2999-01-01T00:00:00Z\"}", "future" },
		{ "{\"parentId\": \"10058425682284910923\"}", "parentId" },
		{ "{\"parentId\": \"bran-\"}", "parentId" },
		{ "{\"parentId\": \"bran-ABC\"}", "parentId" },
		{ "{\"parentId\": \"bran-a/../b\"}", "parentId" },
		{ "{\"parentId\": 42}", "parentId" },
		{ "{\"rootPassword\": \"secret-pass\"}", "unknown field" },
		{ "{\"displayName\": \"other\"}", "unknown field" },
		{ "[]", "object" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = NULL;

		cr_expect_eq(build(bad[i].tpl, &b), -EINVAL, "%s accepted", bad[i].tpl);
		cr_expect(strstr(msg, bad[i].says) != NULL, "%s: %s", bad[i].tpl, msg);
		cr_expect(strstr(msg, "secret-pass") == NULL);
	}
}
