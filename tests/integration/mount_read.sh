#!/bin/bash
# Reading: the tree, names and id aliases, file contents, modes and sizes,
# the real tools (ls, stat, cat | jq, find, grep -r), request counts, the
# cache and freshness.
. "$(dirname "$0")/lib.sh"

write_seed "$TMPD/seed.json" 250
start_emulator --seed "$TMPD/seed.json"
mount_fs cache_timeout=30

P=$ORG/projects

sorted() { tr ' ' '\n' | grep -v '^$' | sort | tr '\n' ' '; }
lsnames() { t ls "$1" 2>&1 | sort | tr '\n' ' '; }

# --- the tree and the naming rules
expect_eq "ls projects: names, duplicates by id, no alias" \
	"$(echo "analytics bulk production staging $P_SANDBOX1 $P_SANDBOX2" | sorted)" \
	"$(lsnames "$P")"
expect_eq "ls analytics/clusters: the two scratch clusters by id" \
	"$(echo "warehouse reports etl-jobs $C_SCRATCH1 $C_SCRATCH2" | sorted)" \
	"$(lsnames "$P/analytics/clusters")"
expect_eq "ls production/clusters" "$(echo "orders-db orders-cache website" | sorted)" \
	"$(lsnames "$P/production/clusters")"
expect_eq "ls staging/clusters" "$(echo "stage-app stage-dedicated stage-essential" | sorted)" \
	"$(lsnames "$P/staging/clusters")"
expect_eq "ls of the first sandbox (by id)" "experiment " "$(lsnames "$P/$P_SANDBOX1/clusters")"
expect_eq "ls of the second sandbox (by id) is empty" "" "$(lsnames "$P/$P_SANDBOX2/clusters")"
expect_fail_errno "no 'sandbox' entry (duplicate name)" ENOENT stat "$P/sandbox"
expect_fail_errno "no 'scratch' entry (duplicate name)" ENOENT stat "$P/analytics/clusters/scratch"
ok "the project id alias resolves" test -d "$P/$P_PRODUCTION"
ok "the cluster id alias resolves (id/id)" \
	jqf ".clusterId == \"$C_ORDERS_DB\"" "$P/$P_PRODUCTION/clusters/$C_ORDERS_DB/cluster.json"
ok "name and id alias give the same cluster.json" \
	cmp "$P/production/clusters/orders-db/cluster.json" "$P/$P_PRODUCTION/clusters/$C_ORDERS_DB/cluster.json"
ok "mixed alias (name/id) resolves" test -f "$P/production/clusters/$C_WEB/spec.json"
ok "id aliases are not listed (projects)" sh -c "! ls -a '$P' | grep -qx $P_PRODUCTION"
ok "id aliases are not listed (clusters)" sh -c "! ls -a '$P/production/clusters' | grep -qx $C_WEB"
expect_fail_errno "an unknown project id is ENOENT" ENOENT stat "$P/1372813089189999999"
expect_fail_errno "an unknown cluster id is ENOENT" ENOENT stat "$P/production/clusters/10058425682284999999"
expect_fail_errno "a cluster of another project is not reachable under this one" ENOENT \
	stat "$P/staging/clusters/$C_WEB"
expect_fail_errno "an unknown file in a cluster dir is ENOENT" ENOENT cat "$P/production/clusters/website/nosuchfile"

for f in cluster.json spec.json id state ctl .error; do
	ok "cluster dir has $f" sh -c "ls -A '$P/production/clusters/website' | grep -qx -- '$f'"
done
for f in project.json id; do
	ok "project dir has $f" sh -c "ls -A '$P/production' | grep -qx -- '$f'"
done
ok "project dir has clusters/" test -d "$P/production/clusters"
ok "clusters dir has .template.json" sh -c "ls -A '$P/production/clusters' | grep -qx .template.json"
ok ".template.json is valid JSON" json_valid "$P/production/clusters/.template.json"
ok "regions/serverless.json is valid JSON" json_valid "$ORG/regions/serverless.json"
ok "regions/dedicated.json is valid JSON" json_valid "$ORG/regions/dedicated.json"
ok "regions/serverless.json mentions aws-us-east-1" file_has "$ORG/regions/serverless.json" aws-us-east-1

