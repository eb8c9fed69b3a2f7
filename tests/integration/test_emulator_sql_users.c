/*
 * test_emulator_sql_users.c — the emulator's IAM SQL users
 * (iam.tidbapi.com /v1beta1/clusters/{c}/sqlUsers): fields without the
 * password, token paging, create/patch/delete, prefix rules of
 * Starter/Essential clusters, constraints → 400 in the IAM error body.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emufam.h"
#include "testemu.h"

#define IAM "https://iam.tidbapi.com/v1beta1"
#define OC "10058425682284910922"
#define ODB "10058425682284910921"
#define SU IAM "/clusters/" OC "/sqlUsers"
#define DSU IAM "/clusters/" ODB "/sqlUsers"

static struct testemu emu;
static struct emuhttp c;
static char prefix[64];

static void start(void)
{
	json_t *b;

	emufam_start(&emu, &c);
	b = emufam_call(&c, "GET", "https://serverless.tidbapi.com/v1beta1/clusters/"
			OC, NULL, 200);
	snprintf(prefix, sizeof(prefix), "%s", emufam_str(b, "userPrefix"));
	json_decref(b);
}

static void stop(void)
{
	emufam_stop(&emu, &c);
}

TestSuite(sql_users, .init = start, .fini = stop, .timeout = 60);

Test(sql_users, list_fields_and_paging)
{
	json_t *b = emufam_call(&c, "GET", SU, NULL, 200), *u;
	char want[96];

	cr_assert_eq(json_array_size(json_object_get(b, "sqlUsers")), 2);
	u = json_array_get(json_object_get(b, "sqlUsers"), 0);
	snprintf(want, sizeof(want), "%s.app_rw", prefix);
	cr_expect_str_eq(emufam_str(u, "userName"), want);
	cr_expect_str_eq(emufam_str(u, "builtinRole"), "role_readwrite");
	cr_expect_str_eq(emufam_str(u, "authMethod"), "mysql_native_password");
	cr_expect(json_is_array(json_object_get(u, "customRoles")));
	cr_expect_eq(json_object_size(u), 4);
	cr_expect_null(json_object_get(b, "totalSize"));
	json_decref(b);
	b = emufam_call(&c, "GET", SU "?pageSize=1", NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "sqlUsers")), 1);
	cr_expect(json_is_string(json_object_get(b, "nextPageToken")));
	json_decref(b);
	b = emufam_call(&c, "GET", DSU, NULL, 200);
	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b, "sqlUsers"), 0),
				    "userName"), "orders_admin");
	json_decref(b);
}

Test(sql_users, create_patch_delete_never_return_the_password)
{
	char body[256], url[256];
	json_t *b;

	snprintf(body, sizeof(body), "{\"userName\":\"%s.etl\",\"password\":"
		 "\"Str0ng-pass-word\",\"builtinRole\":\"role_readonly\","
		 "\"customRoles\":[\"loader\"],\"authMethod\":\"mysql_native_password\"}",
		 prefix);
	b = emufam_call(&c, "POST", SU, body, 200);
	cr_expect_null(json_object_get(b, "password"));
	cr_expect_eq(json_array_size(json_object_get(b, "customRoles")), 1);
	snprintf(url, sizeof(url), SU "/%s", emufam_str(b, "userName"));
	json_decref(b);
	b = emufam_call(&c, "POST", SU, "{\"userName\":\"auto\",\"autoPrefix\":true,"
			"\"password\":\"Str0ng-pass-word\",\"builtinRole\":\"role_admin\"}",
			200);
	cr_expect(strncmp(emufam_str(b, "userName"), prefix, strlen(prefix)) == 0);
	json_decref(b);
	b = emufam_call(&c, "PATCH", url, "{\"builtinRole\":\"role_readwrite\","
			"\"password\":\"another-pass-1\"}", 200);
	cr_expect_str_eq(emufam_str(b, "builtinRole"), "role_readwrite");
	cr_expect_null(json_object_get(b, "password"));
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "builtinRole"), "role_readwrite");
	{
		char *t = json_dumps(b, 0);
		cr_expect_null(strstr(t, "pass-"));
		free(t);
	}
	json_decref(b);
	b = emufam_call(&c, "DELETE", url, NULL, 200);
	cr_expect(json_is_integer(json_object_get(b, "code")));
	json_decref(b);
	json_decref(emufam_call(&c, "GET", url, NULL, 404));
	/* Dedicated: no prefix */
	json_decref(emufam_call(&c, "POST", DSU, "{\"userName\":\"bi\",\"password\":"
				"\"Str0ng-pass-word\",\"builtinRole\":\"role_readonly\"}", 200));
}

Test(sql_users, constraints_in_the_iam_error_shape)
{
	static const char *const bad[] = {
		"{}",
		"{\"userName\":\"noprefix\",\"password\":\"Str0ng-pass\",\"builtinRole\":\"role_admin\"}",
		"{\"userName\":\"x\",\"autoPrefix\":true,\"password\":\"short\",\"builtinRole\":\"role_admin\"}",
		"{\"userName\":\"x\",\"autoPrefix\":true,\"password\":\"Str0ng-pass\",\"builtinRole\":\"root\"}",
		"{\"userName\":\"x\",\"autoPrefix\":true,\"password\":\"Str0ng-pass\",\"builtinRole\":\"role_admin\",\"authMethod\":\"ldap\"}",
		"{\"userName\":\"x\",\"autoPrefix\":true,\"password\":\"Str0ng-pass\",\"builtinRole\":\"role_admin\",\"customRoles\":[1]}",
		"{\"userName\":\"a-name-that-is-far-too-long-for-mysql\",\"autoPrefix\":true,\"password\":\"Str0ng-pass\",\"builtinRole\":\"role_admin\"}",
		"{\"userName\":\"app_rw\",\"autoPrefix\":true,\"password\":\"Str0ng-pass\",\"builtinRole\":\"role_admin\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = emufam_call(&c, "POST", SU, bad[i], 400);
		cr_expect(json_is_string(json_object_get(b, "code")), "%zu", i);
		cr_expect_eq(json_integer_value(json_object_get(b, "status")), 400);
		cr_expect(json_is_string(json_object_get(b, "msgPrefix")));
		json_decref(b);
	}
	json_decref(emufam_call(&c, "PATCH", DSU "/orders_app", "{}", 400));
	json_decref(emufam_call(&c, "PATCH", DSU "/orders_app",
				"{\"password\":\"tiny\"}", 400));
	json_decref(emufam_call(&c, "GET", IAM "/clusters/1/sqlUsers", NULL, 404));
	json_decref(emufam_call(&c, "GET", DSU "/nobody", NULL, 404));
}
