#!/bin/bash
# test-helper.sh [PATH-TO-berth-helper]
#
# Integration test of berth-helper against the real kernel (needs root). Builds a throwaway busybox
# rootfs in a temp dir, starts containers, checks the invariants of PROTOCOL.md, and removes everything
# it created: processes (by PID), cgroups, temp dirs. Every process it starts runs inside a tracking
# pids cgroup, so "nothing left behind" is checked exactly, not guessed by name.
#
# Waits are polls on a condition with a timeout, never fixed sleeps.
# Last line: "N passed, N failed"; the exit code is non-zero on any failure.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
PASS=0
FAIL=0
T=""
TRACK=""
ORIG_PIDS_CG=""

ok()   { PASS=$((PASS + 1)); echo "ok   - $1"; }
bad()  { FAIL=$((FAIL + 1)); echo "FAIL - $1"; }
# check NAME CMD...: pass when CMD succeeds
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
# check_sh NAME 'EXPRESSION': pass when the shell expression (evaluated here) succeeds
check_sh() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
# check_eq NAME EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
# wait_for SECONDS CMD...: poll CMD every 20 ms until it succeeds; 1 on timeout
wait_for() {
    local limit=$(( $(now_us) + $1 * 1000000 )); shift
    until "$@"; do
        [ "$(now_us)" -ge "$limit" ] && return 1
        sleep 0.02
    done
}

if [ "$(id -u)" != 0 ]; then
    echo "test-helper.sh starts real containers and needs root: skipped"; echo "0 passed, 0 failed, 1 skipped"; exit 0
fi
if [ ! -x /bin/busybox ]; then
    echo "/bin/busybox is missing: apt-get install -y busybox-static"; echo "0 passed, 1 failed"; exit 1
fi

T=$(mktemp -d /tmp/berth-helper-test.XXXXXX)
chmod 755 "$T" # a container with a user namespace of its own (host uid 1048576) must reach its rootfs
CG_MEM=/sys/fs/cgroup/memory/berth-test-$$-mem
CG_V2=/sys/fs/cgroup/unified/berth-test-$$-v2
CG_SYNC=/sys/fs/cgroup/memory/berth-test-$$-sync
CG_BAD=/sys/fs/cgroup/memory/berth-test-$$-bad
TRACK=/sys/fs/cgroup/pids/berth-test-$$-track

if [ $# -ge 1 ]; then
    HELPER=$1
else
    make -s -C "$HERE" OUT="$T/bin" >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
    HELPER=$T/bin/berth-helper
fi

# ------------------------------------------------------------------ tracking & cleanup --

# PIDs in the tracking cgroup other than this shell (read with builtins: no extra process)
tracked_others() {
    local p out=""
    [ -r "$TRACK/cgroup.procs" ] || return 0
    while read -r p; do
        [ "$p" != "$$" ] && [ "$p" != "$BASHPID" ] && out="$out $p"
    done < "$TRACK/cgroup.procs"
    echo "$out"
}
no_tracked_others() { [ -z "$(tracked_others)" ]; }
# subset AFTER BEFORE: every pid in AFTER is also in BEFORE (nothing new was left running)
subset() { local p; for p in $1; do [[ " $2 " == *" $p "* ]] || return 1; done; }

cleanup() {
    local p d
    trap - EXIT INT TERM
    for p in $(tracked_others); do kill -9 "$p" 2>/dev/null; done
    wait_for 5 no_tracked_others || echo "warning: processes still alive: $(tracked_others)"
    wait 2>/dev/null
    for d in "$CG_MEM"/* "$CG_MEM" "$CG_V2" "$CG_SYNC" "$CG_BAD"; do
        [ -d "$d" ] && [ "${d##*/}" != "*" ] && rmdir "$d" 2>/dev/null
    done
    if [ -n "$ORIG_PIDS_CG" ]; then
        echo $$ > "/sys/fs/cgroup/pids$ORIG_PIDS_CG/cgroup.procs"
        rmdir "$TRACK" 2>/dev/null
    fi
    if [ -n "$T" ] && ! grep -q "$T" /proc/self/mountinfo; then
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ORIG_PIDS_CG=$(sed -n 's/^[0-9]*:pids://p' /proc/self/cgroup)
mkdir "$TRACK" && echo $$ > "$TRACK/cgroup.procs" || { echo "cannot create $TRACK"; exit 1; }

# ------------------------------------------------------------------ rootfs ---------------

mk_busybox_rootfs() {
    local r=$1 a
    mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc/init.d,root,tmp,proc,sys,dev,run}
    cp /bin/busybox "$r/bin/busybox"
    for a in $(/bin/busybox --list-full); do
        [ -e "$r/$a" ] || ln -s /bin/busybox "$r/$a"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
    printf 'root:x:0:\ntty:x:5:\n' > "$r/etc/group"
    printf '::sysinit:/etc/init.d/rcS\n::shutdown:/bin/echo BERTH-SHUTDOWN\n' > "$r/etc/inittab"
    printf '#!/bin/sh\necho BERTH-RCS-MARKER\n' > "$r/etc/init.d/rcS"
    chmod 755 "$r/etc/init.d/rcS"
    chmod 1777 "$r/tmp"
}

# a skeleton for the "host" template: the host's /usr bound read-only (Debian 12 is merged-/usr)
mk_hostusr_rootfs() {
    local r=$1 l
    mkdir -p "$r"/{usr,etc,root,tmp,proc,sys,dev,run}
    for l in bin sbin lib lib64; do [ -L /$l ] && ln -s "usr/$l" "$r/$l"; done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
}

ROOTFS=$T/rootfs
HOSTUSR=$T/hostusr
mk_busybox_rootfs "$ROOTFS"
mk_hostusr_rootfs "$HOSTUSR"
LOOP="while :; do sleep 1 & wait \$!; done"

