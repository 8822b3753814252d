/*
 * berth-helper: the single-threaded native half of Berth's local engine.
 *
 *   berth-helper start [options] -- INIT [ARGS...]      create a container, then stay as its monitor
 *   berth-helper exec --pid PID [options] -- CMD [ARGS] run a command inside a running container
 *   berth-helper init [-- CMD [ARGS...]]               minimal reaping init, as PID 1 of a container
 *   berth-helper version
 *
 * A JVM is multi-threaded: setns()/unshare() of mount and user namespaces fail there, and fork()
 * into Java code is unsafe.  Everything that has to happen in one thread lives here.  The command
 * line, the stdout lines and the exit codes are specified in PROTOCOL.md next to this file.
 *
 * Errors: every failed system call becomes one sentence "<operation> <target>: <strerror>" built by
 * fail_errno().  Where the sentence goes depends on the phase (see report()): an "ERROR" line on
 * stdout for start, a message over the sync socket from the container child, "berth-helper: ..." on
 * stderr for exec.
 *
 * Build: gcc -O2 -Wall -Wextra -static -o berth-helper berth-helper.c   (see Makefile)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <linux/sched.h>

#define HELPER_VERSION "1"
#define MAX_REPEAT 64                 /* bound for every repeatable option */
#define MSG_MAX 1024                  /* one error sentence */
#define DEFAULT_CONSOLE_MAX (1024L * 1024L)
#define CGROUP_RMDIR_TRIES 200        /* x 10 ms: bounded wait for a cgroup to empty */
#define PATH_ENV "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#define NORETURN __attribute__((noreturn))
#define PRINTF(a, b) __attribute__((format(printf, a, b)))

/* ================================================================ reporting ===== */

enum phase {
    PHASE_EXEC,        /* exec sub-command: "berth-helper: msg" on stderr, exit 125 */
    PHASE_START,       /* start before READY: "ERROR msg" on stdout, exit 1, undo via hook */
    PHASE_CHILD,       /* container child before exec: message over the sync socket */
};

static enum phase g_phase = PHASE_EXEC;
static int g_child_sock = -1;             /* PHASE_CHILD: where failures go */
static void (*g_start_undo)(void);        /* PHASE_START: kill the child, remove what we wrote */
static int g_exec_report_fd = -1;         /* PHASE_EXEC child with --report: failures also go here */

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* One line (cut to MSG_MAX) on fd, written with a single write(2) (no stdio buffers to duplicate). */
static int vline_to(int fd, const char *fmt, va_list ap)
{
    char buf[MSG_MAX + 16];
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    if (n < 0)
        return -1;
    if ((size_t)n > sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    return write_all(fd, buf, (size_t)n);
}

/* One protocol line on stdout. */
static int PRINTF(1, 2) out_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vline_to(STDOUT_FILENO, fmt, ap);
    va_end(ap);
    return rc;
}

static void NORETURN report(const char *msg)
{
    switch (g_phase) {
    case PHASE_START:
        if (g_start_undo)
            g_start_undo();
        out_line("ERROR %s", msg);
        exit(1);
    case PHASE_CHILD: {
        char buf[MSG_MAX + 2];
        int n = snprintf(buf, sizeof buf, "E%s", msg);
        if (n > (int)sizeof buf - 1)
            n = sizeof buf - 1;
        if (write(g_child_sock, buf, (size_t)n) < 0) {
            /* nobody to tell: the parent sees EOF and reports the death */
        }
        _exit(1);
    }
    case PHASE_EXEC:
    default:
        dprintf(STDERR_FILENO, "berth-helper: %s\n", msg);
        if (g_exec_report_fd >= 0 && write_all(g_exec_report_fd, msg, strlen(msg)) < 0) {
            /* the parent then sees an empty report and the exit status */
        }
        exit(125);
    }
}

/* A failure that is not a system call: the caller writes the whole sentence. */
static void NORETURN PRINTF(1, 2) fail(const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    report(msg);
}

/* The one place a failed system call becomes a sentence: "<op> <target>: <strerror>". */
static void NORETURN fail_errno(int err, const char *op, const char *target)
{
    if (target && *target)
        fail("%s %s: %s", op, target, strerror(err));
    fail("%s: %s", op, strerror(err));
}

static void NORETURN fail_sys(const char *op, const char *target)
{
    fail_errno(errno, op, target);
}

/* ================================================================ small utilities == */

static int write_file(const char *path, const char *data)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = write_all(fd, data, strlen(data));
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

static int parse_ll(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static void push_arg(const char **list, int *count, const char *value, const char *opt)
{
    if (*count >= MAX_REPEAT)
        fail("too many %s options (at most %d)", opt, MAX_REPEAT);
    list[(*count)++] = value;
}

static const char *take_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        fail("option %s needs a value", argv[*i]);
    return argv[++*i];
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* Mark every descriptor from 3 up close-on-exec (the error socket must survive until execve). */
static void cloexec_from_3(void)
{
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        fail_sys("close_range", "descriptors 3 and up");
}

static void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL); /* SIGKILL/SIGSTOP and the libc-internal ones just fail */
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* ================================================================ namespaces ====== */

/* Index order is the join order for exec: user first. */
enum { NS_USER, NS_MNT, NS_UTS, NS_IPC, NS_NET, NS_PID, NS_CGROUP, NS_TIME, NS_COUNT };
#define NSBIT(i) (1u << (i))

static const struct {
    const char *name;
    int flag;
} NS[NS_COUNT] = {
    {"user", CLONE_NEWUSER}, {"mnt", CLONE_NEWNS},   {"uts", CLONE_NEWUTS},
    {"ipc", CLONE_NEWIPC},   {"net", CLONE_NEWNET},  {"pid", CLONE_NEWPID},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

static int ns_index(const char *name)
{
    for (int i = 0; i < NS_COUNT; i++)
        if (!strcmp(NS[i].name, name))
            return i;
    return -1;
}

static unsigned parse_ns_list(const char *list, const char *opt)
{
    unsigned mask = 0;
    char copy[256];
    if (strlen(list) >= sizeof copy)
        fail("%s list is too long: '%s'", opt, list);
    strcpy(copy, list);
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int i = ns_index(t);
        if (i < 0)
            fail("unknown namespace '%s' in %s (known: user, mnt, uts, ipc, net, pid, cgroup, time)", t, opt);
        mask |= NSBIT(i);
    }
    return mask;
}

/* Open a namespace file and check that it is a namespace of the expected type. */
static int open_ns_file(const char *path, int type)
{
    char op[64];
    snprintf(op, sizeof op, "open %s namespace", NS[type].name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail_sys(op, path);
    int kind = ioctl(fd, NS_GET_NSTYPE);
    if (kind < 0)
        fail_sys("check namespace type of", path);
    if (kind != NS[type].flag)
        fail("%s is not a %s namespace", path, NS[type].name);
    return fd;
}

static void join_ns(int fd, int type, const char *path)
{
    char op[64];
    snprintf(op, sizeof op, "setns %s", NS[type].name);
    if (setns(fd, NS[type].flag) < 0)
        fail_sys(op, path);
}

/* Root inside a user namespace (new or joined): uid/gid 0, no supplementary groups. */
static void become_ns_root(void)
{
    if (setgroups(0, NULL) < 0 && errno != EPERM) /* EPERM: setgroups is "deny" here */
        fail_sys("setgroups", "[]");
    if (setresgid(0, 0, 0) < 0)
        fail_sys("setresgid", "0");
    if (setresuid(0, 0, 0) < 0)
        fail_sys("setresuid", "0");
}

/* ================================================================ capabilities ==== */

static const char *const CAP_NAMES[] = {
    "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid",
    "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw",
    "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
    "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod",
    "lease", "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog",
    "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};
#define CAP_COUNT ((int)(sizeof CAP_NAMES / sizeof CAP_NAMES[0]))

static int parse_cap(const char *name)
{
    const char *bare = strncasecmp(name, "cap_", 4) ? name : name + 4;
    for (int i = 0; i < CAP_COUNT; i++)
        if (!strcasecmp(bare, CAP_NAMES[i]))
            return i;
    fail("unknown capability '%s' in --drop-cap", name);
}

/*
 * Drop from the bounding set, the ambient set, then effective/permitted/inheritable.
 * No PR_SET_NO_NEW_PRIVS: it would break su, sudo and sshd inside a system container.
 */
static void drop_caps(uint64_t caps)
{
    if (!caps)
        return;
    for (int c = 0; c < CAP_COUNT; c++) {
        if (!(caps & (1ULL << c)))
            continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
            fail_sys("drop from the bounding set capability", CAP_NAMES[c]);
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, c, 0, 0) < 0 && errno != EINVAL)
            fail_sys("drop from the ambient set capability", CAP_NAMES[c]);
    }
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &hdr, data) < 0)
        fail_sys("capget", "self");
    for (int k = 0; k < 2; k++) {
        uint32_t keep = ~(uint32_t)(caps >> (32 * k));
        data[k].effective &= keep;
        data[k].permitted &= keep;
        data[k].inheritable &= keep;
    }
    if (syscall(SYS_capset, &hdr, data) < 0)
        fail_sys("capset", "self");
}

