#!/bin/bash
# docs_man.sh — the man pages pass `groff -ww -z -man` (and mandoc -T lint
# where installed) with no warning, and name what issue 13 added.
. "$(dirname "$0")/lib.sh"

if ! command -v groff >/dev/null; then
	skip "groff -ww -z -man" "groff is not installed (Debian package groff-base)"
	finish
fi
for m in "$REPO"/man/*.1; do
	ok "groff -ww -z -man $(basename "$m"): no warnings" sh -c \
		"out=\$(LC_ALL=C groff -ww -z -man '$m' 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
	if command -v mandoc >/dev/null; then
		ok "mandoc -T lint $(basename "$m")" mandoc -T lint -W warning "$m"
	fi
done
for w in doctor log_level wait_timeout umask SIGUSR1 fstab systemd "ctl"; do
	ok "tidbcloudfs.1 documents $w" grep -q -- "$w" "$REPO/man/tidbcloudfs.1"
done
finish
