#!/bin/bash
# Secrets and access: the private key never shows in anything the daemon
# writes (its log with -o debug_api, every .error, every *.rejected, what
# it reads back, its command line), even on failing operations and on
# digest re-challenges; a credentials file readable by group or others is
# refused; a wrong CA fails the mount before it daemonizes, with a clear
# message; no option turns TLS verification off.
. "$(dirname "$0")/lib.sh"

KEY=$TEST_PRIVATE_KEY
# needle FILE...: 0 when the key (or its first 16 characters) is in a file
has_key() { grep -aqF -e "$KEY" -e "${KEY:0:16}" "$@" 2>/dev/null; }

# ---- a session with debug logging and failing operations -----------------
# nonce-ttl 1: the daemon's nonce goes stale and it must re-authenticate.
start_emulator --nonce-ttl 1
mount_fs "debug_api,cache_timeout=0"
P=$ORG/projects/production
C=$P/clusters/website
D=$P/clusters/orders-db
ok "ls and cat work under debug_api" t cat "$C/cluster.json" "$D/spec.json" "$ORG/organization.json"
sleep 2   # the nonce is now stale: the next request gets a 401 stale=true
ok "a request after the nonce expired succeeds (re-challenge)" t cat "$C/state"
ok "a valid spec edit is applied" t sed -i 's/"monthly": [0-9]*/"monthly": 7/' "$C/spec.json"
# (What the user writes is kept in *.rejected by design: none of it holds
# the key, so any key found below came from the daemon.)
printf '{"displayName": 12, "x": 1}' >"$TMPD/bad1"
printf 'not json' >"$TMPD/bad2"
expect_fail_errno "an invalid spec edit is refused" EINVAL cp "$TMPD/bad1" "$C/spec.json"
expect_fail_errno "a spec that is not JSON is refused" EINVAL cp "$TMPD/bad2" "$D/spec.json"
echo explode >"$TMPD/verb"
nok "an unknown ctl verb is refused" t cp "$TMPD/verb" "$D/ctl"
nok "mkdir below a missing cluster fails" t mkdir "$P/clusters/nope/x"
nok "rmdir of a project is refused" t rmdir "$P"
# API failures with the key in flight: 500, a reset, a malformed answer
for f in '{"kind":"status","status":500,"count":2}' '{"kind":"reset"}' '{"kind":"malformed"}' \
	'{"kind":"status","status":401,"count":5}'; do
	_emu_curl -o /dev/null -X POST -d "$f" https://api.tidbcloud.com/_emulator/faults
	t cat "$C/cluster.json" >/dev/null 2>&1
	t sh -c "echo pause > '$D/ctl'" >/dev/null 2>&1
	_emu_curl -o /dev/null -X DELETE https://api.tidbcloud.com/_emulator/faults
done
ok "the daemon logged API requests (debug_api)" grep -q -i -E 'GET|request' "$DAEMON_LOG"

errs=$(find "$ORG" -maxdepth 6 \( -name .error -o -name '*.rejected' \) 2>/dev/null)
expect_ge "some .error / *.rejected files exist" 2 "$(wc -w <<<"$errs")"
leaked=""
for f in $errs; do has_key "$f" && leaked="$leaked $f"; done
expect_eq "the key is in no .error or *.rejected file" "" "$leaked"
reads=$(t cat "$C/cluster.json" "$C/spec.json" "$D/spec.json" "$ORG/organization.json" 2>&1)
if grep -qF "$KEY" <<<"$reads"; then _fail "the key is in no file read through the mount"
else _pass "the key is in no file read through the mount"; fi
tr '\0' ' ' </proc/$DAEMON_PID/cmdline >"$TMPD/cmdline"
nok "the daemon's command line does not hold the key" has_key "$TMPD/cmdline"
# Its environment holds the key (it was passed that way): legitimate, and
# readable only by the user (proc is 0400 for another user's process).
ok "the daemon's environment holds the key (as passed)" \
	sh -c "tr '\0' '\n' </proc/$DAEMON_PID/environ | grep -qF TIDBCLOUD_PRIVATE_KEY"
expect_eq "/proc/PID/environ is readable by its owner only" "400" \
	"$(stat -c %a /proc/$DAEMON_PID/environ)"
unmount_fs
nok "the key is in no line of the daemon's log (debug level included)" has_key "$DAEMON_LOG"
diag "daemon log: $(wc -l <"$DAEMON_LOG") lines searched"

# ---- credentials file permissions -----------------------------------------
CFG=$TMPD/config.toml
printf 'current-profile = "default"\n[default]\npublic-key = "%s"\nprivate-key = "%s"\n' \
	"$TEST_PUBLIC_KEY" "$KEY" >"$CFG"
