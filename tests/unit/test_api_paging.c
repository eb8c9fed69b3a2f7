/* Unit tests: both paging styles, the guards, and the resource calls'
 * paths and bodies (fake transport). */
#include <criterion/criterion.h>
#include "fake_transport.h"

static struct fake *f;
static struct fake_clock clk;
static tc_client *c;

/* A fake server holding `total` items, paging in either style. */
static int total_items;
static int omit_total;
static int token_mode;        /* 0: v1beta, 1: token, 2: repeat, 3: endless */

static long query_int(const char *url, const char *name)
{
	char key[64];
	const char *p;
	snprintf(key, sizeof(key), "%s=", name);
	for (p = strchr(url, '?'); p; p = strchr(p + 1, '&'))
		if (strncmp(p + 1, key, strlen(key)) == 0)
			return strtol(p + 1 + strlen(key), NULL, 10);
	return -1;
}

static const char *query_str(const char *url, const char *name, char *buf, size_t size)
{
	char key[64];
	const char *p;
	snprintf(key, sizeof(key), "%s=", name);
	for (p = strchr(url, '?'); p; p = strchr(p + 1, '&'))
		if (strncmp(p + 1, key, strlen(key)) == 0) {
			size_t n = strcspn(p + 1 + strlen(key), "&");
			if (n >= size)
				n = size - 1;
			memcpy(buf, p + 1 + strlen(key), n);
			buf[n] = 0;
			return buf;
		}
	return NULL;
}

static json_t *items_range(int from, int to)
{
	json_t *a = json_array();
	for (int i = from; i < to && i < total_items; i++)
		json_array_append_new(a, json_pack("{si}", "n", i));
	return a;
}

static int pager(struct fake *ff, const struct tc_http_request *req,
		 struct tc_http_response *resp, struct tc_error *err)
{
	json_t *page;
	char tok[64];
	(void)ff; (void)err;

	if (token_mode == 0) {
		long pg = query_int(req->url, "page"), size = query_int(req->url, "page_size");
		page = json_pack("{so}", "items", items_range((int)((pg - 1) * size), (int)(pg * size)));
		if (!omit_total)
			json_object_set_new(page, "total", json_integer(total_items));
	} else {
		long size = query_int(req->url, "pageSize");
		long off = query_str(req->url, "pageToken", tok, sizeof(tok)) ?
			   strtol(tok + 3, NULL, 10) : 0;
		if (size < 0)
			size = 100;
		page = json_pack("{so}", "clusters", items_range((int)off, (int)(off + size)));
		if (token_mode == 2 && off >= 100)
			json_object_set_new(page, "nextPageToken", json_string("off100"));
		else if (token_mode == 3 || off + size < total_items) {
			snprintf(tok, sizeof(tok), "off%ld", off + size);
			json_object_set_new(page, "nextPageToken", json_string(tok));
		} else {
			json_object_set_new(page, "nextPageToken", json_string(""));
		}
	}
	resp->status = 200;
	resp->body = json_dumps(page, JSON_COMPACT);
	resp->body_len = strlen(resp->body);
	json_decref(page);
	return 0;
}

static void setup(void)
{
	f = fake_new(NULL, 0);
	f->handler = pager;
	fake_clock_init(&clk, 1);
	c = fake_client(f, &clk, NULL);
	tc_client_set_pacing(c, 0);
	omit_total = 0;
	token_mode = 0;
}

static void teardown(void)
{
	tc_client_free(c);
}

TestSuite(paging, .init = setup, .fini = teardown);

static void expect_sequence(json_t *items, int n)
{
	cr_assert_eq(json_array_size(items), (size_t)n);
	for (int i = 0; i < n; i++)
		cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, (size_t)i), "n")), i);
}

Test(paging, v1beta_three_pages)
{
	struct tc_error e;
	json_t *items;

	total_items = 250;
	cr_assert_eq(tc_list_all(c, TC_FAMILY_V1BETA, "/projects", NULL, "items", &items, &e), 0,
		     "%s", e.message);
	expect_sequence(items, 250);
	json_decref(items);
	cr_expect_eq(f->nreq, 3);
	cr_expect_str_eq(f->url[0], "https://api.tidbcloud.com/api/v1beta/projects?page=1&page_size=100");
	cr_expect_str_eq(f->url[2], "https://api.tidbcloud.com/api/v1beta/projects?page=3&page_size=100");
}

Test(paging, v1beta_exact_multiple_and_no_total)
{
	struct tc_error e;
	json_t *items;

	total_items = 200;
	cr_assert_eq(tc_list_all(c, TC_FAMILY_V1BETA, "/projects", "x=1", "items", &items, &e), 0);
	json_decref(items);
	cr_expect_eq(f->nreq, 2, "collected == total after page 2");
	cr_expect(strstr(f->url[1], "/projects?x=1&page=2&page_size=100"));

	omit_total = 1;
	cr_assert_eq(tc_list_all(c, TC_FAMILY_V1BETA, "/projects", NULL, "items", &items, &e), 0);
	expect_sequence(items, 200);
	json_decref(items);
	cr_expect_eq(f->nreq, 5, "without total: until the empty page");

	total_items = 0;
	cr_assert_eq(tc_list_all(c, TC_FAMILY_V1BETA, "/projects", NULL, "items", &items, &e), 0);
	cr_expect_eq(json_array_size(items), 0);
	json_decref(items);
}

