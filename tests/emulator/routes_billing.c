/*
 * routes_billing.c — billing.tidbapi.com /v1beta1 (billing-v1beta1.json):
 * the organization's monthly bills, generated from the model.
 *
 *   GET /v1beta1/bills/{YYYY-MM}        → forms.BillsExplorer
 *       {overview{billedMonth, credits, discounts, runningTotal, totalCost},
 *        summaryByProject{projects[{projectName, ...amounts}],
 *        otherCharges[]}, summaryByService[{serviceName, ...amounts,
 *        serviceCosts[{serviceName, ...amounts}]}]}
 *   GET /v1beta1/billsDetails/{YYYY-MM} → forms.BillsDetails
 *       {details[{billedDate, projectName, clusterName, servicePathName,
 *        credits, discounts, runningTotal, totalCost}]}
 *
 * One detail row per day × project × cluster × service: every day of a past
 * month, the days up to today (UTC) of the current one; each cluster of the
 * model with its kind's services. Amounts are decimal strings with two
 * decimals ("12.34"), computed in integer hundredths from a hash of (date,
 * cluster id, service), so a month's bill is the same at every request:
 * totalCost = runningTotal − discounts − credits on every row and every
 * sum, and the bill's overview, projects and services are the sums of the
 * details. Only the current month and the six before it are served (the
 * published rule): another month, or a billedMonth that is not YYYY-MM, is
 * a 400 in the billing error body. The caller's key must have the role
 * org:owner or org:billing_admin (the published rule): else 403.
 */
#include "auth.h"
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct amounts {
	long long running, discounts, credits;
};

struct service {
	const char *product;       /* summaryByService's serviceName */
	const char *path;          /* servicePathName */
	long lo, hi;               /* runningTotal range, hundredths */
	int discount_pct, credit_pct;
};

static const struct service ded_services[] = {
	{ "TiDB Dedicated", "TiDB Dedicated - Node Compute - TiDB", 2000, 6000, 10, 0 },
	{ "TiDB Dedicated", "TiDB Dedicated - Node Compute - TiKV", 3000, 9000, 10, 0 },
	{ "TiDB Dedicated", "TiDB Dedicated - Data Storage - TiKV", 200, 800, 10, 0 },
	{ NULL, NULL, 0, 0, 0, 0 }
};
static const struct service starter_services[] = {
	{ "TiDB Cloud Starter", "TiDB Cloud Starter - Request Units", 0, 300, 0, 50 },
	{ "TiDB Cloud Starter", "TiDB Cloud Starter - Row-based Storage", 10, 100, 0, 50 },
	{ NULL, NULL, 0, 0, 0, 0 }
};
static const struct service essential_services[] = {
	{ "TiDB Cloud Essential", "TiDB Cloud Essential - Request Capacity Units", 500, 1500, 5, 0 },
	{ "TiDB Cloud Essential", "TiDB Cloud Essential - Row-based Storage", 50, 200, 5, 0 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct service *services_of(enum emu_kind k)
{
	return k == EMU_KIND_DEDICATED ? ded_services
	       : k == EMU_KIND_ESSENTIAL ? essential_services : starter_services;
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static json_t *money(long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%s%lld.%02lld", v < 0 ? "-" : "",
		 (v < 0 ? -v : v) / 100, (v < 0 ? -v : v) % 100);
	return json_string(buf);
}

/* Set the four amounts of a on o; returns o. */
static json_t *with_amounts(json_t *o, const struct amounts *a)
{
	json_object_set_new(o, "credits", money(a->credits));
	json_object_set_new(o, "discounts", money(a->discounts));
	json_object_set_new(o, "runningTotal", money(a->running));
	json_object_set_new(o, "totalCost",
			    money(a->running - a->discounts - a->credits));
	return o;
}

static void add(struct amounts *to, const struct amounts *a)
{
	to->running += a->running;
	to->discounts += a->discounts;
	to->credits += a->credits;
}

static bool may_read_bills(const struct emu_request *rq,
			   struct emu_response *rs)
{
	const char *r = emu_auth_caller_role();

	if (strcmp(r, "org:owner") == 0 || strcmp(r, "org:billing_admin") == 0)
		return true;
	emu_error(rs, rq->family, 403, EMU_RPC_FAILED_PRECONDITION,
		  "Permission denied: the API key %s has the role %s; bills "
		  "require the Organization Owner or Organization Billing Admin "
		  "role", emu_auth_caller_key(), *r ? r : "(none)");
	return false;
}

/* The month of the path within the window: *days = the days to bill. */
static bool month_ok(const struct emu_request *rq, struct emu_response *rs,
		     int *year, int *mon, int *days)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				       30, 31 };
	const char *m = rq->ids[0];
	time_t now = time(NULL);
	struct tm t;
	int back;

	gmtime_r(&now, &t);
	if (strlen(m) != 7 || m[4] != '-' || strspn(m, "0123456789-") != 7 ||
	    strchr(m + 5, '-') || strchr(m, '-') != m + 4 ||
	    sscanf(m, "%4d-%2d", year, mon) != 2 || *mon < 1 || *mon > 12) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid billedMonth \"%s\": the format is YYYY-MM, "
			  "for example 2024-05", m);
		return false;
	}
	back = (t.tm_year + 1900 - *year) * 12 + (t.tm_mon + 1 - *mon);
	if (back < 0 || back > 6) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "billedMonth %s is out of range: a bill can be queried "
			  "for the current month and up to 6 months before it", m);
		return false;
	}
	*days = mdays[*mon - 1];
	if (*mon == 2 && ((*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0))
		*days = 29;
	if (back == 0)
		*days = t.tm_mday;
	return true;
}

