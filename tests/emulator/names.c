/* names.c — the API's published name constraints, as the real hosts
 * enforce them on create and update (emu.h). The emulator does not link
 * fs/: this is its own copy of the rules (shared/tidbcloud-api/specs). */
#include "emu.h"

#include <string.h>

static bool alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* serverless and dedicated v1beta1 Cluster.displayName:
 * ^[A-Za-z0-9][-A-Za-z0-9]{2,62}[A-Za-z0-9]$ */
bool emu_cluster_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 4 || n > 64 || !alnum((unsigned char)s[0]) ||
	    !alnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!alnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* v1beta CreateProjectReq.name: no published pattern; 1 to 64 characters
 * of UTF-8 text without control characters (C0, DEL, C1). */
bool emu_project_name_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	if (!s || !*s)
		return false;
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return false;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return false;
		if ((*p & 0xC0) != 0x80)
			chars++;
	}
	return chars <= 64;
}
