/* test_fs_private_endpoints.c — fs/family_private_endpoints.c: the name
 * and endpointId rules, the default node group and the create body. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "family_private_endpoints.h"

static char msg[512];

Test(pe_rules, names_and_endpoint_ids)
{
	cr_expect_eq(tcfs_pe_name_check("vpce-0123456789abcdef0", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_pe_name_check("-", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_pe_name_check("", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_pe_name_check("a\nb", msg, sizeof(msg)), -EINVAL);

	cr_expect_eq(tcfs_pe_endpoint_check("aws", "vpce-0123abcd", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_pe_endpoint_check("aws", "vpce-0123456789abcdef0", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_pe_endpoint_check("aws", "vpce-0123abc", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_pe_endpoint_check("aws", "vpce-0123456789abcdef01", msg, sizeof(msg)),
		     -EINVAL);
	cr_expect_eq(tcfs_pe_endpoint_check("aws", "vpce-0123ABCD", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_pe_endpoint_check("aws", "endpoint-1", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_pe_endpoint_check("aws", "vpce-0123abcd ", msg, sizeof(msg)), -EINVAL);
	/* no local rule on other clouds */
	cr_expect_eq(tcfs_pe_endpoint_check("gcp", "projects/x/endpoint", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_pe_endpoint_check(NULL, "anything", msg, sizeof(msg)), 0);
}

static json_t *cluster(void)
{
	json_t *c = json_loads("{\"cloudProvider\":\"aws\",\"tidbNodeSetting\":{"
			       "\"tidbNodeGroups\":[{\"tidbNodeGroupId\":\"g1\"},"
			       "{\"tidbNodeGroupId\":\"g2\",\"isDefaultGroup\":true}]}}",
			       0, NULL);

	cr_assert(c);
	return c;
}

Test(pe_body, default_group_and_account)
{
	json_t *c = cluster(), *b = NULL;
	json_t *tpl = json_loads("{\"accountId\":\"123\",\"tidbNodeGroupId\":\"\"}", 0, NULL);

	cr_expect_str_eq(tcfs_pe_default_group(c), "g2");
	cr_assert_eq(tcfs_pe_body(tpl, "vpce-0123abcd", c, &b, msg, sizeof(msg)), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(b, "endpointId")), "vpce-0123abcd");
	cr_expect_str_eq(json_string_value(json_object_get(b, "tidbNodeGroupId")), "g2");
	cr_expect_str_eq(json_string_value(json_object_get(b, "accountId")), "123");
	json_decref(b);
	json_decref(tpl);
	tpl = json_loads("{\"tidbNodeGroupId\":\"g1\"}", 0, NULL);
	cr_assert_eq(tcfs_pe_body(tpl, "vpce-0123abcd", c, &b, msg, sizeof(msg)), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(b, "tidbNodeGroupId")), "g1");
	cr_expect_null(json_object_get(b, "accountId"));
	json_decref(b);
	json_decref(tpl);
	json_decref(c);
}

Test(pe_body, refusals)
{
	static const char *const bad[] = {
		"[]", "{\"accountId\":12}", "{\"subnet\":\"x\"}", "{\"tidbNodeGroupId\":\"-\"}",
		"{\"tidbNodeGroupId\":\"a/b\"}",
		"{\"accountId\":\"12345678901234567890123456789012345678901234567890123456789012345\"}",
	};
	json_t *c = cluster(), *b = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *tpl = json_loads(bad[i], 0, NULL);

		cr_assert(tpl);
		cr_expect_eq(tcfs_pe_body(tpl, "vpce-0123abcd", c, &b, msg, sizeof(msg)),
			     -EINVAL, "%s accepted", bad[i]);
		cr_expect_null(b);
		json_decref(tpl);
	}
	{
		json_t *tpl = json_object();

		cr_expect_eq(tcfs_pe_body(tpl, "endpoint-1", c, &b, msg, sizeof(msg)), -EINVAL);
		cr_expect(strstr(msg, "vpce-"));
		json_decref(tpl);
	}
	json_decref(c);
}
