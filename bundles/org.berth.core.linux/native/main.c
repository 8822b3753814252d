/*
 * berth-helper: the single-threaded native half of Berth's local engine.
 *
 *   berth-helper start [options] -- INIT [ARGS...]      create a container, then stay as its monitor
 *   berth-helper restore [options] -- CRIU [ARGS...]    restore a checkpoint with CRIU, then stay as its monitor
 *   berth-helper exec --pid PID [options] -- CMD [ARGS] run a command inside a running container
 *   berth-helper init [-- CMD [ARGS...]]               minimal reaping init, as PID 1 of a container
 *   berth-helper version
 *
 * A JVM is multi-threaded: setns()/unshare() of mount and user namespaces fail there, and fork()
 * into Java code is unsafe.  Everything that has to happen in one thread lives here.  The command
 * line, the stdout lines and the exit codes are specified in PROTOCOL.md next to this file.
 *
 * Errors: every failed system call becomes one sentence "<operation> <target>: <strerror>" built by
 * failure_errno().  Where the sentence goes depends on the phase (see report()): an "ERROR" line on
 * stdout for start, a message over the sync socket from the container child, "berth-helper: ..." on
 * stderr for exec.  Most code reports at once (fail(), fail_sys()); the parsers and validators of
 * args.c return the sentence in a struct failure and their caller reports it (fail_with()), so that
 * tests/ can check them.
 *
 * Build: make OUT=DIR compiles the .c files of this directory into DIR/berth-helper with
 * gcc -O2 -Wall -Wextra -static (see Makefile); make unit builds and runs tests/ (no root needed).
 *
 * The code is split by concern: common.c (error routing, I/O helpers, namespaces, capabilities), args.c
 * (parsing and validation of the command lines, unit-tested in tests/ without root), start.c (creating the
 * container), restore.c (bringing a checkpointed one back with CRIU), rootfs.c (its file system view), monitor.c (the monitor after READY: console, exec service,
 * end of the container), exec.c and init.c (the other sub-commands), and this file, which dispatches.
 */
#include "common.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ================================================================ main ============ */

static void usage(void)
{
    dprintf(STDERR_FILENO, "usage: berth-helper start [options] -- INIT [ARGS...]\n"
                           "       berth-helper restore [options] --tty-key RDEV:DEV -- CRIU [ARGS...]\n"
                           "       berth-helper exec --pid PID [options] -- CMD [ARGS...]\n"
                           "       berth-helper init [-- CMD [ARGS...]]   (as PID 1 of a container)\n"
                           "       berth-helper probe-idmap PATH\n"
                           "       berth-helper shift-ids PATH FROM TO COUNT\n"
                           "       berth-helper version\n"
                           "see PROTOCOL.md\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    if (!strcmp(argv[1], "start"))
        return cmd_start(argc - 2, argv + 2);
    if (!strcmp(argv[1], "restore"))
        return cmd_restore(argc - 2, argv + 2);
    if (!strcmp(argv[1], "exec"))
        return cmd_exec(argc - 2, argv + 2);
    if (!strcmp(argv[1], "init"))
        return cmd_init(argc - 2, argv + 2);
    if (!strcmp(argv[1], "probe-idmap"))
        return cmd_probe_idmap(argc - 2, argv + 2);
    if (!strcmp(argv[1], "shift-ids"))
        return cmd_shift_ids(argc - 2, argv + 2);
    if (!strcmp(argv[1], "version")) {
        out_line("berth-helper %s", HELPER_VERSION);
        return 0;
    }
    dprintf(STDERR_FILENO, "berth-helper: unknown command '%s'\n", argv[1]);
    usage();
    return 2;
}
