/* params.c — query parameters and page tokens (emu.h). */
#include "emu.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int emu_query_long(const struct emu_request *rq, struct emu_response *rs,
		   const char *key, long def, long *out)
{
	const char *v = emu_query(rq, key);
	char *end;
	long n;

	*out = def;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "invalid %s: \"%s\" is not a non-negative integer",
			  key, v);
		return -1;
	}
	*out = n;
	return 0;
}

struct values_ctx {
	const char *key;
	json_t *arr;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	struct values_ctx *vc = cls;
	size_t klen = strlen(vc->key);

	/* "clusterIds" and grpc-gateway's "clusterIds[]" alike. */
	if (!value || strncmp(key, vc->key, klen) != 0 ||
	    (key[klen] != '\0' && strcmp(key + klen, "[]") != 0))
		return MHD_YES;
	const char *p = value;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n > 0)
			json_array_append_new(vc->arr, json_stringn(p, n));
		p += n;
		if (*p == ',')
			p++;
	}
	return MHD_YES;
}

json_t *emu_query_values(const struct emu_request *rq, const char *key)
{
	struct values_ctx vc = { key, json_array() };
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, collect, &vc);
	return vc.arr;
}

/* Tokens look like "b2Zmc2V0..."-style opaque strings: hex of "offset:N". */
void emu_page_token(char out[48], size_t offset)
{
	static const char hex[] = "0123456789abcdef";
	char plain[24];
	int n = snprintf(plain, sizeof(plain), "offset:%zu", offset);

	for (int i = 0; i < n && 2 * i + 2 < 48; i++) {
		out[2 * i] = hex[(unsigned char)plain[i] >> 4];
		out[2 * i + 1] = hex[(unsigned char)plain[i] & 15];
		out[2 * i + 2] = '\0';
	}
}

int emu_page_token_parse(const char *token, size_t *offset)
{
	char plain[24];
	size_t len = strlen(token);
	char *end;

	if (len == 0 || len % 2 || len / 2 >= sizeof(plain))
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		char h[3] = { token[2 * i], token[2 * i + 1], 0 };
		long c = strtol(h, &end, 16);
		if (*end)
			return -1;
		plain[i] = (char)c;
	}
	plain[len / 2] = '\0';
	if (strncmp(plain, "offset:", 7) != 0 || !plain[7])
		return -1;
	errno = 0;
	unsigned long long v = strtoull(plain + 7, &end, 10);
	if (errno || *end)
		return -1;
	*offset = (size_t)v;
	return 0;
}
