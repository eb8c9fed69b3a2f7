/* fuzz_api_paging — list pages (api/paging.c through tc_list_walk and the
 * request loop's body parsing): each part of the input is the answer to
 * one page request. The first byte picks the paging style and items key. */
#include "fuzz_util.h"

static int count_items(void *arg, json_t *items)
{
	size_t *n = arg;

	if (!json_is_array(items))
		abort();
	*n += json_array_size(items);
	return *n > 100000 ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "items", "clusters", "projects",
					    "backups" };
	struct fuzz_part parts[FUZZ_MAX_PARTS];
	struct fuzz_tp tp = { 0 };
	struct tc_error err;
	uint64_t now = 1000;
	enum tc_paging style;
	size_t items = 0;
	unsigned sel;
	tc_client *c;

	if (size < 1)
		return 0;
	sel = data[0];
	tp.n = fuzz_split(data + 1, size - 1, parts, FUZZ_MAX_PARTS);
	tp.replies = parts;
	c = fuzz_client(&tp, &now);
	if (!c)
		return 0;
	style = (sel & 3) == 0 ? TC_PAGING_PAGE :
		(sel & 3) == 1 ? TC_PAGING_TOKEN : TC_PAGING_TOKEN_PLAIN;
	tc_error_clear(&err);
	(void)tc_list_walk(c, (sel & 3) == 0 ? TC_FAMILY_V1BETA :
			   TC_FAMILY_SERVERLESS, style, "/v1beta1/clusters",
			   (sel & 4) ? "filter=x" : NULL, keys[(sel >> 3) & 3],
			   count_items, &items, &err);
	tc_client_free(c);
	return 0;
}
