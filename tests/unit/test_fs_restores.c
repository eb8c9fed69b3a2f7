/* test_fs_restores.c — fs/family_restores.c through its rows: the name
 * rule and the body of mkdir restores/NAME (Dedicated CreateRestoreTask),
 * the default template, and the argument checks and bodies of the ctl
 * verbs `restore` (a Starter/Essential backup) and `restore TIMESTAMP` (a
 * Starter/Essential cluster). Nothing here sends a request. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcfs.h"
#include "validate.h"

static char msg[512];

static json_t *tpl_of(const char *text)
{
	json_t *t = json_loads(text, 0, NULL);

	cr_assert(t, "test template parses: %s", text);
	return t;
}

static int restore_body(const char *text, const char *name, json_t **body,
			enum tcfs_kind *kind)
{
	json_t *t = tpl_of(text);
	struct tcfs_node coll = { .org = 0, .kind = TCFS_K_RESTORES, .nids = 1,
				  .kinds = { TCFS_K_PROJECT } };
	int r;

	strcpy(coll.ids[0], "1372813089189621599");
	msg[0] = '\0';
	*body = NULL;
	r = tcfs_row_restores.mkdir->body(t, name, &coll, body, kind, msg,
					  sizeof(msg));
	json_decref(t);
	return r;
}

#define GOOD_CFG "\"config\":{\"root_password\":\"Secret-Pass-1\",\"port\":4000," \
	"\"components\":{\"tidb\":{\"node_size\":\"8C16G\",\"node_quantity\":2}," \
	"\"tikv\":{\"node_size\":\"8C32G\",\"storage_size_gib\":1024,\"node_quantity\":3}}}"

Test(restore_mkdir, good_template_builds_the_api_body)
{
	json_t *body;
	enum tcfs_kind kind = TCFS_K_ROOT;

	cr_assert_eq(restore_body("{\"backup_id\":\"1730000000000000301\"," GOOD_CFG "}",
				  "orders-copy", &body, &kind), 0, "%s", msg);
	cr_expect_eq(kind, TCFS_K_RESTORE);
	cr_expect_str_eq(json_string_value(json_object_get(body, "backup_id")),
			 "1730000000000000301");
	cr_expect_str_eq(json_string_value(json_object_get(body, "name")), "orders-copy");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(body,
				"config"), "port")), 4000);
	json_decref(body);
}

Test(restore_mkdir, refusals_say_which_rule)
{
	static const struct { const char *tpl, *rule; } bad[] = {
		{ "[]", "object" },
		{ "{" GOOD_CFG "}", "backup_id is required" },
		{ "{\"backup_id\":\"\"," GOOD_CFG "}", "backup_id is required" },
		{ "{\"backup_id\":\"12ab\"," GOOD_CFG "}", "digits" },
		{ "{\"backup_id\":17," GOOD_CFG "}", "backup_id" },
		{ "{\"backup_id\":\"1\"}", "config" },
		{ "{\"backup_id\":\"1\",\"config\":{}}", "root_password" },
		{ "{\"backup_id\":\"1\",\"config\":{\"root_password\":\"short\"}}",
		  "8 to 64" },
		{ "{\"backup_id\":\"1\",\"config\":{\"root_password\":\"Secret-Pass-1\","
		  "\"port\":10080}}", "10080" },
		{ "{\"backup_id\":\"1\",\"config\":{\"root_password\":\"Secret-Pass-1\","
		  "\"port\":80}}", "1024-65535" },
		{ "{\"backup_id\":\"1\",\"config\":{\"root_password\":\"Secret-Pass-1\","
		  "\"port\":\"4000\"}}", "config.port" },
		{ "{\"backup_id\":\"1\",\"config\":{\"root_password\":\"Secret-Pass-1\","
		  "\"components\":{\"tikv\":{\"node_quantity\":4}}}}", "multiple of 3" },
		{ "{\"backup_id\":\"1\",\"config\":{\"root_password\":\"Secret-Pass-1\","
		  "\"components\":{\"tidb\":{\"node_quantity\":0}}}}", "positive" },
		{ "{\"backup_id\":\"1\",\"config\":{\"root_password\":\"Secret-Pass-1\","
		  "\"components\":[]}}", "components" },
		{ "{\"backup_id\":\"1\",\"bogus\":1," GOOD_CFG "}", "unknown field" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *body;
		enum tcfs_kind kind;

		cr_expect_eq(restore_body(bad[i].tpl, "orders-copy", &body, &kind),
			     -EINVAL, "accepted: %s", bad[i].tpl);
		cr_expect_null(body);
		cr_expect(strstr(msg, bad[i].rule), "%s: %s", bad[i].tpl, msg);
		cr_expect(!strstr(msg, "Secret-Pass-1") && !strstr(msg, "short\""),
			  "the password is never quoted: %s", msg);
	}
}

Test(restore_mkdir, name_is_the_cluster_name_rule)
{
	int (*check)(const char *, char *, size_t) = tcfs_row_restores.mkdir->check_name;

	cr_expect_eq(check("orders-copy", msg, sizeof(msg)), 0);
	cr_expect_eq(check("abc", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(check("-copy", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(check("my_copy", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(check("copy\n", msg, sizeof(msg)), -EINVAL);
}

Test(restore_mkdir, default_template_is_valid_json_without_a_backup)
{
	char *text = tcfs_row_restores.mkdir->template_default(NULL);
	json_t *t = json_loads(text, 0, NULL);
	json_t *body;
	enum tcfs_kind kind;

	cr_assert(t, "%s", text);
	cr_expect(json_is_string(json_object_get(t, "backup_id")));
	cr_expect(json_is_object(json_object_get(json_object_get(t, "config"),
						 "components")));
	/* as it is, it is refused: no backup chosen, no password */
	cr_expect_eq(restore_body(text, "orders-copy", &body, &kind), -EINVAL);
	cr_expect(strstr(msg, "backup_id"), "%s", msg);
	json_decref(t);
	free(text);
}

