#!/usr/bin/env python3
"""Berth against its peers (LXC, crun, runc), measured round-robin in one run; writes docs/BENCHMARKS.md.

Started by bench/run, which installs the peers, finds the product and compiles EngineBench. Everything this
script creates is named after one run id (berth-bench-PID): a work directory under /tmp, a run directory under
/run, LXC containers in a private lxcpath, crun/runc state in private roots, cgroups under berth-bench-PID*.
It is all removed at the end, also after a failure or Ctrl-C, and the report says whether anything was left.
"""
import argparse
import datetime
import fcntl
import glob
import json
import math
import os
import platform
import re
import resource
import shlex
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RUN_ID = "berth-bench-%d" % os.getpid()
# runs of each CLI command through the agent before it is measured (see section_cli)
AGENT_WARMUP = 10
# cycles through the agent before it is measured: a fresh agent's JIT takes about 50 to settle (start → exec → kill
# over raw HTTP: about 36 ms in the first 30 cycles, 23 ms after 50)
AGENT_CYCLE_WARMUP = 60
AGENT_CYCLE = "Berth through the agent, warm JVMs (the console as a normal user: its client, the agent's engine)"
WORK = os.path.join("/tmp", RUN_ID)
LXC_IDS = 900000000  # root of the unprivileged LXC container: in root's /etc/subuid range (newuidmap checks), far above the blocks Berth allocates first
RUN = os.path.join("/run", RUN_ID)
CGROUP_ROOT = "/sys/fs/cgroup"
WINDOW_TITLE = "Berth \u2014 Linux system containers"
# run in this order: the console's start (gui) before the sections that start and end hundreds of containers (its
# first window took 2.6 s in a run of its own and 3.5 s right after them: the machine stays busy a while after)
SECTIONS = ("cycle", "attach", "terminal", "cli", "gui", "sampler", "scale", "incus")

DEFAULT = dict(cycle_rounds=20, attach_rounds=20, hyperfine_runs=10, sweeps50=10, sweeps200=5, gui_runs=5,
               scale_rounds=20, incus_rounds=10, incus_list_rounds=15)
QUICK = dict(cycle_rounds=6, attach_rounds=8, hyperfine_runs=5, sweeps50=3, sweeps200=2, gui_runs=2, scale_rounds=5,
             incus_rounds=4, incus_list_rounds=5)
SCALE_RUNNING = (0, 50, 200)
# idle before each timed start of the scale section, longer than an RCU grace period (5-12 ms here): a start moves its
# first process into cgroups, and the first move after an idle moment waits for a grace period, which a start right
# after the other subject's start would skip (in the round-robin LXC's start followed Berth's in every other round)
SCALE_IDLE_S = 0.15
# starts and stops of the scale section's engine before anything is timed: its JVM is new (the cycle section warms its
# engine by 10 cycles). A start's two modes (the grace period passed beside its work, or not) still make medians of 20
# starts move by several milliseconds from one N to the next
SCALE_WARMUP = 20
INCUS_INSTANCES = 10  # all running while they are listed


class BenchError(Exception):
    pass


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


# ---- statistics ---------------------------------------------------------------------------------------------

def summary(xs):
    xs = sorted(xs)
    if not xs:
        return None
    n = len(xs)
    return dict(median=statistics.median(xs), p90=xs[max(0, math.ceil(0.9 * n) - 1)], min=xs[0], max=xs[-1], n=n)


def fmt_ms(v):
    if v is None:
        return "–"
    if v >= 1000:
        return "%.2f s" % (v / 1000)
    if v >= 100:
        return "%.0f ms" % v
    if v >= 10:
        return "%.1f ms" % v
    return "%.2f ms" % v


def fmt_ratio(v):
    return "–" if v is None else ("%.2f×" % v)


# ---- processes --------------------------------------------------------------------------------------------

STARTED = []  # Popen objects of long-running processes this run started; ended by PID at cleanup


def run(argv, check=True, capture=True, env=None, timeout=120, stdin=subprocess.DEVNULL):
    r = subprocess.run(argv, stdin=stdin, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                       stderr=subprocess.PIPE if capture else subprocess.DEVNULL, env=env, timeout=timeout)
    if check and r.returncode != 0:
        err = (r.stderr or b"").decode(errors="replace").strip().splitlines()
        raise BenchError("%s failed (exit %d): %s" % (" ".join(argv[:1] + argv[-3:]), r.returncode,
                                                      " | ".join(err[-3:]) if err else "(nothing on stderr)"))
    return r


def timed(argv, env=None, expect=None, detach=False):
    """Runs a command and returns its wall time in ms; with expect, checks its stdout. A command that leaves a
    container running (detach) gets no pipes: the container would inherit them and keep them open."""
    t0 = time.perf_counter()
    try:
        if detach:
            with open(os.path.join(WORK, "detached.log"), "ab") as errf:
                r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errf, env=env,
                                   timeout=60)
            r.stdout = r.stderr = b""
        else:
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, timeout=60)
    except subprocess.TimeoutExpired:
        # subprocess.run has killed it (by its PID); a failed attempt like any other, counted by the caller
        raise BenchError("%s: did not end in 60 s" % " ".join(argv))
    ms = (time.perf_counter() - t0) * 1000
    if r.returncode != 0 or (expect is not None and r.stdout.decode(errors="replace") != expect):
        raise BenchError("%s: exit %d, out %r, err %r" % (" ".join(argv), r.returncode, r.stdout[:80],
                                                           r.stderr.decode(errors="replace").strip()[-200:]))
    return ms


def end_process(p, grace=5.0):
    """Ends a process this run started, by its PID: SIGTERM, then SIGKILL."""
    if p.poll() is not None:
        return
    try:
        os.kill(p.pid, signal.SIGTERM)
        p.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=grace)
    except ProcessLookupError:
        pass


def version_line(argv):
    try:
        r = run(argv, check=False)
        text = (r.stdout or b"").decode(errors="replace") + (r.stderr or b"").decode(errors="replace")
        return text.strip().splitlines()[0] if text.strip() else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"


# ---- the warm-JVM engine driver ----------------------------------------------------------------------------

class Engine:
    """EngineBench in one JVM, flags as berth-console starts the workbench; one command per line."""

    def __init__(self, java, classpath, name, flags, main="org.berth.bench.EngineBench", args=None):
        self.name = name
        self.config_root = os.path.join(WORK, name + "-config")
        self.run_root = os.path.join(RUN, name)
        self.cgroup = "%s-%s" % (RUN_ID, name)
        self.err = open(os.path.join(WORK, name + ".log"), "wb")
        # args: another main's own (AgentEngineBench: the agent's socket), else this engine's roots
        argv = [java] + flags + ["-cp", classpath, main] + (args or [self.config_root, self.run_root, self.cgroup])
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err)
        STARTED.append(self.proc)
        self.buf = b""
        self._answer(60)

    def _answer(self, timeout):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise BenchError("EngineBench (%s) did not answer within %d s" % (self.name, timeout))
            chunk = os.read(fd, 65536)
            if not chunk:
                raise BenchError("EngineBench (%s) ended; see %s.log" % (self.name, self.name))
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        line = line.decode()
        if not line.startswith("ok"):
            raise BenchError("EngineBench (%s): %s" % (self.name, line))
        return line[2:].split()

    def cmd(self, line, timeout=600):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        return [float(x) for x in self._answer(timeout)] if not line.startswith(("cleanup", "quit")) else []

    def close(self):
        """Kills and destroys every container of this engine, then ends the JVM."""
        if self.proc.poll() is None:
            try:
                self.cmd("cleanup", 300)
                self.cmd("quit", 30)
                self.proc.wait(timeout=10)
            except (BenchError, OSError, subprocess.TimeoutExpired) as e:
                log("engine %s: %s" % (self.name, e))
        end_process(self.proc)
        self.err.close()


