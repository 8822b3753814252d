package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;

import org.berth.core.linux.LocalEngine;
import org.junit.jupiter.api.Test;

/**
 * The help of the commands whose options are shared ({@link TimeoutOption}, and those of create and set), word for
 * word: where a shared option is worded for one command only, the other must not change.
 */
class HelpTextTest {

	private static String help(String command) {
		Supplier<LocalEngine> none = () -> {
			throw new AssertionError("help needs no engine");
		};
		Cli.Result r = new Cli(none).run(command, "--help");
		assertEquals(0, r.code(), r::toString);
		assertEquals("", r.err());
		return r.out();
	}

	@Test
	void create() {
		assertEquals("""
				Usage: berth create [-h] [--autostart] [--privileged] [--start]
				                    [--address=CIDR] [--boot-delay=SEC] [--boot-order=N]
				                    [--boottime-offset=SECONDS] [--bridge=NAME]
				                    [--cpu-weight=N] [--cpus=N] [--cpuset=LIST]
				                    [--description=TEXT] [--from=NAME/SNAP] [--halt-signal=SIG]
				                    [--image=ALIAS] [--init="CMD ARGS"]
				                    [--kind=system|application] [--memory=SIZE]
				                    [--memory-swap=SIZE] [--monotonic-offset=SECONDS]
				                    [--net=none|host|veth] [--pids=N] [--remote=REMOTE]
				                    [--rootfs=DIR] [--seccomp=default|unconfined|FILE]
				                    [--template=T] [--cap-drop=CAP]... [--cap-keep=CAP]...
				                    [--gidmap="IN OUT COUNT"]... [--ns=TYPE=new|host|share:
				                    OTHER]... [--tag=TAG]... [--uidmap="IN OUT COUNT"]... NAME
				                    [INIT...]
				Define a new container (and start it with --start).
				      NAME                 The container's name, also its hostname.
				      [INIT...]            After --: the init command (system) or the program
				                             (application) with its arguments.
				  -h, --help               Show this help and exit.
				      --remote=REMOTE      Run it on that host (berth remote list); REMOTE:NAME
				                             says the same.
				      --kind=system|application
				                           A whole system (default) or one program.
				      --template=T         Make the root file system from this template
				                             (default busybox).
				      --rootfs=DIR         Use this directory as the root file system.
				      --privileged         Keep the host's user namespace: root inside is root
				                             on the host (without the dropped capabilities). By
				                             default a container gets a user namespace of its
				                             own and a block of 65536 host ids, so its root is
				                             nobody on the host.
				      --ns=TYPE=new|host|share:OTHER
				                           The choice for one namespace (mnt, uts, ipc, pid,
				                             net, user, cgroup, time); repeatable.
				      --uidmap="IN OUT COUNT"
				                           A uid map of a new user namespace, e.g. "0 100000
				                             65536" or 0:100000:65536; repeatable.
				      --gidmap="IN OUT COUNT"
				                           A gid map of a new user namespace; repeatable.
				      --monotonic-offset=SECONDS
				                           Offset of CLOCK_MONOTONIC in a new time namespace.
				      --boottime-offset=SECONDS
				                           Offset of CLOCK_BOOTTIME in a new time namespace.
				      --memory=SIZE        Memory limit, e.g. 256M or 1G.
				      --memory-swap=SIZE   Memory and swap together, at least --memory.
				      --cpus=N             CPU quota in CPUs, e.g. 0.5; a whole number N also
				                             pins it to N CPUs.
				      --cpu-weight=N       Relative CPU weight, 1 to 10000 (100 is the default).
				      --cpuset=LIST        The CPUs it may run on, e.g. 0-1,3.
				      --pids=N             The most processes and threads.
				      --net, --network=none|host|veth
				                           No network (default), the host's, or a veth on a
				                             bridge.
				      --bridge=NAME        The bridge of a veth network.
				      --address=CIDR       The address of a veth network, e.g. 10.88.0.5/24
				                             (default: one from the engine's range).
				      --cap-drop, --drop-cap=CAP
				                           Drop a capability besides the default ones;
				                             repeatable.
				      --cap-keep=CAP       Keep one of the capabilities dropped by default
				                             (CAP_MAC_ADMIN, CAP_MAC_OVERRIDE, CAP_SYS_MODULE,
				                             CAP_SYS_RAWIO, CAP_SYS_TIME); repeatable.
				      --halt-signal=SIG    The signal that asks init to shut down (default
				                             SIGUSR2, busybox; systemd: SIGRTMIN+3).
				      --seccomp=default|unconfined|FILE
				                           The system call filter: default (deny kexec,
				                             modules, open_by_handle_at, the clock, keyrings,
				                             bpf, ...), unconfined (none), or a profile file
				                             (one system call per line, '#' comments, optional
				                             'errno N').
				      --autostart          Start it when the engine starts.
				      --boot-order=N       With --autostart: lower starts first (default 0),
				                             after the containers whose namespaces it shares.
				      --boot-delay=SEC     With --autostart: wait this long after starting it
				                             before starting the next (0..3600).
				      --init="CMD ARGS"    The init command as one string, split as a shell
				                             would (instead of -- CMD ARGS).
				      --start              Start it once it is created.
				      --description=TEXT   What it is for, in a line.
				      --tag=TAG            A word to find it by (berth list --tag); repeatable.
				      --image=ALIAS        Make the root file system a copy of this image
				                             (berth image list); the container behaves as one
				                             of the image's base template.
				      --from=NAME/SNAP     Make it from a snapshot: its root file system and
				                             spec (change the spec afterwards with berth set).

				Examples:
				  berth create c1 --memory 256M --cpus 0.5 --network veth --start
				  berth create app1 --kind application --ns net=share:c1 -- /bin/httpd -f -p
				8080
				  berth create c2 --uidmap "0 1048576 65536" --gidmap "0 1048576 65536"
				  berth create legacy --privileged
				""", help("create"));
	}

