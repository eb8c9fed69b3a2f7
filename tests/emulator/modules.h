/*
 * modules.h — route tables that family files register (modules.c).
 *
 * A family file (routes_backups.c, ...) defines one struct emu_module: its
 * route table and, optionally, the loader of its part of the seed, and
 * registers it with EMU_MODULE(var) — a constructor that runs before main,
 * so that adding a family touches no other emulator file. http.c asks
 * emu_modules_route() before its own tables; emu_model_load() calls
 * emu_modules_seed() after projects and clusters are loaded.
 *
 * Registration happens before any thread starts; afterwards the list is
 * only read.
 */
#ifndef EMU_MODULES_H
#define EMU_MODULES_H

#include <stdbool.h>
#include <stddef.h>

#include "emu.h"

struct emu_module {
	const char *name;                 /* "backups" (messages) */
	const struct emu_route *routes;   /* ends with pattern NULL */
	/* Load this family's part of the seed (the whole seed object is
	 * passed; read your own array). 0, or -1 with a message in err.
	 * Called with the model lock NOT held, before the server starts. */
	int (*seed)(json_t *seed, char *err, size_t errlen);
};

#define EMU_MAX_MODULES 32

/* Register m (static storage). Aborts when more than EMU_MAX_MODULES are
 * registered (a build-time mistake). */
void emu_module_register(const struct emu_module *m);

#define EMU_MODULE(var)                                                  \
	static void var##_register(void) __attribute__((constructor));   \
	static void var##_register(void) { emu_module_register(&(var)); }

/* The registered route for (family, method, path), ids filled; NULL when
 * none. *path_known is set when some route matches the path with another
 * method (405), and left alone otherwise. */
const struct emu_route *emu_modules_route(enum emu_family f, const char *method,
					  const char *path,
					  char ids[EMU_MAX_PATH_IDS][128],
					  bool *path_known);

/* Is key "METHOD FAMILY PATTERN" (as in the stats) a registered route? */
bool emu_modules_route_key_known(const char *key);

/* Every module's seed loader, in registration order. 0 / -1 (err). */
int emu_modules_seed(json_t *seed, char *err, size_t errlen);

#endif