Test(restore_rows, named_by_the_restored_cluster_and_not_deletable)
{
	cr_expect_str_eq(tcfs_row_restore.name_key, "cluster.name");
	cr_expect_str_eq(tcfs_row_restore.state_key, "status");
	cr_expect_not_null(tcfs_row_restore.remove_refusal);
	cr_expect_eq(tcfs_row_restores.mkdir->relist, TCFS_K_CLUSTERS);
}

/* ---- ctl verbs ------------------------------------------------------------ */

static int verb_body(const struct tcfs_verb *v, enum tcfs_kind kind,
		     const char *id, const char *const *args, size_t nargs,
		     json_t **body)
{
	struct tcfs_node n = { .org = 0, .kind = kind, .nids = 2 };

	n.kinds[0] = TCFS_K_PROJECT;
	n.kinds[1] = kind;
	strcpy(n.ids[0], "1372813089189561287");
	strcpy(n.ids[1], id);
	msg[0] = '\0';
	*body = NULL;
	return v->body(&n, args, nargs, body, msg, sizeof(msg));
}

Test(restore_verbs, wired_to_the_starter_essential_rows)
{
	const struct tcfs_verb *b = tcfs_kind_verb(TCFS_K_SLS_BACKUP, "restore");
	const struct tcfs_verb *c = tcfs_kind_verb(TCFS_K_SLS_CLUSTER,
						   "restore 2024-01-15T08:00:00Z");

	cr_assert_not_null(b);
	cr_assert_not_null(c);
	cr_expect_str_eq(b->usage, "restore");
	cr_expect_str_eq(c->usage, "restore TIMESTAMP");
	cr_expect_eq(b->effect, TCFS_EFFECT_ANCESTOR);
	cr_expect_eq(b->ancestor, TCFS_K_CLUSTERS);
	cr_expect_eq(c->effect, TCFS_EFFECT_ANCESTOR);
	cr_expect_eq(c->ancestor, TCFS_K_CLUSTERS);
	cr_expect_null(tcfs_kind_verb(TCFS_K_DED_CLUSTER, "restore"));
	cr_expect_null(tcfs_kind_verb(TCFS_K_DED_BACKUP, "restore"));
}

