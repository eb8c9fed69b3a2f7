#!/bin/bash
# Failures seen through the mount: a resource deleted behind the mount's
# back, the API going away and coming back, the key being refused, and a
# rate-limited API.
. "$(dirname "$0")/lib.sh"

start_emulator --transition-ms 500
mount_fs cache_timeout=1

P=$ORG/projects
daemon_alive() { kill -0 "$DAEMON_PID" 2>/dev/null; }

# ---------------------------------------------------------------- deleted behind our back
C=$(cdir $P_STAGING $C_STAGE_APP)
ok "stage-app readable" jqf ".clusterId == \"$C_STAGE_APP\"" "$C/cluster.json"
ok "stage-app listed" sh -c "ls '$P/staging/clusters' | grep -qx stage-app"
out=$(emu_api DELETE "https://serverless.tidbapi.com/v1beta1/clusters/$C_STAGE_APP")
case "$out" in *HTTP:200*) _pass "DELETE through the API (curl --digest)" ;;
*) _fail "DELETE through the API (curl --digest)" "$out" ;; esac
if wait_for 10 sh -c "! cat '$C/cluster.json' >/dev/null 2>&1"; then
	_pass "the deleted cluster disappears within 10 s"
else
	_fail "the deleted cluster disappears within 10 s" "$(t cat "$C/state")"
fi
expect_fail_errno "cat of the deleted cluster's cluster.json: No such file or directory" ENOENT cat "$C/cluster.json"
wait_for 3 sh -c "! test -e '$P/staging/clusters/stage-app'"  # kernel entry cache
expect_fail_errno "cat by its name: No such file or directory" ENOENT cat "$P/staging/clusters/stage-app/cluster.json"
ok "the deleted cluster is not listed" wait_for 5 sh -c "! ls '$P/staging/clusters' | grep -qx stage-app"
ok "its siblings are still listed" sh -c "ls '$P/staging/clusters' | grep -qx stage-essential"
expect_fail_errno "writing the deleted cluster's spec.json: No such file or directory" ENOENT \
	bash -c "/bin/echo '{}' > '$C/spec.json'"

# ---------------------------------------------------------------- 404 on a project
ok "an unknown project id: ENOENT, not EIO" sh -c "stat '$P/1372813089180000000' 2>&1 | grep -q 'No such file'"

# ---------------------------------------------------------------- the API goes away
EMU_PORT=$PORT
ok "reports is readable before the API goes away" test -f "$(cdir $P_ANALYTICS $C_REPORTS)/cluster.json"
stop_emulator
sleep 2     # > cache_timeout (1 s) + the kernel's attribute timeout
expect_fail_errno "API down: cat of an expired cluster.json fails (No route to host / I/O error)" \
	"EHOSTUNREACH|EIO|ETIMEDOUT|ECONNREFUSED" cat "$(cdir $P_ANALYTICS $C_REPORTS)/cluster.json"
expect_fail_errno "API down: ls of a collection fails the same way" \
	"EHOSTUNREACH|EIO|ETIMEDOUT|ECONNREFUSED" ls "$P/production/clusters"
ok "API down: the daemon is alive" daemon_alive
ok "API down: ls of the mount root still answers" ls "$MNT"
ok "API down: the daemon logged the connection failure" \
	grep -qiE 'connect|unreachable|refused|route to host' "$DAEMON_LOG"

# The API comes back on the same port: the mount recovers (new connection,
# new digest nonce).
EMU_LISTEN=127.0.0.1:$EMU_PORT start_emulator --transition-ms 500
expect_eq "the emulator is back on the same port" "$EMU_PORT" "$PORT"
if wait_for 15 jqf ".clusterId == \"$C_REPORTS\"" "$(cdir $P_ANALYTICS $C_REPORTS)/cluster.json"; then
	_pass "API back: reads work again within 15 s"
else
	_fail "API back: reads work again within 15 s" "$(timeout 10 cat "$(cdir $P_ANALYTICS $C_REPORTS)/cluster.json" 2>&1 | head -5)"
fi
ok "API back: listing works again" sh -c "ls '$P/production/clusters' | grep -qx website"

# ---------------------------------------------------------------- the key is refused
stop_emulator
EMU_LISTEN=127.0.0.1:$EMU_PORT EMU_PUBLIC_KEY=OTHERKEY EMU_PRIVATE_KEY=other-secret \
	start_emulator --transition-ms 500
sleep 2
expect_fail_errno "key refused (401): cat fails with Permission denied" EACCES \
	cat "$(cdir $P_ANALYTICS $C_WAREHOUSE)/cluster.json"
ok "key refused: the daemon is alive" daemon_alive
ok "key refused: the log says the key was not accepted" \
	grep -qiE 'authenticat|unauthori|401|api key|credential' "$DAEMON_LOG"
ok "key refused: the private key is not in the log" sh -c "! grep -q '$TEST_PRIVATE_KEY' '$DAEMON_LOG'"
stop_emulator
EMU_LISTEN=127.0.0.1:$EMU_PORT start_emulator --transition-ms 500
ok "key accepted again: reads work within 15 s" \
	wait_for 15 jqf ".clusterId == \"$C_WAREHOUSE\"" "$(cdir $P_ANALYTICS $C_WAREHOUSE)/cluster.json"

unmount_fs
stop_emulator

# ---------------------------------------------------------------- rate limit
# 30 requests a minute; a burst of reads that stays within the limit must
# see no error, and the daemon must not run into a 429.
start_emulator --rate-limit 30
mount_fs cache_timeout=30
P=$ORG/projects
before=$(emu_stat requests)
fails=0
for pc in "$P_PRODUCTION $C_ORDERS_DB" "$P_PRODUCTION $C_ORDERS_CACHE" "$P_PRODUCTION $C_WEB" \
	"$P_STAGING $C_STAGE_APP" "$P_STAGING $C_STAGE_DEDICATED" "$P_STAGING $C_STAGE_ESSENTIAL" \
	"$P_ANALYTICS $C_WAREHOUSE" "$P_ANALYTICS $C_REPORTS" "$P_ANALYTICS $C_SCRATCH1" \
	"$P_ANALYTICS $C_SCRATCH2" "$P_ANALYTICS $C_ETL" "$P_SANDBOX1 $C_EXPERIMENT"; do
	set -- $pc
	if ! timeout 60 cat "$P/$1/clusters/$2/cluster.json" >/dev/null 2>"$TMPD/rl.err"; then
		fails=$((fails + 1)); diag "$(cat "$TMPD/rl.err")"
	fi
done
t ls -l "$P/$P_SANDBOX2/clusters" >/dev/null 2>&1 || fails=$((fails + 1))
used=$(emu_stat requests)
diag "rate limit 30/min: $used requests in total so far ($before at mount)"
expect_eq "rate limit: a burst of reads under the limit has no error" 0 "$fails"
expect_eq "rate limit: no 429 answered" 0 "$(emu_stat rate_limited)"
expect_le "rate limit: the burst stayed under the limit" 30 "$used"
ok "rate limit: the daemon is alive" daemon_alive

finish
