/* Unit tests: API calls as descriptors — expansion with 1 to 4 ids,
 * escaping, wrong id counts, cache keys, both paging styles across pages
 * through tc_call_list, the items key, extra queries, error mapping, the
 * re-implemented wrappers and the user agent (fake transport). */
#include <criterion/criterion.h>
#include <errno.h>
#include "fake_transport.h"

static struct fake *f;
static struct fake_clock clk;
static tc_client *c;

#define SL_BASE "https://serverless.tidbapi.com/v1beta1"
#define DED_BASE "https://dedicated.tidbapi.com/v1beta1"
#define V1_BASE "https://api.tidbcloud.com/api/v1beta"

static const struct fake_reply ok_empty[] = { { .status = 200, .body = "{}" } };

static void setup_script(const struct fake_reply *script, size_t n)
{
	fake_clock_init(&clk, 1000);
	f = fake_new(script, n);
	c = fake_client(f, &clk, NULL);
	cr_assert_not_null(c);
}

static void setup_ok(void) { setup_script(ok_empty, 1); }

static void teardown(void)
{
	tc_client_free(c);
	c = NULL;
}

static char *path_of(const tc_call_desc *d, const char *const ids[], size_t n)
{
	struct tc_error e;
	char *p = tc_call_path(d, ids, n, &e);
	cr_assert_not_null(p, "%s: %s", d->name, e.message);
	return p;
}

static void expect_path(const tc_call_desc *d, const char *const ids[],
			size_t n, const char *want)
{
	char *p = path_of(d, ids, n);
	cr_expect_str_eq(p, want, "%s", d->name);
	free(p);
}

TestSuite(expand, .init = setup_ok, .fini = teardown);

Test(expand, one_to_four_ids)
{
	const char *one[] = { "42" };
	const char *two[] = { "7", "42" };
	const char *three[] = { "7", "42", "99" };
	const tc_call_desc four = { "four", TC_FAMILY_SERVERLESS, "GET",
				    "/a/{}/b/{}/c/{}", "d={}", NULL, TC_PAGING_NONE };
	const char *ids4[] = { "1", "2", "3", "4" };

	expect_path(&tc_desc_serverless_backup_get, one, 1, "/backups/42");
	expect_path(&tc_desc_serverless_backups_list, one, 1,
		    "/backups?clusterId=42");
	expect_path(&tc_desc_serverless_cluster_get, one, 1,
		    "/clusters/42?view=FULL");
	expect_path(&tc_desc_dedicated_backups_list, two, 2,
		    "/projects/7/clusters/42/backups");
	expect_path(&tc_desc_branch_reset, two, 2,
		    "/clusters/7/branches/42:reset");
	expect_path(&tc_desc_dedicated_backup_get, three, 3,
		    "/projects/7/clusters/42/backups/99");
	expect_path(&tc_desc_private_endpoint_connection_get, three, 3,
		    "/clusters/7/tidbNodeGroups/42/privateEndpointConnections/99");
	expect_path(&four, ids4, 4, "/a/1/b/2/c/3?d=4");
	expect_path(&tc_desc_projects_list, NULL, 0, "/projects");
}

Test(expand, ids_are_escaped)
{
	const char *evil[] = { "a/b?c=d&e#f g" };
	const char *two[] = { "x:y", "%2F" };
	const char *upload[] = { "42", "data file.csv", "1", "db", "t&1" };

	expect_path(&tc_desc_serverless_backup_get, evil, 1,
		    "/backups/a%2Fb%3Fc%3Dd%26e%23f%20g");
	expect_path(&tc_desc_serverless_backups_list, evil, 1,
		    "/backups?clusterId=a%2Fb%3Fc%3Dd%26e%23f%20g");
	expect_path(&tc_desc_branch_get, two, 2, "/clusters/x%3Ay/branches/%252F");
	expect_path(&tc_desc_serverless_import_start_upload, upload, 5,
		    "/clusters/42/imports:startUpload?fileName=data%20file.csv"
		    "&partNumber=1&targetDatabase=db&targetTable=t%261");
}

