#!/bin/bash
# The request cost of reading each family of issue 9 through the mount:
# ls, ls -l, cat */<kind>.json and find on each collection, each from a
# flushed cache with only the path's parents resolved (their requests are
# not counted), and find over one cluster of each kind. Every collection
# costs its list request(s) (one per page of 100, one per source), nothing
# per item; the table is printed (diag) for the notes.
. "$(dirname "$0")/lib.sh"

start_emulator
mount_fs cache_timeout=30
P=$ORG/projects

flush() { echo flush > "$ORG/ctl"; }
# cost DIR CMD...: requests of CMD run in DIR after a flush and a warm-up
# of DIR's parent (so only DIR's own listing and below count)
cost() {
	local dir=$1; shift
	flush
	t ls "$(dirname "$dir")" >/dev/null 2>&1
	emu_reset
	(cd "$dir" && "$@" >/dev/null 2>&1)
	emu_stat requests
}
ROWS=""
# measure NAME DIR OBJFILE EXPECTED-LISTS
measure() {
	local name=$1 dir=$2 obj=$3 want=$4 n nl c f
	n=$(t ls "$dir" | wc -l)
	nl=$(cost "$dir" ls)
	c=$(cost "$dir" ls -l)
	if [ -n "$obj" ]; then
		f=$(cost "$dir" sh -c "cat */$obj")
	else
		f=-
	fi
	local fd
	fd=$(cost "$dir" find .)
	ROWS="$ROWS
$(printf '%-34s %5s %4s %6s %10s %5s' "$name" "$n" "$nl" "$c" "$f" "$fd")"
	expect_eq "$name: ls costs $want" "$want" "$nl"
	expect_eq "$name: ls -l costs $want" "$want" "$c"
	[ "$f" = - ] || expect_eq "$name: cat */$obj costs $want" "$want" "$f"
}

OD=$P/production/clusters/orders-db
OC=$P/production/clusters/orders-cache
measure "backups (Dedicated, v1beta)" "$OD/backups" backup.json 1
measure "backups (Essential)" "$OC/backups" backup.json 1
measure "restores (project)" "$P/staging/restores" restore.json 1
measure "branches" "$OC/branches" branch.json 1
measure "exports" "$OC/exports" export.json 1
measure "exports/<e>/files" "$OC/exports/orders-full-dump/files" "" 1
measure "imports (Essential)" "$OC/imports" import.json 1
measure "imports (Dedicated + v1beta)" "$OD/imports" import.json 2
measure "sql-users" "$OC/sql-users" user.json 1
measure "private-endpoints (1 Dedicated)" "$OD/private-endpoints" connection.json 1
measure "private-endpoints (2 Dedicated)" "$P/analytics/clusters/warehouse/private-endpoints" connection.json 1
measure "node-groups" "$P/analytics/clusters/warehouse/node-groups" node-group.json 1

# find over one cluster of each kind (its files and every sub-collection)
FROWS=""
for c in production/clusters/orders-db production/clusters/orders-cache production/clusters/website; do
	n=$(cost "$P/$c" find .)
	FROWS="$FROWS
$(printf '%-34s %5s' "$c" "$n")"
done
diag "collection                         items   ls  ls -l  cat */x.json  find$ROWS"
diag "find CLUSTER (cold)                requests$FROWS"
finish
