/*
 * exec.c: `berth-helper exec`, also run by the monitor's exec service in a forked child. Pins the target
 * with a pidfd, opens its namespaces and root, moves itself into the given cgroups, joins (user first),
 * chroots, and forks the command (a joined pid namespace applies to children only); it forwards signals
 * to the command and exits with its status.
 */
#include "args.h"
#include "seccomp-profile.h"
#include "sysinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/sched.h>

/* ================================================================ exec ============ */

static pid_t g_exec_child;
/* the child's end of the socket that carries its sysinfo listener to us (-1: no listener wanted) */
static int g_listener_sock = -1;

static void forward_signal(int sig)
{
    if (g_exec_child > 0)
        kill(g_exec_child, sig);
}

static const int FORWARDED[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};
#define N_FORWARDED ((int)(sizeof FORWARDED / sizeof FORWARDED[0]))

/* Blocks the forwarded signals (across a fork, so none is lost or misdirected); the mask before in `old`. */
static void block_forwarded(sigset_t *old)
{
    sigset_t fwd;
    sigemptyset(&fwd);
    for (int i = 0; i < N_FORWARDED; i++)
        sigaddset(&fwd, FORWARDED[i]);
    sigprocmask(SIG_BLOCK, &fwd, old);
}

/* From now on the forwarded signals go to `child`; the mask is `old` again. */
static void forward_to(pid_t child, const sigset_t *old)
{
    struct sigaction sa;
    g_exec_child = child;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sa.sa_flags = SA_RESTART;
    for (int i = 0; i < N_FORWARDED; i++)
        sigaction(FORWARDED[i], &sa, NULL);
    sigprocmask(SIG_SETMASK, old, NULL);
}

static int exec_wait(pid_t child);

/* --login-shell: root's entry of /etc/passwd (after the chroot, so the container's or, with --no-chroot,
   the host's). Parsed by hand: a static binary has no NSS. Missing file, entry or shell: /bin/sh in /. */
static char g_login_shell[PATH_MAX] = "/bin/sh", g_login_home[PATH_MAX] = "/";
static char *g_login_argv[3];

static void resolve_login_shell(struct exec_opts *o)
{
    FILE *f = fopen("/etc/passwd", "re");
    char line[2048];
    while (f && fgets(line, sizeof line, f)) {
        char *field[7];
        int n = 0;
        char *p = line;
        line[strcspn(line, "\n")] = 0;
        field[n++] = p;
        while (n < 7 && (p = strchr(p, ':')) != NULL) {
            *p++ = 0;
            field[n++] = p;
        }
        if (n < 7 || strcmp(field[2], "0") != 0)
            continue;
        if (field[6][0] == '/' && access(field[6], X_OK) == 0)
            snprintf(g_login_shell, sizeof g_login_shell, "%s", field[6]);
        if (field[5][0] == '/')
            snprintf(g_login_home, sizeof g_login_home, "%s", field[5]);
        break;
    }
    if (f)
        fclose(f);
    g_login_argv[0] = g_login_shell;
    g_login_argv[1] = "-l";
    g_login_argv[2] = NULL;
    o->cmd = g_login_argv;
}

/* Same namespace as ours? (setns into our own user namespace is refused, so it is skipped.) */
static int same_ns(pid_t pid, int type)
{
    char mine[64], theirs[64];
    struct stat a, b;
    snprintf(mine, sizeof mine, "/proc/self/ns/%s", NS[type].name);
    snprintf(theirs, sizeof theirs, "/proc/%d/ns/%s", (int)pid, NS[type].name);
    return stat(mine, &a) == 0 && stat(theirs, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

static void exec_open_namespaces(const struct exec_opts *o, int fds[NS_COUNT])
{
    for (int t = 0; t < NS_COUNT; t++) {
        fds[t] = -1;
        if (o->ns_given && !(o->ns & NSBIT(t)))
            continue;
        if (same_ns(o->pid, t))
            continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)o->pid, NS[t].name);
        if (!o->ns_given && access(path, F_OK) < 0 && errno == ENOENT)
            continue; /* kernel without this namespace type */
        fds[t] = open_ns_file(path, t);
    }
}

/*
 * Joining the cgroups. Moving a process by its pid (cgroup.procs) takes the kernel's cgroup_threadgroup_rwsem for
 * writing, which after an idle moment waits for an RCU grace period: 7.6 ms on an idle host, about 20 under load,
 * for every exec. Two ways in do not: a thread that moves itself into a v1 group ("0" into its `tasks`; Linux 6.0
 * and later take no global lock for it), and a child cloned into a v2 group (CLONE_INTO_CGROUP). So the rest of
 * exec runs in a child cloned into the v2 group of the --cgroup-procs files, if there is one, and that child, still
 * single-threaded, moves itself into the v1 groups. Any other file named so is written the old way.
 */

