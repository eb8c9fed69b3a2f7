#!/bin/bash
# doctor.sh — tidbcloudfs --doctor against the emulator: healthy (exit 0),
# a wrong key, an unreachable host, a wrong CA, a config file readable by
# others, allow_other without user_allow_other (exit 1, with a fix line).
. "$(dirname "$0")/lib.sh"

start_emulator
doc() { # doc OUTFILE [ENV...] -- OPTIONS...
	local out=$1 envs=(); shift
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" HOME=$HOME_FOR_DAEMON timeout 60 "$DAEMON_BIN" --doctor "$@" >"$out" 2>&1
}
OPTS="connect_to=127.0.0.1:$PORT,cacert=$CACERT"
K="TIDBCLOUD_PUBLIC_KEY=$TEST_PUBLIC_KEY"
S="TIDBCLOUD_PRIVATE_KEY=$TEST_PRIVATE_KEY"

doc "$TMPD/ok" "$K" "$S" -- -o "$OPTS"
expect_eq "healthy: exit 0" 0 "$?"
diag "$(cat "$TMPD/ok")"
for w in "/dev/fuse" "fusermount3" "credentials" "api.tidbcloud.com: TLS trusted, reached, authenticated" \
	"serverless.tidbapi.com: TLS trusted" "dedicated.tidbapi.com: TLS trusted" "clock skew" "rate-limit headroom" "all checks passed"; do
	ok "healthy: checklist has '$w'" grep -qF "$w" "$TMPD/ok"
done
ok "healthy: no [FAIL]" sh -c "! grep -q FAIL '$TMPD/ok'"
ok "no key is printed" sh -c "! grep -qF -e '$TEST_PRIVATE_KEY' -e '$TEST_PUBLIC_KEY' '$TMPD/ok'"

doc "$TMPD/key" "$K" "TIDBCLOUD_PRIVATE_KEY=wrong-private-key" -- -o "$OPTS"
expect_eq "wrong key: exit 1" 1 "$?"
ok "wrong key: a 401 FAIL per host" sh -c "[ \$(grep -c '^\[FAIL\].*401' '$TMPD/key') = 3 ]"
ok "wrong key: the fix says to check the keys" grep -q "fix: the API key was refused" "$TMPD/key"
ok "wrong key: the wrong key is not printed" sh -c "! grep -q wrong-private-key '$TMPD/key'"

doc "$TMPD/unreach" "$K" "$S" -- -o "connect_to=127.0.0.1:1,cacert=$CACERT"
expect_eq "unreachable host: exit 1" 1 "$?"
ok "unreachable host: FAIL with the network fix" grep -q "fix: cannot reach the host" "$TMPD/unreach"

# a CA that did not sign the emulator's certificate
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMPD/other.key" -out "$TMPD/other.pem" \
	-days 2 -subj /CN=other-ca >/dev/null 2>&1
doc "$TMPD/ca" "$K" "$S" -- -o "connect_to=127.0.0.1:$PORT,cacert=$TMPD/other.pem"
expect_eq "wrong CA: exit 1" 1 "$?"
ok "wrong CA: FAIL with the TLS fix" grep -q "fix: the server's certificate is not trusted" "$TMPD/ca"

mkdir -p "$TMPD/conf"
printf '[p]\npublic-key = "%s"\nprivate-key = "%s"\n' "$TEST_PUBLIC_KEY" "$TEST_PRIVATE_KEY" >"$TMPD/conf/c.toml"
chmod 644 "$TMPD/conf/c.toml"
doc "$TMPD/mode" -u TIDBCLOUD_PUBLIC_KEY -u TIDBCLOUD_PRIVATE_KEY -- -o "$OPTS,config=$TMPD/conf/c.toml"
expect_eq "config readable by others: exit 1" 1 "$?"
ok "config readable by others: FAIL with chmod 600" grep -q "fix: chmod 600" "$TMPD/mode"
chmod 600 "$TMPD/conf/c.toml"
doc "$TMPD/prof" -u TIDBCLOUD_PUBLIC_KEY -u TIDBCLOUD_PRIVATE_KEY -- -o "$OPTS,config=$TMPD/conf/c.toml"
expect_eq "profile from a mode-0600 config: exit 0" 0 "$?"
ok "the profile's hosts are checked" grep -q "^\[ ok \] p: serverless.tidbapi.com" "$TMPD/prof"

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && ! grep -q '^user_allow_other' /etc/fuse.conf 2>/dev/null; then
	chmod 755 "$TMPD"
	env -i PATH="$PATH" HOME=/ "$K" "$S" setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$DAEMON_BIN" --doctor -o "$OPTS,allow_other" >"$TMPD/ao" 2>&1
	expect_eq "allow_other without user_allow_other (as nobody): exit 1" 1 "$?"
	ok "... FAIL with the fuse.conf fix" grep -q "fix: add the line user_allow_other" "$TMPD/ao"
else
	skip "allow_other without user_allow_other" "needs root, user nobody and no user_allow_other in /etc/fuse.conf"
fi
finish
