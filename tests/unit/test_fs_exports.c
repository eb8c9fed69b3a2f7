/* test_fs_exports.c — the exports family (fs/family_exports.c,
 * fs/export_files.c): the name rule, the create body from .template.json
 * checked against the spec's enums, the presigned URL's expiry; and
 * tc_get_range (api/download.c) over a transport's get_range entry. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "tcfs.h"
#include "family_exports.h"
#include "tc_internal.h"

static char msg[512];

static int body_of(const char *tpl_text, const char *name, json_t **body)
{
	json_t *tpl = json_loads(tpl_text, 0, NULL);
	int r;

	cr_assert(tpl, "template parses: %s", tpl_text);
	msg[0] = '\0';
	r = tcfs_export_body(tpl, name, body, msg, sizeof(msg));
	json_decref(tpl);
	return r;
}

Test(export_name, rule)
{
	char long_name[70];

	memset(long_name, 'x', 65);
	long_name[65] = '\0';
	cr_expect_eq(tcfs_export_check_name("nightly", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_export_check_name("dump 2024-03-07", msg, sizeof(msg)), 0);
	cr_expect_eq(tcfs_export_check_name(long_name, msg, sizeof(msg)), -EINVAL);
	cr_expect(strstr(msg, "1 to 64"), "%s", msg);
	cr_expect_eq(tcfs_export_check_name("", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_export_check_name("a\nb", msg, sizeof(msg)), -EINVAL);
	cr_expect_eq(tcfs_export_check_name("\xff\xfe", msg, sizeof(msg)), -EINVAL);
}

Test(export_body, default_template_is_a_local_csv_export)
{
	json_t *body = NULL;

	cr_assert_eq(body_of("{\"exportOptions\":{\"fileType\":\"CSV\","
			     "\"compression\":\"GZIP\"},\"target\":{\"type\":"
			     "\"LOCAL\"}}", "dump", &body), 0, "%s", msg);
	cr_expect_str_eq(json_string_value(json_object_get(body, "displayName")),
			 "dump");
	cr_expect_str_eq(json_string_value(json_object_get(
		json_object_get(body, "exportOptions"), "fileType")), "CSV");
	cr_expect_str_eq(json_string_value(json_object_get(
		json_object_get(body, "target"), "type")), "LOCAL");
	cr_expect_null(json_object_get(json_object_get(body, "exportOptions"),
				       "filter"), "the whole cluster");
	json_decref(body);
}

Test(export_body, empty_template_sends_the_name_only)
{
	json_t *body = NULL;

	cr_assert_eq(body_of("{}", "dump", &body), 0, "%s", msg);
	cr_expect_eq(json_object_size(body), 1);
	json_decref(body);
}

Test(export_body, filters_and_targets_that_fit)
{
	static const char *const good[] = {
		"{\"exportOptions\":{\"filter\":{\"sql\":\"select * from t\"}}}",
		"{\"exportOptions\":{\"filter\":{\"table\":{\"patterns\":[\"a.*\"],"
		"\"where\":\"id > 1\"}}}}",
		"{\"exportOptions\":{\"fileType\":\"PARQUET\",\"compression\":\"ZSTD\","
		"\"parquetFormat\":{}}}",
		"{\"target\":{\"type\":\"S3\",\"s3\":{\"uri\":\"s3://b/p\"}}}",
		"{\"target\":{\"type\":\"AZURE_BLOB\",\"azureBlob\":{}}}",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		json_t *body = NULL;

		cr_expect_eq(body_of(good[i], "x", &body), 0, "%s: %s", good[i], msg);
		json_decref(body);
	}
}

Test(export_body, refusals_name_the_rule)
{
	static const struct { const char *tpl, *word; } bad[] = {
		{ "[]", "object" },
		{ "{\"colour\":1}", "colour" },
		{ "{\"exportOptions\":{\"fileType\":\"XLS\"}}", "fileType" },
		{ "{\"exportOptions\":{\"fileType\":3}}", "SQL, CSV, PARQUET" },
		{ "{\"exportOptions\":{\"compression\":\"LZ4\"}}", "GZIP" },
		{ "{\"exportOptions\":{\"filter\":{}}}", "either sql or table" },
		{ "{\"exportOptions\":{\"filter\":{\"sql\":\"x\",\"table\":"
		  "{\"patterns\":[\"a\"]}}}}", "not both" },
		{ "{\"exportOptions\":{\"filter\":{\"sql\":\"\"}}}", "non-empty" },
		{ "{\"exportOptions\":{\"filter\":{\"table\":{\"patterns\":[]}}}}",
		  "patterns" },
		{ "{\"exportOptions\":{\"filter\":{\"table\":{\"patterns\":[1]}}}}",
		  "patterns" },
		{ "{\"exportOptions\":{\"csvFormat\":\"x\"}}", "csvFormat" },
		{ "{\"exportOptions\":[]}", "exportOptions" },
		{ "{\"target\":{\"type\":\"FTP\"}}", "target.type" },
		{ "{\"target\":{\"type\":\"S3\"}}", "target.s3" },
		{ "{\"target\":{\"type\":\"LOCAL\",\"gcs\":{}}}", "target.gcs" },
		{ "{\"target\":{\"oss\":{}}}", "OSS" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *body = (json_t *)1;

		cr_expect_eq(body_of(bad[i].tpl, "x", &body), -EINVAL, "%s accepted",
			     bad[i].tpl);
		cr_expect_null(body, "no body for %s", bad[i].tpl);
		cr_expect(strstr(msg, bad[i].word), "%s: \"%s\" lacks %s",
			  bad[i].tpl, msg, bad[i].word);
	}
}

Test(presigned, expiry)
{
	cr_expect_eq(tcfs_presigned_expiry("https://h/p?X-Emu-Expires=1700000900"
					   "&X-Emu-Signature=ab", 5), 1700000900);
	cr_expect_eq(tcfs_presigned_expiry("https://h/p?X-Amz-Date=20240307T060000Z"
					   "&X-Amz-Expires=900&X-Amz-Signature=x",
					   5), 1709791200 + 900);
	cr_expect_eq(tcfs_presigned_expiry("https://h/p", 1000), 1300);
	cr_expect_eq(tcfs_presigned_expiry("https://h/p?X-Emu-Expires=junk", 10), 310);
}

/* ---- tc_get_range over a transport entry ---- */

