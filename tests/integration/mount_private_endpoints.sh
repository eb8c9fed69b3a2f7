#!/bin/bash
# Private endpoint connections (issue 9): clusters/<dedicated>/private-
# endpoints/<endpointId>/ with connection.json, id, state, wait and .error;
# one list per cluster across its TiDB node groups (tidbNodeGroups/-);
# mkdir ENDPOINT-ID connects an endpoint on the cluster's default node group
# (vpce- pattern checked locally on AWS), rmdir deletes;
# clusters/<dedicated>/private-link-service.json. Starter / Essential
# clusters have neither.
. "$(dirname "$0")/lib.sh"

DG="dedicated /v1beta1/clusters/{id}/tidbNodeGroups/{id}/privateEndpointConnections"
LIST="GET $DG" GET1="GET $DG/{id}" POST="POST $DG" DEL="DELETE $DG/{id}"
E1=vpce-0a1b2c3d4e5f60718 E2=vpce-09f8e7d6c5b4a3921
NEW=vpce-0123456789abcdef0

start_emulator
mount_fs cache_timeout=30
P=$ORG/projects
OC=$P/production/clusters/orders-cache
OD=$P/production/clusters/orders-db
WH=$P/analytics/clusters/warehouse
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }

# --- the tree: Dedicated only
ok "a Dedicated cluster has private-endpoints/" test -d "$OD/private-endpoints"
ok "it is listed in the cluster directory" sh -c "ls '$OD' | grep -qx private-endpoints"
expect_fail_errno "an Essential cluster has none" ENOENT stat "$OC/private-endpoints"
ok "and does not list it" sh -c "! ls '$OC' | grep -q private-endpoints"

# --- ls -l: one list request, nothing per item
emu_reset
expect_eq "ls -l orders-db/private-endpoints: by endpointId" "$E1 " \
	"$(t ls -l "$OD/private-endpoints" | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')"
expect_eq "ls -l costs one list request" 1 "$(emu_route "$LIST")"
expect_eq "ls -l costs no GET per connection" 0 "$(emu_route "$GET1")"
expect_eq "warehouse has its own" "$E2 " "$(lsn "$WH/private-endpoints")"

# --- contents, from the listing
emu_reset
ok "cat */connection.json | jq" sh -c \
	"cat '$OD'/private-endpoints/*/connection.json | jq -e -s 'map(.endpointId) == [\"$E1\"]'"
expect_eq "id is the connection id" 1750000000000000601 "$(t cat "$OD/private-endpoints/$E1/id")"
expect_eq "state is the endpointState" ACTIVE "$(t cat "$OD/private-endpoints/$E1/state")"
ok "the id is an alias" cmp "$OD/private-endpoints/$E1/connection.json" \
	"$OD/private-endpoints/1750000000000000601/connection.json"
expect_eq "no request within cache_timeout" 0 "$(( $(emu_route "$LIST") + $(emu_route "$GET1") ))"
ok "st_size of connection.json is exact" sh -c \
	"[ \$(stat -c %s '$OD/private-endpoints/$E1/connection.json') = \$(cat '$OD/private-endpoints/$E1/connection.json' | wc -c) ]"
G=$(t jq -r .tidbNodeGroupId "$OD/private-endpoints/$E1/connection.json")
expect_eq "connection.json is the emulator's object" \
	"$(emu_api GET "https://dedicated.tidbapi.com/v1beta1/clusters/$C_ORDERS_DB/tidbNodeGroups/$G/privateEndpointConnections/1750000000000000601" | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$OD/private-endpoints/$E1/connection.json")"
expect_eq "wait of an ACTIVE connection returns at once" ACTIVE "$(t cat "$OD/private-endpoints/$E1/wait")"

# --- private-link-service.json: the PrivateLink service of the default node group
SVC="GET dedicated /v1beta1/clusters/{id}/tidbNodeGroups/{id}/privateLinkService"
expect_fail_errno "a Starter/Essential cluster has no private-link-service.json" ENOENT \
	stat "$OC/private-link-service.json"
emu_reset
MINE=$(t jq -cS . "$OD/private-link-service.json")
ok "ls -l and cat again" sh -c "ls -l '$OD/private-link-service.json' >/dev/null && cat '$OD/private-link-service.json' >/dev/null"
expect_eq "one GET of the service, then cached" 1 "$(emu_route "$SVC")"
expect_eq "private-link-service.json is the emulator's object (default node group)" \
	"$(emu_api GET "https://dedicated.tidbapi.com/v1beta1/clusters/$C_ORDERS_DB/tidbNodeGroups/$G/privateLinkService" | sed '$d' | jq -cS .)" \
	"$MINE"
ok "st_size is exact" sh -c \
	"[ \$(stat -c %s '$OD/private-link-service.json') = \$(cat '$OD/private-link-service.json' | wc -c) ]"

