#!/bin/bash
# Restores (issue 9): projects/<p>/restores/<r>/ (Dedicated, v1beta restore
# tasks, named by the restored cluster's name) with restore.json, id,
# state, wait, .error; mkdir restores/NAME restores .template.json's
# backup_id into a new Dedicated cluster NAME, shown in clusters/ at once.
# Starter/Essential: `restore` in a backup's ctl (snapshot) and `restore
# TIMESTAMP` in a cluster's ctl (point in time); the API names the new
# cluster, which shows in clusters/ at once. Bad input: EINVAL, .error
# says which rule, 0 requests.
. "$(dirname "$0")/lib.sh"

R1=1740000000000000501 BK=1730000000000000301 BAD_BK=1730000000000000402
RB="v1beta /api/v1beta/projects/{id}/restores"
RLIST="GET $RB" RGET="GET $RB/{id}" RPOST="POST $RB"
SRES="POST serverless /v1beta1/clusters:restore"

start_emulator
mount_fs cache_timeout=30
P=$ORG/projects
ST=$P/staging
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }
requests() { emu_stat requests; }

# --- the tree
ok "a project has restores/" test -d "$ST/restores"
ok "restores/ is listed in the project directory" sh -c "ls '$ST' | grep -qx restores"
emu_reset
ok "ls of a project" t ls "$ST"
expect_eq "ls of a project lists no restores" 0 "$(emu_route "$RLIST")"

# --- ls, ls -l: one list request, nothing per item
emu_reset
expect_eq "ls staging/restores: by the restored cluster's name" "stage-dedicated " "$(lsn "$ST/restores")"
expect_eq "ls costs one list request" 1 "$(emu_route "$RLIST")"
unmount_fs; mount_fs cache_timeout=30; P=$ORG/projects; ST=$P/staging
emu_reset
ok "ls -l staging/restores" sh -c "ls -l '$ST/restores' | grep -q stage-dedicated"
expect_eq "ls -l: one list request" 1 "$(emu_route "$RLIST")"
expect_eq "ls -l: no GET per restore" 0 "$(emu_route "$RGET")"
expect_eq "ls -l: nothing else" 1 "$(requests)"
ok "ls -A shows .template.json and .error" sh -c \
	"ls -A '$ST/restores' | grep -qx .template.json && ls -A '$ST/restores' | grep -qx .error"
expect_eq "a project without restores: empty" "" "$(lsn "$P/production/restores")"

# --- contents from the listing
emu_reset
ok "cat */restore.json | jq" sh -c "cat '$ST'/restores/*/restore.json | jq -e -s 'map(.id) == [\"$R1\"]'"
expect_eq "id" "$R1" "$(t cat "$ST/restores/stage-dedicated/id")"
expect_eq "state is the task's status" SUCCESS "$(t cat "$ST/restores/stage-dedicated/state")"
expect_eq "wait returns at once on a final state" SUCCESS "$(timeout 10 cat "$ST/restores/stage-dedicated/wait")"
expect_eq "reading costs no request within cache_timeout" 0 "$(requests)"
expect_eq "restore.json is the emulator's object" \
	"$(emu_api GET "https://api.tidbcloud.com/api/v1beta/projects/$P_STAGING/restores/$R1" | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$ST/restores/stage-dedicated/restore.json")"
ok "by id alias too" cmp "$ST/restores/stage-dedicated/restore.json" "$ST/restores/$R1/restore.json"
ok "mtime is create_timestamp" \
	test "$(stat -c %Y "$ST/restores/stage-dedicated")" = "$(date -d 2024-03-01T08:00:00Z +%s)"
emu_reset
ok "find restores/" sh -c "[ \$(find '$P'/*/restores -name restore.json | wc -l) = 1 ]"
NPROJ=$(jq '.projects | length' "$REPO/tests/emulator/default-seed.json")
expect_le "find: at most one list per project" "$NPROJ" "$(emu_route "$RLIST")"
expect_eq "find: no GET per restore" 0 "$(emu_route "$RGET")"
diag "find projects/*/restores: $(requests) requests ($(emu_route "$RLIST") lists, $NPROJ projects)"

# --- rmdir: the API cannot delete a restore task
emu_reset
expect_fail_errno "rmdir a restore: EPERM" EPERM rmdir "$ST/restores/stage-dedicated"
ok ".error says why" file_has "$ST/restores/stage-dedicated/.error" "no way to delete"
expect_eq "rmdir: no request" 0 "$(requests)"