/* The index of the --cgroup-procs file this process was cloned into (its v2 group), or -1. */
static int g_cloned_into = -1;

/*
 * Returns in a child cloned into the v2 group of the --cgroup-procs files; this process stays outside, forwards
 * the signals exec forwards to that child, and exits with its status. Returns in this process when no file is in
 * a v2 group, or when the kernel has no CLONE_INTO_CGROUP (before 5.7): the pid is written then.
 */
static void exec_clone_into_cgroup(const struct exec_opts *o)
{
    char dir[PATH_MAX];
    int into = cgroup2_procs(o->cg_procs, o->n_cg_procs, dir, sizeof dir);
    if (into < 0)
        return;
    sigset_t old;
    block_forwarded(&old);
    pid_t child = clone_into_cgroup(dir);
    int err = errno;
    if (child == 0) {
        g_cloned_into = into;
        sigprocmask(SIG_SETMASK, &old, NULL);
        return;
    }
    if (child < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (err == ENOSYS || err == E2BIG)
            return; /* no clone3 or no CLONE_INTO_CGROUP: the pid is written */
        errno = err;
        fail_sys("clone3 into cgroup", dir);
    }
    forward_to(child, &old);
    exit(exec_wait(child));
}

static void exec_join(const struct exec_opts *o, int pidfd, int fds[NS_COUNT])
{
    char target[32];
    snprintf(target, sizeof target, "%d", (int)o->pid);
    join_cgroups(o->cg_procs, o->n_cg_procs, g_cloned_into);
    /* everything is open: is the target still the process we pinned? */
    if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
        fail_sys("check target process", target);
    for (int t = 0; t < NS_COUNT; t++) { /* user, mnt, uts, ipc, net, pid, cgroup, time */
        if (fds[t] < 0)
            continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)o->pid, NS[t].name);
        join_ns(fds[t], t, path);
        close(fds[t]);
    }
    if (fds[NS_USER] >= 0)
        become_ns_root();
}

static char **exec_environment(const struct exec_opts *o)
{
    static char *envp[MAX_REPEAT + 8];
    static char term[256], home[PATH_MAX + 8], shell[PATH_MAX + 8];
    int n = 0;
    envp[n++] = PATH_ENV;
    if (o->login_shell) {
        snprintf(home, sizeof home, "HOME=%s", g_login_home);
        snprintf(shell, sizeof shell, "SHELL=%s", g_login_shell);
        envp[n++] = home;
        envp[n++] = shell;
        envp[n++] = "USER=root";
        envp[n++] = "LOGNAME=root";
    } else {
        envp[n++] = "HOME=/root";
    }
    if (o->tty) {
        snprintf(term, sizeof term, "TERM=%s", o->term ? o->term : "xterm-256color");
        envp[n++] = term;
    }
    for (int i = 0; i < o->n_env; i++) {
        size_t klen = (size_t)(strchr(o->env[i], '=') - o->env[i]) + 1;
        int k;
        for (k = 0; k < n; k++)
            if (!strncmp(envp[k], o->env[i], klen))
                break;
        envp[k] = (char *)o->env[i];
        if (k == n)
            n++;
    }
    envp[n] = NULL;
    return envp;
}