Test(expand, empty_query_id_allowed_empty_path_id_refused)
{
	const char *opt[] = { "42", "f.csv", "1", "", "" };
	const char *empty[] = { "" };
	struct tc_error e;

	expect_path(&tc_desc_serverless_import_start_upload, opt, 5,
		    "/clusters/42/imports:startUpload?fileName=f.csv"
		    "&partNumber=1&targetDatabase=&targetTable=");
	cr_expect_null(tc_call_path(&tc_desc_serverless_backup_get, empty, 1, &e));
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect(strstr(e.message, "missing") != NULL, "%s", e.message);
}

Test(expand, wrong_id_counts_are_errors)
{
	const char *ids[] = { "1", "2", "3" };
	const char *null_id[] = { NULL };
	struct tc_error e;

	cr_expect_null(tc_call_path(&tc_desc_dedicated_backup_get, ids, 2, &e));
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect(strstr(e.message, "takes 3 ids, 2 given") != NULL, "%s", e.message);
	cr_expect_null(tc_call_path(&tc_desc_serverless_backup_get, ids, 3, &e));
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect_null(tc_call_path(&tc_desc_serverless_backup_get, NULL, 1, &e));
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect_null(tc_call_path(&tc_desc_serverless_backup_get, null_id, 1, &e));
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect_null(tc_call_path(&tc_desc_projects_list, ids, 1, &e));
	cr_expect_null(tc_call_path(NULL, NULL, 0, &e));
	cr_expect_eq(e.kind, TC_E_INVALID);

	/* nothing is sent for a refused call */
	json_t *out = (json_t *)1;
	cr_expect_eq(tc_call(c, &tc_desc_dedicated_backup_get, ids, 1, NULL, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect_eq(tc_error_errno(&e, 0), EINVAL);
	cr_expect_eq(tc_call_list(c, &tc_desc_serverless_backups_list, NULL, 0,
				  NULL, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(f->nreq, 0);
}

Test(expand, keys_separate_families_and_parents)
{
	const char *a[] = { "1" }, *b[] = { "2" };
	struct tc_error e;
	char *k1 = tc_call_key(&tc_desc_serverless_backups_list, a, 1, &e);
	char *k2 = tc_call_key(&tc_desc_serverless_backups_list, b, 1, &e);
	char *k3 = tc_call_key(&tc_desc_serverless_cluster_delete, a, 1, &e);
	char *k4 = tc_call_key(&tc_desc_dedicated_cluster_delete, a, 1, &e);

	cr_assert(k1 && k2 && k3 && k4);
	cr_expect_str_eq(k1, "serverless /backups?clusterId=1");
	cr_expect_str_neq(k1, k2);
	cr_expect_str_eq(k3, "serverless /clusters/1");
	cr_expect_str_eq(k4, "dedicated /clusters/1");
	free(k1);
	free(k2);
	free(k3);
	free(k4);
}

Test(expand, every_descriptor_is_well_formed)
{
	const tc_call_desc *all[] = {
		&tc_desc_projects_list, &tc_desc_project_create,
		&tc_desc_serverless_regions_list, &tc_desc_dedicated_regions_list,
		&tc_desc_serverless_clusters_list, &tc_desc_serverless_cluster_get,
		&tc_desc_serverless_cluster_create, &tc_desc_serverless_cluster_update,
		&tc_desc_serverless_cluster_delete, &tc_desc_serverless_cluster_restore,
		&tc_desc_dedicated_clusters_list, &tc_desc_dedicated_cluster_get,
		&tc_desc_dedicated_cluster_create, &tc_desc_dedicated_cluster_update,
		&tc_desc_dedicated_cluster_delete, &tc_desc_dedicated_cluster_pause,
		&tc_desc_dedicated_cluster_resume, &tc_desc_serverless_backups_list,
		&tc_desc_serverless_backup_get, &tc_desc_serverless_backup_delete,
		&tc_desc_dedicated_backups_list, &tc_desc_dedicated_backup_create,
		&tc_desc_dedicated_backup_get, &tc_desc_dedicated_backup_delete,
		&tc_desc_restores_list, &tc_desc_restore_create, &tc_desc_restore_get,
		&tc_desc_branches_list, &tc_desc_branch_create, &tc_desc_branch_get,
		&tc_desc_branch_delete, &tc_desc_branch_reset, &tc_desc_exports_list,
		&tc_desc_export_create, &tc_desc_export_get, &tc_desc_export_delete,
		&tc_desc_export_cancel, &tc_desc_export_files_list,
		&tc_desc_export_files_download, &tc_desc_serverless_imports_list,
		&tc_desc_serverless_import_create, &tc_desc_serverless_import_get,
		&tc_desc_serverless_import_cancel,
		&tc_desc_serverless_import_start_upload,
		&tc_desc_serverless_import_complete_upload,
		&tc_desc_serverless_import_cancel_upload,
		&tc_desc_dedicated_imports_list, &tc_desc_dedicated_import_create,
		&tc_desc_dedicated_import_get, &tc_desc_dedicated_import_cancel,
		&tc_desc_sql_users_list, &tc_desc_sql_user_create,
		&tc_desc_sql_user_get, &tc_desc_sql_user_update,
		&tc_desc_sql_user_delete, &tc_desc_private_link_service_get,
		&tc_desc_private_endpoint_connections_list,
		&tc_desc_private_endpoint_connection_create,
		&tc_desc_private_endpoint_connection_get,
		&tc_desc_private_endpoint_connection_delete,
	};
	const char *ids[TC_CALL_MAX_IDS] = { "1", "2", "3", "4", "5", "6", "7", "8" };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const tc_call_desc *d = all[i];
		size_t n = 0;
		char *p = NULL;
		struct tc_error e;

		cr_assert_not_null(d->name);
		cr_expect(d->path[0] == '/', "%s", d->name);
		cr_expect((d->paging == TC_PAGING_NONE) == (d->items_key == NULL),
			  "%s: a list has an items key, nothing else has", d->name);
		cr_expect(d->paging == TC_PAGING_NONE || strcmp(d->method, "GET") == 0,
			  "%s", d->name);
		cr_expect(d->family != TC_FAMILY_V1BETA ||
			  d->paging != TC_PAGING_TOKEN, "%s: v1beta pages by number",
			  d->name);
		while (n <= TC_CALL_MAX_IDS && !(p = tc_call_path(d, ids, n, &e)))
			n++;
		cr_expect_not_null(p, "%s takes more than %d ids", d->name,
				   TC_CALL_MAX_IDS);
		free(p);
	}
}

/* ---- tc_call against the fake: method, URL, body, errors -------------- */

Test(expand, call_sends_method_url_and_body)
{
	const char *ids[] = { "c1", "b 2" };
	json_t *body = json_pack("{s:s}", "displayName", "x"), *out = NULL;
	struct tc_error e;

	cr_assert_eq(tc_call(c, &tc_desc_branch_reset, ids, 2, body, &out, &e), 0,
		     "%s", e.message);
	cr_expect(json_is_object(out));
	cr_expect_str_eq(f->method[0], "POST");
	cr_expect_str_eq(f->url[0], SL_BASE "/clusters/c1/branches/b%202:reset");
	cr_expect_str_eq(f->body[0], "{\"displayName\":\"x\"}");
	json_decref(out);
	json_decref(body);
}

static const struct fake_reply not_found[] = {
	{ .status = 404, .trace = "trace-9",
	  .body = "{\"code\":5,\"message\":\"backup 9 not found\",\"details\":[]}" },
};

Test(errors, http_error_is_mapped, .fini = teardown)
{
	const char *ids[] = { "9" };
	struct tc_error e;
	json_t *out = (json_t *)1;

	setup_script(not_found, 1);
	cr_expect_eq(tc_call(c, &tc_desc_serverless_backup_delete, ids, 1, NULL,
			     &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.kind, TC_E_HTTP);
	cr_expect_eq(e.http_status, 404);
	cr_expect_str_eq(e.message, "backup 9 not found");
	cr_expect_str_eq(e.method, "DELETE");
	cr_expect_str_eq(e.path, "/backups/9");
	cr_expect_str_eq(e.trace_id, "trace-9");
	cr_expect_eq(tc_error_errno(&e, 0), ENOENT);
	/* a list maps the same way */
	cr_expect_eq(tc_call_list(c, &tc_desc_serverless_backups_list, ids, 1,
				  NULL, &out, &e), -1);
	cr_expect_null(out);
	cr_expect_eq(e.http_status, 404);
	cr_expect_eq(tc_error_errno(&e, 0), ENOENT);
}

static const struct fake_reply conflict[] = {
	{ .status = 409, .body = "{\"code\":6,\"message\":\"exists\",\"details\":[]}" },
};

Test(errors, conflict_on_create_is_eexist, .fini = teardown)
{
	const char *ids[] = { "7", "42" };
	struct tc_error e;
	json_t *body = json_object();

	setup_script(conflict, 1);
	cr_expect_eq(tc_call(c, &tc_desc_dedicated_backup_create, ids, 2, body,
			     NULL, &e), -1);
	cr_expect_eq(tc_error_errno(&e, 1), EEXIST);
	cr_expect_eq(tc_error_errno(&e, 0), EBUSY);
	cr_expect_str_eq(f->url[0], V1_BASE "/projects/7/clusters/42/backups");
	json_decref(body);
}

static const struct fake_reply bad_shape[] = {
	{ .status = 200, .body = "{\"clusters\":[]}" },
};

Test(errors, wrong_items_key_is_bad_response, .fini = teardown)
{
	const char *ids[] = { "42" };
	struct tc_error e;
	json_t *items = NULL;

	setup_script(bad_shape, 1);
	cr_expect_eq(tc_call_list(c, &tc_desc_serverless_backups_list, ids, 1,
				  NULL, &items, &e), -1);
	cr_expect_eq(e.kind, TC_E_BAD_RESPONSE);
	cr_expect(strstr(e.message, "\"backups\"") != NULL, "%s", e.message);
	cr_expect_eq(tc_error_errno(&e, 0), EIO);
	cr_expect_null(items);
}

Test(errors, a_call_that_is_not_a_list_is_refused, .init = setup_ok,
     .fini = teardown)
{
	const char *ids[] = { "42" };
	struct tc_error e;
	json_t *items = NULL;

	cr_expect_eq(tc_call_list(c, &tc_desc_serverless_backup_get, ids, 1, NULL,
				  &items, &e), -1);
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect_eq(f->nreq, 0);
}

/* ---- paging across pages ---------------------------------------------- */

/* A fake holding `total` items under items_key in the style of the URL:
 * page/page_size → {items,total}; else pageSize/pageToken. */
static int total;
static const char *items_key;

static const char *query_value(const char *url, const char *name, char *buf,
			       size_t size)
{
	size_t len = strlen(name);

	for (const char *p = strchr(url, '?'); p; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, name, len) == 0 && p[1 + len] == '=') {
			size_t n = strcspn(p + 2 + len, "&");
			if (n >= size)
				n = size - 1;
			memcpy(buf, p + 2 + len, n);
			buf[n] = '\0';
			return buf;
		}
	}
	return NULL;
}

static int pager(struct fake *ff, const struct tc_http_request *req,
		 struct tc_http_response *resp, struct tc_error *err)
{
	char buf[64];
	long from, size;
	json_t *page, *items = json_array();
	(void)ff; (void)err;

	if (query_value(req->url, "page", buf, sizeof(buf))) {
		long pg = strtol(buf, NULL, 10);
		size = strtol(query_value(req->url, "page_size", buf, sizeof(buf)),
			      NULL, 10);
		from = (pg - 1) * size;
	} else {
		size = strtol(query_value(req->url, "pageSize", buf, sizeof(buf)),
			      NULL, 10);
		from = query_value(req->url, "pageToken", buf, sizeof(buf)) ?
		       strtol(buf + 1, NULL, 10) : 0;   /* "t<offset>" */
	}
	for (long i = from; i < from + size && i < total; i++)
		json_array_append_new(items, json_pack("{s:I}", "n", (json_int_t)i));
	page = json_pack("{s:o}", items_key, items);
	if (query_value(req->url, "page", buf, sizeof(buf))) {
		json_object_set_new(page, "total", json_integer(total));
	} else if (from + size < total) {
		snprintf(buf, sizeof(buf), "t%ld", from + size);
		json_object_set_new(page, "nextPageToken", json_string(buf));
		json_object_set_new(page, "totalSize", json_integer(total));
	}
	char *text = json_dumps(page, JSON_COMPACT);
	json_decref(page);
	resp->status = 200;
	resp->body = text;
	resp->body_len = strlen(text);
	return 0;
}

static void setup_pager(void)
{
	setup_script(NULL, 0);
	f->handler = pager;
}

TestSuite(paging, .init = setup_pager, .fini = teardown);

static void expect_sequence(json_t *items, int n)
{
	cr_assert_eq((int)json_array_size(items), n);
	for (int i = 0; i < n; i++)
		cr_expect_eq(json_integer_value(json_object_get(
				     json_array_get(items, (size_t)i), "n")), i);
}

Test(paging, token_style_across_pages)
{
	const char *ids[] = { "42" };
	struct tc_error e;
	json_t *items;

	total = 250;
	items_key = "backups";
	cr_assert_eq(tc_call_list(c, &tc_desc_serverless_backups_list, ids, 1,
				  NULL, &items, &e), 0, "%s", e.message);
	expect_sequence(items, 250);
	cr_expect_eq(f->nreq, 3);
	cr_expect_str_eq(f->url[0], SL_BASE "/backups?clusterId=42&pageSize=100");
	cr_expect_str_eq(f->url[1], SL_BASE
			 "/backups?clusterId=42&pageSize=100&pageToken=t100");
	cr_expect_str_eq(f->url[2], SL_BASE
			 "/backups?clusterId=42&pageSize=100&pageToken=t200");
	json_decref(items);
}

Test(paging, page_style_across_pages)
{
	const char *ids[] = { "7", "42" };
	struct tc_error e;
	json_t *items;

	total = 201;
	items_key = "items";
	cr_assert_eq(tc_call_list(c, &tc_desc_dedicated_backups_list, ids, 2,
				  NULL, &items, &e), 0, "%s", e.message);
	expect_sequence(items, 201);
	cr_expect_eq(f->nreq, 3);
	cr_expect_str_eq(f->url[0], V1_BASE
			 "/projects/7/clusters/42/backups?page=1&page_size=100");
	cr_expect_str_eq(f->url[2], V1_BASE
			 "/projects/7/clusters/42/backups?page=3&page_size=100");
	json_decref(items);
}

Test(paging, empty_list_costs_one_request)
{
	const char *ids[] = { "42" };
	struct tc_error e;
	json_t *items;

	total = 0;
	items_key = "branches";
	cr_assert_eq(tc_call_list(c, &tc_desc_branches_list, ids, 1, NULL, &items,
				  &e), 0, "%s", e.message);
	cr_expect_eq(json_array_size(items), 0);
	cr_expect_eq(f->nreq, 1);
	cr_expect_str_eq(f->url[0], SL_BASE "/clusters/42/branches?pageSize=100");
	json_decref(items);
}

Test(paging, extra_query_kept_on_every_page)
{
	const char *ids[] = { "42", "e1" };
	struct tc_error e;
	json_t *items;

	total = 150;
	items_key = "files";
	cr_assert_eq(tc_call_list(c, &tc_desc_export_files_list, ids, 2,
				  "orderBy=name", &items, &e), 0, "%s", e.message);
	expect_sequence(items, 150);
	cr_expect_eq(f->nreq, 2);
	cr_expect_str_eq(f->url[1], SL_BASE "/clusters/42/exports/e1/files"
			 "?generateUrl=false&orderBy=name&pageSize=100&pageToken=t100");
	json_decref(items);
}

static int pages_seen;

static int count_page(void *arg, json_t *page_items)
{
	(void)arg;
	pages_seen++;
	return json_array_size(page_items) == 100 && pages_seen == 2 ? 7 : 0;
}

Test(paging, list_each_stops_when_asked)
{
	const char *ids[] = { "42" };
	struct tc_error e;

	total = 1000;
	items_key = "sqlUsers";
	pages_seen = 0;
	cr_expect_eq(tc_call_list_each(c, &tc_desc_sql_users_list, ids, 1, NULL,
				       count_page, NULL, &e), 7);
	cr_expect_eq(pages_seen, 2);
	cr_expect_eq(f->nreq, 2);
	cr_expect(strncmp(f->url[0], "https://iam.tidbapi.com/v1beta1/clusters/42/"
			  "sqlUsers?", 50) == 0, "%s", f->url[0]);
}

/* ---- the wrappers fs/ uses, now on descriptors ------------------------- */

Test(wrappers, same_urls_as_before, .init = setup_ok, .fini = teardown)
{
	struct tc_error e;
	json_t *out = NULL, *items = NULL, *body = json_object();

	cr_assert_eq(tc_serverless_cluster_get(c, "1/2", &out, &e), 0);
	json_decref(out);
	cr_assert_eq(tc_dedicated_cluster_pause(c, "5", &out, &e), 0);
	json_decref(out);
	cr_assert_eq(tc_serverless_cluster_update(c, "6", body, "displayName",
						  &out, &e), 0);
	json_decref(out);
	cr_assert_eq(tc_serverless_clusters_list(c, "p 1", &items, &e), 0);
	json_decref(items);
	cr_assert_eq(tc_dedicated_clusters_list(c, NULL, &items, &e), 0);
	json_decref(items);
	cr_assert_eq(tc_regions_list(c, TC_FAMILY_SERVERLESS, &items, &e), 0);
	json_decref(items);
	cr_expect_eq(tc_serverless_cluster_get(c, "", &out, &e), -1);
	cr_expect_eq(e.kind, TC_E_INVALID);
	cr_expect_eq(tc_regions_list(c, TC_FAMILY_IAM, &items, &e), -1);

	cr_assert_eq(f->nreq, 6);
	cr_expect_str_eq(f->url[0], SL_BASE "/clusters/1%2F2?view=FULL");
	cr_expect_str_eq(f->url[1], DED_BASE "/clusters/5:pauseCluster");
	cr_expect_str_eq(f->body[1], "{}");
	cr_expect_str_eq(f->method[2], "PATCH");
	cr_expect_str_eq(f->body[2], "{\"cluster\":{},\"updateMask\":\"displayName\"}");
	cr_expect_str_eq(f->url[3], SL_BASE
			 "/clusters?filter=projectId%3Dp%201&pageSize=100");
	cr_expect_str_eq(f->url[4], DED_BASE "/clusters?pageSize=100");
	cr_expect_str_eq(f->url[5], SL_BASE "/regions");
	json_decref(body);
}

/* ---- the user agent ----------------------------------------------------- */

Test(config, user_agent_with_control_characters_is_refused)
{
	struct tc_config cfg = { 0 };
	struct tc_error e;

	cfg.public_key = "PUB";
	cfg.private_key = "PRIV";
	cfg.user_agent = "me/1\r\nX-Evil: 1";
	cr_expect_null(tc_client_new(&cfg, &e));
	cr_expect_eq(e.kind, TC_E_CONFIG);
}
