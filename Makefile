# tidbcloudfs — build, test, demo and benchmark.
#
#   make               build/tidbcloudfs, build/tidbcloud-emulator
#   make check         every unit and integration test (ASan/UBSan build),
#                      then the mount tests again under ThreadSanitizer
#   make demo          build, start the emulator, mount it at ./mnt, show a tour
#   make demo-stop     unmount and stop the demo emulator
#   make bench         the benchmark (figures for the issue notes)
#   make SANITIZE=address,undefined   a sanitizer build (in its own build dir)
#   make WERROR=1      warnings are errors (CI)
#   make install       the daemon, the emulator, man pages, bash completion,
#                      systemd units, the mount.fuse helper (PREFIX, DESTDIR,
#                      BINDIR, MANDIR, ... below); make uninstall removes them
#   make fuzz          libFuzzer harnesses, FUZZ_SECONDS each (tests/fuzz/)
#
# Layout: api/ → build/libtidbcloud.a, fs/ → build/tidbcloudfs,
# tests/emulator/ → build/tidbcloud-emulator, tests/**/test_*.c → build/tests/.

VERSION    := 0.1.0
PKGS_API   := libcurl jansson tomlplusplus
PKGS_FS    := fuse3
PKGS_EMU   := libmicrohttpd jansson gnutls
PKGS_TEST  := criterion

CC        ?= cc
CXX       ?= c++
SANITIZE  ?=
WERROR    ?=

ifeq ($(SANITIZE),)
BUILD     ?= build
else
BUILD     ?= build/san-$(subst $(comma),-,$(SANITIZE))
endif
comma := ,

WARN      := -Wall -Wextra -Wshadow -Wformat=2 -Wpointer-arith -Wcast-qual \
             -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wundef \
             -Wno-unused-parameter
ifneq ($(WERROR),)
WARN      += -Werror
endif
OPT       ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -DTCFS_VERSION=\"$(VERSION)\" $(OPT) $(WARN) \
             -Iinclude -MMD -MP $(CFLAGS)
CXXFLAGS_ALL = -std=c++17 $(OPT) -Wall -Wextra -Iinclude -MMD -MP $(CXXFLAGS)
ifneq ($(SANITIZE),)
CFLAGS_ALL   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
CXXFLAGS_ALL += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
LDFLAGS      += -fsanitize=$(SANITIZE)
endif

# pkg-config runs only when a recipe needs the flags (recursive variables,
# never `:=`): the targets that install packages (demo, check, bench) run
# $(INSTALL_DEPS) first and build in a sub-make, so a first run on a fresh
# machine never computes flags before the libraries are there.
PKG_CONFIG   ?= pkg-config
INSTALL_DEPS ?= scripts/install-deps
DEMO_SCRIPT  ?= scripts/demo
BENCH_SCRIPT ?= bench/run
pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pc_libs   = $(shell $(PKG_CONFIG) --libs $(1))

