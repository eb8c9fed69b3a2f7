/* Unit tests: spec.json validation, diff → updateMask, extraction and the
 * cluster template (fs/spec.c, fs/render.c, fs/actions.c). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcfs.h"
#include "spec.h"

static const char sls_obj_text[] =
	"{\"clusterId\":\"9\",\"displayName\":\"web\",\"state\":\"ACTIVE\","
	"\"labels\":{\"tidb.cloud/project\":\"1\"},"
	"\"spendingLimit\":{\"monthly\":1000},"
	"\"endpoints\":{\"public\":{\"host\":\"h\",\"port\":4000,\"disabled\":false,"
	"\"authorizedNetworks\":[]}},"
	"\"createTime\":\"2024-01-15T10:00:00Z\",\"updateTime\":\"2024-01-16T10:00:00.5Z\"}";

static const char schema[] =
	"{\"displayName\":\"string\",\"labels\":{\"*\":\"string\"},"
	"\"spendingLimit\":{\"monthly\":\"integer\"},"
	"\"autoScaling\":{\"minRcu\":\"integer|string\",\"maxRcu\":\"integer|string\"},"
	"\"endpoints\":{\"public\":{\"disabled\":\"boolean\",\"authorizedNetworks\":"
	"[{\"startIpAddress\":\"string\",\"endIpAddress\":\"string\",\"displayName\":\"string\"}]}}}";

static json_t *obj;

static void setup(void)
{
	obj = json_loads(sls_obj_text, 0, NULL);
	cr_assert_not_null(obj);
}

static void teardown(void)
{
	json_decref(obj);
}

static int parse(const char *text, json_t **out, char *msg)
{
	return tcfs_spec_parse(text, strlen(text), schema, obj, out, msg, 300);
}

TestSuite(spec, .init = setup, .fini = teardown);

Test(spec, rejects_bad_input)
{
	json_t *out = NULL;
	char msg[300];

	cr_assert_eq(parse("{bad", &out, msg), -EINVAL);
	cr_assert(strstr(msg, "invalid JSON"));
	cr_assert_eq(parse("[1]", &out, msg), -EINVAL);
	cr_assert(strstr(msg, "object"));
	cr_assert_eq(parse("{\"foo\":1}", &out, msg), -EINVAL);
	cr_assert(strstr(msg, "unknown field foo"));
	cr_assert_eq(parse("{\"displayName\":5}", &out, msg), -EINVAL);
	cr_assert(strstr(msg, "displayName"));
	cr_assert_eq(parse("{\"spendingLimit\":{\"monthly\":\"x\"}}", &out, msg), -EINVAL);
	cr_assert(strstr(msg, "spendingLimit.monthly"));
	cr_assert_eq(parse("{\"state\":\"PAUSED\"}", &out, msg), -EINVAL);
	cr_assert(strstr(msg, "read-only"));
	cr_assert_eq(parse("{\"endpoints\":{\"public\":{\"authorizedNetworks\":[{\"x\":1}]}}}",
			   &out, msg), -EINVAL);
	cr_assert(strstr(msg, "authorizedNetworks[0].x"));
	cr_assert_null(out);
}

Test(spec, too_large)
{
	size_t n = TCFS_MAX_TEXT + 10;
	char *big = malloc(n);
	json_t *out = NULL;
	char msg[300];

	memset(big, ' ', n);
	cr_assert_eq(tcfs_spec_parse(big, n, schema, obj, &out, msg, sizeof(msg)), -EFBIG);
	free(big);
}

Test(spec, readonly_unchanged_is_dropped)
{
	json_t *out = NULL;
	char msg[300];

	cr_assert_eq(parse("{\"clusterId\":\"9\",\"state\":\"ACTIVE\",\"displayName\":\"w2\","
			   "\"endpoints\":{\"public\":{\"host\":\"h\",\"disabled\":true}}}",
			   &out, msg), 0, "%s", msg);
	cr_assert_null(json_object_get(out, "clusterId"));
	cr_assert_null(json_object_get(out, "state"));
	cr_assert_str_eq(json_string_value(json_object_get(out, "displayName")), "w2");
	cr_assert(json_is_true(tcfs_json_path_borrow(out, "endpoints.public.disabled")));
	cr_assert_null(tcfs_json_path_borrow(out, "endpoints.public.host"));
	json_decref(out);
}

Test(spec, extraction_serverless)
{
	json_t *s = tcfs_spec_serverless(obj);

	cr_assert_str_eq(json_string_value(json_object_get(s, "displayName")), "web");
	cr_assert_eq(json_integer_value(tcfs_json_path_borrow(s, "spendingLimit.monthly")), 1000);
	cr_assert_null(json_object_get(s, "autoScaling"));
	cr_assert(json_is_false(tcfs_json_path_borrow(s, "endpoints.public.disabled")));
	cr_assert_null(tcfs_json_path_borrow(s, "endpoints.public.host"));
	json_decref(s);
	/* an object lacking everything still gives a spec, never a crash */
	s = tcfs_spec_serverless(json_object_get(obj, "nothing"));
	cr_assert_not_null(s);
	json_decref(s);
}

