/*
 * dataapps_sql.c — the small built-in evaluation behind a Data App
 * endpoint's `test` call (dataapps.h): ${param} substitution, then one
 * statement of the form
 *
 *   SELECT expr [AS alias], ... [FROM table [WHERE col = value]
 *          [LIMIT n]] [;]
 *
 * where expr is a quoted string, a number, NULL, `*` or a column of the
 * table. The tables are seeded here: `orders` (id, customer, amount,
 * status) and `customers` (id, name, city). Anything else answers a result
 * code 400 with the reason, as the service reports a SQL error inside a
 * 200 answer. Pure: no model, no lock.
 */
#include "dataapps.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct table {
	const char *name;
	const char *cols[4];
	const char *types[4];
	size_t ncols;
	const char *rows[6][4];
	size_t nrows;
};

static const struct table tables[] = {
	{ "orders", { "id", "customer", "amount", "status" },
	  { "BIGINT", "VARCHAR", "DECIMAL", "VARCHAR" }, 4,
	  { { "1", "alice", "19.90", "paid" }, { "2", "bob", "5.00", "open" },
	    { "3", "alice", "42.50", "paid" }, { "4", "carol", "7.25", "open" },
	    { "5", "dave", "120.00", "refunded" } }, 5 },
	{ "customers", { "id", "name", "city" },
	  { "BIGINT", "VARCHAR", "VARCHAR" }, 3,
	  { { "1", "alice", "Berlin" }, { "2", "bob", "Lisbon" },
	    { "3", "carol", "Osaka" } }, 3 },
};

struct lex {
	const char *p;
	char err[200];
};

static void skip_ws(struct lex *lx)
{
	while (isspace((unsigned char)*lx->p))
		lx->p++;
}

/* The keyword kw (case-insensitive, whole word) next: consumed. */
static int keyword(struct lex *lx, const char *kw)
{
	size_t n = strlen(kw);

	skip_ws(lx);
	if (strncasecmp(lx->p, kw, n) == 0 &&
	    !(isalnum((unsigned char)lx->p[n]) || lx->p[n] == '_')) {
		lx->p += n;
		return 1;
	}
	return 0;
}

/* An identifier (letters, digits, _; optionally `quoted`) into out. */
static int ident(struct lex *lx, char *out, size_t size)
{
	size_t n = 0;

	skip_ws(lx);
	if (*lx->p == '`') {
		const char *e = strchr(lx->p + 1, '`');

		if (!e || (size_t)(e - lx->p - 1) >= size)
			return 0;
		memcpy(out, lx->p + 1, (size_t)(e - lx->p - 1));
		out[e - lx->p - 1] = '\0';
		lx->p = e + 1;
		return 1;
	}
	while ((isalnum((unsigned char)lx->p[n]) || lx->p[n] == '_') &&
	       n + 1 < size)
		n++;
	if (n == 0 || isdigit((unsigned char)lx->p[0]))
		return 0;
	memcpy(out, lx->p, n);
	out[n] = '\0';
	lx->p += n;
	return 1;
}

/* A literal: 'string' ('' escapes a quote), a number or NULL. *type and
 * out (NULL value: *is_null). */
static int literal(struct lex *lx, char *out, size_t size, const char **type,
		   int *is_null)
{
	size_t n = 0;

	skip_ws(lx);
	*is_null = 0;
	if (*lx->p == '\'' || *lx->p == '"') {
		char q = *lx->p++;

		while (*lx->p && n + 1 < size) {
			if (*lx->p == q && lx->p[1] == q) {
				out[n++] = q;
				lx->p += 2;
			} else if (*lx->p == q) {
				break;
			} else {
				out[n++] = *lx->p++;
			}
		}
		if (*lx->p != q)
			return 0;
		lx->p++;
		out[n] = '\0';
		*type = "VARCHAR";
		return 1;
	}
	if (isdigit((unsigned char)*lx->p) ||
	    ((*lx->p == '-' || *lx->p == '.') &&
	     isdigit((unsigned char)lx->p[1]))) {
		int dot = 0;

		if (*lx->p == '-')
			out[n++] = *lx->p++;
		while ((isdigit((unsigned char)*lx->p) || (*lx->p == '.' && !dot)) &&
		       n + 1 < size) {
			dot |= *lx->p == '.';
			out[n++] = *lx->p++;
		}
		out[n] = '\0';
		*type = dot ? "DECIMAL" : "BIGINT";
		return 1;
	}
	if (keyword(lx, "NULL")) {
		out[0] = '\0';
		*is_null = 1;
		*type = "NULL";
		return 1;
	}
	return 0;
}

