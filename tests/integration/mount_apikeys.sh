#!/bin/bash
# API keys (issue 10): <org>/api-keys/<k>/ with api-key.json (never a
# secret), id, spec.json {displayName, role, projectId} and .error, on IAM
# /v1beta1/apikeys. mkdir NAME creates a key from .template.json {role,
# projectId}: its secretKey is readable ONCE in api-keys/<k>/secret (0400)
# and then ENOENT; spec.json (sed -i, vim) PATCHes; rmdir deletes — except
# the key the mount itself uses: EBUSY, nothing sent. A created key
# authenticates with its role (a mount with it works; one without
# org:owner gets EACCES on api-keys/ and nowhere else). The secret is in
# no log line, .error or spec.json.rejected.
. "$(dirname "$0")/lib.sh"

IAM="iam /v1beta1/apikeys"
LIST="GET $IAM" GET1="GET $IAM/{id}" POST="POST $IAM"
PATCH="PATCH $IAM/{id}" DEL="DELETE $IAM/{id}"
sent() { echo $(( $(emu_route "$POST") + $(emu_route "$PATCH") + $(emu_route "$DEL") )); }
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }
SEEDKEYS="dashboard-viewer emulator owner key finance-export production-ci "

start_emulator
mount_fs cache_timeout=30,debug_api
K=$ORG/api-keys

# --- the tree, ls and ls -l: one list request, nothing per key
ok "api-keys/ is in the org directory" sh -c "ls '$ORG' | grep -qx api-keys"
emu_reset
expect_eq "ls api-keys: the seed's keys by displayName" "$SEEDKEYS" "$(lsn "$K")"
expect_eq "ls costs one list request" 1 "$(emu_route "$LIST")"
emu_reset
unmount_fs
mount_fs cache_timeout=30
K=$ORG/api-keys
emu_reset
ok "ls -l api-keys" t ls -l "$K"
expect_eq "ls -l costs one list request" 1 "$(emu_route "$LIST")"
expect_eq "ls -l costs no GET per key" 0 "$(emu_route "$GET1")"
REQS=$(emu_requests)
ok "the list asked for pageSize=100" sh -c "printf '%s' \"\$1\" | jq -e '[.requests[] | select(.path == \"/v1beta1/apikeys\")] | length == 1 and all(.query | test(\"pageSize=100\"))' >/dev/null" _ "$REQS"

# --- contents from the listing (no request)
emu_reset
ok "cat */api-key.json | jq: every accessKey" sh -c \
	"cat '$K'/*/api-key.json | jq -e -s 'map(.accessKey) | sort == [\"BILLINGADMIN0001\",\"ORGMEMBERKEY0001\",\"PRODOWNERKEY0001\",\"$TEST_PUBLIC_KEY\"]' >/dev/null"
expect_eq "cat */api-key.json costs no request" 0 "$(( $(emu_route "$LIST") + $(emu_route "$GET1") ))"
ok "no api-key.json holds a secretKey" sh -c "! cat '$K'/*/api-key.json | grep -q secretKey"
expect_eq "api-key.json is the emulator's object" \
	"$(emu_api GET "https://iam.tidbapi.com/v1beta1/apikeys/ORGMEMBERKEY0001" | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$K/dashboard-viewer/api-key.json")"
expect_eq "id is the accessKey" ORGMEMBERKEY0001 "$(t cat "$K/dashboard-viewer/id")"
ok "spec.json of an org key" jqf \
	'. == {"displayName": "dashboard-viewer", "role": "org:member", "projectId": 0}' \
	"$K/dashboard-viewer/spec.json"
ok "spec.json of a project key" jqf \
	".role == \"project:owner\" and .projectId == $P_PRODUCTION" "$K/production-ci/spec.json"
ok "the accessKey resolves too (not listed)" test -d "$K/ORGMEMBERKEY0001"
ok "st_size of api-key.json is exact" sh -c \
	"[ \$(stat -c %s '$K/finance-export/api-key.json') = \$(cat '$K/finance-export/api-key.json' | wc -c) ]"
ok "no secret file for a key the mount did not create" \
	sh -c "! ls '$K/dashboard-viewer' | grep -qx secret"

# --- find: one list, nothing per key
emu_reset
ok "find api-keys" sh -c "find '$K' >/dev/null"
expect_le "find: at most one list (none within cache_timeout)" 1 "$(emu_route "$LIST")"
expect_eq "find: no GET per key" 0 "$(emu_route "$GET1")"

# --- hostile mkdir and spec: refused locally, nothing sent
emu_reset
ok ".template.json: role org:member, projectId 0" jqf \
	'. == {"role": "org:member", "projectId": 0}' "$K/.template.json"