static const char *project_name(const char *id)
{
	struct emu_project *p = emu_model_project_find(id);

	return p && p->name ? p->name : id;
}

static const char *cluster_name(const struct emu_cluster *c)
{
	const char *n = emu_fstr(c->obj, "displayName");

	if (!n)
		n = emu_fstr(c->obj, "name");
	return n ? n : c->id;
}

/* One row's amounts. */
static void row_amounts(const char *date, const struct emu_cluster *c,
			const struct service *s, struct amounts *a)
{
	char key[256];
	uint64_t h;

	snprintf(key, sizeof(key), "%s|%s|%s", date, c->id, s->path);
	h = fnv(key);
	a->running = s->lo + (long long)(h % (uint64_t)(s->hi - s->lo + 1));
	a->discounts = a->running * s->discount_pct / 100;
	a->credits = (a->running - a->discounts) * s->credit_pct / 100;
}

/* Walk the month's rows in order: by day, project, cluster, service.
 * each() gets the names and the amounts. */
static void walk(int year, int mon, int days,
		 void (*each)(void *arg, const char *date, const char *project,
			      const char *cluster, const struct service *s,
			      const struct amounts *a),
		 void *arg)
{
	for (int d = 1; d <= days; d++) {
		char date[40];

		snprintf(date, sizeof(date), "%04d-%02d-%02d", year, mon, d);
		for (size_t p = 0; p < emu_model_project_count(); p++) {
			const struct emu_project *pr = emu_model_project_at(p);

			for (size_t i = 0; i < emu_model_cluster_count(); i++) {
				const struct emu_cluster *c = emu_model_cluster_at(i);
				const char *cp = emu_cluster_project(c);

				if (!cp || strcmp(cp, pr->id) != 0)
					continue;
				for (const struct service *s = services_of(c->kind);
				     s->path; s++) {
					struct amounts a;

					row_amounts(date, c, s, &a);
					each(arg, date, project_name(pr->id),
					     cluster_name(c), s, &a);
				}
			}
		}
	}
}

