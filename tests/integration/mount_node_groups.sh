#!/bin/bash
# The PrivateLink service of every TiDB node group (issue 9): a Dedicated
# cluster's node-groups/<group>/ (named by displayName, the
# tidbNodeGroupId an alias) holds node-group.json, id, state and
# private-link-service.json (that group's service); the cluster's own
# private-link-service.json stays the default group's. ls costs one list
# request, each service one GET, then cached. Starter/Essential clusters
# have no node-groups/.
. "$(dirname "$0")/lib.sh"

NG="/v1beta1/clusters/{id}/tidbNodeGroups"
LIST="GET dedicated $NG" GET1="GET dedicated $NG/{id}"
SVC="GET dedicated $NG/{id}/privateLinkService"
G1=${C_WAREHOUSE}01 G2=${C_WAREHOUSE}02

start_emulator
mount_fs cache_timeout=30
P=$ORG/projects
WH=$P/analytics/clusters/warehouse
OC=$P/production/clusters/orders-cache
OD=$P/production/clusters/orders-db
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }
api() { emu_api GET "https://dedicated.tidbapi.com/v1beta1$1" | sed '$d' | jq -cS .; }

ok "a Dedicated cluster has node-groups/" sh -c "ls '$WH' | grep -qx node-groups"
nok "a Starter/Essential cluster has none" sh -c "ls '$OC' | grep -qx node-groups"
expect_fail_errno "stat orders-cache/node-groups: ENOENT" ENOENT stat "$OC/node-groups"

# --- ls / ls -l: one list request, nothing per group
emu_reset
expect_eq "ls node-groups: by displayName" "DefaultGroup reporting " "$(lsn "$WH/node-groups")"
expect_eq "ls: one list request" 1 "$(emu_route "$LIST")"
emu_reset
ok "ls -l node-groups" sh -c "ls -l '$WH/node-groups' >/dev/null"
expect_eq "ls -l within cache_timeout: no request" 0 "$(emu_stat requests)"
expect_eq "a group's files" ".error id node-group.json private-link-service.json state " \
	"$(t ls -A "$WH/node-groups/reporting" | sort | tr '\n' ' ')"
expect_eq "orders-db: its one default group" "DefaultGroup " "$(lsn "$OD/node-groups")"

# --- contents
emu_reset
expect_eq "node-group.json is the emulator's group" "$(api "/clusters/$C_WAREHOUSE/tidbNodeGroups/$G2")" \
	"$(t jq -cS . "$WH/node-groups/reporting/node-group.json")"
expect_eq "id" "$G2" "$(t cat "$WH/node-groups/reporting/id")"
expect_eq "state" ACTIVE "$(t cat "$WH/node-groups/reporting/state")"
ok "the id is an alias" test -f "$WH/node-groups/$G2/node-group.json"
emu_reset
expect_eq "reporting/private-link-service.json is that group's service" \
	"$(api "/clusters/$C_WAREHOUSE/tidbNodeGroups/$G2/privateLinkService")" \
	"$(t jq -cS . "$WH/node-groups/reporting/private-link-service.json")"
ok "it names its own group" jqf ".tidbNodeGroupId == \"$G2\"" "$WH/node-groups/reporting/private-link-service.json"
expect_eq "DefaultGroup's is the cluster's private-link-service.json" \
	"$(t jq -cS . "$WH/private-link-service.json")" \
	"$(t jq -cS . "$WH/node-groups/DefaultGroup/private-link-service.json")"
ok "st_size is exact" sh -c \
	"[ \$(stat -c %s '$WH/node-groups/reporting/private-link-service.json') = \$(cat '$WH/node-groups/reporting/private-link-service.json' | wc -c) ]"
emu_reset
ok "cat */private-link-service.json | jq" sh -c \
	"cat '$WH'/node-groups/*/private-link-service.json | jq -s -e 'map(.tidbNodeGroupId) | sort == [\"$G1\", \"$G2\"]'"
expect_eq "again within cache_timeout: no request" 0 "$(emu_stat requests)"

# --- fresh mount: the cost of reading every group's service
unmount_fs
mount_fs cache_timeout=30
P=$ORG/projects WH=$P/analytics/clusters/warehouse
emu_reset
ok "cat */private-link-service.json (fresh)" sh -c \
	"cat '$WH'/node-groups/*/private-link-service.json >/dev/null"
expect_eq "one list, one service GET per group, no group GET" "1 2 0" \
	"$(emu_route "$LIST") $(emu_route "$SVC") $(emu_route "$GET1")"

# --- read-only
emu_reset
expect_fail_errno "mkdir in node-groups: EPERM" EPERM mkdir "$WH/node-groups/new"
expect_fail_errno "rmdir of a group: EPERM" EPERM rmdir "$WH/node-groups/reporting"
ok ".error says how" file_has "$WH/node-groups/reporting/.error" "spec.json"
expect_eq "no request for them" 0 "$(emu_stat requests)"

# --- the emulator
expect_eq "emulator: unknown group 404" "HTTP:404" \
	"$(emu_api GET "https://dedicated.tidbapi.com/v1beta1/clusters/$C_WAREHOUSE/tidbNodeGroups/1" | tail -1)"
expect_eq "emulator: a Starter cluster 404" "HTTP:404" \
	"$(emu_api GET "https://dedicated.tidbapi.com/v1beta1/clusters/$C_ORDERS_CACHE/tidbNodeGroups" | tail -1)"

finish
