#!/bin/bash
# Hostile names and ctl writes (issue 12): every name and field is checked
# locally against the API's published rules (EINVAL, no request, .error
# says which rule); a ctl write is all verbs or nothing; an invalid
# spec.json is refused before the API is asked, even when it is down; names
# from the API never reach the log or .error with raw control characters.
. "$(dirname "$0")/lib.sh"

start_emulator --transition-ms 500
mount_fs cache_timeout=1

P=$ORG/projects
CL=$P/staging/clusters
W=$(cdir $P_PRODUCTION $C_WEB)
S=$(cdir $P_STAGING $C_STAGE_DEDICATED)
daemon_alive() { kill -0 "$DAEMON_PID" 2>/dev/null; }
arm_fault() {
	_emu_curl -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-d "$1" https://api.tidbcloud.com/_emulator/faults | grep -qx 200
}
clear_faults() { _emu_curl -o /dev/null -X DELETE https://api.tidbcloud.com/_emulator/faults; }

# ------------------------------------------------------------ the seed obeys the rules
ok "every seeded cluster name matches the published pattern" jq -e \
	'all(.clusters[].displayName; test("^[A-Za-z0-9][-A-Za-z0-9]{2,62}[A-Za-z0-9]$"))' \
	"$REPO/tests/emulator/default-seed.json"
ok "every seeded project name is 1..64 characters without control characters" jq -e \
	'all(.projects[].name; length >= 1 and length <= 64 and (explode | all(. >= 32 and . != 127)))' \
	"$REPO/tests/emulator/default-seed.json"

# ------------------------------------------------------------ mkdir of bad cluster names
ok "ls staging/clusters (warm the cache)" ls "$CL"
emu_reset
for name in my_db x ab web web.prod -rf "bad name" -web web- \
	a2345678901234567890123456789012345678901234567890123456789012345 \
	"$(printf 'new\nline')" "$(printf 'esc\033[31m')"; do
	shown=$(printf '%s' "$name" | od -An -c | tr -s ' \n' '  ' | head -c 40)
	expect_fail_errno "mkdir clusters/[$shown]: Invalid argument" EINVAL mkdir -- "$CL/$name"
done
expect_eq "bad cluster names: no request reached the API" 0 "$(emu_routes_matching '^POST')"
mkdir -- "$CL/ab" 2>/dev/null
ok "bad cluster name: .error says which rule" grep -q "4 to 64" "$CL/.error"
mkdir -- "$CL/my_db" 2>/dev/null
ok "bad cluster name: .error names the pattern" grep -qF "[-A-Za-z0-9]{2,62}" "$CL/.error"
mkdir -- "$CL/$(printf 'esc\033[31m')" 2>/dev/null
ok "bad cluster name: .error escapes the control character" \
	sh -c "grep -qF 'esc\\e[31m' '$CL/.error' && ! grep -q \$'\\033' '$CL/.error'"
ok "the daemon log has no raw escape character" sh -c "! grep -q \$'\\033' '$DAEMON_LOG'"
expect_fail_errno "Dedicated template: a bad name is refused the same" EINVAL mkdir "$P/production/clusters/a_b"

# ------------------------------------------------------------ mkdir of bad project names
emu_reset
for name in "$(printf 'proj\nnewline')" "$(printf 'proj\033[2J')" "$(printf 'tab\there')" \
	" leading" p2345678901234567890123456789012345678901234567890123456789012345; do
	shown=$(printf '%s' "$name" | od -An -c | tr -s ' \n' '  ' | head -c 40)
	expect_fail_errno "mkdir projects/[$shown]: Invalid argument" EINVAL mkdir -- "$P/$name"
done
expect_eq "bad project names: no request reached the API" 0 "$(emu_routes_matching '^POST')"
mkdir -- "$P/$(printf 'proj\nnewline')" 2>/dev/null
ok "bad project name: .error says control character" grep -q "control character" "$P/.error"
ok "bad project name: .error is one line" sh -c "[ \$(wc -l <'$P/.error') = 1 ]"

# ------------------------------------------------------------ spec.json displayName
t cat "$W/spec.json" >/dev/null
emu_reset
for name in ab my_db -web "a/b" "$(printf 'x\033[31my')"; do
	shown=$(printf '%s' "$name" | od -An -c | tr -s ' \n' '  ' | head -c 40)
	t jq --arg n "$name" '.displayName = $n' "$W/spec.json" >"$TMPD/s.json"
	expect_fail_errno "Starter spec.json displayName [$shown]: Invalid argument" EINVAL cp "$TMPD/s.json" "$W/spec.json"
done
t jq '.displayName = "a_cd"' "$(cdir $P_PRODUCTION $C_ORDERS_DB)/spec.json" >"$TMPD/d.json"
expect_fail_errno "Dedicated spec.json displayName a_cd: Invalid argument" EINVAL \
	cp "$TMPD/d.json" "$(cdir $P_PRODUCTION $C_ORDERS_DB)/spec.json"
expect_eq "bad displayNames: no PATCH reached the API" 0 "$(emu_routes_matching '^PATCH')"
ok "bad displayName: .error names the field and the rule" \
	sh -c "grep -q displayName '$(cdir $P_PRODUCTION $C_ORDERS_DB)/.error' && grep -q letters '$(cdir $P_PRODUCTION $C_ORDERS_DB)/.error'"
ok "bad displayName: the text is kept in spec.json.rejected" grep -q a_cd "$(cdir $P_PRODUCTION $C_ORDERS_DB)/spec.json.rejected"
ok "the name is unchanged" jqf '.displayName == "website"' "$W/cluster.json"
t jq '.displayName = "website-2"' "$W/spec.json" >"$TMPD/s.json"
ok "a valid new displayName is applied" cp "$TMPD/s.json" "$W/spec.json"
expect_eq "a valid displayName: one PATCH" 1 "$(emu_routes_matching '^PATCH')"

# ------------------------------------------------------------ ctl: all or nothing
# One write(2) is all verbs or nothing (python: one write call; bash's
# printf writes line by line, and lines already written have run).
ctl_write() { python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
os.write(fd, sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
os.close(fd)' "$S/ctl" "$1"; }
emu_reset
expect_fail_errno "printf 'garbage\\0pause' > ctl: Invalid argument" EINVAL \
	bash -c "printf 'garbage\\0pause' > '$S/ctl'"
expect_fail_errno "printf 'resume\\0' > ctl: Invalid argument" EINVAL \
	bash -c "printf 'resume\\0' > '$S/ctl'"
ok "NUL in ctl: .error explains" grep -q NUL "$S/.error"
expect_fail_errno "one write 'resume\\nbogus\\n' to ctl: Invalid argument (whole write refused)" EINVAL \
	ctl_write 'resume\nbogus\n'
expect_fail_errno "one write 'resume\\n\\n' to ctl: Invalid argument (an empty line)" EINVAL \
	ctl_write 'resume\n\n'
expect_fail_errno "printf ' resume \\n' > ctl: Invalid argument (not exactly a verb)" EINVAL \
	bash -c "printf ' resume \\n' > '$S/ctl'"
ok "ctl refusal: .error says which line" grep -q 'line 1 " resume "' "$S/.error"
expect_fail_errno "a 1 MB line to ctl: Invalid argument" EINVAL \
	sh -c "head -c 1048576 /dev/zero | tr '\\0' x > '$S/ctl'"
ok "a 1 MB line: .error explains" grep -q '4096 bytes' "$S/.error"
expect_eq "refused ctl writes: no pause/resume reached the API" 0 "$(emu_routes_matching '^POST')"
expect_eq "the cluster is still PAUSED" PAUSED "$(t cat "$S/state")"
ok "daemon alive after hostile ctl writes" daemon_alive

# ------------------------------------------------------------ validation before the network
# The API is down (every request answers 503); an invalid spec.json is
# refused with EINVAL and no request at all. The file is opened while the
# API is up (path lookups need it once the listing expired), written after.
D=$(cdir $P_PRODUCTION $C_ORDERS_CACHE)
t cat "$D/spec.json" >/dev/null
cat >"$TMPD/late.py" <<'PY'
import errno, os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_TRUNC)
open(sys.argv[4], "w").close()
time.sleep(float(sys.argv[3]))
os.write(fd, sys.argv[2].encode())
try:
    os.close(fd)
except OSError as e:
    print(errno.errorcode[e.errno]); sys.exit(1)
print("OK")
PY
late_write() { # late_write TEXT SECONDS_TO_WAIT ARMED_FAULT...
	rm -f "$TMPD/opened"
	python3 "$TMPD/late.py" "$D/spec.json" "$1" "$2" "$TMPD/opened" & local pid=$!
	wait_for 10 test -e "$TMPD/opened"
	emu_reset; arm_fault '{"kind":"status","status":503,"count":1000}'
	wait $pid
}
for text in '{"displayName": "ab"}' '{"displayName": ' '{"displayName": 42}' '[1, 2]'; do
	out=$(late_write "$text" 1.5)
	expect_eq "API down, invalid spec $text: EINVAL" EINVAL "$out"
	expect_eq "API down, invalid spec $text: no request" 0 "$(emu_stat requests)"
	clear_faults
done
ok "API down: .error says why (nothing was sent)" grep -q "nothing was sent" "$D/.error"
out=$(late_write '{"displayName": "cache-2"}' 1.5)
ok "API down, a valid spec: not EINVAL (it needs the API)" test "$out" != EINVAL -a "$out" != OK
clear_faults
ok "daemon alive" daemon_alive

finish
