#!/bin/bash
# Writing spec.json and ctl: commits, validation without requests, no-op
# writes, one PATCH per change, transitions, API failures, .error and
# spec.json.rejected, the file operations around spec files.
. "$(dirname "$0")/lib.sh"

start_emulator --transition-ms 2000
mount_fs

P=$ORG/projects
PATCH_SLS='PATCH serverless /v1beta1/clusters/{id}'
PATCH_DED='PATCH dedicated /v1beta1/clusters/{id}'
changes() { emu_routes_matching '^(PATCH|POST|PUT|DELETE) '; }

# ================================================================ Starter (website)
D=$(cdir $P_PRODUCTION $C_WEB)
ok "website spec.json readable" jqf '.displayName == "website"' "$D/spec.json"

# jq … > tmp && cp tmp spec.json
emu_reset
ok "jq .displayName=web-2 > x && cp x spec.json" \
	sh -c "jq '.displayName=\"web-2\"' '$D/spec.json' >'$TMPD/x' && cp '$TMPD/x' '$D/spec.json'"
expect_eq "one PATCH serverless" 1 "$(emu_route "$PATCH_SLS")"
expect_eq "no other change request" 1 "$(changes)"
ok "cluster.json shows web-2 at once (read-your-writes)" jqf '.displayName == "web-2"' "$D/cluster.json"
ok "spec.json shows web-2" jqf '.displayName == "web-2"' "$D/spec.json"
ok "the listing shows web-2" sh -c "ls '$P/production/clusters' | grep -qx web-2"
ok "the listing no longer shows website" sh -c "! ls '$P/production/clusters' | grep -qx website"
ok "the new name resolves" jqf ".clusterId == \"$C_WEB\"" "$P/production/clusters/web-2/cluster.json"
out=$(emu_api GET "https://serverless.tidbapi.com/v1beta1/clusters/$C_WEB")
case "$out" in *'"web-2"'*) _pass "the emulator's object has displayName web-2" ;;
*) _fail "the emulator's object has displayName web-2" "$out" ;; esac

# echo redirection with a full JSON text
emu_reset
full=$(t jq '.displayName="web-3"' "$D/spec.json")
echo_full() { echo "$full" > "$D/spec.json"; }
ok "echo \"\$json\" > spec.json (shell redirection)" echo_full
expect_eq "echo >: one PATCH" 1 "$(emu_route "$PATCH_SLS")"
ok "echo >: cluster.json shows web-3" jqf '.displayName == "web-3"' "$D/cluster.json"

# printf in two writes at different offsets → one commit at close
emu_reset
t jq '.displayName="web-4"' "$D/spec.json" >"$TMPD/w4"
ok "dd bs=7 (many small writes) into spec.json" dd if="$TMPD/w4" of="$D/spec.json" bs=7 status=none
expect_eq "many small writes: exactly one PATCH (commit at close)" 1 "$(emu_route "$PATCH_SLS")"
ok "dd: cluster.json shows web-4" jqf '.displayName == "web-4"' "$D/cluster.json"

# --- invalid edits: EINVAL at close, no request, .error, spec.json.rejected
emu_reset
printf '{"displayName": "web-5",\n' >"$TMPD/bad"
# a script looks for the file first: the kernel must not remember the
# name as absent (negative_timeout 0), or the file made by the refusal
# below would stay hidden for a while
expect_fail_errno "before the refusal: spec.json.rejected does not exist" ENOENT stat "$D/spec.json.rejected"
expect_fail_errno "invalid JSON: cp fails with Invalid argument" EINVAL cp "$TMPD/bad" "$D/spec.json"
ok "invalid JSON: spec.json.rejected is found at once by name (no stale negative entry)" test -f "$D/spec.json.rejected"
expect_eq "invalid JSON: 0 change requests" 0 "$(changes)"
expect_eq "invalid JSON: PATCH count unchanged (0)" 0 "$(emu_route "$PATCH_SLS")"
ok "invalid JSON: .error is not empty" test -s "$D/.error"
ok "invalid JSON: .error explains (mentions JSON/parse)" sh -c "grep -qiE 'json|parse|invalid|syntax|end of' '$D/.error'"
ok "invalid JSON: spec.json.rejected holds the text" cmp "$TMPD/bad" "$D/spec.json.rejected"
ok "invalid JSON: spec.json still has the old value" jqf '.displayName == "web-4"' "$D/spec.json"
ok "invalid JSON: cluster.json unchanged" jqf '.displayName == "web-4"' "$D/cluster.json"
ok "invalid JSON: ls shows spec.json.rejected" sh -c "ls -A '$D' | grep -qx spec.json.rejected"

