#!/bin/bash
# The hostile-input table (issue 12): every row of tests/hostile/*.rows is
# run through one mount of the default seed, and for each row the runner
# checks that the command failed with the row's errno, that it cost at most
# the row's number of API requests (0: refused locally, nothing sent), that
# the daemon is alive, that the row's .error explains it, and for a write of
# spec.json (or aws-cmek.json, query.sql) that the object on the emulator is
# unchanged (a GET straight to the emulator before and after), that the file
# read through the mount is unchanged, and that the user's text is kept in
# spec.json.rejected, aws-cmek.json.rejected or query.sql.rejected
# (sql-users excepted: their spec may carry a password, so nothing is
# kept; a text refused as too big, EFBIG, is not kept, so the .rejected
# file must be absent rather than show an older text). No row may send a change (POST, PATCH, PUT, DELETE)
# besides the POST of a customer signup URL, which changes nothing.
#
# Row format (one row a line, TAB-separated; blank lines and lines starting
# with '#' are comments):
#   1 description
#   2 the expected errno name(s), alternatives separated by '|'
#     (EINVAL|EPERM); the failing tool's message must carry its strerror text
#   3 the most API requests the row may cost (0 for a locally refused input;
#     a '# REQUESTS n:' comment above explains rows that may list once)
#   4 the .error file (relative to the organization root) that must explain
#     it, or '-'; expanded like a double-quoted shell word ($(date ...))
#   5 a text that .error must contain, or '-' (with a file in 4: non-empty)
#   6 the shell command (bash), run with the organization root as its
#     current directory and these variables:
#       $H    a scratch directory outside the mount (emptied before each row)
#       $N65  a name of 65 characters     $N300  a name of 300 bytes
#       $N4K  4096 characters             $ORG   the organization root
#       $NUL  a file holding one NUL byte
# The command runs under `timeout` (TCFS_CMD_TIMEOUT, 20 s), with
# pipefail. A row whose command writes a .template.json (`> x/.template.json`)
# runs after the other rows of its file: the template it leaves behind must
# not change what the other rows test.
# Env: HOSTILE_ROWS="a b" runs only tests/hostile/{a,b}.rows.
. "$(dirname "$0")/lib.sh"

start_emulator
# Listings stay fresh for the whole table, so what a row costs does not
# depend on how long the rows before it took.
mount_fs cache_timeout=600

H=$TMPD/h
N65=$(printf 'n%.0s' $(seq 1 65))
N300=$(printf 'x%.0s' $(seq 1 300))
N4K=$(printf 'k%.0s' $(seq 1 4096))
NUL=$TMPD/nul
printf '\0' >"$NUL"
export H N65 N300 N4K NUL ORG
mkdir -p "$H"

