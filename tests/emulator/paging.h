/*
 * paging.h — the one paging implementation of the emulator, for both
 * styles the API uses (paging.c):
 *   EMU_PAGING_TOKEN  v1beta1: pageSize (0 = the list's default, larger
 *                     than 100 clamped to 100), pageToken (opaque, from
 *                     emu_page_token), skip → {<key>, totalSize,
 *                     nextPageToken while more remain};
 *   EMU_PAGING_PAGE   v1beta: page (1-based, 0 = 1), page_size (0 = the
 *                     default, clamped to 100) → {items, total}.
 * A bad parameter is a 400 in the family's error shape.
 * Still paging by hand, to move here when next touched: list_clusters in
 * routes_serverless.c and list_projects in routes_v1beta.c.
 */
#ifndef EMU_PAGING_H
#define EMU_PAGING_H

#include <stddef.h>

#include "emu.h"

enum emu_paging { EMU_PAGING_TOKEN, EMU_PAGING_PAGE };

/* The page the request asks for: the offset of its first item and its
 * size. 0, or -1 with a 400 in rs. */
int emu_page_args(const struct emu_request *rq, struct emu_response *rs,
		  enum emu_paging style, long def_size, size_t *offset,
		  long *size);

/* Add the paging fields of a page (offset, size) of a list of `total`
 * items to body. */
void emu_page_finish(json_t *body, enum emu_paging style, size_t offset,
		     long size, size_t total);

/* Answer one page of `all` (an array of every matching item, stolen) as
 * {items_key: [...], paging fields}. */
void emu_page_answer(const struct emu_request *rq, struct emu_response *rs,
		     enum emu_paging style, long def_size,
		     const char *items_key, json_t *all);

/* emu_page_answer in the token style without totalSize (the lists of the
 * IAM, MSP, SQL user, export file and Data Service APIs have none). */
void emu_page_answer_no_total(const struct emu_request *rq,
			      struct emu_response *rs, long def_size,
			      const char *items_key, json_t *all);

#endif
