/*
 * start.c: `berth-helper start`. Opens what the container needs (state directory, console pty, console
 * log, the namespaces to join), clones init with clone3 (into its cgroup when --cgroup-dir is given), writes
 * its id maps and time offsets while the child waits on the sync socket, places it in its cgroups, and lets
 * it exec. Then the same process stays as the container's monitor (monitor.c).
 *
 * The child and the parent take turns over a SOCK_SEQPACKET pair: the child says 'R' (ready for the
 * parent's set-up), the parent 'G' (mount now), then 'P' (placed: exec); a failure in the child arrives as
 * "E<sentence>", success as EOF when execve closes the CLOEXEC socket.
 */
#include "start.h"
#include "seccomp-profile.h"
#include "devices.h"
#include "sysinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <net/if.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

/* ================================================================ start: runtime == */

struct start_rt g_rt;
const struct start_opts *g_opts;

/* Atomic state file: write STATE_DIR/.NAME.tmp, rename to NAME. Returns -1 with errno. */
int write_state(const char *name, const char *content)
{
    char tmp[NAME_MAX];
    snprintf(tmp, sizeof tmp, ".%s.tmp", name);
    int fd = openat(g_rt.state_fd, tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int rc = write_all(fd, content, strlen(content));
    int e = errno;
    close(fd);
    if (rc == 0)
        rc = renameat(g_rt.state_fd, tmp, g_rt.state_fd, name);
    else
        errno = e;
    if (rc < 0) {
        e = errno;
        unlinkat(g_rt.state_fd, tmp, 0);
        errno = e;
    }
    return rc;
}

/* Undo everything start did, for a failure before READY. */
void start_undo(void)
{
    if (g_rt.child > 0) {
        kill(g_rt.child, SIGKILL);
        while (waitpid(g_rt.child, NULL, 0) < 0 && errno == EINTR) {
        }
        g_rt.child = 0;
    }
    monitor_unlisten();
    if (g_rt.monitor_pid_written)
        unlinkat(g_rt.state_fd, "monitor.pid", 0);
    if (g_rt.log_created && g_opts && g_opts->console_log)
        unlink(g_opts->console_log);
}

void open_state_dir(const struct start_opts *o)
{
    if (mkdir(o->state_dir, 0755) < 0 && errno != EEXIST)
        fail_sys("create state directory", o->state_dir);
    g_rt.state_fd = open(o->state_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (g_rt.state_fd < 0)
        fail_sys("open state directory", o->state_dir);
    /* records of an earlier run would be taken for this one */
    if (unlinkat(g_rt.state_fd, "exit", 0) < 0 && errno != ENOENT)
        fail_sys("remove stale exit record in", o->state_dir);
    if (unlinkat(g_rt.state_fd, "monitor.done", 0) < 0 && errno != ENOENT)
        fail_sys("remove stale monitor.done in", o->state_dir);
    char pid[32];
    snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (write_state("monitor.pid", pid) < 0)
        fail_sys("write monitor.pid in", o->state_dir);
    g_rt.monitor_pid_written = 1;
}

void open_console_log(const struct start_opts *o)
{
    g_rt.log_fd = -1;
    g_rt.log_max = o->console_max;
    if (!o->console_log)
        return;
    g_rt.log_created = access(o->console_log, F_OK) < 0;
    g_rt.log_fd = open(o->console_log, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0640);
    if (g_rt.log_fd < 0)
        fail_sys("open console log", o->console_log);
    struct stat st;
    if (fstat(g_rt.log_fd, &st) < 0)
        fail_sys("stat console log", o->console_log);
    g_rt.log_size = st.st_size;
}

/* The console: a PTY whose master the monitor keeps; the slave becomes the container's /dev/console. */
void open_console(void)
{
    g_rt.console_master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (g_rt.console_master < 0)
        fail_sys("open console pty", "/dev/ptmx");
    int unlock = 0;
    unsigned int n;
    if (ioctl(g_rt.console_master, TIOCSPTLCK, &unlock) < 0)
        fail_sys("unlock console pty", "/dev/ptmx");
    if (ioctl(g_rt.console_master, TIOCGPTN, &n) < 0)
        fail_sys("get console pty number", "/dev/ptmx");
    snprintf(g_rt.console_name, sizeof g_rt.console_name, "/dev/pts/%u", n);
    /* the monitor keeps a slave open too: the master then never reports a hang-up while init
       reopens its console, and output is never lost */
    g_rt.console_slave = ioctl(g_rt.console_master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (g_rt.console_slave < 0)
        fail_sys("open console pty slave", g_rt.console_name);
}

/* Host uid/gid of root in a /proc/PID/{uid,gid}_map file (-1 when 0 is not mapped). */
static long long map_root_from_file(const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    unsigned long in, out, count;
    long long root = -1;
    while (fscanf(f, "%lu %lu %lu", &in, &out, &count) == 3)
        if (in == 0)
            root = (long long)out;
    fclose(f);
    return root;
}

/* Root ids of a user namespace we only have a descriptor for: ask a short-lived child inside it. */
static void map_root_of_userns(int nsfd, long long ids[2])
{
    int p[2];
    ids[0] = ids[1] = -1;
    if (pipe2(p, O_CLOEXEC) < 0)
        fail_sys("pipe", "user namespace probe");
    pid_t pid = fork();
    if (pid < 0)
        fail_sys("fork", "user namespace probe");
    if (pid == 0) {
        long long r[2] = {-1, -1};
        if (setns(nsfd, CLONE_NEWUSER) == 0) {
            r[0] = map_root_from_file("/proc/self/uid_map");
            r[1] = map_root_from_file("/proc/self/gid_map");
        }
        _exit(write_all(p[1], r, sizeof r) == 0 ? 0 : 1);
    }
    close(p[1]);
    if (read(p[0], ids, 2 * sizeof ids[0]) != (ssize_t)(2 * sizeof ids[0]))
        ids[0] = ids[1] = -1;
    close(p[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
}

/* Let the container's root own its console (needed when root is not host root). */
void chown_console(const struct start_opts *o)
{
    long long ids[2] = {-1, -1};
    if (o->ns_new & NSBIT(NS_USER)) {
        ids[0] = map_root_from_args(o->uidmap, o->n_uidmap);
        ids[1] = map_root_from_args(o->gidmap, o->n_gidmap);
    } else if (o->ns_join & NSBIT(NS_USER)) {
        map_root_of_userns(g_rt.ns_fd[NS_USER], ids);
    } else {
        return;
    }
    if (ids[0] < 0 || ids[1] < 0)
        return; /* root is not mapped: nothing sensible to chown to */
    if (fchown(g_rt.console_slave, (uid_t)ids[0], (gid_t)ids[1]) < 0)
        fail_sys("chown console", g_rt.console_name);
}

static void open_join_fds(const struct start_opts *o)
{
    for (int i = 0; i < NS_COUNT; i++) {
        g_rt.ns_fd[i] = -1;
        if (o->ns_join & NSBIT(i))
            g_rt.ns_fd[i] = open_ns_file(o->join_path[i], i);
    }
}

/*
 * Joins done in the parent, before clone: pid and time only affect children ("for_children"),
 * and user is joined here as well so that the namespaces clone3 creates are owned by it.
 * pid and time go first, while we are still host root.
 */
static void join_parent_namespaces(const struct start_opts *o)
{
    static const int order[] = {NS_PID, NS_TIME, NS_USER};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int t = order[k];
        if (g_rt.ns_fd[t] >= 0) {
            join_ns(g_rt.ns_fd[t], t, o->join_path[t]);
            close(g_rt.ns_fd[t]);
            g_rt.ns_fd[t] = -1;
        }
    }
}

void setup_signals(void)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
        fail_sys("sigprocmask", "CHLD TERM INT HUP");
    g_rt.sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (g_rt.sigfd < 0)
        fail_sys("signalfd", "CHLD TERM INT HUP");
    signal(SIGPIPE, SIG_IGN); /* a vanished caller turns into EPIPE, not death */
}

/* ---------------------------------------------------------------- container child -- */

static void child_send(const char *msg)
{
    if (write(g_child_sock, msg, strlen(msg)) < 0)
        _exit(1);
}

/* Waits for the parent's 'G', with the descriptor of the idmapped rootfs when there is one (else -1). */
static int child_wait_go(void)
{
    char c;
    int fd = recv_fd(g_child_sock, &c);
    if (c != 'G')
        _exit(1); /* the parent gave up: it reports why */
    return fd;
}

/*
 * Init joins its v1 groups itself: "0" written to a group's `tasks` moves the calling thread, and Linux 6.0 and later
 * take no global lock for a thread that moves itself, where writing init's pid into cgroup.procs takes
 * cgroup_threadgroup_rwsem, which after an idle moment waits for an RCU grace period (7.6 ms on an idle host). The
 * `tasks` files are opened here, by host root, before the clone: the kernel checks the opener's credentials, and
 * the child, in its own user namespace, writes through them after 'P' and closes them (they are close-on-exec too).
 */
static int g_tasks_fd[MAX_REPEAT];
static int g_self_move[MAX_REPEAT]; /* index of --cgroup-procs: init moves itself into that group */

/* Waits for the parent's one-letter word: 'P' (placed in the cgroups: exec). */
static void child_wait(char word)
{
    char c;
    ssize_t n;
    while ((n = read(g_child_sock, &c, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1 || c != word)
        _exit(1); /* the parent gave up: it reports why */
}

static void join_child_namespaces(const struct start_opts *o)
{
    static const int order[] = {NS_MNT, NS_UTS, NS_IPC, NS_NET};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int t = order[k];
        if (g_rt.ns_fd[t] >= 0)
            join_ns(g_rt.ns_fd[t], t, o->join_path[t]);
    }
}

/* After placement and pivot, so the container sees its own cgroup as "/". */
static void setup_cgroup_ns(const struct start_opts *o)
{
    if (g_rt.ns_fd[NS_CGROUP] >= 0)
        join_ns(g_rt.ns_fd[NS_CGROUP], NS_CGROUP, o->join_path[NS_CGROUP]);
    else if ((o->ns_new & NSBIT(NS_CGROUP)) && unshare(CLONE_NEWCGROUP) < 0)
        fail_sys("unshare", "cgroup namespace");
    /* A privileged container's init may not mount (seccomp's mount guard), so it gets here what systemd would
       mount itself: the container's part of the cgroup2 hierarchy (its own cgroup namespace's root) at
       /sys/fs/cgroup, where systemd finds a unified hierarchy and uses it. With its own user namespace the
       container mounts what it wants. */
    if (!((o->ns_new | o->ns_join) & NSBIT(NS_USER)) && (o->ns_new & NSBIT(NS_CGROUP)) &&
        (o->ns_new & NSBIT(NS_MNT)) && access("/sys/fs/cgroup", F_OK) == 0 &&
        mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        fail_sys("mount the container's cgroup2 hierarchy on", "/sys/fs/cgroup");
}

static void attach_console(void)
{
    if (setsid() < 0)
        fail_sys("setsid", "container init");
    if (ioctl(g_rt.console_slave, TIOCSCTTY, 0) < 0)
        fail_sys("make controlling terminal", "/dev/console");
    for (int fd = 0; fd < 3; fd++)
        if (dup2(g_rt.console_slave, fd) < 0)
            fail_sys("dup2 console to", fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr");
}

/* A new network namespace starts with lo down; bring it up as every init expects. */
static void loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        fail_sys("socket", "for lo");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        fail_sys("get flags of", "lo");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
        fail_sys("bring up", "lo");
    close(fd);
}

/*
 * A new network namespace lets every group of the container send ICMP echo through datagram sockets
 * (net.ipv4.ping_group_range, as Docker and systemd set it), so `ping` works for users other than root without a
 * set-uid bit or file capability. Only ids the container's user namespace maps may be named, so the range ends at
 * its gid map's size; the host's user namespace (privileged) gets the whole range. Written through the /proc the
 * child still sees before its root is set up: /proc/sys/net is the writer's network namespace's.
 */
static void allow_ping(void)
{
    /* the size of the map of group 0 in the user namespace the child is in now (its own, a joined one, the host's) */
    unsigned long long last = 0;
    char maps[4096];
    int fd = open("/proc/self/gid_map", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, maps, sizeof maps - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        fail_sys("read", "/proc/self/gid_map");
    maps[n] = '\0';
    for (char *line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long in, out, count;
        if (parse_idmap_line(line, &in, &out, &count) == 0 && in == 0 && count > 0)
            last = count - 1;
    }
    if (last > 2147483647ULL)
        last = 2147483647ULL;
    char range[64];
    snprintf(range, sizeof range, "0 %llu", last);
    if (write_file("/proc/sys/net/ipv4/ping_group_range", range) < 0)
        fail_sys("allow ping (net.ipv4.ping_group_range)", range);
}

static void NORETURN container_child(const struct start_opts *o)
{
    g_phase = PHASE_CHILD;
    g_child_sock = g_rt.sock;

    /* a new time namespace becomes ours at execve; its offsets are written by the parent meanwhile */
    if ((o->ns_new & NSBIT(NS_TIME)) && unshare(CLONE_NEWTIME) < 0)
        fail_sys("unshare", "time namespace");
    child_send("R");
    int rootfs_fd = child_wait_go();

    if ((o->ns_new | o->ns_join) & NSBIT(NS_USER))
        become_ns_root();
    join_child_namespaces(o);
    if (o->hostname && sethostname(o->hostname, strlen(o->hostname)) < 0)
        fail_sys("sethostname", o->hostname);
    if (o->ns_new & NSBIT(NS_NET)) {
        loopback_up();
        allow_ping();
    }
    if (o->ns_new & NSBIT(NS_MNT))
        setup_rootfs(o, rootfs_fd);
    else if (chdir("/") < 0)
        fail_sys("chdir", "/");
    child_wait('P');
    for (int i = 0; i < o->n_cg_procs; i++) {
        if (g_tasks_fd[i] < 0)
            continue;
        if (write_all(g_tasks_fd[i], "0", 1) < 0) /* this thread, which is the whole process */
            fail_sys("move init into the cgroup of", o->cg_procs[i]);
        close(g_tasks_fd[i]);
    }
    setup_cgroup_ns(o);
    attach_console();
    cloexec_from_3();
    reset_signals();

    char *envp[] = {"container=berth", PATH_ENV, "TERM=linux", "HOME=/root", NULL};
    int listener = seccomp_enter();
    if (listener >= 0) { /* to the monitor, which answers sysinfo (sysinfo.h) */
        if (send_fd(g_child_sock, 'S', listener) < 0)
            fail_sys("send the sysinfo listener to", "the monitor");
        close(listener);
    }
    drop_caps(o->drop_caps);
    errno = exec_search(o->init_argv, envp);
    fail_sys("exec", o->init_argv[0]);
}

/* ---------------------------------------------------------------- parent side ------ */


static void spawn_child(const struct start_opts *o)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        fail_sys("socketpair", "sync");

    struct clone_args ca;
    memset(&ca, 0, sizeof ca);
    /* cgroup: unshared by the child after placement; time: unshared by the child (offsets) */
    unsigned create = o->ns_new & ~(NSBIT(NS_CGROUP) | NSBIT(NS_TIME));
    for (int i = 0; i < NS_COUNT; i++)
        if (create & NSBIT(i))
            ca.flags |= (uint64_t)NS[i].flag;
    ca.exit_signal = SIGCHLD;
    for (int i = 0; i < o->n_cg_procs; i++) {
        char dir[PATH_MAX], tasks[PATH_MAX + 8];
        int v2;
        g_tasks_fd[i] = -1;
        g_self_move[i] = 0;
        if (!cgroup_procs_dir(o->cg_procs[i], dir, sizeof dir, &v2) || v2)
            continue;
        snprintf(tasks, sizeof tasks, "%s/tasks", dir);
        g_tasks_fd[i] = open(tasks, O_WRONLY | O_CLOEXEC);
        if (g_tasks_fd[i] < 0)
            fail_sys("open", tasks);
        g_self_move[i] = 1;
    }
    g_rt.cgroup_dir_fd = -1;
    if (o->cgroup_dir) {
        g_rt.cgroup_dir_fd = open(o->cgroup_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (g_rt.cgroup_dir_fd < 0)
            fail_sys("open cgroup directory", o->cgroup_dir);
        ca.flags |= CLONE_INTO_CGROUP;
        ca.cgroup = (uint64_t)g_rt.cgroup_dir_fd;
    }

    pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
    if (pid < 0 && o->cgroup_dir)
        fail_sys("clone3 into cgroup", o->cgroup_dir);
    g_rt.cloned_into_cgroup = o->cgroup_dir != NULL;
    if (pid < 0)
        fail_sys("clone3", "container process");
    if (pid == 0) {
        close(sv[0]);
        g_rt.sock = sv[1];
        container_child(o);
    }
    g_rt.child = pid;
    g_rt.sock = sv[0];
    close(sv[1]);
    if (g_rt.cgroup_dir_fd >= 0)
        close(g_rt.cgroup_dir_fd);
    for (int i = 0; i < o->n_cg_procs; i++)
        if (g_tasks_fd[i] >= 0)
            close(g_tasks_fd[i]);
}

/* Read one message from the child: 'R' = ready for parent setup, 'E...' = failure, EOF = exec'd. */
static int read_child_message(char *buf, size_t size)
{
    ssize_t n;
    /* ECONNRESET: the child ended with our word unread; the kernel reports that once, before the child's message
       (which is still queued): read again */
    while ((n = read(g_rt.sock, buf, size - 1)) < 0 && (errno == EINTR || errno == ECONNRESET)) {
    }
    if (n < 0)
        fail_sys("read from container process", "sync socket");
    buf[n] = '\0';
    if (n > 0 && buf[0] == 'E')
        fail("%s", buf + 1);
    return (int)n;
}

static void wait_child_ready(void)
{
    char buf[MSG_MAX + 2];
    if (read_child_message(buf, sizeof buf) != 1 || buf[0] != 'R')
        fail("container process %d died during setup", (int)g_rt.child);
}

/* All lines of one map in a single write, as the kernel requires. Returns -1 with errno. */
int write_id_map(const char *path, const char *const *lines, int n)
{
    char data[MAX_REPEAT * 64] = "";
    size_t used = 0;
    for (int i = 0; i < n && used < sizeof data; i++)
        used += (size_t)snprintf(data + used, sizeof data - used, "%s\n", lines[i]);
    return write_file(path, data);
}

static void write_id_maps(const struct start_opts *o)
{
    if (!(o->ns_new & NSBIT(NS_USER)))
        return;
    char uid_path[64], gid_path[64], sg_path[64];
    snprintf(uid_path, sizeof uid_path, "/proc/%d/uid_map", (int)g_rt.child);
    snprintf(gid_path, sizeof gid_path, "/proc/%d/gid_map", (int)g_rt.child);
    snprintf(sg_path, sizeof sg_path, "/proc/%d/setgroups", (int)g_rt.child);
    if (write_id_map(uid_path, o->uidmap, o->n_uidmap) < 0)
        fail_sys("write", uid_path);
    if (write_id_map(gid_path, o->gidmap, o->n_gidmap) == 0)
        return;
    if (errno != EPERM)
        fail_sys("write", gid_path);
    /* only a writer without CAP_SETGID above the namespace must deny setgroups first */
    if (write_file(sg_path, "deny") < 0)
        fail_sys("write deny to", sg_path);
    if (write_id_map(gid_path, o->gidmap, o->n_gidmap) < 0)
        fail_sys("write", gid_path);
}

static void write_time_offsets(const struct start_opts *o)
{
    static const char *const clocks[2] = {"monotonic", "boottime"};
    char path[64], data[128] = "";
    size_t used = 0;
    for (int k = 0; k < 2; k++)
        if (o->has_time_offset[k])
            used += (size_t)snprintf(data + used, sizeof data - used, "%s %lld 0\n", clocks[k], o->time_offset[k]);
    if (!used)
        return;
    snprintf(path, sizeof path, "/proc/%d/timens_offsets", (int)g_rt.child);
    if (write_file(path, data) < 0)
        fail_sys("write time offsets to", path);
}

/* The child ended before exec: its own message if it sent one, else `what`. */
static void NORETURN fail_child_gone(const char *what)
{
    char buf[MSG_MAX + 2];
    ssize_t n = recv(g_rt.sock, buf, sizeof buf - 1, MSG_DONTWAIT);
    g_rt.child = 0;
    if (n > 1 && buf[0] == 'E') {
        buf[n] = '\0';
        fail("%s", buf + 1);
    }
    fail("%s", what);
}

/*
 * Writes init's pid into each --cgroup-procs file that neither clone3 placed it in nor init joins itself (a v1
 * group's, see g_tasks_fd): a file not named cgroup.procs, or a cgroup2 group other than --cgroup-dir. Such a write
 * waits, after an idle moment, for an RCU grace period in the kernel (cgroup_threadgroup_rwsem).
 */
static void place_in_cgroups(const struct start_opts *o)
{
    char pid[32], op[64];
    snprintf(pid, sizeof pid, "%d\n", (int)g_rt.child);
    snprintf(op, sizeof op, "write pid %d to", (int)g_rt.child);
    for (int i = 0; i < o->n_cg_procs; i++) {
        if ((g_rt.cloned_into_cgroup && procs_of_dir(o->cg_procs[i], o->cgroup_dir)) || g_self_move[i])
            continue;
        /* a child that failed in its set-up meanwhile is still there to move (unreaped): release_child says why */
        if (write_file(o->cg_procs[i], pid) < 0)
            fail_sys(op, o->cg_procs[i]);
    }
}

/* Reads one line on stdin; only `expected` continues, anything else aborts. */
static void await_caller(const char *expected)
{
    char line[64];
    size_t len = 0;
    for (;;) {
        struct pollfd pf[2] = {{STDIN_FILENO, POLLIN, 0}, {g_rt.sigfd, POLLIN, 0}};
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            fail_sys("poll", "stdin");
        }
        if (pf[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(g_rt.sigfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGCHLD)
                fail("aborted");
            if (g_rt.child > 0 && waitpid(g_rt.child, NULL, WNOHANG) == g_rt.child) {
                char what[96];
                snprintf(what, sizeof what, "container process died while waiting for %s", expected);
                fail_child_gone(what);
            }
        }
        if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        char c;
        ssize_t n = read(STDIN_FILENO, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || c == '\n')
            break;
        if (len < sizeof line - 1)
            line[len++] = c;
    }
    while (len > 0 && line[len - 1] == '\r')
        len--;
    line[len] = '\0';
    if (strcmp(line, expected))
        fail("aborted");
}

/* The child may set up its mounts now (it is not in its cgroups yet and runs no container code); with the
   idmapped rootfs's descriptor when there is one. */
static void child_go(void)
{
    int rc = g_rt.rootfs_fd >= 0 ? send_fd(g_rt.sock, 'G', g_rt.rootfs_fd)
                                 : (send(g_rt.sock, "G", 1, MSG_NOSIGNAL) == 1 ? 0 : -1);
    if (rc < 0)
        fail_sys("send GO to container process", "sync socket");
    if (g_rt.rootfs_fd >= 0) {
        close(g_rt.rootfs_fd); /* the child has its own copy now */
        g_rt.rootfs_fd = -1;
    }
}

/* PLACED to the child, then wait for the exec: EOF on the CLOEXEC socket = success. Before it, the child may send
   the listener of its sysinfo notifications ('S' with the descriptor). */
static void release_child(void)
{
    /* a child that failed in its set-up has closed its end: its message is read below */
    if (write(g_rt.sock, "P", 1) != 1 && errno != EPIPE)
        fail_sys("send PLACED to container process", "sync socket");
    char buf[MSG_MAX + 2];
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {buf, sizeof buf - 1};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = recvmsg(g_rt.sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && (errno == EINTR || errno == ECONNRESET)) {
    }
    if (n < 0)
        fail_sys("read from container process", "sync socket");
    buf[n] = '\0';
    if (n > 0 && buf[0] == 'E')
        fail("%s", buf + 1);
    if (n == 1 && buf[0] == 'S') {
        for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h))
            if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
                memcpy(&g_rt.notify_fd, CMSG_DATA(h), sizeof(int));
        n = read_child_message(buf, sizeof buf);
    }
    if (n != 0)
        fail("unexpected message from container process: %s", buf);
    close(g_rt.sock);
    g_rt.sock = -1;
    /* EOF also comes if the child was killed before execve */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)g_rt.child, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == g_rt.child)
        fail("container process %d died before exec of init", (int)g_rt.child);
}

/* After READY nobody listens on stdio: point it at /dev/null. */
void detach_stdio(void)
{
    int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return;
    for (int i = 0; i < 3; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
}

/* What start and restore do first: the options' defaults, the runtime's descriptors unset, and the helper made
   undumpable with nothing of the caller's kept but stdio. */
void monitor_prologue(struct start_opts *o)
{
    start_opts_defaults(o);
    g_phase = PHASE_START;
    g_opts = o;
    g_rt.state_fd = g_rt.sock = g_rt.sigfd = g_rt.log_fd = g_rt.rootfs_fd = g_rt.notify_fd = -1;
    for (int i = 0; i < NS_COUNT; i++)
        g_rt.ns_fd[i] = -1;
    /* nobody but host root may ptrace us or open our /proc files (exe, fd, mem): not the container's root through
       a shared pid namespace, not init before its execve (which makes the new program dumpable again) */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        fail_sys("prctl PR_SET_DUMPABLE 0", "monitor");
    /* the monitor lives for the container's lifetime: keep nothing of the caller but stdio */
    if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
        fail_sys("close_range", "inherited descriptors");
}

/* The monitor's own session (the caller's terminal, ^C and hang-up do not reach it), as a child subreaper (init,
   cloned or restored by CRIU, is reparented to it); from here a failure undoes what start did. */
void monitor_session(const struct start_opts *o)
{
    g_rt.new_pidns = (o->ns_new & NSBIT(NS_PID)) != 0;
    if (getsid(0) != getpid() && setsid() < 0 && errno != EPERM)
        fail_sys("setsid", "monitor");
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        fail_sys("become child subreaper", "monitor");
    g_start_undo = start_undo;
}

int cmd_start(int argc, char **argv)
{
    static struct start_opts o;
    struct failure f;
    monitor_prologue(&o);
    if (parse_start_args(argc, argv, &o, &f) < 0 || validate_start(&o, &f) < 0)
        fail_with(&f);
    seccomp_prepare(o.seccomp, !((o.ns_new | o.ns_join) & NSBIT(NS_USER)), 1);
    /* The device program is loaded now and attached just before init enters its cgroups: the attach waits for the
       kernel's cgroup_mutex, which the caller's first move after an idle moment holds through an RCU grace period
       (RunControl primes it), and the clone, id maps and idmapped root below need no cgroup. Init cloned straight
       into its cgroup (CLONE_INTO_CGROUP) needs the program there first, and so does a helper that joins another
       container's user namespace (it keeps no capability of the host's there). */
    int devices = devices_load(o.devices_bpf, o.device_allow, o.n_device_allow);
    if (o.cgroup_dir || (o.ns_join & NSBIT(NS_USER))) {
        devices_attach(o.devices_bpf, devices);
        devices = -1;
    }
    monitor_session(&o);
    open_state_dir(&o);
    open_console_log(&o);
    open_join_fds(&o);
    open_console();
    chown_console(&o);
    setup_signals();
    /* the host's /proc, for the monitor's answers to sysinfo (notifications name host pids) */
    g_rt.proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    join_parent_namespaces(&o);

    spawn_child(&o);
    wait_child_ready();
    write_id_maps(&o);
    write_time_offsets(&o);
    if (o.idmap_rootfs)
        g_rt.rootfs_fd = idmap_rootfs(&o, g_rt.child);
    /* the child mounts its root meanwhile, the caller records init's pid (and with --sync sets up a veth) */
    child_go();
    if (out_line("CHILD %d", (int)g_rt.child) < 0)
        fail_sys("write", "stdout");
    devices_attach(o.devices_bpf, devices);
    place_in_cgroups(&o);
    if (o.sync)
        await_caller("GO");
    release_child();

    monitor_listen(&o);
    if (out_line("READY %d %d", (int)g_rt.child, (int)getpid()) < 0)
        fail_sys("write READY to", "stdout");
    g_start_undo = NULL;
    detach_stdio();
    for (int i = 0; i < NS_COUNT; i++)
        if (g_rt.ns_fd[i] >= 0)
            close(g_rt.ns_fd[i]);
    monitor_finish(&o, monitor_loop(&o));
}
