#!/bin/bash
# Imports (issue 9): clusters/<c>/imports/<i>/ of both kinds of cluster,
# named by importId: import.json, id, state, progress, wait, ctl (cancel),
# .error; mkdir NAME starts an import from cloud storage with
# imports/.template.json (checked locally: 0 requests when refused); cp of
# a file into imports/ of a Starter/Essential cluster uploads it in parts
# and imports it (LOCAL).
. "$(dirname "$0")/lib.sh"

I1=imp-b3kx7qz4dm2nvr6hwc5tyefjua   # orders-cache (Essential)
I2=imp-x7nq4rm2bc6kvz3hdw5tyejpfa   # orders-db (Dedicated)
SI="/v1beta1/clusters/{id}/imports"
LIST="GET serverless $SI" GET1="GET serverless $SI/{id}" POST="POST serverless $SI"
CANCEL="POST serverless $SI/{id}:cancel"
DLIST="GET dedicated $SI" DGET="GET dedicated $SI/{id}" DPOST="POST dedicated $SI"
DCANCEL="POST dedicated $SI/{id}:cancel"
START="POST serverless $SI:startUpload" COMPLETE="POST serverless $SI:completeUpload"
CANCELUP="POST serverless $SI:cancelUpload"

start_emulator --transition-ms 1500
mount_fs cache_timeout=30
P=$ORG/projects
OC=$P/production/clusters/orders-cache
OD=$P/production/clusters/orders-db
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }

# --- the tree
ok "an Essential cluster has imports/" test -d "$OC/imports"
ok "a Dedicated cluster has imports/" test -d "$OD/imports"
ok "imports/ is listed in the cluster directory" sh -c "ls '$OC' | grep -qx imports"

# --- ls -l: one list request, nothing per item
emu_reset
expect_eq "ls -l orders-cache/imports: the import by id" "$I1 " \
	"$(t ls -l "$OC/imports" | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')"
expect_eq "ls -l costs one list request" 1 "$(emu_route "$LIST")"
expect_eq "ls -l costs no GET per import" 0 "$(emu_route "$GET1")"
ok "ls -A shows .template.json and .error" sh -c \
	"ls -A '$OC/imports' | grep -qx .error && ls -A '$OC/imports' | grep -qx .template.json"
expect_eq "ls of an import directory" ".error ctl id import.json progress state wait " \
	"$(t ls -A "$OC/imports/$I1" | sort | tr '\n' ' ')"

