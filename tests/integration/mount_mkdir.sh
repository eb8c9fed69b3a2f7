#!/bin/bash
# Creating and deleting: mkdir/rmdir of clusters (Starter from the default
# template, Dedicated from an edited one), a template missing fields, rm -r,
# mkdir of a project, -o ro and -o nodelete.
. "$(dirname "$0")/lib.sh"

start_emulator --transition-ms 1500
mount_fs

P=$ORG/projects
CL=$P/production/clusters
POST_SLS='POST serverless /v1beta1/clusters'
POST_DED='POST dedicated /v1beta1/clusters'
DEL_SLS='DELETE serverless /v1beta1/clusters/{id}'
DEL_DED='DELETE dedicated /v1beta1/clusters/{id}'
changes() { emu_routes_matching '^(PATCH|POST|PUT|DELETE) '; }

# ---------------------------------------------------------------- template
ok "clusters/.template.json is valid JSON" json_valid "$CL/.template.json"
t cat "$CL/.template.json" >"$TMPD/template.default"
diag "default template: $(jq -c . "$TMPD/template.default")"
ok "the default template is a Starter cluster (no Dedicated node settings)" \
	jqf '(has("tidbNodeSetting") or has("tikvNodeSetting")) | not' "$CL/.template.json"
ok "the default template names the default region aws-us-east-1" file_has "$CL/.template.json" aws-us-east-1
expect_eq ".template.json is 644" 644 "$(t stat -c %a "$CL/.template.json")"

# ---------------------------------------------------------------- mkdir Starter
emu_reset
ok "mkdir clusters/newone" mkdir "$CL/newone"
expect_eq "mkdir: one POST serverless /v1beta1/clusters" 1 "$(emu_route "$POST_SLS")"
expect_eq "mkdir: no dedicated create" 0 "$(emu_route "$POST_DED")"
expect_eq "mkdir: exactly one change request" 1 "$(changes)"
ok "newone exists at once" test -d "$CL/newone"
ok "newone is listed at once" sh -c "ls '$CL' | grep -qx newone"
st=$(t cat "$CL/newone/state")
expect_eq "newone: state CREATING at once" CREATING "$st"
ok "newone: cluster.json has displayName newone" jqf '.displayName == "newone"' "$CL/newone/cluster.json"
new_id=$(t cat "$CL/newone/id")
ok "newone: id is numeric" sh -c "echo '$new_id' | grep -qE '^[0-9]+\$'"
out=$(emu_api GET "https://serverless.tidbapi.com/v1beta1/clusters/$new_id")
if printf '%s' "${out%HTTP:*}" | jq -e --arg p "$P_PRODUCTION" '.labels["tidb.cloud/project"] == $p and .displayName == "newone"' >/dev/null 2>&1; then
	_pass "newone: the API object is in production with displayName newone"
else
	_fail "newone: the API object is in production with displayName newone" "$out"
fi
ok "newone: state becomes ACTIVE (10 s)" wait_for 10 state_is "$CL/newone" ACTIVE
ok "newone: reachable by its id" test -f "$P/$P_PRODUCTION/clusters/$new_id/cluster.json"
expect_fail_errno "mkdir of an existing name: File exists" EEXIST mkdir "$CL/newone"

# ---------------------------------------------------------------- rmdir
emu_reset
ok "rmdir clusters/newone" rmdir "$CL/newone"
expect_eq "rmdir: one DELETE serverless" 1 "$(emu_route "$DEL_SLS")"
expect_eq "rmdir: exactly one change request" 1 "$(changes)"
ok "rmdir: newone is not listed" sh -c "! ls '$CL' | grep -qx newone"
expect_fail_errno "rmdir: stat newone is ENOENT" ENOENT stat "$CL/newone"
# the alias and its files may sit in the kernel's entry cache (~1 s)
wait_for 3 sh -c "! test -e '$P/$P_PRODUCTION/clusters/$new_id'"
expect_fail_errno "rmdir: the id alias is ENOENT too" ENOENT stat "$P/$P_PRODUCTION/clusters/$new_id"
expect_fail_errno "rmdir again: ENOENT" ENOENT rmdir "$CL/newone"

# ---------------------------------------------------------------- rm -r
emu_reset
out=$(timeout 20 rm -rf "$CL/website" 2>&1); rc=$?
diag "rm -rf of a cluster dir: status $rc: $(echo "$out" | head -3 | tr '\n' ' ')"
expect_eq "rm -rf of a cluster dir: no DELETE (files cannot be unlinked, so rm never rmdirs)" 0 "$(changes)"
ok "rm -rf of a cluster dir: the cluster is still there" test -f "$CL/website/cluster.json"
# spec.json "unlinks" with a short whiteout (see mount_write.sh), then returns
ok "rm -rf of a cluster dir: spec.json is back within 5 s" wait_for 5 test -f "$CL/website/spec.json"
ok "rm -rf of a cluster dir: the files are intact" sh -c "[ \"\$(cat '$CL/website/state')\" = ACTIVE ] && [ \"\$(cat '$CL/website/id')\" = $C_WEB ]"
ok "rm -rf reports a failure" test "$rc" -ne 0
expect_fail_errno "rmdir of a fixed directory (clusters) is refused" "EPERM|EACCES|ENOTEMPTY|EBUSY" rmdir "$CL"
expect_eq "rmdir of clusters: no request" 0 "$(changes)"