bad_edit() { # bad_edit DESC JQ-FILTER WORD-IN-.error
	local desc=$1 filter=$2 word=$3
	emu_reset
	t jq "$filter" "$D/spec.json" >"$TMPD/edit" || { _fail "$desc: jq"; return; }
	expect_fail_errno "$desc: EINVAL" EINVAL cp "$TMPD/edit" "$D/spec.json"
	expect_eq "$desc: 0 change requests" 0 "$(changes)"
	[ -n "$word" ] && ok "$desc: .error mentions $word" grep -qi -- "$word" "$D/.error"
	ok "$desc: spec.json.rejected holds the text" cmp "$TMPD/edit" "$D/spec.json.rejected"
}
bad_edit "unknown field" '.bogusField = 1' bogusField
bad_edit "changed read-only field clusterId" ".clusterId = \"1\"" clusterId
bad_edit "changed read-only field state" '.state = "PAUSED"' state
bad_edit "wrong type for displayName" '.displayName = 5' displayName
bad_edit "wrong type for spendingLimit.monthly" '.spendingLimit.monthly = "lots"' monthly
bad_edit "not an object" '[.]' ""
bad_edit "autoScaling on a Starter cluster (Essential field)" '.autoScaling = {"minRcu": 2000, "maxRcu": 4000}' autoScaling

emu_reset
{ printf '{"displayName": "'; head -c 2000000 /dev/zero | tr '\0' 'a'; printf '"}\n'; } >"$TMPD/big"
expect_fail_errno "a 2 MB spec.json is refused (EFBIG)" EFBIG cp "$TMPD/big" "$D/spec.json"
expect_eq "the 2 MB spec.json sent nothing" 0 "$(changes)"

# --- no-op write: same content → no request
emu_reset
t cat "$D/spec.json" >"$TMPD/same"
ok "cp of the unchanged spec.json" cp "$TMPD/same" "$D/spec.json"
ok "reformatted but equal JSON" sh -c "jq -c . '$TMPD/same' >'$TMPD/same1' && cp '$TMPD/same1' '$D/spec.json'"
expect_eq "no-op writes: 0 PATCH" 0 "$(emu_route "$PATCH_SLS")"
expect_eq "no-op writes: 0 change requests" 0 "$(changes)"

# --- several fields at once → exactly one PATCH
emu_reset
ok "displayName + spendingLimit.monthly in one edit" \
	sh -c "jq '.displayName=\"web-multi\" | .spendingLimit.monthly=2500' '$D/spec.json' >'$TMPD/m' && cp '$TMPD/m' '$D/spec.json'"
expect_eq "multi-field change: exactly one PATCH" 1 "$(emu_route "$PATCH_SLS")"
ok "multi-field change: cluster.json has both" \
	jqf '.displayName == "web-multi" and .spendingLimit.monthly == 2500' "$D/cluster.json"
out=$(emu_api GET "https://serverless.tidbapi.com/v1beta1/clusters/$C_WEB")
if printf '%s' "${out%HTTP:*}" | jq -e '.displayName == "web-multi" and .spendingLimit.monthly == 2500' >/dev/null 2>&1; then
	_pass "multi-field change: the emulator has both"
else
	_fail "multi-field change: the emulator has both" "$out"
fi

# --- fsync commits (and reports the error at fsync)
fsync_write() { # fsync_write FILE TEXTFILE → prints OK or the errno name at fsync
	python3 - "$1" "$2" <<'EOF'
import os, sys, errno
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_TRUNC)
os.write(fd, open(sys.argv[2], 'rb').read())
try:
    os.fsync(fd)
    print("OK")
except OSError as e:
    print(errno.errorcode[e.errno])
try:
    os.close(fd)
except OSError as e:
    print("close:" + errno.errorcode[e.errno])
