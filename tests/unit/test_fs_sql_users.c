/* test_fs_sql_users.c — fs/family_sql_users.c: the name and prefix rules,
 * the create body from a template, the spec.json check (never quoting a
 * password) and the generated password. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "family_sql_users.h"

static char msg[512];

Test(sql_user_name, rules)
{
	static const char *const good[] = {
		"bob", "app_rw", "abc.def", "x", "u1234567890123456789012345678901",
	};
	static const char *const bad[] = {
		"", "bo'b", "bob@host", "a/b", "a b", "a:b", "a\"b", "a`b",
		"new\nline", "u12345678901234567890123456789012",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_expect_eq(tcfs_sql_user_name_check(good[i], msg, sizeof(msg)),
			     0, "%s: %s", good[i], msg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(tcfs_sql_user_name_check(bad[i], msg, sizeof(msg)),
			     -EINVAL, "%s accepted", bad[i]);
}

Test(sql_user_name, prefix)
{
	cr_expect_eq(tcfs_sql_user_prefix_check("bob", NULL, msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_sql_user_prefix_check("bob", "", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_sql_user_prefix_check("3xK.bob", "3xK", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_sql_user_prefix_check("bob", "3xK", msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "mkdir sql-users/3xK.bob"), "%s", msg);
	cr_expect_eq(tcfs_sql_user_prefix_check("3xK.", "3xK", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_sql_user_prefix_check("3xKbob", "3xK", msg, sizeof(msg)), -EINVAL);
}

static int body_of(const char *tpl_text, const char *pw, json_t **body)
{
	json_t *tpl = json_loads(tpl_text, 0, NULL);
	int r;

	cr_assert(tpl, "bad test JSON %s", tpl_text);
	r = tcfs_sql_user_body(tpl, "bob", pw, body, msg, sizeof(msg));
	json_decref(tpl);
	return r;
}

Test(sql_user_body, from_template)
{
	json_t *b = NULL;

	cr_assert_eq(body_of("{\"builtinRole\":\"role_readonly\",\"customRoles\":[\"a\"]}",
			     "GeneratedPw123456", &b), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(b, "userName")), "bob");
	cr_expect_str_eq(json_string_value(json_object_get(b, "builtinRole")), "role_readonly");
	cr_expect_str_eq(json_string_value(json_object_get(b, "authMethod")),
			 "mysql_native_password");
	cr_expect_str_eq(json_string_value(json_object_get(b, "password")), "GeneratedPw123456");
	cr_expect_eq(json_array_size(json_object_get(b, "customRoles")), 1);
	json_decref(b);
	/* the template's own password when none is generated */
	cr_assert_eq(body_of("{\"builtinRole\":\"role_admin\",\"password\":\"Tmpl-Pass-1\"}",
			     NULL, &b), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(b, "password")), "Tmpl-Pass-1");
	json_decref(b);
}

Test(sql_user_body, refusals)
{
	static const char *const bad[] = {
		"[]", "{}", "{\"builtinRole\":\"root\"}",
		"{\"builtinRole\":\"role_admin\",\"authMethod\":\"caching_sha2_password\"}",
		"{\"builtinRole\":\"role_admin\",\"customRoles\":\"a\"}",
		"{\"builtinRole\":\"role_admin\",\"customRoles\":[1]}",
		"{\"builtinRole\":\"role_admin\",\"customRoles\":[\"\"]}",
		"{\"builtinRole\":\"role_admin\",\"other\":1}",
	};
	json_t *b = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(body_of(bad[i], "GeneratedPw123456", &b), -EINVAL,
			     "%s accepted", bad[i]);
		cr_expect_null(b);
	}
	/* a short template password is refused without being quoted */
	cr_expect_eq(body_of("{\"builtinRole\":\"role_admin\",\"password\":\"s3cr\"}",
			     NULL, &b), -EINVAL);
	cr_expect_null(strstr(msg, "s3cr"), "%s", msg);
	cr_expect_eq(body_of("{\"builtinRole\":\"role_admin\"}", NULL, &b), -EINVAL,
		     "no password at all");
}

Test(sql_user_check, spec)
{
	json_t *cur = json_loads("{\"builtinRole\":\"abc.role_admin\",\"customRoles\":[]}",
				 0, NULL);
	json_t *ok1 = json_loads("{\"builtinRole\":\"abc.role_admin\"}", 0, NULL);
	json_t *ok2 = json_loads("{\"builtinRole\":\"role_readonly\",\"password\":\"Long-enough-1\"}",
				 0, NULL);
	json_t *bad1 = json_loads("{\"builtinRole\":\"superuser\"}", 0, NULL);
	json_t *bad2 = json_loads("{\"password\":\"hunter2\"}", 0, NULL);

	cr_expect_eq(tcfs_sql_user_check(ok1, cur, msg, sizeof(msg)), 0, "%s", msg);
	cr_expect_eq(tcfs_sql_user_check(ok2, cur, msg, sizeof(msg)), 0, "%s", msg);
	cr_expect_eq(tcfs_sql_user_check(bad1, cur, msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "builtinRole"));
	cr_expect_eq(tcfs_sql_user_check(bad2, cur, msg, sizeof(msg)), -EINVAL);
	cr_expect_null(strstr(msg, "hunter2"), "%s", msg);
	json_decref(cur);
	json_decref(ok1);
	json_decref(ok2);
	json_decref(bad1);
	json_decref(bad2);
}

Test(sql_password, strong_and_distinct)
{
	char a[TCFS_SQL_PW_LEN + 1], b[TCFS_SQL_PW_LEN + 1], small[8];

	cr_assert_geq(TCFS_SQL_PW_LEN, 24);
	cr_assert_eq(tcfs_sql_password_generate(a, sizeof(a)), 0);
	cr_assert_eq(tcfs_sql_password_generate(b, sizeof(b)), 0);
	cr_expect_eq(strlen(a), TCFS_SQL_PW_LEN);
	cr_expect_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789"), TCFS_SQL_PW_LEN);
	cr_expect(strpbrk(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
	cr_expect(strpbrk(a, "abcdefghijklmnopqrstuvwxyz"));
	cr_expect(strpbrk(a, "0123456789"));
	cr_expect_str_neq(a, b);
	cr_expect_eq(tcfs_sql_password_generate(small, sizeof(small)), -EINVAL);
}
