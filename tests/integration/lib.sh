# tests/integration/lib.sh — sourced by every mount test script.
#
# A script does:
#     . "$(dirname "$0")/lib.sh"
#     start_emulator [--transition-ms 500 ...]
#     mount_fs [cache_timeout=30,...]
#     ok "description" command args...
#     ...
#     finish
#
# What it provides:
#   $REPO $TCFS_BUILD_DIR $DAEMON_BIN $EMULATOR_BIN $CACERT
#   $TMPD          a temporary directory (mktemp -d), removed at exit
#   $PORT          the emulator's port (after start_emulator)
#   $MNT $ORG      the mountpoint and MNT/default (after mount_fs)
#   $DAEMON_PID $DAEMON_LOG $EMU_PID $EMU_LOG
#   start_emulator [ARGS]   --rate-limit 0 unless ARGS has --rate-limit;
#                           env EMU_LISTEN (default 127.0.0.1:0),
#                           EMU_PUBLIC_KEY / EMU_PRIVATE_KEY (default: test keys)
#   stop_emulator           SIGTERM, wait; checks its log
#   mount_fs [OPTS]         mounts, waits for MNT/default (10 s)
#   unmount_fs              fusermount3 -u, waits for the daemon, checks it
#   emu_stat FIELD          integer field of /_emulator/stats
#   emu_route "GET serverless /v1beta1/clusters"   count (0 if absent)
#   emu_routes_matching REGEX   sum of the route counts whose key matches
#   emu_reset               POST /_emulator/reset-stats
#   emu_api METHOD URL [BODY]   authenticated call (digest) straight to the
#                           emulator; prints the body; counts in the stats!
#   emu_requests            /_emulator/requests (JSON)
#   write_seed FILE [N_BULK]  default seed (+ a project "bulk" of N Starter
#                           clusters) as a --seed file
#   ok DESC CMD...          passes when CMD exits 0
#   nok DESC CMD...         passes when CMD exits non-zero
#   expect_eq DESC EXPECTED ACTUAL
#   expect_fail_errno DESC ERRNO CMD...   CMD must fail and print the
#                           strerror text of ERRNO (EINVAL, EPERM, ...;
#                           "EIO|EHOSTUNREACH" accepts either)
#   wait_for SECONDS CMD... polls CMD every 0.1 s until it succeeds
#   t CMD...                CMD under `timeout 20` (hung mount = failure)
#   finish                  prints "N passed, N failed", exits
# Output is TAP-like: "ok N - desc" / "not ok N - desc" with "# " details.
# The EXIT trap unmounts, stops the daemon and the emulator, and fails the
# script if the daemon died while mounted or printed a sanitizer report.