# --- contents
for c in "production orders-db $C_ORDERS_DB ACTIVE" "production orders-cache $C_ORDERS_CACHE ACTIVE" \
	"production website $C_WEB ACTIVE" "staging stage-dedicated $C_STAGE_DEDICATED PAUSED" \
	"analytics etl-jobs $C_ETL MAINTENANCE" "analytics $C_SCRATCH1 $C_SCRATCH1 ACTIVE"; do
	set -- $c
	d=$P/$1/clusters/$2
	ok "cat $2/cluster.json | jq -e '.clusterId == \"$3\"'" sh -c "timeout 20 cat '$d/cluster.json' | jq -e '.clusterId == \"$3\"'"
	expect_eq "$2/id holds the id" "$3" "$(t cat "$d/id")"
	expect_eq "$2/state holds $4" "$4" "$(t cat "$d/state")"
	expect_eq "$2/id ends with one newline" "$3|" "$(t cat "$d/id" | tr '\n' '|')"
	ok "$2/state agrees with cluster.json" jqf ".state == \"$4\"" "$d/cluster.json"
done
ok "website: displayName in cluster.json" jqf '.displayName == "website"' "$P/production/clusters/website/cluster.json"
ok "website: spec.json has displayName website" jqf '.displayName == "website"' "$P/production/clusters/website/spec.json"
ok "website: spec.json has spendingLimit.monthly 1000" jqf '.spendingLimit.monthly == 1000' "$P/production/clusters/website/spec.json"
ok "website: spec.json has no read-only fields" jqf 'has("clusterId") or has("state") or has("createTime") | not' "$P/production/clusters/website/spec.json"
ok "orders-cache: spec.json has autoScaling 2000..4000" \
	jqf '.autoScaling.minRcu == 2000 and .autoScaling.maxRcu == 4000' "$P/production/clusters/orders-cache/spec.json"
ok "orders-db: spec.json has tikvNodeSetting.nodeCount" \
	jqf '.tikvNodeSetting.nodeCount | type == "number"' "$P/production/clusters/orders-db/spec.json"
ok "orders-db: spec.json has no state" jqf 'has("state") | not' "$P/production/clusters/orders-db/spec.json"
ok "project.json of production" jqf ".id == \"$P_PRODUCTION\" and .name == \"production\"" "$P/production/project.json"
expect_eq "project id file" "$P_PRODUCTION" "$(t cat "$P/production/id")"
ok "project.json of a sandbox (by id)" jqf ".id == \"$P_SANDBOX2\" and .name == \"sandbox\"" "$P/$P_SANDBOX2/project.json"

# JSON files: two-space indent, trailing newline.
json_style() {
	local f=$1 c
	c=$(timeout 20 cat "$f" && echo x) || return 1
	[ "${c: -2}" = $'\nx' ] || { echo "no trailing newline"; return 1; }
	c=${c%x}
	printf '%s' "$c" | head -1 | grep -qx '{' || { echo "first line is not {"; return 1; }
	printf '%s' "$c" | sed -n 2p | grep -qE '^  "[^ ]' || { echo "line 2 is not indented by two spaces"; return 1; }
	printf '%s' "$c" | grep -q $'\t' && { echo "tab"; return 1; }
	# every indentation is even and steps by 2
	printf '%s' "$c" | awk '{ match($0, /^ */); if (RLENGTH % 2) { print "odd indent line " NR; exit 1 } }' || return 1
	[ "$(printf '%s' "$c" | jq --indent 2 .)" = "${c%$'\n'}" ] || { echo "differs from jq --indent 2"; return 1; }
}
for f in "$ORG/organization.json" "$P/production/project.json" "$P/production/clusters/website/cluster.json" \
	"$P/production/clusters/website/spec.json" "$P/production/clusters/orders-db/cluster.json" \
	"$P/production/clusters/orders-db/spec.json" "$P/production/clusters/.template.json"; do
	ok "two-space indent and trailing newline: ${f#$ORG/}" json_style "$f"
done

