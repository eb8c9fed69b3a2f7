#!/bin/bash
# Branches (issue 9): clusters/<c>/branches/<b>/ of Starter / Essential
# clusters only, with branch.json, id, state, wait, ctl (reset) and .error;
# named by displayName, the id resolves. ls -l = one list request per page
# and nothing per item (list items are whole Branch objects); ls clusters/
# never lists branches; mkdir NAME creates from .template.json ({parentId,
# parentTimestamp}), locally validated (EINVAL, .error, no request); rmdir
# deletes; -o ro / nodelete refuse with no request.
. "$(dirname "$0")/lib.sh"

BF=bran-7k2q4vxnmd3hb5ceu6tjwyrzfa BL=bran-p3ld6yxq2w7ncmbv4ezkr5uhtg
BS=bran-c5ne2hwq7bkx3mfp6vrdyt4uzj
BR="/v1beta1/clusters/{id}/branches"
LIST="GET serverless $BR" GET1="GET serverless $BR/{id}"
POST="POST serverless $BR" DEL="DELETE serverless $BR/{id}"
RESET="POST serverless $BR/{id}:reset"
SL=https://serverless.tidbapi.com/v1beta1/clusters

start_emulator --transition-ms 1500
mount_fs cache_timeout=30
P=$ORG/projects
OC=$P/production/clusters/orders-cache
OB=$OC/branches
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }
nsent() { echo $(( $(emu_route "$POST") + $(emu_route "$DEL") + $(emu_route "$RESET") )); }

# --- the tree: Starter / Essential only
ok "an Essential cluster has branches/" test -d "$OB"
ok "a Starter cluster has branches/" test -d "$P/production/clusters/website/branches"
ok "branches/ is listed in the cluster directory" sh -c "ls '$OC' | grep -qx branches"
expect_fail_errno "a Dedicated cluster has no branches/" ENOENT stat "$P/production/clusters/orders-db/branches"
nok "nor lists one" sh -c "ls '$P/production/clusters/orders-db' | grep -qx branches"

# --- ls -l: one list request, nothing per item
emu_reset
expect_eq "ls -l orders-cache/branches: by display name" "feature-checkout load-test " \
	"$(t ls -l "$OB" | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')"
expect_eq "ls -l costs one list request" 1 "$(emu_route "$LIST")"
expect_eq "ls -l costs no GET per branch" 0 "$(emu_route "$GET1")"
ok "ls -A shows .template.json and .error" sh -c \
	"ls -A '$OB' | grep -qx .error && ls -A '$OB' | grep -qx .template.json"
expect_eq "a branch directory's files" ".error branch.json ctl id state wait " \
	"$(t ls -A "$OB/load-test" | sort | tr '\n' ' ')"

# --- contents, from the listing (no request)
emu_reset
ok "cat */branch.json | jq: every branchId" sh -c \
	"cat '$OB'/*/branch.json | jq -e -s 'map(.branchId) | sort == [\"$BF\",\"$BL\"]'"
expect_eq "id holds the branch id" "$BL" "$(t cat "$OB/load-test/id")"
expect_eq "state" ACTIVE "$(t cat "$OB/feature-checkout/state")"
expect_eq "wait of an ACTIVE branch: at once" ACTIVE "$(timeout 5 cat "$OB/feature-checkout/wait")"
ok "branch.json has the endpoints (a whole object)" jqf '.endpoints.public.host | length > 0' \
	"$OB/load-test/branch.json"
expect_eq "reading costs no request within cache_timeout" 0 \
	"$(( $(emu_route "$LIST") + $(emu_route "$GET1") ))"
expect_eq "branch.json is the emulator's object (view FULL)" \
	"$(emu_api GET "$SL/$C_ORDERS_CACHE/branches/$BF" | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$OB/feature-checkout/branch.json")"
ok "the id resolves as an alias" cmp "$OB/feature-checkout/branch.json" "$OB/$BF/branch.json"
nok "the alias is not listed" sh -c "ls '$OB' | grep -qx '$BF'"
ok "mtime of a branch directory is its updateTime" \
	test "$(stat -c %Y "$OB/load-test")" = "$(date -d 2024-03-05T11:30:00Z +%s)"
ok "st_size of branch.json is exact" sh -c \
	"[ \$(stat -c %s '$OB/load-test/branch.json') = \$(cat '$OB/load-test/branch.json' | wc -c) ]"

# --- children of different parents never collide
expect_eq "stage-app has its own branch" "schema-preview " "$(lsn "$P/staging/clusters/stage-app/branches")"
expect_eq "a cluster without branches: an empty directory" "" "$(lsn "$P/production/clusters/website/branches")"
expect_fail_errno "a branch of another cluster is not reachable here" ENOENT \
	stat "$P/staging/clusters/stage-app/branches/$BF"