# ------------------------------------------------------------------ helpers --------------

declare -A INIT MON HPID

out_has_line() { grep -qE "$2" "$T/$1.out" 2>/dev/null; }

# start_ct NAME [start options...] -- INIT...   (runs the helper in the background)
start_ct() {
    local name=$1; shift
    mkdir -p "$T/state"
    "$HELPER" start --name "$name" --state-dir "$T/state/$name" "$@" >"$T/$name.out" 2>"$T/$name.err" &
    HPID[$name]=$!
    if ! wait_for 10 out_has_line "$name" '^(READY|ERROR) '; then
        echo "  start $name: no READY/ERROR line within 10 s"; return 1
    fi
    local word a b
    read -r word a b <<<"$(grep -E '^(READY|ERROR) ' "$T/$name.out" | head -1)"
    [ "$word" = READY ] || { echo "  start $name: $(cat "$T/$name.out")"; return 1; }
    # before READY there is exactly one line: CHILD with the same pid
    [ "$(head -1 "$T/$name.out")" = "CHILD $a" ] || { echo "  start $name: no CHILD $a first"; return 1; }
    INIT[$name]=$a
    MON[$name]=$b
}

state_file_is() { [ -f "$T/state/$1/$2" ]; }

# wait until the monitor of NAME is done, then collect its exit code into MONRC
MONRC=""
finish_ct() {
    local name=$1
    wait_for 15 state_file_is "$name" monitor.done || { echo "  $name: no monitor.done"; MONRC=timeout; return 1; }
    wait "${HPID[$name]}"
    MONRC=$?
}

kill_ct() { kill -9 "${INIT[$1]}" 2>/dev/null; finish_ct "$1"; }

