/*
 * family_billing.h — the pure hooks of family_billing.c that the unit tests
 * call (tests/unit/test_fs_billing.c).
 */
#ifndef TCFS_FAMILY_BILLING_H
#define TCFS_FAMILY_BILLING_H

#include <stddef.h>
#include <time.h>
#include <jansson.h>

/* Months the billing API serves: the current one (UTC) and the six before. */
#define TCFS_BILL_MONTHS 7

/* The listing of billing/ at time `now`: [{"billedMonth": "YYYY-MM"}, ...],
 * newest first. New array. */
json_t *tcfs_bill_months(time_t now);

/* details.csv of a /billsDetails answer: the header line
 * billedDate,projectName,clusterName,servicePathName,credits,discounts,
 * runningTotal,totalCost and one line per detail, RFC 4180 (CRLF line ends;
 * a field holding a comma, a double quote, CR or LF is quoted, its quotes
 * doubled; a missing field is empty, a non-string one its JSON text).
 * malloc'd, *len its length. */
char *tcfs_bill_details_csv(json_t *answer, size_t *len);

#endif
