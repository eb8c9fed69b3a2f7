/*
 * test_emulator_exports.c — the emulator's serverless exports
 * (/v1beta1/clusters/{c}/exports, :cancel, /files, files:download) and the
 * download host: fields, paging, RUNNING → SUCCEEDED, CANCELED, DELETED,
 * constraints → 400, presigned URLs without API auth, Range requests on a
 * 200 MB generated file, bad signatures and expiry.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emufam.h"
#include "testemu.h"

#define SL "https://serverless.tidbapi.com/v1beta1"
#define OC "10058425682284910922"
#define EX SL "/clusters/" OC "/exports"
#define BIG "exp-q4mzt7x2b5kdnh3vcw6yrfeuja"
#define BIGFILE "app.orders.000000000.csv"
#define BIGSIZE 209715200ULL

EMUFAM_FIXTURE(exports, 120);

/* The presigned URL of one file (files:download). */
static void url_of(const char *export_url, const char *file, char *out, size_t len)
{
	char u[300], body[300];
	json_t *b;

	snprintf(u, sizeof(u), "%s/files:download", export_url);
	snprintf(body, sizeof(body), "{\"fileNames\":[\"%s\"]}", file);
	b = emufam_call(&c, "POST", u, body, 200);
	json_t *f = json_array_get(json_object_get(b, "files"), 0);
	cr_assert_str_eq(emufam_str(f, "name"), file);
	snprintf(out, len, "%s", emufam_str(f, "url"));
	json_decref(b);
}

Test(exports, seeded_fields_files_and_paging)
{
	json_t *b = emufam_call(&c, "GET", EX, NULL, 200), *e, *files;

	cr_assert_eq(json_array_size(json_object_get(b, "exports")), 1);
	e = json_array_get(json_object_get(b, "exports"), 0);
	cr_expect_str_eq(emufam_str(e, "exportId"), BIG);
	cr_expect_str_eq(emufam_str(e, "name"), "clusters/" OC "/exports/" BIG);
	cr_expect_str_eq(emufam_str(e, "state"), "SUCCEEDED");
	cr_expect_str_eq(emufam_str(e, "displayName"), "orders-full-dump");
	cr_expect_str_eq(emufam_str(json_object_get(e, "exportOptions"), "fileType"), "CSV");
	cr_expect_str_eq(emufam_str(json_object_get(e, "target"), "type"), "LOCAL");
	cr_expect(json_is_string(json_object_get(e, "completeTime")));
	cr_expect(json_is_string(json_object_get(e, "expireTime")));
	json_decref(b);
	b = emufam_call(&c, "GET", EX "/" BIG "/files?pageSize=2", NULL, 200);
	files = json_object_get(b, "files");
	cr_assert_eq(json_array_size(files), 2);
	cr_expect_str_eq(emufam_str(json_array_get(files, 0), "name"), "metadata");
	cr_expect_null(json_object_get(json_array_get(files, 0), "url"));
	cr_expect(json_is_string(json_object_get(b, "nextPageToken")));
	json_decref(b);
	b = emufam_call(&c, "GET", EX "/" BIG "/files?generateUrl=true", NULL, 200);
	files = json_object_get(b, "files");
	cr_assert_eq(json_array_size(files), 4);
	cr_expect_eq(json_integer_value(json_object_get(json_array_get(files, 2), "size")),
		     (json_int_t)BIGSIZE);
	cr_expect(strncmp(emufam_str(json_array_get(files, 2), "url"),
			  "https://download.tidbcloud-emulator.local/", 42) == 0);
	json_decref(b);
}