Test(spec, extraction_dedicated)
{
	json_t *o = json_loads("{\"displayName\":\"d\",\"state\":\"PAUSED\","
			       "\"tidbNodeSetting\":{\"nodeSpecKey\":\"8C\",\"tidbNodeGroups\":"
			       "[{\"tidbNodeGroupId\":\"g\",\"nodeCount\":2,\"state\":\"X\"}]},"
			       "\"tikvNodeSetting\":{\"nodeSpecKey\":\"8C\",\"nodeCount\":3,"
			       "\"storageSizeGi\":500,\"storageType\":\"Standard\",\"extra\":1}}",
			       0, NULL);
	json_t *s = tcfs_spec_dedicated(o);

	cr_assert(json_is_true(json_object_get(s, "paused")));
	cr_assert_null(tcfs_json_path_borrow(s, "tikvNodeSetting.extra"));
	cr_assert_eq(json_array_size(tcfs_json_path_borrow(s, "tidbNodeSetting.tidbNodeGroups")), 1);
	cr_assert_null(json_object_get(s, "tiflashNodeSetting"));
	json_decref(s);
	json_decref(o);
}

Test(spec, diff_mask)
{
	json_t *cur = tcfs_spec_serverless(obj), *next = json_deep_copy(cur), *body = NULL;
	char mask[256];

	cr_assert_eq(tcfs_spec_diff_mask(cur, next, tcfs_sls_mask_paths, &body, mask,
					 sizeof(mask)), 0);
	cr_assert_null(body);
	json_object_set_new(json_object_get(next, "spendingLimit"), "monthly", json_integer(2000));
	cr_assert_eq(tcfs_spec_diff_mask(cur, next, tcfs_sls_mask_paths, &body, mask,
					 sizeof(mask)), 1);
	cr_assert_str_eq(mask, "spendingLimit.monthly");
	cr_assert_eq(json_integer_value(tcfs_json_path_borrow(body, "spendingLimit.monthly")), 2000);
	cr_assert_null(json_object_get(body, "displayName"));
	json_decref(body);
	json_object_set_new(next, "displayName", json_string("w2"));
	json_object_set_new(tcfs_json_path_borrow(next, "endpoints.public"),
			    "disabled", json_true());
	cr_assert_eq(tcfs_spec_diff_mask(cur, next, tcfs_sls_mask_paths, &body, mask,
					 sizeof(mask)), 3);
	cr_assert_str_eq(mask, "displayName,spendingLimit.monthly,endpoints.public.disabled");
	json_decref(body);
	/* a field left out is unchanged */
	json_object_del(next, "labels");
	cr_assert_eq(tcfs_spec_diff_mask(cur, next, tcfs_sls_mask_paths, &body, mask,
					 sizeof(mask)), 3);
	json_decref(body);
	json_decref(cur);
	json_decref(next);
}