# --- ls clusters/ does not list branches; find lists each collection once
unmount_fs
mount_fs cache_timeout=30
P=$ORG/projects OC=$P/production/clusters/orders-cache OB=$OC/branches
emu_reset
ok "ls -l production/clusters" t ls -l "$P/production/clusters"
ok "ls of a cluster directory" t ls "$OC"
expect_eq "ls of clusters/ and of a cluster list no branches" 0 "$(emu_route "$LIST")"
emu_reset
ok "find MOUNT" sh -c "find '$MNT' >/dev/null"
NSLS=$(jq '[.clusters[] | select(.kind != "dedicated")] | length' "$REPO/tests/emulator/default-seed.json")
expect_eq "find: one branches list per Starter/Essential cluster" "$NSLS" "$(emu_route "$LIST")"
expect_eq "find: no GET per branch" 0 "$(emu_route "$GET1")"
diag "find MOUNT: $(emu_stat requests) requests; branches lists: $(emu_route "$LIST") for $NSLS Starter/Essential clusters"
ok "find lists every branch.json" sh -c "[ \$(find '$OB' -name branch.json | wc -l) = 2 ]"

# --- .template.json
ok ".template.json: parentId is the cluster, parentTimestamp null" \
	jqf ".parentId == \"$C_ORDERS_CACHE\" and .parentTimestamp == null" "$OB/.template.json"

# --- hostile input: EINVAL, .error says which rule, nothing sent
emu_reset
expect_fail_errno "mkdir with a name over 64 characters" EINVAL \
	mkdir "$OB/$(printf 'x%.0s' $(seq 65))"
ok ".error names the displayName rule" file_has "$OB/.error" "displayName"
expect_fail_errno "mkdir with a leading blank" EINVAL mkdir "$OB/ lead"
expect_fail_errno "mkdir with a control character" EINVAL mkdir "$OB/$(printf 'a\tb')"
tpl_refused() { # tpl_refused WHAT JSON TEXT-IN-.error
	ok "template $1 accepted as text" sh -c "printf '%s' '$2' > '$OB/.template.json'"
	expect_fail_errno "mkdir with $1" EINVAL mkdir "$OB/bad-tpl"
	ok ".error says: $3" file_has "$OB/.error" "$3"
}
tpl_refused "a parentTimestamp that is no time" '{"parentTimestamp":"yesterday"}' "RFC 3339"
tpl_refused "unix seconds as parentTimestamp" '{"parentTimestamp":"1709546400"}' "RFC 3339"
tpl_refused "a parentTimestamp with junk after" '{"parentTimestamp":"2024-03-04T12:00:00Zjunk"}' "RFC 3339"
tpl_refused "a parentTimestamp in the future" '{"parentTimestamp":"2999-01-01T00:00:00Z"}' "future"
tpl_refused "a parentId that is no branch" "{\"parentId\":\"$C_WEB\"}" "parentId"
tpl_refused "a numeric parentId" '{"parentId":42}' "parentId"
tpl_refused "an unknown field" '{"parentID":"x"}' "unknown field"
tpl_refused "a rootPassword (not taken from a template)" '{"rootPassword":"secret-pass"}' "unknown field"
printf '[]' > "$TMPD/array.json"
expect_fail_errno "cp of an array over .template.json: refused at close" EINVAL cp "$TMPD/array.json" "$OB/.template.json"
ok ".error says it must be an object" file_has "$OB/.error" "JSON object"
ok "the template kept its last text" jqf 'type == "object"' "$OB/.template.json"
expect_eq "no request for any refused mkdir" 0 "$(nsent)"
expect_fail_errno "refused mkdirs left nothing" ENOENT stat "$OB/bad-tpl"
expect_eq "the branches are untouched" "feature-checkout load-test " "$(lsn "$OB")"
emu_reset
expect_fail_errno "a wrong verb in ctl" EINVAL sh -c "/bin/echo rest > '$OB/load-test/ctl'"
ok ".error names the refused verb" file_has "$OB/load-test/.error" "rest"
expect_fail_errno "reset with an argument" EINVAL sh -c "/bin/echo 'reset now' > '$OB/load-test/ctl'"
expect_eq "no request for a refused ctl" 0 "$(nsent)"
expect_eq "state unchanged" ACTIVE "$(t cat "$OB/load-test/state")"

# --- mkdir creates: one POST, listed at once, wait blocks until ACTIVE
ok "template: from feature-checkout at a point in time" sh -c \
	"printf '{\"parentId\":\"$BF\",\"parentTimestamp\":\"2024-03-04T12:00:00Z\"}' > '$OB/.template.json'"