daemon_alive() { [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; }

ok "warm projects/" ls "$ORG/projects"

# ---------------------------------------------------------------- witnesses
# witness_url DIR: the emulator URL of the object that DIR (relative to
# $ORG, the directory of a written file) shows, or nothing.
declare -A WITNESS   # directory -> its witness URL, found once
idof() { timeout 10 cat "$ORG/$1/id" 2>/dev/null; }
witness_url() {
	local d=$1 id cid aid
	case "$d" in
	api-keys/*/*) ;;
	api-keys/*)
		id=$(idof "$d") && echo "https://iam.tidbapi.com/v1beta1/apikeys/$id" ;;
	projects/*/clusters/*/sql-users/*/*) ;;
	projects/*/clusters/*/sql-users/*)
		cid=$(idof "${d%/sql-users/*}") && id=$(idof "$d") &&
			echo "https://iam.tidbapi.com/v1beta1/clusters/$cid/sqlUsers/$id" ;;
	projects/*/clusters/*/*) ;;
	projects/*/clusters/*)
		[ -n "${WITNESS[$d]:-}" ] && { echo "${WITNESS[$d]}"; return; }
		id=$(idof "$d") || return
		if emu_api GET "https://serverless.tidbapi.com/v1beta1/clusters/$id" |
			grep -q '^HTTP:200'; then
			echo "https://serverless.tidbapi.com/v1beta1/clusters/$id?view=FULL"
		else
			echo "https://dedicated.tidbapi.com/v1beta1/clusters/$id"
		fi ;;
	projects/*/data-apps/*/endpoints/*/*) ;;
	projects/*/data-apps/*/endpoints/*)
		aid=$(idof "${d%/endpoints/*}") && id=$(idof "$d") &&
			echo "https://dataservice.tidbapi.com/v1beta1/dataApps/$aid/endpoints/$id" ;;
	projects/*/data-apps/*/api-keys/*/*) ;;
	projects/*/data-apps/*/api-keys/*)
		aid=$(idof "${d%/api-keys/*}") && id=$(idof "$d") &&
			echo "https://dataservice.tidbapi.com/v1beta1/dataApps/$aid/apiKeys/$id" ;;
	projects/*/data-apps/*/*) ;;
	projects/*/data-apps/*)
		id=$(idof "$d") && echo "https://dataservice.tidbapi.com/v1beta1/dataApps/$id" ;;
	projects/*/*) ;;
	projects/*)
		id=$(idof "$d") && echo "https://api.tidbcloud.com/api/v1beta/projects/$id/aws-cmek" ;;
	esac
}

# The file of the mount that a row writes: the last path ending in
# spec.json, aws-cmek.json or query.sql (outside $H and /tmp) that is
# written: the target of cp, >, tee, dd of= or sed -i.
row_target() {
	local p="[^ '\"<>|;&]*(spec\.json|aws-cmek\.json|query\.sql)"
	{
		grep -oE "(cp [^ ]+ |> *|tee |of=)$p( |;|&|\)|'|\$)" <<<"$1" |
			sed -E "s/^(cp [^ ]+ |> *|tee |of=)//; s/[ ;&)'\$]$//"
		case "$1" in *"sed -i"*) grep -oE "$p\$" <<<"$1" ;; esac
	} | grep -vE '^(\$H|/tmp|\$TMPD)' | tail -n 1
}

# ---------------------------------------------------------------- one row
ROWS_RUN=0
run_row() { # run_row FILE LINE DESC ERRNOS MAXREQ ERRFILE ERRTEXT CMD
	local file=$1 line=$2 desc=$3 errnos=$4 maxreq=$5 errfile=$6 errtext=$7 cmd=$8
	local name="$(basename "$file" .rows):$line $desc"
	local target="" tdir="" url="" before_api="" before_mnt="" problems=()
	case "$errfile" in *'$'*) errfile=$(cd "$ORG" && eval "printf '%s' \"$errfile\"") ;; esac
	ROWS_RUN=$((ROWS_RUN + 1))
	local t0=${EPOCHREALTIME/./}
	rm -rf "$H"; mkdir -p "$H"
	case "$cmd" in *spec.json*|*aws-cmek.json*|*query.sql*) target=$(row_target "$cmd") ;; esac
	if [ -n "$target" ]; then
		tdir=$(dirname "$target")
		url=$(witness_url "$tdir")
		WITNESS[$tdir]=$url
		[ -n "$url" ] && before_api=$(emu_api GET "$url")
		before_mnt=$(cd "$ORG" && timeout 10 cat "$target" 2>&1 | md5sum)
	fi
	emu_reset
	expect_fail_errno "$name: $errnos" "$errnos" \
		bash -o pipefail -c 'cd "$ORG" || exit 99; eval "$1"' row "$cmd"
	local out=$_OUT
	# one jq: the count, then the requests, then the changes among them
	local reqs n changes
	reqs=$(emu_requests | jq -r '.requests | length,
		(.[] | "  \(.method) \(.host) \(.path) \(.status)"),
		(.[] | select(.method != "GET")
		 | select((.path | test("signupURL$"; "i")) | not)
		 | "! \(.method) \(.host) \(.path)")' 2>&1)
	n=${reqs%%$'\n'*}
	changes=$(grep '^!' <<<"$reqs")
	[ "${n:--1}" -le "$maxreq" ] 2>/dev/null ||
		problems+=("$n API requests, at most $maxreq allowed:" "$(grep '^  ' <<<"$reqs")")
	[ -z "$changes" ] || problems+=("a change reached the emulator:" "$changes")
	daemon_alive || problems+=("the daemon died" "$(tail -30 "$DAEMON_LOG")")
	if [ "$errfile" != - ] && daemon_alive; then
		local e; e=$(timeout 10 cat "$ORG/$errfile" 2>&1)
		if [ "$errtext" != - ]; then
			case "$e" in *"$errtext"*) ;; *) problems+=("$errfile does not say \"$errtext\": $e") ;; esac
		elif [ -z "$e" ]; then
			problems+=("$errfile is empty")
		fi
	fi
	if [ -n "$target" ] && daemon_alive; then
		local after_mnt; after_mnt=$(cd "$ORG" && timeout 10 cat "$target" 2>&1 | md5sum)
		[ "$after_mnt" = "$before_mnt" ] || problems+=("$target changed in the mount")
		if [ -n "$url" ]; then
			local after_api; after_api=$(emu_api GET "$url")
			[ "$after_api" = "$before_api" ] || problems+=("the object changed on the emulator ($url):" \
				"before: ${before_api:0:600}" "after:  ${after_api:0:600}")
		fi
		case "$target" in
		*/sql-users/*) ;;
		*spec.json|*aws-cmek.json|*query.sql)
			# listed (readdir) and then read by name
			local rname="${target##*/}.rejected"
			local rej="$ORG/$tdir/$rname" has=""
			timeout 10 ls -a "$ORG/$tdir" | grep -qxF "$rname" && has=1
			if [ "$errnos" = EFBIG ]; then
				# too big to keep: no older text may pass for it
				[ -z "$has" ] ||
					problems+=("$rname is there after a refused text too big to keep")
			elif [ -z "$has" ]; then
				problems+=("$tdir has no $rname")
			elif [[ "$cmd" == *'cp $H/t '* ]] && [ -f "$H/t" ]; then
				timeout 20 cmp -s "$H/t" "$rej" || problems+=("$rname is not the text written ($(stat -c %s "$H/t") bytes): $(timeout 10 head -c 300 "$rej" 2>&1)")
			elif ! timeout 10 test -s "$rej"; then
				problems+=("$rname is empty")
			elif timeout 10 cmp -s "$rej" "$ORG/$target"; then
				problems+=("$rname holds the current text, not the edit")
			fi ;;
		esac
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		_pass "$name: ≤ $maxreq requests, alive, explained, nothing changed or lost"
	else
		_fail "$name: after the row" "command: $cmd" "${problems[@]}" "tool said: ${out:0:300}"
	fi
	local ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
	[ "$ms" -lt 1500 ] || diag "$name took $ms ms"
	if ! daemon_alive; then
		_fail "the daemon is alive; the rest of the table is not run"
		finish
	fi
}