# ---- the bench ----------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.p = dict(QUICK if args.quick else DEFAULT)
        self.berth_home = args.berth_home
        self.java = args.java
        self.classes = args.classes
        self.sections = args.sections
        self.results = dict(run_id=RUN_ID, started=datetime.datetime.now(datetime.timezone.utc).isoformat(),
                            params=self.p, sections={}, notes=[])
        self.engines = []
        self.lxc_names = []
        self.oci_ids = []  # (runtime argv, id)
        self.cgroup_before = self.cgroup_tops()
        self.user_roots_before = self.user_roots()
        self.incus_dir = None  # the incus section's incusd, brought down by cleanup()
        self.incus_pivots_before = set()

    # ---- set-up -----------------------------------------------------------------------------------------

    def plugin(self, name):
        jars = sorted(glob.glob(os.path.join(self.berth_home, "plugins", name + "_*.jar")))
        if not jars:
            raise BenchError("the product at %s has no plugins/%s_*.jar" % (self.berth_home, name))
        return jars[-1]

    def setup(self):
        os.makedirs(WORK)
        os.makedirs(RUN)
        self.engine_cp = ":".join([self.classes] + [self.plugin(b) for b in (
            "org.berth.core", "org.berth.core.linux", "com.sun.jna", "com.sun.jna.platform", "com.google.gson")])
        # exactly the class path and flags of the product's `berth` script, for the CLI breakdown (products
        # before picocli was compiled into org.berth.cli ship it as a bundle of its own)
        self.cli_cp = ":".join(self.plugin(b) for b in (
            "org.berth.cli", "org.berth.core", "org.berth.core.linux", "com.sun.jna", "com.sun.jna.platform",
            "com.google.gson"))
        if glob.glob(os.path.join(self.berth_home, "plugins", "picocli_*.jar")):
            self.cli_cp += ":" + self.plugin("picocli")
        # the console's class path through the agent (berth-console's client bundles), for AgentEngineBench
        self.agent_cp = None
        if self.has_class("org/berth/bench/AgentEngineBench.class"):
            self.agent_cp = ":".join([self.classes] + [self.plugin(b) for b in (
                "org.berth.core", "org.berth.client", "com.google.gson", "org.eclipse.jetty.util",
                "org.eclipse.jetty.io", "org.eclipse.jetty.http", "org.eclipse.jetty.client",
                "org.eclipse.jetty.alpn.client", "org.eclipse.jetty.compression.common",
                "org.eclipse.jetty.websocket.core.common", "org.eclipse.jetty.websocket.core.client", "slf4j.api")])
        self.cli_flags = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                          "-Djdk.reflect.useNativeAccessorOnly=true", "--enable-native-access=ALL-UNNAMED",
                          "-Djava.locale.providers=SPI"]
        self.console_flags = ["-Xmx768m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"]  # berth-console's
        # the CLI on its own roots, through the product's script
        self.cli_env = dict(os.environ)
        # root's berth in its own process, without starting an agent in the background (the agent rows start theirs)
        self.cli_env["BERTH_AGENT"] = "0"
        self.cli_env["JAVA_TOOL_OPTIONS"] = "-Dberth.configRoot=%s -Dberth.runRoot=%s -Dberth.cgroupParent=%s" % (
            os.path.join(WORK, "cli-config"), os.path.join(RUN, "cli"), RUN_ID + "-cli")
        self.berth = os.path.join(self.berth_home, "berth")
        self.script_roots = self.cli_honours_roots()
        self.cli_roots = ["-Dberth.configRoot=" + os.path.join(WORK, "cli-config"),
                          "-Dberth.runRoot=" + os.path.join(RUN, "cli"), "-Dberth.cgroupParent=" + RUN_ID + "-cli"]
        if not self.script_roots:
            self.cli_env.pop("JAVA_TOOL_OPTIONS", None)
            self.results["notes"].append(
                "This product's CLI cannot be pointed at other roots (its `EngineConfig` has no "
                "`fromSystemProperties`: `-Dberth.configRoot` is ignored), so every `berth` command that touches "
                "containers runs as `java <the berth script's flags and class path> org.berth.bench.CliOnRoots`, "
                "which calls `org.berth.cli.Main.run` with an engine on the bench's roots: the CLI's cost without the "
                "script's Java finder, which is measured on its own in section 3.")
        # one busybox root file system for all: LXC's busybox template makes it, the others use it as it is
        self.lxcpath = os.path.join(WORK, "lxc")
        os.makedirs(self.lxcpath)
        conf = os.path.join(WORK, "lxc-net-none.conf")
        with open(conf, "w") as f:
            f.write("lxc.net.0.type = empty\n")  # a new network namespace with loopback only, as Berth's default
        run(["lxc-create", "-P", self.lxcpath, "-f", conf, "-t", "busybox", "-n", "bb"])
        self.lxc_names.append("bb")
        self.rootfs = os.path.join(self.lxcpath, "bb", "rootfs")
        # the template's rcS runs a DHCP client: with loopback only it fails at once, but the host-network
        # variant would send DHCP requests into the host's network. No subject has an interface to configure.
        rcs = os.path.join(self.rootfs, "etc", "init.d", "rcS")
        with open(rcs) as f:
            lines = f.read().splitlines()
        with open(rcs, "w") as f:
            f.write("\n".join(l for l in lines if l.strip() != "/bin/udhcpc") + "\n")
        with open(os.path.join(self.lxcpath, "bb", "config")) as f:
            self.lxc_template_config = [l for l in f.read().splitlines()
                                        if not l.startswith(("lxc.uts.name", "lxc.cgroup.dir"))]
        self.lxc_config("bb")
        # LXC unprivileged, as Berth's default: its own ids (in root's subordinate range, far from Berth's blocks) and the
        # shared root file system seen through an idmapped mount (LXC 5's lxc.rootfs.options = idmap=container)
        self.lxc_config("bbu", ["lxc.idmap = u 0 %d 65536" % LXC_IDS, "lxc.idmap = g 0 %d 65536" % LXC_IDS,
                                "lxc.rootfs.options = idmap=container"])
        self.oci_bundle("crun")
        self.oci_bundle("runc")
        self.runc = ["runc", "--root", os.path.join(RUN, "runc")]
        self.crun = [os.path.join(HERE, "crun-v1.sh"), "--root", os.path.join(RUN, "crun")]
        self.versions()
        self.machine()

    def start_agent(self, env):
        """berth-agent on this run's roots and its own socket, or None when this product has none."""
        agent = os.path.join(self.berth_home, "berth-agent")
        if not self.script_roots or not os.path.exists(agent):
            return None
        self.agent_socket = os.path.join(WORK, "agent.sock")
        p = subprocess.Popen([agent, "--socket", self.agent_socket, "--audit", os.path.join(WORK, "audit.jsonl")],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        STARTED.append(p)  # ended by its section; by the clean-up too when the section failed half-way
        deadline = time.time() + 60
        while not os.path.exists(self.agent_socket):
            if p.poll() is not None or time.time() > deadline:
                end_process(p)
                self.results["notes"].append("berth-agent did not start, so the CLI rows through it are missing.")
                return None
            time.sleep(0.05)  # polling for the socket, not a fixed wait
        return p

    def cli_honours_roots(self):
        """Whether this product's engine reads -Dberth.configRoot & co. (EngineConfig.fromSystemProperties)."""
        import zipfile
        with zipfile.ZipFile(self.plugin("org.berth.core.linux")) as z:
            try:
                return b"fromSystemProperties" in z.read("org/berth/core/linux/EngineConfig.class")
            except KeyError:
                return False

    def cli(self, *args):
        """argv of one `berth` command on the bench's own roots (never the user's /var/lib/berth)."""
        if self.script_roots:
            return [self.berth] + list(args)  # with self.cli_env
        return [self.java] + self.cli_flags + self.cli_roots + ["-cp", self.cli_cp + ":" + self.classes,
                                                              "org.berth.bench.CliOnRoots"] + list(args)

    def lxc_config(self, name, extra=()):
        """An LXC container on the shared root file system, its cgroups under this run's prefix."""
        d = os.path.join(self.lxcpath, name)
        os.makedirs(d, exist_ok=True)
        lines = self.lxc_template_config + list(extra) + [
            "lxc.uts.name = %s" % name,
            "lxc.cgroup.dir.container = %s-lxc/%s" % (RUN_ID, name),
            "lxc.cgroup.dir.monitor = %s-lxc/%s.monitor" % (RUN_ID, name),
            "lxc.cgroup.dir.monitor.pivot = %s-lxc-pivot" % RUN_ID]
        with open(os.path.join(d, "config"), "w") as f:
            f.write("\n".join(lines) + "\n")
        if name not in self.lxc_names:
            self.lxc_names.append(name)

    def oci_bundle(self, runtime):
        d = os.path.join(WORK, "oci-" + runtime)
        os.makedirs(d)
        run(["runc", "spec", "--bundle", d])
        path = os.path.join(d, "config.json")
        with open(path) as f:
            c = json.load(f)
        c["root"] = {"path": self.rootfs, "readonly": False}
        c["process"]["terminal"] = False
        c["process"]["args"] = ["/sbin/init"]  # busybox init, as Berth and LXC run it
        c["linux"]["cgroupsPath"] = "/%s-%s/ctr" % (RUN_ID, runtime)
        with open(path, "w") as f:
            json.dump(c, f, indent=1)

    def berth_version(self):
        r = run([self.berth, "version"], check=False, env=self.cli_env)
        return (r.stdout or b"").decode(errors="replace").strip().splitlines() or ["?"]

    def versions(self):
        bv = self.berth_version()
        self.results["versions"] = {
            "Berth": bv[0] + " (" + os.path.basename(self.plugin("org.berth.core.linux")) + ")",
            "Java (Berth)": bv[1] if len(bv) > 1 else "?",
            "LXC": "lxc " + version_line(["lxc-start", "--version"]),
            "crun": version_line(["crun", "--version"]),
            "runc": version_line(["runc", "--version"]),
            "hyperfine": version_line(["hyperfine", "--version"]),
            "busybox (shared rootfs)": version_line([os.path.join(self.rootfs, "bin", "busybox")]).split(" multi")[0],
        }

    def machine(self):
        cpu = "?"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
        try:
            debian = open("/etc/debian_version").read().strip()
        except OSError:
            debian = "?"
        mounts = open("/proc/self/mounts").read()
        v1 = sum(1 for l in mounts.splitlines() if l.split()[2] == "cgroup")
        v2 = any(l.split()[2] == "cgroup2" for l in mounts.splitlines())
        cg = "hybrid (v1 controllers + cgroup2)" if v1 and v2 else ("v1" if v1 else "v2")
        favor = any(l.split()[2] == "cgroup2" and "favordynmods" in l.split()[3].split(",")
                    for l in mounts.splitlines())
        self.results["machine"] = {"CPU": cpu, "cores": str(os.cpu_count()), "memory": "%.1f GiB" % (mem_kb / 2**20),
                                   "kernel": platform.release(), "Debian": debian, "cgroups": cg,
                                   "cgroup2 mounted with favordynmods": "yes" if favor else "no",
                                   "moving a process into a cgroup, after 100 ms idle": self.migration_cost(mounts),
                                   "load at start (1 min)": "%.2f" % os.getloadavg()[0]}

    def migration_cost(self, mounts):
        """Every runtime moves a container's first process into its cgroups. Unless cgroup2 is mounted with
        favordynmods, the kernel then waits for an RCU grace period whenever no move happened for a while (the
        global threadgroup rwsem): a cost of the host, paid by every subject of the cycle, that sets how far
        apart the ratios can be. Median of 10 moves of a sleeping child into a scratch cgroup."""
        roots = [l.split()[1] for l in mounts.splitlines()
                 if l.split()[2] == "cgroup" and "pids" in l.split()[3].split(",")]
        roots += [l.split()[1] for l in mounts.splitlines() if l.split()[2] == "cgroup2"]
        if not roots:
            return "?"
        scratch = os.path.join(roots[0], RUN_ID + "-move")
        os.mkdir(scratch)
        times = []
        try:
            for _ in range(10):
                pid = os.fork()
                if pid == 0:
                    time.sleep(60)
                    os._exit(0)
                try:
                    time.sleep(0.1)
                    with open(os.path.join(scratch, "cgroup.procs"), "w") as f:
                        t = time.perf_counter()
                        f.write("%d\n" % pid)
                        f.flush()
                        times.append((time.perf_counter() - t) * 1000)
                finally:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
        finally:
            deadline = time.monotonic() + 5
            while True:
                try:
                    os.rmdir(scratch)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)
        self.results["migration_ms"] = statistics.median(times)
        return "%s (median of 10)" % fmt_ms(statistics.median(times))

    # ---- 1. start -> echo ok -> stop -------------------------------------------------------------------------

    def interleave(self, subjects, rounds, warmup, recover=None, env=None, tolerate=None):
        """Round-robin: every round runs each subject once (A B C D, B C D A, …), so load hits all alike. A failed
        attempt is not a sample: it is counted and reported (recover(key) then puts the subject right), and
        the subject goes on; more than a quarter failed (more than tolerate, when given) ends the section."""
        for _ in range(warmup):
            for _, fn in subjects:
                fn()
        self.await_cli_caches(env=env)
        res = {k: [] for k, _ in subjects}
        extra = {k: [] for k, _ in subjects}
        for r in range(rounds):
            # each round begins with the next subject: the kernel's asynchronous clean-up after one subject
            # (network namespaces, cgroups) lands on each of the others alike, not always on the same one
            shift = r % len(subjects)
            for k, fn in subjects[shift:] + subjects[:shift]:
                try:
                    v = fn()
                except BenchError as e:
                    failed = self.results.setdefault("failed_attempts", {}).setdefault(k, [])
                    failed.append(str(e))
                    log("%s: an attempt failed: %s" % (k, e))
                    if len(failed) > (max(1, rounds // 4) if tolerate is None else tolerate):
                        raise
                    if recover:
                        recover(k)
                    continue
                if isinstance(v, tuple):
                    res[k].append(v[0])
                    extra[k].append(v[1])
                else:
                    res[k].append(v)
        return res, extra

    def await_cli_caches(self, timeout=120.0, env=None):
        """The `berth` script's first run of a command records what it loads and makes its AOT cache in the
        background (Java 25+): wait until none is being made, so that no round competes with one."""
        env = env or self.cli_env
        cache = os.path.join(env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME", "/tmp"), ".cache"), "berth")
        def pending():  # records younger than a minute (a killed first run may leave an old one)
            young = []
            for f in glob.glob(os.path.join(cache, "*.conf")):
                try:
                    if time.time() - os.path.getmtime(f) < 60:
                        young.append(f)
                except FileNotFoundError:
                    pass  # just made into a cache
            return young
        deadline = time.monotonic() + timeout
        while pending():
            if time.monotonic() > deadline:
                self.results["notes"].append("The berth script was still making an AOT cache (%s) %d s after a "
                                             "section's warm-up; rounds ran beside it." % (pending(), timeout))
                return
            time.sleep(0.1)

    def section_cycle(self):
        log("cycle: start → echo ok → stop, %d rounds" % self.p["cycle_rounds"])
        eng = self.engine("cycle")
        eng.cmd("define bb %s" % self.rootfs)
        eng.cmd("define bbh %s hostnet" % self.rootfs)
        eng.cmd("define bbp %s privileged" % self.rootfs)
        for _ in range(10):  # JIT warm-up, as a console that has been open a while
            eng.cmd("cycle bb")
            eng.cmd("cycle bbh")
            eng.cmd("cycle bbp")
        run(self.cli("create", "--rootfs", self.rootfs, "bbc"), env=self.cli_env)
        env = self.cli_env
        # the console as a normal user runs it: its client (AgentEngineBench, a warm JVM) and an agent of this run's
        # own on the CLI's roots doing the work
        agent = aeng = None
        if self.agent_cp:
            agent = self.start_agent(env)
        if agent:
            try:
                aeng = Engine(self.java, self.agent_cp, "cycle-agent", self.console_flags,
                              "org.berth.bench.AgentEngineBench", [self.agent_socket])
                aeng.cmd("define bba %s" % self.rootfs)
                for _ in range(AGENT_CYCLE_WARMUP):  # both JVMs warm, as a console and an agent that ran a while
                    aeng.cmd("cycle bba")
            except BenchError as e:
                self.results["notes"].append("The cycle through the agent could not be set up (%s); its row is "
                                             "missing." % e)
                if aeng:
                    aeng.close()
                aeng = None

        def berth_agent():
            start, ex, kill, total = aeng.cmd("cycle bba")
            return total, (start, ex, kill)

        def berth_engine():
            start, ex, kill, total = eng.cmd("cycle bb")
            return total, (start, ex, kill)

        def berth_cli():
            start = timed(self.cli("start", "bbc"), env, detach=True)
            ex = timed(self.cli("exec", "bbc", "--", "echo", "ok"), env, "ok\n")
            kill = timed(self.cli("kill", "bbc"), env)
            return start + ex + kill, (start, ex, kill)

        def lxc():
            P = self.lxcpath
            return (timed(["lxc-start", "-P", P, "-n", "bb", "-d"], detach=True) +
                    timed(["lxc-attach", "-P", P, "-n", "bb", "--", "echo", "ok"], expect="ok\n") +
                    timed(["lxc-stop", "-P", P, "-n", "bb", "-k"]))

        def oci(rt, name):
            argv = self.crun if rt == "crun" else self.runc
            bundle = os.path.join(WORK, "oci-" + rt)

            def cycle():
                return (timed(argv + ["run", "-d", "--bundle", bundle, name], detach=True) +
                        timed(argv + ["exec", name, "/bin/echo", "ok"], expect="ok\n") +
                        timed(argv + ["delete", "-f", name]))
            return cycle

        def lxc_unprivileged():
            P = self.lxcpath
            return (timed(["lxc-start", "-P", P, "-n", "bbu", "-d"], detach=True) +
                    timed(["lxc-attach", "-P", P, "-n", "bbu", "--", "echo", "ok"], expect="ok\n") +
                    timed(["lxc-stop", "-P", P, "-n", "bbu", "-k"]))

        self.oci_ids += [("crun", "bbcrun"), ("runc", "bbrunc")]
        def berth_engine_hostnet():
            return eng.cmd("cycle bbh")[3]

        def berth_engine_privileged():
            return eng.cmd("cycle bbp")[3]

        subjects = [("Berth engine, warm JVM (as the console drives it)", berth_engine),
                    ("Berth engine, warm JVM, host network (no new netns)†",
                     berth_engine_hostnet),
                    ("Berth engine, warm JVM, privileged (the host's user namespace)‡", berth_engine_privileged),
                    ("Berth CLI (berth start; berth exec -- echo ok; berth kill)", berth_cli),
                    ("LXC (lxc-start -d; lxc-attach -- echo ok; lxc-stop -k)", lxc),
                    ("LXC unprivileged (lxc.idmap, idmapped rootfs; same three steps)", lxc_unprivileged),
                    ("crun (run -d; exec echo ok; delete -f)*", oci("crun", "bbcrun")),
                    ("runc (run -d; exec echo ok; delete -f)", oci("runc", "bbrunc"))]
        if aeng:
            subjects.append((AGENT_CYCLE, berth_agent))
        def recover(key):
            """After a failed cycle, kill whatever is left running, so the next cycle starts from stopped."""
            for argv in (self.cli("kill", "bbc"),):
                run(argv, check=False, env=env)
            for e, cmd in ((eng, "kill bb"), (eng, "kill bbh"), (eng, "kill bbp"), (aeng, "kill bba")):
                try:
                    if e:
                        e.cmd(cmd)
                except BenchError:
                    pass
            run(["lxc-stop", "-P", self.lxcpath, "-n", "bb", "-k"], check=False)
            run(["lxc-stop", "-P", self.lxcpath, "-n", "bbu", "-k"], check=False)
            for rt, cid in (("crun", "bbcrun"), ("runc", "bbrunc")):
                run((self.crun if rt == "crun" else self.runc) + ["delete", "-f", cid], check=False)

        try:
            res, extra = self.interleave(subjects, self.p["cycle_rounds"], 2, recover)
        finally:
            run(self.cli("destroy", "bbc"), env=self.cli_env, check=False)
            if aeng:
                aeng.close()  # bba, through the agent, before the agent ends
            if agent:
                end_process(agent)
                if os.path.exists(self.agent_socket):
                    os.unlink(self.agent_socket)  # the CLI section starts an agent there again
        def by_phase(key):
            return {p: summary([x[i] for x in extra[key]]) for i, p in enumerate(("start", "exec echo ok", "kill"))}
        self.results["sections"]["cycle"] = dict(results={k: summary(v) for k, v in res.items()},
                                                 phases=by_phase(subjects[0][0]), cli_phases=by_phase(subjects[3][0]))
        if aeng:
            self.results["sections"]["cycle"]["agent_phases"] = by_phase(AGENT_CYCLE)
        eng.cmd("destroy bb")
        eng.cmd("destroy bbh")
        eng.cmd("destroy bbp")

    # ---- 2. attach / exec to first output -----------------------------------------------------------------------

    def first_output(self, argv, env=None, want=None, pty=False):
        """ms until the command's first output (or until `want` appears); then it is made to end."""
        if pty:
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))

            def ctty():
                os.setsid()
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            t0 = time.perf_counter()
            p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=ctty)
            os.close(slave)
            fd = master
        else:
            t0 = time.perf_counter()
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 env=env)
            fd = p.stdout.fileno()
        got = b""
        ms = None
        deadline = time.monotonic() + 15
        try:
            while time.monotonic() < deadline:
                if not select.select([fd], [], [], 0.5)[0]:
                    continue
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                got += chunk
                seen = re.sub(rb"Picked up JAVA_TOOL_OPTIONS:[^\n]*\n", b"", got)  # the JVM's note, not output
                if seen.strip() and (want is None or want in seen):
                    ms = (time.perf_counter() - t0) * 1000
                    break
            if pty:
                try:
                    os.write(master, b"exit\n")
                except OSError:
                    pass
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                end_process(p, 2)
        finally:
            if pty:
                os.close(master)
            elif p.stdout:
                p.stdout.close()
        if ms is None:
            raise BenchError("%s printed no %r within 15 s (got %r)" % (" ".join(argv), want or "output", got[:200]))
        return ms

    def pty_drain(self, argv, env=None):
        """ms until a command on a fresh terminal has ended and all its output is read, and the bytes read."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))

        def ctty():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=ctty)
        os.close(slave)
        total = 0
        try:
            while True:
                if not select.select([master], [], [], 60)[0]:
                    raise BenchError("%s: no output for 60 s" % " ".join(argv))
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the other side is closed
                    break
                if not chunk:
                    break
                total += len(chunk)
            p.wait(timeout=10)
        finally:
            os.close(master)
            end_process(p, 2)
        return (time.perf_counter() - t0) * 1000, total

    def has_class(self, name):
        """Whether bench/run compiled this class into the bench's jar."""
        import zipfile
        with zipfile.ZipFile(self.classes) as z:
            return name in z.namelist()

    def has_terminal_api(self):
        """Whether bench/run compiled TerminalBench (it does when the product has the terminal API)."""
        return self.has_class("org/berth/bench/TerminalBench.class")

    def section_terminal(self):
        if not self.has_terminal_api():
            return
        rounds = self.p["attach_rounds"]
        log("terminal: open-to-prompt and 10 MiB cat, %d rounds" % rounds)
        big = os.path.join(self.rootfs, "bench-10m.txt")
        line = b"berth bench: ten mebibytes of text through a terminal, line after line, 0123456789\n"
        with open(big, "wb") as f:
            f.write((line * (10 * 2**20 // len(line) + 1))[:10 * 2**20])
        try:
            term = Engine(self.java, self.engine_cp, "terminal", self.console_flags, "org.berth.bench.TerminalBench")
            self.engines.append(term)
            term.cmd("define t1 %s" % self.rootfs)
            term.cmd("start t1")
            self.lxc_config("t1")
            P = self.lxcpath
            run(["lxc-start", "-P", P, "-n", "t1", "-d"])
            time.sleep(0.5)
            for _ in range(3):
                term.cmd("prompt t1")
            prompt, _ = self.interleave([
                ("Berth engine openTerminal (shell), warm JVM", lambda: term.cmd("prompt t1")[0]),
                ("lxc-attach (shell) on a terminal", lambda: self.first_output(["lxc-attach", "-P", P, "-n", "t1"],
                                                                               None, b"# ", pty=True)),
            ], rounds, 1)
            cats = []

            def berth_cat():
                ms, n = term.cmd("cat t1 /bench-10m.txt")
                cats.append(n)
                return ms

            def lxc_cat():
                ms, n = self.pty_drain(["lxc-attach", "-P", P, "-n", "t1", "--", "cat", "/bench-10m.txt"])
                cats.append(n)
                return ms
            cat, _ = self.interleave([("Berth engine openTerminal: cat 10 MiB, warm JVM", berth_cat),
                                      ("lxc-attach -- cat 10 MiB on a terminal", lxc_cat)], max(3, rounds // 3), 1)
            if min(cats) < 10 * 2**20:
                raise BenchError("a terminal delivered only %d of %d bytes" % (min(cats), 10 * 2**20))
            self.results["sections"]["terminal"] = dict(prompt={k: summary(v) for k, v in prompt.items()},
                                                        cat={k: summary(v) for k, v in cat.items()})
            run(["lxc-stop", "-P", P, "-n", "t1", "-k"])
        finally:
            os.remove(big)

    def has_attach(self):
        r = run([self.berth, "attach", "--help"], check=False, env=self.cli_env)
        return r.returncode == 0 and b"attach" in (r.stdout + r.stderr)

    def section_attach(self):
        log("attach: exec/attach to first output, %d rounds" % self.p["attach_rounds"])
        eng = self.engine("cycle")
        eng.cmd("define a1 %s" % self.rootfs)
        eng.cmd("start a1")
        run(self.cli("create", "--rootfs", self.rootfs, "--start", "c1"), env=self.cli_env)
        P = self.lxcpath
        self.lxc_config("a1")
        run(["lxc-start", "-P", P, "-n", "a1", "-d"])
        for rt, argv in (("crun", self.crun), ("runc", self.runc)):
            run(argv + ["run", "-d", "--bundle", os.path.join(WORK, "oci-" + rt), "a1" + rt], capture=False)
            self.oci_ids.append((rt, "a1" + rt))
        time.sleep(0.5)  # let the inits settle (rcS) before the first sample
        env = self.cli_env
        subjects = [
            ("Berth engine, warm JVM: exec echo ok (output collected)", lambda: eng.cmd("exec a1 /bin/echo ok")[0]),
            ("berth exec c1 -- echo ok", lambda: self.first_output(self.cli("exec", "c1", "--", "echo", "ok"),
                                                                   env, b"ok")),
            ("lxc-attach -- echo ok", lambda: self.first_output(["lxc-attach", "-P", P, "-n", "a1", "--", "echo", "ok"],
                                                                want=b"ok")),
            ("crun exec echo ok*", lambda: self.first_output(self.crun + ["exec", "a1crun", "/bin/echo", "ok"],
                                                             want=b"ok")),
            ("runc exec echo ok", lambda: self.first_output(self.runc + ["exec", "a1runc", "/bin/echo", "ok"],
                                                            want=b"ok")),
            ("berth exec c1 -- /bin/sh -i on a terminal, to the prompt",
             lambda: self.first_output(self.cli("exec", "c1", "--", "/bin/sh", "-i"), env, b"# ", pty=True)),
            ("lxc-attach (shell) on a terminal, to the prompt",
             lambda: self.first_output(["lxc-attach", "-P", P, "-n", "a1"], None, b"# ", pty=True)),
        ]
        attach = self.has_attach()
        if attach:
            subjects.append(("berth attach c1 on a terminal, to the first output",
                             lambda: self.first_output(self.cli("attach", "c1"), env, None, pty=True)))
        else:
            self.results["notes"].append("`berth attach` is not in this product (`berth attach --help` failed), so the"
                                         " interactive comparison uses `berth exec c1 -- /bin/sh -i` on a terminal.")
        res, _ = self.interleave(subjects, self.p["attach_rounds"], 2)
        self.results["sections"]["attach"] = dict(results={k: summary(v) for k, v in res.items()}, attach=attach)
        run(self.cli("kill", "c1"), env=self.cli_env)
        run(self.cli("destroy", "c1"), env=self.cli_env)
        run(["lxc-stop", "-P", P, "-n", "a1", "-k"])
        for rt, argv in (("crun", self.crun), ("runc", self.runc)):
            run(argv + ["delete", "-f", "a1" + rt])
        eng.cmd("kill a1")
        eng.cmd("destroy a1")

    # ---- 3. CLI latency -------------------------------------------------------------------------------------

    def hyperfine(self, commands, runs, name, env):
        out = os.path.join(WORK, "hyperfine-%s.json" % name)
        argv = ["hyperfine", "-N", "--style", "none", "--warmup", "2", "--runs", str(runs), "--export-json", out]
        for label, cmd in commands:
            argv += ["--command-name", label, cmd]
        run(argv, env=env, timeout=1800)
        with open(out) as f:
            data = json.load(f)
        res = {}
        for r in data["results"]:
            s = summary([t * 1000 for t in r["times"]])
            s["user"] = r["user"] * 1000
            s["system"] = r["system"] * 1000
            res[r["command"]] = s
        return res

    def java_cmd(self, flags, main_args):
        """The CLI straight on java with these flags (no script), on the bench's roots."""
        return [self.java] + flags + self.cli_roots + ["-cp", self.cli_cp + ":" + self.classes,
                                                      "org.berth.bench.CliOnRoots"] + main_args

    def class_loading(self, flags, label, command="list"):
        """Classes loaded by a `berth` command and when: JVM boot → Main → engine → exit (JVM uptime, ms)."""
        logf = os.path.join(WORK, "classload-%s.log" % label)
        argv = self.java_cmd(flags + ["-Xlog:class+load=info:file=%s:uptime" % logf], [command])
        t0 = time.perf_counter()
        run(argv, env=self.cli_env)
        wall = (time.perf_counter() - t0) * 1000
        counts = dict(total=0, shared=0, jdk=0, berth=0, picocli=0, jna=0, gson=0)
        marks = {}
        last = 0.0
        with open(logf) as f:
            for line in f:
                m = re.match(r"\[(\d+\.\d+)s\](?:\[info\]\[class,load\])? (\S+) source: (.*)", line)
                if not m:
                    continue
                t, cls, src = float(m.group(1)) * 1000, m.group(2), m.group(3)
                last = t
                counts["total"] += 1
                if "shared objects file" in src:
                    counts["shared"] += 1
                if cls.startswith("org.berth."):
                    counts["berth"] += 1
                elif cls.startswith("picocli."):
                    counts["picocli"] += 1
                elif cls.startswith("com.sun.jna."):
                    counts["jna"] += 1
                elif cls.startswith("com.google.gson."):
                    counts["gson"] += 1
                else:
                    counts["jdk"] += 1
                if cls == "org.berth.cli.Main":
                    marks.setdefault("main", t)
                if cls == "org.berth.core.linux.internal.engine.LinuxEngine" and "engine" not in marks:
                    marks["engine"] = t
                if cls.startswith("com.sun.jna.") and "jna" not in marks:
                    marks["jna"] = t
        marks["last class"] = last
        return dict(counts=counts, marks=marks, wall=wall)

    def section_cli(self):
        log("cli: CLI latency (hyperfine, %d runs each)" % self.p["hyperfine_runs"])
        env = self.cli_env
        P = self.lxcpath
        for i in range(1, 11):
            run(self.cli("create", "--rootfs", self.rootfs, "--start", "c%d" % i), env=env)
            self.lxc_config("l%03d" % i)
            run(["lxc-start", "-P", P, "-n", "l%03d" % i, "-d"])
        runs = self.p["hyperfine_runs"]
        for argv in (self.cli("list"), self.cli("exec", "c1", "--", "true")):  # each command's cache, made once
            run(argv, env=env)
        self.await_cli_caches()
        # through the agent, as a user other than root goes (BERTH_AGENT=1 as root): an agent on these roots, and
        # its own class caches (a command's cache holds the classes of the path it was made on)
        agent, via = self.start_agent(env), []
        if agent:
            aenv = dict(env, BERTH_AGENT="1", BERTH_SOCKET=self.agent_socket,
                        XDG_CACHE_HOME=os.path.join(WORK, "agent-cache"))
            for argv in (self.cli("list"), self.cli("exec", "c1", "--", "true")):
                run(argv, env=aenv)
            self.await_cli_caches(env=aenv)
            # an agent serves for days: its JIT has compiled what answers these requests. A fresh one takes 0.7 s
            # for the first list and about 10 requests to settle, which hyperfine's 2 warm-up runs would not cover
            for _ in range(AGENT_WARMUP):
                for argv in (self.cli("list"), self.cli("exec", "c1", "--", "true")):
                    run(argv, env=aenv)
            prefix = "env BERTH_AGENT=1 BERTH_SOCKET=%s XDG_CACHE_HOME=%s " % (
                shlex.quote(self.agent_socket), shlex.quote(aenv["XDG_CACHE_HOME"]))
            via = [("berth list via the agent (10 running)", prefix + shlex.join(self.cli("list"))),
                   ("berth exec c1 -- true via the agent", prefix + shlex.join(self.cli("exec", "c1", "--", "true")))]
        try:
            main = self.hyperfine([
                ("berth list (10 running)", shlex.join(self.cli("list"))),
                ("berth exec c1 -- true", shlex.join(self.cli("exec", "c1", "--", "true"))),
            ] + via + [
                ("lxc-ls -f (10 running)", "lxc-ls -P %s -f" % P),
                ("lxc-attach -n l001 -- true", "lxc-attach -P %s -n l001 -- true" % P),
            ], runs, "cli", env)
        finally:
            if agent:
                end_process(agent)
        # what the time goes to: the script's Java finder, the JVM, picocli, the engine; and what would cut it
        jsa = os.path.join(WORK, "berth-list.jsa")
        r = run(self.java_cmd(["-XX:ArchiveClassesAtExit=" + jsa] + self.cli_flags, ["list"]), check=False, env=env)
        if r.returncode != 0 or not os.path.exists(jsa):
            self.results["notes"].append("The AppCDS archive could not be made (exit %d: %s), so the AppCDS rows are "
                                         "missing." % (r.returncode, (r.stderr or b"").decode(errors="replace")
                                                       .strip().replace("\n", " | ")[-300:]))
            jsa = None
        jhome = os.path.dirname(os.path.dirname(self.java))
        variants = [
            ("java-finder.sh alone (JAVA_HOME unset)", ["sh", "-c", ". %s/java-finder.sh" % self.berth_home]),
            ("java-finder.sh alone (JAVA_HOME set)", ["env", "JAVA_HOME=" + jhome, "sh", "-c",
                                                      ". %s/java-finder.sh" % self.berth_home]),
            ("JVM floor: empty main, the script's flags",
             [self.java] + self.cli_flags + ["-cp", self.classes, "org.berth.bench.Nop"]),
            ("berth version, java directly (JVM + picocli, no engine)", self.java_cmd(self.cli_flags, ["version"])),
            ("berth list, java directly (no finder)", self.java_cmd(self.cli_flags, ["list"])),
            ("berth list, java directly, default tiered JIT (no TieredStopAtLevel=1)",
             self.java_cmd([f for f in self.cli_flags if "Tiered" not in f], ["list"])),
        ]
        if jsa:
            variants += [
                ("berth list, java directly + AppCDS archive", self.java_cmd(self.cli_flags + [
                    "-XX:SharedArchiveFile=" + jsa], ["list"])),
                ("berth exec c1 -- true, java directly + AppCDS archive", self.java_cmd(self.cli_flags + [
                    "-XX:SharedArchiveFile=" + jsa], ["exec", "c1", "--", "true"]))]
        if self.script_roots:
            variants += [("berth list (the script, as shipped)", [self.berth, "list"]),
                         ("berth list (the script, JAVA_HOME set)", ["env", "JAVA_HOME=" + jhome, self.berth, "list"])]
        aot = self.aot_cache()
        if aot:
            variants.insert(6, ("berth list, java directly + AOT cache (JDK 25, instead of -Xshare:auto)",
                                self.java_cmd(self.aot_flags(aot), ["list"])))
        # round-robin, not hyperfine: on a loaded machine each variant must see the same load
        res, _ = self.interleave([(label, (lambda a=argv: timed(a, env))) for label, argv in variants], runs, 1)
        breakdown = {k: summary(v) for k, v in res.items()}
        loads = {"berth version, java directly, no archive": self.class_loading(self.cli_flags, "version", "version"),
                 "berth list, java directly, no archive": self.class_loading(self.cli_flags, "shipped")}
        if jsa:
            loads["berth list, AppCDS archive"] = self.class_loading(
                self.cli_flags + ["-XX:SharedArchiveFile=" + jsa], "cds")
        self.results["sections"]["cli"] = dict(results=main, breakdown=breakdown, loads=loads)
        for i in range(1, 11):
            run(self.cli("kill", "c%d" % i), env=env)
            run(self.cli("destroy", "c%d" % i), env=env)
            run(["lxc-stop", "-P", P, "-n", "l%03d" % i, "-k"])

    def aot_cache(self):
        """A JDK 24+ AOT cache (JEP 483) trained on `berth list`; None when this JDK cannot make one."""
        aot = os.path.join(WORK, "berth-list.aot")
        flags = [f for f in self.cli_flags if not f.startswith("-Xshare")]
        r = run(self.java_cmd(["-XX:AOTCacheOutput=" + aot] + flags, ["list"]), check=False, env=self.cli_env)
        if r.returncode != 0 or not os.path.exists(aot):
            self.results["notes"].append("This JDK made no AOT cache (-XX:AOTCacheOutput needs JDK 25), so that"
                                         " variant is not measured.")
            return None
        r = run(self.java_cmd(self.aot_flags(aot), ["list"]), check=False, env=self.cli_env)
        return aot if r.returncode == 0 else None

    def aot_flags(self, aot):
        return ["-XX:AOTCache=" + aot] + [f for f in self.cli_flags if not f.startswith("-Xshare")]

    # ---- 4. the sampler's cost ------------------------------------------------------------------------------

    def section_sampler(self):
        sampler = os.path.join(HERE, "sampler")
        eng = self.engine("sampler")
        P = self.lxcpath
        out = {}
        for n, sweeps in ((50, self.p["sweeps50"]), (200, self.p["sweeps200"])):
            log("sampler: sampler cost for %d running containers, %d sweeps" % (n, sweeps))
            have = len([x for x in self.lxc_names if x.startswith("s")])
            t0 = time.perf_counter()
            for i in range(have + 1, n + 1):
                self.lxc_config("s%03d" % i)
                run(["lxc-start", "-P", P, "-n", "s%03d" % i, "-d"])
            lxc_start = (time.perf_counter() - t0) * 1000
            berth_start = eng.cmd("startmany s %d %s" % (n, self.rootfs))[0]
            started = n - have
            time.sleep(1.0)  # let the inits settle
            names = ["s%03d" % i for i in range(1, n + 1)]

            def lxc_info():
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                for name in names:
                    r = run(["lxc-info", "-P", P, "-n", name, "-S", "-H"])
                    if b"Memory" not in r.stdout and b"CPU" not in r.stdout:
                        raise BenchError("lxc-info -S %s printed no usage" % name)
                wall = (time.perf_counter() - t) * 1000
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                return wall, (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000

            def berth_sweep():
                wall, cpu = eng.cmd("sweep s %d" % n)
                return wall, cpu

            for _ in range(3):  # JIT warm-up
                berth_sweep()
            subjects = [("Berth engine usage() for all, one thread (warm JVM)", berth_sweep),
                        ("lxc-info -S for each (one process per container)", lxc_info)]
            res, cpu = self.interleave(subjects, sweeps, 0)
            out[n] = dict(results={k: summary(v) for k, v in res.items()},
                          cpu={k: summary(v) for k, v in cpu.items()},
                          start=dict(berth=berth_start, lxc=lxc_start, count=started))
        log("sampler: stopping the sampler containers")
        t0 = time.perf_counter()
        eng.cmd("killmany s 200")
        berth_stop = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        for name in ["s%03d" % i for i in range(1, 201)]:
            run(["lxc-stop", "-P", P, "-n", name, "-k"])
        lxc_stop = (time.perf_counter() - t0) * 1000
        self.results["sections"]["sampler"] = dict(
            by_count=out, stop=dict(berth=berth_stop, lxc=lxc_stop), own_sampler=self.own_sampler(sampler))

    def own_sampler(self, sampler, counts=(50, 200)):
        """The sampler's own micro-benchmark (bench/sampler/run, another engineer's), when it is there."""
        script = os.path.join(sampler, "run")
        if not os.access(script, os.X_OK):
            return None
        log("sampler: the sampler's own benchmark: bench/sampler/run %s" % " ".join(map(str, counts)))
        r = run([script] + [str(c) for c in counts], check=False, timeout=1800)
        text = (r.stdout or b"").decode(errors="replace")
        rows = []
        for line in text.splitlines():
            f = line.split()
            if len(f) == 5 and f[0].isdigit():
                rows.append(dict(n=int(f[0]), cpu=float(f[1]), wall=float(f[2]), cpu_us_per=float(f[3]),
                                 cpu_pct_1s=float(f[4])))
        err = (r.stderr or b"").decode(errors="replace").strip().splitlines()
        return dict(rows=rows, exit=r.returncode, error=err[-1] if (r.returncode != 0 and err) else None)

    # ---- 4b. scale: the cost of one start and one stop with many running --------------------------------------

    def section_scale(self):
        """One more container started and stopped (kill) with 0, 50 and 200 others running, Berth's engine (warm
        JVM) and LXC (`lxc-start -d` / `lxc-stop -k`) interleaved; then the sampler at 50, 200 and 500."""
        eng = self.engine("scale")
        P = self.lxcpath
        rounds = self.p["scale_rounds"]
        out = {}
        have = 0
        seq = [0]

        def berth_one():
            seq[0] += 1
            name = "x%d" % seq[0]
            eng.cmd("define %s %s" % (name, self.rootfs))
            time.sleep(SCALE_IDLE_S)  # a deliberate idle moment (see SCALE_IDLE_S), not a wait for a condition
            start = eng.cmd("start " + name)[0]
            stop = eng.cmd("kill " + name)[0]
            eng.cmd("destroy " + name)
            return start, stop

        def lxc_one():
            seq[0] += 1
            name = "y%d" % seq[0]
            self.lxc_config(name)
            time.sleep(SCALE_IDLE_S)
            t = time.perf_counter()
            run(["lxc-start", "-P", P, "-n", name, "-d"])
            start = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            run(["lxc-stop", "-P", P, "-n", name, "-k"])
            stop = (time.perf_counter() - t) * 1000
            shutil.rmtree(os.path.join(P, name), ignore_errors=True)  # its config only: the rootfs is shared
            self.lxc_names.remove(name)
            return start, stop

        try:
            log("scale: %d starts and stops of the engine's to warm its JVM" % SCALE_WARMUP)
            for _ in range(SCALE_WARMUP):
                berth_one()
            for n in SCALE_RUNNING:
                if n > have:
                    log("scale: bringing Berth and LXC to %d running containers each" % n)
                    eng.cmd("startmany t %d %s" % (n, self.rootfs))
                    for i in range(have + 1, n + 1):
                        self.lxc_config("t%03d" % i)
                        run(["lxc-start", "-P", P, "-n", "t%03d" % i, "-d"])
                    have = n
                log("scale: %d starts and stops of one more container with %d running" % (rounds, n))
                res, extra = self.interleave([("Berth engine", berth_one), ("LXC", lxc_one)], rounds, 2)
                out[n] = dict(start={k: summary(v) for k, v in res.items()},
                              stop={k: summary(v) for k, v in extra.items()})
        finally:
            log("scale: stopping the %d containers of each" % have)
            eng.cmd("killmany t %d" % have)
            for i in range(1, have + 1):
                run(["lxc-stop", "-P", P, "-n", "t%03d" % i, "-k"], check=False, timeout=30)
        self.results["sections"]["scale"] = dict(
            by_running=out, sampler=self.own_sampler(os.path.join(HERE, "sampler"), (50, 200, 500)))

    # ---- 5. GUI start-up --------------------------------------------------------------------------------------

    def section_gui(self):
        runs = self.p["gui_runs"]
        log("gui: console start-up to its first window, %d runs" % runs)
        rfd, wfd = os.pipe()
        xlog = open(os.path.join(WORK, "xvfb.log"), "wb")
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(wfd), "-noreset", "-screen", "0", "1600x1000x24",
                                 "-nolisten", "tcp"],
                                pass_fds=(wfd,), stdout=xlog, stderr=xlog)
        STARTED.append(xvfb)
        os.close(wfd)
        try:
            if not select.select([rfd], [], [], 20)[0]:
                raise BenchError("Xvfb did not start")
            # kept open until Xvfb ends: a server that resets writes its display number again
            display = ":" + os.read(rfd, 64).decode().strip()
            env = dict(self.cli_env)
            env["DISPLAY"] = display
            env.pop("WAYLAND_DISPLAY", None)
            # the console's class-data sharing archive in a cache folder of this run (berth-console: the JVM writes
            # it when the console ends the first time); "without" hides it (no cache folder can be made under
            # /dev/null, so the script passes no archive)
            cached = dict(env, XDG_CACHE_HOME=os.path.join(WORK, "console-cache"))
            bare = dict(env, XDG_CACHE_HOME="/dev/null")
            with_name, without_name = ("berth-console to its window, mapped (with its class archive)",
                                       "berth-console to its window, mapped, without a class archive")
            times = {with_name: [], without_name: []}
            # the first run warms the page cache and, as it ends, writes the archive; it is not counted
            first = self.console_once(cached, 0)
            archives = glob.glob(os.path.join(cached["XDG_CACHE_HOME"], "berth", "console-*.jsa"))
            if not archives:
                self.results["notes"].append("berth-console wrote no class archive when it ended, so the rows "
                                             "\"with its class archive\" ran without one.")
            for i in range(1, runs + 1):  # round-robin
                for name, e in ((without_name, bare), (with_name, cached)):
                    x = subprocess.run(["xwininfo", "-root"], env=e, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
                    if x.returncode != 0 or xvfb.poll() is not None:
                        raise BenchError("Xvfb on %s does not answer (%s; Xvfb %s): %s" % (
                            display, x.stderr.decode(errors="replace").strip(),
                            "running" if xvfb.poll() is None else "ended", open(xlog.name, "rb").read()[-300:]))
                    times[name].append(self.console_once(e, "%d-%s" % (i, "with" if e is cached else "without")))
            self.results["sections"]["gui"] = dict(
                results={k: summary(v) for k, v in times.items()}, display=display, first_ms=first,
                archive_bytes=os.path.getsize(archives[0]) if archives else None)
        finally:
            end_process(xvfb)
            os.close(rfd)
            xlog.close()

    def console_once(self, env, i):
        env = dict(env)
        env["BERTH_WORKSPACE"] = os.path.join(WORK, "workspace-%s" % i)  # a fresh workspace each time
        logf = open(os.path.join(WORK, "console-%s.log" % i), "wb")
        t0 = time.perf_counter()
        p = subprocess.Popen([os.path.join(self.berth_home, "berth-console")], env=env, stdin=subprocess.DEVNULL,
                             stdout=logf, stderr=logf)
        STARTED.append(p)
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                if p.poll() is not None:
                    kept = self.keep_console_logs(i, logf.name, env["BERTH_WORKSPACE"])
                    raise BenchError("berth-console ended (exit %d) before showing its window; its logs are in %s" % (
                        p.returncode, kept))
                wid = self.find_window(env)
                if wid and self.viewable(env, wid):
                    return (time.perf_counter() - t0) * 1000
                time.sleep(0.02)
            raise BenchError("no window titled %r within 90 s" % WINDOW_TITLE)
        finally:
            end_process(p, 10)
            logf.close()

    @staticmethod
    def keep_console_logs(i, console_log, workspace):
        """Copies a failed console's output and its workspace log to bench/out/ (the work directory goes away)."""
        kept = os.path.join(HERE, "out", "console-failure-%s" % i)
        os.makedirs(kept, exist_ok=True)
        for src in (console_log, os.path.join(workspace, ".metadata", ".log")):
            if os.path.exists(src):
                shutil.copy(src, os.path.join(kept, os.path.basename(src).lstrip(".") or "log"))
        return kept

    @staticmethod
    def find_window(env):
        r = subprocess.run(["xwininfo", "-root", "-tree"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for line in r.stdout.decode("utf-8", errors="replace").splitlines():
            if "Linux system containers" in line and "Berth" in line:
                return line.split()[0]
        return None

    @staticmethod
    def viewable(env, wid):
        r = subprocess.run(["xwininfo", "-id", wid], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return b"IsViewable" in r.stdout

    # ---- 6. Incus ---------------------------------------------------------------------------------------------

    def incus_missing(self):
        """Why the incus section cannot run on this host with this product, or None."""
        if not shutil.which("incus") or not (shutil.which("incusd") or os.path.exists("/usr/libexec/incus/incusd")):
            return ("Incus is not installed (bench/run installs incus-base with releng/setup-incus unless "
                    "--no-install; Debian 12 only)")
        if not glob.glob(os.path.join(self.berth_home, "plugins", "org.berth.core.incus_*.jar")):
            return "this product has no Incus engine (no plugins/org.berth.core.incus_*.jar)"
        if not os.path.exists("/bin/busybox"):
            return "/bin/busybox (busybox-static) is missing: releng/incus-host builds its image from it"
        return None

    def section_incus(self):
        why = self.incus_missing()
        if why:
            log("incus: skipped: " + why)
            self.results["notes"].append("Section \"incus\" was skipped: %s." % why)
            return
        runs, rounds = self.p["incus_list_rounds"], self.p["incus_rounds"]
        log("incus: %d instances listed (%d rounds), start → exec → stop (%d rounds)" % (
            INCUS_INSTANCES, runs, rounds))
        # a throwaway incusd (releng/incus-host): its INCUS_DIR, socket and database under this run's work folder,
        # brought down by cleanup() whatever happens; the incus command's own configuration (INCUS_CONF) and Berth's
        # remotes and client certificate (XDG_CONFIG_HOME) and class caches (XDG_CACHE_HOME) in folders of this run
        d = self.incus_dir = os.path.join(WORK, "incus")
        self.incus_pivots_before = set(glob.glob(os.path.join(CGROUP_ROOT, "*", "lxc.pivot")))
        up = run([os.path.join(REPO, "releng", "incus-host"), "up", d], timeout=600)
        address = up.stdout.decode().strip().splitlines()[-1]
        env = dict(self.cli_env, INCUS_DIR=os.path.join(d, "var"), INCUS_CONF=os.path.join(WORK, "incus-conf"),
                   XDG_CONFIG_HOME=os.path.join(WORK, "incus-xdg-config"),
                   XDG_CACHE_HOME=os.path.join(WORK, "incus-xdg-cache"))
        socket_path = os.path.join(d, "var", "unix.socket")
        incus = ["incus"]
        version = run(incus + ["version"], env=env).stdout.decode().strip().splitlines()
        self.results["versions"]["Incus (incus version)"] = "; ".join(version)
        names = ["i%02d" % i for i in range(1, INCUS_INSTANCES + 1)]
        for n in names:
            run(incus + ["launch", "busybox", n], env=env, timeout=120)
        # the remotes, as a user adds them: the Unix socket, and HTTPS with a trust token made here
        berth = [self.berth]
        run(berth + ["remote", "add", "inc", "unix://" + socket_path], env=env)
        https = True
        try:
            token = run(incus + ["config", "trust", "add", "berth-bench"], env=env).stdout.decode().split()[-1]
            run(berth + ["remote", "add", "inc2", "https://" + address, "--token", token, "--accept-certificate"],
                env=env)
            token = run(incus + ["config", "trust", "add", "incus-bench"], env=env).stdout.decode().split()[-1]
            run(incus + ["remote", "add", "bench", "https://" + address, "--token", token, "--accept-certificate"],
                env=env)
        except BenchError as e:
            https = False
            self.results["notes"].append("Incus over HTTPS is not measured: %s" % e)
        # both sides see all instances, running
        for argv, key in ((berth + ["--remote", "inc", "list", "--json"], "state"),
                          (incus + ["list", "--format", "json"], "status")):
            listed = json.loads(run(argv, env=env).stdout)
            states = sorted(str(x.get(key)).lower() for x in listed)
            if states != ["running"] * INCUS_INSTANCES:
                raise BenchError("%s lists %s, not %d running" % (" ".join(argv[:3]), states, INCUS_INSTANCES))
        self.await_cli_caches(env=env)
        listing = [("berth version (no connection: JVM, picocli)", berth + ["version"]),
                   ("berth --remote inc list --json (unix socket)", berth + ["--remote", "inc", "list", "--json"]),
                   ("incus list --format json (unix socket)", incus + ["list", "--format", "json"])]
        if https:
            listing += [("berth --remote inc2 list --json (HTTPS)", berth + ["--remote", "inc2", "list", "--json"]),
                        ("incus list bench: --format json (HTTPS)", incus + ["list", "bench:", "--format", "json"])]
        for _, argv in listing:  # each command's class cache made before any timing
            run(argv, env=env)
        # round-robin, as section 3's breakdown (not hyperfine, which runs one command's runs in a row and ends at
        # the first failure): a failed run is counted and reported with its message
        subjects = [(label, (lambda a=argv: timed(a, env))) for label, argv in listing]
        self.incus_warmup(subjects, 2)
        res, _ = self.interleave(subjects, runs, 0, env=env, tolerate=runs // 2)
        lists = {k: summary(v) for k, v in res.items()}
        # one instance more, stopped, for the cycle; every subject starts it, runs echo ok in it, and stops it by
        # force (Incus's stop with force: the instance is killed, as berth kill asks Incus to)
        run(incus + ["init", "busybox", "cyc"], env=env, timeout=120)

        def berth_cycle(remote):
            def cycle():
                start = timed(berth + ["--remote", remote, "start", "cyc"], env)
                ex = timed(berth + ["--remote", remote, "exec", "cyc", "--", "echo", "ok"], env, "ok\n")
                stop = timed(berth + ["--remote", remote, "kill", "cyc"], env)
                return start + ex + stop, (start, ex, stop)
            return cycle

        def incus_cycle(remote):
            ref = remote + "cyc"
            def cycle():
                start = timed(incus + ["start", ref], env)
                ex = timed(incus + ["exec", ref, "--", "echo", "ok"], env, "ok\n")
                stop = timed(incus + ["stop", "--force", ref], env)
                return start + ex + stop, (start, ex, stop)
            return cycle

        subjects = [("Berth CLI, unix socket (berth --remote inc start; exec -- echo ok; kill)", berth_cycle("inc")),
                    ("incus, unix socket (incus start; exec -- echo ok; stop --force)", incus_cycle(""))]
        if https:
            subjects += [("Berth CLI, HTTPS (berth --remote inc2 …, the same three)", berth_cycle("inc2")),
                         ("incus, HTTPS (incus … bench:cyc, the same three)", incus_cycle("bench:"))]

        def recover(key):
            run(incus + ["stop", "--force", "cyc"], check=False, env=env)

        self.incus_warmup(subjects, 1, recover)
        res, extra = self.interleave(subjects, rounds, 0, recover, env, tolerate=rounds // 2)
        phases = {k: {p: summary([x[i] for x in extra[k]]) for i, p in enumerate(("start", "exec echo ok", "stop"))}
                  for k, _ in subjects}
        failed = self.results.get("failed_attempts", {})
        self.results["sections"]["incus"] = dict(
            list=lists, cycle={k: summary(v) for k, v in res.items()}, phases=phases, instances=INCUS_INSTANCES,
            https=https, warmup_failures=len(self.results.get("incus_warmup_failures", [])),
            failures=sum(len(failed.get(k, [])) for k in list(lists) + list(res)))
        self.incus_down()

    def incus_warmup(self, subjects, rounds, recover=None):
        """Warm-up rounds whose failures are only logged: a Berth command against incusd now and then waits 30 s for
        an answer and fails (see bench/README.md); the rounds that follow count and report such failures."""
        for _ in range(rounds):
            for k, fn in subjects:
                try:
                    fn()
                except BenchError as e:
                    log("%s: a warm-up attempt failed: %s" % (k, e))
                    self.results.setdefault("incus_warmup_failures", []).append("%s: %s" % (k, e))
                    if recover:
                        recover(k)

    def incus_down(self):
        """Brings this run's incusd down (its instances and images deleted first; releng/incus-host down) and removes
        the empty lxc.pivot cgroups that appeared meanwhile; returns what is left, as sentences."""
        d = self.incus_dir
        if not d or not os.path.exists(d):
            return []
        left = []
        r = run([os.path.join(REPO, "releng", "incus-host"), "down", d], check=False, timeout=600)
        if r.returncode != 0 or os.path.exists(d):
            left.append("the incusd of %s (releng/incus-host down: exit %d, %s)" % (
                d, r.returncode, (r.stderr or b"").decode(errors="replace").strip().replace("\n", " | ")[-300:]))
        for p in set(glob.glob(os.path.join(CGROUP_ROOT, "*", "lxc.pivot"))) - self.incus_pivots_before:
            try:
                os.rmdir(p)  # only when empty: a cgroup with processes or children refuses
            except FileNotFoundError:
                pass
            except OSError as e:
                left.append("cgroup %s: %s" % (p, e.strerror))
        return left

    # ---- engines and clean-up -----------------------------------------------------------------------------------

    def engine(self, name):
        for e in self.engines:
            if e.name == name:
                return e
        e = Engine(self.java, self.engine_cp, name, self.console_flags)
        self.engines.append(e)
        return e

    @staticmethod
    def user_roots():
        """What the user's own Berth roots hold: the bench must leave them as they were."""
        out = set()
        for d in ("/var/lib/berth", "/run/berth"):
            if os.path.isdir(d):
                out |= {os.path.join(d, x) for x in os.listdir(d)}
        return out

    @staticmethod
    def cgroup_tops():
        tops = set()
        for h in glob.glob(os.path.join(CGROUP_ROOT, "*")):
            if os.path.isdir(h):
                for d in os.listdir(h):
                    if os.path.isdir(os.path.join(h, d)):
                        tops.add(os.path.join(h, d))
        return tops

    def cleanup(self):
        """Removes everything this run made; returns the sentences about what could not be removed."""
        left = self.incus_down()
        for e in self.engines:
            e.close()
        # the CLI's containers: an engine on the CLI's roots kills and destroys whatever is left there
        if os.path.isdir(os.path.join(WORK, "cli-config")):
            try:
                e = Engine(self.java, getattr(self, "engine_cp", ""), "cli", self.console_flags)
                e.close()
            except (BenchError, OSError) as ex:
                left.append("the CLI's containers: %s" % ex)
        for name in reversed(self.lxc_names):
            if os.path.exists(os.path.join(self.lxcpath, name)):
                run(["lxc-stop", "-P", self.lxcpath, "-n", name, "-k"], check=False, timeout=30)
        for rt, cid in self.oci_ids:
            argv = self.crun if rt == "crun" else self.runc
            run(argv + ["delete", "-f", cid], check=False, timeout=30)
        for p in STARTED:
            end_process(p)
        # containers an engine failed to kill: their processes sit in our cgroups; end them by PID
        for top in sorted(self.cgroup_tops()):
            if os.path.basename(top).startswith(RUN_ID) and "/pids/" in top:
                for d, _, files in os.walk(top):
                    if "cgroup.procs" in files:
                        for pid in open(os.path.join(d, "cgroup.procs")).read().split():
                            left_pid = int(pid)
                            try:
                                os.kill(left_pid, signal.SIGKILL)
                                left.append("process %d in %s had to be killed" % (left_pid, d))
                            except ProcessLookupError:
                                pass
        time.sleep(1)
        # cgroups: ours carry the run id (Berth's parents, LXC's dirs and pivot, crun's and runc's cgroupsPath)
        for top in sorted(self.cgroup_tops()):
            if os.path.basename(top).startswith(RUN_ID):
                for d in sorted((x[0] for x in os.walk(top)), key=len, reverse=True):
                    try:
                        os.rmdir(d)
                    except OSError as ex:
                        left.append("cgroup %s: %s" % (d, ex.strerror))
        for d in (WORK, RUN):
            if os.path.exists(d):
                for m in sorted(self.mounts_under(d), key=len, reverse=True):
                    subprocess.run(["umount", "-l", m], stderr=subprocess.DEVNULL)
                shutil.rmtree(d, ignore_errors=True)
                if os.path.exists(d):
                    left.append("directory %s" % d)
        new_tops = [t for t in self.cgroup_tops() - self.cgroup_before if RUN_ID in t]
        left += ["cgroup %s" % t for t in new_tops]
        left += ["%s (in the user's own Berth roots, appeared during the run)" % x
                 for x in sorted(self.user_roots() - self.user_roots_before)]
        return left

    @staticmethod
    def mounts_under(d):
        out = []
        with open("/proc/self/mounts") as f:
            for line in f:
                mp = line.split()[1]
                if mp == d or mp.startswith(d + "/"):
                    out.append(mp)
        return out


# ---- the report ---------------------------------------------------------------------------------------------

def table_with_ratios(res, base_key, ratio_title="× Berth engine"):
    lines = ["| | median | p90 | min | n | %s |" % ratio_title, "|---|---:|---:|---:|---:|---:|"]
    base = res[base_key]["median"] if res.get(base_key) else None
    for k, s in res.items():
        if not s:
            continue
        ratio = s["median"] / base if base else None
        lines.append("| %s | %s | %s | %s | %d | %s |" % (
            ("**%s**" % k) if k == base_key else k, fmt_ms(s["median"]), fmt_ms(s["p90"]), fmt_ms(s["min"]),
            s["n"], fmt_ratio(ratio)))
    return lines


def scale_report(sc):
    L = ["## 4b. Scale: one start and one stop with many running", "",
         "With N containers running (busybox init on the shared root file system, each engine its own N), one more "
         "container is started and then stopped (SIGKILL: `kill` / `lxc-stop -k`), round-robin Berth engine "
         "(warm JVM, `ContainerEngine.start`/`kill`) and LXC (`lxc-start -d` / `lxc-stop -k`, one process each). "
         "Define and destroy are not timed; the engine's JVM is warmed by %d starts and stops first. Each start "
         "follows %d ms without any start (longer than an RCU grace period: the first cgroup move after an idle "
         "moment waits for one, which a start right after the other subject's would skip). The goal: Berth's cost "
         "at 200 running within 20 %% of its cost at 0, "
         "and at most LXC's." % (SCALE_WARMUP, round(SCALE_IDLE_S * 1000)), "",
         "| running | Berth start | LXC start | × LXC | Berth stop | LXC stop | × LXC | n |",
         "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows = sc["by_running"]
    for n, d in rows.items():
        bs, ls = d["start"]["Berth engine"], d["start"]["LXC"]
        bk, lk = d["stop"]["Berth engine"], d["stop"]["LXC"]
        L.append("| %s | %s (p90 %s) | %s | %s | %s (p90 %s) | %s | %s | %d |" % (
            n, fmt_ms(bs["median"]), fmt_ms(bs["p90"]), fmt_ms(ls["median"]), fmt_ratio(bs["median"] / ls["median"]),
            fmt_ms(bk["median"]), fmt_ms(bk["p90"]), fmt_ms(lk["median"]), fmt_ratio(bk["median"] / lk["median"]),
            bs["n"]))
    keys = list(rows)
    if len(keys) > 1:
        first, last = rows[keys[0]], rows[keys[-1]]
        L += ["", "Growth from %s to %s running (median): Berth start %s, stop %s; LXC start %s, stop %s." % (
            keys[0], keys[-1],
            fmt_ratio(last["start"]["Berth engine"]["median"] / first["start"]["Berth engine"]["median"]),
            fmt_ratio(last["stop"]["Berth engine"]["median"] / first["stop"]["Berth engine"]["median"]),
            fmt_ratio(last["start"]["LXC"]["median"] / first["start"]["LXC"]["median"]),
            fmt_ratio(last["stop"]["LXC"]["median"] / first["stop"]["LXC"]["median"]))]
    own = sc.get("sampler")
    if own and own["rows"]:
        L += ["", "The sampler (`bench/sampler/run 50 200 500`, after the above): one sweep over N running containers "
              "(cgroup counters and the network namespace's counters), on one thread; the goal is under 1 % of a core "
              "at the 1 s interval with 200.", "",
              "| containers | CPU per sweep | CPU per container | CPU at a 1 s interval |", "|---:|---:|---:|---:|"]
        for row in own["rows"]:
            L.append("| %d | %s | %.1f µs | %.2f %% of a core |" % (row["n"], fmt_ms(row["cpu"]), row["cpu_us_per"],
                                                                  row["cpu_pct_1s"]))
    elif own:
        L += ["", "The sampler's benchmark did not produce its table (exit %s): %s" % (own["exit"], own["error"])]
    return L + [""]


def figures(results):
    """docs/benchmarks.json: one object per figure (section, subject, metric, median, p90, unit, n)."""
    out = []
    S = results["sections"]

    def add(section, subject, metric, summ, unit="ms"):
        if summ:
            out.append(dict(section=section, subject=subject, metric=metric, median=round(summ["median"], 3),
                            p90=round(summ["p90"], 3), unit=unit, n=summ["n"]))

    for name in ("cycle", "attach", "gui"):
        for subject, summ in (S.get(name) or {}).get("results", {}).items():
            add(name, subject, "wall time", summ)
    for subject, summ in (S.get("terminal") or {}).get("prompt", {}).items():
        add("terminal", subject, "open to prompt", summ)
    for n, d in (S.get("sampler") or {}).get("by_count", {}).items():
        for subject, summ in d["results"].items():
            add("sampler", "%s, %s running" % (subject, n), "wall per sweep", summ)
    sc = S.get("scale") or {}
    for n, d in sc.get("by_running", {}).items():
        for what in ("start", "stop"):
            for subject, summ in d[what].items():
                add("scale", "%s, %s running" % (subject, n), what + " one", summ)
    inc = S.get("incus") or {}
    for subject, summ in list(inc.get("list", {}).items()) + list(inc.get("cycle", {}).items()):
        add("incus", subject, "wall time", summ)
    for subject, phases in inc.get("phases", {}).items():
        for phase, summ in phases.items():
            add("incus", subject, phase, summ)
    for row in ((sc.get("sampler") or {}).get("rows") or []):
        out.append(dict(section="scale", subject="Berth sampler, %d running" % row["n"], metric="CPU per sweep",
                        median=row["cpu"], p90=None, unit="ms", n=1))
    return out


def write_report(bench, path, command, left, failures):
    r = bench.results
    S = r["sections"]
    L = ["# Benchmarks: Berth against LXC, crun and runc", "",
         "<!-- Generated by bench/run; do not edit. Run it again to refresh. -->", "",
         "Generated by `%s` on %s (%s run). Every table was measured **round-robin in this one run** (each round "
         "runs every subject once, A B C D, B C D A, …, each round beginning one later), so background load "
         "and the kernel's clean-up after a subject hit all alike: read the **ratios**, not the absolute times, "
         "when comparing machines." % (
             command, r["started"][:16].replace("T", " ") + " UTC", "quick" if bench.args.quick else "default"), "",
         "## Machine", "", "| | |", "|---|---|"]
    L += ["| %s | %s |" % kv for kv in r.get("machine", {}).items()]
    L += ["", "## Versions", "", "| | |", "|---|---|"]
    L += ["| %s | %s |" % kv for kv in r.get("versions", {}).items()]
    L += ["", "All four run the **same busybox root file system** (made once by LXC's busybox template) with its "
          "busybox `/sbin/init` as PID 1, a new network namespace with loopback only, as root.", ""]
    if "cycle" in S:
        c = S["cycle"]
        L += ["## 1. start → `echo ok` inside → stop", "",
              "One cycle: start the container, run `echo ok` in it (output checked), kill it, until its clean-up is "
              "done. The engine row is what the console pays: `LinuxEngines.open(config)` in a warm JVM "
              "(`bench/src/org/berth/bench/EngineBench.java`, the console's JVM flags, a listener as the console's "
              "views have, 10 cycles of warm-up), "
              "`start`/`exec`/`kill` futures joined one after the other. The other rows spawn one process per step "
              "(that is how they are used), the CLI row three JVMs. Berth's containers are unprivileged by default "
              "(a user namespace of their own, 65536 ids, the root file system idmapped): the engine and CLI rows "
              "are; ‡ is the same container made with `--privileged`. LXC's first row is privileged (its default "
              "as root), the unprivileged row maps its root to host uid %d with `lxc.idmap` and idmaps the same "
              "root file system (`lxc.rootfs.options = idmap=container`)." % LXC_IDS, ""]
        L += table_with_ratios(c["results"], "Berth engine, warm JVM (as the console drives it)")
        for label, key in (("the engine cycle", "phases"), ("the CLI cycle (one JVM each)", "cli_phases"),
                           ("the cycle through the agent", "agent_phases")):
            if key in c:
                L += ["", "Phases of %s (median / p90): " % label + ", ".join(
                    "%s %s / %s" % (k, fmt_ms(v["median"]), fmt_ms(v["p90"])) for k, v in c[key].items() if v) + "."]
        if "agent_phases" in c:
            L += ["", "The row through the agent: `AgentEngine.connect` (`org.berth.client`, what the console uses "
                  "when it runs as a normal user) in a warm JVM with the console's flags "
                  "(`bench/src-agent/…/AgentEngineBench.java`, the same commands as the engine row), talking to an "
                  "agent of this run's own (`berth-agent` on its own socket and roots); both warmed by %d cycles (an "
                  "agent serves for days). The exec is the agent's collected one (`POST …/exec`)." % AGENT_CYCLE_WARMUP]
        L += ["",
              "Every subject moves its container's first process into new cgroups. Unless cgroup2 is (or once was: "
              "newer kernels keep it until a reboot) mounted with `favordynmods`, the kernel then waits for an "
              "RCU grace period whenever no process moved for a while; a move within a grace period of the last "
              "one is nearly free. On this host a move after 100 ms idle took %s (see *Machine*)%s." % (
                  r["machine"].get("moving a process into a cgroup, after 100 ms idle", "?"),
                  ": every row that moves a process by its pid pays about that once per cycle, which brings the ratios "
                  "closer than the runtimes' own work is. Berth moves none so: its helper clones init and each "
                  "exec's process into the cgroup2 group (`CLONE_INTO_CGROUP`), and they move themselves into the "
                  "v1 groups (`0` into `tasks`), and neither waits" if r.get("migration_ms", 0) > 1 else
                  ", so the ratios show the runtimes' own work"), "",
              "† Not the same set-up as the others (no network namespace; the first row's namespace has loopback "
              "only, which the helper brings up itself, with no extra process). It runs right after the first row, "
              "so it often moves its process within that row's grace period: part of the difference between the "
              "two is that wait, not the network namespace.", "",
              "\\* crun 1.8.1 refuses this hybrid cgroup host (\"cgroups in hybrid mode not supported\"); it runs "
              "through `bench/crun-v1.sh`, which hides the cgroup2 mount in a private mount namespace (one extra "
              "`unshare` per step). The host is not changed.", ""]
    if "attach" in S:
        a = S["attach"]
        L += ["## 2. exec / attach to the first output", "",
              "Time from spawning the command to its first output (`ok`, or the shell prompt `# ` on a terminal) in a "
              "running container. Terminal rows run on a fresh PTY with a controlling terminal, then send `exit`.",
              ""]
        L += table_with_ratios(a["results"], "berth exec c1 -- echo ok", "× berth exec")
        L += [""]
    if "cli" in S:
        c = S["cli"]
        L += ["## 3. CLI latency", "",
              "hyperfine (`-N`, 2 warm-up runs) with 10 running containers each. " + (
                  "Berth's CLI runs on its own roots through `JAVA_TOOL_OPTIONS=-Dberth.configRoot=… "
                  "-Dberth.runRoot=… -Dberth.cgroupParent=…`." if bench.script_roots else
                  "Berth's CLI runs through `CliOnRoots` (see the notes at the end): its time **without** the "
                  "script's Java finder; add the finder's time from the table below for the shipped script.") +
              " The rows via the agent talk to an agent of the run's own (its own socket, on the same roots), warmed "
              "first by %d runs of each of the two commands, as an agent that has served a while." % AGENT_WARMUP, ""]
        L += table_with_ratios(c["results"], "berth list (10 running)", "× berth list")
        L += ["", "### What a `berth` command's time goes to", "",
              "Round-robin over the variants (each round runs every one once); \"java directly\" runs the script's "
              "class path and flags (`-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djdk.reflect.useNativeAccessorOnly=true`, "
              "`-Djava.locale.providers=SPI`,"
              " the JDK's own `-Xshare:auto`) without the script and without the class cache the script makes.", ""]
        base = "berth list (the script, as shipped)"
        if base not in c["breakdown"]:
            base = "berth list, java directly (no finder)"
        L += table_with_ratios(c["breakdown"], base, "× berth list as shipped" if "as shipped" in base
                               else "× java directly")
        L += ["", "Classes loaded by `berth list` (`-Xlog:class+load`), and when (JVM uptime):", "",
              "| | classes | from the CDS archive | JDK | Berth | picocli | JNA | Gson | Main loaded | LinuxEngine loaded | first JNA class | last class | wall |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for k, v in c["loads"].items():
            n, m = v["counts"], v["marks"]
            L.append("| %s | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s | %s |" % (
                k, n["total"], n["shared"], n["jdk"], n["berth"], n["picocli"], n["jna"], n["gson"],
                fmt_ms(m.get("main")), fmt_ms(m.get("engine")), fmt_ms(m.get("jna")), fmt_ms(m.get("last class")),
                fmt_ms(v["wall"])))
        L += [""] + cli_reading(c) + [""]
    if "sampler" in S:
        s = S["sampler"]
        L += ["## 4. Reading usage of N running containers", ""]
        L += ["Interleaved with `lxc-info -S`, the product's engine `usage()` for every container, one after the other "
              "on one thread, in the warm JVM (each reads the cgroup counters and `/proc/PID/net/dev`); the sampler's "
              "own figures follow below. CPU is the time all Java threads "
              "spent (ThreadMXBean) for Berth, the children's user+system time (getrusage) for `lxc-info`. All "
              "containers run busybox init on the shared root file system.", ""]
        for n, d in s["by_count"].items():
            L += ["### %s running containers" % n, "",
                  "Starting the %d %s, one after the other: Berth engine %s, LXC (`lxc-start -d` each) %s." % (
                      d["start"]["count"], "more" if d["start"]["count"] != int(n) else "containers",
                      fmt_ms(d["start"]["berth"]), fmt_ms(d["start"]["lxc"])), ""]
            L += ["| one sweep over all | wall median | wall p90 | CPU median | CPU per container | n | × Berth (wall) |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
            keys = list(d["results"])
            base = d["results"][keys[0]]["median"]
            for k in keys:
                w, cpu = d["results"][k], d["cpu"][k]
                L.append("| %s | %s | %s | %s | %s | %d | %s |" % (k, fmt_ms(w["median"]), fmt_ms(w["p90"]),
                                                                   fmt_ms(cpu["median"]),
                                                                   fmt_ms(cpu["median"] / int(n)), w["n"],
                                                                   fmt_ratio(w["median"] / base)))
            L += [""]
        L += ["Stopping all 200: Berth (kill + destroy, one after the other) %s, LXC (`lxc-stop -k` each) %s." % (
            fmt_ms(s["stop"]["berth"]), fmt_ms(s["stop"]["lxc"])), ""]
        own = s.get("own_sampler")
        if own is None:
            L += ["`bench/sampler/run` (the sampler's own benchmark) is not there, so the sampler proper is not "
                  "measured.", ""]
        else:
            L += ["### The sampler itself (`bench/sampler/run 50 200`)", "",
                  "Its own benchmark, run after the above (not interleaved): it compiles the *working tree's* "
                  "`org.berth.core`/`org.berth.core.linux` with javac, starts N busybox application containers "
                  "(`sleep`, each in its own network namespace) and times `Sampler.sweep()` on one thread (50 sweeps "
                  "after 5 of warm-up). Compare its CPU per container with `lxc-info -S`'s above.", ""]
            if own["rows"]:
                L += ["| containers | CPU per sweep | wall per sweep | CPU per container | CPU at a 1 s interval |",
                      "|---:|---:|---:|---:|---:|"]
                for row in own["rows"]:
                    L.append("| %d | %s | %s | %.1f µs | %.2f %% of a core |" % (
                        row["n"], fmt_ms(row["cpu"]), fmt_ms(row["wall"]), row["cpu_us_per"], row["cpu_pct_1s"]))
            else:
                L += ["It did not produce its table (exit %s): %s" % (own["exit"], own["error"] or "no output")]
            L += [""]
    if "scale" in S:
        L += scale_report(S["scale"])
    if "gui" in S:
        g = S["gui"]
        L += ["## 5. Console start-up to its first window", "",
              "`berth-console` under Xvfb (%s), a fresh workspace each run, until `xwininfo -root -tree` lists a "
              "window titled \"%s\" whose map state is IsViewable (polled every 20 ms); then the console is ended by "
              "its PID. The first run warms the page cache and is not counted; as it ends, the JVM writes the "
              "console's class-data sharing archive (as on a user's first start; %s). Then round-robin: the console "
              "as shipped, using that archive, and the same console with the archive hidden. No peer has a GUI to "
              "compare." % (g["display"], WINDOW_TITLE,
                            "%.0f MB, in the run's own cache folder" % (g["archive_bytes"] / 1e6)
                            if g.get("archive_bytes") else "none was written"), ""]
        main_row = next((k for k in g["results"] if "with its class archive" in k), None) or next(iter(g["results"]))
        L += table_with_ratios(g["results"], main_row, "")
        if g.get("first_ms"):
            L += ["", "The uncounted first start (page cache cold for the console's files, no archive yet): %s." %
                  fmt_ms(g["first_ms"])]
        L += [""]
    if "terminal" in S:
        t = S["terminal"]
        L += ["## 2b. Terminals: open to the prompt, 10 MiB through `cat`", "",
              "`ContainerEngine.openTerminal` in a warm JVM (`bench/src-terminal/…/TerminalBench.java`), as the "
              "console's Terminals view opens a shell (120×40, all namespaces, the container's root), against "
              "`lxc-attach` on a fresh PTY. `cat` reads a 10 MiB text file inside the container until the terminal "
              "ends (the terminal turns each LF into CR LF, so a little more arrives).", ""]
        L += table_with_ratios(t["prompt"], "Berth engine openTerminal (shell), warm JVM")
        L += [""]
        L += table_with_ratios(t["cat"], "Berth engine openTerminal: cat 10 MiB, warm JVM")
        L += ["", "Throughput (medians): " + ", ".join("%s %.0f MiB/s" % (k.split(":")[0], 10 / (v["median"] / 1000))
                                                     for k, v in t["cat"].items()) + ".", ""]
    if "incus" in S:
        L += incus_report(S["incus"])
    L += ["## Notes, and what is not measured", ""]
    notes = list(r["notes"])
    if "terminal" not in S and "terminal" in bench.sections and not bench.has_terminal_api():
        notes.append("Terminal open-to-prompt and 10 MiB `cat` throughput: the product under test has no terminal "
                     "session API (`org.berth.core.TerminalSession` is not in its `org.berth.core` jar), so "
                     "`TerminalBench` was not compiled; section 2's terminal rows (`berth exec -- /bin/sh -i` against "
                     "`lxc-attach`) are the nearest figure. The harness measures them once the product has it.")
    for sec in SECTIONS:
        if sec not in S and sec not in bench.sections:
            notes.append("Section \"%s\" was not selected in this run." % sec)
    for f in failures:
        notes.append("Failed: %s" % f)
    for k, errs in r.get("failed_attempts", {}).items():
        notes.append("%d attempt(s) of \"%s\" failed and are not in its samples; the first: %s" % (
            len(errs), k, errs[0]))
    L += ["- " + n for n in notes]
    L += ["", "## Clean-up", "",
          "Everything the run made (LXC containers in a private lxcpath, crun/runc state in private roots, Berth "
          "containers on their own config/run roots and cgroup parent, cgroups named `%s*`, the console, Xvfb%s) was "
          "removed or ended by PID. " % (RUN_ID, ", the incus section's incusd with its instances and images" if
                                         bench.incus_dir else "") + (
              "Left behind: nothing." if not left else "Left behind: " + "; ".join(left) + "."), ""]
    with open(path, "w") as f:
        f.write("\n".join(L))


def incus_report(inc):
    """Section 6: each Berth row against the incus row of the same transport (× incus = Berth / incus)."""
    L = ["## 6. Incus: Berth's Incus engine against the `incus` command", "",
         "A throwaway incusd of this run (`releng/incus-host`: a `dir` storage pool, no managed network, a busybox "
         "image built from `/bin/busybox`, HTTPS on 127.0.0.1) with %d busybox instances, **all running**. Berth talks "
         "to it as a remote (`berth remote add inc unix://…/unix.socket`; over HTTPS `berth remote add inc2 "
         "https://127.0.0.1:PORT --token … --accept-certificate`), the `incus` command through its local socket and "
         "a remote added with a token of its own; both keep their configuration in folders of this run "
         "(`XDG_CONFIG_HOME`, `XDG_CACHE_HOME`, `INCUS_CONF`). Listing: round-robin over the five commands (each "
         "round runs every one once, 2 rounds of warm-up, each command's class cache made beforehand); `berth "
         "version` is the same script and JVM without a connection." % inc["instances"], "",
         "| | median | p90 | min | n | × incus |", "|---|---:|---:|---:|---:|---:|"]

    def transport(k):
        return "HTTPS" if "HTTPS" in k else ("unix socket" if "unix socket" in k else None)

    def rows(res):
        for k, s in res.items():
            t = transport(k)
            peer = next((x for x in res if x.startswith("incus") and t and transport(x) == t), None)
            L.append("| %s | %s | %s | %s | %d | %s |" % (
                k, fmt_ms(s["median"]), fmt_ms(s["p90"]), fmt_ms(s["min"]), s["n"],
                fmt_ratio(s["median"] / res[peer]["median"]) if peer else ""))

    rows(inc["list"])
    L += ["", "One cycle: start the stopped instance `cyc` (the %d others run), run `echo ok` in it (output checked), "
          "stop it by force (`berth kill` asks Incus for a forced stop, as `incus stop --force` does): three "
          "processes each side, round-robin." % inc["instances"], "",
          "| | median | p90 | min | n | × incus |", "|---|---:|---:|---:|---:|---:|"]
    rows(inc["cycle"])
    L += ["", "Phases (median / p90):", ""]
    for k, ph in inc["phases"].items():
        L.append("- %s: " % k.split(" (")[0] + ", ".join("%s %s / %s" % (p, fmt_ms(v["median"]), fmt_ms(v["p90"]))
                                                       for p, v in ph.items() if v) + ".")
    if inc.get("failures") or inc.get("warmup_failures"):
        L += ["", "Failed runs, not in the samples (the first message of each subject is in the notes): %d in the "
              "timed rounds, %d in the warm-up." % (inc.get("failures", 0), inc.get("warmup_failures", 0))]
    return L + [""]


def cli_reading(c):
    """Sentences about what dominates a CLI command, from the breakdown."""
    b = c["breakdown"]

    def med(prefix):
        for k, v in b.items():
            if k.startswith(prefix):
                return v["median"]
        return None
    finder = med("java-finder.sh alone (JAVA_HOME unset)")
    finder_home = med("java-finder.sh alone (JAVA_HOME set)")
    floor = med("JVM floor")
    version = med("berth version")
    direct = med("berth list, java directly (no finder)")
    cds = med("berth list, java directly + AppCDS")
    aot = med("berth list, java directly + AOT")
    tiered = med("berth list, java directly, default tiered")
    shipped = med("berth list (the script, as shipped)")
    out = ["Reading (medians of this run):", ""]
    estimated = shipped is None and None not in (finder, direct)
    if estimated:
        shipped = finder + direct
    if None not in (finder, floor, version, direct, shipped):
        out.append("- `berth list` as shipped (the script, with the class cache it makes on a command's first run: "
                   "an AOT cache on Java 25+, else an AppCDS archive)%s: %s. The parts, measured without a cache: "
                   "the script's Java finder takes %s (it reads the `release` "
                   "file of `java` on PATH and of every JDK under /usr/lib/jvm; %s when JAVA_HOME points at a 21+ "
                   "JDK); the JVM itself with an empty main "
                   "%s; picocli and the command classes %s more (`berth version`); opening the engine and listing "
                   "%s more." % (" (estimated: the finder plus java directly)" if estimated else "", fmt_ms(shipped),
                                 fmt_ms(finder), fmt_ms(finder_home), fmt_ms(floor), fmt_ms(version - floor),
                                 fmt_ms(direct - version)))
    if cds is not None and direct is not None:
        out.append("- An AppCDS archive of the CLI's classes (`-XX:SharedArchiveFile`, made once with "
                   "`-XX:ArchiveClassesAtExit` or `-XX:+AutoCreateSharedArchive`) takes `berth list` from %s to %s "
                   "(java directly)%s." % (fmt_ms(direct), fmt_ms(cds), (
                       "; the JDK 25 AOT cache (`-XX:AOTCache`) to %s" % fmt_ms(aot)) if aot else ""))
    if tiered is not None and direct is not None:
        out.append("- `-XX:TieredStopAtLevel=1` (already in the script): without it `berth list` takes %s instead "
                   "of %s." % (fmt_ms(tiered), fmt_ms(direct)))
    res = c.get("results", {})

    def row(label):
        v = res.get(label)
        return v.get("median") if isinstance(v, dict) else None
    vlist, vexec = row("berth list via the agent (10 running)"), row("berth exec c1 -- true via the agent")
    lls, latt = row("lxc-ls -f (10 running)"), row("lxc-attach -n l001 -- true")
    if None not in (vlist, vexec, lls, latt, floor):
        out.append("- Through the agent (as a user other than root), `berth list` and a plain `berth exec` take the "
                   "quick path (`QuickPath`: one request on a blocking client, no picocli, no Jetty; README, "
                   "Libraries): %s, %.1f× `lxc-ls -f`, and %s, %.1f× `lxc-attach`. What remains is mostly the JVM: "
                   "%s of it with an empty main, then the JDK's set-up of a Unix socket (its random source for "
                   "socket names starts the security providers; the quick path keeps the JDK from opening the jars "
                   "of the class path: README, the command line), Gson, and the agent's answer "
                   "(for exec: the WebSocket's upgrade, the helper's start, the command). What the class "
                   "caches give is in the bullet above (the script makes an AOT cache on a command's first "
                   "run)." % (
                       fmt_ms(vlist), vlist / lls, fmt_ms(vexec), vexec / latt, fmt_ms(floor)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--berth-home", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--classes", required=True)
    ap.add_argument("--sections", default=",".join(SECTIONS))
    ap.add_argument("--out", default=os.path.join(REPO, "docs", "BENCHMARKS.md"))
    ap.add_argument("--command", default="bench/run")
    args = ap.parse_args()
    args.sections = [s for s in args.sections.split(",") if s]
    for s in args.sections:
        if s not in SECTIONS:
            ap.error("unknown section %s; the sections are %s" % (s, ", ".join(SECTIONS)))
    signal.signal(signal.SIGTERM, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    bench = Bench(args)
    failures = []
    left = []
    t0 = time.monotonic()
    try:
        bench.setup()
        for s in args.sections:
            try:
                getattr(bench, "section_" + s)()
            except (BenchError, subprocess.TimeoutExpired, OSError) as e:
                log("section %s failed: %s" % (s, e))
                failures.append("section %s: %s" % (s, e))
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
        failures.append("interrupted")
    finally:
        left = bench.cleanup()
    bench.results["seconds"] = time.monotonic() - t0
    bench.results["left_behind"] = left
    os.makedirs(os.path.join(HERE, "out"), exist_ok=True)
    with open(os.path.join(HERE, "out", "results.json"), "w") as f:
        json.dump(bench.results, f, indent=1, default=str)
    if "machine" in bench.results:
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        write_report(bench, args.out, args.command, left, failures)
        with open(os.path.join(os.path.dirname(args.out), "benchmarks.json"), "w") as f:
            json.dump(dict(generated=bench.results["started"], command=args.command, figures=figures(bench.results)),
                      f, indent=1)
        log("wrote %s (%.0f s)" % (args.out, bench.results["seconds"]))
    for l in left:
        log("left behind: " + l)
    return 1 if failures or left else 0


if __name__ == "__main__":
    sys.exit(main())
