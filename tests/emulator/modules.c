/* modules.c — the registered family route tables (modules.h). */
#include "modules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Written only by constructors, before main; read-only afterwards. */
static const struct emu_module *modules[EMU_MAX_MODULES];
static size_t nmodules;

void emu_module_register(const struct emu_module *m)
{
	if (nmodules == EMU_MAX_MODULES) {
		fprintf(stderr, "tidbcloud-emulator: more than %d route modules\n",
			EMU_MAX_MODULES);
		abort();
	}
	modules[nmodules++] = m;
}

const struct emu_route *emu_modules_route(enum emu_family f, const char *method,
					  const char *path,
					  char ids[EMU_MAX_PATH_IDS][128],
					  bool *path_known)
{
	for (size_t i = 0; i < nmodules; i++) {
		for (const struct emu_route *r = modules[i]->routes;
		     r && r->pattern; r++) {
			if (r->family != f || !emu_path_match(r->pattern, path, ids))
				continue;
			if (strcmp(r->method, method) == 0)
				return r;
			*path_known = true;
		}
	}
	return NULL;
}

int emu_modules_seed(json_t *seed, char *err, size_t errlen)
{
	for (size_t i = 0; i < nmodules; i++)
		if (modules[i]->seed && modules[i]->seed(seed, err, errlen) != 0)
			return -1;
	return 0;
}

bool emu_modules_route_key_known(const char *key)
{
	char k[256];

	for (size_t i = 0; i < nmodules; i++)
		for (const struct emu_route *r = modules[i]->routes;
		     r && r->pattern; r++) {
			snprintf(k, sizeof(k), "%s %s %s", r->method,
				 emu_family_name(r->family), r->pattern);
			if (strcmp(k, key) == 0)
				return true;
		}
	return false;
}
