/*
 * test_emulator_dataapps.c — the emulator's Data Service
 * (dataservice.tidbapi.com /v1beta1/dataApps...): the seeded apps, the
 * published field names, paging without totalSize, the constraints of
 * dataservice-v1beta1.json answered with a 400 google.rpc.Status (version
 * pattern, endpoint path and method, settings ranges, key role and
 * rateLimitRpm, at most 100 keys), the endpoint test's built-in SQL
 * evaluation, deployments flipping endpoints to deployed, and a deployed
 * endpoint's delete refused.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "emufam.h"
#include "testemu.h"

#define DS "https://dataservice.tidbapi.com/v1beta1"
#define PROD "1372813089189561287"
#define APP1 "1760000000000000701"
#define APP2 "1760000000000000702"
#define A1 DS "/dataApps/" APP1
#define A2 DS "/dataApps/" APP2
#define ORDERS A1 "/endpoints/1760000000000000711"
#define HELLO A1 "/endpoints/1760000000000000712"

EMUFAM_FIXTURE(dataapps, 60);

static void expect_400(const char *method, const char *url, const char *body,
		       const char *needle)
{
	json_t *b = emufam_call(&c, method, url, body, 400);

	cr_expect(json_is_integer(json_object_get(b, "code")));
	cr_expect(json_is_array(json_object_get(b, "details")));
	cr_expect(strstr(emufam_str(b, "message"), needle) != NULL,
		  "%s %s: message \"%s\" lacks \"%s\"", method, url,
		  emufam_str(b, "message"), needle);
	json_decref(b);
}

Test(dataapps, seeded_apps_and_fields)
{
	json_t *b = emufam_call(&c, "GET", DS "/dataApps?projectId=" PROD, NULL,
				200), *a;

	cr_assert_eq(json_array_size(json_object_get(b, "dataApps")), 2);
	cr_expect_null(json_object_get(b, "totalSize"));
	a = json_array_get(json_object_get(b, "dataApps"), 0);
	cr_expect_str_eq(emufam_str(a, "dataAppId"), APP1);
	cr_expect_str_eq(emufam_str(a, "name"), "dataApps/" APP1);
	cr_expect_str_eq(emufam_str(a, "displayName"), "orders-api");
	cr_expect_str_eq(emufam_str(a, "version"), "1.2.0");
	cr_expect_str_eq(emufam_str(a, "appType"), "DATAAPP");
	cr_expect_eq(json_array_size(json_object_get(a, "clusterIds")), 1);
	json_decref(b);
	b = emufam_call(&c, "GET", DS "/dataApps?projectId=" PROD "&pageSize=1",
			NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "dataApps")), 1);
	cr_expect(emufam_str(b, "nextPageToken")[0] != '\0');
	json_decref(b);
	expect_400("GET", DS "/dataApps", NULL, "projectId");
	json_decref(emufam_call(&c, "GET", DS "/dataApps/404", NULL, 404));
}

Test(dataapps, app_create_update_delete_constraints)
{
	json_t *b;
	char url[256];

	expect_400("POST", DS "/dataApps", "{\"projectId\":\"" PROD "\","
		   "\"displayName\":\"x\",\"version\":\"1.10.0\",\"clusterIds\":"
		   "[\"10058425682284910922\"]}", "version");
	expect_400("POST", DS "/dataApps", "{\"projectId\":\"" PROD "\","
		   "\"displayName\":\"x\",\"appType\":\"OTHER\",\"clusterIds\":"
		   "[\"10058425682284910922\"]}", "appType");
	expect_400("POST", DS "/dataApps", "{\"projectId\":\"" PROD "\","
		   "\"displayName\":\"x\",\"clusterIds\":[\"10058425682284910931\"]}",
		   "not a cluster of project");
	expect_400("POST", DS "/dataApps", "{\"projectId\":\"" PROD "\","
		   "\"displayName\":\"0123456789012345678901234567890123\","
		   "\"clusterIds\":[\"10058425682284910922\"]}", "displayName");
	b = emufam_call(&c, "POST", DS "/dataApps", "{\"projectId\":\"" PROD "\","
			"\"displayName\":\"new-app\",\"description\":\"d\","
			"\"clusterIds\":[\"10058425682284910923\"]}", 200);
	cr_expect_str_eq(emufam_str(b, "version"), "1.0.0");
	snprintf(url, sizeof(url), DS "/dataApps/%s", emufam_str(b, "dataAppId"));
	json_decref(b);
	b = emufam_call(&c, "PATCH", url, "{\"version\":\"2.0.1\"}", 200);
	cr_expect_str_eq(emufam_str(b, "version"), "2.0.1");
	json_decref(b);
	expect_400("PATCH", url, "{\"version\":\"2.0\"}", "version");
	b = emufam_call(&c, "DELETE", url, NULL, 200);
	cr_expect_eq(json_object_size(b), 0);
	json_decref(b);
	json_decref(emufam_call(&c, "GET", url, NULL, 404));
}

Test(dataapps, endpoints_constraints_and_test)
{
	json_t *b, *rows;

	b = emufam_call(&c, "GET", A1 "/endpoints", NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "endpoints")), 2);
	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b,
		"endpoints"), 0), "name"), "dataApps/" APP1
		"/endpoints/1760000000000000711");
	json_decref(b);
	expect_400("POST", A1 "/endpoints", "{\"path\":\"nosl\",\"method\":\"GET\","
		   "\"clusterId\":\"10058425682284910922\"}", "path");
	expect_400("POST", A1 "/endpoints", "{\"path\":\"/a\",\"method\":\"PATCH\","
		   "\"clusterId\":\"10058425682284910922\"}", "method");
	expect_400("POST", A1 "/endpoints", "{\"path\":\"/a\",\"method\":\"GET\","
		   "\"clusterId\":\"10058425682284910922\",\"settings\":"
		   "{\"rowLimit\":5000}}", "rowLimit");
	expect_400("POST", A1 "/endpoints", "{\"path\":\"/a\",\"method\":\"GET\","
		   "\"clusterId\":\"10058425682284910921\"}", "not a data source");
	expect_400("POST", A1 "/endpoints", "{\"path\":\"/orders\",\"method\":"
		   "\"GET\",\"clusterId\":\"10058425682284910922\"}",
		   "already exists");
	/* the test call: ${status} from the arguments */
	b = emufam_call(&c, "POST", ORDERS "/test",
			"{\"args\":[{\"items\":{\"status\":\"open\"}}]}", 200);
	cr_expect_str_eq(emufam_str(b, "type"), "sql_endpoint");
	rows = json_object_get(json_object_get(b, "data"), "rows");
	cr_assert_eq(json_array_size(rows), 2);
	cr_expect_str_eq(emufam_str(json_object_get(json_array_get(rows, 0),
						    "items"), "customer"), "bob");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(
		json_object_get(b, "data"), "result"), "code")), 200);
	json_decref(b);
	/* defaultValue when no argument */
	b = emufam_call(&c, "POST", HELLO "/test", "{}", 200);
	rows = json_object_get(json_object_get(b, "data"), "rows");
	cr_expect_str_eq(emufam_str(json_object_get(json_array_get(rows, 0),
						    "items"), "name"), "world");
	json_decref(b);
	/* a SQL error is a result code inside a 200 */
	json_decref(emufam_call(&c, "PATCH", HELLO, "{\"sqlTemplate\":"
				"\"SELECT x FROM nowhere\"}", 200));
	b = emufam_call(&c, "POST", HELLO "/test", "{}", 200);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(
		json_object_get(b, "data"), "result"), "code")), 400);
	cr_expect(strstr(emufam_str(json_object_get(json_object_get(b, "data"),
		"result"), "message"), "nowhere") != NULL);
	json_decref(b);
	expect_400("POST", HELLO "/test", "{\"args\":{}}", "args");
	/* a deployed endpoint is not deleted; a draft one is */
	expect_400("DELETE", ORDERS, NULL, "online");
	json_decref(emufam_call(&c, "DELETE", HELLO, NULL, 200));
}

