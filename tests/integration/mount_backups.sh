#!/bin/bash
# Backups (issue 9, the first family on the row machinery):
# clusters/<c>/backups/<b>/ with backup.json, id and .error. Starter /
# Essential: named by id (no display name), no mkdir. Dedicated: named by
# name, state, mkdir NAME takes a manual backup. rmdir deletes; ls -l = one
# list request per page and nothing per item; ls clusters/ never lists a
# cluster's sub-collections; -o ro and -o nodelete refuse rmdir with no
# request.
. "$(dirname "$0")/lib.sh"

B1=1720000000000000101 B2=1720000000000000102 B3=1720000000000000103
S1=1720000000000000201 S2=1720000000000000202
LIST="GET serverless /v1beta1/backups"
GET1="GET serverless /v1beta1/backups/{id}"
DEL="DELETE serverless /v1beta1/backups/{id}"
DB="v1beta /api/v1beta/projects/{id}/clusters/{id}/backups"
DLIST="GET $DB" DGET="GET $DB/{id}" DPOST="POST $DB" DDEL="DELETE $DB/{id}"

start_emulator
mount_fs cache_timeout=30
P=$ORG/projects
OC=$P/production/clusters/orders-cache
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }

# --- the tree
ok "an Essential cluster has backups/" test -d "$OC/backups"
ok "a Starter cluster has backups/" test -d "$P/production/clusters/website/backups"
ok "backups/ is listed in the cluster directory" sh -c "ls '$OC' | grep -qx backups"
ok "a Dedicated cluster has backups/" test -d "$P/production/clusters/orders-db/backups"

# --- ls -l: one list request, nothing per item
emu_reset
expect_eq "ls -l orders-cache/backups: the three backups by id" "$B1 $B2 $B3 " \
	"$(t ls -l "$OC/backups" | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')"
expect_eq "ls -l costs one list request" 1 "$(emu_route "$LIST")"
expect_eq "ls -l costs no GET per backup" 0 "$(emu_route "$GET1")"
ok "ls -A shows .error" sh -c "ls -A '$OC/backups' | grep -qx .error"

# --- contents, from the listing (no request)
emu_reset
ok "cat */backup.json | jq: every backupId" sh -c \
	"cat '$OC'/backups/*/backup.json | jq -e -s 'map(.backupId) | sort == [\"$B1\",\"$B2\",\"$B3\"]'"
ok "backup.json names its cluster" jqf ".clusterId == \"$C_ORDERS_CACHE\"" "$OC/backups/$B2/backup.json"
expect_eq "id holds the backup id" "$B3" "$(t cat "$OC/backups/$B3/id")"
expect_eq "backup.json and id: no request within cache_timeout" 0 \
	"$(( $(emu_route "$LIST") + $(emu_route "$GET1") ))"
expect_eq "backup.json is the emulator's object" \
	"$(emu_api GET https://serverless.tidbapi.com/v1beta1/backups/$B1 | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$OC/backups/$B1/backup.json")"
ok "mtime of a backup directory is its createTime" \
	test "$(stat -c %Y "$OC/backups/$B2")" = "$(date -d 2024-03-02T03:00:00Z +%s)"

# --- children of different parents never collide
expect_eq "stage-app has its own two backups" "$S1 $S2 " "$(lsn "$P/staging/clusters/stage-app/backups")"
expect_eq "a cluster without backups: an empty directory" "" "$(lsn "$P/production/clusters/website/backups")"
expect_fail_errno "a backup of another cluster is not reachable here" ENOENT \
	stat "$P/staging/clusters/stage-app/backups/$B1"
ok "find lists every backup file" sh -c \
	"[ \$(find '$OC/backups' -name backup.json | wc -l) = 3 ]"

# --- ls clusters/ does not list sub-collections; find lists each once
unmount_fs
mount_fs cache_timeout=30
P=$ORG/projects
emu_reset
ok "ls -l production/clusters" t ls -l "$P/production/clusters"
ok "ls of a cluster directory" t ls "$P/production/clusters/orders-cache"
expect_eq "ls of clusters/ and of a cluster list no backups" 0 "$(emu_route "$LIST")"
emu_reset
ok "find MOUNT" sh -c "find '$MNT' >/dev/null"
NSLS=$(jq '[.clusters[] | select(.kind != "dedicated")] | length' "$REPO/tests/emulator/default-seed.json")
NDED=$(jq '[.clusters[] | select(.kind == "dedicated")] | length' "$REPO/tests/emulator/default-seed.json")
expect_eq "find: one backups list per Starter/Essential cluster" "$NSLS" "$(emu_route "$LIST")"
expect_eq "find: one backups list per Dedicated cluster" "$NDED" "$(emu_route "$DLIST")"
expect_eq "find: no GET per backup" 0 "$(( $(emu_route "$GET1") + $(emu_route "$DGET") ))"
diag "find MOUNT: $(emu_stat requests) requests; backups lists: $(emu_route "$LIST") for $NSLS Starter/Essential clusters, $(emu_route "$DLIST") for $NDED Dedicated"

