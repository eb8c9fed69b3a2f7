#!/bin/bash
# Mounting, the command line, credentials and unmounting.
. "$(dirname "$0")/lib.sh"

start_emulator

# --- command line
ok "--version exits 0" "$DAEMON_BIN" --version
case "$_OUT" in
*0.1.0*|*[0-9].[0-9]*) _pass "--version prints a version ($(echo "$_OUT" | head -1))" ;;
*) _fail "--version prints a version" "$_OUT" ;;
esac
ok "--help exits 0" "$DAEMON_BIN" --help
case "$_OUT" in
*[Uu]sage*) _pass "--help prints a usage line" ;;
*) _fail "--help prints a usage line" "$_OUT" ;;
esac
case "$_OUT" in
*connect_to*) _pass "--help documents connect_to" ;;
*) _fail "--help documents connect_to" "$_OUT" ;;
esac

# run_daemon_fg LOG ENV... -- ARGS: the daemon in the foreground, expected to
# exit by itself; status in $RC.
run_daemon_fg() {
	local log=$1; shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env -u TIDBCLOUD_PUBLIC_KEY -u TIDBCLOUD_PRIVATE_KEY HOME="$HOME_FOR_DAEMON" \
		"${envs[@]}" timeout -k 5 30 "$DAEMON_BIN" -f "$@" 2>"$log" >>"$log"
	RC=$?
}

mkdir -p "$TMPD/m2"
o="connect_to=127.0.0.1:$PORT,cacert=$CACERT"

# --- missing credentials: exit 1 before mounting, clear message
run_daemon_fg "$TMPD/nocreds.log" -- -o "$o" "$TMPD/m2"
expect_eq "missing credentials: daemon exits with status 1" 1 "$RC"
if grep -qiE 'credential|TIDBCLOUD_PUBLIC_KEY|api key|public.key' "$TMPD/nocreds.log"; then
	_pass "missing credentials: message names the credentials"
else
	_fail "missing credentials: message names the credentials" "$(cat "$TMPD/nocreds.log")"
fi
if is_mounted "$TMPD/m2"; then
	_fail "missing credentials: nothing mounted"; fusermount3 -uz "$TMPD/m2"
else
	_pass "missing credentials: nothing mounted"
fi
_check_log "daemon (missing credentials)" "$TMPD/nocreds.log" && _pass "missing credentials: no sanitizer report"

# --- wrong credentials: non-zero, message about authentication
run_daemon_fg "$TMPD/badcreds.log" TIDBCLOUD_PUBLIC_KEY=TESTPUBLICKEY1 \
	TIDBCLOUD_PRIVATE_KEY=wrong-private-key -- -o "$o" "$TMPD/m2"