# --- contents, from the listing
EMU_I1=$(emu_api GET https://serverless.tidbapi.com/v1beta1/clusters/$C_ORDERS_CACHE/imports/$I1 | sed '$d' | jq -cS .)
emu_reset
ok "cat */import.json | jq: the importId" sh -c \
	"cat '$OC'/imports/*/import.json | jq -e -s 'map(.importId) == [\"$I1\"]'"
expect_eq "import.json is the emulator's object" "$EMU_I1" \
	"$(t jq -cS . "$OC/imports/$I1/import.json")"
expect_eq "id" "$I1" "$(t cat "$OC/imports/$I1/id")"
expect_eq "state" COMPLETED "$(t cat "$OC/imports/$I1/state")"
expect_eq "progress is completePercent" 100 "$(t cat "$OC/imports/$I1/progress")"
expect_eq "exact st_size of import.json" "$(t cat "$OC/imports/$I1/import.json" | wc -c)" \
	"$(stat -c %s "$OC/imports/$I1/import.json")"
expect_eq "reading costs no request within cache_timeout" 0 \
	"$(( $(emu_route "$LIST") + $(emu_route "$GET1") ))"
ok "wait of a COMPLETED import returns at once" timeout 5 cat "$OC/imports/$I1/wait"
ok "ctl lists cancel" file_has "$OC/imports/$I1/ctl" cancel
ok "mtime is the createTime" \
	test "$(stat -c %Y "$OC/imports/$I1")" = "$(date -d 2024-03-08T09:00:00Z +%s)"
# (with the deprecated v1beta tasks of orders-db: mount_v1beta_imports.sh)
V1I="1760000000000000701 1760000000000000702"
expect_eq "Dedicated: orders-db/imports by id" "$V1I $I2 " "$(lsn "$OD/imports")"
ok "Dedicated import.json has creator" jqf '.creator and .creationDetails.importOptions.fileType == "PARQUET"' \
	"$OD/imports/$I2/import.json"
expect_eq "a cluster without imports: empty" "" "$(lsn "$P/production/clusters/website/imports")"
expect_fail_errno "an import of another cluster is not reachable here" ENOENT \
	stat "$P/production/clusters/website/imports/$I1"

# --- find: one list per cluster, no GET
unmount_fs
mount_fs cache_timeout=30
P=$ORG/projects OC=$P/production/clusters/orders-cache OD=$P/production/clusters/orders-db
emu_reset
ok "ls of a cluster directory lists no imports" t ls "$OC"
expect_eq "no imports list for ls of a cluster" 0 "$(emu_route "$LIST")"
ok "find MOUNT" sh -c "find '$MNT' >/dev/null"
NSLS=$(jq '[.clusters[] | select(.kind != "dedicated")] | length' "$REPO/tests/emulator/default-seed.json")
NDED=$(jq '[.clusters[] | select(.kind == "dedicated")] | length' "$REPO/tests/emulator/default-seed.json")
expect_eq "find: one imports list per Starter/Essential cluster" "$NSLS" "$(emu_route "$LIST")"
expect_eq "find: one imports list per Dedicated cluster" "$NDED" "$(emu_route "$DLIST")"
expect_eq "find: no GET per import" 0 "$(( $(emu_route "$GET1") + $(emu_route "$DGET") ))"

# --- hostile templates and names: EINVAL, .error says which rule, 0 requests
emu_reset
tpl() { printf '%s\n' "$1" > "$OC/imports/.template.json"; }
ok "the default template is S3 with a role" jqf '.source.type == "S3" and .importOptions.fileType == "CSV"' \
	"$OC/imports/.template.json"
expect_fail_errno "mkdir with the default template (no roleArn): EINVAL" EINVAL mkdir "$OC/imports/orders"
ok ".error names the missing credential" file_has "$OC/imports/.error" "source.s3.roleArn is required"
tpl '{"importOptions":{"fileType":"XLS"},"source":{"type":"S3","s3":{"uri":"s3://b/p/","authType":"ROLE_ARN","roleArn":"arn:x"}}}'
expect_fail_errno "fileType XLS: EINVAL" EINVAL mkdir "$OC/imports/orders"
ok ".error names fileType" file_has "$OC/imports/.error" "importOptions.fileType"
tpl '{"importOptions":{"fileType":"CSV"},"source":{"type":"S3","s3":{"uri":"gs://b/p/","authType":"ROLE_ARN","roleArn":"arn:x"}}}'
expect_fail_errno "an S3 uri without s3://: EINVAL" EINVAL mkdir "$OC/imports/orders"
ok ".error names the scheme" file_has "$OC/imports/.error" "must start with s3://"
tpl '{"importOptions":{"fileType":"CSV"},"source":{"type":"LOCAL"}}'
expect_fail_errno "source LOCAL by mkdir: EINVAL" EINVAL mkdir "$OC/imports/orders"
ok ".error says to cp the file" file_has "$OC/imports/.error" "cp the file"
expect_fail_errno "a name with a control character: EINVAL" EINVAL mkdir "$OC/imports/$(printf 'a\tb')"
expect_fail_errno "rmdir of an import: EPERM" EPERM rmdir "$OC/imports/$I1"
ok ".error says cancel" file_has "$OC/imports/$I1/.error" "cancel"
expect_fail_errno "a wrong verb: EINVAL" EINVAL bash -c "echo pause > '$OC/imports/$I1/ctl'"
expect_eq "nothing was sent" 0 "$(emu_stat requests)"
ok "the import is still there" test -d "$OC/imports/$I1"

# --- mkdir starts an import; wait; cancel
tpl '{"importOptions":{"fileType":"CSV"},"source":{"type":"S3","s3":{"uri":"s3://acme/in/","authType":"ACCESS_KEY","accessKey":{"id":"AKIA1","secret":"s3cr3t"}}}}'
emu_reset
ok "mkdir orders-cache/imports/orders starts an import" mkdir "$OC/imports/orders"
expect_eq "one POST" 1 "$(emu_route "$POST")"
ok "the new import is listed at once as orders" sh -c "ls '$OC/imports' | grep -qx orders"
NEW=$(t cat "$OC/imports/orders/id")
ok "and reachable by its importId" test -d "$OC/imports/$NEW"
expect_eq "no list request for it" 0 "$(emu_route "$LIST")"
ok "its state is PREPARING or IMPORTING" sh -c "grep -Eqx 'PREPARING|IMPORTING' '$OC/imports/$NEW/state'"
ok "until imports/ is listed again it carries the mkdir name" jqf '.mkdirName == "orders"' "$OC/imports/$NEW/import.json"
ok "the secret is not in import.json" sh -c "! grep -q s3cr3t '$OC/imports/$NEW/import.json'"
emu_reset
ok "echo cancel > ctl" sh -c "echo cancel > '$OC/imports/$NEW/ctl'"
expect_eq "one :cancel" 1 "$(emu_route "$CANCEL")"
ok "state CANCELING at once (read-your-writes)" sh -c "grep -Eqx 'CANCELING|CANCELED' '$OC/imports/$NEW/state'"
ok "wait returns when canceled" timeout 20 cat "$OC/imports/$NEW/wait"
expect_eq "state CANCELED after wait" CANCELED "$(t cat "$OC/imports/$NEW/state")"
expect_fail_errno "cancel of a CANCELED import: the API refuses" EINVAL bash -c "echo cancel > '$OC/imports/$NEW/ctl'"
ok ".error says why" file_has "$OC/imports/$NEW/.error" "only a PREPARING or IMPORTING"

# --- Dedicated: mkdir wraps creationDetails, S3_COMPATIBLE refused locally
printf '%s\n' '{"importOptions":{"fileType":"CSV"},"source":{"type":"OSS","oss":{"uri":"oss://b/p/","authType":"ACCESS_KEY","accessKey":{"id":"a","secret":"b"}}}}' \
	> "$OD/imports/.template.json"
emu_reset
expect_fail_errno "OSS on a Dedicated cluster: EINVAL" EINVAL mkdir "$OD/imports/x"
ok ".error lists the Dedicated sources" file_has "$OD/imports/.error" "S3, GCS or AZURE_BLOB"
expect_eq "no request" 0 "$(emu_stat requests)"
printf '%s\n' '{"importOptions":{"fileType":"PARQUET"},"source":{"type":"GCS","gcs":{"uri":"gs://b/p/","authType":"SERVICE_ACCOUNT_KEY","serviceAccountKey":"e30="}}}' \
	> "$OD/imports/.template.json"
ok "mkdir in a Dedicated imports/" mkdir "$OD/imports/facts"
expect_eq "one Dedicated POST" 1 "$(emu_route "$DPOST")"
expect_eq "two imports listed (and the two v1beta tasks)" 4 "$(t ls "$OD/imports" | wc -l)"

# --- cp data.csv imports/: the local upload flow
arm_fault() {
	local out
	out=$(_emu_curl -X POST -H 'Content-Type: application/json' -d "$1" \
		-w '\nHTTP:%{http_code}' https://api.tidbcloud.com/_emulator/faults)
	case "$out" in *HTTP:200*) return 0 ;; esac
	diag "arming $1 failed: $out"; return 1
}
clear_faults() { _emu_curl -o /dev/null -X DELETE https://api.tidbcloud.com/_emulator/faults; }
puts() { emu_requests | jq '[.requests[] | select(.method == "PUT" and (.host | startswith("upload.")))] | length'; }
put_ok() { emu_requests | jq '[.requests[] | select(.method == "PUT" and (.host | startswith("upload.")) and .status == 200)] | length'; }
WEB=$P/production/clusters/website
DATA=$TMPD/shop.orders.csv
python3 -c 'import sys
with open(sys.argv[1], "w") as f:
    f.write("id,item,qty\n")
    i = 0
    while f.tell() < 20 * 1000 * 1000:
        f.write("%d,item-%08d,%d\n" % (i, i, i % 7)); i += 1' "$DATA"
expect_eq "imports/ of website is empty before" "" "$(lsn "$WEB/imports")"
emu_reset
ok "cp shop.orders.csv (20 MB) into imports/" cp "$DATA" "$WEB/imports/"
expect_eq "one startUpload" 1 "$(emu_route "$START")"
expect_eq "three parts PUT to the storage host (8 MiB parts)" 3 "$(put_ok)"
expect_eq "one completeUpload" 1 "$(emu_route "$COMPLETE")"
expect_eq "one POST of the LOCAL import" 1 "$(emu_route "$POST")"
expect_eq "no cancelUpload" 0 "$(emu_route "$CANCELUP")"
expect_eq "the import appears in imports/" 1 "$(t ls "$WEB/imports" | wc -l)"
U=$(t ls "$WEB/imports")
ok "the file itself is not kept" sh -c "! ls '$WEB/imports' | grep -q csv"
ok "import.json: LOCAL into shop.orders" jqf \
	'.creationDetails.source.type == "LOCAL" and .creationDetails.source.local.targetDatabase == "shop" and .creationDetails.source.local.targetTable == "orders"' \
	"$WEB/imports/$U/import.json"
expect_eq "totalSize is the file's size" "$(stat -c %s "$DATA")" \
	"$(t jq -r .totalSize "$WEB/imports/$U/import.json")"
ok "the upload's fileName" jqf '.creationDetails.source.local.fileName == "shop.orders.csv"' "$WEB/imports/$U/import.json"
ok "wait until COMPLETED" timeout 20 cat "$WEB/imports/$U/wait"
expect_eq "state COMPLETED" COMPLETED "$(t cat "$WEB/imports/$U/state")"

# a small file: one part; the template's target wins
printf '%s\n' '{"importOptions":{"fileType":"CSV"},"source":{"type":"LOCAL","local":{"targetDatabase":"crm","targetTable":"people"}}}' \
	> "$WEB/imports/.template.json"
printf 'id,name\n1,ann\n' > "$TMPD/people.csv"
emu_reset
ok "cp a small file" cp "$TMPD/people.csv" "$WEB/imports/"
expect_eq "one part" 1 "$(put_ok)"
expect_eq "startUpload, completeUpload, import" "1 1 1" \
	"$(emu_route "$START") $(emu_route "$COMPLETE") $(emu_route "$POST")"
ok "the template's targetDatabase/targetTable" sh -c \
	"cat '$WEB'/imports/*/import.json | jq -e -s 'map(select(.creationDetails.source.local.targetTable == \"people\")) | length == 1' >/dev/null"
echo '{}' > "$WEB/imports/.template.json"
emu_reset
ok "a shell redirection (the writer exits without close) imports too" \
	sh -c "cat '$TMPD/people.csv' > '$WEB/imports/crm.people2.csv'"
expect_eq "redirection: startUpload, completeUpload, import" "1 1 1" \
	"$(emu_route "$START") $(emu_route "$COMPLETE") $(emu_route "$POST")"

# hostile: empty file, bad names, a Dedicated cluster: 0 requests
emu_reset
: > "$TMPD/shop.empty.csv"
expect_fail_errno "cp an empty file: refused" EINVAL cp "$TMPD/shop.empty.csv" "$WEB/imports/"
ok ".error says empty" file_has "$WEB/imports/.error" "empty"
cp "$TMPD/people.csv" "$TMPD/no-table.csv"
expect_fail_errno "cp no-table.csv (no DB.TABLE, no template target): refused" EINVAL \
	cp "$TMPD/no-table.csv" "$WEB/imports/"
ok ".error says DB.TABLE.csv" file_has "$WEB/imports/.error" "DB.TABLE.csv"
expect_fail_errno "cp into a Dedicated cluster's imports/: refused" EPERM \
	cp "$TMPD/people.csv" "$OD/imports/shop.people.csv"
expect_eq "no POST or PUT for any of them (a lookup may list imports/)" "0 0" "$(emu_routes_matching "^POST") $(puts)"
ok "a non-data name stays a scratch file (editor swap)" sh -c \
	"echo x > '$WEB/imports/.notes.swp' && rm '$WEB/imports/.notes.swp'"

# a part fails once: retried, imported
emu_reset
arm_fault '{"route": "PUT upload /uploads/{id}/{id}/{n}", "kind": "status", "status": 503, "count": 1}'
ok "cp with one failed part PUT" cp "$DATA" "$WEB/imports/shop.retry.csv"
expect_eq "four PUTs (one retried), three stored" "4 3" "$(puts) $(put_ok)"
expect_eq "and imported" 1 "$(emu_route "$POST")"

# the storage host keeps failing: cancelled, cp fails, .error explains
emu_reset
arm_fault '{"route": "PUT upload /uploads/{id}/{id}/{n}", "kind": "status", "status": 503, "count": 3}'
N0=$(t ls "$WEB/imports" | wc -l)
nok "cp when the upload host fails: cp exits non-zero" cp "$DATA" "$WEB/imports/shop.fail.csv"
expect_eq "one cancelUpload" 1 "$(emu_route "$CANCELUP")"
expect_eq "no completeUpload, no import" "0 0" "$(emu_route "$COMPLETE") $(emu_route "$POST")"
ok ".error says the part failed and the upload was cancelled" sh -c \
	"grep -q 'part 1' '$WEB/imports/.error' && grep -q cancelled '$WEB/imports/.error'"
ok ".error holds no presigned signature" sh -c "! grep -q Signature '$WEB/imports/.error'"
expect_eq "no new import" "$N0" "$(t ls "$WEB/imports" | wc -l)"
clear_faults

# cp killed halfway (between writes: one part sent, the next buffered):
# the partial file is cancelled, never imported
emu_reset
mkfifo "$TMPD/fifo"
cp "$TMPD/fifo" "$WEB/imports/shop.killed.csv" & CPP=$!
exec 7>"$TMPD/fifo"
head -c 10000000 "$DATA" >&7
for _ in $(seq 100); do [ "$(put_ok)" -ge 1 ] && break; sleep 0.1; done
kill -9 "$CPP"; wait "$CPP" 2>/dev/null
exec 7>&-
sleep 1
expect_eq "killed cp: one part stored" 1 "$(put_ok)"
expect_eq "killed cp: one cancelUpload" 1 "$(emu_route "$CANCELUP")"
expect_eq "killed cp: no completeUpload, no import" "0 0" "$(emu_route "$COMPLETE") $(emu_route "$POST")"
ok ".error says the writer was killed" file_has "$WEB/imports/.error" "killed"
expect_eq "killed cp: no new import" "$N0" "$(t ls "$WEB/imports" | wc -l)"

# cp killed while a part is in flight (the PUT stalls): interrupted, cancelled
emu_reset
arm_fault '{"route": "PUT upload /uploads/{id}/{id}/{n}", "kind": "stall", "stall_ms": 3000, "count": 1}'
cp "$DATA" "$WEB/imports/shop.killed2.csv" & CPP=$!
sleep 1.5
kill -9 "$CPP"; wait "$CPP" 2>/dev/null
sleep 3
expect_eq "killed during a PUT: one cancelUpload" 1 "$(emu_route "$CANCELUP")"
expect_eq "killed during a PUT: no completeUpload, no import" "0 0" "$(emu_route "$COMPLETE") $(emu_route "$POST")"
expect_eq "killed during a PUT: no new import" "$N0" "$(t ls "$WEB/imports" | wc -l)"
clear_faults

# --- -o ro: mkdir refused, nothing sent
unmount_fs
mount_fs cache_timeout=30,ro
OC=$ORG/projects/production/clusters/orders-cache
emu_reset
expect_fail_errno "mkdir with -o ro: EROFS" EROFS mkdir "$OC/imports/x"
expect_fail_errno "cancel with -o ro" EROFS bash -c "echo cancel > '$OC/imports/$I1/ctl'"
expect_fail_errno "cp into imports/ with -o ro: EROFS" EROFS \
	cp "$TMPD/people.csv" "$ORG/projects/production/clusters/website/imports/shop.people.csv"
expect_eq "no POST or PUT (ro)" "0 0" "$(emu_routes_matching "^POST") $(puts)"

finish