# --- modes
mode() { t stat -c %a "$1"; }
d=$P/production/clusters/website
expect_eq "spec.json is 644" 644 "$(mode "$d/spec.json")"
expect_eq "cluster.json is 444" 444 "$(mode "$d/cluster.json")"
expect_eq "id is 444" 444 "$(mode "$d/id")"
expect_eq "state is 444" 444 "$(mode "$d/state")"
expect_eq "cluster dir is 755" 755 "$(mode "$d")"
expect_eq "clusters dir is 755" 755 "$(mode "$P/production/clusters")"
expect_eq "project dir is 755" 755 "$(mode "$P/production")"
expect_eq "org dir is 755" 755 "$(mode "$ORG")"
expect_eq "organization.json is 444" 444 "$(mode "$ORG/organization.json")"
expect_eq "dedicated spec.json is 644" 644 "$(mode "$P/production/clusters/orders-db/spec.json")"
expect_eq "cluster.json is a regular file" "regular file" "$(t stat -c %F "$d/cluster.json")"
expect_eq "cluster dir is a directory" "directory" "$(t stat -c %F "$d")"
nlinks=$(t stat -c %h "$d/cluster.json")
expect_eq "cluster.json has one link" 1 "$nlinks"

# st_size == what a read returns, for every file of a cluster (stat first,
# as ls -l does, then read).
size_check() {
	local dir=$1 f s n
	for f in $(timeout 20 ls -A "$dir"); do
		[ -f "$dir/$f" ] || continue
		s=$(timeout 20 stat -c %s "$dir/$f")
		n=$(timeout 20 cat "$dir/$f" | wc -c)
		if [ "$s" != "$n" ]; then echo "$f: st_size $s, read $n bytes"; return 1; fi
		case "$f" in *.json) timeout 20 jq -e . "$dir/$f" >/dev/null || { echo "$f: invalid JSON"; return 1; } ;; esac
	done
}
# Fresh listing first (attributes from the list response).
t ls -l "$P/staging/clusters" >/dev/null
for c in stage-app stage-dedicated stage-essential; do
	ok "st_size == bytes read, every file of staging/$c (after ls -l)" size_check "$P/staging/clusters/$c"
done
for c in orders-db orders-cache website; do
	ok "st_size == bytes read, every file of production/$c" size_check "$P/production/clusters/$c"
done
ok "st_size == bytes read, project files" size_check "$P/production"
ok "st_size == bytes read, clusters/.template.json" size_check "$P/production/clusters"
ok "st_size == bytes read, organization.json" size_check "$ORG"
ok "st_size == bytes read, regions" size_check "$ORG/regions"
ok "st_size of cluster.json is not 0" test -s "$P/production/clusters/website/cluster.json"
ok "ls -l shows a non-zero size for cluster.json" \
	sh -c "ls -l '$P/production/clusters/website/cluster.json' | awk '{ exit !(\$5 > 0) }'"

# mtime from the API's update/create time.
mt_check() {
	local f=$1 ts want got
	ts=$(timeout 20 jq -r '.updateTime // .createTime // empty' "$f") || return 1
	[ -n "$ts" ] || { echo "no updateTime/createTime in $f"; return 1; }
	want=$(date -d "$ts" +%s) || return 1
	got=$(timeout 20 stat -c %Y "$f")
	want_c=$(date -d "$(timeout 20 jq -r '.createTime // empty' "$f")" +%s 2>/dev/null)
	[ "$got" = "$want" ] || [ "$got" = "$want_c" ] || { echo "mtime $got, updateTime $want ($ts)"; return 1; }
}
ok "cluster.json mtime is the cluster's update (or create) time" mt_check "$P/production/clusters/website/cluster.json"

# --- the real tools over the tree
# (a walk of the whole tree: under ThreadSanitizer on a busy 2-core
# machine it took over the 20 s every other command is given)
TCFS_CMD_TIMEOUT=240 ok "find MNT -maxdepth 6 completes" sh -c "find '$MNT' -maxdepth 6 >'$TMPD/find.out'"
ok "find lists production/clusters/website/spec.json" grep -qx "$P/production/clusters/website/spec.json" "$TMPD/find.out"
ok "find lists the bulk clusters" sh -c "[ \$(grep -c '^$P/bulk/clusters/bulk-[0-9]*\$' '$TMPD/find.out') -eq 250 ]"
ok "find shows no id alias" sh -c "! grep -q '/$P_PRODUCTION' '$TMPD/find.out'"
ok "grep -r ACTIVE over production completes" sh -c "timeout 30 grep -rl ACTIVE '$P/production' >'$TMPD/grep.out'"
for c in orders-db orders-cache website; do
	ok "grep -r finds $c/state" grep -qx "$P/production/clusters/$c/state" "$TMPD/grep.out"