# ---------------------------------------------------------------- the table
run_file() {
	local f=$1 line=0 l desc errnos maxreq errfile errtext cmd later=()
	while IFS= read -r l || [ -n "$l" ]; do
		line=$((line + 1))
		case "$l" in ''|'#'*) continue ;; esac
		IFS=$'\t' read -r desc errnos maxreq errfile errtext cmd <<<"$l"
		if [ -z "$cmd" ] || ! [ "$maxreq" -ge 0 ] 2>/dev/null; then
			_fail "$(basename "$f"):$line is a row of 6 TAB-separated columns" "$l"
			continue
		fi
		if [[ "$cmd" =~ \>\ *[^|\&\;]*\.template\.json ]]; then
			later+=("$line"$'\t'"$l")
			continue
		fi
		run_row "$f" "$line" "$desc" "$errnos" "$maxreq" "$errfile" "$errtext" "$cmd"
	done <"$f"
	for l in "${later[@]}"; do
		line=${l%%$'\t'*}; l=${l#*$'\t'}
		IFS=$'\t' read -r desc errnos maxreq errfile errtext cmd <<<"$l"
		run_row "$f" "$line" "$desc" "$errnos" "$maxreq" "$errfile" "$errtext" "$cmd"
	done
}

files=()
if [ -n "${HOSTILE_ROWS:-}" ]; then
	for r in $HOSTILE_ROWS; do files+=("$REPO/tests/hostile/$r.rows"); done
else
	files=("$REPO"/tests/hostile/*.rows)
fi
start=$SECONDS
for f in "${files[@]}"; do
	run_file "$f"
done
if [ -z "${HOSTILE_ROWS:-}" ]; then
	expect_ge "the table has at least 180 rows" 180 "$ROWS_RUN"
fi
diag "$ROWS_RUN rows in $((SECONDS - start)) s"
ok "the daemon is alive after the table" daemon_alive
finish
