#!/bin/bash
# tests/integration/build_first_run.sh — the README's commands on a machine
# where the build packages are not installed yet (issue: "make demo" linked
# with empty flags on its first run because the Makefile ran pkg-config while
# it was parsed, before `deps` had installed anything).
#
# In a temporary copy of the tree, with stand-ins that the Makefile lets us
# name (INSTALL_DEPS, DEMO_SCRIPT, BENCH_SCRIPT) and pkg-config first on PATH:
#   - the pkg-config stand-in answers "not found" (and records a violation)
#     until the install-deps stand-in has run, then defers to pkg-config;
#   - one `make demo` must install, build both programs and start the demo;
#   - `make bench` and `make check` must not call pkg-config before
#     install-deps either;
#   - a user who is neither root nor has password-less sudo gets, as the
#     first lines of output, the exact apt-get line, and nothing is built.
# Prints "N passed, N failed" like the mount scripts.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0 n=0
ok()  { n=$((n + 1)); if "${@:2}"; then pass=$((pass + 1)); echo "ok $n - $1"; else fail=$((fail + 1)); echo "not ok $n - $1"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

# The copy's own `make check` runs this script again: never recurse.
[ -n "${TCFS_FIRST_RUN_TEST:-}" ] && { echo "build_first_run: nested run skipped"; exit 77; }
export TCFS_FIRST_RUN_TEST=1
command -v pkg-config >/dev/null || { echo "build_first_run: pkg-config missing"; exit 77; }
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/tcfs-firstrun.XXXXXX")
cleanup() {
	# A Makefile that ignores the stand-ins runs the real demo: undo it.
	local m
	for m in $(awk -v d="$TMPD" 'index($2, d) == 1 { print $2 }' /proc/mounts); do
		fusermount3 -uz "$m" 2>/dev/null
	done
	[ -f "$TMPD/tree/.demo/emulator.pid" ] && kill "$(cat "$TMPD/tree/.demo/emulator.pid")" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
chmod 755 "$TMPD"
TREE=$TMPD/tree STATE=$TMPD/state
mkdir -p "$TREE" "$STATE"
# The tree as a clone has it (no build output, no demo state).
tar -C "$REPO" --exclude=./build --exclude=./.git --exclude=./mnt \
	--exclude=./.demo -cf - . | tar -C "$TREE" -xf -

# The pkg-config stand-in is found first on PATH, as a fresh machine's
# pkg-config would be, so a Makefile that ignores $PKG_CONFIG meets it too.
REAL_PKG_CONFIG=$(command -v pkg-config)
mkdir -p "$STATE/bin"
cat >"$STATE/bin/pkg-config" <<EOF
#!/bin/sh
if [ ! -e "$STATE/installed" ]; then
	echo "pkg-config \$*" >>"$STATE/violations"
	echo "Package 'jansson' was not found in the pkg-config search path." >&2
	exit 1
fi
exec "$REAL_PKG_CONFIG" "\$@"
EOF
cat >"$STATE/install-deps" <<EOF
#!/bin/sh
touch "$STATE/installed"
EOF
cat >"$STATE/demo" <<EOF
#!/bin/sh
# The demo stand-in: the real one would start the emulator and mount.
[ "\$1" = start ] && [ -x build/tidbcloudfs ] && [ -x build/tidbcloud-emulator ] &&
	touch "$STATE/demo-started"
EOF
cat >"$STATE/bench" <<EOF
#!/bin/sh
[ -x "\$1/api-bench" ] && touch "$STATE/bench-ran"
EOF
chmod +x "$STATE"/* "$STATE"/bin/*
export PATH="$STATE/bin:$PATH"
STANDINS=(INSTALL_DEPS="$STATE/install-deps"
	DEMO_SCRIPT="$STATE/demo" BENCH_SCRIPT="$STATE/bench")

# 1. make demo, once, from nothing.
make -C "$TREE" -j2 "${STANDINS[@]}" demo >"$TMPD/demo.log" 2>&1
rc=$?
ok "make demo succeeds on its first run" test "$rc" -eq 0
ok "make demo built the daemon" test -x "$TREE/build/tidbcloudfs"
ok "make demo built the emulator" test -x "$TREE/build/tidbcloud-emulator"
ok "make demo started the demo" test -e "$STATE/demo-started"
ok "make demo called no pkg-config before install-deps" test ! -e "$STATE/violations"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMPD/demo.log" | tail -n 20

# 2. make bench: packages "removed" again, the programs already built.
rm -f "$STATE/installed" "$STATE/violations"
make -C "$TREE" -j2 "${STANDINS[@]}" bench >"$TMPD/bench.log" 2>&1
ok "make bench succeeds on its first run" test $? -eq 0
ok "make bench built api-bench and ran the benchmark" test -e "$STATE/bench-ran"
ok "make bench called no pkg-config before install-deps" test ! -e "$STATE/violations"

# 3. make check: parsing it computes no flags (install-deps refuses here, so
#    nothing after it may run).
rm -f "$STATE/installed" "$STATE/violations"
timeout 120 make -C "$TREE" "${STANDINS[@]}" INSTALL_DEPS=false check >"$TMPD/check.log" 2>&1
ok "make check stops when install-deps fails" test $? -ne 0
ok "make check called no pkg-config before install-deps" test ! -e "$STATE/violations"

# 4. Neither root nor sudo: the exact apt-get line first, nothing built.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	rm -rf "$TREE/build"
	chmod -R a+rwX "$TREE"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		env HOME="$TMPD" PATH="$PATH" TCFS_EXTRA_PKGS=tcfs-no-such-package \
		make -C "$TREE" --no-print-directory demo >"$TMPD/user.log" 2>&1
	rc=$?
	ok "without root or sudo, make demo stops" test "$rc" -ne 0
	ok "it prints the exact apt-get line" \
		grep -qx '    apt-get install -y --no-install-recommends tcfs-no-such-package' "$TMPD/user.log"
	# Only install-deps speaks before make's own "Error" line.
	first_other=$(grep -v '^install-deps:\|^$\|^    apt-get install' "$TMPD/user.log" | head -n 1)
	ok "nothing above it looks like a build failure" \
		sh -c "case '$first_other' in make*'deps] Error 1'|'') exit 0;; *) exit 1;; esac"
	ok "nothing was built" test ! -e "$TREE/build"
	[ "$fail" -eq 0 ] || sed 's/^/# /' "$TMPD/user.log"
else
	echo "# skipped the non-root case (needs root and setpriv to become nobody)"
fi
finish