Test(dataapps, keys_limit_and_secret_once)
{
	json_t *b;
	char url[256];
	int made = 0;

	expect_400("POST", A1 "/apiKeys", "{\"description\":\"x\",\"role\":"
		   "\"ADMIN\",\"rateLimitRpm\":10}", "role");
	expect_400("POST", A1 "/apiKeys", "{\"description\":\"x\",\"role\":"
		   "\"READ_ONLY\",\"rateLimitRpm\":1001}", "rateLimitRpm");
	b = emufam_call(&c, "POST", A1 "/apiKeys", "{\"description\":\"x\","
			"\"role\":\"READ_ONLY\",\"rateLimitRpm\":10}", 200);
	cr_expect_eq(strlen(emufam_str(b, "privateKey")), 32);
	snprintf(url, sizeof(url), A1 "/apiKeys/%s", emufam_str(b, "apiKeyId"));
	json_decref(b);
	b = emufam_call(&c, "GET", url, NULL, 200);
	cr_expect(strncmp(emufam_str(b, "privateKey"), "********", 8) == 0);
	json_decref(b);
	/* 3 keys now: 97 more, then the 101st is refused */
	for (made = 3; made < 100; made++)
		json_decref(emufam_call(&c, "POST", A1 "/apiKeys",
					"{\"description\":\"k\",\"role\":"
					"\"READ_ONLY\",\"rateLimitRpm\":1}", 200));
	expect_400("POST", A1 "/apiKeys", "{\"description\":\"k\",\"role\":"
		   "\"READ_ONLY\",\"rateLimitRpm\":1}", "at most 100");
	json_decref(emufam_call(&c, "DELETE", url, NULL, 200));
}

