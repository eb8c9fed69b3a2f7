/* test_fs_imports.c — the imports family's pure helpers (fs/import_body.c):
 * the create body of an import from .template.json, the target of an
 * uploaded file from its name, the LOCAL import body. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "imports.h"

static char msg[512];

static int body_of(const char *tpl_text, int ded, json_t **body)
{
	json_t *tpl = json_loads(tpl_text, 0, NULL);
	int r;

	cr_assert(tpl, "bad test JSON: %s", tpl_text);
	msg[0] = '\0';
	r = tcfs_import_body(tpl, ded, body, msg, sizeof(msg));
	json_decref(tpl);
	return r;
}

#define S3_ROLE "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\"," \
	"\"s3\":{\"uri\":\"s3://b/p/\",\"authType\":\"ROLE_ARN\",\"roleArn\":\"arn:x\"}}}"

Test(import_body, serverless_s3_role)
{
	json_t *b = NULL;

	cr_assert_eq(body_of(S3_ROLE, 0, &b), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(
		json_object_get(b, "source"), "type")), "S3");
	cr_expect(json_object_get(b, "importOptions"));
	cr_expect(!json_object_get(b, "creationDetails"));
	json_decref(b);
}

Test(import_body, dedicated_wraps_creation_details)
{
	json_t *b = NULL, *d;

	cr_assert_eq(body_of(S3_ROLE, 1, &b), 0, "%s", msg);
	d = json_object_get(b, "creationDetails");
	cr_assert(json_is_object(d));
	cr_expect_str_eq(json_string_value(json_object_get(
		json_object_get(d, "importOptions"), "fileType")), "CSV");
	json_decref(b);
}

Test(import_body, only_the_chosen_block_is_sent)
{
	json_t *b = NULL;

	cr_assert_eq(body_of("{\"importOptions\":{\"fileType\":\"PARQUET\"},"
			     "\"source\":{\"type\":\"GCS\",\"gcs\":{\"uri\":\"gs://b/x\","
			     "\"authType\":\"SERVICE_ACCOUNT_KEY\",\"serviceAccountKey\":\"e30=\"},"
			     "\"s3\":{\"uri\":\"s3://stale/\"}}}", 0, &b), 0, "%s", msg);
	cr_expect(!json_object_get(json_object_get(b, "source"), "s3"));
	cr_expect(json_object_get(json_object_get(b, "source"), "gcs"));
	json_decref(b);
}

Test(import_body, refusals_name_the_rule)
{
	static const struct { const char *tpl; int ded; const char *rule; } bad[] = {
		{ "[]", 0, "must be an object" },
		{ "{\"source\":{}}", 0, "importOptions" },
		{ "{\"importOptions\":{\"fileType\":\"XLS\"},\"source\":{\"type\":\"S3\"}}", 0,
		  "importOptions.fileType" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\",\"csvFormat\":1},\"source\":{}}", 0,
		  "csvFormat" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"}}", 0, "source must be" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"FTP\"}}", 0,
		  "S3_COMPATIBLE" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"LOCAL\"}}", 0,
		  "cp the file" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"OSS\","
		  "\"oss\":{\"uri\":\"oss://b/\",\"authType\":\"ACCESS_KEY\",\"accessKey\":"
		  "{\"id\":\"a\",\"secret\":\"b\"}}}}", 1, "S3, GCS or AZURE_BLOB" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\"}}", 0,
		  "source.s3" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\","
		  "\"s3\":{\"uri\":\"gs://b/\",\"authType\":\"ROLE_ARN\",\"roleArn\":\"x\"}}}", 0,
		  "must start with s3://" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\","
		  "\"s3\":{\"uri\":\"s3://\",\"authType\":\"ROLE_ARN\",\"roleArn\":\"x\"}}}", 0,
		  "must start with s3://" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\","
		  "\"s3\":{\"uri\":\"s3://b/\",\"authType\":\"SAS_TOKEN\"}}}", 0,
		  "authType must be ROLE_ARN or ACCESS_KEY" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\","
		  "\"s3\":{\"uri\":\"s3://b/\",\"authType\":\"ROLE_ARN\",\"roleArn\":\"\"}}}", 0,
		  "source.s3.roleArn is required" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\","
		  "\"s3\":{\"uri\":\"s3://b/\",\"authType\":\"ACCESS_KEY\",\"accessKey\":"
		  "{\"id\":\"a\"}}}}", 0, "source.s3.accessKey is required" },
		{ "{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"AZURE_BLOB\","
		  "\"azureBlob\":{\"uri\":\"http://x/\",\"authType\":\"SAS_TOKEN\",\"sasToken\":\"t\"}}}",
		  1, "must start with https://" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = (json_t *)1;

		cr_expect_eq(body_of(bad[i].tpl, bad[i].ded, &b), -EINVAL,
			     "accepted: %s", bad[i].tpl);
		cr_expect_null(b, "no body for %s", bad[i].tpl);
		cr_expect(strstr(msg, bad[i].rule), "%s: \"%s\" lacks \"%s\"",
			  bad[i].tpl, msg, bad[i].rule);
	}
}

static int target(const char *file, const char *tpl_text, char *db, char *tb,
		  const char **ft)
{
	json_t *tpl = tpl_text ? json_loads(tpl_text, 0, NULL) : NULL;
	int r;

	msg[0] = '\0';
	r = tcfs_upload_target(file, tpl, db, 65, tb, 65, ft, msg, sizeof(msg));
	json_decref(tpl);
	return r;
}

Test(upload_target, from_the_file_name)
{
	char db[65], tb[65];
	const char *ft;

	cr_assert_eq(target("shop.orders.csv", NULL, db, tb, &ft), 0, "%s", msg);
	cr_expect_str_eq(db, "shop");
	cr_expect_str_eq(tb, "orders");
	cr_expect_str_eq(ft, "CSV");
	cr_assert_eq(target("crm.people.SQL", "{}", db, tb, &ft), 0, "%s", msg);
	cr_expect_str_eq(ft, "SQL");
	cr_assert_eq(target("a.b.parquet", NULL, db, tb, &ft), 0, "%s", msg);
	cr_expect_str_eq(ft, "PARQUET");
}

Test(upload_target, the_template_wins)
{
	char db[65], tb[65];
	const char *ft;

	cr_assert_eq(target("anything.csv", "{\"source\":{\"local\":{\"targetDatabase\":"
			    "\"crm\",\"targetTable\":\"people\"}}}", db, tb, &ft), 0, "%s", msg);
	cr_expect_str_eq(db, "crm");
	cr_expect_str_eq(tb, "people");
	cr_expect_eq(target("x.csv", "{\"source\":{\"local\":{\"targetDatabase\":"
			    "\"a.b\",\"targetTable\":\"t\"}}}", db, tb, &ft), -EINVAL);
	cr_expect(strstr(msg, "targetDatabase"));
}

Test(upload_target, refusals)
{
	static const char *const bad[] = {
		"orders.csv", "shop..csv", ".orders.csv", "shop.orders.txt", "shop.orders",
		"a.b.c.csv", "shop.ord\x01ers.csv",
		"a2345678901234567890123456789012345678901234567890123456789012345.t.csv",
	};
	char db[65], tb[65];
	const char *ft;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(target(bad[i], NULL, db, tb, &ft), -EINVAL,
			     "accepted %s", bad[i]);
		cr_expect(msg[0], "a reason for %s", bad[i]);
	}
}

Test(import_local_body, shape)
{
	json_t *tpl = json_loads("{\"importOptions\":{\"fileType\":\"SQL\",\"csvFormat\":"
				 "{\"separator\":\";\"}}}", 0, NULL);
	json_t *b = tcfs_import_local_body("upl-1", "shop", "orders", "CSV", tpl);
	json_t *src = json_object_get(b, "source"), *loc = json_object_get(src, "local");

	cr_assert(b);
	cr_expect_str_eq(json_string_value(json_object_get(src, "type")), "LOCAL");
	cr_expect_str_eq(json_string_value(json_object_get(loc, "uploadId")), "upl-1");
	cr_expect_str_eq(json_string_value(json_object_get(loc, "targetDatabase")), "shop");
	cr_expect_str_eq(json_string_value(json_object_get(loc, "targetTable")), "orders");
	/* the file's extension sets fileType; the template's csvFormat stays */
	cr_expect_str_eq(json_string_value(json_object_get(
		json_object_get(b, "importOptions"), "fileType")), "CSV");
	cr_expect(json_object_get(json_object_get(b, "importOptions"), "csvFormat"));
	json_decref(b);
	json_decref(tpl);
}
