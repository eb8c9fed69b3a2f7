#!/bin/bash
# Editors and tools on spec.json: vim (plain and with swap/backup files),
# sed -i, nano (through a pseudo-terminal), sponge, jq + mv (inside and
# outside the mount), cp, emacs (when installed). Scratch files: allowed in a
# resource directory, never sent to the API, gone after a remount.
. "$(dirname "$0")/lib.sh"

start_emulator
mount_fs

C=$(cdir $P_STAGING $C_STAGE_APP)
PATCH_SLS='PATCH serverless /v1beta1/clusters/{id}'
changes() { emu_routes_matching '^(PATCH|POST|PUT|DELETE) '; }
name() { t jq -r .displayName "$C/spec.json"; }
# entries DIR: ls -A, sorted, without spec.json.rejected (left by a refusal)
entries() { t ls -A "$1" | grep -vx spec.json.rejected | sort | tr '\n' ' '; }

BASE=$(entries "$C")
diag "entries of the cluster dir: $BASE"
ok "stage-app spec.json readable" jqf '.displayName == "stage-app"' "$C/spec.json"

# after_edit TOOL NEWNAME: the checks every tool must pass
after_edit() {
	local tool=$1 want=$2
	expect_eq "$tool: exactly one PATCH" 1 "$(emu_route "$PATCH_SLS")"
	expect_eq "$tool: no other change request" 1 "$(changes)"
	ok "$tool: cluster.json shows $want" jqf ".displayName == \"$want\"" "$C/cluster.json"
	ok "$tool: spec.json shows $want" jqf ".displayName == \"$want\"" "$C/spec.json"
	expect_eq "$tool: the cluster dir has its usual entries only" "$BASE" "$(entries "$C")"
}

# ---------------------------------------------------------------- vim
cur=$(name); new=stage-vim1
emu_reset
ok "vim -es -u NONE :%s + :wq" \
	timeout 20 vim -es -u NONE -i NONE -c "%s/\"$cur\"/\"$new\"/" -c wq "$C/spec.json"
after_edit "vim -u NONE" "$new"

cat >"$TMPD/vimrc" <<'EOF'
set nocompatible
set backup writebackup swapfile
set backupcopy=auto
set backupdir=. directory=.
set backupext=~
set backupskip=
EOF
cur=$(name); new=stage-vim2
emu_reset
# Check for the swap file while vim runs: :!ls into a file.
ok "vim -es -N with backup/writebackup/swapfile on" \
	timeout 20 vim -es -N -u "$TMPD/vimrc" -i NONE \
	-c "silent !ls -A '$C' >'$TMPD/during-vim'" \
	-c "%s/\"$cur\"/\"$new\"/" -c wq "$C/spec.json"
expect_eq "vim (backup on): exactly one PATCH" 1 "$(emu_route "$PATCH_SLS")"
expect_eq "vim (backup on): no other change request" 1 "$(changes)"
ok "vim (backup on): cluster.json shows $new" jqf ".displayName == \"$new\"" "$C/cluster.json"
ok "vim (backup on): the swap file existed while vim ran" grep -qx .spec.json.swp "$TMPD/during-vim"
ok "vim (backup on): the swap file is gone" sh -c "! ls -A '$C' | grep -qx .spec.json.swp"
ok "vim (backup on): no 4913 probe left" sh -c "! ls -A '$C' | grep -qx 4913"
ok "vim (backup on): the backup spec.json~ is kept" test -f "$C/spec.json~"
ok "vim (backup on): spec.json~ holds the old text" jqf ".displayName == \"$cur\"" "$C/spec.json~"
ok "rm spec.json~ (a scratch file)" rm "$C/spec.json~"
expect_eq "vim (backup on): entries back to the usual ones" "$BASE" "$(entries "$C")"
expect_eq "vim (backup on): scratch files sent nothing" 1 "$(changes)"