Test(dataapps, data_sources_and_deployments)
{
	json_t *b;

	b = emufam_call(&c, "GET", A2 "/dataSources", NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "dataSources")), 2);
	cr_expect_str_eq(emufam_str(json_array_get(json_object_get(b,
		"dataSources"), 0), "clusterType"), "Dedicated");
	json_decref(b);
	expect_400("POST", A2 "/dataSources", "{\"clusterId\":"
		   "\"10058425682284910921\"}", "already");
	expect_400("POST", A2 "/dataSources", "{\"clusterId\":"
		   "\"10058425682284910941\"}", "not a cluster of project");
	json_decref(emufam_call(&c, "POST", A2 "/dataSources",
				"{\"clusterId\":\"10058425682284910922\"}", 200));
	b = emufam_call(&c, "GET", A2, NULL, 200);
	cr_expect_eq(json_array_size(json_object_get(b, "clusterIds")), 3);
	json_decref(b);
	expect_400("DELETE", A2 "/dataSources/10058425682284910921", NULL,
		   "used by endpoint");
	json_decref(emufam_call(&c, "DELETE", A2 "/dataSources/10058425682284910922",
				NULL, 200));
	/* a deployment flips the endpoints to deployed */
	b = emufam_call(&c, "POST", A2 "/deployments", "{\"description\":\"r1\"}",
			200);
	cr_expect_str_eq(emufam_str(b, "status"), "success");
	cr_expect_str_eq(emufam_str(b, "origin"), "UI");
	json_decref(b);
	b = emufam_call(&c, "GET", A2 "/endpoints/1760000000000000713", NULL, 200);
	cr_expect_str_eq(emufam_str(b, "status"), "deployed");
	json_decref(b);
	b = emufam_call(&c, "GET", A2 "/apiSpec?format=JSON", NULL, 200);
	cr_expect(strstr(emufam_str(b, "content"), "/customers/by_city") != NULL);
	json_decref(b);
	expect_400("GET", A2 "/apiSpec?format=XML", NULL, "format");
}
