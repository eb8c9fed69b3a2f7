#!/bin/bash
# SQL users (issue 9): clusters/<c>/sql-users/<u>/ with user.json, id,
# spec.json {builtinRole, customRoles, password} and .error, on IAM
# /v1beta1/clusters/{c}/sqlUsers for every kind of cluster. mkdir NAME
# creates from .template.json (the userPrefix rule of Starter/Essential
# checked locally), a generated password readable ONCE in
# sql-users/<u>/password (0400), spec.json changes roles or password,
# rmdir deletes. The password never reaches the log (even -o debug_api,
# log_level=debug), any .error or spec.json.rejected.
. "$(dirname "$0")/lib.sh"

IAM="iam /v1beta1/clusters/{id}/sqlUsers"
LIST="GET $IAM" GET1="GET $IAM/{id}" POST="POST $IAM"
PATCH="PATCH $IAM/{id}" DEL="DELETE $IAM/{id}"
sent() { echo $(( $(emu_route "$POST") + $(emu_route "$PATCH") + $(emu_route "$DEL") )); }

start_emulator
mount_fs cache_timeout=30,debug_api
P=$ORG/projects
OC=$P/production/clusters/orders-cache
OD=$P/production/clusters/orders-db
lsn() { t ls "$@" 2>&1 | sort | tr '\n' ' '; }
PFX=$(t jq -r .userPrefix "$OC/cluster.json")

# --- the tree
ok "an Essential cluster has sql-users/" test -d "$OC/sql-users"
ok "a Dedicated cluster has sql-users/" test -d "$OD/sql-users"
ok "sql-users/ is listed in the cluster directory" sh -c "ls '$OC' | grep -qx sql-users"

# --- ls -l: one list request, nothing per item
emu_reset
expect_eq "ls -l orders-cache/sql-users: the users with their prefix" \
	"$PFX.app_rw $PFX.reporting " \
	"$(t ls -l "$OC/sql-users" | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')"
expect_eq "ls -l costs one list request" 1 "$(emu_route "$LIST")"
expect_eq "ls -l costs no GET per user" 0 "$(emu_route "$GET1")"
expect_eq "orders-db (Dedicated): names without prefix" "orders_admin orders_app " \
	"$(lsn "$OD/sql-users")"

# --- contents, from the listing (no request)
emu_reset
ok "cat */user.json | jq: every userName" sh -c \
	"cat '$OC'/sql-users/*/user.json | jq -e -s 'map(.userName) | sort == [\"$PFX.app_rw\",\"$PFX.reporting\"]'"
expect_eq "id holds the user name" "$PFX.reporting" "$(t cat "$OC/sql-users/$PFX.reporting/id")"
ok "spec.json: builtinRole and customRoles" jqf \
	'.builtinRole == "role_readonly" and .customRoles == ["analyst"] and (has("password") | not)' \
	"$OC/sql-users/$PFX.reporting/spec.json"
expect_eq "user.json and spec.json: no request within cache_timeout" 0 \
	"$(( $(emu_route "$LIST") + $(emu_route "$GET1") ))"
expect_eq "user.json is the emulator's object" \
	"$(emu_api GET "https://iam.tidbapi.com/v1beta1/clusters/$C_ORDERS_DB/sqlUsers/orders_app" | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$OD/sql-users/orders_app/user.json")"
ok "ls -l: st_size of user.json is exact" sh -c \
	"[ \$(stat -c %s '$OD/sql-users/orders_app/user.json') = \$(cat '$OD/sql-users/orders_app/user.json' | wc -c) ]"
expect_fail_errno "a user of another cluster is not reachable here" ENOENT \
	stat "$OD/sql-users/$PFX.app_rw"
ok "no password file for a user the mount did not create" \
	sh -c "! ls '$OD/sql-users/orders_app' | grep -q password"

# --- find: one list per cluster, nothing per user
unmount_fs
mount_fs cache_timeout=30
P=$ORG/projects
OC=$P/production/clusters/orders-cache
OD=$P/production/clusters/orders-db
ok "ls -l production/clusters" t ls -l "$P/production/clusters"
emu_reset
ok "ls of a cluster directory" t ls "$OC"
expect_eq "ls of a cluster lists no sql users" 0 "$(emu_route "$LIST")"
emu_reset
ok "find MOUNT" sh -c "find '$MNT' >/dev/null"
NCL=$(jq '.clusters | length' "$REPO/tests/emulator/default-seed.json")
expect_eq "find: one sqlUsers list per cluster" "$NCL" "$(emu_route "$LIST")"
expect_eq "find: no GET per user" 0 "$(emu_route "$GET1")"
diag "find MOUNT: $(emu_stat requests) requests; sqlUsers lists: $(emu_route "$LIST") for $NCL clusters"