set -u

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "lib.sh is sourced by the mount tests; nothing to run by itself"
	exit 0
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TCFS_BUILD_DIR=${TCFS_BUILD_DIR:-build}
case "$TCFS_BUILD_DIR" in
/*) ;;
*)	if [ -d "$TCFS_BUILD_DIR" ]; then
		TCFS_BUILD_DIR=$(cd "$TCFS_BUILD_DIR" && pwd)
	else
		TCFS_BUILD_DIR=$REPO/$TCFS_BUILD_DIR
	fi ;;
esac
DAEMON_BIN=$TCFS_BUILD_DIR/tidbcloudfs
EMULATOR_BIN=$TCFS_BUILD_DIR/tidbcloud-emulator
CACERT=$REPO/tests/certs/ca.pem
TEST_PUBLIC_KEY=TESTPUBLICKEY1
TEST_PRIVATE_KEY=test-private-key-0123456789abcdef
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:quarantine_size_mb=16}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Default seed names and ids (docs/CONTRACTS.md).
ORG_ID=1372813089187041280
P_PRODUCTION=1372813089189561287
P_STAGING=1372813089189621599
P_ANALYTICS=1372813089189702314
P_SANDBOX1=1372813089189800001
P_SANDBOX2=1372813089189800002
C_ORDERS_DB=10058425682284910921       # dedicated ACTIVE
C_ORDERS_CACHE=10058425682284910922    # essential ACTIVE
C_WEB=10058425682284910923             # starter ACTIVE
C_STAGE_APP=10058425682284910931       # starter
C_STAGE_DEDICATED=10058425682284910932 # dedicated PAUSED
C_STAGE_ESSENTIAL=10058425682284910933 # essential
C_WAREHOUSE=10058425682284910941       # dedicated
C_REPORTS=10058425682284910942         # starter
C_SCRATCH1=10058425682284910943        # starter "scratch"
C_SCRATCH2=10058425682284910944        # starter "scratch"
C_ETL=10058425682284910945             # dedicated MAINTENANCE
C_EXPERIMENT=10058425682284910951      # starter, sandbox 1
P_BULK=1372813089189900001             # write_seed's extra project

_T_N=0 _T_FAIL=0 _T_FINISHED=0
DAEMON_PID="" EMU_PID="" PORT="" MNT="" ORG=""
DAEMON_LOG="" EMU_LOG=""
_ALL_DAEMON_LOGS=""

if [ ! -c /dev/fuse ]; then
	echo "1..0 # SKIP /dev/fuse is absent"
	exit 77
fi

exec </dev/null   # no tool may wait for input
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/tcfs-it.XXXXXX")
export HOME_FOR_DAEMON=$TMPD/home
mkdir -p "$HOME_FOR_DAEMON"

# ---------------------------------------------------------------- reporting
_pass() { _T_N=$((_T_N + 1)); echo "ok $_T_N - $1"; }
_fail() {
	_T_N=$((_T_N + 1)); _T_FAIL=$((_T_FAIL + 1))
	echo "not ok $_T_N - $1"
	shift
	local l
	for l in "$@"; do printf '%s\n' "$l" | sed -e 's/^/#   /' | head -40; done
}
skip() { _T_N=$((_T_N + 1)); echo "ok $_T_N - $1 # SKIP ${2:-}"; }
diag() { printf '%s\n' "$*" | sed -e 's/^/# /'; }

# Run CMD: shell functions directly, programs under `timeout 20`.
t() {
	if declare -F "$1" >/dev/null; then
		"$@"
	else
		timeout -k 5 "${TCFS_CMD_TIMEOUT:-20}" "$@"
	fi
}

_OUT=""
_run_capture() {
	local rc
	_OUT=$(t "$@" 2>&1)
	rc=$?
	return $rc
}

ok() {
	local desc=$1; shift
	if _run_capture "$@"; then
		_pass "$desc"
	else
		local rc=$?
		_fail "$desc" "command: $*" "exit status: $rc" "${_OUT:0:3000}"
		return 1
	fi
}

nok() {
	local desc=$1; shift
	if _run_capture "$@"; then
		_fail "$desc" "command: $* (expected a failure, it succeeded)" "${_OUT:0:3000}"
		return 1
	else
		_pass "$desc"
	fi
}

expect_eq() {
	if [ "$2" = "$3" ]; then
		_pass "$1"
	else
		_fail "$1" "expected: $2" "actual:   $3"
		return 1
	fi
}

# expect_ge DESC MIN ACTUAL / expect_le DESC MAX ACTUAL (integers)
expect_ge() {
	if [ "$3" -ge "$2" ] 2>/dev/null; then _pass "$1"; else
		_fail "$1" "expected >= $2, actual: $3"; return 1; fi
}
expect_le() {
	if [ "$3" -le "$2" ] 2>/dev/null; then _pass "$1"; else
		_fail "$1" "expected <= $2, actual: $3"; return 1; fi
}

errno_text() {
	case "$1" in
	EPERM) echo "Operation not permitted" ;;
	ENOENT) echo "No such file or directory" ;;
	EIO) echo "Input/output error" ;;
	EACCES) echo "Permission denied" ;;
	EEXIST) echo "File exists" ;;
	EBUSY) echo "Device or resource busy" ;;
	ENOTDIR) echo "Not a directory" ;;
	EISDIR) echo "Is a directory" ;;
	EINVAL) echo "Invalid argument" ;;
	EFBIG) echo "File too large" ;;
	ENOSPC) echo "No space left on device" ;;
	EROFS) echo "Read-only file system" ;;
	EAGAIN) echo "Resource temporarily unavailable" ;;
	ENOTEMPTY) echo "Directory not empty" ;;
	ENAMETOOLONG) echo "File name too long" ;;
	EXDEV) echo "Invalid cross-device link" ;;
	EMLINK) echo "Too many links" ;;
	ENOTSUP) echo "Operation not supported" ;;
	ENOSYS) echo "Function not implemented" ;;
	ETIMEDOUT) echo "Connection timed out" ;;
	EHOSTUNREACH) echo "No route to host" ;;
	ECONNREFUSED) echo "Connection refused" ;;
	EOPNOTSUPP) echo "Operation not supported" ;;
	*) echo "$1" ;;
	esac
}

# expect_fail_errno DESC "EINVAL" cmd...   or  "EIO|EHOSTUNREACH"
expect_fail_errno() {
	local desc=$1 names=$2; shift 2
	local rc=0 name texts="" matched=""
	_run_capture "$@" || rc=$?
	local IFS_save=$IFS; IFS='|'
	for name in $names; do
		local txt; txt=$(errno_text "$name")
		texts="$texts${texts:+ or }\"$txt\""
		case "$_OUT" in *"$txt"*) matched=1 ;; esac
	done
	IFS=$IFS_save
	if [ "$rc" -eq 0 ]; then
		_fail "$desc" "command: $* (expected a failure with $texts, it succeeded)" "${_OUT:0:2000}"
		return 1
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		_fail "$desc" "command: $* timed out" "${_OUT:0:2000}"
		return 1
	elif [ -z "$matched" ]; then
		_fail "$desc" "command: $* failed (status $rc) but without $texts:" "${_OUT:0:2000}"
		return 1
	fi
	_pass "$desc"
}

# wait_for SECONDS CMD...: poll until CMD succeeds (0) or time is up (1).
wait_for() {
	local secs=$1; shift
	local end=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	while :; do
		if t "$@" >/dev/null 2>&1; then return 0; fi
		[ $(( $(date +%s%N) / 1000000 )) -ge $end ] && return 1
		sleep 0.1
	done
}

# ---------------------------------------------------------------- emulator
_emu_curl() {
	curl -s --max-time 10 --cacert "$CACERT" \
		--connect-to "::127.0.0.1:$PORT" "$@"
}

start_emulator() {
	local args=("$@") a has_rl=""
	for a in "${args[@]}"; do [ "$a" = --rate-limit ] && has_rl=1; done
	[ -n "$has_rl" ] || args+=(--rate-limit 0)
	if [ ! -x "$EMULATOR_BIN" ]; then
		_fail "emulator binary $EMULATOR_BIN exists"; finish
	fi
	local n=${_EMU_N:-0}; _EMU_N=$((n + 1))
	local pf=$TMPD/emu$n.port
	PORT=""
	EMU_LOG=$TMPD/emulator$n.log
	rm -f "$pf"
	TIDBCLOUD_PUBLIC_KEY=${EMU_PUBLIC_KEY:-$TEST_PUBLIC_KEY} \
	TIDBCLOUD_PRIVATE_KEY=${EMU_PRIVATE_KEY:-$TEST_PRIVATE_KEY} \
		"$EMULATOR_BIN" --listen "${EMU_LISTEN:-127.0.0.1:0}" --port-file "$pf" "${args[@]}" \
		2>"$EMU_LOG" &
	EMU_PID=$!
	local i
	for i in $(seq 1 200); do
		if [ -s "$pf" ]; then
			PORT=$(cat "$pf")
			[ "${PORT:-0}" -gt 0 ] 2>/dev/null && break
		fi
		if ! kill -0 "$EMU_PID" 2>/dev/null; then
			_fail "emulator started (${args[*]})" "$(tail -20 "$EMU_LOG")"
			EMU_PID=""; finish
		fi
		sleep 0.05
	done
	if [ -z "$PORT" ] || ! [ "$PORT" -gt 0 ] 2>/dev/null; then
		_fail "emulator wrote its port within 10 s" "$(tail -20 "$EMU_LOG")"
		finish
	fi
	# Wait until it answers.
	if ! wait_for 10 _emu_curl -f -o /dev/null https://api.tidbcloud.com/_emulator/stats; then
		_fail "emulator answers on port $PORT" "$(tail -20 "$EMU_LOG")"
		finish
	fi
}

_check_log() { # _check_log WHAT FILE: fails on a sanitizer report or crash
	local what=$1 f=$2
	[ -f "$f" ] || return 0
	if grep -qE 'AddressSanitizer|LeakSanitizer|ThreadSanitizer|UndefinedBehaviorSanitizer|runtime error:|Segmentation fault|^==[0-9]+==ERROR: |^ERROR: [A-Za-z]*Sanitizer' "$f"; then
		_fail "$what printed no sanitizer report or crash ($f)" \
			"$(grep -nE -m5 'Sanitizer|runtime error:|Segmentation fault|ERROR: ' "$f")" \
			"--- tail:" "$(tail -40 "$f")"
		return 1
	fi
	return 0
}

stop_emulator() {
	[ -n "$EMU_PID" ] || return 0
	kill -TERM "$EMU_PID" 2>/dev/null
	local i
	for i in $(seq 1 100); do
		kill -0 "$EMU_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$EMU_PID" 2>/dev/null
	wait "$EMU_PID" 2>/dev/null
	EMU_PID=""
	_check_log "emulator" "$EMU_LOG"
}

emu_stats() { _emu_curl https://api.tidbcloud.com/_emulator/stats; }
emu_stat() {
	local v; v=$(emu_stats | jq -r --arg f "$1" '.[$f] // empty' 2>/dev/null)
	echo "${v:--1}"
}
emu_route() {
	local v; v=$(emu_stats | jq -r --arg r "$1" '.routes[$r] // 0' 2>/dev/null)
	echo "${v:--1}"
}
emu_routes_matching() {
	local v
	v=$(emu_stats | jq -r --arg re "$1" \
		'[.routes // {} | to_entries[] | select(.key | test($re)) | .value] | add // 0' 2>/dev/null)
	echo "${v:--1}"
}
emu_routes_dump() { emu_stats | jq -c '.routes' 2>/dev/null; }
emu_reset() {
	_emu_curl -f -o /dev/null -X POST -d '' https://api.tidbcloud.com/_emulator/reset-stats
}
emu_requests() { _emu_curl https://api.tidbcloud.com/_emulator/requests; }

# emu_api METHOD URL [BODY]: authenticated call (prints the response body;
# status code on the last line after "HTTP:").
emu_api() {
	local m=$1 url=$2 body=${3-}
	if [ -n "$body" ]; then
		_emu_curl --digest -u "$TEST_PUBLIC_KEY:$TEST_PRIVATE_KEY" -X "$m" \
			-H 'Content-Type: application/json' -d "$body" -w '\nHTTP:%{http_code}\n' "$url"
	else
		_emu_curl --digest -u "$TEST_PUBLIC_KEY:$TEST_PRIVATE_KEY" -X "$m" \
			-w '\nHTTP:%{http_code}\n' "$url"
	fi
}

# write_seed FILE [N]: the default seed plus project "bulk" ($P_BULK) with N
# Starter clusters bulk-001.. (ids 20000000000000000001..).
write_seed() {
	local f=$1 n=${2:-0}
	local base=$REPO/tests/emulator/default-seed.json
	if [ ! -f "$base" ]; then
		_fail "default seed $base exists"; return 1
	fi
	jq --argjson n "$n" --arg pid "$P_BULK" '
		if $n > 0 then
		  .projects += [{"id": $pid, "name": "bulk"}]
		  | .clusters += [range(1; $n + 1) as $i | {
			"kind": "starter",
			"clusterId": ("200000000000000" + ("00000" + ($i|tostring))[-5:]),
			"displayName": ("bulk-" + ("000" + ($i|tostring))[-3:]),
			"projectId": $pid, "state": "ACTIVE"}]
		else . end' "$base" >"$f"
}

# ---------------------------------------------------------------- daemon
is_mounted() { grep -qs " $1 fuse" /proc/self/mounts; }

# mount_fs [OPTS]: mount at $TMPD/mnt (or $MNT_DIR if set).
mount_fs() {
	local opts=${1-}
	if [ ! -x "$DAEMON_BIN" ]; then
		_fail "daemon binary $DAEMON_BIN exists"; finish
	fi
	MNT=${MNT_DIR:-$TMPD/mnt}
	ORG=$MNT/default
	mkdir -p "$MNT"
	local n=${_MNT_N:-0}; _MNT_N=$((n + 1))
	DAEMON_LOG=$TMPD/daemon$n.log
	_ALL_DAEMON_LOGS="$_ALL_DAEMON_LOGS $DAEMON_LOG"
	local o="connect_to=127.0.0.1:$PORT,cacert=$CACERT"
	[ -n "$opts" ] && o="$o,$opts"
	HOME=$HOME_FOR_DAEMON \
	TIDBCLOUD_PUBLIC_KEY=$TEST_PUBLIC_KEY TIDBCLOUD_PRIVATE_KEY=$TEST_PRIVATE_KEY \
		"$DAEMON_BIN" -f -o "$o" "$MNT" 2>"$DAEMON_LOG" &
	DAEMON_PID=$!
	local end=$(( $(date +%s) + 10 ))
	while :; do
		if is_mounted "$MNT" && timeout 5 test -d "$ORG"; then
			return 0
		fi
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			wait "$DAEMON_PID"; local rc=$?
			DAEMON_PID=""
			_fail "daemon mounted $MNT (-o $o)" "daemon exited with status $rc" \
				"$(tail -30 "$DAEMON_LOG")"
			finish
		fi
		if [ "$(date +%s)" -ge $end ]; then
			_fail "daemon mounted $MNT within 10 s (-o $o)" "$(tail -30 "$DAEMON_LOG")"
			finish
		fi
		sleep 0.05
	done
}

# unmount_fs: checks the daemon is alive, unmounts, waits for its exit
# (so LeakSanitizer has run), checks its status and its log.
unmount_fs() {
	[ -n "$MNT" ] || return 0
	local bad=0
	if [ -n "$DAEMON_PID" ] && ! kill -0 "$DAEMON_PID" 2>/dev/null; then
		wait "$DAEMON_PID" 2>/dev/null; local rc=$?
		_fail "daemon was alive until unmount" "it exited with status $rc" \
			"$(tail -40 "$DAEMON_LOG")"
		DAEMON_PID=""; bad=1
	fi
	if is_mounted "$MNT"; then
		if ! timeout 10 fusermount3 -u "$MNT" 2>"$TMPD/fusermount.err"; then
			diag "fusermount3 -u failed: $(cat "$TMPD/fusermount.err"); lazy unmount"
			timeout 10 fusermount3 -uz "$MNT" 2>/dev/null
		fi
	fi
	if [ -n "$DAEMON_PID" ]; then
		local i
		for i in $(seq 1 200); do
			kill -0 "$DAEMON_PID" 2>/dev/null || break
			sleep 0.05
		done
		if kill -0 "$DAEMON_PID" 2>/dev/null; then
			_fail "daemon exits within 10 s of the unmount" "$(tail -20 "$DAEMON_LOG")"
			kill -KILL "$DAEMON_PID" 2>/dev/null
			bad=1
		fi
		wait "$DAEMON_PID" 2>/dev/null; local st=$?
		if [ $bad = 0 ] && [ $st -ne 0 ]; then
			_fail "daemon exit status after unmount is 0" "status $st" \
				"$(tail -40 "$DAEMON_LOG")"
			bad=1
		fi
		DAEMON_PID=""
	fi
	_check_log "daemon" "$DAEMON_LOG" || bad=1
	MNT_WAS=$MNT
	MNT="" ORG=""
	return $bad
}

# ---------------------------------------------------------------- exit
_cleanup() {
	local rc=$?
	if [ "$_T_FINISHED" = 0 ]; then
		# Script ended without finish (set -e style abort or error).
		unmount_fs >/dev/null
		stop_emulator >/dev/null
	fi
	# Anything still mounted under TMPD (a failed test's mount).
	local m
	for m in $(awk -v d="$TMPD" 'index($2, d) == 1 { print $2 }' /proc/self/mounts); do
		fusermount3 -uz "$m" 2>/dev/null
	done
	[ -n "$DAEMON_PID" ] && kill -KILL "$DAEMON_PID" 2>/dev/null
	[ -n "$EMU_PID" ] && kill -KILL "$EMU_PID" 2>/dev/null
	if [ -n "${TCFS_KEEP_TMP:-}" ]; then
		echo "# kept $TMPD"
	else
		rm -rf "$TMPD" 2>/dev/null
	fi
	exit $rc
}
trap _cleanup EXIT
trap 'echo "# interrupted"; _T_FAIL=$((_T_FAIL + 1)); finish' INT TERM

finish() {
	[ "$_T_FINISHED" = 1 ] && exit 1
	unmount_fs
	stop_emulator
	_T_FINISHED=1
	local passed=$((_T_N - _T_FAIL))
	echo "1..$_T_N"
	echo "$passed passed, $_T_FAIL failed"
	if [ "$_T_FAIL" -ne 0 ] && [ -n "$DAEMON_LOG" ] && [ -f "$DAEMON_LOG" ]; then
		echo "# --- last daemon log ($DAEMON_LOG), tail:"
		tail -25 "$DAEMON_LOG" | sed -e 's/^/# /'
	fi
	[ "$_T_FAIL" -eq 0 ] && exit 0
	exit 1
}

# ---------------------------------------------------------------- helpers
# cluster_dir PROJECT_ID CLUSTER_ID: the id path (robust against renames)
cdir() { echo "$ORG/projects/$1/clusters/$2"; }
# jq_file FILTER FILE: jq -e on a file read through the mount (timeout)
jqf() { t jq -e "$1" "$2" >/dev/null; }
# file_has FILE TEXT
file_has() { t grep -qF -- "$2" "$1"; }
# json_valid FILE
json_valid() { t jq -e . "$1" >/dev/null; }
# state_is DIR STATE
state_is() { [ "$(timeout 10 cat "$1/state" 2>/dev/null)" = "$2" ]; }
