#!/bin/bash
# find over the org and private endpoints (issue 9: "use an org-wide list
# call where the API has one"): in a project with several Dedicated
# clusters, every cluster's private-endpoints/ is filled from ONE listing of
# the project's connections (GET …/clusters/-/tidbNodeGroups/-/
# privateEndpointConnections?projectId=P, split by clusterId), so find
# costs one request per project, not one per Dedicated cluster; ls of one
# cluster's private-endpoints/ still costs one request and shows only that
# cluster's connections; mkdir / rmdir show at once.
. "$(dirname "$0")/lib.sh"

N=12
PB=1372813089189900001
DG="dedicated /v1beta1/clusters/{id}/tidbNodeGroups/{id}/privateEndpointConnections"
LIST="GET $DG" GET1="GET $DG/{id}" POST="POST $DG" DEL="DELETE $DG/{id}"
SEED=$TMPD/seed.json
# the default seed plus project "fleet" with N Dedicated clusters, the
# first three with a connection each
jq --argjson n "$N" --arg pid "$PB" '
	.projects += [{"id": $pid, "name": "fleet"}]
	| .clusters += [range(1; $n + 1) as $i | {
		"kind": "dedicated",
		"clusterId": ("300000000000000" + ("00000" + ($i|tostring))[-5:]),
		"displayName": ("fleet-" + ("000" + ($i|tostring))[-3:]),
		"projectId": $pid, "state": "ACTIVE"}]
	| .privateEndpointConnections += [range(1; 4) as $i | {
		"id": ("17600000000000009" + ("00" + ($i|tostring))[-2:]),
		"clusterId": ("300000000000000" + ("00000" + ($i|tostring))[-5:]),
		"endpointId": ("vpce-0f1e2d3c4b5a6978" + ($i|tostring)),
		"accountId": "123456789012"}]' \
	"$REPO/tests/emulator/default-seed.json" > "$SEED"

start_emulator --seed "$SEED"
mount_fs cache_timeout=30
F=$ORG/projects/fleet/clusters
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }

# --- find over one project with N Dedicated clusters
emu_reset
ok "find projects/fleet" sh -c "find '$ORG/projects/fleet' >/dev/null"
expect_eq "find: ONE connections list for $N Dedicated clusters" 1 "$(emu_route "$LIST")"
expect_eq "it is the project's listing" 1 "$(emu_requests | jq --arg pb "projectId=$PB" '[.requests[] | select(.path | test("/clusters/-/tidbNodeGroups/-/privateEndpointConnections$")) | select(.query | contains($pb))] | length')"
expect_eq "find: no GET per connection" 0 "$(emu_route "$GET1")"
FLEET_REQ=$(emu_stat requests)
diag "find projects/fleet ($N Dedicated clusters): $FLEET_REQ requests, $(emu_route "$LIST") connection list(s)"
diag "by route: $(emu_routes_dump | jq -r 'to_entries | map("\(.value) \(.key)") | join("; ")')"
expect_eq "each cluster shows its own connection" "vpce-0f1e2d3c4b5a69781 " "$(lsn "$F/fleet-001/private-endpoints")"
expect_eq "fleet-002 too" "vpce-0f1e2d3c4b5a69782 " "$(lsn "$F/fleet-002/private-endpoints")"
expect_eq "a cluster without one: empty" "" "$(lsn "$F/fleet-009/private-endpoints")"
ok "connection.json names its cluster" jqf '.clusterId == "30000000000000000003"' \
	"$F/fleet-003/private-endpoints/vpce-0f1e2d3c4b5a69783/connection.json"

# --- find over the whole org: one list per project with Dedicated clusters
unmount_fs
mount_fs cache_timeout=30
F=$ORG/projects/fleet/clusters
emu_reset
ok "find MOUNT" sh -c "find '$MNT' >/dev/null"
NDED=$(jq '[.clusters[] | select(.kind == "dedicated")] | length' "$SEED")
NPRJ=$(jq '[.clusters[] | select(.kind == "dedicated") | .projectId] | unique | length' "$SEED")
expect_eq "find MOUNT: one connections list per project with Dedicated clusters ($NDED clusters)" \
	"$NPRJ" "$(emu_route "$LIST")"
diag "find MOUNT: $(emu_stat requests) requests; connection lists $(emu_route "$LIST") for $NDED Dedicated clusters in $NPRJ projects (one per cluster before)"

# --- ls of one cluster's private-endpoints/: one request, its own items
unmount_fs
mount_fs cache_timeout=30
F=$ORG/projects/fleet/clusters
t ls "$F" >/dev/null
emu_reset
expect_eq "ls fleet-002/private-endpoints" "vpce-0f1e2d3c4b5a69782 " "$(lsn "$F/fleet-002/private-endpoints")"
expect_eq "ls of one cluster: one request" 1 "$(emu_stat requests)"
emu_reset
expect_eq "then another cluster of the project: from the same listing" \
	"vpce-0f1e2d3c4b5a69781 " "$(lsn "$F/fleet-001/private-endpoints")"
expect_eq "no request" 0 "$(emu_stat requests)"

# --- changes show at once
echo '{"accountId": "123456789012", "tidbNodeGroupId": ""}' > "$F/fleet-005/private-endpoints/.template.json"
emu_reset
ok "mkdir in fleet-005" mkdir "$F/fleet-005/private-endpoints/vpce-0a0b0c0d0e0f01234"
expect_eq "one POST" 1 "$(emu_route "$POST")"
expect_eq "listed at once" "vpce-0a0b0c0d0e0f01234 " "$(lsn "$F/fleet-005/private-endpoints")"
expect_eq "not in a sibling" "" "$(lsn "$F/fleet-006/private-endpoints")"
ok "rmdir in fleet-001" rmdir "$F/fleet-001/private-endpoints/vpce-0f1e2d3c4b5a69781"
expect_eq "gone at once" "" "$(lsn "$F/fleet-001/private-endpoints")"
expect_eq "one DELETE" 1 "$(emu_route "$DEL")"

# --- one Dedicated cluster in the project: its own listing
emu_reset
expect_eq "orders-db (alone in production)" "vpce-0a1b2c3d4e5f60718 " \
	"$(lsn "$ORG/projects/production/clusters/orders-db/private-endpoints")"
expect_eq "it used the cluster's listing" 1 "$(emu_requests | jq --arg p "/clusters/$C_ORDERS_DB/tidbNodeGroups/-/privateEndpointConnections" '[.requests[] | select(.path | endswith($p))] | length')"

finish