done
ok "grep -r finds a cluster.json" grep -qx "$P/production/clusters/website/cluster.json" "$TMPD/grep.out"
ok "grep -r PAUSED finds stage-dedicated/state" sh -c "timeout 30 grep -rlx PAUSED '$P/staging' | grep -qx '$P/staging/clusters/stage-dedicated/state'"
ok "ls -lR of a project completes" sh -c "timeout 30 ls -lR '$P/analytics' >/dev/null"
ok "tree-style: du over a project completes" sh -c "timeout 30 du -s '$P/production' >/dev/null"
ok "cat of all cluster.json in production | jq -s length == 3" \
	sh -c "[ \$(timeout 20 cat '$P'/production/clusters/*/cluster.json | jq -s length) -eq 3 ]"
ok "head -c 10 of cluster.json" sh -c "[ \"\$(timeout 20 head -c 1 '$P/production/clusters/website/cluster.json')\" = '{' ]"
ok "tail -n 1 of cluster.json is }" sh -c "[ \"\$(timeout 20 tail -n 1 '$P/production/clusters/website/cluster.json')\" = '}' ]"
ok "dd with a 7-byte block size reads the whole file" \
	sh -c "timeout 20 dd if='$P/production/clusters/website/cluster.json' bs=7 status=none | jq -e '.clusterId == \"$C_WEB\"' >/dev/null"

# --- request counts
# ls -l of a collection: one list call per family page, no per-item GET.
emu_reset
expect_eq "stats reset (no requests counted)" 0 "$(emu_stat requests)"
ok "ls -l production/clusters (warm or cold)" ls -l "$P/production/clusters"
for c in orders-db orders-cache website; do
	t stat "$P/production/clusters/$c/cluster.json" "$P/production/clusters/$c/state" >/dev/null
done
expect_eq "ls -l + stat of each cluster.json: no GET serverless /clusters/{id}" 0 \
	"$(emu_route 'GET serverless /v1beta1/clusters/{id}')"
expect_eq "ls -l + stat of each cluster.json: no GET dedicated /clusters/{id}" 0 \
	"$(emu_route 'GET dedicated /v1beta1/clusters/{id}')"

# Cold listing of a project never listed before in this mount: the analytics
# project was listed above, so use a fresh mount for exact counts.
unmount_fs
mount_fs cache_timeout=30
emu_reset
ok "cold ls -l of production/clusters" ls -l "$P/production/clusters"
expect_eq "cold ls -l production: GET serverless /v1beta1/clusters == 1" 1 "$(emu_route 'GET serverless /v1beta1/clusters')"
expect_eq "cold ls -l production: GET dedicated /v1beta1/clusters == 1" 1 "$(emu_route 'GET dedicated /v1beta1/clusters')"
expect_eq "cold ls -l production: no per-cluster GET" 0 "$(emu_routes_matching '^GET (serverless|dedicated) /v1beta1/clusters/\{id\}$')"
emu_reset
ok "second ls -l within the cache timeout" ls -l "$P/production/clusters"
expect_eq "second ls -l within the cache timeout: 0 requests" 0 "$(emu_stat requests)"
# The sizes of cluster.json need the whole objects: the serverless list
# items are partial, so one batch get brings web and orders-cache together;
# the dedicated list items are whole (no request for orders-db).
for c in orders-db orders-cache web; do t stat "$P/production/clusters/$c/cluster.json" >/dev/null; done
expect_eq "stat of the 3 cluster.json: 1 request" 1 "$(emu_stat requests)"
expect_eq "stat of the 3 cluster.json: ... one batchGet" 1 "$(emu_route 'GET serverless /v1beta1/clusters:batchGet')"