Test(spec, diff_flat)
{
	json_t *cur = json_loads("{\"displayName\":\"a\",\"tikvNodeSetting\":{\"nodeCount\":3}}", 0, NULL);
	json_t *next = json_loads("{\"displayName\":\"a\",\"tikvNodeSetting\":{\"nodeCount\":5}}", 0, NULL);
	json_t *ch = NULL;

	cr_assert_eq(tcfs_spec_diff_flat(cur, next, &ch), 1);
	cr_assert_not_null(json_object_get(ch, "tikvNodeSetting"));
	cr_assert_null(json_object_get(ch, "displayName"));
	json_decref(ch);
	json_decref(cur);
	json_decref(next);
}

Test(spec, times)
{
	cr_assert_eq(tcfs_parse_time("1656991448"), 1656991448);
	cr_assert_eq(tcfs_parse_time("2024-01-15T10:00:00Z"), 1705312800);
	cr_assert_eq(tcfs_parse_time("2024-01-15T10:00:00.123Z"), 1705312800);
	cr_assert_eq(tcfs_parse_time("2024-01-15T12:00:00+02:00"), 1705312800);
	cr_assert_eq(tcfs_parse_time("garbage"), 0);
	cr_assert_eq(tcfs_parse_time(NULL), 0);
	cr_assert_eq(tcfs_object_mtime(TCFS_K_SLS_CLUSTER, obj), 1705399200);
}

Test(spec, render_has_newline)
{
	size_t len = 0;
	char *t = tcfs_render_json(obj, &len);

	cr_assert_eq(strlen(t), len);
	cr_assert_eq(t[len - 1], '\n');
	cr_assert(strstr(t, "\n  \"clusterId\": \"9\""));
	free(t);
}