# --- mkdir: hostile templates and names refused locally, 0 requests
TPL=$ST/restores/.template.json
ok ".template.json has backup_id and config" jqf 'has("backup_id") and (.config | has("root_password") and has("port") and has("components"))' "$TPL"
emu_reset
expect_fail_errno "mkdir with the default template (no backup_id): EINVAL" EINVAL mkdir "$ST/restores/new-one"
ok ".error: backup_id is required" file_has "$ST/restores/.error" "backup_id is required"
ok "write a template with a short password" sh -c \
	"jq '.backup_id = \"$BK\" | .config.root_password = \"short\"' '$TPL' > '$TMPD/t.json' && cp '$TMPD/t.json' '$TPL'"
expect_fail_errno "root_password too short: EINVAL" EINVAL mkdir "$ST/restores/new-one"
ok ".error: root_password rule" file_has "$ST/restores/.error" "root_password is required: 8 to 64"
ok ".error never holds the password" sh -c "! grep -q short '$ST/restores/.error'"
ok "port 10080" sh -c "jq '.backup_id = \"$BK\" | .config.root_password = \"Secret-Pass-1\" | .config.port = 10080' '$TPL' > '$TMPD/t.json' && cp '$TMPD/t.json' '$TPL'"
expect_fail_errno "port 10080: EINVAL" EINVAL mkdir "$ST/restores/new-one"
ok ".error: port rule" file_has "$ST/restores/.error" "config.port"
ok "tikv node_quantity 4" sh -c "jq '.config.port = 4000 | .config.components.tikv.node_quantity = 4' '$TPL' > '$TMPD/t.json' && cp '$TMPD/t.json' '$TPL'"
expect_fail_errno "tikv node_quantity not a multiple of 3: EINVAL" EINVAL mkdir "$ST/restores/new-one"
ok "a good template" sh -c "jq '.config.components.tikv.node_quantity = 3' '$TPL' > '$TMPD/t.json' && cp '$TMPD/t.json' '$TPL'"
expect_fail_errno "a name the API forbids (-x-): EINVAL" EINVAL mkdir "$ST/restores/-x-"
ok ".error: the name rule" file_has "$ST/restores/.error" "name"
expect_fail_errno "a name with a space: EINVAL" EINVAL mkdir "$ST/restores/new one"
expect_eq "no request for any refused mkdir" 0 "$(requests)"
expect_eq "nothing was lost: the template kept" "$BK" "$(t jq -r .backup_id "$TPL")"

# --- mkdir: the API refuses (failed backup) → .error, nothing shown
ok "template with the FAILED backup" sh -c "jq '.backup_id = \"$BAD_BK\"' '$TPL' > '$TMPD/t.json' && cp '$TMPD/t.json' '$TPL'"
emu_reset
expect_fail_errno "restoring a FAILED backup is refused by the API" EINVAL mkdir "$ST/restores/from-failed"
ok ".error has the API's reason" file_has "$ST/restores/.error" "successful backup"
expect_eq "one POST" 1 "$(emu_route "$RPOST")"

# --- mkdir: restores into a new cluster, in clusters/ at once
ok "template with a good backup" sh -c "jq '.backup_id = \"$BK\"' '$TPL' > '$TMPD/t.json' && cp '$TMPD/t.json' '$TPL'"
ok "ls clusters/ before (cached)" t ls "$ST/clusters"
emu_reset
ok "mkdir restores/orders-copy" mkdir "$ST/restores/orders-copy"
expect_eq "one POST" 1 "$(emu_route "$RPOST")"
expect_eq "the API's new task: that backup into orders-copy" "$BK orders-copy" \
	"$(emu_api GET "https://api.tidbcloud.com/api/v1beta/projects/$P_STAGING/restores" | sed '$d' | jq -r '.items[] | select(.cluster.name == "orders-copy") | "\(.backup_id) \(.cluster.name)"')"
ok "the restore is listed at once" sh -c "ls '$ST/restores' | grep -qx orders-copy"
ok "its state is readable" test -s "$ST/restores/orders-copy/state"
ok "the new cluster is in clusters/ at once" sh -c "ls '$ST/clusters' | grep -qx orders-copy"
expect_eq "the new cluster is CREATING" CREATING "$(t cat "$ST/clusters/orders-copy/state")"
ok "the restore's id is the API's" sh -c "[ -n \"\$(cat '$ST/restores/orders-copy/id')\" ]"
ok "the password is not in the log" sh -c "! grep -rq Secret-Pass-1 '$TMPD'/*.log 2>/dev/null"
expect_fail_errno "mkdir of an existing name: EEXIST" EEXIST mkdir "$ST/restores/orders-copy"
expect_eq "wait blocks until the task is done" SUCCESS "$(timeout 60 cat "$ST/restores/orders-copy/wait")"
expect_eq "state agrees" SUCCESS "$(t cat "$ST/restores/orders-copy/state")"
ok "restore.json now has the API's fields" jqf '.backup_id == "'$BK'" and .cluster.name == "orders-copy"' "$ST/restores/orders-copy/restore.json"