# 250 Starter clusters in one project: 3 serverless pages, 1 dedicated.
emu_reset
n=$(t ls -l "$P/bulk/clusters" | grep -c ' bulk-[0-9][0-9][0-9]$')
expect_eq "ls -l of bulk shows 250 clusters" 250 "$n"
expect_eq "ls -l of 250 clusters: GET serverless /v1beta1/clusters == 3" 3 "$(emu_route 'GET serverless /v1beta1/clusters')"
expect_eq "ls -l of 250 clusters: GET dedicated /v1beta1/clusters == 1" 1 "$(emu_route 'GET dedicated /v1beta1/clusters')"
expect_eq "ls -l of 250 clusters: no per-cluster GET" 0 "$(emu_routes_matching '/clusters/\{id\}')"
ok "the list calls asked for pageSize=100" sh -c "timeout 10 curl -s --cacert '$CACERT' --connect-to ::127.0.0.1:$PORT https://api.tidbcloud.com/_emulator/requests | jq -e '[.requests[] | select(.host | startswith(\"serverless\")) | select(.path == \"/v1beta1/clusters\" and .status == 200)] | length == 3 and all(.query | test(\"pageSize=100\"))' >/dev/null"
emu_reset
ok "ls -l of 250 clusters again (warm)" ls -l "$P/bulk/clusters"
expect_eq "warm ls -l of 250 clusters: 0 requests" 0 "$(emu_stat requests)"
ok "stat of 250 cluster.json after ls -l" sh -c "cd '$P/bulk/clusters' && timeout 60 stat -c %s */cluster.json >/dev/null"
expect_eq "stat of 250 cluster.json after ls -l: ceil(250/100) = 3 requests" 3 "$(emu_stat requests)"
expect_eq "stat of 250 cluster.json after ls -l: ... 3 batchGets" 3 "$(emu_route 'GET serverless /v1beta1/clusters:batchGet')"
emu_reset
ok "cat of 250 cluster.json after stat" sh -c "cd '$P/bulk/clusters' && timeout 60 cat */cluster.json | jq -s 'length == 250 and all(.spendingLimit.monthly != null and .automatedBackupPolicy != null)' | grep -qx true"
expect_eq "cat of 250 cluster.json after stat: 0 requests" 0 "$(emu_stat requests)"
ok "250 state files after ls: from the listing" sh -c "cd '$P/bulk/clusters' && timeout 60 cat */state | grep -c ACTIVE | grep -qx 250"
expect_eq "250 state files: 0 requests" 0 "$(emu_stat requests)"

# Connection reuse and digest nonce reuse (the first call already happened).
emu_reset
for p in staging analytics "$P_SANDBOX1"; do t ls -l "$P/$p/clusters" >/dev/null; done
for c in website orders-db orders-cache; do t cat "$P/production/clusters/$c/cluster.json" >/dev/null 2>&1; done
for pc in "$P_STAGING $C_STAGE_APP" "$P_STAGING $C_STAGE_DEDICATED" "$P_STAGING $C_STAGE_ESSENTIAL" \
	"$P_ANALYTICS $C_WAREHOUSE" "$P_ANALYTICS $C_REPORTS" "$P_ANALYTICS $C_ETL"; do
	set -- $pc
	t cat "$P/$1/clusters/$2/cluster.json" >/dev/null 2>&1
done
req=$(emu_stat requests) conns=$(emu_stat connections) chal=$(emu_stat challenges)
diag "after warm-up: $req requests, $conns connections, $chal challenges"
expect_ge "several requests were made" 6 "$req"
expect_le "digest: no new 401 challenge once the nonce is known" 0 "$chal"
expect_le "connections are reused (connections <= requests/2)" $(( req / 2 )) "$conns"

# Parallel readers (FUSE worker threads, shared connections, the cache).
ok "8 parallel readers over the 250 bulk cluster.json files" sh -c "cd '$P/bulk/clusters' && ls -d bulk-* | sed 's|\$|/cluster.json|' | timeout 60 xargs -P 8 -n 5 cat | jq -s 'length' | grep -qx 250"
ok "8 parallel readers of id/state files" sh -c "cd '$P/bulk/clusters' && ls -d bulk-* | sed 's|\$|/state|' | timeout 60 xargs -P 8 -n 5 cat | grep -c ACTIVE | grep -qx 250"
ok "parallel ls -l of every project" sh -c "for p in production staging analytics bulk $P_SANDBOX1 $P_SANDBOX2; do timeout 30 ls -l '$P/'\$p/clusters >/dev/null & done; wait"