MNT2=$TMPD/mnt2; mkdir -p "$MNT2"
# run_daemon OUT [ARGS...]: the daemon without keys in its environment
run_daemon() {
	local out=$1; shift
	env -u TIDBCLOUD_PUBLIC_KEY -u TIDBCLOUD_PRIVATE_KEY HOME=$HOME_FOR_DAEMON \
		timeout -k 5 20 "$DAEMON_BIN" "$@" >"$out" 2>&1
}
for mode in 644 640 604 660; do
	chmod "$mode" "$CFG"
	run_daemon "$TMPD/perm.out" -f -o "config=$CFG,connect_to=127.0.0.1:$PORT,cacert=$CACERT" "$MNT2"
	rc=$?
	if [ $rc -ne 0 ] && ! is_mounted "$MNT2" && grep -q -i 'permission\|chmod' "$TMPD/perm.out"; then
		_pass "a config file with mode $mode is refused (exit $rc, names the permissions)"
	else
		_fail "a config file with mode $mode is refused" "exit $rc" "$(cat "$TMPD/perm.out")"
		is_mounted "$MNT2" && fusermount3 -u "$MNT2"
	fi
	nok "the refusal (mode $mode) does not quote the key" has_key "$TMPD/perm.out"
done
chmod 600 "$CFG"
env -u TIDBCLOUD_PUBLIC_KEY -u TIDBCLOUD_PRIVATE_KEY HOME=$HOME_FOR_DAEMON \
	"$DAEMON_BIN" -f -o "config=$CFG,connect_to=127.0.0.1:$PORT,cacert=$CACERT,debug_api" \
	"$MNT2" 2>"$TMPD/cfg600.log" &
pid600=$!
if wait_for 10 test -d "$MNT2/default/projects"; then
	_pass "a config file with mode 600 is accepted (mounted)"
	t ls "$MNT2/default/projects" >/dev/null
	fusermount3 -u "$MNT2"
else
	_fail "a config file with mode 600 is accepted" "$(cat "$TMPD/cfg600.log")"
	fusermount3 -uz "$MNT2" 2>/dev/null
fi
wait_for 10 sh -c "! kill -0 $pid600 2>/dev/null" || kill -KILL "$pid600" 2>/dev/null
wait "$pid600" 2>/dev/null
nok "the key from the config file is in no line of that daemon's log" has_key "$TMPD/cfg600.log"
tr '\0' ' ' </proc/self/cmdline >/dev/null   # (cmdline checked above)

# ---- a wrong CA ------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMPD/other-ca.key" \
	-out "$TMPD/other-ca.pem" -days 1 -subj "/CN=not the emulator CA" >/dev/null 2>&1
start=$SECONDS
# No -f: the daemon would detach after mounting; it must fail before that.
TIDBCLOUD_PUBLIC_KEY=$TEST_PUBLIC_KEY TIDBCLOUD_PRIVATE_KEY=$KEY HOME=$HOME_FOR_DAEMON \
	timeout -k 5 30 "$DAEMON_BIN" -o "connect_to=127.0.0.1:$PORT,cacert=$TMPD/other-ca.pem" \
	"$MNT2" >"$TMPD/ca.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && ! is_mounted "$MNT2"; then
	_pass "a wrong CA fails the mount in the foreground (exit $rc, $((SECONDS - start)) s)"
else
	_fail "a wrong CA fails the mount in the foreground" "exit $rc" "$(cat "$TMPD/ca.out")"
	fusermount3 -uz "$MNT2" 2>/dev/null
fi
ok "the wrong-CA message says certificate / TLS" grep -q -i -E 'certificate|TLS' "$TMPD/ca.out"
diag "wrong CA: $(head -3 "$TMPD/ca.out")"
nok "the wrong-CA message does not hold the key" has_key "$TMPD/ca.out"
run_daemon "$TMPD/ca2.out" -f -o "connect_to=127.0.0.1:$PORT,cacert=$TMPD/nope.pem" "$MNT2"
rc=$?
if [ $rc -ne 0 ] && ! is_mounted "$MNT2"; then _pass "a missing CA file fails the mount (exit $rc)"
else _fail "a missing CA file fails the mount" "$(cat "$TMPD/ca2.out")"; fi

# ---- no option turns verification off -------------------------------------
# With the right CA, so that only the option can make the mount fail.
for o in insecure no_verify ssl_no_verify noverify insecure_skip_verify \
	verify=0 tls_verify=0 ssl_verify_peer=0 k; do
	TIDBCLOUD_PUBLIC_KEY=$TEST_PUBLIC_KEY TIDBCLOUD_PRIVATE_KEY=$KEY HOME=$HOME_FOR_DAEMON \
		timeout -k 5 20 "$DAEMON_BIN" -f -o "connect_to=127.0.0.1:$PORT,cacert=$CACERT,$o" \
		"$MNT2" >"$TMPD/opt.out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 124 ] && ! is_mounted "$MNT2"; then
		_pass "-o $o is refused, the mount fails (exit $rc)"
	else
		_fail "-o $o is refused" "exit $rc" "$(cat "$TMPD/opt.out")"
		fusermount3 -uz "$MNT2" 2>/dev/null
	fi
done
ok "an unknown option is named in the refusal" grep -q -i -E 'unknown option|invalid|unrecognized' "$TMPD/opt.out"
diag "-o k: $(head -2 "$TMPD/opt.out")"
run_daemon "$TMPD/pk.out" -f -o "connect_to=127.0.0.1:$PORT,cacert=$CACERT,private_key=$KEY" "$MNT2"
rc=$?
if [ $rc -ne 0 ] && ! is_mounted "$MNT2"; then _pass "-o private_key= is refused (exit $rc)"
else _fail "-o private_key= is refused" "$(cat "$TMPD/pk.out")"; fusermount3 -uz "$MNT2"; fi
nok "the private_key refusal does not echo the key" has_key "$TMPD/pk.out"
finish