hx() { "$HELPER" exec "$@"; }
ns_of() { readlink "/proc/$1/ns/$2"; }
bit_set() { local v=$((16#$1)); (( (v >> $2) & 1 )); }
capbnd() { sed -n 's/^CapBnd:\t*//p' "/proc/$1/status"; }
# exec --drop-cap CAP_SYS_TIME really removes it (checked before any date -s is run)
sys_time_dropped() {
    local eff bnd
    eff=$(hx --pid "$1" --drop-cap CAP_SYS_TIME -- sh -c 'sed -n "s/^CapEff:\t*//p" /proc/self/status')
    bnd=$(hx --pid "$1" --drop-cap sys_time -- sh -c 'sed -n "s/^CapBnd:\t*//p" /proc/self/status')
    [ -n "$eff" ] && [ -n "$bnd" ] && ! bit_set "$eff" 25 && ! bit_set "$bnd" 25
}
console_has() { grep -q "$2" "$T/state/$1/console.log" 2>/dev/null; }

echo "# helper: $HELPER ($(stat -c %s "$HELPER") bytes)"
echo "# temp dir: $T"

# ------------------------------------------------------------------ version -------------
check_eq "version" "berth-helper 1" "$("$HELPER" version)"

# ------------------------------------------------------------------ A: system container --
A_OK=0
start_ct a --rootfs "$ROOTFS" --ns mnt,uts,ipc,pid,net,cgroup --hostname box-a \
    --halt-signal USR2 --console-log "$T/state/a/console.log" -- /sbin/init && A_OK=1
check "A: READY printed" [ $A_OK = 1 ]
if [ $A_OK = 1 ]; then
    P=${INIT[a]}
    check_eq "A: monitor pid in READY is the helper's pid" "${HPID[a]}" "${MON[a]}"
    check "A: monitor.pid written" [ "$(cat "$T/state/a/monitor.pid")" = "${MON[a]}" ]
    check "A: init's net namespace differs from the host's" [ "$(ns_of "$P" net)" != "$(ns_of $$ net)" ]
    check_eq "A: hostname inside (via exec)" "box-a" "$(hx --pid "$P" -- hostname)"
    inner=$(hx --pid "$P" -- sh -c 'echo $$')
    check_sh "A: exec'd shell has a small pid in the container's pid ns ($inner)" '[ -n "$inner" ] && [ "$inner" -lt 100 ]'
    check_eq "A: /proc/1/cmdline inside is init" "init" "$(hx --pid "$P" -- cat /proc/1/cmdline | tr '\0' ' ' | sed 's/ *$//')"
    check "A: console log has what init printed" wait_for 5 console_has a BERTH-RCS-MARKER
    check_eq "A: exec exit code is passed through" 7 "$(hx --pid "$P" -- sh -c 'exit 7'; echo $?)"
    check_eq "A: exec of a missing command exits 127" 127 "$(hx --pid "$P" -- /no/such/cmd 2>/dev/null; echo $?)"
    check_eq "A: exec --env and --cwd" "bar /tmp" "$(hx --pid "$P" --env FOO=bar --cwd /tmp -- sh -c 'echo $FOO $PWD')"
    check_eq "A: exec on a dead pid is a helper error (125)" 125 "$(hx --pid 999999 -- true 2>/dev/null; echo $?)"
    check "A: devpts is a new instance with a ptmx link" \
        hx --pid "$P" -- sh -c '[ -c /dev/pts/ptmx ] && [ "$(readlink /dev/ptmx)" = pts/ptmx ] && [ -c /dev/console ]'

    check "A: /dev/shm: a writable mount point (nosuid,nodev) of the /dev tmpfs, mode 1777" \
        hx --pid "$P" -- sh -c 'grep -q "^tmpfs /dev/shm tmpfs rw,nosuid,nodev" /proc/mounts &&
            [ "$(stat -c %a /dev/shm)" = 1777 ] && [ "$(stat -c %d /dev/shm)" = "$(stat -c %d /dev)" ] &&
            echo x > /dev/shm/t && [ "$(cat /dev/shm/t)" = x ] && rm /dev/shm/t'

    # masking: every runc/LXC mask file this kernel has must read empty and be /dev/null (1,3)
    masked=0
    for f in /proc/kcore /proc/keys /proc/sysrq-trigger /proc/timer_list /proc/latency_stats; do
        [ -e "$f" ] || { echo "  (note: $f does not exist on this kernel)"; continue; }
        masked=$((masked + 1))
        check "A: $f is masked (reads empty, is /dev/null)" \
            hx --pid "$P" -- sh -c "[ \"\$(stat -c %t,%T $f)\" = 1,3 ] && [ \$(wc -c < $f) = 0 ]"
    done
    check "A: at least one mask file was checked" [ $masked -gt 0 ]
    check "A: /proc/sys is read-only" \
        hx --pid "$P" -- sh -c '! (cat /proc/sys/kernel/hostname > /proc/sys/kernel/hostname) 2>/dev/null'
    check "A: /sys is read-only sysfs" hx --pid "$P" -- sh -c 'grep -q "^sysfs /sys sysfs ro," /proc/mounts'
    check "A: /sys/firmware is an empty tmpfs" hx --pid "$P" -- sh -c '[ -z "$(ls -A /sys/firmware)" ]'
    # the masked folders share one tmpfs (bound); each is empty, read-only, mounted ro
    check "A: /proc/acpi and /sys/firmware: empty read-only tmpfs, not writable as root" hx --pid "$P" -- sh -c '
        for d in /proc/acpi /sys/firmware; do
            [ -d $d ] || continue
            [ -z "$(ls -A $d)" ] && ! touch $d/x 2>/dev/null && ! mkdir $d/y 2>/dev/null &&
                grep -q "^tmpfs $d tmpfs ro,nosuid,nodev,noexec" /proc/mounts || exit 1
        done'

    # seccomp: the default filter on init and on what exec runs; unconfined and a profile file on exec
    seccomp_of() { sed -n 's/^Seccomp:\t*//p' "/proc/$1/status"; }
    check_eq "A: init runs under a seccomp filter (Seccomp: 2)" 2 "$(seccomp_of "$P")"
    check_eq "A: an exec'd command runs under the filter" 2 "$(hx --pid "$P" -- sh -c 'sed -n "s/^Seccomp:\t*//p" /proc/self/status')"
    check_eq "A: exec --seccomp unconfined runs without one" 0 \
        "$(hx --pid "$P" --seccomp unconfined -- sh -c 'sed -n "s/^Seccomp:\t*//p" /proc/self/status')"
    printf '# test profile\nsethostname errno 13\n' > "$T/profile"
    err=$(hx --pid "$P" --seccomp "$T/profile" -- hostname x 2>&1)
    check "A: exec --seccomp FILE denies what it lists ('$err')" grep -q "Permission denied" <<<"$err"
    printf 'no_such_call\n' > "$T/profile.bad"
    err=$(hx --pid "$P" --seccomp "$T/profile.bad" -- true 2>&1)
    check_eq "A: exec --seccomp with an unknown call is a helper error" \
        "125 berth-helper: unknown system call 'no_such_call' in the seccomp profile" "$? $err"

    # capability drop by exec: control first (without the drop CAP_SYS_TIME is there), then make
    # sure the drop took effect before running date -s at all. busybox date reports the EPERM but
    # exits 0, so here the message is checked; container G checks coreutils' exit code.
    eff=$(hx --pid "$P" -- sh -c 'sed -n "s/^CapEff:\t*//p" /proc/self/status')
    check "A: control: exec without --drop-cap keeps CAP_SYS_TIME" bit_set "$eff" 25
    if sys_time_dropped "$P"; then
        year=$(date +%Y)
        err=$(hx --pid "$P" --drop-cap CAP_SYS_TIME -- date -s 2000-01-01 2>&1 >/dev/null)
        check "A: exec --drop-cap CAP_SYS_TIME -- busybox date -s: '$err'" grep -q "Operation not permitted" <<<"$err"
        check_eq "A: host clock year unchanged" "$year" "$(date +%Y)"
    else
        bad "A: exec --drop-cap CAP_SYS_TIME left the capability in place; date -s not run"
    fi

    # signal forwarding: TERM to the exec helper reaches the command
    "$HELPER" exec --pid "$P" -- sh -c "trap 'exit 3' TERM; echo up > /tmp/fwd; $LOOP" &
    xp=$!
    fwd_up() { hx --pid "$P" -- test -s /tmp/fwd; }
    if wait_for 5 fwd_up; then
        kill -TERM $xp; wait $xp; rc=$?
        check_eq "A: exec forwards SIGTERM to the command" 3 "$rc"
    else
        bad "A: exec'd command did not start"; kill -9 $xp; wait $xp
    fi

    # --tty: a PTY of the container's own devpts, allocated as the console will do it
    if command -v python3 >/dev/null 2>&1; then
        out=$(python3 - "$HELPER" "$P" <<'PY'
import fcntl, os, struct, subprocess, sys
helper, pid = sys.argv[1], sys.argv[2]
m = os.open(f"/proc/{pid}/root/dev/pts/ptmx", os.O_RDWR | os.O_NOCTTY)
TIOCSPTLCK, TIOCGPTN = 0x40045431, 0x80045430
fcntl.ioctl(m, TIOCSPTLCK, struct.pack("i", 0))
n = struct.unpack("I", fcntl.ioctl(m, TIOCGPTN, struct.pack("I", 0)))[0]
p = subprocess.Popen([helper, "exec", "--pid", pid, "--tty", f"/proc/{pid}/root/dev/pts/{n}", "--",
                      "sh", "-c", "tty; [ -t 0 ] && echo STDIN-TTY; echo TERM=$TERM; "
                      "awk '{print \"TTYNR=\" ($7 != 0)}' /proc/self/stat"])
data = b""
while True:
    try:
        chunk = os.read(m, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
print(data.decode(errors="replace").replace("\r", ""), end="")
print("RC=%d" % p.wait())
PY
)
        check "A: exec --tty: tty is the container's /dev/pts/N" grep -q '^/dev/pts/[0-9]' <<<"$out"
        check "A: exec --tty: stdin is a terminal, TERM=xterm-256color" \
            bash -c 'grep -q STDIN-TTY <<<"$1" && grep -q TERM=xterm-256color <<<"$1"' _ "$out"
        check "A: exec --tty: the terminal is the controlling tty" grep -q 'TTYNR=1' <<<"$out"
        check "A: exec --tty: exit code 0" grep -q 'RC=0' <<<"$out"
    else
        bad "A: exec --tty not tested: python3 is missing"
    fi

    # --login-shell: root's shell from the container's /etc/passwd, run as a login shell in root's home
    check_eq "A: exec --login-shell runs root's shell in its home" "LS=/bin/sh H=/root P=/root U=root" \
        "$(echo 'echo "LS=$SHELL H=$HOME P=$PWD U=$USER"' | hx --pid "$P" --login-shell 2>&1)"
    check_eq "A: exec --login-shell and a command are refused (125)" 125 \
        "$(hx --pid "$P" --login-shell -- true 2>/dev/null; echo $?)"
    # --report: STARTED <pid> once the command runs, FAILED <sentence> when it cannot start
    check "A: exec --report prints STARTED <pid>" grep -qE '^STARTED [0-9]+$' <<<"$(hx --pid "$P" --report -- true)"
    out=$(hx --pid "$P" --report -- /no/such/cmd 2>/dev/null; echo "RC=$?")
    check "A: exec --report prints FAILED with the reason, exit 127" \
        bash -c 'grep -q "^FAILED exec /no/such/cmd: No such file or directory" <<<"$1" && grep -q RC=127 <<<"$1"' _ "$out"

    # console.sock: one client types and sets the size, a second one is BUSY, the log has it all
    if command -v python3 >/dev/null 2>&1; then
        out=$(python3 - "$HELPER" "$P" "$T/state/a" <<'PY'
import os, socket, struct, subprocess, sys, time
helper, pid, state = sys.argv[1], sys.argv[2], sys.argv[3]
def hello(s):
    line = b""
    while not line.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            break
        line += c
    return line.decode().strip()
a = socket.socket(socket.AF_UNIX); a.connect(state + "/console.sock")
h = hello(a)
print("HELLO=" + h.split()[0], "LOGSIZE_OK=%d" % (int(h.split()[1]) == os.path.getsize(state + "/console.log")))
b = socket.socket(socket.AF_UNIX); b.connect(state + "/console.sock")
print("SECOND=" + hello(b)); b.close()
a.sendall(b"W" + struct.pack(">HHH", 4, 100, 30))
deadline = time.time() + 10
size = ""
while time.time() < deadline and size != "30 100":  # the frame is applied asynchronously: poll
    size = subprocess.run([helper, "exec", "--pid", pid, "--", "sh", "-c", "stty size </dev/console"],
                          capture_output=True, text=True).stdout.strip()
print("SIZE=" + size)
subprocess.run([helper, "exec", "--pid", pid, "--", "sh", "-c", "echo CONSOLE-TO-CLIENT >/dev/console"])
a.settimeout(10)
got = b""
while b"CONSOLE-TO-CLIENT" not in got:
    chunk = a.recv(4096)
    if not chunk:
        break
    got += chunk
print("RECEIVED=%d" % (b"CONSOLE-TO-CLIENT" in got))
a.close()
PY
)
        check "A: console.sock greets with OK and the log's size" grep -q 'HELLO=OK LOGSIZE_OK=1' <<<"$out"
        check "A: console.sock serves one client at a time (BUSY)" grep -q 'SECOND=BUSY' <<<"$out"
        check "A: console.sock W frame sets the console's size" grep -q 'SIZE=30 100' <<<"$out"
        check "A: console.sock client gets the console's output" grep -q 'RECEIVED=1' <<<"$out"
        check "A: the log also has what the client saw" console_has a CONSOLE-TO-CLIENT

        # exec.sock: the monitor runs a command as `exec` would; its exit code comes back, bad requests are refused
        out=$(python3 - "$P" "$T/state/a" "$T" <<'PY'
import os, socket, sys
pid, state, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
def ask(fields, raw=None):
    s = socket.socket(socket.AF_UNIX); s.connect(state + "/exec.sock")
    body = b"".join(f.encode() + b"\0" for f in fields)
    s.sendall(raw if raw is not None else b"EXEC %d\n" % len(body) + body)
    answer = b""
    while not answer.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            break
        answer += c
    s.close()
    return answer.decode().strip()
out, err = tmp + "/svc.out", tmp + "/svc.err"
for f in (out, err):
    open(f, "w").close()
print("RUN=" + ask([out, err, "--pid", pid, "--", "sh", "-c", "hostname; echo oops >&2; exit 3"]))
print("OUT=" + open(out).read().strip(), "ERR=" + open(err).read().strip())
print("SIG=" + ask([out, err, "--pid", pid, "--", "sh", "-c", "kill -9 $$"]))
print("BAD=" + ask([], raw=b"HELLO\n").split()[0])
PY
)
        check "A: exec.sock runs the command inside and answers its exit code" grep -q 'RUN=EXIT 3' <<<"$out"
        check "A: exec.sock sends stdout and stderr to the given files" grep -q 'OUT=box-a ERR=oops' <<<"$out"
        check "A: exec.sock reports a signal as 128+N" grep -q 'SIG=EXIT 137' <<<"$out"
        check "A: exec.sock refuses a malformed request" grep -q 'BAD=ERROR' <<<"$out"
    fi
fi

# ------------------------------------------------------------------ B: shares A's uts -----
if [ $A_OK = 1 ]; then
    if start_ct b --rootfs "$ROOTFS" --ns mnt,pid,ipc --join "uts=/proc/${INIT[a]}/ns/uts" -- /bin/sh -c "$LOOP"; then
        check_eq "B: --join uts gives A's uts namespace" "$(ns_of "${INIT[a]}" uts)" "$(ns_of "${INIT[b]}" uts)"
        check_eq "B: hostname is A's" "box-a" "$(hx --pid "${INIT[b]}" -- hostname)"
        check_eq "B: without net in --ns the host's net namespace is kept" "$(ns_of $$ net)" "$(ns_of "${INIT[b]}" net)"
        check "B: /sys is the host's, bound read-only" \
            hx --pid "${INIT[b]}" -- sh -c 'grep -q " /sys sysfs ro," /proc/mounts && ! touch /sys/x 2>/dev/null'
        check_sh "B: ipc is new, cgroup stays the host's" \
            '[ "$(ns_of "${INIT[b]}" ipc)" != "$(ns_of $$ ipc)" ] && [ "$(ns_of "${INIT[b]}" cgroup)" = "$(ns_of $$ cgroup)" ]'
        kill_ct b
        check_eq "B: exit record after kill -9" "killed 9" "$(cat "$T/state/b/exit")"
    else
        bad "B: start with --join uts"
    fi
fi

# ------------------------------------------------------------------ C: caps at start ------
if start_ct c --rootfs "$ROOTFS" --ns mnt,pid --drop-cap CAP_SYS_TIME --drop-cap sys_module \
        --drop-cap Cap_Sys_RawIO -- /bin/sh -c "$LOOP"; then
    b=$(capbnd "${INIT[c]}")
    check "C: init's CapBnd ($b) lacks sys_time(25), sys_module(16), sys_rawio(17)" \
        bash -c '! (( (16#$1 >> 25 & 1) | (16#$1 >> 16 & 1) | (16#$1 >> 17 & 1) ))' _ "$b"
    check "C: init's CapBnd still has sys_admin(21) (the drop is selective)" bit_set "$b" 21
    check "C: init has no CapEff sys_time" bash -c '! (( 16#$(sed -n "s/^CapEff:\t*//p" /proc/$1/status) >> 25 & 1 ))' _ "${INIT[c]}"
    kill_ct c
else
    bad "C: start with --drop-cap"
fi

# ------------------------------------------------------------------ D: cgroups -------------
mkdir "$CG_MEM" "$CG_V2"
if start_ct d --rootfs "$ROOTFS" --ns mnt,uts,ipc,pid,net,cgroup \
        --cgroup-procs "$CG_MEM/cgroup.procs" --cgroup-dir "$CG_V2" --cgroup-procs "$CG_V2/cgroup.procs" \
        --cgroup-cleanup "$CG_MEM" --cgroup-cleanup "$CG_V2" --devices-bpf "$CG_V2" \
        --device-allow "c 1:3 rwm" --device-allow "c 1:5 rwm" --device-allow "c 136:* rwm" \
        -- /bin/sh -c "$LOOP"; then
    P=${INIT[d]}
    # the device program on the cgroup2 dir: a process in it may use/mknod only the listed char devices
    inv2() { hx --pid "$P" --cgroup-procs "$CG_V2/cgroup.procs" -- sh -c "$1" 2>&1; }
    check_eq "D: device policy: /dev/null and /dev/zero work" "ok" "$(inv2 'head -c1 /dev/zero >/dev/null && echo ok')"
    check_eq "D: device policy: mknod of an allowed char device works" "ok" \
        "$(inv2 'mknod /tmp/n c 1 3 && rm /tmp/n && echo ok')"
    err=$(inv2 'mknod /tmp/sda b 8 0 && echo made; rm -f /tmp/sda')
    check "D: device policy: mknod of a block device fails ('$err')" grep -q "Operation not permitted" <<<"$err"
    err=$(inv2 'mknod /tmp/mem c 1 1 && echo made; rm -f /tmp/mem')
    check "D: device policy: mknod of /dev/mem (c 1:1) fails ('$err')" grep -q "Operation not permitted" <<<"$err"
    check_eq "D: control: outside the cgroup the same mknod works" "made" \
        "$(hx --pid "$P" -- sh -c 'mknod /tmp/sda b 8 0 && echo made; rm -f /tmp/sda')"
    check "D: v1 memory cgroup.procs has init's pid" grep -qx "$P" "$CG_MEM/cgroup.procs"
    check "D: clone3 CLONE_INTO_CGROUP placed init in the cgroup2 dir (its cgroup.procs listed too)" \
        grep -qx "0::/${CG_V2##*/}" "/proc/$P/cgroup"
    # exec into a v1 and a v2 group: the command runs in both (a child of the helper cloned into the v2 group moved
    # itself into the v1 one); the helper itself stays outside, holding nothing
    hx --pid "$P" --cgroup-procs "$CG_MEM/cgroup.procs" --cgroup-procs "$CG_V2/cgroup.procs" --report \
        -- /bin/sleep 60 >"$T/cg.out" 2>&1 &
    HXPID=$!
    wait_for 5 grep -q '^STARTED ' "$T/cg.out"
    CMD=$(sed -n 's/^STARTED //p' "$T/cg.out")
    check "D: an exec's command is in the v1 group" grep -q ":memory:/${CG_MEM##*/}\$" "/proc/$CMD/cgroup"
    check "D: and in the v2 group" grep -qx "0::/${CG_V2##*/}" "/proc/$CMD/cgroup"
    check "D: the helper that started it is in neither" \
        eval '! grep -q "${CG_MEM##*/}" /proc/$HXPID/cgroup && ! grep -q "${CG_V2##*/}" /proc/$HXPID/cgroup'
    kill -TERM "$HXPID"
    wait "$HXPID"
    check_eq "D: SIGTERM to the helper reaches the command through the child (exit 128+15)" 143 "$?"
    line=$(hx --pid "$P" --cgroup-procs "$CG_MEM/cgroup.procs" -- grep ':memory:' /proc/1/cgroup)
    check_sh "D: inside the new cgroup ns, init's memory cgroup is / ($line)" '[[ "$line" =~ ^[0-9]+:memory:/$ ]]'
    mkdir "$CG_MEM/sub"      # as a systemd inside would: must be removed depth-first
    kill -9 "$P"
    finish_ct d
    check_eq "D: exit record" "killed 9" "$(cat "$T/state/d/exit" 2>/dev/null)"
    check "D: monitor.done written" [ -f "$T/state/d/monitor.done" ]
    check_sh "D: --cgroup-cleanup dirs removed (with sub-group)" '[ ! -e "$CG_MEM" ] && [ ! -e "$CG_V2" ]'
    check_eq "D: monitor exit code" 0 "$MONRC"
    check "D: init process gone" [ ! -e "/proc/$P" ]
else
    bad "D: start with cgroups"
fi

# ------------------------------------------------------------------ E: halt signal ---------
if start_ct e --rootfs "$ROOTFS" --ns mnt,pid --halt-signal USR2 --console-log "$T/state/e/console.log" \
        -- /bin/sh -c "trap 'exit 0' USR2; echo HALT-READY; $LOOP"; then
    if wait_for 5 console_has e HALT-READY; then
        kill -TERM "${MON[e]}"
        finish_ct e
        check_eq "E: SIGTERM to the monitor delivers the halt signal (init exits 0)" "exited 0" "$(cat "$T/state/e/exit")"
    else
        bad "E: init did not print HALT-READY"
    fi
else
    bad "E: start"
fi

# ------------------------------------------------------------------ F: console rotation ----
if start_ct f --rootfs "$ROOTFS" --ns mnt,pid --console-log "$T/state/f/console.log" --console-max 2000 \
        -- /bin/sh -c "i=0; while [ \$i -lt 300 ]; do echo line-\$i-xxxxxxxxxxxxxxxxxxxxxxxxxx; i=\$((i+1)); done; echo ROT-DONE; $LOOP"; then
    if wait_for 5 console_has f ROT-DONE; then
        s0=$(stat -c %s "$T/state/f/console.log"); s1=$(stat -c %s "$T/state/f/console.log.1" 2>/dev/null || echo missing)
        check_sh "F: console log rotated to .1, both at most 2000 bytes ($s0, $s1)" \
            '[ "$s1" != missing ] && [ "$s0" -le 2000 ] && [ "$s1" -le 2000 ]'
    else
        bad "F: ROT-DONE not in the console log"
    fi
    kill_ct f
else
    bad "F: start"
fi

# ------------------------------------------------------------------ G: host template ------
if start_ct g --rootfs "$HOSTUSR" --ns mnt,uts,ipc,pid,net --bind /usr:/usr:ro -- /bin/sh -c "$LOOP"; then
    check "G: host /usr is visible (bash runs)" hx --pid "${INIT[g]}" -- /usr/bin/bash -c 'exit 0'
    check "G: /usr is read-only" hx --pid "${INIT[g]}" -- /bin/sh -c '! touch /usr/berth-test 2>/dev/null'
    if sys_time_dropped "${INIT[g]}"; then
        year=$(date +%Y)
        hx --pid "${INIT[g]}" --drop-cap CAP_SYS_TIME -- /usr/bin/date -s 2000-01-01 >/dev/null 2>&1
        rc=$?
        check "G: exec --drop-cap CAP_SYS_TIME -- coreutils date -s fails (rc=$rc)" [ $rc != 0 ]
        check_eq "G: host clock year unchanged" "$year" "$(date +%Y)"
    else
        bad "G: exec --drop-cap CAP_SYS_TIME left the capability in place; date -s not run"
    fi
    kill_ct g
else
    bad "G: start with --bind /usr:/usr:ro"
fi
check "G: nothing written to the host's /usr" [ ! -e /usr/berth-test ]

# ------------------------------------------------------------------ L: --lxcfs -------------
# a stand-in for an lxcfs mount: what the helper binds is the point, not what lxcfs computes
# (the engine's LxcfsContainerTest runs the real lxcfs); no swaps, diskstats, ... in it: those are skipped
FAKE_LXCFS=$T/lxcfs
mkdir -p "$FAKE_LXCFS/proc" "$FAKE_LXCFS/sys/devices/system/cpu/cpu0"
printf 'MemTotal:         131072 kB\n' > "$FAKE_LXCFS/proc/meminfo"
printf '5.00 5.00\n' > "$FAKE_LXCFS/proc/uptime"
printf '0\n' > "$FAKE_LXCFS/sys/devices/system/cpu/online"
uptime_in() { hx --pid "$1" -- cat /proc/uptime; }
if start_ct l --rootfs "$ROOTFS" --ns mnt,pid,net --lxcfs "$FAKE_LXCFS" -- /bin/sh -c "$LOOP"; then
    check_eq "L: /proc/meminfo is the lxcfs file" "MemTotal:         131072 kB" \
        "$(hx --pid "${INIT[l]}" -- cat /proc/meminfo)"
    check_eq "L: /proc/uptime is the lxcfs file" "5.00 5.00" "$(uptime_in "${INIT[l]}")"
    check_eq "L: /sys/devices/system/cpu is the lxcfs directory" "0" \
        "$(hx --pid "${INIT[l]}" -- cat /sys/devices/system/cpu/online)"
    check "L: a file lxcfs lacks stays the kernel's (/proc/swaps)" \
        hx --pid "${INIT[l]}" -- grep -q '^Filename' /proc/swaps
    check "L: the masks still apply (/proc/sys read-only)" \
        hx --pid "${INIT[l]}" -- sh -c 'grep -q " /proc/sys ro," /proc/self/mountinfo'
    kill_ct l
else
    bad "L: start with --lxcfs (missing files skipped)"
fi
if start_ct l2 --rootfs "$ROOTFS" --ns mnt,pid,time --time-offset boottime=86400 --lxcfs "$FAKE_LXCFS" \
        -- /bin/sh -c "$LOOP"; then
    up=$(uptime_in "${INIT[l2]}")
    check_sh "L: with a time namespace /proc/uptime is the kernel's, offset ($up)" '[ "${up%%.*}" -ge 86400 ]'
    check_eq "L: ... and the other lxcfs files are bound" "MemTotal:         131072 kB" \
        "$(hx --pid "${INIT[l2]}" -- cat /proc/meminfo)"
    kill_ct l2
else
    bad "L: start with --lxcfs and a time namespace"
fi

# ------------------------------------------------------------------ U: user namespace -------
# its own user namespace, the rootfs (owned by host root on disk) seen through an idmapped mount
if start_ct u --rootfs "$ROOTFS" --ns user,mnt,pid,net --uidmap "0 1048576 65536" --gidmap "0 1048576 65536" \
        --idmap-rootfs -- /bin/sh -c "$LOOP"; then
    check_eq "U: init's uid map is 0 1048576 65536" "0 1048576 65536" "$(awk '{print $1, $2, $3}' "/proc/${INIT[u]}/uid_map")"
    check_eq "U: root inside owns the rootfs's files" "0 0" "$(hx --pid "${INIT[u]}" -- stat -c '%u %g' /bin/busybox)"
    hx --pid "${INIT[u]}" -- touch /root/idmapped
    check_eq "U: a file root makes inside belongs to root on disk" "0 0" "$(stat -c '%u %g' "$ROOTFS/root/idmapped")"
    rm -f "$ROOTFS/root/idmapped"
    check "U: the host's mount table never sees the idmapped mount" eval '! grep -q "$ROOTFS" /proc/self/mountinfo'
    kill_ct u
else
    bad "U: start with a user namespace and --idmap-rootfs"
fi
# a rootfs under a folder only root may pass (as LXC makes them): reached through the idmapped mount's descriptor
LOCKED=$T/locked
mkdir -m 700 "$LOCKED"
mk_busybox_rootfs "$LOCKED/rootfs"
if start_ct u3 --rootfs "$LOCKED/rootfs" --ns user,mnt,pid --uidmap "0 1048576 65536" --gidmap "0 1048576 65536" \
        --idmap-rootfs -- /bin/sh -c "$LOOP"; then
    check_eq "U: a rootfs under a folder of root's alone starts, and is root's inside" "0" \
        "$(hx --pid "${INIT[u3]}" -- stat -c %u /bin/busybox)"
    kill_ct u3
else
    bad "U: start on a rootfs under a folder only root may pass"
fi
if start_ct u2 --rootfs "$ROOTFS" --ns user,mnt --uidmap "0 1048576 65536" --gidmap "0 1048576 65536" \
        --idmap-rootfs -- /bin/sh -c "$LOOP"; then
    check "U: with the host's pid namespace /proc is the host's, bound" hx --pid "${INIT[u2]}" -- test -e "/proc/${INIT[u2]}"
    kill_ct u2
else
    bad "U: start with a user namespace and the host's pid namespace"
fi

# ------------------------------------------------------------------ H: --sync --------------
SYNC_IN=$T/sync.fifo
mkfifo "$SYNC_IN"
mkdir -p "$T/state"
"$HELPER" start --name h --state-dir "$T/state/h" --rootfs "$ROOTFS" --ns mnt,pid,net --sync \
    -- /bin/sh -c "$LOOP" <"$SYNC_IN" >"$T/h.out" 2>&1 &
HPID[h]=$!
exec 7>"$SYNC_IN"
if wait_for 5 out_has_line h '^CHILD '; then
    cp=$(sed -n 's/^CHILD //p' "$T/h.out")
    check_sh "H: CHILD pid exists, no READY before GO" '[ -e "/proc/$cp" ] && ! grep -q READY "$T/h.out"'
    check "H: child already has its new net namespace" [ "$(ns_of "$cp" net)" != "$(ns_of $$ net)" ]
    echo GO >&7
    check "H: GO gives READY" wait_for 5 out_has_line h "^READY $cp "
    INIT[h]=$cp
    exec 7>&-
    kill_ct h
else
    bad "H: no CHILD line"; exec 7>&-
fi

mkdir "$CG_SYNC"
rm -f "$SYNC_IN"; mkfifo "$SYNC_IN"
"$HELPER" start --name h2 --state-dir "$T/state/h2" --rootfs "$ROOTFS" --ns mnt,pid --sync \
    --cgroup-procs "$CG_SYNC/cgroup.procs" -- /bin/sh -c "$LOOP" <"$SYNC_IN" >"$T/h2.out" 2>&1 &
h2=$!
exec 7>"$SYNC_IN"
if wait_for 5 out_has_line h2 '^CHILD '; then
    cp=$(sed -n 's/^CHILD //p' "$T/h2.out")
    echo NO >&7
    wait $h2; rc=$?
    exec 7>&-
    check_eq "H2: NO aborts with exit 1" 1 "$rc"
    check_eq "H2: output is CHILD then 'ERROR aborted'" "CHILD $cp|ERROR aborted" "$(paste -sd'|' "$T/h2.out")"
    check "H2: the child is gone" [ ! -e "/proc/$cp" ]
    check "H2: nothing left in the cgroup (rmdir works)" rmdir "$CG_SYNC"
    check "H2: no monitor.pid left" [ ! -e "$T/state/h2/monitor.pid" ]
else
    bad "H2: no CHILD line"; exec 7>&-; kill -9 $h2; wait $h2
fi

# ------------------------------------------------------------------ bad input --------------
# expect_error NAME PATTERN [start args]: one ERROR line matching PATTERN, exit 1, nothing left
expect_error() {
    local name=$1 pattern=$2; shift 2
    mkdir -p "$CG_BAD"
    local before; before=$(tracked_others)
    "$HELPER" start --name "$name" --state-dir "$T/state/bad" "$@" >"$T/bad.out" 2>"$T/bad.err" </dev/null
    local rc=$? lines first
    # a failure after clone3 comes after the CHILD line; the ERROR line is the last, and the only other one
    lines=$(grep -vc '^CHILD [0-9]*$' "$T/bad.out"); first=$(grep -v '^CHILD ' "$T/bad.out" | head -n1)
    echo "  -> $first"
    check_sh "bad input ($name): exit 1, one ERROR line (after CHILD at most), no stderr" \
        '[ $rc = 1 ] && [ "$lines" = 1 ] && [ ! -s "$T/bad.err" ] && [[ "$first" == "ERROR "* ]] &&
         [[ "$(tail -n1 "$T/bad.out")" == "ERROR "* ]]'
    check "bad input ($name): message matches /$pattern/" grep -qE "$pattern" "$T/bad.out"
    check "bad input ($name): no new process, no cgroup member, mount or monitor.pid left" \
        eval 'subset "$(tracked_others)" "$before" && rmdir "$CG_BAD" && ! grep -q "$T" /proc/self/mountinfo &&
              [ ! -e "$T/state/bad/monitor.pid" ]'
}
BADCG=(--cgroup-procs "$CG_BAD/cgroup.procs")
expect_error missing-rootfs "rootfs $T/nope: No such file or directory" \
    --rootfs "$T/nope" --ns mnt,pid "${BADCG[@]}" -- /sbin/init
expect_error bad-name "invalid container name '\.\./x'" --name ../x --rootfs "$ROOTFS" --ns mnt -- /sbin/init
expect_error unknown-ns "unknown namespace 'bogus'" --rootfs "$ROOTFS" --ns mnt,bogus -- /sbin/init
expect_error unknown-cap "unknown capability 'CAP_BOGUS'" --rootfs "$ROOTFS" --ns mnt --drop-cap CAP_BOGUS -- /sbin/init
expect_error init-not-found "^ERROR exec /sbin/nonexistent: No such file or directory$" \
    --rootfs "$ROOTFS" --ns mnt,uts,ipc,pid,net,cgroup "${BADCG[@]}" -- /sbin/nonexistent
expect_error idmap-needs-user "idmap-rootfs needs a new user and a new mnt namespace" --rootfs "$ROOTFS" --ns mnt \
    --idmap-rootfs -- /sbin/init
expect_error no-mnt-ns "mnt namespace must be new" --rootfs "$ROOTFS" --ns pid -- /sbin/init
expect_error bad-join "open uts namespace /proc/999999/ns/uts: No such file or directory" \
    --rootfs "$ROOTFS" --ns mnt --join uts=/proc/999999/ns/uts -- /sbin/init
expect_error hostname-needs-uts "hostname needs a new uts" --rootfs "$ROOTFS" --ns mnt --hostname x -- /sbin/init
# the child mounts its root while the parent moves it into its cgroups: its own failure is what is reported
expect_error setup-fails "^ERROR bind-mount $T on /etc/passwd: Not a directory$" \
    --rootfs "$ROOTFS" --ns mnt,pid "${BADCG[@]}" --bind "$T:/etc/passwd" -- /sbin/init

# ------------------------------------------------------------------ A: graceful poweroff --
if [ $A_OK = 1 ]; then
    kill -TERM "${MON[a]}"
    finish_ct a
    check_eq "A: busybox init powers off on the halt signal (reboot(2) in the pid ns)" "killed 2" "$(cat "$T/state/a/exit")"
    check "A: shutdown actions ran (console log)" console_has a BERTH-SHUTDOWN
    check "A: the monitor removed console.sock" [ ! -e "$T/state/a/console.sock" ]
    check "A: the monitor removed exec.sock" [ ! -e "$T/state/a/exec.sock" ]
    check "A: the monitor removed notify.sock" [ ! -e "$T/state/a/notify.sock" ]
fi

# ------------------------------------------------------------------ nothing left ----------
wait 2>/dev/null
check "end: no process started by the test is left" no_tracked_others
left=$(ls -d /sys/fs/cgroup/*/berth-test-$$-* 2>/dev/null | grep -v -- "-track$")
check "end: no berth-test cgroup of this run is left ($left)" [ -z "$left" ]
check "end: no mount mentions the temp dir" bash -c '! grep -q "$1" /proc/*/mountinfo 2>/dev/null' _ "$T"

cleanup
check_sh "end: tracking cgroup and temp dir removed" '[ ! -e "$TRACK" ] && [ ! -e "$T" ]'
# other runs (or other sessions' tests) may own berth-test* groups right now: only report them
others=$(ls -d /sys/fs/cgroup/*/berth-test* 2>/dev/null | tr '\n' ' ')
[ -z "$others" ] || echo "# note: berth-test* cgroups of other runs exist: $others"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