	@Test
	void set() {
		assertEquals("""
				Usage: berth set [-h] [--address=CIDR] [--autostart=yes|no] [--boot-delay=SEC]
				                 [--boot-order=N] [--bridge=NAME] [--cpu-weight=N|none]
				                 [--cpus=N|none] [--cpuset=LIST|none] [--description=TEXT]
				                 [--memory=SIZE|none] [--memory-swap=SIZE|none]
				                 [--net=none|host|veth] [--pids=N|none] [--remote=REMOTE]
				                 [--gidmap="IN OUT COUNT"]... [--ns=TYPE=new|host|share:
				                 OTHER]... [--tag=TAG]... [--uidmap="IN OUT COUNT"]...
				                 [--untag=TAG]... NAME
				Change the limits of a container (at once when it runs, else from its next
				start), its namespaces or its network (from its next start). Only what is given
				changes; "none" lifts a limit.
				      NAME                  The container.
				  -h, --help                Show this help and exit.
				      --remote=REMOTE       Run it on that host (berth remote list); REMOTE:
				                              NAME says the same.
				      --memory=SIZE|none    Memory limit, e.g. 512M.
				      --memory-swap=SIZE|none
				                            Memory and swap together.
				      --cpus=N|none         CPU quota in CPUs, e.g. 0.5; a whole number N also
				                              pins it to N CPUs.
				      --cpu-weight=N|none   Relative CPU weight, 1 to 10000.
				      --cpuset=LIST|none    The CPUs it may run on, e.g. 0-1,3.
				      --pids=N|none         The most processes and threads.
				      --ns=TYPE=new|host|share:OTHER
				                            The choice for one namespace (mnt, uts, ipc, pid,
				                              net, user, cgroup, time); repeatable.
				      --uidmap="IN OUT COUNT"
				                            The uid map of a new user namespace (all of it);
				                              repeatable.
				      --gidmap="IN OUT COUNT"
				                            The gid map of a new user namespace (all of it);
				                              repeatable.
				      --net, --network=none|host|veth
				                            No network, the host's, or a veth on a bridge.
				      --bridge=NAME         The bridge of a veth network.
				      --address=CIDR        The address of a veth network, e.g. 10.88.0.5/24.
				      --description=TEXT    What it is for, in a line ("" for none).
				      --autostart=yes|no    Start it when the engine (the agent) starts, or not.
				      --boot-order=N        Among those started at boot, lower first (default
				                              0).
				      --boot-delay=SEC      After starting it at boot, wait this long before
				                              the next (0..3600).
				      --tag=TAG             Add a tag; repeatable.
				      --untag=TAG           Remove a tag; repeatable.

				Examples:
				  berth set c1 --memory 512M --cpus none
				  berth set c1 --ns net=new --network veth --address 10.88.0.7/24
				""", help("set"));
	}

