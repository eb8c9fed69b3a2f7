/* seed.h — the built-in default seed (seed_default.c). */
#ifndef EMU_SEED_H
#define EMU_SEED_H

/* The text of tests/emulator/default-seed.json, NUL-terminated. */
extern const char emu_default_seed[];

#endif
