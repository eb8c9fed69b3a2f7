/* test_fs_cmek.c — fs/family_cmek.c: the text written to aws-cmek.json →
 * the POST body {specs}, every local rule refused with its reason. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "family_cmek.h"

static char msg[600];

static int body_of(const char *text, json_t **b)
{
	msg[0] = '\0';
	return tcfs_cmek_body(text, strlen(text), b, msg, sizeof(msg));
}

Test(cmek_body, accepted)
{
	json_t *b = NULL;

	cr_assert_eq(body_of("{\"specs\": [{\"region\": \"us-west-2\", \"kms_arn\": "
			     "\"arn:aws:kms:us-west-2:123456789012:key/ab-cd\"}]}",
			     &b), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(b, "specs"), 0), "region")), "us-west-2");
	json_decref(b);
	/* the GET's shape, an alias, two keys of one region */
	cr_assert_eq(body_of("{\"items\": [{\"region\": \"ap-southeast-1\", "
			     "\"kms_arn\": \"arn:aws:kms:ap-southeast-1:123456789012:alias/x\"},"
			     "{\"region\": \"ap-southeast-1\", \"kms_arn\": "
			     "\"arn:aws:kms:ap-southeast-1:123456789012:key/y\"}]}", &b),
		     0, "%s", msg);
	cr_expect_eq(json_array_size(json_object_get(b, "specs")), 2);
	json_decref(b);
}

Test(cmek_body, refused)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "", "not valid JSON" },
		{ "[]", "must be an object" },
		{ "{\"specs\": []}", "1 to 16" },
		{ "{\"specs\": {}}", "1 to 16" },
		{ "{\"specs\": [1]}", "exactly" },
		{ "{\"other\": 1}", "unknown field" },
		{ "{\"specs\": [{\"region\": \"us-west-2\"}]}", "exactly" },
		{ "{\"specs\": [{\"region\": \"us-west-2\", \"kms_arn\": \"x\", \"y\": 1}]}", "exactly" },
		{ "{\"specs\": [{\"region\": 5, \"kms_arn\": \"x\"}]}", "exactly" },
		{ "{\"specs\": [{\"region\": \"Mars\", \"kms_arn\": \"arn:aws:kms:Mars:123456789012:key/a\"}]}", "AWS region code" },
		{ "{\"specs\": [{\"region\": \"us-west-2\", \"kms_arn\": \"arn:aws:s3:::b\"}]}", "kms_arn must be" },
		{ "{\"specs\": [{\"region\": \"us-west-2\", \"kms_arn\": \"arn:aws:kms:us-east-1:123456789012:key/a\"}]}", "kms_arn must be" },
		{ "{\"specs\": [{\"region\": \"us-west-2\", \"kms_arn\": \"arn:aws:kms:us-west-2:1234:key/a\"}]}", "kms_arn must be" },
		{ "{\"specs\": [{\"region\": \"us-west-2\", \"kms_arn\": \"arn:aws:kms:us-west-2:123456789012:key/\"}]}", "kms_arn must be" },
		{ "{\"specs\": [{\"region\": \"us-west-2\", \"kms_arn\": \"arn:aws:kms:us-west-2:123456789012:key/a b\"}]}", "kms_arn must be" },
		{ "{\"specs\": [{\"region\": \"us-west-2\", \"kms_arn\": \"arn:aws:kms:us-west-2:123456789012:key/a\"},"
		  "{\"region\": \"us-east-1\", \"kms_arn\": \"arn:aws:kms:us-east-1:123456789012:key/a\"}]}", "one AWS region" },
		{ "{\"specs\": [1], \"specs\": [2]}", "not valid JSON" },
	};
	json_t *b;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = NULL;
		cr_expect_eq(body_of(bad[i].text, &b), -EINVAL, "%s accepted",
			     bad[i].text);
		cr_expect_null(b);
		cr_expect(strstr(msg, bad[i].why) != NULL, "%s: \"%s\" lacks \"%s\"",
			  bad[i].text, msg, bad[i].why);
	}
}

Test(cmek_body, too_big)
{
	static char big[TCFS_MAX_TEXT + 2];
	json_t *b = NULL;

	memset(big, ' ', sizeof(big) - 1);
	cr_expect_eq(tcfs_cmek_body(big, sizeof(big) - 1, &b, msg, sizeof(msg)),
		     -EFBIG);
	cr_expect_null(b);
}
