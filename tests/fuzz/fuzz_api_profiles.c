/* fuzz_api_profiles — the text of a ticloud config.toml (api/profiles.c,
 * api/profiles_toml.cc). The error message must never quote the file. */
#include "fuzz_util.h"
#include "profiles_toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tc_profile_list list;
	char errbuf[256];
	char *text = fuzz_strndup((const char *)data, size);

	if (!text)
		return 0;
	memset(&list, 0, sizeof(list));
	errbuf[0] = '\0';
	if (tc_profiles_parse_toml(text, size, &list, errbuf, sizeof(errbuf)) == 0) {
		for (size_t i = 0; i < list.count; i++)
			if (!list.items[i].name || !list.items[i].public_key ||
			    !list.items[i].private_key)
				abort();
	} else if (!memchr(errbuf, '\0', sizeof(errbuf))) {
		abort();
	}
	tc_profiles_release(&list);
	free(text);
	return 0;
}
