/* test_fs_validate.c — fs/validate.c: the published name rules, the ctl
 * text rule, escaping; and the spec pre-check (fs/spec.c) that runs before
 * any request. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "validate.h"
#include "spec.h"

static char msg[512];

Test(cluster_name, published_pattern)
{
	static const char *const good[] = {
		"website", "etl-jobs", "A2-4", "orders-db", "0abc",
		"a234567890123456789012345678901234567890123456789012345678901234",
	};
	static const char *const bad[] = {
		"", "web", "etl", "ab", "x", "my_db", "web.prod", "-rf", "-web",
		"web-", "bad name", "a/b", "caf\xc3\xa9s", "new\nline", "\x1b[31mred",
		"a2345678901234567890123456789012345678901234567890123456789012345",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_expect_eq(tcfs_valid_cluster_name(good[i], "name", msg, sizeof(msg)),
			     0, "%s: %s", good[i], msg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		cr_expect_eq(tcfs_valid_cluster_name(bad[i], "name", msg, sizeof(msg)),
			     -EINVAL, "%s accepted", bad[i]);
		cr_expect(msg[0], "a reason for %s", bad[i]);
		cr_expect(!strchr(msg, '\n') && !strchr(msg, '\x1b'),
			  "the message is escaped: %s", msg);
	}
}

Test(cluster_name, message_says_which_rule)
{
	tcfs_valid_cluster_name("ab", "displayName", msg, sizeof(msg));
	cr_expect(strstr(msg, "4 to 64"), "%s", msg);
	tcfs_valid_cluster_name("my_db", "displayName", msg, sizeof(msg));
	cr_expect(strstr(msg, "letters") && strstr(msg, "displayName"), "%s", msg);
	tcfs_valid_cluster_name("-web", "name", msg, sizeof(msg));
	cr_expect(strstr(msg, "start and end"), "%s", msg);
}

Test(project_name, rules)
{
	cr_expect_eq(tcfs_valid_project_name("production", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_valid_project_name("my project_1.x", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_valid_project_name("caf\xc3\xa9", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_valid_project_name("", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_project_name("a\nb", msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "control") && strstr(msg, "a\\nb"), "%s", msg);
	cr_expect_eq(tcfs_valid_project_name("x\x1b[2Jy", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_project_name("tab\there", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_project_name("c1\xc2\x85", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_project_name("del\x7f", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_project_name("bad\xff", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_project_name(" lead", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_project_name(
		"p2345678901234567890123456789012345678901234567890123456789012345",
		msg, sizeof(msg)), -EINVAL);
}

Test(region, ids)
{
	cr_expect_eq(tcfs_valid_region_id("aws-us-east-1", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_valid_region_id("gcp-us-central1", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_valid_region_id("", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_region_id("aws-", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_region_id("mars-1", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_region_id("aws-US-EAST", msg, sizeof(msg)), -EINVAL);
}

Test(spec, changed_display_name_only)
{
	json_t *cur = json_pack("{s:s}", "displayName", "web");
	json_t *same = json_pack("{s:s}", "displayName", "web");
	json_t *bad = json_pack("{s:s}", "displayName", "ab");
	json_t *good = json_pack("{s:s}", "displayName", "web-2");
	json_t *other = json_pack("{s:{s:i}}", "spendingLimit", "monthly", 5);

	cr_expect_eq(tcfs_valid_cluster_spec(same, cur, msg, sizeof(msg)), 0,
		     "an unchanged name the API holds is never refused");
	cr_expect_eq(tcfs_valid_cluster_spec(bad, cur, msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "displayName"), "%s", msg);
	cr_expect_eq(tcfs_valid_cluster_spec(bad, NULL, msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_valid_cluster_spec(good, cur, msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_valid_cluster_spec(other, cur, msg, sizeof(msg)), 0);
	json_decref(cur); json_decref(same); json_decref(bad);
	json_decref(good); json_decref(other);
}

Test(spec, precheck_needs_no_object)
{
	const char *schema = "{\"displayName\":\"string\",\"labels\":{\"*\":\"string\"}}";
	json_t *out = NULL;

	cr_expect_eq(tcfs_spec_precheck("{\"displayName\": ", 16, schema, NULL,
					&out, msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "invalid JSON"), "%s", msg);
	cr_expect_eq(tcfs_spec_precheck("[1]", 3, schema, NULL, &out, msg,
					sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_spec_precheck("{\"displayName\": 42}", 19, schema, NULL,
					&out, msg, sizeof(msg)), -EINVAL);
	/* a field outside the schema needs the object: not judged here */
	cr_expect_eq(tcfs_spec_precheck("{\"state\": \"X\", \"displayName\": \"abcd\"}",
					37, schema, NULL, &out, msg, sizeof(msg)), 0, "%s", msg);
	cr_expect(json_is_string(json_object_get(out, "displayName")));
	cr_expect_null(json_object_get(out, "state"));
	json_decref(out);
}