/* ================================================================ signals ========= */

static int parse_signal(const char *s)
{
    static const struct {
        const char *name;
        int sig;
    } names[] = {
        {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
        {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"PWR", SIGPWR},
    };
    long long n;
    if (parse_ll(s, &n) == 0 && n > 0 && n < NSIG)
        return (int)n;
    const char *bare = strncasecmp(s, "SIG", 3) ? s : s + 3;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(bare, names[i].name))
            return names[i].sig;
    if (!strncasecmp(bare, "RTMIN+", 6) && parse_ll(bare + 6, &n) == 0 && n >= 0 && SIGRTMIN + n <= SIGRTMAX)
        return SIGRTMIN + (int)n;
    fail("unknown signal '%s' in --halt-signal", s);
}

/* ================================================================ paths in the rootfs == */

enum mp_kind { MP_EXISTING, MP_DIR, MP_FILE };

/* openat2 relative to rootfd with every symlink and ".." confined to the rootfs. */
static int open_in_root(int rootfd, const char *rel, int flags)
{
    while (*rel == '/')
        rel++;
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, rootfd, *rel ? rel : ".", &how, sizeof how);
}

/* O_PATH descriptor of rel inside the rootfs, creating it (and its parents) when asked. */
static int resolve_in_root(int rootfd, const char *rel, enum mp_kind kind)
{
    int fd = open_in_root(rootfd, rel, O_PATH);
    if (fd >= 0 || errno != ENOENT || kind == MP_EXISTING)
        return fd;

    char parent[PATH_MAX];
    while (*rel == '/')
        rel++;
    if (strlen(rel) >= sizeof parent) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(parent, rel);
    size_t len = strlen(parent);
    while (len > 0 && parent[len - 1] == '/')
        parent[--len] = '\0';
    char *slash = strrchr(parent, '/');
    const char *name = slash ? slash + 1 : parent;
    if (slash)
        *slash = '\0';
    if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        errno = EINVAL;
        return -1;
    }
    int pfd = resolve_in_root(rootfd, slash ? parent : "", MP_DIR);
    if (pfd < 0)
        return -1;
    int rc = kind == MP_DIR ? mkdirat(pfd, name, 0755) : mknodat(pfd, name, S_IFREG | 0644, 0);
    int e = errno;
    close(pfd);
    if (rc < 0 && e != EEXIST) {
        errno = e;
        return -1;
    }
    return open_in_root(rootfd, rel, O_PATH);
}

static const char *fd_path(int fd, char *buf, size_t size)
{
    snprintf(buf, size, "/proc/self/fd/%d", fd);
    return buf;
}

/* Mount onto a path inside the rootfs (resolved safely, created if missing). */
static void mount_in_root(int rootfd, const char *src, const char *dst, const char *fstype,
                          unsigned long flags, const char *data, enum mp_kind kind, const char *what)
{
    int fd = resolve_in_root(rootfd, dst, kind);
    if (fd < 0)
        fail_sys(kind == MP_EXISTING ? "open mount point" : "create mount point", dst);
    char target[64], op[PATH_MAX + 32];
    if (mount(src, fd_path(fd, target, sizeof target), fstype, flags, data) < 0) {
        snprintf(op, sizeof op, "%s %s on", (flags & MS_BIND) ? "bind-mount" : "mount", what);
        fail_sys(op, dst);
    }
    close(fd);
}

/* Remount an existing bind mount read-only, keeping the flags a user namespace locks. */
static void remount_ro(int rootfd, const char *dst)
{
    int fd = open_in_root(rootfd, dst, O_PATH);
    if (fd < 0)
        fail_sys("open mount point", dst);
    struct statvfs sv;
    if (fstatvfs(fd, &sv) < 0)
        fail_sys("statvfs", dst);
    unsigned long keep = 0;
    if (sv.f_flag & ST_NOSUID)
        keep |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV)
        keep |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC)
        keep |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME)
        keep |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME)
        keep |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME)
        keep |= MS_RELATIME;
    char target[64];
    if (mount(NULL, fd_path(fd, target, sizeof target), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, NULL) < 0)
        fail_sys("remount read-only", dst);
    close(fd);
}

/* ================================================================ start: options == */

struct bind_spec {
    char src[PATH_MAX];
    char dst[PATH_MAX];
    int ro;
};

struct start_opts {
    const char *name, *rootfs, *state_dir, *hostname, *cgroup_dir, *console_log;
    unsigned ns_new, ns_join;
    const char *join_path[NS_COUNT];
    const char *uidmap[MAX_REPEAT], *gidmap[MAX_REPEAT];
    int n_uidmap, n_gidmap;
    long long time_offset[2]; /* monotonic, boottime */
    int has_time_offset[2];
    const char *cg_procs[MAX_REPEAT], *cg_cleanup[MAX_REPEAT], *bind_arg[MAX_REPEAT];
    int n_cg_procs, n_cg_cleanup, n_binds;
    struct bind_spec binds[MAX_REPEAT];
    uint64_t drop_caps;
    int mask, sync, halt_signal;
    long long console_max;
    char **init_argv;
};

static void parse_join(struct start_opts *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char type[16];
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof type || !eq[1])
        fail("--join needs TYPE=PATH, got '%s'", arg);
    memcpy(type, arg, (size_t)(eq - arg));
    type[eq - arg] = '\0';
    int i = ns_index(type);
    if (i < 0)
        fail("unknown namespace '%s' in --join (known: user, mnt, uts, ipc, net, pid, cgroup, time)", type);
    if (o->ns_join & NSBIT(i))
        fail("--join %s is given twice", type);
    o->ns_join |= NSBIT(i);
    o->join_path[i] = eq + 1;
}

static void parse_time_offset(struct start_opts *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    long long secs;
    int clock = -1;
    if (eq && !strncmp(arg, "monotonic=", 10))
        clock = 0;
    else if (eq && !strncmp(arg, "boottime=", 9))
        clock = 1;
    if (clock < 0 || parse_ll(eq + 1, &secs) < 0)
        fail("--time-offset needs monotonic=SECS or boottime=SECS, got '%s'", arg);
    o->time_offset[clock] = secs;
    o->has_time_offset[clock] = 1;
}

