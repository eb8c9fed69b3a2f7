#!/bin/bash
# mount_unix.sh — issue 13 inside a mount: log levels and API log lines
# (host, no key), the mount.fuse-style PROFILE argument and the ignored
# fstab options, -o uid/gid/umask, statfs (df, stat -f), cache control
# (SIGUSR1, <org>/ctl) by request counts, and the blocking `wait` file
# (mkdir + cat wait, shared polling, wait_timeout, Ctrl-C).
. "$(dirname "$0")/lib.sh"

GET_SLS='GET serverless /v1beta1/clusters/{id}'
start_emulator --transition-ms 3000
P=""

# --- options: a PROFILE argument and fstab options are accepted --------------
MNT=$TMPD/mnt; mkdir -p "$MNT"
HOME=$HOME_FOR_DAEMON TIDBCLOUD_PUBLIC_KEY=$TEST_PUBLIC_KEY TIDBCLOUD_PRIVATE_KEY=$TEST_PRIVATE_KEY \
	t "$DAEMON_BIN" -o "connect_to=127.0.0.1:$PORT,cacert=$CACERT,log_level=bogus" "$MNT" 2>"$TMPD/bad.err"
expect_eq "log_level=bogus is refused (exit 1)" 1 "$?"
ok "log_level=bogus: the message says what is expected" grep -q "expected error, warn, info or debug" "$TMPD/bad.err"
MNT=""

mount_fs "log_level=debug,_netdev,noauto,nofail,user,users,auto,x-systemd.automount,x-systemd.idle-timeout=60,comment=x,rw,nodev,nosuid,noexec,uid=4321,gid=4322,umask=027,cache_timeout=60"
P=$ORG/projects
ok "mount with fstab options (_netdev, noauto, x-systemd.*, user, ...) works" test -d "$P/production"

# --- logs -------------------------------------------------------------------
t cat "$(cdir "$P_PRODUCTION" "$C_ORDERS_CACHE")/cluster.json" >/dev/null
ok "debug: one line per API call with method, host, path, status, ms, trace" \
	grep -qE 'api: GET serverless\.tidbapi\.com /v1beta1/clusters[^ ]* -> 200 \([0-9]+ ms, trace [0-9a-f]+' "$DAEMON_LOG"
ok "debug: the v1beta host is named" grep -q 'api: GET api.tidbcloud.com /api/v1beta/projects' "$DAEMON_LOG"
ok "every API line names its host" sh -c "! grep 'api: ' '$DAEMON_LOG' | grep -vqE 'api: [A-Z]+ [a-z.]+(:[0-9]+)? /|api: [a-z.]+(:[0-9]+)?: '"
ok "no private key in the log" sh -c "! grep -qF '$TEST_PRIVATE_KEY' '$DAEMON_LOG'"
ok "no public key in the log" sh -c "! grep -qF '$TEST_PUBLIC_KEY' '$DAEMON_LOG'"

# --- uid, gid, umask, statfs ------------------------------------------------
W=$(cdir "$P_PRODUCTION" "$C_ORDERS_CACHE")
expect_eq "uid=/gid= own every entry" "4321:4322" "$(stat -c %u:%g "$W/spec.json")"
expect_eq "umask=027 masks spec.json 0644 → 640" 640 "$(stat -c %a "$W/spec.json")"
expect_eq "umask=027 masks cluster.json 0444 → 440 (never executable)" 440 "$(stat -c %a "$W/cluster.json")"
expect_eq "umask=027 masks directories 0755 → 750" 750 "$(stat -c %a "$W")"
ok "df shows the mount" sh -c "df -P '$MNT' | tail -1 | grep -q '^tidbcloudfs '"
ok "df: 0 blocks, no full disk (Use% is -)" sh -c "df -P '$MNT' | tail -1 | awk '{ exit !(\$2 == 0 && \$5 == \"-\") }'"
expect_eq "stat -f: name length 255, block size 4096" "255 4096" "$(stat -f -c '%l %S' "$MNT")"