EOF
}
emu_reset
t jq '.displayName="web-fsync"' "$D/spec.json" >"$TMPD/f1"
expect_eq "fsync of a valid spec.json succeeds" OK "$(fsync_write "$D/spec.json" "$TMPD/f1" | head -1)"
expect_eq "fsync + close: one PATCH (close does not commit again)" 1 "$(emu_route "$PATCH_SLS")"
ok "fsync: cluster.json shows web-fsync" jqf '.displayName == "web-fsync"' "$D/cluster.json"
emu_reset
out=$(fsync_write "$D/spec.json" "$TMPD/bad" | head -1)
expect_eq "fsync of invalid JSON fails with EINVAL" EINVAL "$out"
expect_eq "fsync of invalid JSON: 0 change requests" 0 "$(changes)"

# --- the file operations around spec.json
emu_reset
ok "touch spec.json" touch "$D/spec.json"
ok "touch -d of spec.json" touch -d '2024-01-01 00:00:00' "$D/spec.json"
ok "chmod 644 spec.json" chmod 644 "$D/spec.json"
expect_eq "spec.json still 644" 644 "$(t stat -c %a "$D/spec.json")"
ok "truncate -s 0 spec.json succeeds" truncate -s 0 "$D/spec.json"
ok "after truncate spec.json still shows the current values" jqf '.displayName == "web-fsync"' "$D/spec.json"
trunc_redirect() { : > "$D/spec.json"; }
ok ": > spec.json (O_TRUNC, no write)" trunc_redirect
ok "after : > spec.json the cluster is unchanged" jqf '.displayName == "web-fsync"' "$D/cluster.json"
expect_eq "touch/chmod/truncate: 0 change requests" 0 "$(changes)"
ok "truncate -s 0 then write works" sh -c "truncate -s 0 '$D/spec.json' && jq '.displayName=\"web-t\"' '$TMPD/f1' >'$TMPD/t' && cp '$TMPD/t' '$D/spec.json'"
ok "truncate then write: cluster.json shows web-t" jqf '.displayName == "web-t"' "$D/cluster.json"
# hostile sizes: EFBIG, nothing sent, and the daemon lives on
emu_reset
expect_fail_errno "truncate -s 1T spec.json: File too large" EFBIG truncate -s 1T "$D/spec.json"
expect_fail_errno "dd seek=2^40 into spec.json: File too large" EFBIG \
	dd if=/dev/zero of="$D/spec.json" bs=1 seek=$((1 << 40)) count=1 status=none
expect_fail_errno "truncate -s 1T of a scratch file: File too large" EFBIG truncate -s 1T "$D/big.tmp"
rm -f "$D/big.tmp"
expect_eq "hostile sizes: 0 change requests" 0 "$(changes)"
# a refused ftruncate changes nothing: a valid text written on the same
# handle afterwards commits (it used to fail at close with EFBIG)
trunc_then_write() {
	python3 - "$D/spec.json" "$TMPD/tw" <<'EOF'
import os, sys, errno
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    os.ftruncate(fd, 1 << 40)
    print("ftruncate: no error")
except OSError as e:
    print("ftruncate:" + errno.errorcode[e.errno])
os.ftruncate(fd, 0)
os.write(fd, open(sys.argv[2], 'rb').read())
try:
    os.close(fd)
    print("close:OK")
except OSError as e:
    print("close:" + errno.errorcode[e.errno])
EOF
}
t jq '.displayName="web-t"' "$D/spec.json" >"$TMPD/tw"
expect_eq "ftruncate(1 TiB) on spec.json: EFBIG, then a valid write commits at close" \
	"ftruncate:EFBIG close:OK" "$(trunc_then_write | tr '\n' ' ' | sed 's/ $//')"