static void parse_start_args(int argc, char **argv, struct start_opts *o)
{
    int i;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "--sync")) {
            o->sync = 1;
        } else if (!strcmp(a, "--no-mask")) {
            o->mask = 0;
        } else if (!strcmp(a, "--name")) {
            o->name = take_value(argc, argv, &i);
        } else if (!strcmp(a, "--rootfs")) {
            o->rootfs = take_value(argc, argv, &i);
        } else if (!strcmp(a, "--state-dir")) {
            o->state_dir = take_value(argc, argv, &i);
        } else if (!strcmp(a, "--ns")) {
            o->ns_new = parse_ns_list(take_value(argc, argv, &i), "--ns");
        } else if (!strcmp(a, "--join")) {
            parse_join(o, take_value(argc, argv, &i));
        } else if (!strcmp(a, "--uidmap")) {
            push_arg(o->uidmap, &o->n_uidmap, take_value(argc, argv, &i), a);
        } else if (!strcmp(a, "--gidmap")) {
            push_arg(o->gidmap, &o->n_gidmap, take_value(argc, argv, &i), a);
        } else if (!strcmp(a, "--hostname")) {
            o->hostname = take_value(argc, argv, &i);
        } else if (!strcmp(a, "--time-offset")) {
            parse_time_offset(o, take_value(argc, argv, &i));
        } else if (!strcmp(a, "--cgroup-procs")) {
            push_arg(o->cg_procs, &o->n_cg_procs, take_value(argc, argv, &i), a);
        } else if (!strcmp(a, "--cgroup-dir")) {
            o->cgroup_dir = take_value(argc, argv, &i);
        } else if (!strcmp(a, "--cgroup-cleanup")) {
            push_arg(o->cg_cleanup, &o->n_cg_cleanup, take_value(argc, argv, &i), a);
        } else if (!strcmp(a, "--bind")) {
            push_arg(o->bind_arg, &o->n_binds, take_value(argc, argv, &i), a);
        } else if (!strcmp(a, "--drop-cap")) {
            o->drop_caps |= 1ULL << parse_cap(take_value(argc, argv, &i));
        } else if (!strcmp(a, "--halt-signal")) {
            o->halt_signal = parse_signal(take_value(argc, argv, &i));
        } else if (!strcmp(a, "--console-log")) {
            o->console_log = take_value(argc, argv, &i);
        } else if (!strcmp(a, "--console-max")) {
            const char *v = take_value(argc, argv, &i);
            if (parse_ll(v, &o->console_max) < 0 || o->console_max <= 0)
                fail("--console-max needs a positive number of bytes, got '%s'", v);
        } else if (a[0] == '-') {
            fail("unknown option %s for start", a);
        } else {
            fail("unexpected argument '%s' (the init command goes after --)", a);
        }
    }
    o->init_argv = argv + i;
}

static int valid_name(const char *n)
{
    size_t len = strlen(n);
    if (len < 1 || len > 64)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
            return 0;
    }
    return 1;
}

/* "IN OUT COUNT" -> numbers; returns -1 if malformed. */
static int parse_idmap_line(const char *s, unsigned long *in, unsigned long *out, unsigned long *count)
{
    char tail;
    return sscanf(s, "%lu %lu %lu %c", in, out, count, &tail) == 3 && *count > 0 ? 0 : -1;
}

/* SRC:DST[:ro|rw]; SRC is a host path, DST a path inside the rootfs (no ".." components). */
static void parse_bind(struct bind_spec *b, const char *arg)
{
    char copy[PATH_MAX * 2];
    if (strlen(arg) >= sizeof copy)
        fail("--bind argument is too long: '%s'", arg);
    strcpy(copy, arg);
    char *dst = strchr(copy, ':');
    if (!dst || dst == copy || !dst[1])
        fail("--bind needs SRC:DST[:ro], got '%s'", arg);
    *dst++ = '\0';
    char *mode = strchr(dst, ':');
    if (mode)
        *mode++ = '\0';
    if (mode && strcmp(mode, "ro") && strcmp(mode, "rw"))
        fail("--bind mode must be ro or rw, got '%s' in '%s'", mode, arg);
    if (copy[0] != '/')
        fail("--bind source must be an absolute path, got '%s'", copy);
    char walk[PATH_MAX];
    snprintf(walk, sizeof walk, "%s", dst);
    char *save = NULL;
    for (char *c = strtok_r(walk, "/", &save); c; c = strtok_r(NULL, "/", &save))
        if (!strcmp(c, ".."))
            fail("--bind target must not contain '..', got '%s'", dst);
    snprintf(b->src, sizeof b->src, "%s", copy);
    snprintf(b->dst, sizeof b->dst, "/%s", dst[0] == '/' ? dst + 1 : dst);
    b->ro = mode && !strcmp(mode, "ro");
    struct stat st;
    if (stat(b->src, &st) < 0)
        fail_sys("stat bind source", b->src);
}

static void validate_start(struct start_opts *o)
{
    if (!o->name)
        fail("missing --name");
    if (!valid_name(o->name))
        fail("invalid container name '%s': use 1-64 characters [a-zA-Z0-9_.-], starting with a letter or digit",
             o->name);
    if (!o->rootfs)
        fail("missing --rootfs");
    if (o->rootfs[0] != '/')
        fail("--rootfs must be an absolute path, got '%s'", o->rootfs);
    struct stat st;
    if (stat(o->rootfs, &st) < 0)
        fail_sys("open rootfs", o->rootfs);
    if (!S_ISDIR(st.st_mode))
        fail("rootfs %s is not a directory", o->rootfs);
    if (!o->state_dir)
        fail("missing --state-dir");
    if (!o->init_argv[0])
        fail("missing init command after --");

    for (int i = 0; i < NS_COUNT; i++)
        if ((o->ns_new & o->ns_join) & NSBIT(i))
            fail("namespace %s is both in --ns and --join", NS[i].name);
    if (!((o->ns_new | o->ns_join) & NSBIT(NS_MNT)))
        fail("the mnt namespace must be new (--ns mnt) or joined (--join mnt=PATH)");
    if ((o->ns_join & NSBIT(NS_MNT)) && o->n_binds)
        fail("--bind needs a new mnt namespace, but mnt is joined");
    if (o->hostname && !(o->ns_new & NSBIT(NS_UTS)))
        fail("--hostname needs a new uts namespace (--ns uts)");
    if (o->hostname && (strlen(o->hostname) < 1 || strlen(o->hostname) > 64))
        fail("--hostname must be 1-64 characters, got '%s'", o->hostname);
    if ((o->has_time_offset[0] || o->has_time_offset[1]) && !(o->ns_new & NSBIT(NS_TIME)))
        fail("--time-offset needs a new time namespace (--ns time)");

    int new_user = (o->ns_new & NSBIT(NS_USER)) != 0;
    if (new_user && (!o->n_uidmap || !o->n_gidmap))
        fail("a new user namespace needs --uidmap and --gidmap");
    if (!new_user && (o->n_uidmap || o->n_gidmap))
        fail("--uidmap/--gidmap need a new user namespace (--ns user)");
    unsigned long a, b, c;
    for (int i = 0; i < o->n_uidmap; i++)
        if (parse_idmap_line(o->uidmap[i], &a, &b, &c) < 0)
            fail("--uidmap needs \"IN OUT COUNT\", got '%s'", o->uidmap[i]);
    for (int i = 0; i < o->n_gidmap; i++)
        if (parse_idmap_line(o->gidmap[i], &a, &b, &c) < 0)
            fail("--gidmap needs \"IN OUT COUNT\", got '%s'", o->gidmap[i]);
    for (int i = 0; i < o->n_binds; i++)
        parse_bind(&o->binds[i], o->bind_arg[i]);
    if (o->cgroup_dir && o->cgroup_dir[0] != '/')
        fail("--cgroup-dir must be an absolute path, got '%s'", o->cgroup_dir);
}

/* ================================================================ start: runtime == */

struct start_rt {
    pid_t child;
    int state_fd;                 /* O_PATH of --state-dir */
    int sock;                     /* parent end of the sync socketpair */
    int sigfd;                    /* signalfd: CHLD TERM INT HUP */
    int ns_fd[NS_COUNT];          /* --join descriptors, opened before clone */
    int cgroup_dir_fd;
    int cloned_into_cgroup;       /* clone3(CLONE_INTO_CGROUP) placed the child in --cgroup-dir */
    int console_master, console_slave;
    char console_name[32];
    int log_fd, log_created;
    long long log_size, log_max;
    int monitor_pid_written;
    int new_pidns;
};

