#!/bin/bash
# install.sh — make install / uninstall into a temporary DESTDIR (as an
# unprivileged user when run as root): the file list, modes, the systemd
# units (systemd-analyze verify), then mounting through mount(8):
# `mount -t fuse.tidbcloudfs PROFILE MNT -o ...`, the installed
# mount.fuse.tidbcloudfs helper and an fstab line (mount -T FILE), each
# through mount.fuse3 (skipped with a message where not root or where
# mount.fuse3 is missing).
. "$(dirname "$0")/lib.sh"

DEST=$TMPD/dest
mkdir -p "$DEST"
MK=(make -s -C "$REPO" BUILD="$TCFS_BUILD_DIR" DESTDIR="$DEST" PREFIX=/usr
    DAEMON="$DAEMON_BIN" EMULATOR="$EMULATOR_BIN")
AS_USER=()
NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 &&
   "${NOBODY[@]}" sh -c "test -r '$REPO/Makefile' && test -x '$DAEMON_BIN' && test -x '$EMULATOR_BIN'"; then
	chmod 755 "$TMPD"; chown nobody "$DEST"
	AS_USER=("${NOBODY[@]}")
	diag "installing as user nobody (DESTDIR needs no root)"
else
	diag "installing as $(id -un): user nobody cannot read $REPO (a checkout under a private home)"
fi
ok "make install DESTDIR=... PREFIX=/usr" "${AS_USER[@]}" "${MK[@]}" install
want="./sbin/mount.fuse.tidbcloudfs
./usr/bin/tidbcloud-emulator
./usr/bin/tidbcloudfs
./usr/lib/systemd/system/tidbcloudfs@.service
./usr/lib/systemd/user/tidbcloudfs.service
./usr/share/bash-completion/completions/tidbcloudfs
./usr/share/man/man1/tidbcloud-emulator.1
./usr/share/man/man1/tidbcloudfs.1"
expect_eq "the installed file list" "$want" "$(cd "$DEST" && find . \( -type f -o -type l \) | sort)"
expect_eq "binaries are 0755" "755 755" "$(stat -c %a "$DEST/usr/bin/tidbcloudfs" "$DEST/usr/bin/tidbcloud-emulator" | xargs)"
expect_eq "man pages are 0644" "644 644" "$(stat -c %a "$DEST"/usr/share/man/man1/*.1 | xargs)"
expect_eq "the mount helper links to mount.fuse3" /sbin/mount.fuse3 "$(readlink "$DEST/sbin/mount.fuse.tidbcloudfs")"
ok "units name the installed daemon" grep -q '^ExecStart=/usr/bin/tidbcloudfs -f ' "$DEST/usr/lib/systemd/system/tidbcloudfs@.service"
ok "no @BINDIR@ left in the units" sh -c "! grep -q @BINDIR@ '$DEST'/usr/lib/systemd/*/*.service"
ok "units take the keys from an EnvironmentFile, never the command line" sh -c \
	"grep -q '^EnvironmentFile=' '$DEST/usr/lib/systemd/system/tidbcloudfs@.service' && ! grep -i '^ExecStart=.*key' '$DEST'/usr/lib/systemd/*/*.service"
ok "MANDIR is honoured" "${AS_USER[@]}" "${MK[@]}" MANDIR=/opt/man install
ok "... man page under MANDIR" test -f "$DEST/opt/man/man1/tidbcloudfs.1"
"${AS_USER[@]}" "${MK[@]}" MANDIR=/opt/man uninstall
ok "make uninstall" "${AS_USER[@]}" "${MK[@]}" uninstall
expect_eq "nothing installed is left" "" "$(cd "$DEST" && find . \( -type f -o -type l \))"

# --- systemd-analyze verify -------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
	U=$TMPD/units; mkdir -p "$U"
	sed "s|@BINDIR@|$TCFS_BUILD_DIR|g" "$REPO/contrib/systemd/tidbcloudfs@.service.in" >"$U/tidbcloudfs@work.service"
	ok "systemd-analyze verify: the system unit" sh -c \
		"out=\$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no '$U/tidbcloudfs@work.service' 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
	mkdir -p "$U/user"
	sed "s|@BINDIR@|$TCFS_BUILD_DIR|g" "$REPO/contrib/systemd/tidbcloudfs.user.service.in" >"$U/user/tidbcloudfs.service"
	ok "systemd-analyze verify: the user unit" sh -c \
		"out=\$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no '$U/user/tidbcloudfs.service' 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
