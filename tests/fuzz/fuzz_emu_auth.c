/* fuzz_emu_auth — the emulator's Authorization header check
 * (tests/emulator/auth.c). Input: "METHOD PATH\n" + header value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emu.h"
#include "auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct emu_config emu_cfg = {
	.nonce_ttl_s = 300,
	.public_key = "FUZZPUBLIC", .private_key = "fuzz-private-key",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;
	char *text = malloc(size + 1), *hdr, *sp;
	char ch[512];
	const char *method = "GET", *path = "/v1beta1/clusters";

	if (!inited) {
		emu_auth_init();
		inited = 1;
	}
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	hdr = text;
	char *nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		hdr = nl + 1;
		if ((sp = strchr(text, ' '))) {
			*sp = '\0';
			method = text;
			path = sp + 1;
		}
	}
	(void)emu_auth_check(size ? hdr : NULL, method, path);
	emu_auth_challenge(ch, sizeof(ch), size & 1);
	free(text);
	return 0;
}