Test(paging, token_three_pages_query_kept)
{
	struct tc_error e;
	json_t *items;
	char tok[32];

	total_items = 250;
	token_mode = 1;
	cr_assert_eq(tc_list_all(c, TC_FAMILY_SERVERLESS, "/clusters", "filter=projectId%3D42",
				 "clusters", &items, &e), 0, "%s", e.message);
	expect_sequence(items, 250);
	json_decref(items);
	cr_expect_eq(f->nreq, 3);
	cr_expect_str_eq(f->url[0], "https://serverless.tidbapi.com/v1beta1/clusters?filter=projectId%3D42&pageSize=100");
	cr_expect_str_eq(f->url[1], "https://serverless.tidbapi.com/v1beta1/clusters?filter=projectId%3D42&pageSize=100&pageToken=off100");
	cr_expect_str_eq(query_str(f->url[2], "pageToken", tok, sizeof(tok)), "off200");
}

Test(paging, repeated_token_is_an_error)
{
	struct tc_error e;
	json_t *items = (json_t *)1;

	total_items = 1000;
	token_mode = 2;
	cr_expect_eq(tc_list_all(c, TC_FAMILY_DEDICATED, "/clusters", NULL, "clusters", &items, &e), -1);
	cr_expect_null(items);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
	cr_expect(strstr(e.message, "repeated"), "%s", e.message);
	cr_expect_eq(f->nreq, 2, "page 2 repeats page 1's token");
}

Test(paging, endless_server_is_capped)
{
	struct tc_error e;
	json_t *items = NULL;

	total_items = 1;
	token_mode = 3;
	cr_expect_eq(tc_list_all(c, TC_FAMILY_IAM, "/projects", NULL, "clusters", &items, &e), -1);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
	cr_expect_eq(f->nreq, 10000);
}

static int count_pages(void *arg, json_t *items)
{
	int *n = arg;
	cr_expect(json_is_array(items));
	return ++*n == 2 ? 42 : 0;
}

Test(paging, each_stops_on_callback)
{
	struct tc_error e;
	int pages = 0;

	total_items = 350;
	token_mode = 1;
	cr_expect_eq(tc_list_each(c, TC_FAMILY_SERVERLESS, "/clusters", NULL, "clusters",
				  count_pages, &pages, &e), 42);
	cr_expect_eq(pages, 2);
	cr_expect_eq(f->nreq, 2);
}

/* ---- page shapes ------------------------------------------------------- */

static int shaped(const char *body, json_t **items, struct tc_error *e)
{
	struct fake_reply r = { .status = 200, .body = body };
	struct fake *g = fake_new(&r, 1);
	struct fake_clock k;
	fake_clock_init(&k, 1);
	tc_client *cc = fake_client(g, &k, NULL);
	int rc = tc_list_all(cc, TC_FAMILY_SERVERLESS, "/clusters", NULL, "clusters", items, e);
	tc_client_free(cc);
	return rc;
}

Test(shapes, wrong_pages)
{
	struct tc_error e;
	json_t *items = NULL;

	cr_expect_eq(shaped("{\"foo\":1}", &items, &e), -1);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
	cr_expect(strstr(e.message, "\"clusters\""));
	cr_expect_eq(shaped("{\"clusters\":{}}", &items, &e), -1);
	cr_expect_eq(shaped("{\"clusters\":\"x\"}", &items, &e), -1);
	cr_expect_eq(shaped("[]", &items, &e), -1);
	cr_expect_eq(shaped("nope", &items, &e), -1);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
	cr_expect_eq(shaped("{\"nextPageToken\":\"t\"}", &items, &e), -1);
	/* protobuf JSON omits empty lists */
	cr_assert_eq(shaped("{}", &items, &e), 0);
	cr_expect_eq(json_array_size(items), 0);
	json_decref(items);
	cr_assert_eq(shaped("{\"totalSize\":0,\"nextPageToken\":\"\"}", &items, &e), 0);
	json_decref(items);
}

/* ---- resource calls: method, path, body ------------------------------- */

static const struct fake_reply okr[] = {
	{ .status = 200, .body = "{\"clusters\":[],\"regions\":[],\"items\":[],\"total\":0,\"id\":\"1\"}" },
};

