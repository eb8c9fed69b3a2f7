#!/bin/bash
# valgrind_mount.sh — one mount session with the daemon of the plain build
# ($TCFS_VALGRIND_BUILD, default build/: `make all`) under valgrind
# --leak-check=full: ls, cat, sed -i of spec.json, a refused write, ctl,
# mkdir and rmdir of a cluster, .error, then unmount. Passes when valgrind
# exits 0 (--error-exitcode=1) and its log holds no error and no leak
# (definite, indirect, possible), with tests/valgrind.supp.
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export TCFS_BUILD_DIR=${TCFS_VALGRIND_BUILD:-$REPO/build}
. "$(dirname "$0")/lib.sh"
unset ASAN_OPTIONS UBSAN_OPTIONS

if ! command -v valgrind >/dev/null; then
	echo "1..0 # SKIP valgrind is not installed"; exit 77
fi
VGLOG=$TMPD/valgrind.log
start_emulator --transition-ms 200
MNT=$TMPD/mnt ORG=$MNT/default
mkdir -p "$MNT"
DAEMON_LOG=$TMPD/daemon-vg.log
HOME=$HOME_FOR_DAEMON TIDBCLOUD_PUBLIC_KEY=$TEST_PUBLIC_KEY TIDBCLOUD_PRIVATE_KEY=$TEST_PRIVATE_KEY \
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
	--num-callers=30 --suppressions="$REPO/tests/valgrind.supp" --log-file="$VGLOG" \
	"$DAEMON_BIN" -f -o "connect_to=127.0.0.1:$PORT,cacert=$CACERT,cache_timeout=1" \
	"$MNT" 2>"$DAEMON_LOG" &
DAEMON_PID=$!
if wait_for 60 test -d "$ORG/projects"; then
	_pass "the daemon mounted under valgrind"
else
	_fail "the daemon mounted under valgrind within 60 s" "$(tail -20 "$DAEMON_LOG")" "$(cat "$VGLOG")"
	finish
fi
export TCFS_CMD_TIMEOUT=60
P=$ORG/projects/production
C=$P/clusters/website
D=$P/clusters/orders-db
ok "ls projects" t ls "$ORG/projects"
ok "ls -l clusters" t ls -l "$P/clusters"
ok "cat cluster.json, state, id, ctl" t cat "$C/cluster.json" "$C/state" "$C/id" "$D/ctl"
ok "cat regions" t cat "$ORG/regions/serverless.json"
ok "sed -i spec.json (applied)" t sed -i 's/"monthly": [0-9]*/"monthly": 9/' "$C/spec.json"
printf 'not json' >"$TMPD/bad"
nok "a spec that is not JSON is refused" t cp "$TMPD/bad" "$D/spec.json"
ok ".error explains it" t grep -q . "$D/.error"
ok "spec.json.rejected keeps the text" t grep -q 'not json' "$D/spec.json.rejected"
echo pause >"$TMPD/verb"
ok "ctl pause" t cp "$TMPD/verb" "$D/ctl"
ok "mkdir clusters/vgtest" t mkdir "$P/clusters/vgtest"
ok "rmdir clusters/vgtest" t rmdir "$P/clusters/vgtest"
nok "rmdir of a project is refused" t rmdir "$P"
ok "a scratch file (editor temp) can be written and removed" \
	t sh -c "echo x > '$P/clusters/.tmp-vg' && rm '$P/clusters/.tmp-vg'"

# Unmount and let valgrind finish its leak check.
if is_mounted "$MNT"; then timeout 20 fusermount3 -u "$MNT" || fusermount3 -uz "$MNT"; fi
rc=""
for _ in $(seq 1 600); do
	kill -0 "$DAEMON_PID" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$DAEMON_PID" 2>/dev/null; then
	_fail "the daemon under valgrind exits within 60 s of the unmount"
	kill -KILL "$DAEMON_PID"
fi
wait "$DAEMON_PID"; rc=$?
DAEMON_PID=""
expect_eq "valgrind's exit status (--error-exitcode=1)" 0 "$rc"
ok "valgrind ran (its log file exists)" test -e "$VGLOG"
if [ -s "$VGLOG" ]; then
	_fail "valgrind reports no error and no leak" "$(head -150 "$VGLOG")"
else
	_pass "valgrind reports no error and no leak"
fi
MNT=""
finish
