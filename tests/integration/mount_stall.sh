#!/bin/bash
# A stalled API must not starve the mount (issue 12): while many reads hang
# on a stalled host, an operation that needs no request (a cached ls,
# cat .error) answers at once. A stalled host holds at most
# TCFS_HOST_IN_FLIGHT (4) requests; the FUSE loop has 64 threads; one more
# request to that host waits up to 15 s for a slot and fails with EAGAIN, unsent.
. "$(dirname "$0")/lib.sh"

start_emulator
mount_fs cache_timeout=1

P=$ORG/projects
daemon_alive() { kill -0 "$DAEMON_PID" 2>/dev/null; }
arm_fault() {
	_emu_curl -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-d "$1" https://api.tidbcloud.com/_emulator/faults | grep -qx 200
}
clear_faults() { _emu_curl -o /dev/null -X DELETE https://api.tidbcloud.com/_emulator/faults; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

W=$(cdir $P_PRODUCTION $C_WEB)
ok "warm: ls production/clusters" sh -c "ls '$P/production/clusters' | grep -qx website"
ok "warm: cat website/cluster.json" cat "$W/cluster.json"
sleep 1.5   # the object (cache_timeout=1) and the kernel's entries expire
STALL=8000
# (a Starter cluster's whole object comes from GET /clusters/{id} or, with
# its siblings, from clusters:batchGet: both stall)
ok "arm: every GET of a Starter cluster stalls ${STALL} ms" \
	arm_fault "{\"route\":\"GET serverless /v1beta1/clusters/{id}\",\"kind\":\"stall\",\"stall_ms\":$STALL,\"count\":1000}"
ok "arm: ... and every batch get" \
	arm_fault "{\"route\":\"GET serverless /v1beta1/clusters:batchGet\",\"kind\":\"stall\",\"stall_ms\":$STALL,\"count\":1000}"

# 24 readers of clusters whose objects expired: each holds a worker
# thread while the GET stalls (more than libfuse's default of 10).
start=$(ms)
pids=""
for i in $(seq 1 8); do
	for c in $C_WEB $C_REPORTS $C_STAGE_APP; do
		case $c in $C_WEB) pr=$P_PRODUCTION ;; $C_REPORTS) pr=$P_ANALYTICS ;; *) pr=$P_STAGING ;; esac
		timeout 30 cat "$(cdir $pr $c)/cluster.json" >/dev/null 2>&1 &
		pids="$pids $!"
	done
done
sleep 1.5   # let them reach the daemon and hang

t0=$(ms); ok "during the stall: ls production/clusters works" \
	sh -c "ls '$P/production/clusters' | grep -qx website"; t1=$(ms)
ls_ms=$((t1 - t0))
diag "ls during the stall: ${ls_ms} ms"
expect_le "during the stall: ls answers within $((STALL / 2)) ms, half the stall (took ${ls_ms} ms)" $((STALL / 2)) "$ls_ms"
t0=$(ms); ok "during the stall: cat production/clusters/.error works" \
	cat "$P/production/clusters/.error"; t1=$(ms)
err_ms=$((t1 - t0))
diag "cat .error during the stall: ${err_ms} ms"
expect_le "during the stall: cat .error answers within $((STALL / 2)) ms (took ${err_ms} ms)" $((STALL / 2)) "$err_ms"
t0=$(ms); ok "during the stall: cat project.json (cached listing) works" \
	cat "$P/production/project.json"; t1=$(ms)
pj_ms=$((t1 - t0))
expect_le "during the stall: cat project.json answers within $((STALL / 2)) ms (took ${pj_ms} ms)" $((STALL / 2)) "$pj_ms"
in_flight=$(( $(emu_route 'GET serverless /v1beta1/clusters/{id}') + $(emu_route 'GET serverless /v1beta1/clusters:batchGet') ))
diag "GETs that reached the stalled host: $in_flight"
expect_ge "the readers' GETs did reach the stalled routes" 1 "$in_flight"
expect_le "the stalled host holds at most 8 requests of the mount" 8 "$in_flight"
ok "the daemon is alive during the stall" daemon_alive

for p in $pids; do wait "$p" 2>/dev/null; done
end=$(ms)
diag "24 stalled readers all returned after $((end - start)) ms"
expect_le "every stalled reader returned within stall + 10 s" $((STALL + 10000)) $((end - start))
grep -c "not sent:" "$DAEMON_LOG" | sed 's/^/# requests refused fast (EAGAIN, not sent): /'
clear_faults
ok "after the stall: reads work again" sh -c "cat '$P/analytics/clusters/reports/state' | grep -qx ACTIVE"
ok "the daemon is alive" daemon_alive

finish
