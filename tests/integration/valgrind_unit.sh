#!/bin/bash
# valgrind_unit.sh — every Criterion test program of the plain build
# ($TCFS_VALGRIND_BUILD, default build/: `make all tests`, no sanitizer)
# under valgrind --leak-check=full, with tests/valgrind.supp. Criterion runs
# each test in a forked worker: --trace-children=yes keeps valgrind in the
# workers, each process writes its own log (--log-file=%p), and a program
# passes when its tests pass and EVERY log is empty (valgrind -q writes
# only errors; leaks of kind definite, indirect and possible count). The
# exit status of valgrind alone is not enough: a worker's errors do not
# change the parent's status. The emulator started by some tests runs
# outside valgrind (--trace-children-skip).
# Valgrind costs about 2-3 s per test (each Criterion worker starts under
# it), so make check runs the programs of TCFS_VALGRIND_TESTS (default: the
# fast ones that cover fs/ and api/ without network waits);
# TCFS_VALGRIND_TESTS=all runs every program (about 15 minutes; then
# test_api_emulator's timing tests — timeouts of 400 ms — can fail under
# valgrind's slowdown, with no valgrind error).
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
build=${TCFS_VALGRIND_BUILD:-$REPO/build}
if ! command -v valgrind >/dev/null; then
	echo "1..0 # SKIP valgrind is not installed"; exit 77
fi
if ! ls "$build"/tests/test_* >/dev/null 2>&1; then
	echo "not ok 1 - $build/tests has the test programs (make all tests)"
	echo "0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
only=${TCFS_VALGRIND_TESTS:-test_fs_handles test_fs_path test_fs_cache test_api_paging test_api_profiles test_emu_store}
n=0 failed=0
unset ASAN_OPTIONS UBSAN_OPTIONS
for prog in "$build"/tests/test_*; do
	[ -x "$prog" ] || continue
	case "$prog" in *.o|*.d) continue ;; esac
	name=$(basename "$prog")
	if [ "$only" != all ] && ! grep -qw -- "$name" <<<"$only"; then
		continue
	fi
	n=$((n + 1))
	rm -rf "$tmp/$name"; mkdir -p "$tmp/$name"
	start=$SECONDS
	(cd "$REPO" && TCFS_BUILD_DIR=$build timeout 600 valgrind -q \
		--trace-children=yes --trace-children-skip='*/tidbcloud-emulator,*/curl' \
		--leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible \
		--suppressions="$REPO/tests/valgrind.supp" --num-callers=30 \
		--log-file="$tmp/$name/vg.%p" "$prog" --jobs 1) >"$tmp/$name.out" 2>&1
	rc=$?
	# -q: a log holds something only when valgrind found an error or leak.
	bad=$(find "$tmp/$name" -name 'vg.*' -size +0 2>/dev/null)
	synth=$(sed 's/\x1b\[[0-9;]*m//g' "$tmp/$name.out" | grep 'Synthesis:' | tail -1)
	nlogs=$(ls "$tmp/$name" | wc -l)
	if [ $rc -eq 0 ] && [ -z "$bad" ] && [ -n "$synth" ]; then
		echo "ok $n - $name under valgrind: $nlogs processes, 0 errors, 0 leaks ($((SECONDS - start))s)"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name under valgrind (exit $rc, $((SECONDS - start))s)"
		echo "#   $synth"
		sed 's/\x1b\[[0-9;]*m//g' "$tmp/$name.out" | grep -E '\[FAIL\]|: Assertion' |
			head -10 | sed 's/^/#   /'
		for f in $bad; do
			grep -E '^==[0-9]+== ' "$f" | head -60 | sed 's/^/#   /'
		done
	fi
done
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