expect_fail_errno "a name of 65 characters: EINVAL" EINVAL mkdir "$K/$(printf 'k%.0s' $(seq 65))"
expect_fail_errno "a name with a control character: EINVAL" EINVAL mkdir "$K/$(printf 'a\tb')"
echo '{"role": "org:admin", "projectId": 0}' > "$K/.template.json"
expect_fail_errno "a role that does not exist: EINVAL" EINVAL mkdir "$K/eve"
ok ".error says which rule" file_has "$K/.error" "role: one of org:owner"
echo '{"role": "project:dev", "projectId": 0}' > "$K/.template.json"
expect_fail_errno "a project role without a project: EINVAL" EINVAL mkdir "$K/eve"
echo "{\"role\": \"org:owner\", \"projectId\": $P_PRODUCTION}" > "$K/.template.json"
expect_fail_errno "an org role with a project: EINVAL" EINVAL mkdir "$K/eve"
echo '{"role": "org:member", "projectId": "prod"}' > "$K/.template.json"
expect_fail_errno "a projectId that is no number: EINVAL" EINVAL mkdir "$K/eve"
echo '{"role": "org:member", "secretKey": "x"}' > "$K/.template.json"
expect_fail_errno "an unknown template field: EINVAL" EINVAL mkdir "$K/eve"
expect_eq "no POST, PATCH or DELETE for any of them" 0 "$(sent)"
expect_eq "the keys are unchanged" "$SEEDKEYS" "$(lsn "$K")"
ok "the default template written back" sh -c "echo '{\"role\": \"org:billing_admin\", \"projectId\": 0}' > '$K/.template.json'"

# --- mkdir: the secret shown once
emu_reset
ok "mkdir api-keys/ci-bot" mkdir "$K/ci-bot"
expect_eq "one POST" 1 "$(emu_route "$POST")"
ok "listed at once" sh -c "ls '$K' | grep -qx ci-bot"
expect_eq "secret is mode 0400" 400 "$(stat -c %a "$K/ci-bot/secret")"
ok "ls -l shows the secret file" sh -c "ls -l '$K/ci-bot' | grep -q ' secret$'"
SZ=$(stat -c %s "$K/ci-bot/secret")
SECRET=$(t cat "$K/ci-bot/secret")
expect_eq "st_size of secret is exact" "$SZ" "$(( ${#SECRET} + 1 ))"
ok "the secret is not empty" test -n "$SECRET"
expect_fail_errno "read once: then gone (ENOENT)" ENOENT cat "$K/ci-bot/secret"
ok "and no longer listed" sh -c "! ls '$K/ci-bot' | grep -qx secret"
ok "no file of the mount shows the secret (api-key.json, spec.json, listings)" sh -c \
	"! find '$K' -type f -readable -print0 | xargs -0 cat 2>/dev/null | grep -qF -- '$SECRET'"
ok "nor any .error of the org" sh -c "! cat '$K/.error' '$K/ci-bot/.error' '$ORG/billing/.error' 2>/dev/null | grep -qF -- '$SECRET'"
ACC=$(t cat "$K/ci-bot/id")
ok "api-key.json has no secretKey" jqf 'has("secretKey") | not' "$K/ci-bot/api-key.json"
ok "role from the template" jqf '.role == "org:billing_admin"' "$K/ci-bot/spec.json"
expect_eq "the new key authenticates with its secret (billing admin reads bills)" 200 \
	"$(_emu_curl --digest -u "$ACC:$SECRET" -o /dev/null -w '%{http_code}' \
		"https://billing.tidbapi.com/v1beta1/bills/$(date -u +%Y-%m)")"

# --- spec.json: sed -i, vim; read-your-writes
emu_reset
ok "sed -i spec.json: displayName" sed -i 's/"ci-bot"/"ci-robot"/' "$K/ci-bot/spec.json"
expect_eq "one PATCH" 1 "$(emu_route "$PATCH")"
ok "read-your-writes: listed under its new name" sh -c "ls '$K' | grep -qx ci-robot"
expect_eq "the emulator has it" ci-robot \
	"$(emu_api GET "https://iam.tidbapi.com/v1beta1/apikeys/$ACC" | sed '$d' | jq -r .displayName)"
if command -v vim >/dev/null; then
	ok "vim spec.json: role to a project role with its project" timeout 20 vim -Es -u NONE -i NONE \
		-c "%s/org:billing_admin/project:readonly/" -c "%s/\"projectId\": 0/\"projectId\": $P_STAGING/" \
		-c wq "$K/ci-robot/spec.json"
	ok "read-your-writes: spec.json" jqf ".role == \"project:readonly\" and .projectId == $P_STAGING" \
		"$K/ci-robot/spec.json"
	expect_eq "the emulator has it" "project:readonly $P_STAGING" \
		"$(emu_api GET "https://iam.tidbapi.com/v1beta1/apikeys/$ACC" | sed '$d' | jq -r '"\(.role) \(.projectId)"')"
else
	skip "vim spec.json" "no vim"