# vim with an invalid result: :wq fails, vim says so
cur=$(name)
emu_reset
out=$(timeout 20 vim -es -N -u "$TMPD/vimrc" -i NONE -c '1d' -c 'w' -c 'qa!' "$C/spec.json" 2>&1 </dev/null; echo "status=$?")
case "$out" in
*status=0) _fail "vim writing invalid JSON: the write fails" "$out" ;;
*) _pass "vim writing invalid JSON: the write fails" ;;
esac
expect_eq "vim invalid write: 0 change requests" 0 "$(changes)"
ok "vim invalid write: spec.json unchanged" jqf ".displayName == \"$cur\"" "$C/spec.json"
t rm -f "$C/spec.json~" "$C/.spec.json.swp" 2>/dev/null
ok "vim invalid write: no swap file left" sh -c "! ls -A '$C' | grep -q '\\.swp\$'"

# ---------------------------------------------------------------- sed -i
cur=$(name); new=stage-sed
emu_reset
ok "sed -i s/…/…/ spec.json" sed -i "s/\"$cur\"/\"$new\"/" "$C/spec.json"
after_edit "sed -i" "$new"
ok "sed -i: no sed scratch file left" sh -c "! ls -A '$C' | grep -q '^sed'"

cur=$(name)
emu_reset
expect_fail_errno "sed -i producing invalid JSON fails with Invalid argument" EINVAL \
	sed -i 's/^{$/[/' "$C/spec.json"
expect_eq "sed -i invalid: 0 change requests" 0 "$(changes)"
ok "sed -i invalid: spec.json unchanged" jqf ".displayName == \"$cur\"" "$C/spec.json"
sedleft=$(t ls -A "$C" | grep '^sed' | tr '\n' ' ')
diag "after the refused sed -i: sed scratch files: ${sedleft:-none}"
t rm -f "$C"/sed* 2>/dev/null

# ---------------------------------------------------------------- nano
cat >"$TMPD/ptydrive.py" <<'EOF'
# ptydrive.py STEPS_JSON CMD...: run CMD on a pseudo-terminal; STEPS is a list of
# [regex to wait for (ANSI stripped), text to send]. Exit status of CMD, or
# 90 when a step times out (the screen is printed).
import json, os, pty, re, select, sys, time, fcntl, termios, struct
steps = json.loads(sys.argv[1])
cmd = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 400, 0, 0))
    os.environ['TERM'] = 'xterm'
    os.execvp(cmd[0], cmd)
ansi = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>78]|\x1b\][^\x07]*\x07')
raw = b''
seen = 0
def read(timeout):
    global raw
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            d = os.read(fd, 65536)
        except OSError:
            return False
        if not d:
            return False
        raw += d
    return True
for want, send in steps:
    deadline = time.time() + 10
    rx = re.compile(want)
    while True:
        text = ansi.sub('', raw[seen:].decode('utf-8', 'replace'))
        m = rx.search(text)
        if m:
            seen = len(raw)
            break
        if time.time() > deadline or not read(0.2) and time.time() > deadline:
            sys.stdout.write('pty: timed out waiting for %r; screen text:\n%s\n' % (want, text[-1500:]))
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            sys.exit(90)
    print('pty: saw %r' % want)
    time.sleep(0.1)
    os.write(fd, send.encode())
deadline = time.time() + 10
while time.time() < deadline:
    p, st = os.waitpid(pid, os.WNOHANG)
    if p:
        sys.exit(os.waitstatus_to_exitcode(st))
    read(0.1)
os.kill(pid, 9)
os.waitpid(pid, 0)
print('pty: the program did not exit')
sys.exit(91)
EOF

cur=$(name); new=stage-nano
emu_reset
steps=$(jq -cn --arg cur "$cur\"" --arg new "$new\"" '[
	["spec\\.json", "\u001br"],
	["Search \\(to replace\\)", ($cur + "\r")],
	["Replace with", ($new + "\r")],
	["this instance", "y"],
	["1 occurrence", "\u000f"],
	["File Name to Write", "\r"],
	["Wrote [0-9]+ line", "\u0018"]]')