Test(template, default_is_a_valid_starter_body)
{
	char *text = tcfs_template_default("123", "aws-us-west-2");
	json_t *tpl = json_loads(text, 0, NULL), *body = NULL;
	enum tc_family fam = TC_FAMILY_COUNT;
	char msg[300];

	cr_assert_not_null(tpl);
	cr_assert_eq(tcfs_template_body(tpl, "newdb", "123", &body, &fam, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(fam, TC_FAMILY_SERVERLESS);
	cr_assert_str_eq(json_string_value(json_object_get(body, "displayName")), "newdb");
	cr_assert_null(json_object_get(body, "servicePlan"));
	cr_assert_str_eq(json_string_value(tcfs_json_path_borrow(body, "region.name")),
			 "regions/aws-us-west-2");
	json_decref(body);
	json_decref(tpl);
	free(text);
}

Test(template, missing_fields)
{
	json_t *tpl = json_loads("{\"servicePlan\":\"Essential\",\"region\":{\"name\":\"regions/x\"}}", 0, NULL);
	json_t *body = NULL;
	enum tc_family fam;
	char msg[300];

	cr_assert_eq(tcfs_template_body(tpl, "e", "1", &body, &fam, msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "autoScaling"));
	json_decref(tpl);
	tpl = json_loads("{\"servicePlan\":\"Dedicated\"}", 0, NULL);
	cr_assert_eq(tcfs_template_body(tpl, "d", "1", &body, &fam, msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "regionId") && strstr(msg, "tidbNodeSetting") &&
		  strstr(msg, "tikvNodeSetting"));
	json_decref(tpl);
	tpl = json_loads("{\"servicePlan\":\"Premium\"}", 0, NULL);
	cr_assert_eq(tcfs_template_body(tpl, "d", "1", &body, &fam, msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "servicePlan"));
	json_decref(tpl);
	cr_assert_eq(tcfs_template_body(NULL, "d", "1", &body, &fam, msg, sizeof(msg)), -EINVAL);
}

Test(template, dedicated_body)
{
	json_t *tpl = json_loads("{\"servicePlan\":\"Dedicated\",\"region\":{\"name\":\"regions/aws-us-east-1\"},"
				 "\"spendingLimit\":{\"monthly\":0},\"tidbNodeSetting\":{},\"tikvNodeSetting\":{}}", 0, NULL);
	json_t *body = NULL;
	enum tc_family fam;
	char msg[300];

	cr_assert_eq(tcfs_template_body(tpl, "d", "1", &body, &fam, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(fam, TC_FAMILY_DEDICATED);
	cr_assert_str_eq(json_string_value(json_object_get(body, "regionId")), "aws-us-east-1");
	cr_assert_null(json_object_get(body, "region"));
	cr_assert_null(json_object_get(body, "spendingLimit"));
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(body, "labels"),
							   "tidb.cloud/project")), "1");
	cr_assert_eq(json_integer_value(json_object_get(body, "port")), 4000);
	json_decref(body);
	json_decref(tpl);
}

/* Hostile API data: the object holds a label of the wrong type. spec.json
 * shows it; writing spec.json back unchanged (or with another field
 * changed) must work, changing it to a wrong type must not. */
Test(spec, unchanged_wrong_type_from_the_api_is_accepted)
{
	json_t *o = json_loads("{\"clusterId\":\"9\",\"displayName\":\"w\","
			       "\"labels\":{\"a\":5}}", 0, NULL);
	const char *same = "{\"displayName\":\"w2\",\"labels\":{\"a\":5}}";
	const char *changed = "{\"labels\":{\"a\":6}}";
	json_t *out = NULL;
	char msg[300] = "";

	cr_assert_eq(tcfs_spec_parse(same, strlen(same), schema, o, &out, msg,
				     sizeof(msg)), 0, "%s", msg);
	json_decref(out);
	out = NULL;
	cr_assert_eq(tcfs_spec_parse(changed, strlen(changed), schema, o, &out,
				     msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "labels.a"));
	cr_assert_null(out);
	json_decref(o);
}

/* Hostile API data: fields of the wrong type, items that are no objects.
 * Extraction never crashes and yields an object. */
Test(spec, extraction_of_hostile_objects)
{
	static const char *const objs[] = {
		"{}", "[]", "5", "null",
		"{\"displayName\":5,\"labels\":[1],\"endpoints\":7,\"autoScaling\":\"x\","
		"\"spendingLimit\":[1],\"automatedBackupPolicy\":3}",
		"{\"endpoints\":{\"public\":[1]}}",
		"{\"endpoints\":{\"public\":{\"authorizedNetworks\":\"x\",\"disabled\":\"no\"}}}",
		"{\"state\":5,\"tidbNodeSetting\":{\"tidbNodeGroups\":[1,\"x\",null,{}]},"
		"\"tikvNodeSetting\":3,\"tiflashNodeSetting\":{\"nodeCount\":[]}}",
		"{\"tidbNodeSetting\":\"q\",\"tidbNodeGroups\":{}}",
	};

	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		json_t *o = json_loads(objs[i], JSON_DECODE_ANY, NULL);
		json_t *a = tcfs_spec_serverless(o), *b = tcfs_spec_dedicated(o);

		cr_assert(json_is_object(a), "%s", objs[i]);
		cr_assert(json_is_object(b), "%s", objs[i]);
		cr_assert_eq(tcfs_object_mtime(TCFS_K_SLS_CLUSTER, o), 0);
		json_decref(a);
		json_decref(b);
		json_decref(o);
	}
}

Test(spec, times_out_of_range)
{
	cr_assert_eq(tcfs_parse_time("9999-99-99T99:99:99Z"), 0);
	cr_assert_eq(tcfs_parse_time("2024-13-01T00:00:00Z"), 0);
	cr_assert_eq(tcfs_parse_time("2024-01-00T00:00:00Z"), 0);
	cr_assert_eq(tcfs_parse_time("2024-01-15T24:00:00Z"), 0);
	cr_assert_eq(tcfs_parse_time("2024-01-15T10:60:00Z"), 0);
	cr_assert_eq(tcfs_parse_time("2024-01-15T10:00:00+99:99"), 1705312800);
	cr_assert_eq(tcfs_parse_time(""), 0);
	cr_assert_eq(tcfs_parse_time("2024-01-15"), 0);
}
