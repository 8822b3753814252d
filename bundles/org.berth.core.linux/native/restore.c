/*
 * restore.c: `berth-helper restore`. Brings a checkpointed container back with CRIU and stays as its monitor,
 * as `start` does for a fresh one: the same state directory, console PTY and log, cgroups and monitor (monitor.c).
 *
 * The helper opens what the container's monitor keeps (a new console PTY, whose slave CRIU gives the restored
 * processes in place of the one they had), then starts the CRIU process in the container's cgroups (cloned into the
 * cgroup2 group, and moving itself into the v1 ones, as an exec's process does), so that every restored process is
 * born in them, and, with --idmap-rootfs, in a private mount namespace in which the root file system is seen through
 * an idmapped mount of a user namespace with the container's maps (what `start` gives the container's init). CRIU runs with --restore-detached: when it exits, the restored init is reparented
 * to the helper, a child subreaper, which then monitors it like an init it cloned itself.
 */
#include "start.h"
#include "devices.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define RESTORE_PIDFILE "restore.pid"
#define RESTORE_ROOT "restore-root"
#define MAX_CRIU_ARGS 256

static int valid_tty_key(const char *k)
{
    const char *colon = k ? strchr(k, ':') : NULL;
    if (!colon || colon == k || !colon[1] || strlen(k) > 40)
        return 0;
    for (const char *p = k; *p; p++)
        if (p != colon && !strchr("0123456789abcdef", *p))
            return 0;
    return 1;
}

static int validate_restore(struct start_opts *o, struct failure *f)
{
    if (validate_start(o, f) < 0)
        return -1;
    if (!valid_tty_key(o->tty_key))
        return failure_set(f, "--tty-key must be CRIU's key of the console, RDEV:DEV in lower-case hex, got '%s'",
                           o->tty_key ? o->tty_key : "");
    if (o->init_argv[0][0] != '/')
        return failure_set(f, "the criu command after -- must be an absolute path, got '%s'", o->init_argv[0]);
    if (o->ns_join)
        return failure_set(f, "--join is not allowed for restore: a checkpoint holds namespaces of its own");
    return 0;
}

/*
 * A detached clone of the rootfs mount, idmapped with a user namespace that has the container's maps: a child
 * unshares one and waits while the helper writes its maps and marks the clone with it.
 */
static int idmapped_rootfs_tree(const struct start_opts *o)
{
    int ready[2], done[2];
    if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0)
        fail_sys("pipe", "idmap");
    pid_t holder = fork();
    if (holder < 0)
        fail_sys("fork", "user namespace holder");
    if (holder == 0) {
        close(ready[0]);
        close(done[1]);
        char c = unshare(CLONE_NEWUSER) < 0 ? 'E' : 'R';
        if (write(ready[1], &c, 1) != 1 || c == 'E')
            _exit(1);
        while (read(done[0], &c, 1) < 0 && errno == EINTR) {
        }
        _exit(0);
    }
    close(ready[1]);
    close(done[0]);
    char c = 0;
    while (read(ready[0], &c, 1) < 0 && errno == EINTR) {
    }
    close(ready[0]);
    char uid_map[64], gid_map[64], userns_path[64];
    snprintf(uid_map, sizeof uid_map, "/proc/%d/uid_map", (int)holder);
    snprintf(gid_map, sizeof gid_map, "/proc/%d/gid_map", (int)holder);
    snprintf(userns_path, sizeof userns_path, "/proc/%d/ns/user", (int)holder);
    int tree = -1, userns = -1, e = EPERM;
    const char *op = "create the user namespace for";
    if (c != 'R')
        goto out;
    op = "write the id maps of the idmap for";
    if (write_id_map(uid_map, o->uidmap, o->n_uidmap) < 0 || write_id_map(gid_map, o->gidmap, o->n_gidmap) < 0) {
        e = errno;
        goto out;
    }
    op = "open the user namespace of the idmap for";
    userns = open(userns_path, O_RDONLY | O_CLOEXEC);
    if (userns < 0) {
        e = errno;
        goto out;
    }
    tree = idmap_clone(o->rootfs, userns, &op);
    e = errno;
    close(userns);
out:
    close(done[1]); /* the holder ends */
    while (waitpid(holder, NULL, 0) < 0 && errno == EINTR) {
    }
    if (tree < 0)
        fail_errno(e, op, o->rootfs);
    return tree;
}