emu_reset
expect_fail_errno "rm cluster.json: Operation not permitted" EPERM rm -f "$D/cluster.json"
expect_fail_errno "rm state: Operation not permitted" EPERM rm -f "$D/state"
expect_fail_errno "rm id: Operation not permitted" EPERM rm -f "$D/id"
expect_fail_errno "rm .error: Operation not permitted" EPERM rm -f "$D/.error"
ok "cluster.json still there after rm" test -f "$D/cluster.json"
# rm spec.json: DESIGN §5 says EPERM, but a cross-device mv onto spec.json
# unlinks the target first (coreutils), so the daemon answers success and
# hides spec.json for a moment (a "whiteout"). What must hold either way:
# nothing is sent, the cluster stays, spec.json comes back unchanged.
out=$(timeout 20 rm -f "$D/spec.json" 2>&1); rc=$?
diag "rm -f spec.json: status $rc ${out:+($out)}"
case "$rc:$out" in
0:) diag "rm spec.json succeeded (whiteout) — differs from DESIGN §5 (EPERM)" ;;
*"Operation not permitted"*) _pass "rm spec.json: Operation not permitted" ;;
*) _fail "rm spec.json: EPERM or a harmless success" "status $rc: $out" ;;
esac
ok "rm spec.json: spec.json is back within 5 s" wait_for 5 test -f "$D/spec.json"
ok "rm spec.json: the spec is unchanged" jqf '.displayName == "web-t"' "$D/spec.json"
expect_eq "rm of fixed files: 0 change requests" 0 "$(changes)"
out=$(emu_api GET "https://serverless.tidbapi.com/v1beta1/clusters/$C_WEB")
case "$out" in *HTTP:200*) _pass "the cluster still exists (API)" ;; *) _fail "the cluster still exists (API)" "$out" ;; esac
expect_fail_errno "writing cluster.json is refused" "EACCES|EPERM" sh -c "/bin/echo '{}' > '$D/cluster.json'"
expect_fail_errno "writing state is refused" "EACCES|EPERM" sh -c "/bin/echo ACTIVE > '$D/state'"
expect_fail_errno "mv cluster.json away is refused" "EPERM|EACCES" mv "$D/cluster.json" "$D/c.json"
ok "mv spec.json spec.json.bak (backup copy)" mv "$D/spec.json" "$D/spec.json.bak"
ok "spec.json is still there after mv" jqf '.displayName == "web-t"' "$D/spec.json"
ok "spec.json.bak holds the spec text" jqf '.displayName == "web-t"' "$D/spec.json.bak"
ok "rm spec.json.bak (scratch) works" rm "$D/spec.json.bak"
expect_eq "mv/rm of the backup: 0 change requests" 0 "$(changes)"

# --- parallel edits of different clusters: one PATCH each
emu_reset
par_edit() { # par_edit PROJECT CLUSTER NEWNAME
	local d; d=$(cdir "$1" "$2")
	jq ".displayName=\"$3\"" "$d/spec.json" >"$TMPD/par.$2" && cp "$TMPD/par.$2" "$d/spec.json"
}
par_all() {
	par_edit $P_STAGING $C_STAGE_APP par-1 & local a=$!
	par_edit $P_ANALYTICS $C_REPORTS par-2 & local b=$!
	par_edit $P_ANALYTICS $C_SCRATCH1 par-3 & local c=$!
	par_edit $P_SANDBOX1 $C_EXPERIMENT par-4 & local e=$!
	wait $a && wait $b && wait $c && wait $e
}
ok "4 parallel spec.json edits of different clusters" par_all
expect_eq "parallel edits: 4 PATCH" 4 "$(emu_route "$PATCH_SLS")"
ok "parallel edits: each cluster shows its name" sh -c "
	jq -e '.displayName == \"par-1\"' '$(cdir $P_STAGING $C_STAGE_APP)/cluster.json' &&
	jq -e '.displayName == \"par-2\"' '$(cdir $P_ANALYTICS $C_REPORTS)/cluster.json' &&
	jq -e '.displayName == \"par-3\"' '$(cdir $P_ANALYTICS $C_SCRATCH1)/cluster.json' &&
	jq -e '.displayName == \"par-4\"' '$(cdir $P_SANDBOX1 $C_EXPERIMENT)/cluster.json'" 
ok "parallel edits: the analytics listing shows par-2 and par-3" sh -c "ls '$P/analytics/clusters' | grep -qx par-2 && ls '$P/analytics/clusters' | grep -qx par-3"
ok "parallel edits: scratch2 is now listed by its name (unique again)" sh -c "ls '$P/analytics/clusters' | grep -qx scratch"

# ================================================================ Essential
E=$(cdir $P_PRODUCTION $C_ORDERS_CACHE)
emu_reset
ok "Essential: autoScaling.maxRcu 4000 → 6000" \
	sh -c "jq '.autoScaling.maxRcu=6000' '$E/spec.json' >'$TMPD/e' && cp '$TMPD/e' '$E/spec.json'"