/* ${name} → the argument, else the parameter's defaultValue; a required
 * parameter without either is an error. New string or NULL with err. */
static char *substitute(const char *sql, json_t *params, json_t *args,
			char *err, size_t errsz)
{
	size_t cap = strlen(sql) + 1, len = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	for (const char *p = sql; *p;) {
		const char *val = NULL, *e;
		char name[64];
		size_t i, vl;
		json_t *pr;

		if (p[0] != '$' || p[1] != '{' || !(e = strchr(p + 2, '}')) ||
		    (size_t)(e - p - 2) >= sizeof(name)) {
			out[len++] = *p++;
			continue;
		}
		memcpy(name, p + 2, (size_t)(e - p - 2));
		name[e - p - 2] = '\0';
		val = json_string_value(json_object_get(args, name));
		json_array_foreach(params, i, pr) {
			const char *pn = json_string_value(json_object_get(pr, "name"));

			if (!val && pn && strcmp(pn, name) == 0)
				val = json_string_value(json_object_get(pr,
								"defaultValue"));
		}
		if (!val) {
			snprintf(err, errsz, "parameter %s has no value", name);
			free(out);
			return NULL;
		}
		vl = strlen(val);
		cap += vl;
		char *grown = realloc(out, cap);

		if (!grown) {
			free(out);
			return NULL;
		}
		out = grown;
		memcpy(out + len, val, vl);
		len += vl;
		p = e + 1;
	}
	out[len] = '\0';
	return out;
}

struct col {
	char name[64];
	char value[256];
	const char *type;
	int is_null;
	int src;        /* column index of the table, -1 literal, -2 star */
};

static json_t *result_data(json_t *columns, json_t *rows, int code,
			   const char *message, long limit, long nrows)
{
	return json_pack("{s:o, s:o, s:{s:i, s:s, s:s, s:s, s:s, s:i, s:i, s:i}}",
			 "columns", columns, "rows", rows, "result",
			 "code", code, "message", message,
			 "startMs", "1704871891280", "endMs", "1704871891283",
			 "latency", "3ms", "rowCount", (int)nrows,
			 "rowAffect", 0, "limit", (int)limit);
}