Test(restore_verbs, snapshot_body_and_no_name)
{
	const char *args[] = { "my-copy" };
	json_t *body;

	cr_assert_eq(verb_body(&tcfs_restore_backup_verbs[0], TCFS_K_SLS_BACKUP,
			       "1720000000000000101", args, 0, &body), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(body,
				"snapshot"), "backupId")), "1720000000000000101");
	cr_expect_null(json_object_get(body, "pointInTime"));
	json_decref(body);
	cr_expect_eq(verb_body(&tcfs_restore_backup_verbs[0], TCFS_K_SLS_BACKUP,
			       "1720000000000000101", args, 1, &body), -EINVAL);
	cr_expect(strstr(msg, "names the new cluster itself"), "%s", msg);
}

Test(restore_verbs, point_in_time_timestamps)
{
	static const char *const good[] = {
		"2024-01-15T08:00:00Z", "2024-01-15T08:00:00.123Z",
		"2024-01-15T16:00:00+08:00", "2024-02-29T23:59:59-05:30",
	};
	static const char *const bad[] = {
		"", "2024-01-15", "2024-01-15T08:00:00", "2024-01-15 08:00:00Z",
		"2024-13-01T00:00:00Z", "2024-01-32T00:00:00Z",
		"2024-01-15T24:00:00Z", "2024-01-15T08:00:00.Z", "1705305600",
		"yesterday", "2024-01-15T08:00:00+0800", "2024-01-15T08:00:00Zjunk",
		"2024-01-15T08:00:00+25:00",
	};
	json_t *body;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const char *args[] = { good[i] };

		cr_expect_eq(verb_body(&tcfs_restore_cluster_verbs[0],
				       TCFS_K_SLS_CLUSTER, "10058425682284910923",
				       args, 1, &body), 0, "%s: %s", good[i], msg);
		cr_expect_str_eq(json_string_value(json_object_get(json_object_get(
			body, "pointInTime"), "backupTime")), good[i]);
		cr_expect_str_eq(json_string_value(json_object_get(json_object_get(
			body, "pointInTime"), "clusterId")), "10058425682284910923");
		json_decref(body);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[] = { bad[i] };

		cr_expect_eq(verb_body(&tcfs_restore_cluster_verbs[0],
				       TCFS_K_SLS_CLUSTER, "10058425682284910923",
				       args, 1, &body), -EINVAL, "accepted %s", bad[i]);
		cr_expect_null(body);
		cr_expect(strstr(msg, "RFC 3339"), "%s", msg);
	}
	cr_expect_eq(verb_body(&tcfs_restore_cluster_verbs[0], TCFS_K_SLS_CLUSTER,
			       "10058425682284910923", NULL, 0, &body), -EINVAL);
	cr_expect(strstr(msg, "usage: restore TIMESTAMP"), "%s", msg);
}

Test(restore_verbs, ctl_text_shape)
{
	const char *const verbs[] = { "restore TIMESTAMP", NULL };
	const char *const bverbs[] = { "restore", NULL };

	cr_expect_eq(tcfs_ctl_text_valid("restore 2024-01-15T08:00:00Z\n", 29,
					 verbs, 1, msg, sizeof(msg)), 0, "%s", msg);
	cr_expect_eq(tcfs_ctl_text_valid("restore\n", 8, verbs, 1, msg,
					 sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_ctl_text_valid("restore a b\n", 12, verbs, 1, msg,
					 sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_ctl_text_valid("restore\n", 8, bverbs, 1, msg,
					 sizeof(msg)), 0, "%s", msg);
	cr_expect_eq(tcfs_ctl_text_valid("restore my-copy\n", 16, bverbs, 1, msg,
					 sizeof(msg)), -EINVAL);
}
