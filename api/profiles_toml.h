/*
 * profiles_toml.h — the C interface of the TOML shim (profiles_toml.cc,
 * C++17 on toml++). Kept apart from tc_internal.h so that the C++ file does
 * not see C-only headers.
 */
#ifndef TC_PROFILES_TOML_H
#define TC_PROFILES_TOML_H

#include <stddef.h>
#include "tidbcloud.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parse the text of a ticloud config.toml into `out` (every string malloc'd,
 * released by tc_profiles_release). Profiles lacking either key are skipped.
 * Returns 0, or -1 with a message in errbuf (line and column only: it never
 * quotes the file, which holds private keys). */
int tc_profiles_parse_toml(const char *text, size_t len,
			   struct tc_profile_list *out,
			   char *errbuf, size_t errsize);

#ifdef __cplusplus
}
#endif
#endif
