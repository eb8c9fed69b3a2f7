/*
 * test_emulator_imports.c — the emulator's import tasks (serverless and
 * Dedicated /v1beta1/clusters/{c}/imports, :cancel) and the local upload
 * flow (imports:startUpload, PUT parts to the upload host,
 * :completeUpload, :cancelUpload): fields, states on the timer, part and
 * ETag checks, constraints → 400, 404s.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emufam.h"
#include "testemu.h"

#define SL "https://serverless.tidbapi.com/v1beta1"
#define DED "https://dedicated.tidbapi.com/v1beta1"
#define OC "10058425682284910922"
#define ODB "10058425682284910921"
#define IM SL "/clusters/" OC "/imports"
#define DIM DED "/clusters/" ODB "/imports"
#define MIB (1024 * 1024)

EMUFAM_FIXTURE(imports, 60);

Test(imports, seeded_fields_on_both_hosts)
{
	json_t *b = emufam_call(&c, "GET", IM, NULL, 200), *i;

	cr_assert_eq(json_array_size(json_object_get(b, "imports")), 1);
	i = json_array_get(json_object_get(b, "imports"), 0);
	cr_expect_str_eq(emufam_str(i, "importId"), "imp-b3kx7qz4dm2nvr6hwc5tyefjua");
	cr_expect_str_eq(emufam_str(i, "id"), "imp-b3kx7qz4dm2nvr6hwc5tyefjua");
	cr_expect_str_eq(emufam_str(i, "state"), "COMPLETED");
	cr_expect_eq(json_integer_value(json_object_get(i, "completePercent")), 100);
	cr_expect_str_eq(emufam_str(i, "totalSize"), "734003200");
	cr_expect_str_eq(emufam_str(json_object_get(json_object_get(i, "creationDetails"),
						    "source"), "type"), "S3");
	cr_expect(json_is_string(json_object_get(i, "createdBy")));
	json_decref(b);
	b = emufam_call(&c, "GET", DIM, NULL, 200);
	i = json_array_get(json_object_get(b, "imports"), 0);
	cr_expect(json_is_string(json_object_get(i, "creator")));
	cr_expect_null(json_object_get(i, "id"));
	json_decref(b);
}

Test(imports, s3_import_states_and_cancel)
{
	json_t *b = emufam_call(&c, "POST", IM, "{\"importOptions\":{\"fileType\":"
				"\"CSV\"},\"source\":{\"type\":\"S3\",\"s3\":{\"uri\":"
				"\"s3://b/data/\",\"authType\":\"ACCESS_KEY\",\"accessKey\":"
				"{\"id\":\"AK\",\"secret\":\"SK\"}}}}", 200);
	char url[300], cancel[320];

	cr_expect_str_eq(emufam_str(b, "state"), "PREPARING");
	{
		char *t = json_dumps(b, 0);
		cr_expect_null(strstr(t, "\"SK\""));
		free(t);
	}
	snprintf(url, sizeof(url), IM "/%s", emufam_str(b, "importId"));
	json_decref(b);
	cr_expect_eq(emufam_wait_state(&c, url, "state", "IMPORTING", 3000), 0);
	cr_expect_eq(emufam_wait_state(&c, url, "state", "COMPLETED", 3000), 0);
	snprintf(cancel, sizeof(cancel), "%s:cancel", url);
	json_decref(emufam_call(&c, "POST", cancel, NULL, 400));

	b = emufam_call(&c, "POST", DIM, "{\"creationDetails\":{\"importOptions\":"
			"{\"fileType\":\"PARQUET\"},\"source\":{\"type\":\"GCS\","
			"\"gcs\":{\"uri\":\"gs://b/p/\",\"authType\":"
			"\"SERVICE_ACCOUNT_KEY\",\"serviceAccountKey\":\"e30=\"}}}}", 200);
	snprintf(url, sizeof(url), DIM "/%s", emufam_str(b, "importId"));
	snprintf(cancel, sizeof(cancel), "%s:cancel", url);
	json_decref(b);
	b = emufam_call(&c, "POST", cancel, "{}", 200);
	cr_expect_eq(json_object_size(b), 0);
	json_decref(b);
	cr_expect_eq(emufam_wait_state(&c, url, "state", "CANCELED", 3000), 0);
}

/* PUT a part of n bytes of `fill`; its ETag. */
static void put_part(const char *url, size_t n, char fill, char etag[80])
{
	char *buf = malloc(n);
	struct emufam_raw r;

	memset(buf, fill, n);
	cr_assert_eq(emufam_raw(&emu, "PUT", url, NULL, buf, n, 64, &r), 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_assert(r.etag[0] == '"');
	snprintf(etag, 80, "%s", r.etag);
	emufam_raw_free(&r);
	free(buf);
}

/* [{partNumber:n1, etag:e1}, {partNumber:n2, etag:e2}] as JSON text. */
static void parts_body(char *out, size_t len, int n1, const char *e1, int n2,
		       const char *e2)
{
	json_t *a = json_pack("[{s:i, s:s}, {s:i, s:s}]", "partNumber", n1,
			      "etag", e1, "partNumber", n2, "etag", e2);
	char *t = json_dumps(a, JSON_COMPACT);

	snprintf(out, len, "%s", t);
	free(t);
	json_decref(a);
}

Test(imports, local_upload_flow)
{
	json_t *b = emufam_call(&c, "POST", IM ":startUpload?fileName=orders.csv"
				"&partNumber=2&targetDatabase=app&targetTable=orders",
				NULL, 200), *urls;
	char u1[600], u2[600], e1[80], e2[80], id[64], url[400], body[600];
	struct emufam_raw r;

	urls = json_object_get(b, "uploadUrl");
	cr_assert_eq(json_array_size(urls), 2);
	snprintf(u1, sizeof(u1), "%s", json_string_value(json_array_get(urls, 0)));
	snprintf(u2, sizeof(u2), "%s", json_string_value(json_array_get(urls, 1)));
	snprintf(id, sizeof(id), "%s", emufam_str(b, "uploadId"));
	json_decref(b);
	cr_expect(strncmp(u1, "https://upload.tidbcloud-emulator.local/", 40) == 0);

	/* a too small first part is refused at completion, then replaced */
	put_part(u1, 1000, 'a', e1);
	put_part(u2, 3000, 'b', e2);
	snprintf(url, sizeof(url), IM ":completeUpload?uploadId=%s", id);
	parts_body(body, sizeof(body), 1, "\"x\"", 2, "\"y\"");
	json_decref(emufam_call(&c, "POST", url, body, 400));   /* wrong ETags */
	parts_body(body, sizeof(body), 1, e1, 2, e2);
	b = emufam_call(&c, "POST", url, body, 400);
	cr_expect(strstr(emufam_str(b, "message"), "EntityTooSmall") != NULL,
		  "%s", emufam_str(b, "message"));
	json_decref(b);
	put_part(u1, 5 * MIB, 'a', e1);
	parts_body(body, sizeof(body), 2, e2, 1, e1);
	json_decref(emufam_call(&c, "POST", url, body, 400));   /* order */
	parts_body(body, sizeof(body), 1, e1, 2, e2);
	json_decref(emufam_call(&c, "POST", url, body, 200));
	json_decref(emufam_call(&c, "POST", url, body, 400));   /* not OPEN now */
	/* closed: no more parts */
	cr_assert_eq(emufam_raw(&emu, "PUT", u2, NULL, "z", 1, 512, &r), 0);
	cr_expect_eq(r.status, 404);
	emufam_raw_free(&r);

	snprintf(body, sizeof(body), "{\"importOptions\":{\"fileType\":\"CSV\"},"
		 "\"source\":{\"type\":\"LOCAL\",\"local\":{\"uploadId\":\"%s\","
		 "\"targetDatabase\":\"app\",\"targetTable\":\"orders\"}}}", id);
	b = emufam_call(&c, "POST", IM, body, 200);
	cr_expect_str_eq(emufam_str(b, "totalSize"), "5245880");
	cr_expect_str_eq(emufam_str(json_object_get(json_object_get(json_object_get(
		b, "creationDetails"), "source"), "local"), "fileName"), "orders.csv");
	snprintf(url, sizeof(url), IM "/%s", emufam_str(b, "importId"));
	json_decref(b);
	cr_expect_eq(emufam_wait_state(&c, url, "state", "COMPLETED", 3000), 0);
	json_decref(emufam_call(&c, "POST", IM, body, 400));    /* used already */
}

Test(imports, single_part_cancel_and_signatures)
{
	json_t *b = emufam_call(&c, "POST", IM ":startUpload?fileName=a.csv&partNumber=1",
				NULL, 200);
	char u1[600], e1[80], id[64], url[400], bad[600];
	struct emufam_raw r;

	snprintf(u1, sizeof(u1), "%s", json_string_value(json_array_get(
		json_object_get(b, "uploadUrl"), 0)));
	snprintf(id, sizeof(id), "%s", emufam_str(b, "uploadId"));
	json_decref(b);
	snprintf(url, sizeof(url), IM ":completeUpload?uploadId=%s", id);
	json_decref(emufam_call(&c, "POST", url, "[]", 400));   /* nothing yet */
	snprintf(bad, sizeof(bad), "%.*s", (int)(strchr(u1, '?') - u1), u1);
	cr_assert_eq(emufam_raw(&emu, "PUT", bad, NULL, "x", 1, 512, &r), 0);
	cr_expect_eq(r.status, 403);
	emufam_raw_free(&r);
	put_part(u1, 10, 'q', e1);
	json_decref(emufam_call(&c, "POST", url, "[]", 200));

	b = emufam_call(&c, "POST", IM ":startUpload?fileName=b.csv&partNumber=1",
			NULL, 200);
	snprintf(url, sizeof(url), IM ":cancelUpload?uploadId=%s", emufam_str(b, "uploadId"));
	json_decref(b);
	json_decref(emufam_call(&c, "POST", url, NULL, 200));
	json_decref(emufam_call(&c, "POST", url, NULL, 404));
}

Test(imports, constraints_and_not_found)
{
	static const char *const bad[] = {
		"{}", "{\"importOptions\":{}}",
		"{\"importOptions\":{\"fileType\":\"XLS\"},\"source\":{\"type\":\"S3\"}}",
		"{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{}}",
		"{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"FTP\"}}",
		"{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\","
		"\"s3\":{\"uri\":\"gs://x\",\"authType\":\"ROLE_ARN\",\"roleArn\":\"a\"}}}",
		"{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"S3\","
		"\"s3\":{\"uri\":\"s3://x\",\"authType\":\"ROLE_ARN\"}}}",
		"{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"LOCAL\"}}",
		"{\"importOptions\":{\"fileType\":\"CSV\"},\"source\":{\"type\":\"LOCAL\","
		"\"local\":{\"uploadId\":\"upl-x\",\"targetDatabase\":\"a\",\"targetTable\":\"b\"}}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = emufam_call(&c, "POST", IM, bad[i], 400);
		cr_expect_eq(json_integer_value(json_object_get(b, "code")), 3, "%s", bad[i]);
		json_decref(b);
	}
	/* Dedicated: creationDetails required, no LOCAL */
	json_decref(emufam_call(&c, "POST", DIM, "{\"importOptions\":{\"fileType\":"
				"\"CSV\"}}", 400));
	json_decref(emufam_call(&c, "POST", DIM, "{\"creationDetails\":{\"importOptions\":"
				"{\"fileType\":\"CSV\"},\"source\":{\"type\":\"LOCAL\"}}}", 400));
	json_decref(emufam_call(&c, "POST", IM ":startUpload?partNumber=1", NULL, 400));
	json_decref(emufam_call(&c, "POST", IM ":startUpload?fileName=a&partNumber=0",
				NULL, 400));
	json_decref(emufam_call(&c, "POST", IM ":startUpload?fileName=a/b&partNumber=1",
				NULL, 400));
	json_decref(emufam_call(&c, "POST", IM ":completeUpload", "[]", 400));
	json_decref(emufam_call(&c, "POST", IM ":completeUpload?uploadId=upl-x", "[]", 404));
	json_decref(emufam_call(&c, "GET", IM "/imp-nope", NULL, 404));
	json_decref(emufam_call(&c, "GET", SL "/clusters/" ODB "/imports", NULL, 404));
	json_decref(emufam_call(&c, "GET", DED "/clusters/" OC "/imports", NULL, 404));
}
