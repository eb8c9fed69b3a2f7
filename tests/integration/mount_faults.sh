#!/bin/bash
# API faults seen through the mount (the emulator's /_emulator/faults):
# a malformed or truncated body becomes EIO and never kills the daemon;
# transient 503s and connection resets on reads are retried invisibly; a
# create whose connection is reset is not sent again.
. "$(dirname "$0")/lib.sh"

start_emulator --transition-ms 500
mount_fs cache_timeout=1

P=$ORG/projects
daemon_alive() { kill -0 "$DAEMON_PID" 2>/dev/null; }
# arm_fault JSON: one fault description, see docs/CONTRACTS.md
arm_fault() {
	local out
	out=$(_emu_curl -X POST -H 'Content-Type: application/json' -d "$1" \
		-w '\nHTTP:%{http_code}' https://api.tidbcloud.com/_emulator/faults)
	case "$out" in *HTTP:200*) return 0 ;; esac
	diag "arming $1 failed: $out"; return 1
}
expire() { sleep 1.6; }
clear_faults() { _emu_curl -o /dev/null -X DELETE https://api.tidbcloud.com/_emulator/faults; }
# Faults are armed for several requests: the kernel repeats a failed lookup
# once, and a single fault would be spent on the first try.   # > cache_timeout (1 s) + the kernel's attr cache

W=$(cdir $P_PRODUCTION $C_WEB)
ok "website is readable" jqf ".clusterId == \"$C_WEB\"" "$W/cluster.json"

# ------------------------------------------------------------ malformed body
# After expiry a read GETs the object (the expired listing still resolves
# the name; a Starter cluster with its expired siblings in one batch get),
# or lists the clusters again when GETs in a row would cost more (the
# kernel repeats a failed lookup): every route is faulted. A listing
# alone is fetched by ls.
expire
ok "arm: the next GETs of a cluster are not JSON" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters/{id}","kind":"malformed","count":10}'
ok "arm: ... and the next lists of clusters (a repeated read may list instead)" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters","kind":"malformed","count":10}'
ok "arm: ... and the next batch gets (with its expired siblings)" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters:batchGet","kind":"malformed","count":10}'
expect_fail_errno "malformed answer: cat fails with Input/output error" EIO cat "$W/cluster.json"
ok "malformed answer: the daemon is alive" daemon_alive
ok "malformed answer: the collection's .error says which lookup failed and why" \
	sh -c "grep -q 'looking up' '$P/production/clusters/.error' && grep -qiE 'not valid JSON|malformed' '$P/production/clusters/.error'"
clear_faults
ok "malformed answer: the next read works" jqf ".clusterId == \"$C_WEB\"" "$W/cluster.json"
ok "malformed answer: the log says why" grep -qiE 'not valid JSON|malformed' "$DAEMON_LOG"
expire
ok "arm: the next lists of clusters are not JSON" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters","kind":"malformed","count":10}'
expect_fail_errno "malformed list: ls fails with Input/output error" EIO ls "$P/production/clusters"
ok "malformed list: the daemon is alive" daemon_alive
clear_faults
ok "malformed list: the next ls works" sh -c "ls '$P/production/clusters' | grep -qx website"

# ------------------------------------------------------------ truncated body
expire
ok "arm: the next GETs of a cluster are cut short" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters/{id}","kind":"truncate","count":10}'
ok "arm: ... and the next lists of clusters (a repeated read may list instead)" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters","kind":"truncate","count":10}'
ok "arm: ... and the next batch gets (with its expired siblings)" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters:batchGet","kind":"truncate","count":10}'
expect_fail_errno "truncated answer: cat fails with Input/output error" EIO cat "$W/cluster.json"
ok "truncated answer: the daemon is alive" daemon_alive
clear_faults
ok "truncated answer: the next read works" jqf ".clusterId == \"$C_WEB\"" "$W/cluster.json"
expire
ok "arm: the next lists of clusters are cut short" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters","kind":"truncate","count":10}'
expect_fail_errno "truncated list: ls fails with Input/output error" EIO ls "$P/production/clusters"
clear_faults
ok "truncated list: the next ls works" sh -c "ls '$P/production/clusters' | grep -qx website"

# ------------------------------------------------------------ transient 503 on a read
expire
emu_reset
ok "arm: two 503s on any route" arm_fault '{"kind":"status","status":503,"count":2}'
ok "two 503s: cat still succeeds (retried)" jqf ".clusterId == \"$C_WEB\"" "$W/cluster.json"
expect_eq "two 503s: both faults were spent" 2 "$(emu_stat faults_injected)"
ok "two 503s: the daemon is alive" daemon_alive

# ------------------------------------------------------------ connection reset on a read
expire
emu_reset
ok "arm: the next connection is reset" arm_fault '{"kind":"reset","count":1}'
ok "reset: ls of a collection still succeeds (retried)" \
	sh -c "ls '$P/production/clusters' | grep -qx website"
expect_eq "reset: the fault was spent" 1 "$(emu_stat faults_injected)"

# ------------------------------------------------------------ 5xx that does not stop
expire
ok "arm: twenty 502s on any route" arm_fault '{"kind":"status","status":502,"count":20}'
expect_fail_errno "502 after retries: cat fails with Input/output error" EIO cat "$W/cluster.json"
ok "502 after retries: the daemon is alive" daemon_alive
clear_faults
ok "faults cleared: reads work again" jqf ".clusterId == \"$C_WEB\"" "$W/cluster.json"

# ------------------------------------------------------------ a create is never sent twice
emu_reset
ok "arm: reset the connection of the next create" \
	arm_fault '{"route":"POST serverless /v1beta1/clusters","kind":"reset","count":1}'
# The connection closed before the API acted: no answer, so the mount
# looks in a fresh listing before it reports, finds nothing, and says so.
nok "mkdir with a reset connection fails" mkdir "$P/staging/clusters/faulty-one"
ok "reset before the API acted: .error says it was most likely not created" \
	grep -q "most likely NOT created" "$P/staging/clusters/.error"
expect_eq "create with a reset connection: POST sent exactly once" 1 \
	"$(emu_route 'POST serverless /v1beta1/clusters')"
expect_eq "reset before the API acted: the API holds no faulty-one" 0 \
	"$(emu_api GET 'https://serverless.tidbapi.com/v1beta1/clusters?pageSize=100' | sed '$d' | jq '[.clusters[] | select(.displayName == "faulty-one")] | length')"
ok "create with a reset connection: the daemon is alive" daemon_alive

# ------------------------------------------------------------ an ambiguous create is looked up
# The API created the cluster but its answer was not JSON / cut short /
# never came (reset_after: the connection closed after the API acted): a
# fresh listing shows it, so mkdir succeeds (and a retry cannot duplicate).
for kind in malformed truncate reset_after; do
	name=amb-${kind//_/-}
	emu_reset
	ok "arm: the answer to the next create is $kind" \
		arm_fault "{\"route\":\"POST serverless /v1beta1/clusters\",\"kind\":\"$kind\",\"count\":1}"
	ok "$kind answer to a create: mkdir succeeds (a fresh listing shows it)" mkdir "$P/staging/clusters/$name"
	expect_eq "$kind answer to a create: POST sent exactly once" 1 \
		"$(emu_route 'POST serverless /v1beta1/clusters')"
	ok "$kind answer to a create: the cluster is listed" sh -c "ls '$P/staging/clusters' | grep -qx $name"
	ok "$kind answer to a create: its state is readable" test -s "$P/staging/clusters/$name/state"
	expect_eq "$kind answer to a create: the API holds exactly one $name" 1 \
		"$(emu_api GET 'https://serverless.tidbapi.com/v1beta1/clusters?pageSize=100' | sed '$d' | jq "[.clusters[] | select(.displayName == \"$name\")] | length")"
	expect_fail_errno "$kind answer to a create: mkdir again is EEXIST (no duplicate)" EEXIST mkdir "$P/staging/clusters/$name"
done
# A 503 before the API acted: the fresh listing does not show it.
emu_reset
ok "arm: the next create answers 503" \
	arm_fault '{"route":"POST serverless /v1beta1/clusters","kind":"status","status":503,"count":1}'
expect_fail_errno "503 to a create: mkdir fails with Input/output error" EIO mkdir "$P/staging/clusters/amb-none"
ok "503 to a create: .error says it was most likely not created" grep -q "most likely NOT created" "$P/staging/clusters/.error"
# (the lookup before mkdir may list too when the cached listing expired
# meanwhile: count only the listings that came after the POST)
expect_eq "503 to a create: POST sent once, then one fresh listing" "1 1" \
	"$(emu_route 'POST serverless /v1beta1/clusters') $(emu_requests | jq -r '
		[.requests[] | "\(.method) \(.host) \(.path)"] as $r
		| ($r | rindex("POST serverless.tidbapi.com /v1beta1/clusters")) as $i
		| $r[$i + 1:] | map(select(. == "GET serverless.tidbapi.com /v1beta1/clusters")) | length')"
# Ambiguous, and the listing fails too: unknown, and .error says so.
emu_reset
ok "arm: the next create is not JSON" \
	arm_fault '{"route":"POST serverless /v1beta1/clusters","kind":"malformed","count":1}'
ok "arm: ... and the listings fail" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters","kind":"status","status":502,"count":20,"after_route":"POST serverless /v1beta1/clusters"}'
expect_fail_errno "ambiguous create, listing down: mkdir fails with Input/output error" EIO mkdir "$P/staging/clusters/amb-unknown"
ok "ambiguous create, listing down: .error says UNKNOWN" grep -q "UNKNOWN whether it exists" "$P/staging/clusters/.error"
clear_faults
expire
ok "ambiguous create, listing back: the cluster shows up" \
	wait_for 5 sh -c "ls '$P/staging/clusters' | grep -qx amb-unknown"

# ------------------------------------------------------------ rmdir answered with an HTML page
# A cluster made by this mount (shown from the pending overlay until the
# API lists it) deleted with an answer that is an HTML page: it must not
# stay listed once the API no longer lists it.
ok "mkdir clusters/html-del" mkdir "$P/staging/clusters/html-del"
emu_reset
ok "arm: the next delete answers an HTML page" \
	arm_fault '{"route":"DELETE serverless /v1beta1/clusters/{id}","kind":"malformed","count":1}'
ok "arm: ... and the GET that checks it fails" \
	arm_fault '{"route":"GET serverless /v1beta1/clusters/{id}","kind":"malformed","count":10}'
expect_fail_errno "HTML answer to a delete, check failed: rmdir fails with Input/output error" EIO \
	rmdir "$P/staging/clusters/html-del"
ok "HTML answer to a delete: .error says the outcome is not known" \
	grep -q "did not say whether it was deleted" "$P/staging/clusters/html-del/.error"
ok "HTML answer to a delete: ... and so does the collection's .error (the cluster's may be gone)" \
	grep -q "deleting cluster .*did not say whether it was deleted" "$P/staging/clusters/.error"
clear_faults
expire; expire
ok "HTML answer to a delete: gone from ls once the API stops listing it" \
	wait_for 5 sh -c "! ls '$P/staging/clusters' | grep -qx html-del"
expect_eq "HTML answer to a delete: DELETE sent exactly once" 1 \
	"$(emu_route 'DELETE serverless /v1beta1/clusters/{id}')"
# The same when the check works: the cluster is DELETING, so rmdir succeeds.
ok "mkdir clusters/html-del2" mkdir "$P/staging/clusters/html-del2"
ok "arm: the next delete answers an HTML page" \
	arm_fault '{"route":"DELETE serverless /v1beta1/clusters/{id}","kind":"malformed","count":1}'
ok "HTML answer to a delete, the GET says DELETING: rmdir succeeds" rmdir "$P/staging/clusters/html-del2"
ok "... and it is gone from ls at once" sh -c "! ls '$P/staging/clusters' | grep -qx html-del2"
expire
ok "... and after expiry" sh -c "! ls '$P/staging/clusters' | grep -qx html-del2"
ok "ambiguous answers: the daemon is alive" daemon_alive

finish
