/*
 * seed_default.c — the built-in default seed: tests/emulator/default-seed.json
 * embedded verbatim (plus a terminating NUL) at build time, so that the file
 * and the binary can never disagree. The path is relative to the directory
 * the compiler runs in (the repository root, where make runs).
 */
#include "seed.h"

__asm__(".pushsection .rodata\n"
	".global emu_default_seed\n"
	".type emu_default_seed, @object\n"
	".balign 16\n"
	"emu_default_seed:\n"
	".incbin \"tests/emulator/default-seed.json\"\n"
	".byte 0\n"
	".size emu_default_seed, . - emu_default_seed\n"
	".popsection\n");
