#!/bin/bash
# Load with faults (issue 12): LOAD_SHELLS (4) shells each do LOAD_OPS
# (200 in make check; LOAD_OPS=2000 for the long form) mixed operations —
# ls of collections, reads of cluster.json/state/spec.json/id/.error,
# edits of spec.json, mkdir/rmdir of scratch clusters, branches and SQL
# users — against the
# emulator faulting LOAD_FAULT_RATE (1%; 3% in the short form) of the API
# requests at random
# (500, 503, reset, truncate, malformed; --fault-seed LOAD_SEED).
# Checked: the daemon never dies nor prints a sanitizer report; every
# failed operation is explained: its errno is one of the documented ones
# and the .error of its directory (or collection) says why; the daemon's
# RSS (VmRSS, sampled each second, and VmHWM) is reported: first, last,
# peak; asserted only against a runaway (peak under LOAD_RSS_MAX_KB).
. "$(dirname "$0")/lib.sh"

LOAD_OPS=${LOAD_OPS:-200}
LOAD_SHELLS=${LOAD_SHELLS:-4}
# 1% as issue 12 asks; the short form (a few hundred requests) faults 3%
# so that it sees a dozen faults or more
if [ "$LOAD_OPS" -ge 1000 ]; then LOAD_FAULT_RATE=${LOAD_FAULT_RATE:-0.01}
else LOAD_FAULT_RATE=${LOAD_FAULT_RATE:-0.03}; fi
LOAD_SEED=${LOAD_SEED:-12}
LOAD_RSS_MAX_KB=${LOAD_RSS_MAX_KB:-1048576}

# the default seed plus one empty project per shell for its scratch
# clusters (below)
jq --argjson n "$LOAD_SHELLS" '.projects += [range(0; $n) as $i |
	{"id": ("13728130891899700" + ("0" + ($i|tostring))[-2:]),
	 "name": ("ld-scratch-" + ($i|tostring))}]' \
	"$REPO/tests/emulator/default-seed.json" >"$TMPD/seed.json"
start_emulator --seed "$TMPD/seed.json" --transition-ms 200 \
	--fault-rate "$LOAD_FAULT_RATE" --fault-seed "$LOAD_SEED"
mount_fs cache_timeout=1
diag "load: $LOAD_SHELLS shells x $LOAD_OPS operations, fault rate $LOAD_FAULT_RATE, seed $LOAD_SEED"

P=$ORG/projects
daemon_alive() { kill -0 "$DAEMON_PID" 2>/dev/null; }
rss() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$DAEMON_PID/status" 2>/dev/null; }

# the clusters each shell edits (Starter: spendingLimit), by id path
EDIT=("$(cdir $P_PRODUCTION $C_WEB)" "$(cdir $P_STAGING $C_STAGE_APP)"
      "$(cdir $P_ANALYTICS $C_REPORTS)" "$(cdir $P_SANDBOX1 $C_EXPERIMENT)")
READ=("${EDIT[@]}" "$(cdir $P_PRODUCTION $C_ORDERS_DB)" "$(cdir $P_PRODUCTION $C_ORDERS_CACHE)"
      "$(cdir $P_STAGING $C_STAGE_DEDICATED)" "$(cdir $P_ANALYTICS $C_WAREHOUSE)")
# the collections the shells list: none is a scratch collection (a
# successful mkdir clears its collection's .error, which would wipe the
# explanation of another shell's failed ls there)
COLLS=("$P" "$P/production/data-apps" "$ORG/api-keys" "${READ[4]}/backups"
       "${EDIT[1]}/branches" "${READ[6]}/private-endpoints" "${EDIT[3]}/exports")
# each shell makes and removes its scratch clusters in a project of its
# own that nobody else reads: a successful mkdir clears its collection's
# .error, which also explains failed lookups of the names it holds, so a
# shared collection would wipe the explanation of another shell's failure
# before it is read
SCRATCHES=()
for n in $(seq 0 $((LOAD_SHELLS - 1))); do SCRATCHES+=("$P/ld-scratch-$n/clusters"); done
# ... and scratch resources of other families, one collection per shell:
# branches of its Starter cluster, SQL users of a Dedicated cluster
FSCRATCHES=("${EDIT[0]}/branches" "$(cdir $P_PRODUCTION $C_ORDERS_DB)/sql-users"
	    "${EDIT[2]}/branches" "$(cdir $P_STAGING $C_STAGE_DEDICATED)/sql-users")

