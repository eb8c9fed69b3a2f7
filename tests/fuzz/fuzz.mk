# tests/fuzz/fuzz.mk — libFuzzer harnesses (included by the Makefile).
#
#   make fuzz                 build every harness with clang into build/fuzz/
#                             and run each for FUZZ_SECONDS (default 60)
#   make fuzz FUZZ_TARGETS=api_digest FUZZ_SECONDS=600   one harness, longer
#   make fuzz-build           build only
#   make fuzz-replay          replay the committed corpus and regressions with
#                             the normal compiler (no libFuzzer needed); also
#                             built by `make tests` and run by `make check`
#                             (tests/integration/fuzz_replay.sh)
#
# A harness tests/fuzz/fuzz_<target>.c defines LLVMFuzzerTestOneInput. The
# emu_* harnesses link the emulator's objects, the others api/ and fs/.
# Seeds: tests/fuzz/corpus/<target>/; findings: tests/fuzz/regressions/<target>/.

FUZZ_CC      ?= clang
FUZZ_CXX     ?= clang++
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_ALL     := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_INC     := -Iinclude -Iapi -Ifs -Itests/emulator -Itests/fuzz
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -DTCFS_VERSION=\"$(VERSION)\" -O1 -g \
                $(WARN) $(FUZZ_INC) -MMD -MP $(FUZZ_SAN) \
                $(call pc_cflags,$(PKGS_API) $(PKGS_FS) $(PKGS_EMU))

FUZZ_LIB_O   = $(patsubst %,$(FUZZ_DIR)/obj/%.o,$(basename $(API_C) $(API_CXX) $(FS_C)))
FUZZ_EMU_O   = $(patsubst %,$(FUZZ_DIR)/obj/%.o,$(basename $(filter-out %/main.c,$(EMU_C))))
FUZZ_LIBS    = $(FS_LIBS) $(API_LIBS)
FUZZ_EMU_LIBS = $(call pc_libs,$(PKGS_EMU)) -lpthread
# fuzz_emu_request serves query parameters itself.
FUZZ_LDFLAGS_emu_request := -Wl,--wrap=MHD_lookup_connection_value \
                            -Wl,--wrap=MHD_get_connection_values

fuzz_objs = $(if $(filter emu_%,$(1)),$(FUZZ_EMU_O),$(FUZZ_LIB_O))
fuzz_libs = $(if $(filter emu_%,$(1)),$(FUZZ_EMU_LIBS),$(FUZZ_LIBS))

.PHONY: fuzz fuzz-build fuzz-replay
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
# toml++ header-only here, so that its parser is instrumented too; NDEBUG
# as in the packaged library (its debug asserts are not what we ship).
$(FUZZ_DIR)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) -std=c++17 -O1 -g $(FUZZ_INC) -MMD -MP $(FUZZ_SAN) \
		-fsanitize=fuzzer-no-link -DTOML_HEADER_ONLY=1 -DNDEBUG -c $< -o $@

.SECONDEXPANSION:
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $$(call fuzz_objs,$$*)
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ \
		$(FUZZ_LDFLAGS_$*) $(call fuzz_libs,$*)

fuzz-build:
	$(MAKE) $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))

fuzz: deps fuzz-build
	tests/fuzz/run $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The replay programs: each harness with tests/fuzz/replay_main.c, built
# like the tests (same compiler, flags and sanitizer as the build dir).
FUZZ_REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz-replay/fuzz_%,$(FUZZ_ALL))
REPLAY_CFLAGS = $(CFLAGS_ALL) $(FUZZ_INC) \
                $(call pc_cflags,$(PKGS_API) $(PKGS_FS) $(PKGS_EMU))
replay_objs = $(if $(filter emu_%,$(1)),$(filter-out %/main.o,$(EMU_O)),$(LIBFS) $(LIBAPI))
$(BUILD)/fuzz-replay/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REPLAY_CFLAGS) -c $< -o $@
$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/fuzz-replay/fuzz_%.o \
		$(BUILD)/fuzz-replay/replay_main.o $$(call replay_objs,$$*)
	$(CC) $(LDFLAGS) -o $@ $^ $(FUZZ_LDFLAGS_$*) $(call fuzz_libs,$*)

tests: $(FUZZ_REPLAY_BIN)

fuzz-replay: $(FUZZ_REPLAY_BIN)
	TCFS_BUILD_DIR=$(BUILD) bash tests/integration/fuzz_replay.sh

-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)