Test(ctl, whole_write_or_nothing)
{
	static const char *const verbs[] = { "pause", "resume", NULL };

	cr_expect_eq(tcfs_ctl_text_valid("pause\n", 6, verbs, 0, msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_ctl_text_valid("pause\nresume\n", 13, verbs, 1, msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_ctl_text_valid("pause", 5, verbs, 1, msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_ctl_text_valid("pau", 3, verbs, 0, msg, sizeof(msg)), 0,
		     "an unfinished line waits for the rest");
	cr_expect_eq(tcfs_ctl_text_valid("garbage\0pause", 13, verbs, 1, msg, sizeof(msg)),
		     -EINVAL);
	cr_expect(strstr(msg, "NUL"), "%s", msg);
	cr_expect_eq(tcfs_ctl_text_valid("pause\0", 6, verbs, 0, msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_ctl_text_valid("bogus\npause\n", 12, verbs, 0, msg, sizeof(msg)),
		     -EINVAL);
	cr_expect(strstr(msg, "bogus") && strstr(msg, "pause, resume"), "%s", msg);
	cr_expect_eq(tcfs_ctl_text_valid("pause\nbogus\n", 12, verbs, 0, msg, sizeof(msg)),
		     -EINVAL, "a bad later line refuses the earlier verbs too");
	cr_expect_eq(tcfs_ctl_text_valid(" pause\n", 7, verbs, 0, msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_ctl_text_valid("pause \n", 7, verbs, 0, msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_ctl_text_valid("\n", 1, verbs, 0, msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_ctl_text_valid("pause\n", 6, NULL, 0, msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "none"), "%s", msg);
	cr_expect_eq(tcfs_ctl_text_valid("x\x1b[2J\n", 6, verbs, 0, msg, sizeof(msg)), -EINVAL);
	cr_expect(!strchr(msg, '\x1b'), "escaped: %s", msg);
}

Test(escape, control_characters)
{
	char out[128];

	cr_expect_str_eq(tcfs_escape("plain-name", out, sizeof(out)), "plain-name");
	cr_expect_str_eq(tcfs_escape("a\nb\tc\rd", out, sizeof(out)), "a\\nb\\tc\\rd");
	cr_expect_str_eq(tcfs_escape("\x1b[31m", out, sizeof(out)), "\\e[31m");
	cr_expect_str_eq(tcfs_escape("\x01\x7f", out, sizeof(out)), "\\x01\\x7f");
	cr_expect_str_eq(tcfs_escape("c1\xc2\x9b", out, sizeof(out)), "c1\\u009b");
	cr_expect_str_eq(tcfs_escape("caf\xc3\xa9", out, sizeof(out)), "caf\xc3\xa9");
	cr_expect_str_eq(tcfs_escape("bad\xff", out, sizeof(out)), "bad\\xff");
	cr_expect_str_eq(tcfs_escape("\n\n\n\n", out, 5), "\\n\\n", "truncated whole");
	cr_expect(tcfs_has_control("a\x1b"));
	cr_expect(!tcfs_has_control("caf\xc3\xa9"));
	cr_expect(tcfs_utf8_valid("caf\xc3\xa9", 5));
	cr_expect(!tcfs_utf8_valid("\xc0\xaf", 2), "overlong");
	cr_expect(!tcfs_utf8_valid("\xed\xa0\x80", 3), "surrogate");
}

/* Verbs with arguments: "restore NEW-NAME [TIMESTAMP]" takes one or two
 * words; anything else refuses the whole write, as for plain verbs. */
Test(ctl, verbs_with_arguments)
{
	static const char *const verbs[] = { "pause",
		"restore NEW-NAME [TIMESTAMP]", NULL };
	char m[300];

	cr_expect_eq(tcfs_ctl_text_valid("restore web2\n", 13, verbs, 0, m, sizeof(m)), 0);
	cr_expect_eq(tcfs_ctl_text_valid("restore web2 2024-03-01T00:00:00Z\n",
					 34, verbs, 0, m, sizeof(m)), 0);
	cr_expect_eq(tcfs_ctl_text_valid("restore\n", 8, verbs, 0, m, sizeof(m)),
		     -EINVAL, "the required argument is missing");
	cr_expect_eq(tcfs_ctl_text_valid("restore a b c\n", 14, verbs, 0, m, sizeof(m)),
		     -EINVAL, "one word too many");
	cr_expect_eq(tcfs_ctl_text_valid("restore  web2\n", 14, verbs, 0, m, sizeof(m)),
		     -EINVAL, "two spaces");
	cr_expect_eq(tcfs_ctl_text_valid("restore web2 \n", 14, verbs, 0, m, sizeof(m)),
		     -EINVAL, "a trailing space");
	cr_expect_eq(tcfs_ctl_text_valid("restore we\tb\n", 13, verbs, 0, m, sizeof(m)),
		     -EINVAL, "a control character in an argument");
	cr_expect_eq(tcfs_ctl_text_valid("pause x\n", 8, verbs, 0, m, sizeof(m)),
		     -EINVAL, "a verb without arguments takes none");
	cr_expect_eq(tcfs_ctl_text_valid("restorex\n", 9, verbs, 0, m, sizeof(m)),
		     -EINVAL);
	cr_expect_eq(tcfs_ctl_text_valid("pause\nrestore\n", 14, verbs, 0, m, sizeof(m)),
		     -EINVAL, "one bad line refuses the whole write");
}

/* The integers of a cluster spec in their published ranges (issue 12):
 * negative or beyond int32 (counts, sizes, the spending limit) and beyond
 * 2^53 (minRcu, maxRcu) are refused with the field's path; a value the
 * API holds already is accepted unchanged. */
Test(cluster_spec, integers_in_range)
{
	static const char *const bad[] = {
		"{\"spendingLimit\":{\"monthly\":-1}}",
		"{\"spendingLimit\":{\"monthly\":9007199254740993}}",
		"{\"automatedBackupPolicy\":{\"retentionDays\":-7}}",
		"{\"autoScaling\":{\"minRcu\":18014398509481984}}",
		"{\"tikvNodeSetting\":{\"nodeCount\":-3}}",
		"{\"tidbNodeSetting\":{\"tidbNodeGroups\":[{\"nodeCount\":2147483648}]}}",
	};
	static const char *const paths[] = {
		"spendingLimit.monthly", "spendingLimit.monthly",
		"automatedBackupPolicy.retentionDays", "autoScaling.minRcu",
		"tikvNodeSetting.nodeCount", "tidbNodeSetting.tidbNodeGroups[0].nodeCount",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *s = json_loads(bad[i], 0, NULL);

		cr_assert_not_null(s);
		msg[0] = '\0';
		cr_expect_eq(tcfs_valid_cluster_spec(s, NULL, msg, sizeof(msg)),
			     -EINVAL, "%s accepted", bad[i]);
		cr_expect(strstr(msg, paths[i]) != NULL, "%s: %s", bad[i], msg);
		/* held by the API already: accepted */
		cr_expect_eq(tcfs_valid_cluster_spec(s, s, msg, sizeof(msg)), 0,
			     "%s unchanged refused: %s", bad[i], msg);
		json_decref(s);
	}
	{
		json_t *s = json_loads("{\"spendingLimit\":{\"monthly\":2147483647},"
				       "\"autoScaling\":{\"minRcu\":0,\"maxRcu\":\"99999999999999999\"},"
				       "\"labels\":{\"monthly\":\"-1\"}}", 0, NULL);

		cr_expect_eq(tcfs_valid_cluster_ints(s, NULL, msg, sizeof(msg)), 0,
			     "%s", msg);
		json_decref(s);
	}
}