Test(exports, create_succeeds_cancel_and_delete)
{
	json_t *b = emufam_call(&c, "POST", EX, "{\"exportOptions\":{\"fileType\":"
				"\"PARQUET\",\"filter\":{\"table\":{\"patterns\":"
				"[\"app.*\"]}}}}", 200), *files;
	char url[300], furl[400];

	cr_expect_str_eq(emufam_str(b, "state"), "RUNNING");
	cr_expect(strncmp(emufam_str(b, "displayName"), "SNAPSHOT_", 9) == 0);
	cr_expect_str_eq(emufam_str(json_object_get(b, "exportOptions"), "compression"),
			 "GZIP");
	snprintf(url, sizeof(url), EX "/%s", emufam_str(b, "exportId"));
	json_decref(b);
	snprintf(furl, sizeof(furl), "%s/files", url);
	json_decref(emufam_call(&c, "GET", furl, NULL, 400));   /* still RUNNING */
	cr_expect_eq(emufam_wait_state(&c, url, "state", "SUCCEEDED", 3000), 0);
	b = emufam_call(&c, "GET", furl, NULL, 200);
	files = json_object_get(b, "files");
	cr_expect_eq(json_array_size(files), 4);
	cr_expect(strstr(emufam_str(json_array_get(files, 3), "name"), ".parquet") != NULL);
	json_decref(b);
	snprintf(furl, sizeof(furl), "%s:cancel", url);
	json_decref(emufam_call(&c, "POST", furl, NULL, 400));  /* finished */
	b = emufam_call(&c, "DELETE", url, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "state"), "DELETED");
	json_decref(b);
	json_decref(emufam_call(&c, "GET", url, NULL, 404));

	/* cancel while RUNNING */
	b = emufam_call(&c, "POST", EX, "{\"displayName\":\"to-cancel\"}", 200);
	snprintf(url, sizeof(url), EX "/%s:cancel", emufam_str(b, "exportId"));
	json_decref(b);
	b = emufam_call(&c, "POST", url, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "state"), "CANCELED");
	json_decref(b);
	b = emufam_call(&c, "GET", EX "?orderBy=createTime%20desc", NULL, 200);
	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b, "exports"), 0),
				    "displayName"), "to-cancel");
	json_decref(b);
}

Test(exports, constraints_and_not_found)
{
	static const char *const bad[] = {
		"{\"exportOptions\":{\"fileType\":\"XLS\"}}",
		"{\"exportOptions\":{\"compression\":\"LZ4\"}}",
		"{\"exportOptions\":{\"filter\":{\"sql\":\"select 1\",\"table\":{}}}}",
		"{\"exportOptions\":{\"filter\":{\"table\":{\"patterns\":[1]}}}}",
		"{\"target\":{\"type\":\"FTP\"}}",
		"{\"target\":{\"type\":\"S3\"}}",
		"{\"target\":{\"type\":\"S3\",\"s3\":{\"uri\":\"http://x\",\"authType\":\"ROLE_ARN\"}}}",
		"{\"target\":{\"type\":\"S3\",\"s3\":{\"uri\":\"s3://b/p\",\"authType\":\"ROLE_ARN\"}}}",
		"{\"target\":{\"type\":\"GCS\",\"gcs\":{\"uri\":\"gs://b/p\",\"authType\":\"ROLE_ARN\"}}}",
		"{\"displayName\":\"\"}", "{\"exportOptions\":[]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = emufam_call(&c, "POST", EX, bad[i], 400);
		cr_expect_eq(json_integer_value(json_object_get(b, "code")), 3, "%s", bad[i]);
		json_decref(b);
	}
	/* an S3 export is fine, and its secret is not echoed */
	json_t *b = emufam_call(&c, "POST", EX, "{\"target\":{\"type\":\"S3\",\"s3\":"
				"{\"uri\":\"s3://b/p\",\"authType\":\"ACCESS_KEY\","
				"\"accessKey\":{\"id\":\"AK\",\"secret\":\"SK\"}}}}", 200);
	{
		char *t = json_dumps(b, 0);
		cr_expect_null(strstr(t, "\"SK\""));
		free(t);
	}
	json_decref(b);
	json_decref(emufam_call(&c, "POST", EX "/" BIG "/files:download",
				"{\"fileNames\":[]}", 400));
	json_decref(emufam_call(&c, "POST", EX "/" BIG "/files:download",
				"{\"fileNames\":[\"nope.csv\"]}", 400));
	json_decref(emufam_call(&c, "GET", EX "?orderBy=size", NULL, 400));
	json_decref(emufam_call(&c, "GET", EX "/exp-nope", NULL, 404));
	json_decref(emufam_call(&c, "GET", SL "/clusters/10058425682284910921/exports",
				NULL, 404));
}

