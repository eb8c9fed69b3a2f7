/* Unit tests: ~/.ticloud/config.toml parsing and the permission check. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tidbcloud.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/tcprof.XXXXXX");
	cr_assert(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(profiles, .init = setup, .fini = teardown);

static const char *write_file(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(chmod(path, mode), 0);
	return path;
}

static const char config[] =
	"current-profile = \"work\"\n"
	"\n"
	"[default]\n"
	"public-key = \"PUBDEFAULT\"\n"
	"private-key = \"PRIV-DEFAULT-SECRET\"\n"
	"\n"
	"[work]\n"
	"public-key = \"PUBWORK\"\n"
	"private-key = \"PRIV-WORK-SECRET\"\n"
	"serverless-endpoint = \"https://serverless.example.com\"\n"
	"iam-endpoint = \"https://iam.example.com\"\n"
	"telemetry-enabled = false\n"
	"\n"
	"[oauth-only]\n"
	"token-type = \"Bearer\"\n"
	"access-token = \"zzz\"\n";

Test(profiles, loads_0600)
{
	struct tc_profile_list l;
	struct tc_error e;
	const char *path = write_file("config.toml", config, 0600);

	cr_assert_eq(tc_profiles_load(path, &l, &e), 0, "%s", e.message);
	cr_expect_str_eq(l.current, "work");
	cr_assert_eq(l.count, 2, "the OAuth-only profile is skipped");
	for (size_t i = 0; i < l.count; i++) {
		struct tc_profile *p = &l.items[i];
		if (strcmp(p->name, "default") == 0) {
			cr_expect_str_eq(p->public_key, "PUBDEFAULT");
			cr_expect_str_eq(p->private_key, "PRIV-DEFAULT-SECRET");
			cr_expect_null(p->serverless_endpoint);
			cr_expect_null(p->iam_endpoint);
		} else {
			cr_expect_str_eq(p->name, "work");
			cr_expect_str_eq(p->public_key, "PUBWORK");
			cr_expect_str_eq(p->serverless_endpoint, "https://serverless.example.com");
			cr_expect_str_eq(p->iam_endpoint, "https://iam.example.com");
		}
	}
	tc_profiles_release(&l);
	cr_expect_eq(l.count, 0);
	cr_expect_null(l.items);
	tc_profiles_release(&l);   /* idempotent */
}

Test(profiles, refuses_0644_like_ssh)
{
	struct tc_profile_list l;
	struct tc_error e;
	const char *path = write_file("config.toml", config, 0644);

	cr_assert_eq(tc_profiles_load(path, &l, &e), -1);
	cr_expect_eq(e.kind, TC_E_CONFIG);
	cr_expect(strstr(e.message, "permissions 0644"), "%s", e.message);
	cr_expect(strstr(e.message, "too open"));
	cr_expect(strstr(e.message, "chmod 600"));
	cr_expect(strstr(e.message, path));
	cr_expect(!strstr(e.message, "SECRET"));
	cr_expect_eq(l.count, 0);

	write_file("config.toml", config, 0620);
	cr_expect_eq(tc_profiles_load(path, &l, &e), -1);
	cr_expect(strstr(e.message, "permissions 0620"), "%s", e.message);
	write_file("config.toml", config, 0604);
	cr_expect_eq(tc_profiles_load(path, &l, &e), -1);
	write_file("config.toml", config, 0400);
	cr_assert_eq(tc_profiles_load(path, &l, &e), 0, "0400 is fine");
	tc_profiles_release(&l);
}

Test(profiles, syntax_error_does_not_quote_the_file)
{
	struct tc_profile_list l;
	struct tc_error e;
	const char *path = write_file("config.toml",
		"[default]\npublic-key = \"P\"\nprivate-key = \"VERY-SECRET-KEY\n", 0600);

	cr_assert_eq(tc_profiles_load(path, &l, &e), -1);
	cr_expect_eq(e.kind, TC_E_CONFIG);
	cr_expect(strstr(e.message, "line 3"), "%s", e.message);
	cr_expect(!strstr(e.message, "SECRET"), "%s", e.message);
}

Test(profiles, missing_file_and_default_path)
{
	struct tc_profile_list l;
	struct tc_error e;
	char home[128], sub[160];

	cr_expect_eq(tc_profiles_load("/nonexistent/config.toml", &l, &e), -1);
	cr_expect_eq(e.kind, TC_E_CONFIG);
	cr_expect(strstr(e.message, "No such file"), "%s", e.message);

	snprintf(home, sizeof(home), "%s", dir);
	snprintf(sub, sizeof(sub), "%s/.ticloud", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	write_file(".ticloud/config.toml", config, 0600);
	setenv("HOME", home, 1);
	cr_assert_eq(tc_profiles_load(NULL, &l, &e), 0, "%s", e.message);
	cr_expect_eq(l.count, 2);
	tc_profiles_release(&l);
}

Test(profiles, empty_file)
{
	struct tc_profile_list l;
	struct tc_error e;
	const char *path = write_file("config.toml", "", 0600);

	cr_assert_eq(tc_profiles_load(path, &l, &e), 0);
	cr_expect_eq(l.count, 0);
	cr_expect_null(l.current);
	tc_profiles_release(&l);
}