# --- hostile mkdir: refused locally, nothing sent
emu_reset
ok ".template.json has builtinRole, customRoles, authMethod" jqf \
	'.builtinRole == "role_readonly" and .customRoles == [] and .authMethod == "mysql_native_password"' \
	"$OC/sql-users/.template.json"
expect_fail_errno "mkdir without the userPrefix on Essential: EINVAL" EINVAL mkdir "$OC/sql-users/bob"
ok ".error names the directory to make" file_has "$OC/sql-users/.error" "mkdir sql-users/$PFX.bob"
expect_fail_errno "a name over 32 bytes: EINVAL" EINVAL mkdir "$OD/sql-users/$(printf 'x%.0s' $(seq 33))"
expect_fail_errno "a name with a quote: EINVAL" EINVAL mkdir "$OD/sql-users/bo'b"
expect_fail_errno "a name with @: EINVAL" EINVAL mkdir "$OD/sql-users/bob@host"
echo '{"builtinRole": "role_superuser"}' > "$OD/sql-users/.template.json"
expect_fail_errno "an unknown builtinRole: EINVAL" EINVAL mkdir "$OD/sql-users/eve"
ok ".error says which rule" file_has "$OD/sql-users/.error" "builtinRole"
echo '{"builtinRole": "role_readonly", "authMethod": "caching_sha2_password"}' > "$OD/sql-users/.template.json"
expect_fail_errno "an unsupported authMethod: EINVAL" EINVAL mkdir "$OD/sql-users/eve"
echo '{"builtinRole": "role_readonly", "password": "short"}' > "$OD/sql-users/.template.json"
expect_fail_errno "a template password under 8 characters: EINVAL" EINVAL mkdir "$OD/sql-users/eve"
ok ".error does not quote the template password" sh -c "! grep -q short '$OD/sql-users/.error'"
echo '{"builtinRole": "role_readonly", "customRoles": [1]}' > "$OD/sql-users/.template.json"
expect_fail_errno "customRoles not strings: EINVAL" EINVAL mkdir "$OD/sql-users/eve"
echo '{"builtinRole": "role_readonly", "superuser": true}' > "$OD/sql-users/.template.json"
expect_fail_errno "an unknown template field: EINVAL" EINVAL mkdir "$OD/sql-users/eve"
expect_eq "no POST, PATCH or DELETE for any of them" 0 "$(sent)"
expect_eq "the users are unchanged" "orders_admin orders_app " "$(lsn "$OD/sql-users")"
DEFTPL='{"builtinRole": "role_readonly", "customRoles": [], "authMethod": "mysql_native_password"}'
ok "the default template written back" sh -c "echo '$DEFTPL' > '$OD/sql-users/.template.json'"

# --- mkdir with a generated password, shown once
emu_reset
ok "mkdir orders-cache/sql-users/<prefix>.bob" mkdir "$OC/sql-users/$PFX.bob"
expect_eq "one POST" 1 "$(emu_route "$POST")"
ok "the new user is listed at once" sh -c "ls '$OC/sql-users' | grep -qx '$PFX.bob'"
ok "its password file is there" test -f "$OC/sql-users/$PFX.bob/password"
expect_eq "password is mode 0400" 400 "$(stat -c %a "$OC/sql-users/$PFX.bob/password")"
ok "ls -l shows the password file" sh -c "ls -l '$OC/sql-users/$PFX.bob' | grep -q ' password$'"
PW=$(t cat "$OC/sql-users/$PFX.bob/password")
ok "the password is 32 letters and digits" sh -c "echo '$PW' | grep -Eqx '[A-Za-z0-9]{32}'"
expect_fail_errno "read once: then gone (ENOENT)" ENOENT cat "$OC/sql-users/$PFX.bob/password"
ok "and no longer listed" sh -c "! ls '$OC/sql-users/$PFX.bob' | grep -q password"
expect_eq "the emulator took a password for bob (user.json has none)" "false" \
	"$(t jq 'has("password")' "$OC/sql-users/$PFX.bob/user.json")"
ok "two users get two different passwords" mkdir "$OD/sql-users/carol"
PW2=$(t cat "$OD/sql-users/carol/password")
ok "carol's password differs from bob's" test "$PW" != "$PW2" -a -n "$PW2"

# --- a password in the template: sent, no password file
echo '{"builtinRole": "role_readwrite", "password": "Given-Passw0rd-1"}' > "$OD/sql-users/.template.json"
ok "mkdir with the template's password" mkdir "$OD/sql-users/dave"
ok "no password file then" sh -c "! ls '$OD/sql-users/dave' | grep -q password"
ok "dave has role_readwrite" jqf '.builtinRole == "role_readwrite"' "$OD/sql-users/dave/spec.json"
echo "$DEFTPL" > "$OD/sql-users/.template.json"