API_C    := $(wildcard api/*.c)
API_CXX  := $(wildcard api/*.cc)
FS_C     := $(filter-out fs/main.c,$(wildcard fs/*.c))
EMU_C    := $(wildcard tests/emulator/*.c)
SUPPORT_C:= $(wildcard tests/support/*.c)
TEST_C   := $(wildcard tests/unit/test_*.c tests/integration/test_*.c)

API_O    := $(API_C:%.c=$(BUILD)/%.o) $(API_CXX:%.cc=$(BUILD)/%.o)
FS_O     := $(FS_C:%.c=$(BUILD)/%.o)
EMU_O    := $(EMU_C:%.c=$(BUILD)/%.o)
SUPPORT_O:= $(SUPPORT_C:%.c=$(BUILD)/%.o)
TEST_BIN := $(patsubst %.c,$(BUILD)/tests/%,$(notdir $(TEST_C)))

LIBAPI   := $(BUILD)/libtidbcloud.a
LIBFS    := $(BUILD)/libtcfs.a
DAEMON   := $(BUILD)/tidbcloudfs
EMULATOR := $(BUILD)/tidbcloud-emulator

API_LIBS  = $(call pc_libs,$(PKGS_API)) -lstdc++ -lpthread
FS_LIBS   = $(call pc_libs,$(PKGS_FS))

# Installation (GNU conventions; DESTDIR needs no root).
PREFIX          ?= /usr/local
EXEC_PREFIX     ?= $(PREFIX)
BINDIR          ?= $(EXEC_PREFIX)/bin
DATADIR         ?= $(PREFIX)/share
MANDIR          ?= $(DATADIR)/man
BASHCOMPDIR     ?= $(DATADIR)/bash-completion/completions
SYSTEMDUNITDIR  ?= $(PREFIX)/lib/systemd/system
SYSTEMDUSERDIR  ?= $(PREFIX)/lib/systemd/user
# mount(8) looks for mount.fuse.TYPE in /sbin only: the helper goes there
# (a link to mount.fuse3, which runs `tidbcloudfs SOURCE MOUNTPOINT -o ...`).
MOUNTHELPERDIR  ?= /sbin
MOUNT_FUSE3     ?= /sbin/mount.fuse3
INSTALL         ?= install
INSTALL_FILES    = $(BINDIR)/tidbcloudfs $(BINDIR)/tidbcloud-emulator \
                   $(MANDIR)/man1/tidbcloudfs.1 $(MANDIR)/man1/tidbcloud-emulator.1 \
                   $(BASHCOMPDIR)/tidbcloudfs \
                   $(SYSTEMDUNITDIR)/tidbcloudfs@.service \
                   $(SYSTEMDUSERDIR)/tidbcloudfs.service \
                   $(MOUNTHELPERDIR)/mount.fuse.tidbcloudfs

.SECONDARY:
.PHONY: install uninstall
.PHONY: all check unit integration demo demo-stop bench clean deps install-deps man-check
all: $(DAEMON) $(EMULATOR)

$(BUILD)/api/%.o: api/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(call pc_cflags,$(PKGS_API)) -c $< -o $@
$(BUILD)/api/%.o: api/%.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) $(call pc_cflags,tomlplusplus) -c $< -o $@
$(BUILD)/fs/%.o: fs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(call pc_cflags,$(PKGS_FS) jansson) -c $< -o $@
$(BUILD)/tests/emulator/%.o: tests/emulator/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(call pc_cflags,$(PKGS_EMU)) -c $< -o $@
$(BUILD)/tests/support/%.o: tests/support/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(call pc_cflags,jansson libcurl) -c $< -o $@

$(LIBAPI): $(API_O)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBFS): $(FS_O)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(DAEMON): $(BUILD)/fs/main.o $(LIBFS) $(LIBAPI)
	$(CC) $(LDFLAGS) -o $@ $^ $(FS_LIBS) $(API_LIBS)

# seed_default.c embeds tests/emulator/default-seed.json with .incbin.
$(BUILD)/tests/emulator/seed_default.o: tests/emulator/default-seed.json

$(EMULATOR): $(EMU_O)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_EMU)) -lpthread

# Every test program links the libraries and the test support code.
$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Ifs -Iapi -Itests/support $(call pc_cflags,$(PKGS_TEST) $(PKGS_API) $(PKGS_FS)) -c $< -o $@
$(BUILD)/tests/%.o: tests/integration/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Ifs -Iapi -Itests/support $(call pc_cflags,$(PKGS_TEST) $(PKGS_API) $(PKGS_FS)) -c $< -o $@
$(BUILD)/tests/%: $(BUILD)/tests/%.o $(SUPPORT_O) $(LIBFS) $(LIBAPI)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_TEST)) $(FS_LIBS) $(API_LIBS)

tests: $(TEST_BIN) $(BUILD)/bench-seed

# The client library's benchmark (bench/api_bench.c): figures against the
# emulator. Run: $(BUILD)/api-bench $(BUILD)
$(BUILD)/api-bench: bench/api_bench.c $(SUPPORT_O) $(LIBAPI)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Iapi -Itests/support $(call pc_cflags,$(PKGS_API)) $(LDFLAGS) -o $@ $^ $(API_LIBS)

# The benchmark's seeder (bench/seed.c): fills an emulator through the API.
$(BUILD)/bench-seed: bench/seed.c $(LIBAPI)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Iapi $(call pc_cflags,$(PKGS_API)) $(LDFLAGS) -o $@ $^ $(API_LIBS) -lpthread

bench-seed: $(BUILD)/bench-seed
.PHONY: bench-seed

# make check: a sanitizer build of everything, then every test program and
# every integration script; tests/run-all prints "N passed, N failed".
CHECK_SANITIZE ?= address,undefined
# The mount scripts then run again against a ThreadSanitizer build.
# The valgrind scripts (tests/integration/valgrind_*.sh) use the plain build.
# The three builds use every core (make check is usually called without -j).
CHECK_JOBS ?= -j$(shell nproc 2>/dev/null || echo 2)
check: deps
	$(MAKE) $(CHECK_JOBS) SANITIZE=$(CHECK_SANITIZE) all tests
	$(MAKE) $(CHECK_JOBS) SANITIZE=thread all bench-seed
	$(MAKE) $(CHECK_JOBS) all tests
	tests/run-all $(BUILD)/san-$(subst $(comma),-,$(CHECK_SANITIZE)) all $(BUILD)/san-thread

unit:
	$(MAKE) all tests
	tests/run-all $(BUILD) unit

integration:
	$(MAKE) all tests
	tests/run-all $(BUILD) integration

demo: deps
	$(MAKE) all
	$(DEMO_SCRIPT) start

demo-stop:
	scripts/demo stop

bench: deps
	$(MAKE) all $(BUILD)/api-bench $(BUILD)/bench-seed
	$(BENCH_SCRIPT) $(BUILD)

deps:
	@$(INSTALL_DEPS)

man-check:
	man -l --warnings -E UTF-8 man/tidbcloudfs.1 >/dev/null
	man -l --warnings -E UTF-8 man/tidbcloud-emulator.1 >/dev/null
	bash tests/integration/docs_man.sh

# Installs the programs `make` built as they are (never relinks them, so
# `sudo make install` after `make`, or a named build such as
# DAEMON=build/san-thread/tidbcloudfs, installs exactly that file); only a
# program that does not exist yet is built first.
INSTALL_MISSING = $(filter-out $(wildcard $(DAEMON) $(EMULATOR)),$(DAEMON) $(EMULATOR))
install: | $(INSTALL_MISSING)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(SYSTEMDUSERDIR) $(DESTDIR)$(MOUNTHELPERDIR)
	$(INSTALL) -m 0755 $(DAEMON) $(EMULATOR) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0644 man/tidbcloudfs.1 man/tidbcloud-emulator.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 contrib/bash-completion/tidbcloudfs $(DESTDIR)$(BASHCOMPDIR)/tidbcloudfs
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/systemd/tidbcloudfs@.service.in \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/tidbcloudfs@.service
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/systemd/tidbcloudfs.user.service.in \
		>$(DESTDIR)$(SYSTEMDUSERDIR)/tidbcloudfs.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/tidbcloudfs@.service \
		$(DESTDIR)$(SYSTEMDUSERDIR)/tidbcloudfs.service
	ln -sf $(MOUNT_FUSE3) $(DESTDIR)$(MOUNTHELPERDIR)/mount.fuse.tidbcloudfs

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALL_FILES))

clean:
	rm -rf build

# Fuzzing: make fuzz, make fuzz-replay (tests/fuzz/fuzz.mk).
include tests/fuzz/fuzz.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