# --- mkdir: the serverless API takes no manual backup
expect_fail_errno "mkdir in a Starter/Essential backups/ is refused" EPERM mkdir "$OC/backups/new"
ok ".error says why" file_has "$OC/backups/.error" "no manual backup"

# --- Dedicated: by name, state, mkdir takes a manual backup
OD=$P/production/clusters/orders-db
emu_reset
expect_eq "ls orders-db/backups: by name" "before-schema-change nightly-2024-03-01 nightly-2024-03-02 " \
	"$(lsn "$OD/backups")"
expect_le "at most one v1beta list request (find listed it already)" 1 "$(emu_route "$DLIST")"
expect_eq "state is the status" SUCCESS "$(t cat "$OD/backups/nightly-2024-03-01/state")"
ok "backup.json by name and by id alias agree" cmp "$OD/backups/before-schema-change/backup.json" \
	"$OD/backups/1730000000000000303/backup.json"
expect_eq "reading costs no GET" 0 "$(emu_route "$DGET")"
expect_eq "warehouse has its own (FAILED) backup" FAILED \
	"$(t cat "$P/analytics/clusters/warehouse/backups/quarter-end/state")"
ok ".template.json of Dedicated backups" jqf 'has("description")' "$OD/backups/.template.json"
expect_fail_errno "mkdir with a name over 64 characters: EINVAL, nothing sent" EINVAL \
	mkdir "$OD/backups/$(printf 'x%.0s' $(seq 65))"
expect_eq "no POST for a bad name" 0 "$(emu_route "$DPOST")"
ok "mkdir orders-db/backups/pre-upgrade" mkdir "$OD/backups/pre-upgrade"
expect_eq "one POST" 1 "$(emu_route "$DPOST")"
ok "the new backup is listed at once" sh -c "ls '$OD/backups' | grep -qx pre-upgrade"
ok "its state is readable" test -s "$OD/backups/pre-upgrade/state"
ok "rmdir the manual backup" rmdir "$OD/backups/pre-upgrade"
expect_eq "one v1beta DELETE" 1 "$(emu_route "$DDEL")"
expect_fail_errno "gone at once" ENOENT stat "$OD/backups/pre-upgrade"

# --- -o nodelete and -o ro refuse rmdir with no request
unmount_fs
mount_fs cache_timeout=30,nodelete
OC=$ORG/projects/production/clusters/orders-cache
emu_reset
expect_fail_errno "rmdir with -o nodelete: EPERM" EPERM rmdir "$OC/backups/$B1"
ok ".error says nodelete" file_has "$OC/backups/$B1/.error" nodelete
expect_eq "no DELETE sent (nodelete)" 0 "$(emu_route "$DEL")"
unmount_fs
mount_fs cache_timeout=30,ro
OC=$ORG/projects/production/clusters/orders-cache
emu_reset
expect_fail_errno "rmdir with -o ro: EROFS" EROFS rmdir "$OC/backups/$B1"
expect_eq "no DELETE sent (ro)" 0 "$(emu_route "$DEL")"

# --- rmdir deletes: one DELETE, gone at once, no list request
unmount_fs
mount_fs cache_timeout=30
OC=$ORG/projects/production/clusters/orders-cache
ok "ls before rmdir" t ls "$OC/backups"
emu_reset
ok "rmdir a backup" rmdir "$OC/backups/$B1"
expect_eq "one DELETE" 1 "$(emu_route "$DEL")"
expect_eq "gone from ls at once" "$B2 $B3 " "$(lsn "$OC/backups")"
expect_eq "and no list request for it" 0 "$(emu_route "$LIST")"
expect_fail_errno "the deleted backup is gone" ENOENT stat "$OC/backups/$B1"
expect_eq "the API no longer has it" "HTTP:404" \
	"$(emu_api GET https://serverless.tidbapi.com/v1beta1/backups/$B1 | tail -1)"
expect_fail_errno "rmdir of a backup id that does not exist" ENOENT rmdir "$OC/backups/1720000000000000999"

finish