# ---------------------------------------------------------------- template edits
# A template missing a required field: mkdir → EINVAL, .error says which.
emu_reset
jq 'del(.region) | del(.regionId)' "$TMPD/template.default" >"$TMPD/t-noregion"
if cmp -s "$TMPD/t-noregion" "$TMPD/template.default"; then
	diag "the default template has neither region nor regionId; cannot test a missing region"
fi
ok "write a template without the region" cp "$TMPD/t-noregion" "$CL/.template.json"
ok "the template reads back without the region" jqf 'has("region") or has("regionId") | not' "$CL/.template.json"
expect_fail_errno "mkdir with a template missing the region: Invalid argument" EINVAL mkdir "$CL/noregion"
ok "clusters/.error says region is missing" sh -c "grep -qi region '$CL/.error'"
expect_eq "template missing a field: no request" 0 "$(changes)"
ok "no directory was made" sh -c "! test -e '$CL/noregion'"

emu_reset
expect_fail_errno "an invalid JSON template is refused" EINVAL sh -c "printf '{nope' | cp /dev/stdin '$CL/.template.json'"
ok "the refused template leaves the old one" jqf 'has("region") | not' "$CL/.template.json"
ok "clusters/.error says the template was rejected" grep -qi 'template' "$CL/.error"
expect_eq "template writes: no change request" 0 "$(changes)"

# Dedicated template.
ded_template() {
	jq -n '{
	  "displayName": "",
	  "regionId": "aws-us-east-1",
	  "servicePlan": "Dedicated",
	  "tidbNodeSetting": {"nodeSpecKey": "8C16G", "tidbNodeGroups": [{"nodeCount": 2}]},
	  "tikvNodeSetting": {"nodeSpecKey": "8C32G", "nodeCount": 3, "storageSizeGi": 500},
	  "port": 4000,
	  "rootPassword": "a-Secret-pass-123"
	}'
}
ded_template >"$TMPD/t-ded"
emu_reset
if ok "write a Dedicated template" cp "$TMPD/t-ded" "$CL/.template.json"; then
	ok "mkdir clusters/dedone (Dedicated)" mkdir "$CL/dedone"
	expect_eq "Dedicated mkdir: one POST dedicated /v1beta1/clusters" 1 "$(emu_route "$POST_DED")"
	expect_eq "Dedicated mkdir: no serverless create" 0 "$(emu_route "$POST_SLS")"
	expect_eq "Dedicated mkdir: state CREATING" CREATING "$(t cat "$CL/dedone/state")"
	ok "Dedicated mkdir: cluster.json has the TiKV node count" jqf '.tikvNodeSetting.nodeCount == 3' "$CL/dedone/cluster.json"
	ok "Dedicated mkdir: the root password is not shown" sh -c "! grep -q 'a-Secret-pass-123' '$CL/dedone/cluster.json'"
	ok "Dedicated mkdir: ctl offers pause" file_has "$CL/dedone/ctl" pause
	ok "Dedicated mkdir: state becomes ACTIVE (10 s)" wait_for 10 state_is "$CL/dedone" ACTIVE
	emu_reset
	ok "rmdir of the Dedicated cluster" rmdir "$CL/dedone"
	expect_eq "Dedicated rmdir: one DELETE dedicated" 1 "$(emu_route "$DEL_DED")"
	expect_fail_errno "Dedicated rmdir: gone" ENOENT stat "$CL/dedone"
fi
# Dedicated template missing the TiKV settings.
emu_reset
jq 'del(.tikvNodeSetting)' "$TMPD/t-ded" >"$TMPD/t-ded2"
if t cp "$TMPD/t-ded2" "$CL/.template.json" 2>"$TMPD/cp.err"; then
	expect_fail_errno "Dedicated template without tikvNodeSetting: mkdir Invalid argument" EINVAL mkdir "$CL/dedtwo"
	ok "clusters/.error names tikvNodeSetting" grep -qi tikv "$CL/.error"
else
	ok "Dedicated template without tikvNodeSetting is refused when written (.error names it)" grep -qi tikv "$CL/.error"
fi
expect_eq "Dedicated template missing fields: no request" 0 "$(changes)"
# The template belongs to one collection.
ok "another project's template is still the default" sh -c "! grep -q Dedicated '$P/staging/clusters/.template.json'"
ok "restore the default template" cp "$TMPD/template.default" "$CL/.template.json"