else
	skip "systemd-analyze verify" "systemd-analyze is not installed (Debian package systemd)"
fi

# --- mounting through mount(8) and mount.fuse3 ---------------------------------
if [ "$(id -u)" != 0 ]; then
	skip "mount -t fuse.tidbcloudfs" "needs root (mount(8) with a helper)"
	finish
fi
if ! command -v mount.fuse3 >/dev/null && [ ! -x /sbin/mount.fuse3 ]; then
	skip "mount -t fuse.tidbcloudfs" "mount.fuse3 is missing (Debian package fuse3)"
	finish
fi
"${MK[@]}" install
start_emulator
mkdir -p "$TMPD/conf" && chmod 700 "$TMPD/conf"
printf '[work]\npublic-key = "%s"\nprivate-key = "%s"\n' "$TEST_PUBLIC_KEY" "$TEST_PRIVATE_KEY" >"$TMPD/conf/config.toml"
chmod 600 "$TMPD/conf/config.toml"
M=$TMPD/m; mkdir -p "$M"
O="config=$TMPD/conf/config.toml,connect_to=127.0.0.1:$PORT,cacert=$CACERT"
umount_m() { timeout 10 umount "$M" || timeout 10 fusermount3 -uz "$M"; }

# The legacy form names the program: mount -t fuse 'PROGRAM#SOURCE'.
ok "mount -t fuse 'DESTDIR/usr/bin/tidbcloudfs#work' MNT -o ..." \
	mount -t fuse "$DEST/usr/bin/tidbcloudfs#work" "$M" -o "$O,_netdev"
ok "... mounted" t test -d "$M/work/projects/production"
ok "... umount" umount_m

# mount(8) runs helpers with PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:...
# so mount.fuse3 finds `tidbcloudfs` only there: for the rest of this test
# /usr/local/sbin/tidbcloudfs links to the DESTDIR copy (removed at exit).
LINK=/usr/local/sbin/tidbcloudfs
if [ -e "$LINK" ] || [ -e /usr/local/bin/tidbcloudfs ] || [ -e /usr/sbin/tidbcloudfs ] || [ -e /usr/bin/tidbcloudfs ]; then
	skip "mount -t fuse.tidbcloudfs" "a tidbcloudfs is installed on this system already; not shadowing it"
	finish
fi
mkdir -p /usr/local/sbin && ln -s "$DEST/usr/bin/tidbcloudfs" "$LINK" || { skip "mount -t fuse.tidbcloudfs" "cannot link $LINK"; finish; }
trap '_rc=$?; rm -f "$LINK"; (exit $_rc); _cleanup' EXIT

ok "mount -t fuse.tidbcloudfs work MNT -o ...,_netdev,nofail" \
	mount -t fuse.tidbcloudfs work "$M" -o "$O,_netdev,nofail,noexec,nosuid,nodev"
ok "... the profile's organization is mounted" t test -f "$M/work/projects/production/project.json"
ok "... mount(8) shows type fuse.tidbcloudfs" sh -c "grep ' $M fuse.tidbcloudfs ' /proc/self/mounts"
ok "... umount" umount_m

ok "the installed helper: mount.fuse.tidbcloudfs work MNT -o ..." \
	"$DEST/sbin/mount.fuse.tidbcloudfs" work "$M" -o "$O,_netdev"
ok "... mounted" t test -d "$M/work/projects/staging"
ok "... umount" umount_m

cat >"$TMPD/fstab" <<FSTAB
# a line as /etc/fstab would have it
work  $M  fuse.tidbcloudfs  noauto,_netdev,nofail,user,x-systemd.automount,x-systemd.mount-timeout=30,$O  0  0
FSTAB
ok "an fstab line: mount -T FSTAB MNT" mount -T "$TMPD/fstab" "$M"
ok "... mounted" t test -d "$M/work/projects/analytics"
ok "... umount" umount_m
rm -f "$LINK"
stop_emulator
finish