unmount_fs

# --- after cache_timeout: names resolve from the expired listing, content
# is fetched with one GET of the object (the listing is not fetched again).
mount_fs cache_timeout=1
# req_list: the answered requests as "METHOD host path" lines
req_list() { emu_requests | jq -r '.requests[] | "\(.method) \(.host) \(.path)"'; }
# expired_cat DESC PATH WANT_REQUEST: warm, let the cache expire, cat once,
# expect exactly one request, WANT_REQUEST.
expired_cat() {
	local desc=$1 path=$2 want=$3 got
	t cat "$path" >/dev/null
	sleep 1.6   # > cache_timeout (1 s) and the kernel's entry/attr caches
	emu_reset
	ok "$desc: cat after expiry" cat "$path"
	got=$(req_list)
	expect_eq "$desc: after expiry cat costs 1 request" 1 "$(emu_stat requests)"
	expect_eq "$desc: ... the GET of that cluster (serverless: with its expired siblings)" "$want" "$got"
}
expired_cat "website/state" "$P/production/clusters/website/state" \
	"GET serverless.tidbapi.com /v1beta1/clusters:batchGet"
expired_cat "website/cluster.json" "$P/production/clusters/website/cluster.json" \
	"GET serverless.tidbapi.com /v1beta1/clusters:batchGet"
expired_cat "orders-db/state (dedicated)" "$P/production/clusters/orders-db/state" \
	"GET dedicated.tidbapi.com /v1beta1/clusters/$C_ORDERS_DB"
expired_cat "website by id alias" "$P/$P_PRODUCTION/clusters/$C_WEB/state" \
	"GET serverless.tidbapi.com /v1beta1/clusters:batchGet"
expired_cat "bulk-042/state (250 clusters)" "$P/bulk/clusters/bulk-042/state" \
	"GET serverless.tidbapi.com /v1beta1/clusters:batchGet"
expired_cat "bulk-250/state (250 clusters, last page)" "$P/bulk/clusters/bulk-250/state" \
	"GET serverless.tidbapi.com /v1beta1/clusters:batchGet"
# ls after expiry still lists (every page), and sees no per-cluster GET
t ls -l "$P/bulk/clusters" >/dev/null
sleep 1.6
emu_reset
n=$(t ls -l "$P/bulk/clusters" | grep -c ' bulk-[0-9][0-9][0-9]$')
expect_eq "ls -l of bulk after expiry shows 250 clusters" 250 "$n"
expect_eq "ls -l of bulk after expiry: GET serverless /v1beta1/clusters == 3" 3 "$(emu_route 'GET serverless /v1beta1/clusters')"
expect_eq "ls -l of bulk after expiry: GET dedicated /v1beta1/clusters == 1" 1 "$(emu_route 'GET dedicated /v1beta1/clusters')"
expect_eq "ls -l of bulk after expiry: no per-cluster GET" 0 "$(emu_routes_matching '/clusters/\{id\}')"
sleep 1.6
emu_reset
ok "ls production/clusters after expiry" ls "$P/production/clusters"
expect_eq "ls production/clusters after expiry: the two lists" \
	"$(printf 'GET dedicated.tidbapi.com /v1beta1/clusters\nGET serverless.tidbapi.com /v1beta1/clusters')" \
	"$(req_list | grep clusters | sort)"
# watch -n1 cat .../state: each read after expiry is one GET, never a list
sleep 1.6
emu_reset
for i in 1 2 3 4; do t cat "$P/production/clusters/website/state" >/dev/null; sleep 1.2; done
expect_eq "watch-like: 4 reads, each after expiry: 4 requests" 4 "$(emu_stat requests)"
expect_eq "watch-like: ... all 4 are batch GETs of the cluster (and its expired siblings)" 4 "$(emu_route 'GET serverless /v1beta1/clusters:batchGet')"
# A cluster renamed behind the mount's back, while the listing is expired:
# the old name stops resolving at once, the new one resolves.
t cat "$P/staging/clusters/stage-essential/state" >/dev/null
out=$(emu_api PATCH "https://serverless.tidbapi.com/v1beta1/clusters/$C_STAGE_ESSENTIAL" \
	'{"cluster":{"displayName":"stage-renamed"},"updateMask":"displayName"}')
