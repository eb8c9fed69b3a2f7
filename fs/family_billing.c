/*
 * family_billing.c — <org>/billing/ and billing/<YYYY-MM>/ (billing
 * /v1beta1/bills/{m} and /billsDetails/{m}, billing-v1beta1.json).
 *
 * The API serves the current month and the six before it, and lists none:
 * billing/ shows those seven months from the clock (UTC), with no request
 * (the row's list_fn; the descriptor tc_desc_bills_months only names its
 * cache key). Any other name is ENOENT. A month holds bill.json (GET
 * /bills/{m}, the row's object), details.json (GET /billsDetails/{m}) and
 * details.csv, made from details.json (the same cached answer: no request
 * of its own; its size is exact). Everything is read-only. A key without
 * the Organization Owner or Billing Admin role sees the months; reading a
 * file fails with the API's 403 (EACCES) and the month's .error quotes it.
 */
#include "tcfs.h"
#include "family_billing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *details_csv(json_t *answer, size_t *len);

static const struct tcfs_file_desc billing_files[] = {
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc bill_files[] = {
	{ .name = "bill.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "details.json", .type = TCFS_F_CALL, .mode = 0444,
	  .call = TCFS_CALL(tc_desc_bill_details_get, 0) },
	{ .name = "details.csv", .type = TCFS_F_CALL, .mode = 0444,
	  .call = TCFS_CALL(tc_desc_bill_details_get, 0),
	  .format = details_csv },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

json_t *tcfs_bill_months(time_t now)
{
	json_t *a = json_array();
	struct tm t;
	int m;

	if (!a)
		return NULL;
	gmtime_r(&now, &t);
	m = (t.tm_year + 1900) * 12 + t.tm_mon;
	for (int i = 0; i < TCFS_BILL_MONTHS; i++, m--) {
		char name[16];

		snprintf(name, sizeof(name), "%04d-%02d", m / 12 % 10000,
			 m % 12 + 1);
		if (json_array_append_new(a, json_pack("{s:s}", "billedMonth",
						       name)) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static int months_now(struct tcfs_org *org, enum tcfs_kind kind,
		      const struct tcfs_node *coll, json_t **items,
		      struct tc_error *err)
{
	(void)org; (void)kind; (void)coll;
	*items = tcfs_bill_months(time(NULL));
	if (*items)
		return 0;
	err->kind = TC_E_NOMEM;
	snprintf(err->message, sizeof(err->message), "out of memory listing months");
	return -1;
}

/* ---- details.csv ------------------------------------------------------------ */

struct buf {
	char *p;
	size_t len, cap;
	int failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void put_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		put(b, s, strlen(s));
		return;
	}
	put(b, "\"", 1);
	for (const char *q = s; *q; q++) {
		if (*q == '"')
			put(b, "\"\"", 2);
		else
			put(b, q, 1);
	}
	put(b, "\"", 1);
}

static const char *const columns[] = { "billedDate", "projectName",
	"clusterName", "servicePathName", "credits", "discounts",
	"runningTotal", "totalCost", NULL };

char *tcfs_bill_details_csv(json_t *answer, size_t *len)
{
	json_t *rows = json_object_get(answer, "details"), *row;
	struct buf b = { NULL, 0, 0, 0 };
	size_t i;

	for (size_t c = 0; columns[c]; c++) {
		if (c)
			put(&b, ",", 1);
		put(&b, columns[c], strlen(columns[c]));
	}
	put(&b, "\r\n", 2);
	json_array_foreach(json_is_array(rows) ? rows : NULL, i, row) {
		for (size_t c = 0; columns[c]; c++) {
			json_t *v = json_object_get(row, columns[c]);

			if (c)
				put(&b, ",", 1);
			if (json_is_string(v)) {
				put_field(&b, json_string_value(v));
			} else if (v && !json_is_null(v)) {
				char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

				if (t)
					put_field(&b, t);
				else
					b.failed = 1;
				free(t);
			}
		}
		put(&b, "\r\n", 2);
	}
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

static char *details_csv(json_t *answer, size_t *len)
{
	return tcfs_bill_details_csv(answer, len);
}

/* ---- the rows ------------------------------------------------------------- */

const struct tcfs_kind_desc tcfs_row_billing = {
	.kind = TCFS_K_BILLING, .label = "billing", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_ORG }, .nparents = 1,
	.dir_name = "billing", TCFS_FILES(billing_files),
	.sources = { { TCFS_K_BILL, TCFS_K_ROOT } }, .nsources = 1,
};

/* ids: 0 the month (YYYY-MM) */
const struct tcfs_kind_desc tcfs_row_bill = {
	.kind = TCFS_K_BILL, .label = "bill", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_BILLING }, .nparents = 1,
	TCFS_FILES(bill_files),
	.id_key = "billedMonth", .name_key = NULL,
	.list = TCFS_CALL0(tc_desc_bills_months),
	.list_fn = months_now,
	/* a listed month is a name, not the bill */
	.list_partial = 1,
	.get = TCFS_CALL(tc_desc_bill_get, 0),
	.remove_refusal = "bills are read-only",
};