static struct start_rt g_rt;
static const struct start_opts *g_opts;

/* Atomic state file: write STATE_DIR/.NAME.tmp, rename to NAME. Returns -1 with errno. */
static int write_state(const char *name, const char *content)
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
static void start_undo(void)
{
    if (g_rt.child > 0) {
        kill(g_rt.child, SIGKILL);
        while (waitpid(g_rt.child, NULL, 0) < 0 && errno == EINTR) {
        }
        g_rt.child = 0;
    }
    if (g_rt.monitor_pid_written)
        unlinkat(g_rt.state_fd, "monitor.pid", 0);
    if (g_rt.log_created && g_opts && g_opts->console_log)
        unlink(g_opts->console_log);
}

static void open_state_dir(const struct start_opts *o)
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

static void open_console_log(const struct start_opts *o)
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
static void open_console(void)
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

/* Host uid/gid of root in the maps given on the command line (-1 when 0 is not mapped). */
static long long map_root_from_args(const char *const *lines, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned long in, out, count;
        if (parse_idmap_line(lines[i], &in, &out, &count) == 0 && in == 0)
            return (long long)out;
    }
    return -1;
}

/* Same, from a /proc/PID/{uid,gid}_map file. */
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
static void chown_console(const struct start_opts *o)
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

static void setup_signals(void)
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

