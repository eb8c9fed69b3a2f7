#!/bin/bash
# fuzz_replay.sh — replay every committed fuzz input (tests/fuzz/corpus/ and
# tests/fuzz/regressions/) through its harness, built with the normal
# compiler and the build dir's sanitizers ($TCFS_BUILD_DIR/fuzz-replay/,
# made by `make tests`; no libFuzzer needed). A sanitizer report or a crash
# fails the harness's row. Prints "N passed, N failed" for tests/run-all.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
build=${TCFS_BUILD_DIR:-$REPO/build}
case "$build" in /*) ;; *) build=$REPO/$build ;; esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
n=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for src in "$REPO"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	bin=$build/fuzz-replay/fuzz_$t
	n=$((n + 1))
	if [ ! -x "$bin" ]; then
		echo "not ok $n - $t: $bin was not built (make tests)"
		failed=$((failed + 1))
		continue
	fi
	dirs=()
	for d in corpus regressions; do
		[ -d "$REPO/tests/fuzz/$d/$t" ] && dirs+=("$REPO/tests/fuzz/$d/$t")
	done
	(cd "$REPO" && timeout 300 "$bin" "${dirs[@]}") >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && ! grep -qE 'Sanitizer|runtime error:' "$log"; then
		echo "ok $n - $t: $(tail -1 "$log")"
	else
		echo "not ok $n - $t: exit $rc"
		grep -vE '^tidbcloudfs: ' "$log" | tail -30 | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
