/*
 * test_fs_dataapps.c — the Data Service family's local rules and body
 * builders (fs/family_dataapps.c): version x.y.z, endpoint path and name
 * patterns, settings ranges, key roles, query.sql text, the test body.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <string.h>

#include "family_dataapps.h"

static char msg[300];

Test(dataapps, version_pattern)
{
	cr_expect_eq(tcfs_dataapp_version_check("1.0.0", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_dataapp_version_check("9.9.9", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_dataapp_version_check("0.1.0", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_dataapp_version_check("1.10.0", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_dataapp_version_check("1.0", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_dataapp_version_check(NULL, msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "version") != NULL);
}

Test(dataapps, endpoint_path_and_name)
{
	cr_expect_eq(tcfs_endpoint_path_check("/orders", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_endpoint_path_check("/v1/a_b", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_endpoint_path_check("orders", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_endpoint_path_check("/", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_endpoint_path_check("/a//b", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_endpoint_path_check("/a/", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_endpoint_path_check("/a-b", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_endpoint_name_check("list_orders", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_endpoint_name_check("bad.name", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_endpoint_name_check("", msg, sizeof(msg)), -EINVAL);
}

Test(dataapps, endpoint_fields)
{
	json_t *s = json_pack("{s:s, s:s, s:{s:i}}", "path", "/a", "method", "GET",
			      "settings", "rowLimit", 2000);

	cr_expect_eq(tcfs_endpoint_check(s, NULL, msg, sizeof(msg)), 0);
	json_object_set_new(json_object_get(s, "settings"), "rowLimit",
			    json_integer(2001));
	cr_expect_eq(tcfs_endpoint_check(s, NULL, msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "rowLimit") != NULL);
	json_object_set_new(json_object_get(s, "settings"), "rowLimit",
			    json_integer(10));
	json_object_set_new(s, "method", json_string("PATCH"));
	cr_expect_eq(tcfs_endpoint_check(s, NULL, msg, sizeof(msg)), -EINVAL);
	json_object_set_new(s, "method", json_string("DELETE"));
	json_object_set_new(s, "params", json_pack("[{s:s, s:s}]", "name", "x",
						   "type", "float"));
	cr_expect_eq(tcfs_endpoint_check(s, NULL, msg, sizeof(msg)), -EINVAL);
	json_decref(s);
}

Test(dataapps, key_rules_and_body)
{
	json_t *tpl = json_pack("{s:s, s:i}", "role", "READ_ONLY",
				"rateLimitRpm", 100), *b = NULL;

	cr_assert_eq(tcfs_dataapp_key_body(tpl, "ci-bot", &b, msg, sizeof(msg)), 0);
	cr_expect_str_eq(json_string_value(json_object_get(b, "description")),
			 "ci-bot");
	json_decref(b);
	json_object_set_new(tpl, "role", json_string("ADMIN"));
	cr_expect_eq(tcfs_dataapp_key_body(tpl, "x", &b, msg, sizeof(msg)), -EINVAL);
	json_object_set_new(tpl, "role", json_string("READ_AND_WRITE"));
	json_object_set_new(tpl, "rateLimitRpm", json_integer(1001));
	cr_expect_eq(tcfs_dataapp_key_body(tpl, "x", &b, msg, sizeof(msg)), -EINVAL);
	json_object_set_new(tpl, "rateLimitRpm", json_integer(5));
	json_object_set_new(tpl, "secret", json_string("x"));
	cr_expect_eq(tcfs_dataapp_key_body(tpl, "x", &b, msg, sizeof(msg)), -EINVAL);
	json_decref(tpl);
}

Test(dataapps, app_and_endpoint_bodies)
{
	json_t *tpl = json_pack("{s:s, s:s}", "version", "1.0.0", "appType",
				"DATAAPP"), *ids = json_pack("[s]", "42"), *b = NULL;

	cr_assert_eq(tcfs_dataapp_body(tpl, "shop", "7", ids, &b, msg,
				       sizeof(msg)), 0);
	cr_expect_str_eq(json_string_value(json_object_get(b, "projectId")), "7");
	cr_expect_str_eq(json_string_value(json_object_get(b, "displayName")),
			 "shop");
	json_decref(b);
	json_array_clear(ids);
	cr_expect_eq(tcfs_dataapp_body(tpl, "shop", "7", ids, &b, msg,
				       sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "clusterIds") != NULL);
	json_decref(ids);
	json_decref(tpl);
	tpl = json_pack("{s:s, s:s}", "path", "", "sqlTemplate", "SELECT 1");
	cr_assert_eq(tcfs_endpoint_body(tpl, "top_x", &b, msg, sizeof(msg)), 0);
	cr_expect_str_eq(json_string_value(json_object_get(b, "path")), "/top_x");
	cr_expect_str_eq(json_string_value(json_object_get(b, "method")), "GET");
	json_decref(b);
	json_decref(tpl);
}

Test(dataapps, query_text_and_test_body)
{
	json_t *b = NULL;

	cr_expect_eq(tcfs_query_text_check("SELECT 1\n", 9, msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_query_text_check("SELECT\0 1", 9, msg, sizeof(msg)),
		     -EINVAL);
	cr_expect_eq(tcfs_query_text_check("\xff\xfe", 2, msg, sizeof(msg)),
		     -EINVAL);
	const char *args = "{\"a\":\"x\",\"n\":2,\"t\":true}";

	cr_assert_eq(tcfs_endpoint_test_body(args, strlen(args), &b, msg,
					     sizeof(msg)), 0);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(
		json_array_get(json_object_get(b, "args"), 0), "items"), "n")), "2");
	json_decref(b);
	cr_expect_eq(tcfs_endpoint_test_body("", 0, &b, msg, sizeof(msg)), 0);
	json_decref(b);
	cr_expect_eq(tcfs_endpoint_test_body("status=open", 11, &b, msg,
					     sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_endpoint_test_body("{\"a\":[1]}", 9, &b, msg,
					     sizeof(msg)), -EINVAL);
}