struct range_fake {
	char url[256];
	long long off;
	size_t size;
	int authorized;
	long status;
};

static int rf_perform(void *self, const struct tc_http_request *req,
		      struct tc_http_response *resp, struct tc_error *err)
{
	(void)self; (void)req; (void)resp;
	tc_error_set(err, TC_E_INTERNAL, "no API call expected");
	return -1;
}

static int rf_get_range(void *self, const struct tc_http_request *req,
			long long off, char *buf, size_t size, size_t *got,
			long *status, struct tc_error *err)
{
	struct range_fake *f = self;

	(void)err;
	snprintf(f->url, sizeof(f->url), "%s", req->url);
	f->off = off;
	f->size = size;
	f->authorized = req->authorization != NULL;
	*status = f->status;
	*got = 0;
	if (f->status == 206) {
		for (size_t i = 0; i < size && i < 10; i++)
			buf[i] = (char)('a' + i);
		*got = size < 10 ? size : 10;
	}
	return 0;
}

static const struct tc_transport_ops rf_ops = { .perform = rf_perform,
						.get_range = rf_get_range };
static const struct tc_transport_ops no_range_ops = { .perform = rf_perform };

static tc_client *rf_client(const struct tc_transport_ops *ops, void *self)
{
	struct tc_config cfg = { 0 };
	struct tc_error err;

	cfg.public_key = "PUBKEY";
	cfg.private_key = "secret-private-key-XYZ";
	return tc_client_new_with_transport(&cfg, ops, self, NULL, &err);
}

Test(get_range, through_the_transport_without_authorization)
{
	struct range_fake f = { .status = 206 };
	tc_client *c = rf_client(&rf_ops, &f);
	struct tc_error err;
	char buf[64];
	size_t got;
	long status;

	cr_assert(c);
	cr_expect_eq(tc_get_range(c, "https://dl.example/x?sig=1", 1000, buf, 8,
				  &got, &status, &err), 0);
	cr_expect_eq(status, 206);
	cr_expect_eq(got, 8);
	cr_expect_eq(memcmp(buf, "abcdefgh", 8), 0);
	cr_expect_eq(f.off, 1000);
	cr_expect_eq(f.size, 8);
	cr_expect_str_eq(f.url, "https://dl.example/x?sig=1");
	cr_expect_eq(f.authorized, 0, "a presigned URL carries no API key");
	f.status = 403;
	cr_expect_eq(tc_get_range(c, "https://dl.example/x", 0, buf, 8, &got,
				  &status, &err), 0);
	cr_expect_eq(status, 403);
	cr_expect_eq(got, 0);
	cr_expect_eq(tc_get_range(c, "http://dl.example/x", 0, buf, 8, &got,
				  &status, &err), -1, "https only");
	cr_expect_eq(err.kind, TC_E_INVALID);
	tc_client_free(c);
}

Test(get_range, a_transport_without_it)
{
	struct range_fake f = { .status = 206 };
	tc_client *c = rf_client(&no_range_ops, &f);
	struct tc_error err;
	char buf[8];
	size_t got;
	long status;

	cr_assert(c);
	cr_expect_eq(tc_get_range(c, "https://dl.example/x", 0, buf, 8, &got,
				  &status, &err), -1);
	cr_expect_eq(err.kind, TC_E_INTERNAL);
	tc_client_free(c);
}