emu_reset
ok "mkdir branches/hotfix" mkdir "$OB/hotfix"
expect_eq "one POST" 1 "$(emu_route "$POST")"
ok "listed at once, no list request" sh -c "ls '$OB' | grep -qx hotfix"
expect_eq "and no list request for it" 0 "$(emu_route "$LIST")"
expect_eq "CREATING at once" CREATING "$(t cat "$OB/hotfix/state")"
ok "branch.json: the parent and the point in time" jqf \
	".parentId == \"$BF\" and .parentDisplayName == \"feature-checkout\" and .parentTimestamp == \"2024-03-04T12:00:00Z\"" \
	"$OB/hotfix/branch.json"
HID=$(t cat "$OB/hotfix/id")
expect_eq "the emulator has it" "HTTP:200" "$(emu_api GET "$SL/$C_ORDERS_CACHE/branches/$HID" | tail -1)"
expect_fail_errno "reset of a CREATING branch: the API refuses" "EBUSY|EINVAL" \
	sh -c "/bin/echo reset > '$OB/hotfix/ctl'"
ok ".error holds the API's reason" file_has "$OB/hotfix/.error" "ACTIVE"
expect_eq "wait blocks until ACTIVE" ACTIVE "$(timeout 20 cat "$OB/hotfix/wait")"

# --- ctl reset: one POST :reset, RESTORING at once, then ACTIVE
ok "ctl lists the verb" sh -c "grep -qx reset '$OB/load-test/ctl'"
emu_reset
ok "echo reset > ctl" sh -c "echo reset > '$OB/load-test/ctl'"
expect_eq "one :reset" 1 "$(emu_route "$RESET")"
expect_eq "RESTORING at once" RESTORING "$(t cat "$OB/load-test/state")"
expect_eq "no list or GET for it" 0 "$(( $(emu_route "$LIST") + $(emu_route "$GET1") ))"
expect_eq "wait blocks until ACTIVE again" ACTIVE "$(timeout 20 cat "$OB/load-test/wait")"

# --- the API's own refusals reach .error, nothing lost (at most 5 branches)
ok "template back to the default parent" sh -c "printf '{}' > '$OB/.template.json'"
ok "mkdir b4" mkdir "$OB/b4"
ok "mkdir b5" mkdir "$OB/b5"
emu_reset
expect_fail_errno "a sixth branch: the API refuses" EINVAL mkdir "$OB/b6"
ok ".error holds the API's reason" file_has "$OB/.error" "most allowed"
expect_eq "one POST sent" 1 "$(emu_route "$POST")"
expect_eq "five branches, none lost" "b4 b5 feature-checkout hotfix load-test " "$(lsn "$OB")"

# --- -o nodelete and -o ro refuse rmdir with no request
unmount_fs
mount_fs cache_timeout=30,nodelete
OB=$ORG/projects/production/clusters/orders-cache/branches
emu_reset
expect_fail_errno "rmdir with -o nodelete: EPERM" EPERM rmdir "$OB/b4"
ok ".error says nodelete" file_has "$OB/b4/.error" nodelete
expect_eq "no DELETE sent (nodelete)" 0 "$(emu_route "$DEL")"
unmount_fs
mount_fs cache_timeout=30,ro
OB=$ORG/projects/production/clusters/orders-cache/branches
emu_reset
expect_fail_errno "rmdir with -o ro: EROFS" EROFS rmdir "$OB/b4"
expect_fail_errno "mkdir with -o ro: EROFS" EROFS mkdir "$OB/b7"
expect_fail_errno "ctl with -o ro: EROFS" EROFS sh -c "echo reset > '$OB/b4/ctl'"
expect_eq "nothing sent (ro)" 0 "$(nsent)"

# --- rmdir deletes: one DELETE, gone at once, no list request
unmount_fs
mount_fs cache_timeout=30
OB=$ORG/projects/production/clusters/orders-cache/branches
ok "ls before rmdir" t ls "$OB"
B4=$(t cat "$OB/b4/id")
emu_reset
ok "rmdir b4" rmdir "$OB/b4"
expect_eq "one DELETE" 1 "$(emu_route "$DEL")"
expect_eq "gone from ls at once" "b5 feature-checkout hotfix load-test " "$(lsn "$OB")"
expect_eq "and no list request for it" 0 "$(emu_route "$LIST")"
expect_fail_errno "the deleted branch is gone" ENOENT stat "$OB/b4"
expect_eq "the API no longer has it" "HTTP:404" \
	"$(emu_api GET "$SL/$C_ORDERS_CACHE/branches/$B4" | tail -1)"
ok "rmdir by id alias" rmdir "$OB/$(t cat "$OB/b5/id")"
# the kernel keeps the other name (b5) up to entry_timeout (1 s)
ok "b5 gone too (after the kernel's entry timeout)" wait_for 3 sh -c "! stat '$OB/b5' 2>/dev/null"
expect_eq "and not listed" "feature-checkout hotfix load-test " "$(lsn "$OB")"
expect_fail_errno "rmdir of a branch that does not exist" ENOENT rmdir "$OB/bran-doesnotexist0000000000000"

finish
