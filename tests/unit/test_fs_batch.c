/* Unit tests: the batching of serverless cluster reads — which siblings go
 * into one clusters:batchGet (fs/fetch.c tcfs_batch_pick) and the request
 * the client sends for it (api/resources.c, fake transport). */
#include <criterion/criterion.h>
#include "fake_transport.h"
#include "tcfs.h"

static json_t *listing(int n)
{
	json_t *a = json_array();
	char id[32];

	for (int i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%d", 100 + i);
		json_array_append_new(a, json_pack("{ss}", "clusterId", id));
	}
	return a;
}

static int want_all(void *arg, const char *id)
{
	(void)arg; (void)id;
	return 1;
}

/* ids ending in an even digit are "fresh in the cache" already */
static int want_odd(void *arg, const char *id)
{
	(void)arg;
	return (id[strlen(id) - 1] - '0') % 2 == 1;
}

Test(batch_pick, requested_first_then_following_siblings_wrapping)
{
	json_t *l = listing(10);
	const char *out[4];
	size_t n = tcfs_batch_pick(l, "clusterId", "107", want_all, NULL, out, 4);

	cr_assert_eq(n, 4);
	cr_assert_str_eq(out[0], "107");
	cr_assert_str_eq(out[1], "108");
	cr_assert_str_eq(out[2], "109");
	cr_assert_str_eq(out[3], "100");   /* wrapped around */
	json_decref(l);
}

Test(batch_pick, only_siblings_not_yet_fetched)
{
	json_t *l = listing(10);
	const char *out[10];
	size_t n = tcfs_batch_pick(l, "clusterId", "102", want_odd, NULL, out, 10);

	cr_assert_eq(n, 6);   /* 102 itself + 103 105 107 109 101 */
	cr_assert_str_eq(out[0], "102");
	cr_assert_str_eq(out[1], "103");
	cr_assert_str_eq(out[5], "101");
	json_decref(l);
}

/* the cache's role in fetch.c: what is fetched is no longer wanted */
static int want_unfetched(void *arg, const char *id)
{
	const char *fetched = arg;

	return !fetched[atoi(id) - 100];
}

Test(batch_pick, bounded_and_covering_250_in_3)
{
	json_t *l = listing(250);
	const char *out[TCFS_BATCH_MAX];
	char fetched[250] = { 0 };
	int batches = 0;

	/* reading every cluster (here in listing order, as a glob of names
	 * sorted like the listing does): each batch takes the ones not
	 * fetched yet, so 250 reads cost ceil(250/100) batches */
	for (int i = 0; i < 250; i++) {
		char id[32];
		size_t n;

		if (fetched[i])
			continue;
		snprintf(id, sizeof(id), "%d", 100 + i);
		n = tcfs_batch_pick(l, "clusterId", id, want_unfetched, fetched,
				    out, TCFS_BATCH_MAX);
		cr_assert_leq(n, TCFS_BATCH_MAX);
		for (size_t k = 0; k < n; k++) {
			int j = atoi(out[k]) - 100;

			cr_assert(!fetched[j], "%s fetched twice", out[k]);
			fetched[j] = 1;
		}
		batches++;
	}
	cr_assert_eq(batches, 3);
	json_decref(l);
}

Test(batch_pick, unknown_id_or_empty_listing)
{
	json_t *l = listing(3), *e = json_array();
	const char *out[8];

	cr_assert_eq(tcfs_batch_pick(l, "clusterId", "999", want_all, NULL, out, 8), 4);
	cr_assert_str_eq(out[0], "999");
	cr_assert_str_eq(out[1], "100");
	cr_assert_eq(tcfs_batch_pick(e, "clusterId", "1", want_all, NULL, out, 8), 1);
	cr_assert_eq(tcfs_batch_pick(NULL, "clusterId", "1", want_all, NULL, out, 8), 1);
	cr_assert_eq(tcfs_batch_pick(l, "clusterId", "1", want_all, NULL, out, 0), 0);
	json_decref(l);
	json_decref(e);
}

Test(batch_get, one_request_repeated_ids_view_full)
{
	static const struct fake_reply ok = { 200,
		"{\"clusters\":[{\"clusterId\":\"1\"},{\"clusterId\":\"a b\"}]}",
		NULL, 0, 0, 0, 0, TC_OK, NULL };
	struct fake *f = fake_new(&ok, 1);
	struct fake_clock k;
	struct tc_error err;
	const char *ids[] = { "1", "a b" };
	json_t *items = NULL;
	tc_client *c;

	fake_clock_init(&k, 1);
	c = fake_client(f, &k, NULL);
	cr_assert_eq(tc_serverless_clusters_batch_get(c, ids, 2, &items, &err), 0,
		     "%s", err.message);
	cr_assert_eq(json_array_size(items), 2);
	cr_assert_eq(f->nreq, 1);
	cr_assert_str_eq(f->method[0], "GET");
	cr_assert(strstr(f->url[0], "/v1beta1/clusters:batchGet?view=FULL"
			 "&clusterIds=1&clusterIds=a%20b") != NULL, "%s", f->url[0]);
	json_decref(items);
	/* 0 ids, or more than the API's 1000: refused, nothing sent */
	cr_assert_eq(tc_serverless_clusters_batch_get(c, ids, 0, &items, &err), -1);
	cr_assert_eq(tc_serverless_clusters_batch_get(c, ids, TC_BATCH_GET_MAX + 1,
						      &items, &err), -1);
	cr_assert_eq(err.kind, TC_E_INVALID);
	cr_assert_eq(f->nreq, 1);
	tc_client_free(c);
}

Test(batch_get, an_answer_without_clusters_is_bad)
{
	static const struct fake_reply bad = { 200, "{\"items\":[]}", NULL, 0, 0,
		0, 0, TC_OK, NULL };
	struct fake *f = fake_new(&bad, 1);
	struct fake_clock k;
	struct tc_error err;
	const char *ids[] = { "1" };
	json_t *items = NULL;
	tc_client *c;

	fake_clock_init(&k, 1);
	c = fake_client(f, &k, NULL);
	cr_assert_eq(tc_serverless_clusters_batch_get(c, ids, 1, &items, &err), -1);
	cr_assert_eq(err.kind, TC_E_BAD_RESPONSE);
	cr_assert_null(items);
	tc_client_free(c);
}