Test(resources, paths_and_bodies)
{
	struct fake *g = fake_new(okr, 1);
	struct fake_clock k;
	struct tc_error e;
	json_t *out, *items, *body;
	tc_client *cc;

	fake_clock_init(&k, 1);
	cc = fake_client(g, &k, NULL);
	tc_client_set_pacing(cc, 0);

#define URL(i, m, u) do { cr_expect_str_eq(g->method[i], m); cr_expect_str_eq(g->url[i], u); } while (0)
	cr_assert_eq(tc_projects_list(cc, &items, &e), 0);
	json_decref(items);
	URL(0, "GET", "https://api.tidbcloud.com/api/v1beta/projects?page=1&page_size=100");

	body = json_pack("{ss}", "name", "p1");
	cr_assert_eq(tc_project_create(cc, body, &out, &e), 0);
	json_decref(out);
	URL(1, "POST", "https://api.tidbcloud.com/api/v1beta/projects");
	cr_expect_str_eq(g->body[1], "{\"name\":\"p1\"}");

	cr_assert_eq(tc_serverless_clusters_list(cc, "13728 1", &items, &e), 0);
	json_decref(items);
	URL(2, "GET", "https://serverless.tidbapi.com/v1beta1/clusters?filter=projectId%3D13728%201&pageSize=100");
	cr_assert_eq(tc_serverless_clusters_list(cc, NULL, &items, &e), 0);
	json_decref(items);
	URL(3, "GET", "https://serverless.tidbapi.com/v1beta1/clusters?pageSize=100");

	cr_assert_eq(tc_serverless_cluster_get(cc, "100", &out, &e), 0);
	json_decref(out);
	URL(4, "GET", "https://serverless.tidbapi.com/v1beta1/clusters/100?view=FULL");

	cr_assert_eq(tc_serverless_cluster_create(cc, body, &out, &e), 0);
	json_decref(out);
	URL(5, "POST", "https://serverless.tidbapi.com/v1beta1/clusters");

	cr_assert_eq(tc_serverless_cluster_update(cc, "100", body, "displayName", &out, &e), 0);
	json_decref(out);
	URL(6, "PATCH", "https://serverless.tidbapi.com/v1beta1/clusters/100");
	cr_expect_str_eq(g->body[6], "{\"cluster\":{\"name\":\"p1\"},\"updateMask\":\"displayName\"}");

	cr_assert_eq(tc_serverless_cluster_delete(cc, "100", &out, &e), 0);
	json_decref(out);
	URL(7, "DELETE", "https://serverless.tidbapi.com/v1beta1/clusters/100");

	cr_assert_eq(tc_dedicated_clusters_list(cc, "42", &items, &e), 0);
	json_decref(items);
	URL(8, "GET", "https://dedicated.tidbapi.com/v1beta1/clusters?projectId=42&pageSize=100");

	cr_assert_eq(tc_dedicated_cluster_get(cc, "7", &out, &e), 0);
	json_decref(out);
	URL(9, "GET", "https://dedicated.tidbapi.com/v1beta1/clusters/7");
	cr_assert_eq(tc_dedicated_cluster_create(cc, body, &out, &e), 0);
	json_decref(out);
	URL(10, "POST", "https://dedicated.tidbapi.com/v1beta1/clusters");
	cr_assert_eq(tc_dedicated_cluster_update(cc, "7", body, &out, &e), 0);
	json_decref(out);
	URL(11, "PATCH", "https://dedicated.tidbapi.com/v1beta1/clusters/7");
	cr_expect_str_eq(g->body[11], "{\"name\":\"p1\"}");
	cr_assert_eq(tc_dedicated_cluster_delete(cc, "7", &out, &e), 0);
	json_decref(out);
	URL(12, "DELETE", "https://dedicated.tidbapi.com/v1beta1/clusters/7");
	cr_assert_eq(tc_dedicated_cluster_pause(cc, "7", &out, &e), 0);
	json_decref(out);
	URL(13, "POST", "https://dedicated.tidbapi.com/v1beta1/clusters/7:pauseCluster");
	cr_expect_str_eq(g->body[13], "{}");
	cr_assert_eq(tc_dedicated_cluster_resume(cc, "7", &out, &e), 0);
	json_decref(out);
	URL(14, "POST", "https://dedicated.tidbapi.com/v1beta1/clusters/7:resumeCluster");

	cr_assert_eq(tc_regions_list(cc, TC_FAMILY_SERVERLESS, &items, &e), 0);
	json_decref(items);
	URL(15, "GET", "https://serverless.tidbapi.com/v1beta1/regions");
	cr_assert_eq(tc_regions_list(cc, TC_FAMILY_DEDICATED, &items, &e), 0);
	json_decref(items);
	URL(16, "GET", "https://dedicated.tidbapi.com/v1beta1/regions?pageSize=100");
	cr_expect_eq(tc_regions_list(cc, TC_FAMILY_IAM, &items, &e), -1);
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect_eq(tc_serverless_cluster_get(cc, "", &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect_eq(tc_serverless_cluster_get(cc, "a/b", &out, &e), 0);
	json_decref(out);
	URL(17, "GET", "https://serverless.tidbapi.com/v1beta1/clusters/a%2Fb?view=FULL");
	cr_expect_eq(g->nreq, 18);
#undef URL
	json_decref(body);
	tc_client_free(cc);
}