ok "nano (pty): replace, ^O Enter, ^X" timeout 60 python3 "$TMPD/ptydrive.py" "$steps" nano -I "$C/spec.json"
after_edit "nano" "$new"

# nano saving invalid JSON sees the error
cur=$(name)
emu_reset
steps=$(jq -cn '[
	["spec\\.json", "\u000b"],
	["", "\u000f"],
	["File Name to Write", "\r"],
	["Error writing.*(Invalid argument)", "\u0018"],
	["Save modified buffer", "n"]]')
ok "nano (pty): writing invalid JSON shows 'Error writing …: Invalid argument'" \
	timeout 60 python3 "$TMPD/ptydrive.py" "$steps" nano -I "$C/spec.json"
expect_eq "nano invalid write: 0 change requests" 0 "$(changes)"
ok "nano invalid write: spec.json unchanged" jqf ".displayName == \"$cur\"" "$C/spec.json"
ok "nano invalid write: spec.json.rejected holds the text" sh -c "! jq -e . '$C/spec.json.rejected' >/dev/null 2>&1 && test -s '$C/spec.json.rejected'"

# ---------------------------------------------------------------- sponge
cur=$(name); new=stage-sponge
emu_reset
ok "jq … spec.json | sponge spec.json" sh -c "jq '.displayName=\"$new\"' '$C/spec.json' | sponge '$C/spec.json'"
after_edit "sponge" "$new"

# ---------------------------------------------------------------- jq > tmp && mv
cur=$(name); new=stage-mv-in
emu_reset
ok "jq … > tmp (in the cluster dir) && mv tmp spec.json" \
	sh -c "jq '.displayName=\"$new\"' '$C/spec.json' >'$C/tmp.json' && mv '$C/tmp.json' '$C/spec.json'"
after_edit "mv (scratch in the dir)" "$new"
ok "mv in the dir: tmp.json is gone" sh -c "! test -e '$C/tmp.json'"

cur=$(name); new=stage-mv-out
emu_reset
ok "jq … > tmp (outside the mount) && mv tmp spec.json" \
	sh -c "jq '.displayName=\"$new\"' '$C/spec.json' >'$TMPD/out.json' && mv '$TMPD/out.json' '$C/spec.json'"
after_edit "mv (from outside the mount)" "$new"
ok "mv from outside: the source is gone" sh -c "! test -e '$TMPD/out.json'"

# mv of an invalid scratch file onto spec.json is refused
emu_reset
ok "an invalid scratch file can be written" sh -c "printf '{oops' >'$C/bad.json'"
# rename(2) answers EINVAL; mv words that as "cannot move … to a subdirectory of itself"
nok "mv invalid scratch onto spec.json fails" mv "$C/bad.json" "$C/spec.json"
expect_eq "rename(2) of the invalid scratch onto spec.json: EINVAL" EINVAL \
	"$(python3 -c 'import os,sys,errno
try:
    os.rename(sys.argv[1], sys.argv[2]); print("OK")
except OSError as e:
    print(errno.errorcode[e.errno])' "$C/bad.json" "$C/spec.json")"
ok "the refused scratch file is still there" test -f "$C/bad.json"
expect_eq "mv invalid: 0 change requests" 0 "$(changes)"
ok "mv invalid: spec.json unchanged" jqf ".displayName == \"$new\"" "$C/spec.json"
t rm -f "$C/bad.json"