static void NORETURN exec_child(const struct exec_opts *o, int ttyfd, int reportfd, char **envp)
{
    g_exec_report_fd = reportfd;
    reset_signals();
    /* a session of its own: the caller's controlling terminal (berth exec's) is not the command's, so /dev/tty
       does not reach it either */
    if (setsid() < 0)
        fail_sys("setsid", "exec");
    if (ttyfd >= 0) {
        if (ioctl(ttyfd, TIOCSCTTY, 0) < 0)
            fail_sys("make controlling terminal", o->tty);
        for (int fd = 0; fd < 3; fd++)
            if (dup2(ttyfd, fd) < 0)
                fail_sys("dup2 terminal to", fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr");
    }
    cloexec_from_3();
    int listener = seccomp_enter();
    if (listener >= 0) {
        if (g_listener_sock >= 0)
            send_fd(g_listener_sock, 'S', listener); /* on to the monitor, which answers sysinfo */
        close(listener);
    }
    drop_caps(o->drop_caps);
    int err = exec_search(o->cmd, envp);
    dprintf(STDERR_FILENO, "berth-helper: exec %s: %s\n", o->cmd[0], strerror(err));
    if (reportfd >= 0)
        dprintf(reportfd, "exec %s: %s", o->cmd[0], strerror(err));
    _exit(err == ENOENT ? 127 : 126);
}

/* A connection to the monitor's notify.sock; -1 when it does not answer (an older monitor, or none). */
static int connect_monitor(const char *path)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path)
        return -1;
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static int exec_wait(pid_t child)
{
    int st;
    while (waitpid(child, &st, 0) < 0) {
        if (errno != EINTR)
            fail_sys("waitpid", "exec child");
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int cmd_exec(int argc, char **argv)
{
    struct exec_opts o;
    struct failure f;
    memset(&o, 0, sizeof o);
    g_phase = PHASE_EXEC;
    /* once the namespaces are joined, the container's root must not ptrace us or open /proc/PID/exe (the helper
       binary on the host, CVE-2019-5736): not dumpable until the command's execve */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        fail_sys("prctl PR_SET_DUMPABLE 0", "exec");
    if (parse_exec_args(argc, argv, &o, &f) < 0)
        fail_with(&f);
    exec_clone_into_cgroup(&o); /* first: this process keeps nothing open while it waits */
    /* the monitor answers the command's sysinfo when it can be reached (before we join: it is on the host) */
    int monitor = o.notify ? connect_monitor(o.notify) : -1;
    /* the target in the host's user namespace is a privileged container: the mount guard too */
    seccomp_prepare(o.seccomp, same_ns(o.pid, NS_USER), monitor >= 0);
    int carry[2] = {-1, -1};
    if (monitor >= 0 && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, carry) < 0)
        fail_sys("socketpair", "sysinfo listener");

    char target[32], path[64];
    snprintf(target, sizeof target, "%d", (int)o.pid);
    /* pin the target first: a pidfd cannot be fooled by pid reuse */
    int pidfd = (int)syscall(SYS_pidfd_open, o.pid, 0);
    if (pidfd < 0)
        fail_sys("pidfd_open", target);
    int ttyfd = -1;
    if (o.tty) {
        ttyfd = open(o.tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (ttyfd < 0)
            fail_sys("open terminal", o.tty);
        if (!isatty(ttyfd))
            fail("%s is not a terminal", o.tty);
    }
    int rootfd = -1;
    if (!o.no_chroot) {
        snprintf(path, sizeof path, "/proc/%d/root", (int)o.pid);
        rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
            fail_sys("open root directory", path);
    }
    int fds[NS_COUNT];
    exec_open_namespaces(&o, fds);
    exec_join(&o, pidfd, fds);
    if (rootfd >= 0 && (fchdir(rootfd) < 0 || chroot(".") < 0))
        fail_sys("chroot to the root of", target);
    if (o.login_shell) {
        resolve_login_shell(&o);
        if (!o.cwd_given && chdir(g_login_home) < 0)
            o.cwd = "/"; /* a missing home is no reason to refuse a shell */
        else if (!o.cwd_given)
            o.cwd = g_login_home;
    }
    if (chdir(o.cwd) < 0)
        fail_sys("chdir", o.cwd);
    char **envp = exec_environment(&o);
    int report[2] = {-1, -1};
    if (o.report && pipe2(report, O_CLOEXEC) < 0)
        fail_sys("pipe", "exec report");

    /* forward signals to the child; blocked across fork so none is lost or misdirected */
    sigset_t old;
    block_forwarded(&old);
    pid_t child = fork(); /* needed: a joined pid namespace applies to children only */
    if (child < 0)
        fail_sys("fork", "exec");
    if (child == 0) {
        g_listener_sock = carry[1];
        exec_child(&o, ttyfd, report[1], envp);
    }
    if (monitor >= 0) {
        /* the listener comes before the child's execve (EOF: it failed first); the monitor serves it for as long
           as any process of the filter lives, also those the command leaves behind */
        close(carry[1]);
        char tag;
        int listener = recv_fd(carry[0], &tag);
        close(carry[0]);
        if (listener >= 0) {
            send_fd(monitor, 'S', listener);
            close(listener);
        }
        close(monitor);
    }
    if (ttyfd >= 0)
        close(ttyfd); /* only the child holds the terminal, so its exit hangs up the master */
    if (o.report) {
        /* the write end is close-on-exec: EOF with nothing read = the command runs */
        char msg[MSG_MAX];
        size_t got = 0;
        ssize_t r;
        close(report[1]);
        while (got < sizeof msg - 1 && ((r = read(report[0], msg + got, sizeof msg - 1 - got)) > 0
                                        || (r < 0 && errno == EINTR)))
            if (r > 0)
                got += (size_t)r;
        close(report[0]);
        msg[got] = 0;
        if (got == 0)
            out_line("STARTED %d", (int)child);
        else
            out_line("FAILED %s", msg);
    }
    forward_to(child, &old);
    return exec_wait(child);
}