# --- Starter/Essential: `restore` in a backup's ctl
OC=$P/production/clusters/orders-cache
B1=1720000000000000101
expect_eq "a backup's ctl lists restore" "restore" "$(t cat "$OC/backups/$B1/ctl")"
ok "ls production/clusters before" t ls "$P/production/clusters"
emu_reset
expect_fail_errno "restore NAME: the API takes no name (EINVAL)" EINVAL sh -c "/bin/echo 'restore my-copy' > '$OC/backups/$B1/ctl'"
expect_fail_errno "a wrong verb: EINVAL" EINVAL sh -c "/bin/echo 'restor' > '$OC/backups/$B1/ctl'"
expect_eq "no request for a refused verb" 0 "$(requests)"
NB=$(lsn "$P/production/clusters" | wc -w)
emu_reset
ok "echo restore > ctl" sh -c "/bin/echo restore > '$OC/backups/$B1/ctl'"
expect_eq "one clusters:restore" 1 "$(emu_route "$SRES")"
expect_eq "and nothing else" 1 "$(requests)"
NEW=$(emu_api GET "https://serverless.tidbapi.com/v1beta1/clusters?pageSize=100" | sed '$d' | jq -r '.clusters[] | select(.displayName | startswith("orders-cache-restore-")) | .displayName' | head -1)
ok "the emulator made a cluster named by the API ($NEW)" test -n "$NEW"
ok "it is in production/clusters at once" sh -c "ls '$P/production/clusters' | grep -qx '$NEW'"
expect_eq "one more cluster" $((NB + 1)) "$(lsn "$P/production/clusters" | wc -w)"
expect_eq "the new cluster is RESTORING" RESTORING "$(t cat "$P/production/clusters/$NEW/state")"

# --- Starter/Essential: `restore TIMESTAMP` in a cluster's ctl
WS=$P/production/clusters/website
expect_eq "a Starter cluster's ctl lists restore TIMESTAMP" "restore TIMESTAMP" "$(t cat "$WS/ctl")"
ok "ls production/clusters before PITR" t ls "$P/production/clusters"
emu_reset
for bad in "2024-13-01T00:00:00Z" "2024-01-15 08:00:00" "yesterday" "1700000000" "2024-01-15T08:00:00"; do
	expect_fail_errno "restore $bad: EINVAL" EINVAL sh -c "/bin/echo 'restore $bad' > '$WS/ctl'"
done
ok ".error says RFC 3339" file_has "$WS/.error" "RFC 3339"
expect_fail_errno "restore without a timestamp: EINVAL" EINVAL sh -c "/bin/echo restore > '$WS/ctl'"
expect_eq "no request for any refused restore" 0 "$(requests)"
TS=$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)
ok "echo restore $TS > ctl" sh -c "/bin/echo 'restore $TS' > '$WS/ctl'"
expect_eq "one clusters:restore" 1 "$(emu_route "$SRES")"
expect_eq "and nothing else" 1 "$(requests)"
ok "the new cluster is in clusters/ at once" sh -c "ls '$P/production/clusters' | grep -q '^website-restore-'"
FUT=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
expect_fail_errno "a future time: the API refuses (EINVAL)" EINVAL sh -c "/bin/echo 'restore $FUT' > '$WS/ctl'"
ok ".error has the API's reason" file_has "$WS/.error" "between"
expect_eq "a Dedicated cluster's ctl has no restore" "" "$(t grep restore "$P/production/clusters/orders-db/ctl")"

# --- -o ro: mkdir and ctl refused, no request
unmount_fs
mount_fs cache_timeout=30,ro
P=$ORG/projects
emu_reset
expect_fail_errno "mkdir restores/x with -o ro: EROFS" EROFS mkdir "$P/staging/restores/ro-copy"
expect_fail_errno "restore in ctl with -o ro" EROFS sh -c "/bin/echo restore > '$P/production/clusters/orders-cache/backups/$B1/ctl'"
expect_eq "no POST with -o ro" 0 "$(( $(emu_route "$RPOST") + $(emu_route "$SRES") ))"

finish
