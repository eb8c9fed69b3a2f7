#!/bin/bash
# A generated SQL-user password (sql-users/<u>/password, issue 9) lives in
# the daemon's memory only until it is needed no more: its first complete
# read, the user's rmdir (even when never read: a user created again under
# the same name, by the API or by mkdir, never shows the old one), or
# -o secret_ttl seconds (default 600) — whichever comes first; a cache flush
# (echo flush > <org>/ctl, SIGUSR1) wipes the outlived ones and keeps the
# others (they are not cache: the only copy).
. "$(dirname "$0")/lib.sh"

IAM="/v1beta1/clusters/{id}/sqlUsers"
POST="POST iam $IAM" DEL="DELETE iam $IAM/{id}"

start_emulator
mount_fs cache_timeout=30
P=$ORG/projects
OD=$P/production/clusters/orders-db
TPL='{"builtinRole": "role_readonly", "customRoles": [], "authMethod": "mysql_native_password"}'
echo "$TPL" > "$OD/sql-users/.template.json"
haspw() { ls "$OD/sql-users/$1" 2>/dev/null | grep -qx password; }

# --- rmdir drops an unread password
emu_reset
ok "mkdir sql-users/kim (generated password)" mkdir "$OD/sql-users/kim"
ok "its password is there" haspw kim
PRE1=$(t head -c 31 "$OD/sql-users/kim/password")
ok "a partial read keeps it" haspw kim
ok "rmdir kim without reading the password" rmdir "$OD/sql-users/kim"
expect_eq "one POST, one DELETE" "1 1" "$(emu_route "$POST") $(emu_route "$DEL")"
# the same name created again with a password of the template: the old
# unread password must not show up as the new user's
echo '{"builtinRole": "role_readonly", "password": "Given-Passw0rd-1"}' > "$OD/sql-users/.template.json"
ok "mkdir kim with the template's password" mkdir "$OD/sql-users/kim"
nok "the old password is gone with the old user" haspw kim
expect_fail_errno "cat password: ENOENT" ENOENT cat "$OD/sql-users/kim/password"
ok "rmdir kim" rmdir "$OD/sql-users/kim"
echo "$TPL" > "$OD/sql-users/.template.json"

# --- rmdir + mkdir of the same name: a new password
ok "mkdir kim again" mkdir "$OD/sql-users/kim"
PW2=$(t cat "$OD/sql-users/kim/password")
ok "a new 32-character password" sh -c "echo '$PW2' | grep -Eqx '[A-Za-z0-9]{32}'"
ok "not the old one" test "${PW2:0:31}" != "$PRE1"
nok "read once: gone" haspw kim
ok "rmdir kim" rmdir "$OD/sql-users/kim"
ok "the password never reached the log" sh -c "! grep -qF -- '$PW2' '$DAEMON_LOG' && ! grep -qF -- '$PRE1' '$DAEMON_LOG'"

# --- secret_ttl: an unread password is wiped; a flush keeps a young one
unmount_fs
mount_fs cache_timeout=30,secret_ttl=3
P=$ORG/projects OD=$P/production/clusters/orders-db
echo "$TPL" > "$OD/sql-users/.template.json"
ok "mkdir lee" mkdir "$OD/sql-users/lee"
echo flush > "$ORG/ctl"
ok "a flush keeps a password younger than secret_ttl" haspw lee
sleep 3.2
echo flush > "$ORG/ctl"
nok "after secret_ttl it is gone" haspw lee
expect_fail_errno "cat password after secret_ttl: ENOENT" ENOENT cat "$OD/sql-users/lee/password"
ok "the user itself stays" test -d "$OD/sql-users/lee"
ok "mkdir lou" mkdir "$OD/sql-users/lou"
sleep 3.2
nok "gone after secret_ttl without a flush too" haspw lou
ok "bad secret_ttl refused" sh -c "! '$TCFS_BUILD_DIR/tidbcloudfs' -o secret_ttl=0 '$MNT' 2>/dev/null"

finish
