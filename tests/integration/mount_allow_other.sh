#!/bin/bash
# The mount is private to the user who mounted it unless -o allow_other is
# given (issue 12, "Secrets and access"); tidbcloudfs always mounts with
# default_permissions, so with allow_other the kernel applies the files'
# modes: another user reads, but writes and mkdir are refused before the
# daemon (and the API) sees them. Needs root and the user nobody.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1 || ! command -v runuser >/dev/null; then
	skip "another user and allow_other" "needs root, runuser and the user nobody"
	finish
fi
as_nobody() { runuser -u nobody -- "$@"; }
chmod 755 "$TMPD"   # nobody must reach the mount point itself

start_emulator
mount_fs cache_timeout=60
W=$(cdir $P_PRODUCTION $C_WEB)
ok "root reads its own mount" test -s "$W/cluster.json"
expect_fail_errno "without allow_other: nobody cannot list the mount" EACCES as_nobody ls "$MNT"
expect_fail_errno "without allow_other: nobody cannot stat a file" EACCES as_nobody stat "$W/cluster.json"
ok "the daemon is alive" kill -0 "$DAEMON_PID"
unmount_fs

mount_fs cache_timeout=60,allow_other
W=$(cdir $P_PRODUCTION $C_WEB)
ok "allow_other: nobody lists the projects" sh -c "runuser -u nobody -- ls '$ORG/projects' | grep -qx production"
ok "allow_other: nobody reads cluster.json" as_nobody jq -e .clusterId "$W/cluster.json"
expect_eq "spec.json is 0644 and owned by root" "644 0" "$(stat -c '%a %u' "$W/spec.json")"
emu_reset
expect_fail_errno "allow_other + default_permissions: nobody cannot write spec.json" EACCES \
	as_nobody sh -c "echo '{}' > '$W/spec.json'"
expect_fail_errno "... nor mkdir a cluster" EACCES as_nobody mkdir "$ORG/projects/production/clusters/by-nobody"
expect_fail_errno "... nor write ctl" EACCES as_nobody sh -c "echo pause > '$W/ctl'"
expect_eq "the refused writes sent nothing to the API" 0 "$(emu_routes_matching '^(POST|PATCH|DELETE) ')"
ok "root still writes" sh -c "jq '.displayName' '$W/spec.json' >/dev/null && echo flush > '$ORG/ctl'"
ok "the daemon is alive" kill -0 "$DAEMON_PID"
unmount_fs
finish
