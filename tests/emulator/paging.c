/* paging.c — both paging styles, once (paging.h). */
#include "paging.h"

#include <stdio.h>

#define MAX_PAGE_SIZE 100

static long clamp_size(long size, long def_size)
{
	if (size == 0)
		size = def_size;
	return size > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : size;
}

static int token_args(const struct emu_request *rq, struct emu_response *rs,
		      long def_size, size_t *offset, long *size)
{
	const char *token = emu_query(rq, "pageToken");
	long skip;

	if (emu_query_long(rq, rs, "pageSize", def_size, size) ||
	    emu_query_long(rq, rs, "skip", 0, &skip))
		return -1;
	*size = clamp_size(*size, def_size);
	*offset = (size_t)skip;
	if (token && *token && emu_page_token_parse(token, offset) != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid pageToken \"%s\"", token);
		return -1;
	}
	return 0;
}

static int number_args(const struct emu_request *rq, struct emu_response *rs,
		       long def_size, size_t *offset, long *size)
{
	long page;

	if (emu_query_long(rq, rs, "page", 1, &page) ||
	    emu_query_long(rq, rs, "page_size", def_size, size))
		return -1;
	if (page == 0)
		page = 1;
	*size = clamp_size(*size, def_size);
	*offset = (size_t)(page - 1) * (size_t)*size;
	return 0;
}

int emu_page_args(const struct emu_request *rq, struct emu_response *rs,
		  enum emu_paging style, long def_size, size_t *offset,
		  long *size)
{
	if (style == EMU_PAGING_PAGE)
		return number_args(rq, rs, def_size, offset, size);
	return token_args(rq, rs, def_size, offset, size);
}

void emu_page_finish(json_t *body, enum emu_paging style, size_t offset,
		     long size, size_t total)
{
	if (style == EMU_PAGING_PAGE) {
		json_object_set_new(body, "total", json_integer((json_int_t)total));
		return;
	}
	json_object_set_new(body, "totalSize", json_integer((json_int_t)total));
	if (offset < total && total - offset > (size_t)size) {
		char next[48];
		emu_page_token(next, offset + (size_t)size);
		json_object_set_new(body, "nextPageToken", json_string(next));
	}
}

void emu_page_answer(const struct emu_request *rq, struct emu_response *rs,
		     enum emu_paging style, long def_size,
		     const char *items_key, json_t *all)
{
	size_t offset, total = json_array_size(all);
	long size;
	json_t *page;

	if (emu_page_args(rq, rs, style, def_size, &offset, &size) != 0) {
		json_decref(all);
		return;
	}
	page = json_array();
	for (size_t i = offset; i < total && i - offset < (size_t)size; i++)
		json_array_append(page, json_array_get(all, i));
	json_decref(all);
	rs->body = json_object();
	json_object_set_new(rs->body, items_key, page);
	emu_page_finish(rs->body, style, offset, size, total);
}

void emu_page_answer_no_total(const struct emu_request *rq,
			      struct emu_response *rs, long def_size,
			      const char *items_key, json_t *all)
{
	emu_page_answer(rq, rs, EMU_PAGING_TOKEN, def_size, items_key, all);
	if (rs->status == 200 && rs->body)
		json_object_del(rs->body, "totalSize");
}