# --- spec.json: roles and password
emu_reset
ok "sed -i spec.json: builtinRole to role_admin" \
	sed -i 's/role_readonly/role_admin/' "$OC/sql-users/$PFX.bob/spec.json"
expect_eq "one PATCH" 1 "$(emu_route "$PATCH")"
ok "read-your-writes: spec.json" jqf '.builtinRole == "role_admin"' "$OC/sql-users/$PFX.bob/spec.json"
expect_eq "the emulator has it" role_admin \
	"$(emu_api GET "https://iam.tidbapi.com/v1beta1/clusters/$C_ORDERS_CACHE/sqlUsers/$PFX.bob" | sed '$d' | jq -r .builtinRole)"
NEWPW="Changed-Secret-9x7"
ok "jq + cp: a new password through spec.json" sh -c \
	"jq '.password = \"$NEWPW\" | .customRoles = [\"analyst\"]' '$OC/sql-users/$PFX.bob/spec.json' > '$TMPD/spec.json' && cp '$TMPD/spec.json' '$OC/sql-users/$PFX.bob/spec.json'"
expect_eq "a second PATCH" 2 "$(emu_route "$PATCH")"
ok "customRoles changed" jqf '.customRoles == ["analyst"] and (has("password") | not)' \
	"$OC/sql-users/$PFX.bob/spec.json"
emu_reset
BADPW="tiny-pw"
echo "{\"password\": \"$BADPW\"}" > "$TMPD/bad1"
expect_fail_errno "a password under 8 characters: EINVAL" EINVAL cp "$TMPD/bad1" "$OC/sql-users/$PFX.bob/spec.json"
echo '{"builtinRole": "root"}' > "$TMPD/bad2"
expect_fail_errno "an unknown builtinRole: EINVAL" EINVAL cp "$TMPD/bad2" "$OC/sql-users/$PFX.bob/spec.json"
expect_eq "no PATCH for a refused spec" 0 "$(emu_route "$PATCH")"
ok ".error says which rule" file_has "$OC/sql-users/$PFX.bob/.error" "builtinRole"
expect_fail_errno "a refused spec with a password is not kept in spec.json.rejected" ENOENT \
	cat "$OC/sql-users/$PFX.bob/spec.json.rejected"

# --- rmdir deletes
emu_reset
ok "rmdir a user" rmdir "$OD/sql-users/dave"
expect_eq "one DELETE" 1 "$(emu_route "$DEL")"
expect_fail_errno "gone at once" ENOENT stat "$OD/sql-users/dave"
expect_eq "the API no longer has it" "HTTP:404" \
	"$(emu_api GET "https://iam.tidbapi.com/v1beta1/clusters/$C_ORDERS_DB/sqlUsers/dave" | tail -1)"

# --- the passwords are in no log line, no .error
ERRS=$(cat "$OC/sql-users/.error" "$OD/sql-users/.error" "$OC/sql-users/$PFX.bob/.error" \
	"$OD/sql-users/carol/.error" 2>/dev/null)
ok "the .error files hold none of the passwords" sh -c "! printf '%s' \"\$1\" | grep -qF -e '$PW' -e '$NEWPW' -e '$BADPW'" _ "$ERRS"
ok "an .error was recorded (the refusals above)" test -n "$ERRS"
unmount_fs
mount_fs cache_timeout=30,log_level=debug
OD=$ORG/projects/production/clusters/orders-db
ok "mkdir with log_level=debug" mkdir "$OD/sql-users/erin"
PW3=$(t cat "$OD/sql-users/erin/password")
ok "erin's password read" test -n "$PW3"
echo '{"password": "Another-Secret-42"}' > "$TMPD/pw3"
ok "a spec.json password change with log_level=debug" cp "$TMPD/pw3" "$OD/sql-users/erin/spec.json"
unmount_fs
for s in "$PW" "$PW2" "$PW3" "$NEWPW" "$BADPW" "Given-Passw0rd-1" "Another-Secret-42"; do
	ok "password ${s:0:3}… is in no daemon log" sh -c "! grep -qF -- '$s' $_ALL_DAEMON_LOGS"
done

# --- -o nodelete and -o ro
mount_fs cache_timeout=30,nodelete
OD=$ORG/projects/production/clusters/orders-db
emu_reset
expect_fail_errno "rmdir with -o nodelete: EPERM" EPERM rmdir "$OD/sql-users/orders_app"
expect_eq "no DELETE sent (nodelete)" 0 "$(emu_route "$DEL")"
unmount_fs
mount_fs cache_timeout=30,ro
OD=$ORG/projects/production/clusters/orders-db
emu_reset
expect_fail_errno "mkdir with -o ro: EROFS" EROFS mkdir "$OD/sql-users/frank"
expect_fail_errno "rmdir with -o ro: EROFS" EROFS rmdir "$OD/sql-users/orders_app"
expect_eq "nothing sent (ro)" 0 "$(sent)"

finish