Test(exports, download_with_ranges_from_the_storage_host)
{
	char url[600], bad[700];
	struct emufam_raw r, r2;

	url_of(EX "/" BIG, BIGFILE, url, sizeof(url));
	/* no API auth; a range at the very end of the 200 MB file */
	cr_assert_eq(emufam_raw(&emu, "GET", url, "209715100-", NULL, 0, 200, &r), 0);
	cr_expect_eq(r.status, 206);
	cr_expect_eq(r.len, 100);
	cr_expect_str_eq(r.content_range, "bytes 209715100-209715199/209715200");
	emufam_raw_free(&r);
	/* a slice equals the same bytes of a larger range */
	cr_assert_eq(emufam_raw(&emu, "GET", url, "1000-1999", NULL, 0, 1000, &r), 0);
	cr_assert_eq(emufam_raw(&emu, "GET", url, "1500-1599", NULL, 0, 100, &r2), 0);
	cr_expect_eq(r.len, 1000);
	cr_expect_eq(memcmp(r.body + 500, r2.body, 100), 0);
	emufam_raw_free(&r);
	emufam_raw_free(&r2);
	/* the start, suffix ranges and an unsatisfiable one */
	cr_assert_eq(emufam_raw(&emu, "GET", url, "0-43", NULL, 0, 64, &r), 0);
	cr_expect_eq(r.len, 44);
	cr_expect(strncmp(r.body, "000000000001,name-", 18) == 0, "%s", r.body);
	cr_expect_eq(r.body[43], '\n');
	emufam_raw_free(&r);
	cr_assert_eq(emufam_raw(&emu, "GET", url, "-10", NULL, 0, 64, &r), 0);
	cr_expect_eq(r.len, 10);
	cr_expect_eq(r.status, 206);
	emufam_raw_free(&r);
	cr_assert_eq(emufam_raw(&emu, "GET", url, "209715200-", NULL, 0, 64, &r), 0);
	cr_expect_eq(r.status, 416);
	cr_expect_str_eq(r.content_range, "bytes */209715200");
	emufam_raw_free(&r);
	/* the whole of a small file */
	url_of(EX "/" BIG, "metadata", url, sizeof(url));
	cr_assert_eq(emufam_raw(&emu, "GET", url, NULL, NULL, 0, 512, &r), 0);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(r.len, 153);
	emufam_raw_free(&r);
	/* a changed signature, another file with this signature, no query */
	snprintf(bad, sizeof(bad), "%s", url);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	cr_assert_eq(emufam_raw(&emu, "GET", bad, NULL, NULL, 0, 512, &r), 0);
	cr_expect_eq(r.status, 403);
	cr_expect(strstr(r.body, "SignatureDoesNotMatch") != NULL);
	emufam_raw_free(&r);
	cr_assert_eq(emufam_raw(&emu, "GET", "https://download.tidbcloud-emulator.local"
				"/exports/" OC "/" BIG "/metadata", NULL, NULL, 0, 512, &r), 0);
	cr_expect_eq(r.status, 403);
	emufam_raw_free(&r);
	cr_assert_eq(emufam_raw(&emu, "PUT", url, NULL, "x", 1, 512, &r), 0);
	cr_expect_eq(r.status, 405);
	emufam_raw_free(&r);
}

Test(exports, whole_200mb_file_streams)
{
	char url[600];
	struct emufam_raw r;

	url_of(EX "/" BIG, BIGFILE, url, sizeof(url));
	cr_assert_eq(emufam_raw(&emu, "GET", url, NULL, NULL, 0, 64, &r), 0);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(r.len, BIGSIZE);
	emufam_raw_free(&r);
}

static void start_short_ttl(void)
{
	static const char *const args[] = { "--presign-ttl", "1", "--rate-limit",
					    "0", NULL };
	cr_assert_eq(testemu_start(&emu, args), 0);
	cr_assert_eq(emuhttp_open_auth(&c, &emu), 0);
}

TestSuite(exports_expiry, .init = start_short_ttl, .fini = stop, .timeout = 30);

Test(exports_expiry, presigned_urls_expire)
{
	char url[600];
	struct emufam_raw r;

	url_of(EX "/" BIG, "metadata", url, sizeof(url));
	cr_assert_eq(emufam_raw(&emu, "GET", url, NULL, NULL, 0, 512, &r), 0);
	cr_expect_eq(r.status, 200);
	emufam_raw_free(&r);
	sleep(3);
	cr_assert_eq(emufam_raw(&emu, "GET", url, NULL, NULL, 0, 512, &r), 0);
	cr_expect_eq(r.status, 403);
	cr_expect(strstr(r.body, "Request has expired") != NULL);
	emufam_raw_free(&r);
}