/* The CRIU process: in the container's cgroups, with the console slave and, with tree >= 0, the idmapped root. */
static void NORETURN criu_child(const struct start_opts *o, int tree, int cloned_into)
{
    g_phase = PHASE_EXEC; /* from here a failure is a line on stderr and exit status 125 */
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGPIPE, SIG_DFL);
    join_cgroups(o->cg_procs, o->n_cg_procs, cloned_into);

    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s", o->rootfs);
    if (tree >= 0) {
        snprintf(root, sizeof root, "%s/%s", o->state_dir, RESTORE_ROOT);
        if (mkdir(root, 0700) < 0 && errno != EEXIST)
            fail_sys("create", root);
        if (unshare(CLONE_NEWNS) < 0)
            fail_sys("unshare", "mount namespace");
        /* nothing attached here may propagate back to the host */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
            fail_sys("make the mounts private in", "the restore's mount namespace");
        if (move_mount(tree, "", AT_FDCWD, root, MOVE_MOUNT_F_EMPTY_PATH) < 0)
            fail_sys("attach the idmapped rootfs on", root);
    }
    int slave = fcntl(g_rt.console_slave, F_DUPFD, 3); /* without close-on-exec: CRIU inherits it */
    if (slave < 0)
        fail_sys("dup", g_rt.console_name);

    static char pidfile[PATH_MAX], inherit[96], console[64];
    snprintf(pidfile, sizeof pidfile, "%s/%s", o->state_dir, RESTORE_PIDFILE);
    snprintf(inherit, sizeof inherit, "fd[%d]:tty[%s]", slave, o->tty_key);
    snprintf(console, sizeof console, "mnt[console]:%s", g_rt.console_name);
    static char *argv[MAX_CRIU_ARGS + 12];
    int n = 0;
    for (; o->init_argv[n] && n < MAX_CRIU_ARGS; n++)
        argv[n] = o->init_argv[n];
    char *extra[] = {"--root", root, "--restore-detached", "--pidfile", pidfile, "--inherit-fd", inherit,
                     "--external", console};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;

    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0)
        dup2(null, STDIN_FILENO);
    dup2(STDERR_FILENO, STDOUT_FILENO); /* stdout is the caller's protocol channel: CRIU's chatter goes to stderr */
    execv(argv[0], argv);
    fail_sys("exec", argv[0]);
}

/* The parent pid of pid, from /proc/PID/stat (-1 when it cannot be read). */
static long parent_of(pid_t pid)
{
    char buf[512], state;
    long ppid;
    const char *fields = proc_stat_fields(g_rt.proc_fd, pid, buf, sizeof buf);
    return fields && sscanf(fields, " %c %ld", &state, &ppid) == 2 ? ppid : -1;
}

static pid_t read_restored_pid(const struct start_opts *o)
{
    char buf[32];
    int fd = openat(g_rt.state_fd, RESTORE_PIDFILE, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail_sys("read the pid file of the restore in", o->state_dir);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unlinkat(g_rt.state_fd, RESTORE_PIDFILE, 0);
    buf[n > 0 ? n : 0] = '\0';
    long long pid;
    if (n <= 0 || parse_ll(buf, &pid) < 0 || pid <= 1)
        fail("criu wrote no pid of the restored init to %s/%s", o->state_dir, RESTORE_PIDFILE);
    return (pid_t)pid;
}

int cmd_restore(int argc, char **argv)
{
    static struct start_opts o;
    struct failure f;
    monitor_prologue(&o);
    if (parse_start_args(argc, argv, &o, &f) < 0 || validate_restore(&o, &f) < 0)
        fail_with(&f);
    /* the device program goes on the container's cgroup2 folder before any process is in it */
    devices_prepare(o.devices_bpf, o.device_allow, o.n_device_allow);
    monitor_session(&o);
    open_state_dir(&o);
    unlinkat(g_rt.state_fd, RESTORE_PIDFILE, 0);
    open_console_log(&o);
    open_console();
    chown_console(&o);
    setup_signals();
    g_rt.proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (g_rt.proc_fd < 0)
        fail_sys("open", "/proc");
    int tree = o.idmap_rootfs ? idmapped_rootfs_tree(&o) : -1;

    /* born in the cgroup2 group and moving itself into the v1 ones: no move by pid, which waits for the kernel */
    char dir[PATH_MAX];
    int into = cgroup2_procs(o.cg_procs, o.n_cg_procs, dir, sizeof dir);
    pid_t criu = into >= 0 ? clone_into_cgroup(dir) : fork();
    if (criu < 0 && into >= 0 && (errno == ENOSYS || errno == E2BIG)) {
        into = -1; /* no CLONE_INTO_CGROUP (before 5.7): the pid is written */
        criu = fork();
    }
    if (criu < 0)
        fail_sys("fork", "criu");
    if (criu == 0)
        criu_child(&o, tree, into);
    g_rt.child = criu; /* a failure meanwhile kills it */
    if (tree >= 0)
        close(tree);
    int status;
    while (waitpid(criu, &status, 0) < 0) {
        if (errno != EINTR)
            fail_sys("wait for", "criu");
    }
    g_rt.child = 0;
    if (tree >= 0)
        unlinkat(g_rt.state_fd, RESTORE_ROOT, AT_REMOVEDIR); /* the idmapped view was attached in CRIU's namespace */
    if (!WIFEXITED(status))
        fail("criu restore was killed by signal %d", WTERMSIG(status));
    if (WEXITSTATUS(status) != 0)
        fail("criu restore failed (exit status %d)", WEXITSTATUS(status));
    pid_t init = read_restored_pid(&o);
    if (parent_of(init) != (long)getpid()) {
        kill(init, SIGKILL);
        fail("the restored init %d is not the helper's child (its parent is %ld)", (int)init, parent_of(init));
    }
    g_rt.child = init;
    monitor_listen(&o);
    if (out_line("CHILD %d", (int)init) < 0 || out_line("READY %d %d", (int)init, (int)getpid()) < 0)
        fail_sys("write READY to", "stdout");
    g_start_undo = NULL;
    detach_stdio();
    monitor_finish(&o, monitor_loop(&o));
}