# --- find: one list per project with Dedicated clusters (mount_pe_find.sh)
unmount_fs
mount_fs cache_timeout=30
P=$ORG/projects
OD=$P/production/clusters/orders-db
emu_reset
ok "find MOUNT" sh -c "find '$MNT' >/dev/null"
NDED=$(jq '[.clusters[] | select(.kind == "dedicated")] | length' "$REPO/tests/emulator/default-seed.json")
NPRJ=$(jq '[.clusters[] | select(.kind == "dedicated") | .projectId] | unique | length' "$REPO/tests/emulator/default-seed.json")
expect_eq "find: one connections list per project with Dedicated clusters" "$NPRJ" "$(emu_route "$LIST")"
expect_eq "find: no GET per connection" 0 "$(emu_route "$GET1")"
diag "find MOUNT: $(emu_stat requests) requests; connection lists: $(emu_route "$LIST") for $NDED Dedicated clusters"

# --- hostile mkdir: refused locally
emu_reset
ok ".template.json: accountId and tidbNodeGroupId" jqf \
	'.accountId == "" and .tidbNodeGroupId == ""' "$OD/private-endpoints/.template.json"
expect_fail_errno "an endpoint id that is no vpce- id on AWS: EINVAL" EINVAL mkdir "$OD/private-endpoints/endpoint-1"
ok ".error says the pattern" file_has "$OD/private-endpoints/.error" "vpce-"
expect_fail_errno "vpce- with upper-case hex: EINVAL" EINVAL mkdir "$OD/private-endpoints/vpce-0123456789ABCDEF0"
expect_fail_errno "vpce- with 7 hex digits: EINVAL" EINVAL mkdir "$OD/private-endpoints/vpce-0123456"
expect_fail_errno "\"-\": EINVAL" EINVAL mkdir "$OD/private-endpoints/-"
echo '{"accountId": 12}' > "$OD/private-endpoints/.template.json"
expect_fail_errno "accountId not a string: EINVAL" EINVAL mkdir "$OD/private-endpoints/$NEW"
echo '{"accountId": "1", "subnet": "x"}' > "$OD/private-endpoints/.template.json"
expect_fail_errno "an unknown template field: EINVAL" EINVAL mkdir "$OD/private-endpoints/$NEW"
echo '{"tidbNodeGroupId": "-"}' > "$OD/private-endpoints/.template.json"
expect_fail_errno "tidbNodeGroupId \"-\": EINVAL" EINVAL mkdir "$OD/private-endpoints/$NEW"
expect_eq "no POST for any of them" 0 "$(emu_route "$POST")"
expect_eq "the connections are unchanged" "$E1 " "$(lsn "$OD/private-endpoints")"

# --- mkdir connects on the default node group; wait; rmdir deletes
echo '{"accountId": "210987654321", "tidbNodeGroupId": ""}' > "$OD/private-endpoints/.template.json"
emu_reset
ok "mkdir private-endpoints/$NEW" mkdir "$OD/private-endpoints/$NEW"
expect_eq "one POST" 1 "$(emu_route "$POST")"
expect_eq "on the default node group" "$G" "$(emu_requests | jq -r '[.requests[] | select(.method == "POST")][0].path' | cut -d/ -f6)"
ok "listed at once" sh -c "ls '$OD/private-endpoints' | grep -qx $NEW"
expect_eq "state PENDING at first" PENDING "$(t cat "$OD/private-endpoints/$NEW/state")"
expect_eq "wait blocks until ACTIVE" ACTIVE "$(t cat "$OD/private-endpoints/$NEW/wait")"
ok "accountId from the template" jqf '.accountId == "210987654321"' "$OD/private-endpoints/$NEW/connection.json"
emu_reset
ok "rmdir the connection" rmdir "$OD/private-endpoints/$NEW"
expect_eq "one DELETE" 1 "$(emu_route "$DEL")"
expect_fail_errno "gone at once" ENOENT stat "$OD/private-endpoints/$NEW"
ok "the seeded one is still there" test -d "$OD/private-endpoints/$E1"

# --- -o nodelete and -o ro
unmount_fs
mount_fs cache_timeout=30,nodelete
OD=$ORG/projects/production/clusters/orders-db
emu_reset
expect_fail_errno "rmdir with -o nodelete: EPERM" EPERM rmdir "$OD/private-endpoints/$E1"
expect_eq "no DELETE sent (nodelete)" 0 "$(emu_route "$DEL")"
unmount_fs
mount_fs cache_timeout=30,ro
OD=$ORG/projects/production/clusters/orders-db
emu_reset
expect_fail_errno "mkdir with -o ro: EROFS" EROFS mkdir "$OD/private-endpoints/vpce-0fedcba9876543210"
expect_fail_errno "rmdir with -o ro: EROFS" EROFS rmdir "$OD/private-endpoints/$E1"
expect_eq "nothing sent (ro)" 0 "$(( $(emu_route "$POST") + $(emu_route "$DEL") ))"

finish
