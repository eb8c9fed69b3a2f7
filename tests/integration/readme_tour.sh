#!/bin/bash
# readme_tour.sh — runs the README's "A session" block against the
# emulator (as `make demo` starts it: --transition-ms 5000) and compares
# every command's output with the README's, so the documentation cannot
# drift from the behaviour. Commands are the lines starting with "$ ",
# each run with bash -c in MNT/default/projects; bash's "line N: " in
# error messages is dropped (an interactive shell does not print it).
. "$(dirname "$0")/lib.sh"

README=$REPO/README.md
start_emulator --transition-ms 5000
mount_fs
cd "$ORG/projects" || { _fail "cd into the mount"; finish; }

# the block: from "## A session" to the first closing fence after it
awk '/^## A session/ { s = 1; next }
     s == 1 && /^```/ { s = 2; next }
     s == 2 && /^```/ { exit }
     s == 2 { print }' "$README" >"$TMPD/tour"
ok "the README has a session block with commands" grep -q '^\$ ' "$TMPD/tour"

run_cmd() {
	[ -n "$cmd" ] || return 0
	local got
	got=$(TCFS_CMD_TIMEOUT=30 t bash -c "$cmd" 2>&1 | sed -E 's/^bash: line [0-9]+: /bash: /')
	expect_eq "README: \$ $cmd" "$want" "$got"
}
cmd="" want=""
while IFS= read -r line; do
	if [ "${line:0:2}" = '$ ' ]; then
		run_cmd
		cmd=${line:2} want=""
	else
		want="${want:+$want
}$line"
	fi
done <"$TMPD/tour"
run_cmd
cd "$TMPD"
finish