json_t *emu_dataapp_eval(const char *sql, json_t *params, json_t *args,
			 long row_limit)
{
	struct lex lx = { .err = "" };
	const struct table *t = NULL;
	struct col cols[16];
	size_t ncols = 0, out_rows = 0;
	long limit = row_limit > 0 ? row_limit : 50;
	char wcol[64] = "", wval[256] = "", buf[64];
	const char *wtype;
	int wnull, wi = -1;
	json_t *columns, *rows;
	char *text;

	text = substitute(sql ? sql : "", params, args, lx.err, sizeof(lx.err));
	if (!text)
		return result_data(json_array(), json_array(), 400,
				   lx.err[0] ? lx.err : "out of memory", limit, 0);
	lx.p = text;
	if (!keyword(&lx, "SELECT")) {
		snprintf(lx.err, sizeof(lx.err), "the emulator evaluates one "
			 "SELECT statement; this template is not one");
		goto fail;
	}
	do {
		struct col *c = &cols[ncols];

		if (ncols == sizeof(cols) / sizeof(cols[0])) {
			snprintf(lx.err, sizeof(lx.err), "more than 16 columns");
			goto fail;
		}
		memset(c, 0, sizeof(*c));
		skip_ws(&lx);
		if (*lx.p == '*') {
			lx.p++;
			c->src = -2;
		} else if (literal(&lx, c->value, sizeof(c->value), &c->type,
				   &c->is_null)) {
			c->src = -1;
			snprintf(c->name, sizeof(c->name), "%s",
				 c->is_null ? "NULL" : c->value);
		} else if (ident(&lx, c->name, sizeof(c->name))) {
			c->src = 0;   /* a column, resolved with FROM */
		} else {
			snprintf(lx.err, sizeof(lx.err), "syntax error near "
				 "\"%.20s\"", lx.p);
			goto fail;
		}
		if (keyword(&lx, "AS") && !ident(&lx, c->name, sizeof(c->name))) {
			snprintf(lx.err, sizeof(lx.err), "an alias after AS");
			goto fail;
		}
		if (c->src == 0)
			c->src = 1000;   /* unresolved column */
		ncols++;
		skip_ws(&lx);
	} while (*lx.p == ',' && lx.p++);
	if (keyword(&lx, "FROM")) {
		if (!ident(&lx, buf, sizeof(buf))) {
			snprintf(lx.err, sizeof(lx.err), "a table after FROM");
			goto fail;
		}
		for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
			if (strcasecmp(tables[i].name, buf) == 0)
				t = &tables[i];
		if (!t) {
			snprintf(lx.err, sizeof(lx.err), "Table 'test.%.60s' "
				 "doesn't exist", buf);
			goto fail;
		}
		if (keyword(&lx, "WHERE")) {
			skip_ws(&lx);
			if (!ident(&lx, wcol, sizeof(wcol)) ||
			    (skip_ws(&lx), *lx.p != '=') || !(lx.p++) ||
			    !literal(&lx, wval, sizeof(wval), &wtype, &wnull)) {
				snprintf(lx.err, sizeof(lx.err), "the emulator's "
					 "WHERE is `column = literal`");
				goto fail;
			}
			for (size_t i = 0; i < t->ncols; i++)
				if (strcasecmp(t->cols[i], wcol) == 0)
					wi = (int)i;
			if (wi < 0) {
				snprintf(lx.err, sizeof(lx.err), "Unknown column "
					 "'%.60s' in 'where clause'", wcol);
				goto fail;
			}
		}
	}
	if (keyword(&lx, "LIMIT")) {
		char num[32];
		const char *ty;
		int nl;

		if (!literal(&lx, num, sizeof(num), &ty, &nl) ||
		    strcmp(ty, "BIGINT") != 0 || num[0] == '-') {
			snprintf(lx.err, sizeof(lx.err), "LIMIT takes a number");
			goto fail;
		}
		if (atol(num) < limit)
			limit = atol(num);
	}
	skip_ws(&lx);
	if (*lx.p == ';')
		lx.p++;
	skip_ws(&lx);
	if (*lx.p) {
		snprintf(lx.err, sizeof(lx.err), "syntax error near \"%.20s\"",
			 lx.p);
		goto fail;
	}
	/* resolve the columns */
	for (size_t i = 0; i < ncols; i++) {
		if (cols[i].src == -2 && !t) {
			snprintf(lx.err, sizeof(lx.err), "No tables used");
			goto fail;
		}
		if (cols[i].src != 1000)
			continue;
		if (t)
			for (size_t j = 0; j < t->ncols; j++)
				if (strcasecmp(t->cols[j], cols[i].name) == 0 &&
				    cols[i].src == 1000)
					cols[i].src = (int)j;
		if (cols[i].src == 1000) {
			snprintf(lx.err, sizeof(lx.err), "Unknown column '%.60s' "
				 "in 'field list'", cols[i].name);
			goto fail;
		}
		cols[i].type = t->types[cols[i].src];
	}
	columns = json_array();
	for (size_t i = 0; i < ncols; i++) {
		if (cols[i].src == -2) {
			for (size_t j = 0; j < t->ncols; j++)
				json_array_append_new(columns, json_pack(
					"{s:s, s:s, s:b}", "col", t->cols[j],
					"dataType", t->types[j], "nullable", 1));
			continue;
		}
		json_array_append_new(columns, json_pack("{s:s, s:s, s:b}", "col",
			cols[i].name, "dataType", cols[i].type, "nullable",
			cols[i].is_null || cols[i].src >= 0));
	}
	rows = json_array();
	for (size_t r = 0; r < (t ? t->nrows : 1) && (long)out_rows < limit; r++) {
		json_t *items = json_object();

		if (t && wi >= 0 && strcmp(t->rows[r][wi], wval) != 0) {
			json_decref(items);
			continue;
		}
		for (size_t i = 0; i < ncols; i++) {
			if (cols[i].src == -2) {
				for (size_t j = 0; j < t->ncols; j++)
					json_object_set_new(items, t->cols[j],
						json_string(t->rows[r][j]));
			} else if (cols[i].src >= 0) {
				json_object_set_new(items, cols[i].name,
					json_string(t->rows[r][cols[i].src]));
			} else {
				json_object_set_new(items, cols[i].name,
					cols[i].is_null ? json_null() :
					json_string(cols[i].value));
			}
		}
		json_array_append_new(rows, json_pack("{s:o}", "items", items));
		out_rows++;
	}
	free(text);
	return result_data(columns, rows, 200, "OK", limit, (long)out_rows);
fail:
	free(text);
	return result_data(json_array(), json_array(), 400, lx.err, limit, 0);
}
