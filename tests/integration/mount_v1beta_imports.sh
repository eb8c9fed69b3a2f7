#!/bin/bash
# The deprecated v1beta import tasks (issue 9, "the deprecated v1beta
# imports readable"): a Dedicated cluster's imports/ merges them with its
# dedicated v1beta1 imports (a second source, one list per page, nothing
# per item). Named by metadata.id; import.json is the v1beta ImportItem,
# state its status.phase, progress its status.progress.import_progress;
# read-only (no ctl, rmdir refused without a request). Starter/Essential
# clusters do not ask for them.
. "$(dirname "$0")/lib.sh"

P_PROD=1372813089189561287
V1=1760000000000000701 V2=1760000000000000702
I2=imp-x7nq4rm2bc6kvz3hdw5tyejpfa
VI="/api/v1beta/projects/{id}/clusters/{id}/imports"
VLIST="GET v1beta $VI" VGET="GET v1beta $VI/{id}"
DLIST="GET dedicated /v1beta1/clusters/{id}/imports"
DGET="GET dedicated /v1beta1/clusters/{id}/imports/{id}"

start_emulator
mount_fs cache_timeout=30
P=$ORG/projects
OD=$P/production/clusters/orders-db
OC=$P/production/clusters/orders-cache
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }

# --- the emulator: the published shape
EMU_V1=$(emu_api GET "https://api.tidbcloud.com/api/v1beta/projects/$P_PROD/clusters/$C_ORDERS_DB/imports/$V1" | sed '$d' | jq -cS .)
ok "emulator: the v1beta ImportItem" sh -c "echo '$EMU_V1' | jq -e '.metadata.id == \"$V1\" and .spec.source.type == \"S3\" and .spec.source.format.type == \"CSV\" and .spec.target.tables[0].database_name == \"app\" and .status.phase == \"COMPLETED\" and .status.progress.import_progress == 100'"
expect_eq "emulator: list {items,total}" 2 \
	"$(emu_api GET "https://api.tidbcloud.com/api/v1beta/projects/$P_PROD/clusters/$C_ORDERS_DB/imports?page=1&page_size=10" | sed '$d' | jq '.total')"
expect_eq "emulator: unknown task 404" "HTTP:404" \
	"$(emu_api GET "https://api.tidbcloud.com/api/v1beta/projects/$P_PROD/clusters/$C_ORDERS_DB/imports/1" | tail -1)"

# --- ls / ls -l: one list per source, nothing per item
emu_reset
expect_eq "ls orders-db/imports: both sources" "$V1 $V2 $I2 " "$(lsn "$OD/imports")"
expect_eq "ls: one v1beta list" 1 "$(emu_route "$VLIST")"
expect_eq "ls: one dedicated list" 1 "$(emu_route "$DLIST")"
emu_reset
ok "ls -l orders-db/imports" sh -c "ls -l '$OD/imports' >/dev/null"
expect_eq "ls -l within cache_timeout: no request" 0 "$(emu_stat requests)"
expect_eq "a v1beta task's files" ".error id import.json progress state wait " \
	"$(t ls -A "$OD/imports/$V1" | sort | tr '\n' ' ')"

# --- contents from the listing
emu_reset
expect_eq "import.json is the emulator's ImportItem" "$EMU_V1" \
	"$(t jq -cS . "$OD/imports/$V1/import.json")"
expect_eq "id" "$V1" "$(t cat "$OD/imports/$V1/id")"
expect_eq "state is status.phase" COMPLETED "$(t cat "$OD/imports/$V1/state")"
expect_eq "state of the failed one" FAILED "$(t cat "$OD/imports/$V2/state")"
expect_eq "progress is status.progress.import_progress" 100 "$(t cat "$OD/imports/$V1/progress")"
ok "the error message is in import.json" jqf '.status.error_message | test("permission denied")' \
	"$OD/imports/$V2/import.json"
expect_eq "exact st_size" "$(t cat "$OD/imports/$V1/import.json" | wc -c)" \
	"$(stat -c %s "$OD/imports/$V1/import.json")"
ok "mtime is metadata.create_timestamp" test "$(stat -c %Y "$OD/imports/$V1")" = 1701424800
ok "wait of a finished task returns at once" timeout 5 cat "$OD/imports/$V1/wait"
ok "cat */import.json | jq: three tasks" sh -c \
	"cat '$OD'/imports/*/import.json | jq -s -e 'length == 3'"
expect_eq "reading all of them: no request within cache_timeout" 0 "$(emu_stat requests)"

# --- read-only
emu_reset
expect_fail_errno "rmdir of a v1beta task: EPERM" EPERM rmdir "$OD/imports/$V1"
ok ".error says read-only" file_has "$OD/imports/$V1/.error" "read-only"
expect_fail_errno "no ctl" ENOENT stat "$OD/imports/$V1/ctl"
expect_eq "refusals cost no request" 0 "$(emu_stat requests)"

# --- expired: a task is refreshed alone with its GET
unmount_fs
mount_fs cache_timeout=1
P=$ORG/projects OD=$P/production/clusters/orders-db OC=$P/production/clusters/orders-cache
t ls "$OD/imports" >/dev/null
sleep 1.2
emu_reset
expect_eq "state after expiry" COMPLETED "$(t cat "$OD/imports/$V1/state")"
expect_eq "one GET of the task (no relist)" "1 0" "$(emu_route "$VGET") $(emu_route "$VLIST")"

# --- Starter/Essential: no v1beta list
emu_reset
ok "ls orders-cache/imports" t ls "$OC/imports"
expect_eq "no v1beta list for an Essential cluster" 0 "$(emu_route "$VLIST")"

# --- find: one v1beta list per Dedicated cluster, nothing per task
unmount_fs
mount_fs cache_timeout=30
emu_reset
ok "find MOUNT" sh -c "find '$MNT' >/dev/null"
NDED=$(jq '[.clusters[] | select(.kind == "dedicated")] | length' "$REPO/tests/emulator/default-seed.json")
expect_eq "find: one v1beta imports list per Dedicated cluster" "$NDED" "$(emu_route "$VLIST")"
expect_eq "find: no GET per task" 0 "$(( $(emu_route "$VGET") + $(emu_route "$DGET") ))"

finish