expect_eq "Essential: one PATCH serverless" 1 "$(emu_route "$PATCH_SLS")"
# MODIFYING is "Only for Dedicated Cluster" in the serverless state enum
expect_eq "Essential: state stays ACTIVE" ACTIVE "$(t cat "$E/state")"
ok "Essential: cluster.json shows maxRcu 6000 at once" jqf '.autoScaling.maxRcu == 6000' "$E/cluster.json"
ok "Essential: cluster.json still maxRcu 6000" jqf '.autoScaling.maxRcu == 6000 and .autoScaling.minRcu == 2000' "$E/cluster.json"
emu_reset
bad_ess() {
	t jq '.spendingLimit = {"monthly": 5}' "$E/spec.json" >"$TMPD/e2"
	expect_fail_errno "Essential: spendingLimit (a Starter field) is refused" EINVAL cp "$TMPD/e2" "$E/spec.json"
	expect_eq "Essential: the refused edit sent nothing (caught locally)" 0 "$(changes)"
}
bad_ess

# ================================================================ Dedicated
O=$(cdir $P_PRODUCTION $C_ORDERS_DB)
n=$(t jq '.tikvNodeSetting.nodeCount' "$O/spec.json")
if [ "${n:-0}" -gt 0 ] 2>/dev/null; then
	n2=$((n + 3))
	emu_reset
	ok "Dedicated: tikvNodeSetting.nodeCount $n → $n2" \
		sh -c "jq '.tikvNodeSetting.nodeCount=$n2' '$O/spec.json' >'$TMPD/d' && cp '$TMPD/d' '$O/spec.json'"
	expect_eq "Dedicated: one PATCH dedicated" 1 "$(emu_route "$PATCH_DED")"
	expect_eq "Dedicated: no serverless PATCH" 0 "$(emu_route "$PATCH_SLS")"
	expect_eq "Dedicated: state MODIFYING right after" MODIFYING "$(t cat "$O/state")"
	ok "Dedicated: cluster.json shows nodeCount $n2" jqf ".tikvNodeSetting.nodeCount == $n2" "$O/cluster.json"
	ok "Dedicated: state becomes ACTIVE (15 s)" wait_for 15 state_is "$O" ACTIVE
else
	_fail "Dedicated: spec.json has tikvNodeSetting.nodeCount" "got: $n"
fi

# paused: true → pauseCluster
emu_reset
ok "Dedicated: spec.json paused=true" \
	sh -c "jq '.paused=true' '$O/spec.json' >'$TMPD/p' && cp '$TMPD/p' '$O/spec.json'"
expect_eq "paused=true: one POST :pauseCluster" 1 "$(emu_route 'POST dedicated /v1beta1/clusters/{id}:pauseCluster')"
expect_eq "paused=true: no PATCH" 0 "$(emu_route "$PATCH_DED")"
st=$(t cat "$O/state")
case "$st" in PAUSING|PAUSED) _pass "paused=true: state $st" ;; *) _fail "paused=true: state PAUSING" "state: $st" ;; esac
expect_eq "paused=true: state PAUSING right after" PAUSING "$st"
ok "paused=true: state becomes PAUSED (15 s)" wait_for 15 state_is "$O" PAUSED

# ctl
S=$(cdir $P_STAGING $C_STAGE_DEDICATED)
ok "ctl of a dedicated cluster lists pause and resume" sh -c "grep -q pause '$S/ctl' && grep -q resume '$S/ctl'"
expect_eq "stage-dedicated is PAUSED" PAUSED "$(t cat "$S/state")"

# API failure: a node change on a PAUSED cluster is rejected by the API.
emu_reset
m=$(t jq '.tikvNodeSetting.nodeCount' "$S/spec.json")
t jq ".tikvNodeSetting.nodeCount=$(( ${m:-3} + 3 ))" "$S/spec.json" >"$TMPD/sd"
expect_fail_errno "API refusal (node change on a PAUSED cluster): close fails" "EBUSY|EINVAL|EACCES|EIO" \
	cp "$TMPD/sd" "$S/spec.json"
expect_eq "API refusal: one PATCH was sent (no retry of a 4xx)" 1 "$(emu_route "$PATCH_DED")"
ok "API refusal: .error is not empty" test -s "$S/.error"
apimsg=$(emu_api PATCH "https://dedicated.tidbapi.com/v1beta1/clusters/$C_STAGE_DEDICATED" "$(jq -c '{tikvNodeSetting}' "$TMPD/sd")" | head -c 2000)
diag "the emulator's answer to that PATCH: $apimsg"
msg=$(printf '%s' "${apimsg%HTTP:*}" | jq -r '.message // empty' 2>/dev/null)
if [ -n "$msg" ] && t grep -qF -- "$msg" "$S/.error"; then
	_pass "API refusal: .error carries the API's message"