# --- cache control ----------------------------------------------------------
ctl_count() { emu_routes_matching '^GET '; }
t cat "$W/state" >/dev/null
emu_reset
t cat "$W/state" >/dev/null
expect_eq "cache_timeout=60: a second read costs no request" 0 "$(ctl_count)"
kill -USR1 "$DAEMON_PID"
sleep 0.3
t cat "$W/state" >/dev/null
expect_ge "after SIGUSR1 the next read asks the API again" 1 "$(ctl_count)"
n1=$(ctl_count)
ok "the log says the cache was flushed" grep -q "cache flushed (SIGUSR1)" "$DAEMON_LOG"
expect_eq "<org>/ctl lists its verb" "flush" "$(t cat "$ORG/ctl")"
ok "echo flush > <org>/ctl succeeds" sh -c "echo flush > '$ORG/ctl'"
t cat "$W/state" >/dev/null
expect_ge "after writing flush the next read asks the API again" $((n1 + 1)) "$(ctl_count)"
expect_fail_errno "another verb in <org>/ctl is EINVAL" EINVAL bash -c "echo nonsense > '$ORG/ctl'"
ok "<org>/.error says which verbs exist" grep -q "available: flush" "$ORG/.error"

# --- wait ---------------------------------------------------------------------
C=$P/staging/clusters
expect_eq "wait of a settled cluster: its state at once" ACTIVE "$(t cat "$W/wait")"
ok "stat of wait does not block and is exact when settled" sh -c "[ \$(stat -c %s '$W/wait') = 7 ]"
ok "mkdir clusters/app-w" mkdir "$C/app-w"
expect_eq "the new cluster is CREATING" CREATING "$(t cat "$C/app-w/state")"
ok "stat of wait while CREATING does not block" timeout 2 stat "$C/app-w/wait"
emu_reset
start=$(date +%s%N)
(t cat "$C/app-w/wait" >"$TMPD/w1") & w1=$!
(t cat "$C/app-w/wait" >"$TMPD/w2") & w2=$!
(t cat "$C/app-w/wait" >"$TMPD/w3") & w3=$!
wait $w1 $w2 $w3
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "cat wait after mkdir prints the final state (reader 1)" ACTIVE "$(cat "$TMPD/w1")"
expect_eq "reader 2 too" ACTIVE "$(cat "$TMPD/w2")"
expect_eq "reader 3 too" ACTIVE "$(cat "$TMPD/w3")"
expect_ge "the readers blocked until the transition ended (ms)" 1500 "$ms"
expect_le "polling is shared and paced: GETs of the cluster for 3 readers" 6 "$(emu_route "$GET_SLS")"
diag "3 readers, ${ms} ms, $(emu_route "$GET_SLS") GETs of the cluster"
expect_eq "state is ACTIVE afterwards" ACTIVE "$(t cat "$C/app-w/state")"

ok "mkdir clusters/app-i" mkdir "$C/app-i"
start=$(date +%s%N)
timeout -s INT 0.5 cat "$C/app-i/wait" >/dev/null 2>&1
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "SIGINT ends a blocked cat wait (timeout's status)" 124 "$rc"
expect_le "... at once (ms)" 1500 "$ms"
ok "the daemon still answers after the interrupted wait" test -d "$C/app-i"
unmount_fs

mount_fs "wait_timeout=1"
C=$ORG/projects/staging/clusters
ok "mkdir clusters/app-t" mkdir "$C/app-t"
start=$(date +%s%N)
expect_fail_errno "wait_timeout=1: cat wait fails with ETIMEDOUT" ETIMEDOUT cat "$C/app-t/wait"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_le "... after about a second (ms)" 2500 "$ms"
unmount_fs

# --- a PROFILE argument (as mount.fuse3 runs the daemon) -----------------------
mkdir -p "$TMPD/conf" && chmod 700 "$TMPD/conf"
cat >"$TMPD/conf/config.toml" <<TOML
current-profile = "work"
[work]
public-key = "$TEST_PUBLIC_KEY"
private-key = "$TEST_PRIVATE_KEY"
TOML
chmod 600 "$TMPD/conf/config.toml"
mkdir -p "$TMPD/mnt2"
HOME=$HOME_FOR_DAEMON t "$DAEMON_BIN" work "$TMPD/mnt2" -o "connect_to=127.0.0.1:$PORT,cacert=$CACERT,config=$TMPD/conf/config.toml,_netdev,nofail" 2>"$TMPD/p.err"
expect_eq "tidbcloudfs PROFILE MOUNTPOINT -o ... mounts (daemonized)" 0 "$?"
ok "the profile's organization directory is there" t test -d "$TMPD/mnt2/work/projects/production"
t fusermount3 -u "$TMPD/mnt2"
finish