if [ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && [ "$RC" -ne 137 ]; then
	_pass "wrong credentials: daemon exits non-zero ($RC)"
else
	_fail "wrong credentials: daemon exits non-zero by itself" "status $RC" "$(tail -20 "$TMPD/badcreds.log")"
fi
if grep -qiE 'authenticat|unauthori|401' "$TMPD/badcreds.log"; then
	_pass "wrong credentials: message mentions authentication"
else
	_fail "wrong credentials: message mentions authentication" "$(tail -20 "$TMPD/badcreds.log")"
fi
if grep -q 'wrong-private-key' "$TMPD/badcreds.log"; then
	_fail "wrong credentials: the private key is not logged"
else
	_pass "wrong credentials: the private key is not logged"
fi
if is_mounted "$TMPD/m2"; then
	_fail "wrong credentials: nothing left mounted"; fusermount3 -uz "$TMPD/m2"
else
	_pass "wrong credentials: nothing left mounted"
fi
_check_log "daemon (wrong credentials)" "$TMPD/badcreds.log" && _pass "wrong credentials: no sanitizer report"

# --- unreachable API: connect_to a closed port
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
run_daemon_fg "$TMPD/unreach.log" TIDBCLOUD_PUBLIC_KEY=$TEST_PUBLIC_KEY \
	TIDBCLOUD_PRIVATE_KEY=$TEST_PRIVATE_KEY -- \
	-o "connect_to=127.0.0.1:$closed,cacert=$CACERT" "$TMPD/m2"
if [ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && [ "$RC" -ne 137 ]; then
	_pass "unreachable API: daemon exits non-zero ($RC) within 30 s"
else
	_fail "unreachable API: daemon exits non-zero by itself within 30 s" "status $RC" "$(tail -20 "$TMPD/unreach.log")"
fi
if grep -qiE 'connect|unreachable|refused|route to host' "$TMPD/unreach.log"; then
	_pass "unreachable API: message says it cannot connect"
else
	_fail "unreachable API: message says it cannot connect" "$(tail -20 "$TMPD/unreach.log")"
fi
if is_mounted "$TMPD/m2"; then
	_fail "unreachable API: nothing left mounted"; fusermount3 -uz "$TMPD/m2"
else
	_pass "unreachable API: nothing left mounted"
fi
_check_log "daemon (unreachable)" "$TMPD/unreach.log" && _pass "unreachable API: no sanitizer report"

# --- malformed option values are refused before mounting, no request
emu_reset
for bad in "cache_timeout=" "cache_timeout=abc" "cache_timeout=-1" "cache_timeout=1e9" \
	"connect_to=" "connect_to=127.0.0.1" "connect_to=127.0.0.1:0" "connect_to=127.0.0.1:x" \
	"cacert=" "profile=" "config=" "default_region=" "default_region=mars-1" \
	"default_region=$(printf 'aws-\033[2J')"; do
	opt=$bad
	case "$bad" in connect_to=*) ;; *) opt="connect_to=127.0.0.1:$PORT,cacert=$CACERT,$bad" ;; esac
	shown=$(printf '%s' "$bad" | od -An -c | tr -s ' \n' '  ' | head -c 40)
	run_daemon_fg "$TMPD/badopt.log" TIDBCLOUD_PUBLIC_KEY=$TEST_PUBLIC_KEY \
		TIDBCLOUD_PRIVATE_KEY=$TEST_PRIVATE_KEY -- -o "$opt" "$TMPD/m2"
	if [ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && ! is_mounted "$TMPD/m2" &&
	   grep -qE "${bad%%=*}" "$TMPD/badopt.log"; then
		_pass "-o [$shown] refused with a message naming the option"
	else
		_fail "-o [$shown] refused with a message naming the option" "status $RC" "$(cat "$TMPD/badopt.log")"
		is_mounted "$TMPD/m2" && fusermount3 -uz "$TMPD/m2"
	fi
done
expect_eq "malformed options: no request reached the API" 0 "$(emu_stat requests)"

# --- a good mount
emu_reset
mount_fs
ok "mount lists the mountpoint" grep -q " $MNT " /proc/self/mounts
line=$(grep " $MNT " /proc/self/mounts)
case "$line" in
*tidbcloudfs*) _pass "mount shows it as tidbcloudfs ($line)" ;;
*) _fail "mount shows it as tidbcloudfs" "$line" ;;
esac
ok "mount(8) output has the mountpoint" sh -c "mount | grep -F ' $MNT ' | grep -q tidbcloudfs"
ok "df works on the mount" sh -c "df -P '$MNT' | grep -qF '$MNT'"
ok "ls of the mount works" ls "$MNT"
expect_eq "ls of the mount shows exactly: default" "default" "$(t ls "$MNT")"
ok "stat of the mount root is a directory" test -d "$MNT"
ok "organization.json is valid JSON" json_valid "$ORG/organization.json"
ok "organization.json has the org id $ORG_ID" sh -c "jq -e '[.. | strings] | index(\"$ORG_ID\") != null' '$ORG/organization.json'"
ok "organization.json does not contain the private key" sh -c "! grep -q '$TEST_PRIVATE_KEY' '$ORG/organization.json'"
ok "ls of the org directory lists projects and organization.json" sh -c "ls '$ORG' | grep -qx projects && ls '$ORG' | grep -qx organization.json"
ok "ls of the org directory lists regions" sh -c "ls '$ORG' | grep -qx regions"
expect_fail_errno "a missing name in the root is ENOENT" ENOENT stat "$MNT/nosuchorg"
expect_fail_errno "a missing name in the org is ENOENT" ENOENT stat "$ORG/nosuchthing"
expect_fail_errno "creating a file in the root is refused" "EPERM|EACCES|EROFS|ENOSYS" touch "$MNT/newfile"
ok "the daemon's log does not contain the private key" sh -c "! grep -q '$TEST_PRIVATE_KEY' '$DAEMON_LOG'"
ok "the daemon's command line does not carry the key" sh -c "! tr '\\0' ' ' </proc/$DAEMON_PID/cmdline | grep -q '$TEST_PRIVATE_KEY'"

# --- SIGTERM unmounts cleanly
pid=$DAEMON_PID log=$DAEMON_LOG
kill -TERM "$pid"
end=$(( $(date +%s) + 10 ))
while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt $end ]; do sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then
	_fail "SIGTERM: the daemon exits within 10 s"
	kill -KILL "$pid"
else
	_pass "SIGTERM: the daemon exits within 10 s"
fi
wait "$pid"; st=$?
expect_eq "SIGTERM: exit status 0" 0 "$st"
if is_mounted "$MNT"; then
	_fail "SIGTERM: the mount is gone"; fusermount3 -uz "$MNT"
else
	_pass "SIGTERM: the mount is gone"
fi
_check_log "daemon (SIGTERM)" "$log" && _pass "SIGTERM: no sanitizer report"
DAEMON_PID=""; MNT=""

# --- mount again, then fusermount3 -u
mount_fs
ok "remount after SIGTERM works" test -f "$ORG/organization.json"
if unmount_fs; then
	_pass "fusermount3 -u: clean unmount, daemon exit status 0"
else
	_fail "fusermount3 -u: clean unmount"
fi
if is_mounted "$MNT_WAS"; then _fail "fusermount3 -u: nothing mounted afterwards"; else
	_pass "fusermount3 -u: nothing mounted afterwards"; fi

# --- two mounts side by side
MNT_DIR=$TMPD/mA mount_fs
a_pid=$DAEMON_PID a_log=$DAEMON_LOG
MNT_DIR=$TMPD/mB mount_fs
ok "two mounts at once: both answer" sh -c "ls '$TMPD/mA/default' >/dev/null && ls '$TMPD/mB/default' >/dev/null"
unmount_fs
DAEMON_PID=$a_pid DAEMON_LOG=$a_log MNT=$TMPD/mA
unmount_fs

finish