else
	_fail "API refusal: .error carries the API's message ($msg)" "$(t cat "$S/.error")"
fi
ok "API refusal: spec.json.rejected holds the text" cmp "$TMPD/sd" "$S/spec.json.rejected"
ok "API refusal: spec.json shows the old nodeCount" jqf ".tikvNodeSetting.nodeCount == $m" "$S/spec.json"

emu_reset
ok "echo resume > ctl on a PAUSED dedicated cluster" sh -c "/bin/echo resume > '$S/ctl'"
expect_eq "ctl resume: one POST :resumeCluster" 1 "$(emu_route 'POST dedicated /v1beta1/clusters/{id}:resumeCluster')"
expect_eq "ctl resume: state RESUMING" RESUMING "$(t cat "$S/state")"
ok "ctl resume: state becomes ACTIVE (15 s)" wait_for 15 state_is "$S" ACTIVE

emu_reset
expect_fail_errno "echo bogus > ctl: Invalid argument" EINVAL sh -c "/bin/echo bogus > '$S/ctl'"
expect_fail_errno "ctl pause on a Starter cluster: Invalid argument" EINVAL sh -c "/bin/echo pause > '$D/ctl'"
expect_eq "bogus/Starter ctl: no pause/resume call" 0 \
	"$(emu_routes_matching ':(pause|resume)Cluster$')"
expect_fail_errno "printf 'bogus\npause\n' > ctl: Invalid argument" EINVAL \
	bash -c "printf 'bogus\npause\n' > '$S/ctl'"
expect_eq "ctl: after a refused verb the next one is not run" 0 \
	"$(emu_routes_matching ':(pause|resume)Cluster$')"
ok "ctl: .error keeps the first refusal" grep -q bogus "$S/.error"
expect_fail_errno "ctl resume on an ACTIVE cluster is refused" "EBUSY|EINVAL" sh -c "/bin/echo resume > '$S/ctl'"
ok "ctl refusal: .error explains" sh -c "grep -qiE 'resume|ACTIVE|PAUSED' '$S/.error'"
emu_reset
ok "ctl pause on the ACTIVE dedicated cluster" sh -c "/bin/echo pause > '$S/ctl'"
expect_eq "ctl pause: one POST :pauseCluster" 1 "$(emu_route 'POST dedicated /v1beta1/clusters/{id}:pauseCluster')"
ok "ctl pause: state becomes PAUSED (15 s)" wait_for 15 state_is "$S" PAUSED


# ================================================================ thrift
# Every request counts against the 100/min rate limit. An update's answer
# IS the new object: it replaces the item in the cached listing (no
# re-listing), so while the listing is fresh, listing the collection after
# an edit costs no request at all, and the new name shows at once.
unmount_fs
mount_fs cache_timeout=30
PC=$P/production/clusters
LISTS='^GET (serverless|dedicated) /v1beta1/clusters$'
ok "thrift: ls production/clusters (the listing is cached)" sh -c "ls '$PC' | grep -qx web-t"
emu_reset
ok "thrift: rename web-t to web-thrift through spec.json" \
	sh -c "jq '.displayName=\"web-thrift\"' '$D/spec.json' >'$TMPD/th' && cp '$TMPD/th' '$D/spec.json'"
ok "thrift: ls shows web-thrift at once" sh -c "ls '$PC' | grep -qx web-thrift"
ok "thrift: ls no longer shows web-t" sh -c "! ls '$PC' | grep -qx web-t"
ok "thrift: the new name resolves" jqf '.displayName == "web-thrift"' "$PC/web-thrift/cluster.json"
expect_eq "thrift: the edit and the listings after it cost no list request" 0 "$(emu_routes_matching "$LISTS")"
# the listing's items are partial: the edit needs the whole object first
expect_eq "thrift: the edit cost exactly two requests" 2 "$(emu_stat requests)"
expect_eq "thrift: ... the batch get of the whole object" 1 "$(emu_route 'GET serverless /v1beta1/clusters:batchGet')"
expect_eq "thrift: ... and the PATCH" 1 "$(emu_route "$PATCH_SLS")"

finish