# errnos an operation may fail with under faults (tidbcloudfs(1) ERRORS),
# and those of the races between the shells (a scratch cluster not yet
# ACTIVE or already gone)
KNOWN='Input/output error|No route to host|Connection timed out|Resource temporarily unavailable|Device or resource busy|No such file or directory|File exists|Interrupted system call'

# read_error FILE: the .error's text; reaching it resolves its path, which
# may meet an injected fault of its own (a listing answered 500): tried
# three times
read_error() {
	local e="" k
	for k in 1 2 3; do
		e=$(timeout 30 cat "$1" 2>/dev/null | head -c 300) && [ -n "$e" ] && break
	done
	printf '%s' "$e"
}

# worker N: runs the operations, appends one line per failed operation to
# $TMPD/fail.N: "op|errno text|.error text" (.error of the directory the
# operation concerned, else of its collection, else of the nearest
# directory above them that has one: a failed lookup is explained there)
worker() {
	local n=$1 i op d c out err made="" name cnt=0 nmk=0 nrm=0 nf=0
	local edit=${EDIT[$((n % ${#EDIT[@]}))]}
	local SCRATCH=${SCRATCHES[$((n % ${#SCRATCHES[@]}))]}
	local FSCRATCH=${FSCRATCHES[$((n % ${#FSCRATCHES[@]}))]}
	# what it reads: the four clusters no shell edits, and its own (a
	# successful edit clears the cluster's .error, which would wipe the
	# explanation of another shell's failed read there)
	local reads=("$edit" "${READ[@]:4}")
	RANDOM=$((LOAD_SEED + n))
	for ((i = 0; i < LOAD_OPS; i++)); do
		op=$((RANDOM % 20))
		d="" c=""
		case $op in
		0|1|2|3)  c=${COLLS[$((RANDOM % ${#COLLS[@]}))]}
			  out=$(timeout 60 ls "$c" 2>&1 >/dev/null) ;;
		4|5|6|7)  d=${reads[$((RANDOM % ${#reads[@]}))]}
			  out=$(timeout 60 cat "$d/cluster.json" 2>&1 >/dev/null) ;;
		8|9)      d=${reads[$((RANDOM % ${#reads[@]}))]}
			  out=$(timeout 60 cat "$d/state" "$d/id" 2>&1 >/dev/null) ;;
		10|11)    d=${reads[$((RANDOM % ${#reads[@]}))]}
			  out=$(timeout 60 cat "$d/spec.json" 2>&1 >/dev/null) ;;
		12)       d=${reads[$((RANDOM % ${#reads[@]}))]}
			  out=$(timeout 60 cat "$d/.error" 2>&1 >/dev/null) ;;
		13|14|15) d=$edit
			  out=$( { timeout 60 jq ".spendingLimit.monthly = $((1000 + RANDOM % 5000))" \
				"$d/spec.json" >"$TMPD/w$n.json" &&
				timeout 60 cp "$TMPD/w$n.json" "$d/spec.json"; } 2>&1) ;;
		16|17)    cnt=$((cnt + 1)); name=ld-$n-$cnt
			  # (a cluster has at most 5 branches: keep under that)
			  if [ $((RANDOM % 2)) = 0 ] || [ $nf -ge 3 ]; then c=$SCRATCH; else c=$FSCRATCH; fi
			  out=$(timeout 60 mkdir "$c/$name" 2>&1) &&
				{ made="$made $c/$name"; nmk=$((nmk + 1))
				  [ "$c" = "$FSCRATCH" ] && nf=$((nf + 1)); } ;;
		*)        set -- $made
			  if [ $# -eq 0 ]; then i=$((i - 1)); continue; fi
			  d=$1; shift; made="$*"; c=$(dirname "$d")
			  if out=$(timeout 60 rmdir "$d" 2>&1); then nrm=$((nrm + 1))
				  [ "$c" = "$FSCRATCH" ] && nf=$((nf - 1))
			  else case $out in *'Device or resource busy'*) made="$made $d" ;; esac; fi ;;
		esac
		if [ -n "$out" ]; then
			err=""
			[ -n "$d" ] && err=$(read_error "$d/.error")
			[ -z "$err" ] && [ -n "$c" ] && err=$(read_error "$c/.error")
			# a failed lookup of a name is explained in the
			# .error of the collection that holds it
			# (tidbcloudfs(1) .error): up the path
			local up=${c:-$d}
			while [ -z "$err" ] && [ "${#up}" -gt "${#ORG}" ]; do
				up=$(dirname "$up")
				err=$(read_error "$up/.error")
			done
			printf '%s|%s|%s\n' "$op" "$(printf '%s' "$out" | tr '\n' ' ' | head -c 300)" \
				"$(printf '%s' "$err" | tr '\n' ' ')" >>"$TMPD/fail.$n"
		fi
	done
	# leave no scratch cluster behind
	for d in $made; do timeout 60 rmdir "$d" 2>/dev/null; done
	echo "$i" >"$TMPD/done.$n"
	echo "$nmk $nrm" >"$TMPD/made.$n"
}

rss_first=$(rss VmRSS)
( while kill -0 "$DAEMON_PID" 2>/dev/null; do rss VmRSS; sleep 1; done >"$TMPD/rss" ) &
sampler=$!
start=$(date +%s)
pids=""
for n in $(seq 0 $((LOAD_SHELLS - 1))); do
	worker "$n" &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
secs=$(( $(date +%s) - start ))
rss_last=$(rss VmRSS)
rss_hwm=$(rss VmHWM)
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
rss_peak=$(sort -n "$TMPD/rss" | tail -1)

ok "load: the daemon is alive" daemon_alive
done_ops=0
for n in $(seq 0 $((LOAD_SHELLS - 1))); do
	done_ops=$((done_ops + $(cat "$TMPD/done.$n" 2>/dev/null || echo 0)))
done
expect_eq "load: every shell did all its operations" $((LOAD_SHELLS * LOAD_OPS)) "$done_ops"
cat "$TMPD"/fail.* >"$TMPD/fails" 2>/dev/null || : >"$TMPD/fails"
nfail=$(wc -l <"$TMPD/fails")
injected=$(emu_stat faults_injected)
requests=$(emu_stat requests)
unknown_errno=$(grep -cvE "^[0-9]+\|.*($KNOWN)" "$TMPD/fails")
no_error=$(grep -cE '\|$' "$TMPD/fails")
diag "load: $done_ops operations in ${secs} s, $requests API requests, $injected faults injected, $nfail operations failed"
diag "load: failures by errno: $(sed -E 's/^[0-9]+\|[^|]*: ([A-Z][^|:]*)\|.*/\1/' "$TMPD/fails" | sort | uniq -c | sort -rn | tr '\n' ';')"
diag "load: daemon VmRSS first ${rss_first} kB, last ${rss_last} kB, peak sampled ${rss_peak} kB, VmHWM ${rss_hwm} kB"
expect_ge "load: faults were injected" 1 "$injected"
expect_eq "load: every failure has a documented errno" 0 "$unknown_errno"
[ "$unknown_errno" = 0 ] || diag "$(grep -vE "^[0-9]+\|.*($KNOWN)" "$TMPD/fails" | head -5)"
expect_eq "load: every failure is explained in .error" 0 "$no_error"
if [ "$no_error" != 0 ]; then
	diag "$(grep -E '\|$' "$TMPD/fails" | head -5)"
	# what the daemon said about those resources
	for w in $(grep -E '\|$' "$TMPD/fails" | grep -oE "ld-[0-9]+-[0-9]+" | sort -u | head -5); do
		diag "daemon log about $w:" "$(grep -F -- "$w" "$DAEMON_LOG" | tail -8)"
	done
fi
expect_le "load: daemon peak RSS under $LOAD_RSS_MAX_KB kB (VmHWM $rss_hwm kB)" "$LOAD_RSS_MAX_KB" "${rss_hwm:-0}"
ok "load: after the load, reads work" jqf ".clusterId == \"$C_WEB\"" "$(cdir $P_PRODUCTION $C_WEB)/cluster.json"
diag "load: mkdir ok $(cat "$TMPD"/made.* 2>/dev/null | awk '{m+=$1; r+=$2} END {printf "%d, rmdir ok %d", m, r}')"
[ "$nfail" -gt 0 ] && diag "load: failed operations (op|error|.error):" "$(head -8 "$TMPD/fails" | cut -c1-400)"
finish