fi
emu_reset
echo '{"displayName": "ci-robot", "role": "owner", "projectId": 0}' > "$TMPD/bad"
expect_fail_errno "an unknown role in spec.json: EINVAL" EINVAL cp "$TMPD/bad" "$K/ci-robot/spec.json"
echo '{"displayName": "", "role": "org:member", "projectId": 0}' > "$TMPD/bad"
expect_fail_errno "an empty displayName: EINVAL" EINVAL cp "$TMPD/bad" "$K/ci-robot/spec.json"
echo '{"displayName": "x", "role": "org:member", "projectId": 7}' > "$TMPD/bad"
expect_fail_errno "an org role with a projectId: EINVAL" EINVAL cp "$TMPD/bad" "$K/ci-robot/spec.json"
expect_eq "no PATCH for a refused spec" 0 "$(emu_route "$PATCH")"
ok ".error says which rule" file_has "$K/ci-robot/.error" "organization role"

# --- rmdir: deletes; never the mount's own key
emu_reset
expect_fail_errno "rmdir of the key this mount uses: EBUSY" EBUSY rmdir "$K/emulator owner key"
ok ".error says why" file_has "$K/emulator owner key/.error" "the key this mount authenticates with"
expect_fail_errno "nor by its accessKey: EBUSY" EBUSY rmdir "$K/$TEST_PUBLIC_KEY"
expect_eq "no DELETE sent for it" 0 "$(emu_route "$DEL")"
ok "rmdir ci-robot" rmdir "$K/ci-robot"
expect_eq "one DELETE" 1 "$(emu_route "$DEL")"
expect_fail_errno "gone at once" ENOENT stat "$K/ci-robot"
expect_eq "the API no longer has it" "HTTP:404" \
	"$(emu_api GET "https://iam.tidbapi.com/v1beta1/apikeys/$ACC" | tail -1)"
expect_eq "and it no longer authenticates" 401 \
	"$(_emu_curl --digest -u "$ACC:$SECRET" -o /dev/null -w '%{http_code}' \
		"https://billing.tidbapi.com/v1beta1/bills/$(date -u +%Y-%m)")"

# --- a second key made through the mount, mounted with
ok "mkdir api-keys/second-owner (org:owner)" sh -c \
	"echo '{\"role\": \"org:owner\", \"projectId\": 0}' > '$K/.template.json' && mkdir '$K/second-owner'"
SECRET2=$(t cat "$K/second-owner/secret")
ACC2=$(t cat "$K/second-owner/id")
unmount_fs
TEST_PUBLIC_KEY=$ACC2 TEST_PRIVATE_KEY=$SECRET2 mount_fs cache_timeout=30
K=$ORG/api-keys
ok "a mount with the created key lists the projects" sh -c "ls '$ORG/projects' | grep -qx production"
ok "and the api keys" sh -c "ls '$K' | grep -qx second-owner"
expect_fail_errno "it refuses to delete itself: EBUSY" EBUSY rmdir "$K/second-owner"
unmount_fs

# --- a key without org:owner: api-keys/ EACCES, the rest works
TEST_PUBLIC_KEY=ORGMEMBERKEY0001 TEST_PRIVATE_KEY=org-member-secret-0123456789abcdef mount_fs cache_timeout=30
K=$ORG/api-keys
ok "an org:member still sees api-keys/" test -d "$K"
expect_fail_errno "ls api-keys with an org:member key: EACCES" EACCES ls "$K"
ok ".error quotes the API's answer" file_has "$K/.error" "requires the Organization Owner role"
ok "the projects are listed" sh -c "ls '$ORG/projects' | grep -qx production"
ok "a cluster is read" jqf '.displayName == "orders-db"' "$ORG/projects/production/clusters/orders-db/cluster.json"
unmount_fs

# --- the secrets are in no log line and no .error
for s in "$SECRET" "$SECRET2"; do
	ok "secret ${s:0:4}… is in no daemon log" sh -c "! grep -qF -- '$s' $_ALL_DAEMON_LOGS"
done

# --- -o nodelete and -o ro
mount_fs cache_timeout=30,nodelete
K=$ORG/api-keys
emu_reset
expect_fail_errno "rmdir with -o nodelete: EPERM" EPERM rmdir "$K/dashboard-viewer"
expect_eq "no DELETE sent (nodelete)" 0 "$(emu_route "$DEL")"
unmount_fs
mount_fs cache_timeout=30,ro
K=$ORG/api-keys
emu_reset
expect_fail_errno "mkdir with -o ro: EROFS" EROFS mkdir "$K/frank"
expect_fail_errno "rmdir with -o ro: EROFS" EROFS rmdir "$K/dashboard-viewer"
expect_fail_errno "spec.json with -o ro: EROFS" EROFS sh -c "echo '{}' > '$K/dashboard-viewer/spec.json'"
expect_eq "nothing sent (ro)" 0 "$(sent)"

finish