# ---------------------------------------------------------------- projects
emu_reset
ok "mkdir projects/newproj" mkdir "$P/newproj"
expect_eq "mkdir project: one POST v1beta /api/v1beta/projects" 1 "$(emu_route 'POST v1beta /api/v1beta/projects')"
expect_eq "mkdir project: exactly one change request" 1 "$(changes)"
ok "newproj appears in ls projects" sh -c "ls '$P' | grep -qx newproj"
ok "newproj/project.json names it" jqf '.name == "newproj"' "$P/newproj/project.json"
ok "newproj/clusters is empty" sh -c "[ -z \"\$(ls '$P/newproj/clusters')\" ]"
ok "a cluster can be made in the new project" mkdir "$P/newproj/clusters/first"
ok "the new project's cluster is listed" sh -c "ls '$P/newproj/clusters' | grep -qx first"
expect_fail_errno "rmdir of a project is refused (the API cannot delete projects)" "EPERM|ENOTEMPTY|EACCES|ENOSYS" rmdir "$P/newproj"
ok "rmdir first" rmdir "$P/newproj/clusters/first"

# ---------------------------------------------------------------- -o ro
unmount_fs
mount_fs ro
CL=$ORG/projects/production/clusters
D=$(cdir $P_PRODUCTION $C_WEB)
emu_reset
ok "ro: reading works" jqf '.displayName == "website"' "$D/cluster.json"
expect_fail_errno "ro: mkdir: Read-only file system" EROFS mkdir "$CL/rocluster"
expect_fail_errno "ro: rmdir: Read-only file system" EROFS rmdir "$CL/website"
t jq '.displayName="web-ro"' "$D/spec.json" >"$TMPD/ro.json"
expect_fail_errno "ro: writing spec.json: Read-only file system" EROFS cp "$TMPD/ro.json" "$D/spec.json"
expect_fail_errno "ro: ctl: Read-only file system" EROFS sh -c "/bin/echo pause > '$(cdir $P_PRODUCTION $C_ORDERS_DB)/ctl'"
expect_fail_errno "ro: a scratch file: Read-only file system" EROFS touch "$D/scratch"
expect_fail_errno "ro: writing .template.json: Read-only file system" EROFS cp "$TMPD/template.default" "$CL/.template.json"
expect_fail_errno "ro: mkdir of a project: Read-only file system" EROFS mkdir "$ORG/projects/roproj"
expect_eq "ro: no change request" 0 "$(changes)"
ok "ro: the mount is flagged ro" sh -c "grep ' $MNT ' /proc/self/mounts | grep -q ' ro[, ]'"

# ---------------------------------------------------------------- -o nodelete
unmount_fs
mount_fs nodelete
CL=$ORG/projects/production/clusters
emu_reset
expect_fail_errno "nodelete: rmdir: Operation not permitted" EPERM rmdir "$CL/website"
ok "nodelete: the cluster is still there" test -f "$CL/website/cluster.json"
expect_eq "nodelete: no DELETE" 0 "$(changes)"
ok "nodelete: mkdir still works" mkdir "$CL/keepme"
expect_eq "nodelete: one create" 1 "$(emu_route "$POST_SLS")"
expect_fail_errno "nodelete: rmdir of the new one is refused too" EPERM rmdir "$CL/keepme"
ok "nodelete: .error says why" sh -c "grep -qiE 'nodelete|not permitted|refus' '$CL/keepme/.error' || grep -qiE 'nodelete|not permitted|refus' '$CL/.error'"

# ---------------------------------------------------------------- thrift
# A create shows through the pending overlay and a delete leaves the cached
# listing in place: neither re-lists the collection while it is fresh.
unmount_fs
mount_fs cache_timeout=30
CL=$ORG/projects/production/clusters
LISTS='^GET (serverless|dedicated) /v1beta1/clusters$'
ok "thrift: ls production/clusters (the listing is cached)" ls "$CL"
emu_reset
ok "thrift: mkdir clusters/thrifty" mkdir "$CL/thrifty"
ok "thrift: thrifty is listed at once" sh -c "ls '$CL' | grep -qx thrifty"
ok "thrift: rmdir clusters/thrifty" rmdir "$CL/thrifty"
ok "thrift: thrifty is gone from the listing" sh -c "! ls '$CL' | grep -qx thrifty"
expect_eq "thrift: mkdir, rmdir and the listings cost no list request" 0 "$(emu_routes_matching "$LISTS")"
expect_eq "thrift: exactly two requests (POST, DELETE)" 2 "$(emu_stat requests)"

# Creates are not retried: needs emulator fault injection for POST; the
# emulator's stats show one POST per mkdir above, which is all we check.

finish
