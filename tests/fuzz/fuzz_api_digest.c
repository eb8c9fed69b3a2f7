/* fuzz_api_digest — a WWW-Authenticate value (api/digest.c): parsed, and
 * when usable, the Authorization header built from it and the shared
 * state updated with it. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tc_digest_challenge ch;
	struct tc_digest_state st;
	char *hdr = fuzz_strndup((const char *)data, size);
	char out[2048], used[256] = "", resp[33];
	int fetcher = 0;

	if (!hdr)
		return 0;
	memset(&ch, 0x5a, sizeof(ch));
	if (tc_digest_parse(hdr, &ch) == 0) {
		if (!memchr(ch.realm, 0, sizeof(ch.realm)) ||
		    !memchr(ch.nonce, 0, sizeof(ch.nonce)) ||
		    !memchr(ch.opaque, 0, sizeof(ch.opaque)) ||
		    !memchr(ch.algorithm, 0, sizeof(ch.algorithm)))
			abort();
		tc_digest_response(&ch, "PUB", "priv", "GET", "/v1beta1/x",
				   "00000001", "0123456789abcdef", resp);
		(void)tc_digest_header(&ch, "PUB", "priv", "GET",
				       "/v1beta1/clusters?x=\"y\"", 1,
				       "0123456789abcdef", out, sizeof(out));
		(void)tc_digest_header(&ch, "PUB", "priv", "GET", "/", 2,
				       "abc", out, 64);
		tc_digest_state_init(&st);
		(void)tc_digest_update(&st, &ch, NULL);
		if (tc_digest_authorize(&st, "PUB", "priv", "POST", "/a", out,
					sizeof(out), used, &fetcher) == 1)
			(void)tc_digest_update(&st, &ch, used);
		tc_digest_state_destroy(&st);
	}
	free(hdr);
	return 0;
}
