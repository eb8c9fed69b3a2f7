/*
 * test_emulator_private_endpoints.c — the emulator's Dedicated private
 * endpoint connections and PrivateLink service
 * (/v1beta1/clusters/{c}/tidbNodeGroups/{g}/…): fields, "-" listings across
 * clusters with filters, PENDING → ACTIVE, DELETING then gone, constraints →
 * 400 (google.rpc.Status), 404s.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "emufam.h"
#include "testemu.h"

#define DED "https://dedicated.tidbapi.com/v1beta1"
#define ODB "10058425682284910921"
#define NG DED "/clusters/" ODB "/tidbNodeGroups/" ODB "01"
#define PEC NG "/privateEndpointConnections"

EMUFAM_FIXTURE(private_endpoints, 60);

Test(private_endpoints, service_and_list_fields)
{
	json_t *b = emufam_call(&c, "GET", NG "/privateLinkService", NULL, 200), *p;

	cr_expect_str_eq(emufam_str(b, "state"), "ACTIVE");
	cr_expect_str_eq(emufam_str(b, "tidbNodeGroupId"), ODB "01");
	cr_expect(strstr(emufam_str(b, "serviceName"), "vpce-svc-") != NULL);
	json_decref(b);
	b = emufam_call(&c, "GET", PEC, NULL, 200);
	cr_assert_eq(json_array_size(json_object_get(b, "privateEndpointConnections")), 1);
	p = json_array_get(json_object_get(b, "privateEndpointConnections"), 0);
	cr_expect_str_eq(emufam_str(p, "privateEndpointConnectionId"), "1750000000000000601");
	cr_expect_str_eq(emufam_str(p, "endpointId"), "vpce-0a1b2c3d4e5f60718");
	cr_expect_str_eq(emufam_str(p, "endpointState"), "ACTIVE");
	cr_expect_str_eq(emufam_str(p, "clusterId"), ODB);
	cr_expect_str_eq(emufam_str(p, "clusterDisplayName"), "orders-db");
	cr_expect_str_eq(emufam_str(p, "accountId"), "123456789012");
	cr_expect_str_eq(emufam_str(p, "name"), "tidbNodeGroups/" ODB
			 "01/privateEndpointConnections/1750000000000000601");
	json_decref(b);
	b = emufam_call(&c, "GET", DED "/clusters/-/tidbNodeGroups/-/"
			"privateEndpointConnections", NULL, 200);
	cr_expect_eq(json_integer_value(json_object_get(b, "totalSize")), 2);
	json_decref(b);
	b = emufam_call(&c, "GET", DED "/clusters/-/tidbNodeGroups/-/"
			"privateEndpointConnections?projectId=1372813089189561287&pageSize=1",
			NULL, 200);
	cr_expect_eq(json_integer_value(json_object_get(b, "totalSize")), 1);
	json_decref(b);
	b = emufam_call(&c, "GET", DED "/clusters/" ODB "/tidbNodeGroups/-/"
			"privateEndpointConnections", NULL, 200);
	cr_expect_eq(json_integer_value(json_object_get(b, "totalSize")), 1);
	json_decref(b);
}

Test(private_endpoints, create_and_delete_states)
{
	json_t *b = emufam_call(&c, "POST", PEC, "{\"endpointId\":"
				"\"vpce-00112233445566778\",\"accountId\":\"210987654321\"}",
				200);
	char url[300];

	cr_expect_str_eq(emufam_str(b, "endpointState"), "PENDING");
	snprintf(url, sizeof(url), PEC "/%s", emufam_str(b, "privateEndpointConnectionId"));
	json_decref(b);
	cr_expect_eq(emufam_wait_state(&c, url, "endpointState", "ACTIVE", 3000), 0);
	b = emufam_call(&c, "DELETE", url, NULL, 200);
	cr_expect_str_eq(emufam_str(b, "endpointState"), "DELETING");
	json_decref(b);
	for (int i = 0; i < 100; i++) {
		struct emuhttp_resp r;
		emuhttp_request(&c, "GET", url, NULL, NULL, &r);
		long st = r.status;
		emuhttp_free(&r);
		if (st == 404)
			return;
		cr_assert_eq(st, 200);
		struct timespec ts = { 0, 30000000L };
		nanosleep(&ts, NULL);
	}
	cr_assert_fail("the connection was not removed");
}

Test(private_endpoints, constraints_and_not_found)
{
	static const char *const bad[] = {
		"{}", "{\"endpointId\":\"\"}", "{\"endpointId\":\"vpc-123\"}",
		"{\"endpointId\":\"vpce-XYZ0000000000000\"}",
		"{\"endpointId\":\"vpce-0a1b2c3d4e5f60718\"}",   /* already there */
		"{\"endpointId\":\"vpce-00112233445566778\",\"accountId\":7}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = emufam_call(&c, "POST", PEC, bad[i], 400);
		cr_expect(json_is_integer(json_object_get(b, "code")), "%s", bad[i]);
		json_decref(b);
	}
	json_decref(emufam_call(&c, "POST", DED "/clusters/-/tidbNodeGroups/-/"
				"privateEndpointConnections",
				"{\"endpointId\":\"vpce-00112233445566778\"}", 400));
	json_decref(emufam_call(&c, "GET", DED "/clusters/-/tidbNodeGroups/x/"
				"privateEndpointConnections", NULL, 400));
	json_decref(emufam_call(&c, "GET", DED "/clusters/" ODB "/tidbNodeGroups/nope/"
				"privateEndpointConnections", NULL, 404));
	json_decref(emufam_call(&c, "GET", DED "/clusters/10058425682284910922/"
				"tidbNodeGroups/x/privateLinkService", NULL, 404));
	json_decref(emufam_call(&c, "GET", PEC "/42", NULL, 404));
	/* validateOnly creates nothing */
	json_decref(emufam_call(&c, "POST", PEC "?validateOnly=true",
				"{\"endpointId\":\"vpce-00112233445566778\"}", 200));
	json_t *b = emufam_call(&c, "GET", PEC, NULL, 200);
	cr_expect_eq(json_integer_value(json_object_get(b, "totalSize")), 1);
	json_decref(b);
}