/* Waits for the parent's one-letter word: 'G' (set up), then 'P' (placed in the cgroups: exec). */
static void child_wait(char word)
{
    char c;
    ssize_t n;
    while ((n = read(g_child_sock, &c, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1 || c != word)
        _exit(1); /* the parent gave up: it reports why */
}

static void mount_dev(int rootfd)
{
    static const char *const nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
    mount_in_root(rootfd, "tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k", MP_DIR,
                  "tmpfs");
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        char src[32], dst[32];
        snprintf(src, sizeof src, "/dev/%s", nodes[i]);
        snprintf(dst, sizeof dst, "/dev/%s", nodes[i]);
        mount_in_root(rootfd, src, dst, NULL, MS_BIND, NULL, MP_FILE, src);
    }
    int devfd = open_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY);
    if (devfd < 0)
        fail_sys("open", "/dev");
    static const char *const links[][2] = {
        {"/proc/self/fd", "fd"},         {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
        {"/proc/self/fd/2", "stderr"},   {"pts/ptmx", "ptmx"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (symlinkat(links[i][0], devfd, links[i][1]) < 0) {
            char target[32];
            snprintf(target, sizeof target, "/dev/%s", links[i][1]);
            fail_sys("create symlink", target);
        }
    }
    close(devfd);

    /* devpts: gid=5 is "tty"; a user namespace that does not map gid 5 refuses it (EINVAL) */
    int ptsfd = resolve_in_root(rootfd, "/dev/pts", MP_DIR);
    if (ptsfd < 0)
        fail_sys("create mount point", "/dev/pts");
    char target[64];
    fd_path(ptsfd, target, sizeof target);
    if (mount("devpts", target, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5") < 0 &&
        (errno != EINVAL ||
         mount("devpts", target, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0))
        fail_sys("mount devpts on", "/dev/pts");
    close(ptsfd);
    mount_in_root(rootfd, "shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k", MP_DIR,
                  "tmpfs");

    /* by path: a bind source must be a mount of our own (new) namespace, so not the
       slave descriptor, which was opened in the host's */
    mount_in_root(rootfd, g_rt.console_name, "/dev/console", NULL, MS_BIND, NULL, MP_FILE, g_rt.console_name);
}

static void mount_sys(const struct start_opts *o, int rootfd)
{
    if ((o->ns_new | o->ns_join) & NSBIT(NS_NET)) {
        mount_in_root(rootfd, "sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, MP_DIR,
                      "sysfs");
        return;
    }
    /* host network: a fresh sysfs would show the host's devices anyway; bind it read-only.
       Non-recursive keeps /sys/fs/cgroup out; a user namespace insists on recursive (locked
       submounts), so fall back to that. */
    int fd = resolve_in_root(rootfd, "/sys", MP_DIR);
    if (fd < 0)
        fail_sys("create mount point", "/sys");
    char target[64];
    fd_path(fd, target, sizeof target);
    if (mount("/sys", target, NULL, MS_BIND, NULL) < 0 &&
        (errno != EINVAL || mount("/sys", target, NULL, MS_BIND | MS_REC, NULL) < 0))
        fail_sys("bind-mount /sys on", "/sys");
    close(fd);
    remount_ro(rootfd, "/sys");
}

static void apply_binds(const struct start_opts *o, int rootfd)
{
    for (int i = 0; i < o->n_binds; i++) {
        const struct bind_spec *b = &o->binds[i];
        struct stat st;
        if (stat(b->src, &st) < 0)
            fail_sys("stat bind source", b->src);
        mount_in_root(rootfd, b->src, b->dst, NULL, MS_BIND | MS_REC, NULL, S_ISDIR(st.st_mode) ? MP_DIR : MP_FILE,
                      b->src);
        if (b->ro)
            remount_ro(rootfd, b->dst);
    }
}

/* Hide what runc and LXC hide: /proc files that leak or control the host. */
static void apply_masks(int rootfd)
{
    static const char *const null_files[] = {"/proc/kcore", "/proc/keys", "/proc/sysrq-trigger", "/proc/timer_list",
                                             "/proc/latency_stats"};
    static const char *const ro_dirs[] = {"/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq"};
    static const char *const empty_dirs[] = {"/proc/acpi", "/proc/scsi", "/sys/firmware"};
    char target[64];

    for (size_t i = 0; i < sizeof null_files / sizeof null_files[0]; i++) {
        int fd = open_in_root(rootfd, null_files[i], O_PATH);
        if (fd < 0 && errno == ENOENT)
            continue;
        if (fd < 0)
            fail_sys("open", null_files[i]);
        if (mount("/dev/null", fd_path(fd, target, sizeof target), NULL, MS_BIND, NULL) < 0)
            fail_sys("mask with /dev/null", null_files[i]);
        close(fd);
    }
    for (size_t i = 0; i < sizeof ro_dirs / sizeof ro_dirs[0]; i++) {
        int fd = open_in_root(rootfd, ro_dirs[i], O_PATH);
        if (fd < 0 && errno == ENOENT)
            continue;
        if (fd < 0)
            fail_sys("open", ro_dirs[i]);
        if (mount(fd_path(fd, target, sizeof target), target, NULL, MS_BIND | MS_REC, NULL) < 0)
            fail_sys("bind-mount read-only", ro_dirs[i]);
        close(fd);
        remount_ro(rootfd, ro_dirs[i]);
    }
    for (size_t i = 0; i < sizeof empty_dirs / sizeof empty_dirs[0]; i++) {
        int fd = open_in_root(rootfd, empty_dirs[i], O_PATH | O_DIRECTORY);
        if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
            continue;
        if (fd < 0)
            fail_sys("open", empty_dirs[i]);
        if (mount("tmpfs", fd_path(fd, target, sizeof target), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  "mode=555,size=0k") < 0)
            fail_sys("mask with an empty tmpfs", empty_dirs[i]);
        close(fd);
    }
}

/* Build the container's file system view and pivot into it. */
static void setup_rootfs(const struct start_opts *o)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        fail_sys("make rprivate", "/");
    if (mount(o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        fail_sys("bind-mount rootfs onto itself", o->rootfs);
    /* opened after the bind, so that everything below stacks on the bind mount */
    int rootfd = open(o->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        fail_sys("open rootfs", o->rootfs);

    /* proc of the pid namespace we are in (new, joined or the host's) */
    mount_in_root(rootfd, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, MP_DIR, "proc");
    mount_sys(o, rootfd);
    mount_dev(rootfd);
    mount_in_root(rootfd, "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755", MP_DIR, "tmpfs");
    apply_binds(o, rootfd);
    if (o->mask)
        apply_masks(rootfd);

    /* pivot_root(".", "."): the old root ends up stacked under the new one; detach it */
    if (fchdir(rootfd) < 0)
        fail_sys("chdir", o->rootfs);
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        fail_sys("pivot_root", o->rootfs);
    if (umount2(".", MNT_DETACH) < 0)
        fail_sys("detach old root", "/");
    if (chdir("/") < 0)
        fail_sys("chdir", "/");
    close(rootfd);
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

/* execve with a PATH search when the name has no slash; returns the most telling errno. */
static int exec_search(char **argv, char **envp)
{
    if (strchr(argv[0], '/')) {
        execve(argv[0], argv, envp);
        return errno;
    }
    const char *path = PATH_ENV + 5;
    for (char **e = envp; *e; e++)
        if (!strncmp(*e, "PATH=", 5))
            path = *e + 5;
    int err = ENOENT;
    while (*path) {
        const char *end = strchrnul(path, ':');
        char full[PATH_MAX];
        int n = snprintf(full, sizeof full, "%.*s/%s", (int)(end - path), path, argv[0]);
        if (n > 0 && n < (int)sizeof full) {
            execve(full, argv, envp);
            if (errno != ENOENT && errno != ENOTDIR)
                err = errno;
        }
        path = *end ? end + 1 : end;
    }
    return err;
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

static void NORETURN container_child(const struct start_opts *o)
{
    g_phase = PHASE_CHILD;
    g_child_sock = g_rt.sock;

    /* a new time namespace becomes ours at execve; its offsets are written by the parent meanwhile */
    if ((o->ns_new & NSBIT(NS_TIME)) && unshare(CLONE_NEWTIME) < 0)
        fail_sys("unshare", "time namespace");
    child_send("R");
    child_wait('G');

    if ((o->ns_new | o->ns_join) & NSBIT(NS_USER))
        become_ns_root();
    join_child_namespaces(o);
    if (o->hostname && sethostname(o->hostname, strlen(o->hostname)) < 0)
        fail_sys("sethostname", o->hostname);
    if (o->ns_new & NSBIT(NS_NET))
        loopback_up();
    if (o->ns_new & NSBIT(NS_MNT))
        setup_rootfs(o);
    else if (chdir("/") < 0)
        fail_sys("chdir", "/");
    child_wait('P');
    setup_cgroup_ns(o);
    attach_console();
    cloexec_from_3();
    reset_signals();

    char *envp[] = {"container=berth", PATH_ENV, "TERM=linux", "HOME=/root", NULL};
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
}

/* Read one message from the child: 'R' = ready for parent setup, 'E...' = failure, EOF = exec'd. */
static int read_child_message(char *buf, size_t size)
{
    ssize_t n;
    while ((n = read(g_rt.sock, buf, size - 1)) < 0 && errno == EINTR) {
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
static int write_id_map(const char *path, const char *const *lines, int n)
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

/* Whether `procs` is the cgroup.procs of directory `dir` (a trailing '/' on dir is allowed). */
static int procs_of_dir(const char *procs, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return !strncmp(procs, dir, n) && !strcmp(procs + n, "/cgroup.procs");
}

/*
 * Writes init's pid into each --cgroup-procs file, except the one clone3 placed it in already. The first
 * write after an idle moment waits for an RCU grace period in the kernel (cgroup_threadgroup_rwsem), several
 * milliseconds, which is why the child sets up its mounts meanwhile and the caller may start that wait early.
 */
static void place_in_cgroups(const struct start_opts *o)
{
    char pid[32], op[64];
    snprintf(pid, sizeof pid, "%d\n", (int)g_rt.child);
    snprintf(op, sizeof op, "write pid %d to", (int)g_rt.child);
    for (int i = 0; i < o->n_cg_procs; i++) {
        if (g_rt.cloned_into_cgroup && procs_of_dir(o->cg_procs[i], o->cgroup_dir))
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

/* The child may set up its mounts now (it is not in its cgroups yet and runs no container code). */
static void child_go(void)
{
    if (write(g_rt.sock, "G", 1) != 1)
        fail_sys("send GO to container process", "sync socket");
}

/* PLACED to the child, then wait for the exec: EOF on the CLOEXEC socket = success. */
static void release_child(void)
{
    /* a child that failed in its set-up has closed its end: its message is read below */
    if (write(g_rt.sock, "P", 1) != 1 && errno != EPIPE)
        fail_sys("send PLACED to container process", "sync socket");
    char buf[MSG_MAX + 2];
    if (read_child_message(buf, sizeof buf) != 0)
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
static void detach_stdio(void)
{
    int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return;
    for (int i = 0; i < 3; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
}

/* ---------------------------------------------------------------- monitor ---------- */

static void log_rotate(void)
{
    char old[PATH_MAX];
    snprintf(old, sizeof old, "%s.1", g_opts->console_log);
    close(g_rt.log_fd);
    rename(g_opts->console_log, old);
    g_rt.log_fd = open(g_opts->console_log, O_CREAT | O_TRUNC | O_WRONLY | O_APPEND | O_CLOEXEC, 0640);
    g_rt.log_size = 0;
}

/* Append to the console log, rotating to FILE.1 so that no file exceeds --console-max. */
static void log_write(const char *buf, size_t n)
{
    while (n > 0 && g_rt.log_fd >= 0) {
        if (g_rt.log_size >= g_rt.log_max)
            log_rotate();
        if (g_rt.log_fd < 0)
            return;
        size_t room = (size_t)(g_rt.log_max - g_rt.log_size);
        ssize_t w = write(g_rt.log_fd, buf, n < room ? n : room);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) { /* disk full or the like: stop logging rather than spin */
            close(g_rt.log_fd);
            g_rt.log_fd = -1;
            return;
        }
        g_rt.log_size += w;
        buf += w;
        n -= (size_t)w;
    }
}

/*
 * Interactive console: STATE_DIR/console.sock (mode 0600). One client at a time; a second one is told
 * "BUSY" and closed. On accept the monitor answers "OK <bytes>\n": the size of the current console log at
 * that moment. What was logged before is in the log; everything after goes to the log and to the client,
 * so a client reads the log's first <bytes> bytes and then the socket, without a gap or a repeat.
 * Client to monitor: frames of one type byte, a 16-bit big-endian length and the payload:
 * 'D' bytes typed on the console; 'W' 4 bytes, columns and rows (16-bit big-endian each) -> TIOCSWINSZ.
 */
#define CONSOLE_SOCK "console.sock"
#define CONSOLE_FRAME_MAX (3 + 65535)

static struct {
    int listen_fd, client_fd;
    unsigned char in[CONSOLE_FRAME_MAX];
    size_t in_len;
} g_console = {-1, -1, {0}, 0};

static int listen_unix(const struct start_opts *o, const char *name, int backlog);

static void console_listen(const struct start_opts *o)
{
    /* without the socket (e.g. its path is too long) the console stays read-only: the log */
    g_console.listen_fd = listen_unix(o, CONSOLE_SOCK, 2);
    if (g_console.listen_fd >= 0 && g_rt.console_master >= 0) /* a client must never block the monitor */
        fcntl(g_rt.console_master, F_SETFL, fcntl(g_rt.console_master, F_GETFL) | O_NONBLOCK);
}

static void console_drop_client(void)
{
    if (g_console.client_fd >= 0)
        close(g_console.client_fd);
    g_console.client_fd = -1;
    g_console.in_len = 0;
}

static void console_accept(void)
{
    int fd = accept4(g_console.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    struct timeval tv = {1, 0}; /* a client that stops reading is dropped, not waited for */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char peek;
    if (g_console.client_fd >= 0 && recv(g_console.client_fd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
        console_drop_client(); /* the attached client hung up just before this one came: it is free */
    if (g_console.client_fd >= 0) {
        if (write_all(fd, "BUSY\n", 5) < 0) {
            /* it is closed anyway */
        }
        close(fd);
        return;
    }
    char hello[64];
    int n = snprintf(hello, sizeof hello, "OK %lld\n", g_rt.log_fd >= 0 ? g_rt.log_size : 0LL);
    if (write_all(fd, hello, (size_t)n) < 0) {
        close(fd);
        return;
    }
    g_console.client_fd = fd;
    g_console.in_len = 0;
}

static void console_to_client(const char *buf, size_t n)
{
    if (g_console.client_fd >= 0 && write_all(g_console.client_fd, buf, n) < 0)
        console_drop_client();
}

/* Typed bytes go to the master; a full input queue drops them (the monitor never blocks on a client). */
static void console_write_master(const unsigned char *p, size_t n)
{
    while (n > 0 && g_rt.console_master >= 0) {
        ssize_t w = write(g_rt.console_master, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static void console_client_input(void)
{
    ssize_t r = recv(g_console.client_fd, g_console.in + g_console.in_len, sizeof g_console.in - g_console.in_len,
                     MSG_DONTWAIT); /* the socket blocks for writes (with a timeout), never for reads */
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (r <= 0) {
        console_drop_client();
        return;
    }
    g_console.in_len += (size_t)r;
    size_t at = 0;
    while (g_console.in_len - at >= 3) {
        unsigned char type = g_console.in[at];
        size_t len = ((size_t)g_console.in[at + 1] << 8) | g_console.in[at + 2];
        if (g_console.in_len - at < 3 + len)
            break;
        const unsigned char *payload = g_console.in + at + 3;
        if (type == 'D') {
            console_write_master(payload, len);
        } else if (type == 'W' && len == 4 && g_rt.console_master >= 0) {
            struct winsize ws;
            memset(&ws, 0, sizeof ws);
            ws.ws_col = (unsigned short)((payload[0] << 8) | payload[1]);
            ws.ws_row = (unsigned short)((payload[2] << 8) | payload[3]);
            if (ws.ws_col && ws.ws_row)
                ioctl(g_rt.console_master, TIOCSWINSZ, &ws);
        } else {
            console_drop_client(); /* not our protocol */
            return;
        }
        at += 3 + len;
    }
    memmove(g_console.in, g_console.in + at, g_console.in_len - at);
    g_console.in_len -= at;
}

/* Copy what is waiting on the console master; returns 0 when the master is unusable. */
static int console_pump(void)
{
    char buf[16384];
    ssize_t n = read(g_rt.console_master, buf, sizeof buf);
    if (n > 0) {
        log_write(buf, (size_t)n);
        console_to_client(buf, (size_t)n);
        return 1;
    }
    return n < 0 && (errno == EINTR || errno == EAGAIN);
}

/* Reap every child that has ended; returns 1 once init is among them. */
/* ---------------------------------------------------------------- exec service ----- */

/*
 * The monitor runs commands in its container on request (STATE_DIR/exec.sock): it forks and its child runs
 * the same code as `berth-helper exec`, so a caller saves the start of a helper process per command. See
 * PROTOCOL.md, "Exec service".
 */
#define EXEC_SOCK "exec.sock"
#define EXEC_REQUEST_MAX 65536
#define EXEC_ARGS_MAX 512
#define EXEC_RUNNING_MAX 64

static int cmd_exec(int argc, char **argv);

static struct {
    int listen_fd;
    struct {
        pid_t pid;
        int client_fd;
    } running[EXEC_RUNNING_MAX];
} g_exec_service = {-1, {{0, -1}}};

/* A listening unix stream socket STATE_DIR/NAME, mode 0600 (root only), non-blocking; -1 if it cannot be. */
static int listen_unix(const struct start_opts *o, const char *name, int backlog)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (snprintf(addr.sun_path, sizeof addr.sun_path, "%s/%s", o->state_dir, name) >= (int)sizeof addr.sun_path)
        return -1; /* path too long for a unix socket */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    unlinkat(g_rt.state_fd, name, 0);
    mode_t old = umask(077);
    int rc = bind(fd, (struct sockaddr *)&addr, sizeof addr);
    umask(old);
    if (rc < 0 || listen(fd, backlog) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Only a monitor that stayed in the host's pid, time and user namespaces can run `exec` for others. */
static void exec_service_listen(const struct start_opts *o)
{
    if (o->ns_join & (NSBIT(NS_PID) | NSBIT(NS_TIME) | NSBIT(NS_USER)))
        return;
    for (int i = 0; i < EXEC_RUNNING_MAX; i++)
        g_exec_service.running[i].client_fd = -1;
    g_exec_service.listen_fd = listen_unix(o, EXEC_SOCK, 16);
}

static void exec_reply(int fd, const char *fmt, ...) PRINTF(2, 3);
static void exec_reply(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vline_to(fd, fmt, ap) < 0) {
        /* the caller went away; the command's result is lost with it */
    }
    va_end(ap);
}

/* Reads exactly n bytes; the socket has a receive timeout, so a silent caller cannot hold the monitor. */
static int read_exact(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* In the forked child: stdio to the request's files, then what `berth-helper exec ARGS` does. */
static void NORETURN exec_service_child(char **fields, int n)
{
    g_phase = PHASE_EXEC;
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out = open(fields[0], O_WRONLY | O_TRUNC | O_CLOEXEC);
    int err = open(fields[1], O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        _exit(125);
    reset_signals();
    if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
        _exit(125);
    exit(cmd_exec(n - 2, fields + 2));
}

static void exec_service_accept(void)
{
    int fd = accept4(g_exec_service.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    struct timeval tv = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int slot = -1;
    for (int i = 0; i < EXEC_RUNNING_MAX && slot < 0; i++)
        if (g_exec_service.running[i].client_fd < 0)
            slot = i;
    /* header: "EXEC <length>\n", read byte by byte so nothing of the payload is consumed */
    char head[32];
    size_t len = 0;
    while (len < sizeof head - 1 && read_exact(fd, head + len, 1) == 0 && head[len] != '\n')
        len++;
    head[len] = 0;
    long long size;
    static char payload[EXEC_REQUEST_MAX + 1];
    if (strncmp(head, "EXEC ", 5) || parse_ll(head + 5, &size) < 0 || size < 4 || size > EXEC_REQUEST_MAX
        || read_exact(fd, payload, (size_t)size) < 0 || payload[size - 1] != 0) {
        exec_reply(fd, "ERROR the request is not EXEC <length> with NUL-terminated fields");
        close(fd);
        return;
    }
    if (slot < 0) {
        exec_reply(fd, "ERROR %d commands run in this container already; try again when one has ended",
                   EXEC_RUNNING_MAX);
        close(fd);
        return;
    }
    char *fields[EXEC_ARGS_MAX + 1];
    int n = 0;
    for (char *p = payload; p < payload + size && n < EXEC_ARGS_MAX; p += strlen(p) + 1)
        fields[n++] = p;
    fields[n] = NULL;
    if (n < 4) {
        exec_reply(fd, "ERROR the request needs a stdout file, a stderr file and the exec arguments");
        close(fd);
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        exec_reply(fd, "ERROR fork: %s", strerror(errno));
        close(fd);
        return;
    }
    if (pid == 0)
        exec_service_child(fields, n);
    g_exec_service.running[slot].pid = pid;
    g_exec_service.running[slot].client_fd = fd;
}

/* A reaped process: if it ran a request, answer with its end as a shell reports it. */
static void exec_service_ended(pid_t pid, int ws)
{
    for (int i = 0; i < EXEC_RUNNING_MAX; i++) {
        if (g_exec_service.running[i].client_fd < 0 || g_exec_service.running[i].pid != pid)
            continue;
        int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        exec_reply(g_exec_service.running[i].client_fd, "EXIT %d", code);
        close(g_exec_service.running[i].client_fd);
        g_exec_service.running[i].client_fd = -1;
        return;
    }
}

static int reap_children(int *status)
{
    int found = 0, ws;
    pid_t w;
    while ((w = waitpid(-1, &ws, WNOHANG)) > 0) {
        if (w == g_rt.child) {
            *status = ws;
            found = 1;
        } else {
            exec_service_ended(w, ws);
        }
    }
    return found;
}

/* Runs until init has been reaped; returns its wait status. */
static int monitor_loop(const struct start_opts *o)
{
    int status = 0;
    console_listen(o);
    exec_service_listen(o);
    for (;;) {
        /* fixed slots: signals, console master, listening socket, attached client, exec service (-1 = ignored) */
        struct pollfd pf[5] = {{g_rt.sigfd, POLLIN, 0}, {g_rt.console_master, POLLIN, 0},
                               {g_console.listen_fd, POLLIN, 0}, {g_console.client_fd, POLLIN, 0},
                               {g_exec_service.listen_fd, POLLIN, 0}};
        if (poll(pf, 5, -1) < 0) {
            if (errno == EINTR)
                continue;
            sleep_ms(10); /* cannot happen in practice; do not spin */
            continue;
        }
        if (g_rt.console_master >= 0 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) && !console_pump()) {
            close(g_rt.console_master);
            g_rt.console_master = -1;
        }
        /* the attached client first: a hang-up must free the console before the next client is answered */
        if (pf[3].fd >= 0 && pf[3].fd == g_console.client_fd && (pf[3].revents & (POLLIN | POLLHUP | POLLERR)))
            console_client_input();
        if (pf[2].fd >= 0 && (pf[2].revents & POLLIN))
            console_accept();
        if (pf[4].fd >= 0 && (pf[4].revents & POLLIN))
            exec_service_accept();
        if (!(pf[0].revents & POLLIN))
            continue;
        struct signalfd_siginfo si;
        if (read(g_rt.sigfd, &si, sizeof si) != sizeof si)
            continue;
        if (si.ssi_signo == SIGCHLD) {
            if (reap_children(&status))
                return status;
        } else {
            kill(g_rt.child, o->halt_signal); /* TERM/INT/HUP: ask init to halt */
        }
    }
}

static void console_drain(void)
{
    if (g_rt.console_master < 0)
        return;
    fcntl(g_rt.console_master, F_SETFL, O_NONBLOCK);
    while (console_pump()) {
        struct pollfd pf = {g_rt.console_master, POLLIN, 0};
        if (poll(&pf, 1, 0) <= 0)
            break;
    }
}

static void write_exit_record(int status)
{
    char line[64];
    if (WIFEXITED(status))
        snprintf(line, sizeof line, "exited %d\n", WEXITSTATUS(status));
    else /* reboot(2) inside a pid namespace kills its init with SIGHUP (restart) */
        snprintf(line, sizeof line, "killed %d%s\n", WTERMSIG(status),
                 g_rt.new_pidns && WTERMSIG(status) == SIGHUP ? " reboot" : "");
    write_state("exit", line);
}

/* Depth-first: an init such as systemd creates sub-groups inside ours. */
static int rmdir_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[PATH_MAX];
            snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
            rmdir_tree(sub);
        }
        closedir(d);
    }
    return rmdir(dir);
}

/* Remove one --cgroup-cleanup dir; EBUSY is retried for a bounded time (pid-ns teardown). */
static int remove_cgroup(const char *dir)
{
    for (int i = 0; i < CGROUP_RMDIR_TRIES; i++) {
        if (rmdir_tree(dir) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY && errno != ENOTEMPTY)
            return -1;
        sleep_ms(10);
    }
    return -1;
}

static void NORETURN monitor_finish(const struct start_opts *o, int status)
{
    if (g_console.listen_fd >= 0) {
        unlinkat(g_rt.state_fd, CONSOLE_SOCK, 0);
        close(g_console.listen_fd);
        g_console.listen_fd = -1;
    }
    if (g_exec_service.listen_fd >= 0) {
        /* callers still waiting on a command see the connection close: the container has ended */
        unlinkat(g_rt.state_fd, EXEC_SOCK, 0);
        close(g_exec_service.listen_fd);
        g_exec_service.listen_fd = -1;
    }
    console_drain();
    console_drop_client();
    if (g_rt.log_fd >= 0)
        close(g_rt.log_fd);
    write_exit_record(status);

    char done[PATH_MAX * 2] = "done\n";
    size_t used = strlen(done);
    for (int i = 0; i < o->n_cg_cleanup; i++)
        if (remove_cgroup(o->cg_cleanup[i]) < 0 && used < sizeof done)
            used += (size_t)snprintf(done + used, sizeof done - used, "cgroup-left %s: %s\n", o->cg_cleanup[i],
                                     strerror(errno));
    write_state("monitor.done", done);
    exit(0);
}

static int cmd_start(int argc, char **argv)
{
    static struct start_opts o;
    o.mask = 1;
    o.halt_signal = SIGTERM;
    o.console_max = DEFAULT_CONSOLE_MAX;
    g_phase = PHASE_START;
    g_opts = &o;
    g_rt.state_fd = g_rt.sock = g_rt.sigfd = g_rt.log_fd = -1;
    for (int i = 0; i < NS_COUNT; i++)
        g_rt.ns_fd[i] = -1;

    /* the monitor lives for the container's lifetime: keep nothing of the caller but stdio */
    if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
        fail_sys("close_range", "inherited descriptors");
    parse_start_args(argc, argv, &o);
    validate_start(&o);
    g_rt.new_pidns = (o.ns_new & NSBIT(NS_PID)) != 0;

    /* own session: the caller's terminal, ^C and hang-up do not reach the monitor */
    if (getsid(0) != getpid() && setsid() < 0 && errno != EPERM)
        fail_sys("setsid", "monitor");
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        fail_sys("become child subreaper", "monitor");
    g_start_undo = start_undo;
    open_state_dir(&o);
    open_console_log(&o);
    open_join_fds(&o);
    open_console();
    chown_console(&o);
    setup_signals();
    join_parent_namespaces(&o);

    spawn_child(&o);
    wait_child_ready();
    write_id_maps(&o);
    write_time_offsets(&o);
    /* the child mounts its root meanwhile, the caller records init's pid (and with --sync sets up a veth) */
    child_go();
    if (out_line("CHILD %d", (int)g_rt.child) < 0)
        fail_sys("write", "stdout");
    place_in_cgroups(&o);
    if (o.sync)
        await_caller("GO");
    release_child();

    if (out_line("READY %d %d", (int)g_rt.child, (int)getpid()) < 0)
        fail_sys("write READY to", "stdout");
    g_start_undo = NULL;
    detach_stdio();
    for (int i = 0; i < NS_COUNT; i++)
        if (g_rt.ns_fd[i] >= 0)
            close(g_rt.ns_fd[i]);
    monitor_finish(&o, monitor_loop(&o));
}

/* ================================================================ exec ============ */

struct exec_opts {
    pid_t pid;
    unsigned ns;
    int ns_given, no_chroot, cwd_given, login_shell, report;
    const char *cg_procs[MAX_REPEAT], *env[MAX_REPEAT];
    int n_cg_procs, n_env;
    uint64_t drop_caps;
    const char *term, *cwd, *tty;
    char **cmd;
};

static pid_t g_exec_child;

static void forward_signal(int sig)
{
    if (g_exec_child > 0)
        kill(g_exec_child, sig);
}

static const int FORWARDED[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};
#define N_FORWARDED ((int)(sizeof FORWARDED / sizeof FORWARDED[0]))

static void parse_exec_args(int argc, char **argv, struct exec_opts *o)
{
    int i;
    o->cwd = "/";
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "--no-chroot")) {
            o->no_chroot = 1;
        } else if (!strcmp(a, "--login-shell")) {
            o->login_shell = 1;
        } else if (!strcmp(a, "--report")) {
            o->report = 1;
        } else if (!strcmp(a, "--pid")) {
            const char *v = take_value(argc, argv, &i);
            long long p;
            if (parse_ll(v, &p) < 0 || p <= 0 || p > INT_MAX)
                fail("--pid needs a process id, got '%s'", v);
            o->pid = (pid_t)p;
        } else if (!strcmp(a, "--ns")) {
            o->ns = parse_ns_list(take_value(argc, argv, &i), "--ns");
            o->ns_given = 1;
        } else if (!strcmp(a, "--cgroup-procs")) {
            push_arg(o->cg_procs, &o->n_cg_procs, take_value(argc, argv, &i), a);
        } else if (!strcmp(a, "--drop-cap")) {
            o->drop_caps |= 1ULL << parse_cap(take_value(argc, argv, &i));
        } else if (!strcmp(a, "--env")) {
            const char *v = take_value(argc, argv, &i);
            if (!strchr(v, '=') || v[0] == '=')
                fail("--env needs K=V, got '%s'", v);
            push_arg(o->env, &o->n_env, v, a);
        } else if (!strcmp(a, "--term")) {
            o->term = take_value(argc, argv, &i);
        } else if (!strcmp(a, "--cwd")) {
            o->cwd = take_value(argc, argv, &i);
            o->cwd_given = 1;
        } else if (!strcmp(a, "--tty")) {
            o->tty = take_value(argc, argv, &i);
        } else if (a[0] == '-') {
            fail("unknown option %s for exec", a);
        } else {
            fail("unexpected argument '%s' (the command goes after --)", a);
        }
    }
    o->cmd = argv + i;
    if (!o->pid)
        fail("missing --pid");
    if (o->login_shell && o->cmd[0])
        fail("give either --login-shell or a command after --, not both");
    if (!o->cmd[0] && !o->login_shell)
        fail("missing command after --");
}

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

static void exec_join(const struct exec_opts *o, int pidfd, int fds[NS_COUNT])
{
    char target[32], op[64];
    snprintf(target, sizeof target, "%d", (int)o->pid);
    snprintf(op, sizeof op, "write pid %d to", (int)getpid());
    char self[32];
    snprintf(self, sizeof self, "%d\n", (int)getpid());
    for (int i = 0; i < o->n_cg_procs; i++)
        if (write_file(o->cg_procs[i], self) < 0)
            fail_sys(op, o->cg_procs[i]);
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
    if (ttyfd >= 0) {
        if (setsid() < 0)
            fail_sys("setsid", "exec");
        if (ioctl(ttyfd, TIOCSCTTY, 0) < 0)
            fail_sys("make controlling terminal", o->tty);
        for (int fd = 0; fd < 3; fd++)
            if (dup2(ttyfd, fd) < 0)
                fail_sys("dup2 terminal to", fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr");
    }
    cloexec_from_3();
    drop_caps(o->drop_caps);
    int err = exec_search(o->cmd, envp);
    dprintf(STDERR_FILENO, "berth-helper: exec %s: %s\n", o->cmd[0], strerror(err));
    if (reportfd >= 0)
        dprintf(reportfd, "exec %s: %s", o->cmd[0], strerror(err));
    _exit(err == ENOENT ? 127 : 126);
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

static int cmd_exec(int argc, char **argv)
{
    struct exec_opts o;
    memset(&o, 0, sizeof o);
    g_phase = PHASE_EXEC;
    parse_exec_args(argc, argv, &o);

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
    sigset_t fwd, old;
    sigemptyset(&fwd);
    for (int i = 0; i < N_FORWARDED; i++)
        sigaddset(&fwd, FORWARDED[i]);
    sigprocmask(SIG_BLOCK, &fwd, &old);
    pid_t child = fork(); /* needed: a joined pid namespace applies to children only */
    if (child < 0)
        fail_sys("fork", "exec");
    if (child == 0)
        exec_child(&o, ttyfd, report[1], envp);
    g_exec_child = child;
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
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sa.sa_flags = SA_RESTART;
    for (int i = 0; i < N_FORWARDED; i++)
        sigaction(FORWARDED[i], &sa, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return exec_wait(child);
}

/* ================================================================ init ============ */

/*
 * berth-helper init [-- CMD ARGS...]: Berth's minimal init, run as PID 1 of a container.
 * With CMD (application containers) it runs CMD, forwards the signals it gets to it, reaps every
 * orphan, and exits with CMD's status when CMD ends (after killing what CMD left behind).
 * Without CMD (the host template's system containers) it only reaps; a halt signal (TERM, INT,
 * USR1, USR2, PWR, HUP) makes it ask every process to end (SIGTERM), wait up to 5 s, SIGKILL the
 * rest, and exit 0.
 */
#define INIT_GRACE_MS 5000

static void init_kill_all(int sig)
{
    /* as PID 1 of a pid namespace, kill(-1) reaches every other process of the namespace */
    if (kill(-1, sig) < 0 && errno != ESRCH)
        dprintf(STDERR_FILENO, "berth-init: kill all: %s\n", strerror(errno));
}

/* Reaps until no child is left or the grace time is over; returns 1 when none is left. */
static int init_drain(long grace_ms)
{
    for (long waited = 0;; waited += 10) {
        pid_t p;
        while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
            ;
        if (p < 0 && errno == ECHILD)
            return 1;
        if (waited >= grace_ms)
            return 0;
        sleep_ms(10);
    }
}

static void NORETURN init_shutdown(int status)
{
    init_kill_all(SIGTERM);
    if (!init_drain(INIT_GRACE_MS)) {
        init_kill_all(SIGKILL);
        init_drain(INIT_GRACE_MS);
    }
    _exit(status);
}

static int cmd_init(int argc, char **argv)
{
    char **cmd = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            if (i + 1 < argc)
                cmd = argv + i + 1;
            break;
        }
        dprintf(STDERR_FILENO, "berth-init: unknown option '%s'\n", argv[i]);
        return 2;
    }
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    int sfd = signalfd(-1, &all, SFD_CLOEXEC);
    if (sfd < 0) {
        dprintf(STDERR_FILENO, "berth-init: signalfd: %s\n", strerror(errno));
        return 125;
    }
    pid_t main_child = 0;
    if (cmd) {
        main_child = fork();
        if (main_child < 0) {
            dprintf(STDERR_FILENO, "berth-init: fork: %s\n", strerror(errno));
            return 125;
        }
        if (main_child == 0) {
            sigprocmask(SIG_UNBLOCK, &all, NULL);
            execvp(cmd[0], cmd);
            int err = errno;
            dprintf(STDERR_FILENO, "berth-init: exec %s: %s\n", cmd[0], strerror(err));
            _exit(err == ENOENT ? 127 : 126);
        }
    }
    for (;;) {
        struct signalfd_siginfo si;
        ssize_t n = read(sfd, &si, sizeof si);
        if (n != (ssize_t)sizeof si) {
            if (n < 0 && errno == EINTR)
                continue;
            dprintf(STDERR_FILENO, "berth-init: read signalfd: %s\n", strerror(errno));
            init_shutdown(125);
        }
        int sig = (int)si.ssi_signo;
        if (sig == SIGCHLD) {
            int status;
            pid_t p;
            while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
                if (main_child && p == main_child) {
                    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                    init_shutdown(code);
                }
            }
            continue;
        }
        if (main_child) {
            kill(main_child, sig);   /* the program decides what each signal means */
            continue;
        }
        if (sig == SIGTERM || sig == SIGINT || sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGPWR
            || sig == SIGHUP)
            init_shutdown(0);
    }
}

/* ================================================================ main ============ */

static void usage(void)
{
    dprintf(STDERR_FILENO, "usage: berth-helper start [options] -- INIT [ARGS...]\n"
                           "       berth-helper exec --pid PID [options] -- CMD [ARGS...]\n"
                           "       berth-helper init [-- CMD [ARGS...]]   (as PID 1 of a container)\n"
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
    if (!strcmp(argv[1], "exec"))
        return cmd_exec(argc - 2, argv + 2);
    if (!strcmp(argv[1], "init"))
        return cmd_init(argc - 2, argv + 2);
    if (!strcmp(argv[1], "version")) {
        out_line("berth-helper %s", HELPER_VERSION);
        return 0;
    }
    dprintf(STDERR_FILENO, "berth-helper: unknown command '%s'\n", argv[1]);
    usage();
    return 2;
}