	@Test
	void snapshot() {
		assertEquals("""
				Usage: berth snapshot [-h] [--remote=REMOTE] [COMMAND]
				Take, list, restore and delete snapshots of a container's root file system and
				spec.
				  -h, --help            Show this help and exit.
				      --remote=REMOTE   Run it on that host (berth remote list); REMOTE:NAME
				                          says the same.
				Commands:
				  create    Save the container's root file system and spec; a running container
				              is frozen while its files are copied.
				  list      List the container's snapshots, oldest first: name, time, size,
				              kind.
				  restore   Put a stopped container's root file system and spec back as they
				              were in the snapshot.
				  delete    Remove a snapshot.
				  schedule  Show or set when snapshots are taken by themselves (by the agent,
				              every minute it looks): one every PERIOD, named auto-TIME, the
				              newest N kept; snapshots you named are never deleted.

				Examples:
				  berth snapshot create c1 before-upgrade
				  berth snapshot list c1
				  berth snapshot restore c1 before-upgrade
				  berth create c2 --from c1/before-upgrade
				""", help("snapshot"));
	}

	@Test
	void diff() {
		assertEquals("""
				Usage: berth diff [-h] [--json] [--remote=REMOTE] A B
				Show what differs between two containers or snapshots: the spec, and the files
				added (+), removed (-) and changed (~: type, size, mode, owner, xattrs,
				content, link target, device).
				      A                 A container (NAME) or a snapshot (NAME/SNAP).
				      B                 The other side, compared with A.
				  -h, --help            Show this help and exit.
				      --json            Write JSON: an object with a, b, spec (field, a, b) and
				                          files (path, change: added, removed or changed, type,
				                          details: field, a, b).
				      --remote=REMOTE   Run it on that host (berth remote list); REMOTE:NAME
				                          says the same.

				Examples:
				  berth diff c1 c1/snap0
				  berth diff c1 c2 --json
				""", help("diff"));
	}

	@Test
	void filePush() {
		assertEquals("""
				Usage: berth file push [-hr] [--remote=REMOTE] LOCAL NAME:/path
				Copy a local file (a folder with -r) into the container; into a folder when the
				target is one. Modes are kept, owners become the same ids inside the container.
				      LOCAL             The file or folder on this host.
				      NAME:/path        The container and the path inside it.
				  -h, --help            Show this help and exit.
				  -r, --recursive       Copy a folder with what is in it.
				      --remote=REMOTE   Run it on that host (berth remote list); REMOTE:NAME
				                          says the same.
				""", new Cli(() -> {
			throw new AssertionError("help needs no engine");
		}).run("file", "push", "--help").out());
	}

	@Test
	void stop() {
		assertEquals("""
				Usage: berth stop [-h] [--stateful] [--remote=REMOTE] [-t=S] NAME...
				Stop the containers: send the halt signal to init, wait, then kill.
				      NAME...           The containers.
				  -h, --help            Show this help and exit.
				      --remote=REMOTE   Run it on that host (berth remote list); REMOTE:NAME
				                          says the same.
				      --stateful        Save the processes with CRIU instead (berth
				                          checkpoint); the next berth start resumes them.
				  -t, --timeout=S       Seconds to wait for init to end before killing (default
				                          10).
				""", help("stop"));
	}

	@Test
	void restart() {
		assertEquals("""
				Usage: berth restart [-h] [--remote=REMOTE] [-t=S] NAME...
				Stop the containers and start them again in the order given; one whose
				namespace another joins goes first.
				      NAME...           The containers.
				  -h, --help            Show this help and exit.
				      --remote=REMOTE   Run it on that host (berth remote list); REMOTE:NAME
				                          says the same.
				  -t, --timeout=S       Seconds to wait for init to end before killing (default
				                          10).
				""", help("restart"));
	}
}