static void detail_row(void *arg, const char *date, const char *project,
		       const char *cluster, const struct service *s,
		       const struct amounts *a)
{
	json_array_append_new(arg, with_amounts(json_pack(
		"{s:s, s:s, s:s, s:s}", "billedDate", date, "projectName",
		project, "clusterName", cluster, "servicePathName", s->path), a));
}

static void get_details(const struct emu_request *rq, struct emu_response *rs)
{
	int y, m, days;
	json_t *rows;

	if (!may_read_bills(rq, rs) || !month_ok(rq, rs, &y, &m, &days))
		return;
	rows = json_array();
	walk(y, m, days, detail_row, rows);
	rs->body = json_pack("{s:o}", "details", rows);
}

/* Sums by a name, in first-seen order. */
struct sums {
	json_t *names;             /* array of names */
	struct amounts v[64];
	const char *product[64];   /* paths: the product of each */
};

static size_t sums_slot(struct sums *s, const char *name)
{
	size_t i, n = json_array_size(s->names);

	for (i = 0; i < n; i++)
		if (strcmp(json_string_value(json_array_get(s->names, i)), name) == 0)
			return i;
	if (n >= 64)
		return 63;
	json_array_append_new(s->names, json_string(name));
	memset(&s->v[n], 0, sizeof(s->v[n]));
	return n;
}

struct bill_acc {
	struct sums projects, products, paths;
	struct amounts total;
};

static void bill_row(void *arg, const char *date, const char *project,
		     const char *cluster, const struct service *s,
		     const struct amounts *a)
{
	struct bill_acc *b = arg;
	size_t i;

	(void)date;
	(void)cluster;
	add(&b->total, a);
	add(&b->projects.v[sums_slot(&b->projects, project)], a);
	add(&b->products.v[sums_slot(&b->products, s->product)], a);
	i = sums_slot(&b->paths, s->path);
	b->paths.product[i] = s->product;
	add(&b->paths.v[i], a);
}

static void get_bill(const struct emu_request *rq, struct emu_response *rs)
{
	struct bill_acc b;
	json_t *projects, *services;
	int y, m, days;

	if (!may_read_bills(rq, rs) || !month_ok(rq, rs, &y, &m, &days))
		return;
	memset(&b, 0, sizeof(b));
	b.projects.names = json_array();
	b.products.names = json_array();
	b.paths.names = json_array();
	walk(y, m, days, bill_row, &b);
	projects = json_array();
	for (size_t i = 0; i < json_array_size(b.projects.names); i++)
		json_array_append_new(projects, with_amounts(json_pack("{s:O}",
			"projectName", json_array_get(b.projects.names, i)),
			&b.projects.v[i]));
	services = json_array();
	for (size_t i = 0; i < json_array_size(b.products.names); i++) {
		const char *prod = json_string_value(json_array_get(b.products.names, i));
		json_t *costs = json_array();

		for (size_t j = 0; j < json_array_size(b.paths.names); j++)
			if (strcmp(b.paths.product[j], prod) == 0)
				json_array_append_new(costs, with_amounts(json_pack(
					"{s:O}", "serviceName",
					json_array_get(b.paths.names, j)),
					&b.paths.v[j]));
		json_array_append_new(services, with_amounts(json_pack(
			"{s:s, s:o}", "serviceName", prod, "serviceCosts", costs),
			&b.products.v[i]));
	}
	rs->body = json_pack("{s:o, s:{s:o, s:[]}, s:o}",
			     "overview", with_amounts(json_pack("{s:s}",
				"billedMonth", rq->ids[0]), &b.total),
			     "summaryByProject", "projects", projects,
			     "otherCharges", "summaryByService", services);
	json_decref(b.projects.names);
	json_decref(b.products.names);
	json_decref(b.paths.names);
}

static const struct emu_route routes[] = {
	{ EMU_FAM_BILLING, "GET", "/v1beta1/bills/{id}", get_bill },
	{ EMU_FAM_BILLING, "GET", "/v1beta1/billsDetails/{id}", get_details },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module billing_module = { "billing", routes, NULL };
EMU_MODULE(billing_module)