# ---------------------------------------------------------------- cp
cur=$(name); new=stage-cp
t jq ".displayName=\"$new\"" "$C/spec.json" >"$TMPD/new.json"
emu_reset
ok "cp new.json spec.json" cp "$TMPD/new.json" "$C/spec.json"
after_edit "cp" "$new"
emu_reset
ok "cp --preserve=timestamps new.json spec.json (same content)" cp --preserve=timestamps "$TMPD/new.json" "$C/spec.json"
expect_eq "cp of the same content: 0 change requests" 0 "$(changes)"
ok "tee spec.json" sh -c "jq '.displayName=\"stage-tee\"' '$TMPD/new.json' | tee '$C/spec.json' >/dev/null"
ok "tee: cluster.json shows stage-tee" jqf '.displayName == "stage-tee"' "$C/cluster.json"
last=stage-tee

# ---------------------------------------------------------------- emacs
if command -v emacs >/dev/null 2>&1; then
	cur=$(name); new=stage-emacs
	emu_reset
	ok "emacs --batch: replace and save" timeout 60 emacs --batch -Q "$C/spec.json" \
		--eval "(progn (goto-char (point-min)) (search-forward \"\\\"$cur\\\"\") (replace-match \"\\\"$new\\\"\") (save-buffer))"
	after_edit "emacs" "$new"
	ok "emacs: no #spec.json# or .#spec.json left" sh -c "! ls -A '$C' | grep -qE '^(#|\\.#)'"
	last=$new
else
	skip "emacs edits spec.json" "emacs is not installed"
fi

# ---------------------------------------------------------------- scratch files
emu_reset
ok "touch a scratch file" touch "$C/notes.txt"
ok "write a scratch file" sh -c "echo hello >'$C/notes.txt'"
expect_eq "read it back" hello "$(t cat "$C/notes.txt")"
ok "append to a scratch file" sh -c "echo world >>'$C/notes.txt'"
expect_eq "read the appended file" "hello|world|" "$(t cat "$C/notes.txt" | tr '\n' '|')"
ok "stat of a scratch file: size 12" sh -c "[ \$(stat -c %s '$C/notes.txt') -eq 12 ]"
ok "a hidden scratch file" sh -c "echo x >'$C/.hidden'"
ok "a scratch symlink (emacs lock style)" ln -s "root@host.1234:1" "$C/.#spec.json"
expect_eq "readlink of the scratch symlink" "root@host.1234:1" "$(t readlink "$C/.#spec.json")"
ok "rename a scratch file" mv "$C/notes.txt" "$C/notes2.txt"
ok "ls shows the scratch files" sh -c "ls -A '$C' | grep -qx notes2.txt && ls -A '$C' | grep -qx .hidden"
ok "a big scratch file (1 MB)" sh -c "head -c 1000000 /dev/urandom >'$TMPD/big' && cp '$TMPD/big' '$C/big.bin' && cmp '$TMPD/big' '$C/big.bin'"
ok "truncate a scratch file" sh -c "truncate -s 10 '$C/big.bin' && [ \$(stat -c %s '$C/big.bin') -eq 10 ]"
expect_eq "scratch files: 0 change requests (nothing sent)" 0 "$(changes)"
expect_fail_errno "mkdir inside a cluster dir is refused" "EPERM|EACCES|ENOSYS" mkdir "$C/subdir"
ok "rm of scratch files" rm "$C/big.bin" "$C/.#spec.json"
ok "scratch files in another cluster dir are separate" sh -c "! test -e '$(cdir $P_PRODUCTION $C_WEB)/notes2.txt'"

# remount: scratch files are gone
unmount_fs
mount_fs
C=$(cdir $P_STAGING $C_STAGE_APP)
ok "after remount: notes2.txt is gone" sh -c "! test -e '$C/notes2.txt'"
ok "after remount: .hidden is gone" sh -c "! test -e '$C/.hidden'"
ok "after remount: spec.json.rejected is gone" sh -c "! test -e '$C/spec.json.rejected'"
expect_eq "after remount: the usual entries" "$BASE" "$(entries "$C")"
ok "after remount: the last edit is still there (API)" jqf ".displayName == \"$last\"" "$C/cluster.json"

finish
