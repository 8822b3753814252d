/*
 * common.c: error routing (one sentence per failure, sent where the phase says), I/O helpers, namespaces
 * and capabilities as both start and exec use them.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/magic.h>
#include <linux/nsfs.h>

/* ================================================================ reporting ===== */

enum phase g_phase = PHASE_EXEC;
int g_child_sock = -1;
void (*g_start_undo)(void);
int g_exec_report_fd = -1;

int write_all(int fd, const void *buf, size_t len)
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
int vline_to(int fd, const char *fmt, va_list ap)
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
int PRINTF(1, 2) out_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vline_to(STDOUT_FILENO, fmt, ap);
    va_end(ap);
    return rc;
}

void NORETURN report(const char *msg)
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

/* A failure that is not a system call: the caller writes the whole sentence (cut to MSG_MAX). */
int PRINTF(2, 3) failure_set(struct failure *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* The one place a failed system call becomes a sentence: "<op> <target>: <strerror>". */
int failure_errno(struct failure *f, int err, const char *op, const char *target)
{
    if (target && *target)
        return failure_set(f, "%s %s: %s", op, target, strerror(err));
    return failure_set(f, "%s: %s", op, strerror(err));
}

int failure_sys(struct failure *f, const char *op, const char *target)
{
    return failure_errno(f, errno, op, target);
}

void NORETURN fail_with(const struct failure *f)
{
    report(f->msg);
}

void NORETURN PRINTF(1, 2) fail(const char *fmt, ...)
{
    struct failure f;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f.msg, sizeof f.msg, fmt, ap);
    va_end(ap);
    report(f.msg);
}

void NORETURN fail_errno(int err, const char *op, const char *target)
{
    struct failure f;
    failure_errno(&f, err, op, target);
    report(f.msg);
}

void NORETURN fail_sys(const char *op, const char *target)
{
    fail_errno(errno, op, target);
}

/* ================================================================ small utilities == */

int write_file(const char *path, const char *data)
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

/* The directory of `procs` when it is DIR/cgroup.procs on a cgroup file system (v1: `v2` 0, cgroup2: 1), else 0. */
int cgroup_procs_dir(const char *procs, char *dir, size_t size, int *v2)
{
    const char *slash = strrchr(procs, '/');
    struct statfs fs;
    if (!slash || strcmp(slash, "/cgroup.procs") != 0 || (size_t)(slash - procs) >= size || slash == procs)
        return 0;
    memcpy(dir, procs, (size_t)(slash - procs));
    dir[slash - procs] = 0;
    if (statfs(dir, &fs) < 0)
        return 0; /* written the old way, which then says why it fails */
    if (fs.f_type != CGROUP2_SUPER_MAGIC && fs.f_type != CGROUP_SUPER_MAGIC)
        return 0;
    *v2 = fs.f_type == CGROUP2_SUPER_MAGIC;
    return 1;
}

int cgroup2_procs(const char *const *procs, int n, char *dir, size_t size)
{
    for (int i = 0; i < n; i++) {
        int v2;
        if (cgroup_procs_dir(procs[i], dir, size, &v2) && v2)
            return i;
    }
    return -1;
}

pid_t clone_into_cgroup(const char *dir)
{
    int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        fail_sys("open cgroup directory", dir);
    struct clone_args ca;
    memset(&ca, 0, sizeof ca);
    ca.flags = CLONE_INTO_CGROUP;
    ca.exit_signal = SIGCHLD;
    ca.cgroup = (uint64_t)dirfd;
    pid_t child = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
    int err = errno;
    close(dirfd);
    errno = err;
    return child;
}

void join_cgroups(const char *const *procs, int n, int skip)
{
    char self[32], op[64];
    snprintf(self, sizeof self, "%d\n", (int)getpid());
    snprintf(op, sizeof op, "write pid %d to", (int)getpid());
    for (int i = 0; i < n; i++) {
        char dir[PATH_MAX], tasks[PATH_MAX + 8];
        int v2;
        if (i == skip)
            continue;
        if (cgroup_procs_dir(procs[i], dir, sizeof dir, &v2) && !v2) {
            snprintf(tasks, sizeof tasks, "%s/tasks", dir);
            if (write_file(tasks, "0") < 0) /* this thread, which is the whole process */
                fail_sys("move into", tasks);
        } else if (write_file(procs[i], self) < 0) {
            fail_sys(op, procs[i]);
        }
    }
}

void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* Mark every descriptor from 3 up close-on-exec (the error socket must survive until execve). */
void cloexec_from_3(void)
{
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        fail_sys("close_range", "descriptors 3 and up");
}

void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL); /* SIGKILL/SIGSTOP and the libc-internal ones just fail */
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* execve with a PATH search when the name has no slash; returns the most telling errno. */
int exec_search(char **argv, char **envp)
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

/* ================================================================ namespaces ====== */

const struct ns_type NS[NS_COUNT] = {
    {"user", CLONE_NEWUSER}, {"mnt", CLONE_NEWNS},   {"uts", CLONE_NEWUTS},
    {"ipc", CLONE_NEWIPC},   {"net", CLONE_NEWNET},  {"pid", CLONE_NEWPID},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

/* Open a namespace file and check that it is a namespace of the expected type. */
int open_ns_file(const char *path, int type)
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

void join_ns(int fd, int type, const char *path)
{
    char op[64];
    snprintf(op, sizeof op, "setns %s", NS[type].name);
    if (setns(fd, NS[type].flag) < 0)
        fail_sys(op, path);
}

/* Root inside a user namespace (new or joined): uid/gid 0, no supplementary groups. */
void become_ns_root(void)
{
    if (setgroups(0, NULL) < 0 && errno != EPERM) /* EPERM: setgroups is "deny" here */
        fail_sys("setgroups", "[]");
    if (setresgid(0, 0, 0) < 0)
        fail_sys("setresgid", "0");
    if (setresuid(0, 0, 0) < 0)
        fail_sys("setresuid", "0");
}

/* ================================================================ capabilities ==== */

const char *const CAP_NAMES[] = {
    "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid",
    "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw",
    "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
    "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod",
    "lease", "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog",
    "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};
const int CAP_COUNT = (int)(sizeof CAP_NAMES / sizeof CAP_NAMES[0]);

/*
 * Drop from the bounding set, the ambient set, then effective/permitted/inheritable.
 * No PR_SET_NO_NEW_PRIVS: it would break su, sudo and sshd inside a system container.
 */
void drop_caps(uint64_t caps)
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

/* ---------------------------------------------------------------- descriptors ----- */

int send_fd(int sock, char tag, int fd)
{
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {&tag, 1};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    memset(control, 0, sizeof control);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof(int));
    ssize_t n;
    while ((n = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
    }
    return n == 1 ? 0 : -1;
}

int recv_fd(int sock, char *tag)
{
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {tag, 1};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    *tag = 0;
    while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    if (n != 1) {
        *tag = 0;
        return -1;
    }
    int fd = -1;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h))
        if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
            memcpy(&fd, CMSG_DATA(h), sizeof fd);
    if (fd < 0)
        errno = EBADMSG;
    return fd;
}

const char *proc_stat_fields(int proc_fd, pid_t pid, char *buf, size_t size)
{
    char path[32];
    snprintf(path, sizeof path, "%d/stat", (int)pid);
    int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    return p ? p + 1 : NULL;
}
