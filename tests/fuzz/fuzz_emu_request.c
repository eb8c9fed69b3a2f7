/* fuzz_emu_request — the emulator's request handling below HTTP
 * (tests/emulator): query parameters (params.c, the serverless filter
 * parser, page tokens), path matching, JSON bodies and every route handler,
 * on a freshly loaded default seed.
 * Input: "METHOD HOST PATH[?k=v&k=v]\n" + body. The query is served by
 * wrapping libmicrohttpd's two lookup functions (-Wl,--wrap). */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emu.h"
#include "model.h"
#include "modules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct emu_config emu_cfg = {
	.listen = "127.0.0.1:0", .transition_ms = 0, .rate_limit = 0,
	.rate_window_ms = 60000, .nonce_ttl_s = 300,
	.public_key = "FUZZPUBLIC", .private_key = "fuzz-private-key",
};

#define MAXQ 16
static struct { char *k, *v; } q[MAXQ];
static size_t nq;

const char *__wrap_MHD_lookup_connection_value(struct MHD_Connection *c,
					       enum MHD_ValueKind kind,
					       const char *key);
int __wrap_MHD_get_connection_values(struct MHD_Connection *c,
				     enum MHD_ValueKind kind,
				     MHD_KeyValueIterator it, void *cls);

const char *__wrap_MHD_lookup_connection_value(struct MHD_Connection *c,
					       enum MHD_ValueKind kind,
					       const char *key)
{
	(void)c;
	if (kind != MHD_GET_ARGUMENT_KIND)
		return NULL;
	for (size_t i = 0; i < nq; i++)
		if (strcmp(q[i].k, key) == 0)
			return q[i].v;
	return NULL;
}

int __wrap_MHD_get_connection_values(struct MHD_Connection *c,
				     enum MHD_ValueKind kind,
				     MHD_KeyValueIterator it, void *cls)
{
	int n = 0;

	(void)c;
	if (kind != MHD_GET_ARGUMENT_KIND)
		return 0;
	for (size_t i = 0; i < nq; i++, n++)
		if (it && it(cls, kind, q[i].k, q[i].v) != MHD_YES)
			break;
	return n;
}

static const struct emu_route *find(enum emu_family f, const char *method,
				    const char *path,
				    char ids[EMU_MAX_PATH_IDS][128])
{
	const struct emu_route *r;
	bool known = false;

	if ((r = emu_modules_route(f, method, path, ids, &known)))
		return r;
	r = f == EMU_FAM_V1BETA ? emu_routes_v1beta :
	    f == EMU_FAM_SERVERLESS ? emu_routes_serverless :
	    f == EMU_FAM_DEDICATED ? emu_routes_dedicated : NULL;
	for (; r && r->pattern; r++)
		if (emu_path_match(r->pattern, path, ids) &&
		    strcmp(r->method, method) == 0)
			return r;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *line, *method, *host, *path, *query, *body, *save = NULL;
	const char *nl;
	struct emu_request rq;
	struct emu_response rs = { 200, NULL };
	const struct emu_route *route;
	char err[256];
	size_t hlen;
	int fam;

	if (size > EMU_MAX_BODY + 4096 || !(nl = memchr(data, '\n', size)))
		return 0;
	hlen = (size_t)(nl - (const char *)data);
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	text[hlen] = '\0';
	line = text;
	body = text + hlen + 1;
	method = strtok_r(line, " ", &save);
	host = strtok_r(NULL, " ", &save);
	path = strtok_r(NULL, " ", &save);
	if (!method || !host || !path || (fam = emu_family_for_host(host)) < 0) {
		free(text);
		return 0;
	}
	query = strchr(path, '?');
	nq = 0;
	if (query) {
		*query++ = '\0';
		for (char *kv = strtok_r(query, "&", &save); kv && nq < MAXQ;
		     kv = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(kv, '=');
			q[nq].k = kv;
			q[nq].v = eq ? (*eq = '\0', eq + 1) : kv + strlen(kv);
			nq++;
		}
	}
	if (emu_model_load(NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_emu_request: the default seed: %s\n", err);
		abort();
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.host = host;
	rq.path = path;
	rq.query = "";
	rq.body = body;
	rq.body_len = size - hlen - 1;
	rq.family = (enum emu_family)fam;
	route = find(rq.family, method, path, rq.ids);
	if (route) {
		emu_model_lock();
		emu_model_advance();
		route->handler(&rq, &rs);
		/* A second request sees what the first one changed. */
		emu_model_advance();
		emu_model_unlock();
		if (rs.status < 100 || rs.status > 599)
			abort();
		char *out = rs.body ? json_dumps(rs.body, JSON_ENCODE_ANY) : NULL;
		free(out);
		json_decref(rs.body);
	}
	emu_model_free();
	free(text);
	return 0;
}
