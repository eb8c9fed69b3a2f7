/*
 * test_emulator_regions_msp_cmek.c — the emulator's dedicated node specs
 * (GET /v1beta1/regions/{r}/nodeSpecs, paged, componentType enum), MSP
 * customers (msp.tidbapi.com, IAM error body) and AWS CMEK (v1beta,
 * aws_cmek_enabled required, one region, kms_arn of that region).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emufam.h"
#include "testemu.h"

#define DED "https://dedicated.tidbapi.com/v1beta1"
#define MSPH "https://msp.tidbapi.com/v1beta1/msp"
#define V1 "https://api.tidbcloud.com/api/v1beta"
#define PROD "1372813089189561287"
#define STAGE "1372813089189621599"
#define ANA "1372813089189702314"

static struct testemu emu;
static struct emuhttp c;

static void start(void) { emufam_start(&emu, &c); }
static void stop(void) { emufam_stop(&emu, &c); }

TestSuite(emu_rmc, .init = start, .fini = stop);

Test(emu_rmc, node_specs)
{
	json_t *b = emufam_call(&c, "GET", DED "/regions/aws-us-east-1/nodeSpecs",
				NULL, 200), *s;
	const char *tok;
	char url[512];

	cr_expect_eq(json_array_size(json_object_get(b, "nodeSpecs")), 10);
	tok = emufam_str(b, "nextPageToken");
	cr_assert(tok && *tok);
	snprintf(url, sizeof(url), DED "/regions/aws-us-east-1/nodeSpecs?pageToken=%s", tok);
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "nodeSpecs")), 2);
	json_decref(b);
	b = emufam_call(&c, "GET", DED "/regions/aws-us-east-1/nodeSpecs?componentType=TIKV",
			NULL, 200);
	s = json_array_get(json_object_get(b, "nodeSpecs"), 0);
	cr_expect_str_eq(emufam_str(s, "componentType"), "TIKV");
	cr_expect(json_integer_value(json_object_get(s, "vCpu")) > 0);
	cr_expect(json_is_array(json_object_get(s, "storageTypes")));
	json_decref(b);
	json_decref(emufam_call(&c, "GET", DED "/regions/aws-us-east-1/nodeSpecs?componentType=GPU",
				NULL, 400));
	json_decref(emufam_call(&c, "GET", DED "/regions/aws-mars-1/nodeSpecs", NULL, 404));
	b = emufam_call(&c, "GET", DED "/regions:showCloudProviders", NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "cloudProviders")), 2);
	json_decref(b);
	b = emufam_call(&c, "GET", DED "/regions/aws-us-west-2", NULL, 200);
	cr_expect_str_eq(emufam_str(b, "regionId"), "aws-us-west-2");
	json_decref(b);
}

Test(emu_rmc, msp)
{
	json_t *b = emufam_call(&c, "GET", MSPH "/mspCustomers?pageSize=0", NULL, 200);

	cr_expect_eq(json_array_size(json_object_get(b, "mspCustomers")), 3);
	json_decref(b);
	b = emufam_call(&c, "GET", MSPH "/mspCustomers/1369847559692234001", NULL, 200);
	cr_expect_str_eq(emufam_str(b, "orgName"), "acme-retail");
	json_decref(b);
	b = emufam_call(&c, "POST", MSPH "/customerSignupUrl",
			"{\"orgId\": \"1369847559692234001\"}", 200);
	cr_expect(strncmp(emufam_str(b, "customerSignupUrl"), "https://", 8) == 0);
	cr_expect(emufam_str(b, "expiredAt") != NULL);
	json_decref(b);
	b = emufam_call(&c, "POST", MSPH "/customerSignupUrl", "{}", 400);
	cr_expect_str_eq(emufam_str(b, "code"), "InvalidParameter");
	json_decref(b);
	json_decref(emufam_call(&c, "GET", MSPH "/mspCustomers/42", NULL, 404));
}

Test(emu_rmc, cmek)
{
	json_t *b = emufam_call(&c, "GET", V1 "/projects/" PROD "/aws-cmek", NULL, 200);

	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b, "items"), 0),
				    "region"), "us-east-1");
	json_decref(b);
	json_decref(emufam_call(&c, "POST", V1 "/projects/" STAGE "/aws-cmek",
		"{\"specs\":[{\"region\":\"us-east-1\",\"kms_arn\":"
		"\"arn:aws:kms:us-east-1:123456789012:key/a\"}]}", 400));
	json_decref(emufam_call(&c, "POST", V1 "/projects/" ANA "/aws-cmek", "{}", 400));
	json_decref(emufam_call(&c, "POST", V1 "/projects/" ANA "/aws-cmek",
		"{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":\"arn:aws:s3:::x\"}]}", 400));
	json_decref(emufam_call(&c, "POST", V1 "/projects/" ANA "/aws-cmek",
		"{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":"
		"\"arn:aws:kms:us-west-2:123456789012:key/a\"},{\"region\":\"us-east-1\","
		"\"kms_arn\":\"arn:aws:kms:us-east-1:123456789012:key/a\"}]}", 400));
	json_decref(emufam_call(&c, "POST", V1 "/projects/" ANA "/aws-cmek",
		"{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":"
		"\"arn:aws:kms:us-west-2:123456789012:key/a\"}]}", 200));
	json_decref(emufam_call(&c, "POST", V1 "/projects/" ANA "/aws-cmek",
		"{\"specs\":[{\"region\":\"us-east-1\",\"kms_arn\":"
		"\"arn:aws:kms:us-east-1:123456789012:key/a\"}]}", 400));
	b = emufam_call(&c, "GET", V1 "/projects/" ANA "/aws-cmek", NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "items")), 1);
	json_decref(b);
	json_decref(emufam_call(&c, "GET", V1 "/projects/999/aws-cmek", NULL, 404));
}

/* A seed without regions_msp_cmek.mspCustomers: the org is no MSP, every
 * MSP route answers 403 in the IAM error shape; no project has CMEK. */
Test(emu_rmc_no_msp, forbidden)
{
	static const char seed[] =
		"{\"org_id\": \"1372813089187041999\", \"projects\": [{\"id\": "
		"\"1372813089189561287\", \"name\": \"p\"}]}";
	char path[] = "/tmp/emu-no-msp-XXXXXX.json";
	const char *args[] = { "--rate-limit", "0", "--seed", path, NULL };
	struct testemu e;
	struct emuhttp h;
	json_t *b;
	int fd = mkstemps(path, 5);
	FILE *f;

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs(seed, f);
	fclose(f);
	cr_assert_eq(testemu_start(&e, args), 0);
	cr_assert_eq(emuhttp_open_auth(&h, &e), 0);
	b = emufam_call(&h, "GET", MSPH "/mspCustomers", NULL, 403);
	cr_expect_str_eq(emufam_str(b, "code"), "Forbidden");
	cr_expect_eq(json_integer_value(json_object_get(b, "status")), 403);
	cr_expect(strstr(emufam_str(b, "error"), "not an MSP") != NULL);
	json_decref(b);
	json_decref(emufam_call(&h, "POST", MSPH "/customerSignupUrl",
				"{\"orgId\": \"1\"}", 403));
	json_decref(emufam_call(&h, "POST", V1 "/projects/" PROD "/aws-cmek",
		"{\"specs\":[{\"region\":\"us-east-1\",\"kms_arn\":"
		"\"arn:aws:kms:us-east-1:123456789012:key/a\"}]}", 400));
	emuhttp_close(&h);
	cr_assert_eq(testemu_stop(&e), 0);
	unlink(path);
}