case "$out" in *HTTP:200*) _pass "rename through the API" ;; *) _fail "rename through the API" "$out" ;; esac
sleep 1.6
expect_fail_errno "expired listing: the old name of a cluster renamed behind our back is ENOENT" \
	ENOENT cat "$P/staging/clusters/stage-essential/state"
expect_eq "expired listing: the new name resolves" ACTIVE "$(t cat "$P/staging/clusters/stage-renamed/state")"
ok "ls shows the new name" sh -c "ls '$P/staging/clusters' | grep -qx stage-renamed"
ok "ls no longer shows the old name" sh -c "! ls '$P/staging/clusters' | grep -qx stage-essential"
unmount_fs
# A scan of every cluster by name after expiry (no readdir first): names
# resolve from the expired listing, each object not fresh is fetched with
# up to 99 expired siblings, so 250 reads cost ceil(250/100) = 3 batch
# gets, not 250 GETs. (cache_timeout 20: the scan must fit in one window,
# even under ThreadSanitizer on a loaded machine.)
mount_fs cache_timeout=20
t ls "$P/bulk/clusters" >/dev/null
sleep 20.6
emu_reset
n=$(cd "$P/bulk/clusters" && printf 'bulk-%03d/state\n' $(seq 1 250) | timeout 60 xargs cat | grep -c '^ACTIVE$')
expect_eq "scan of 250 states by name after expiry reads 250" 250 "$n"
diag "scan after expiry: $(emu_routes_dump)"
expect_eq "scan after expiry: 3 requests, not 250" 3 "$(emu_stat requests)"
expect_eq "scan after expiry: 3 batchGets" 3 "$(emu_route 'GET serverless /v1beta1/clusters:batchGet')"
unmount_fs

# --- freshness: after cache_timeout a change made through the API shows
mount_fs cache_timeout=1
d=$(cdir $P_PRODUCTION $C_WEB)
ok "website before: displayName website" jqf '.displayName == "website"' "$d/cluster.json"
ok "ls production/clusters shows website" sh -c "ls '$ORG/projects/production/clusters' | grep -qx website"
out=$(emu_api PATCH "https://serverless.tidbapi.com/v1beta1/clusters/$C_WEB" \
	'{"cluster":{"displayName":"web-fresh"},"updateMask":"displayName"}')
case "$out" in *HTTP:200*) _pass "PATCH through the API (curl --digest) succeeded" ;;
*) _fail "PATCH through the API (curl --digest) succeeded" "$out" ;; esac
if wait_for 10 jqf '.displayName == "web-fresh"' "$d/cluster.json"; then
	_pass "after cache_timeout the API change shows in cluster.json"
else
	_fail "after cache_timeout the API change shows in cluster.json" "$(t cat "$d/cluster.json" | head -20)"
fi
ok "spec.json shows it too" wait_for 5 jqf '.displayName == "web-fresh"' "$d/spec.json"
ok "the listing shows the new name" wait_for 5 sh -c "ls '$ORG/projects/production/clusters' | grep -qx web-fresh"
ok "the old name is gone" wait_for 5 sh -c "! ls '$ORG/projects/production/clusters' | grep -qx website"
wait_for 3 sh -c "! test -e '$ORG/projects/production/clusters/website'"  # kernel entry cache
expect_fail_errno "stat of the old name is ENOENT" ENOENT stat "$ORG/projects/production/clusters/website"
# A new project made through the API appears too.
out=$(emu_api POST "https://api.tidbcloud.com/api/v1beta/projects" '{"name":"fresh-project"}')
case "$out" in *HTTP:200*) _pass "POST project through the API" ;; *) _fail "POST project through the API" "$out" ;; esac
ok "a project created through the API appears in ls" wait_for 10 sh -c "ls '$ORG/projects' | grep -qx fresh-project"

finish
