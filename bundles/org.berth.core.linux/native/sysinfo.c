/*
 * sysinfo.c: the container's sysinfo(2), answered by its monitor (see sysinfo.h).
 */
#include "sysinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* ---------------------------------------------------------------- pure ------------- */

static unsigned long min_ul(unsigned long long a, unsigned long long b)
{
    return (unsigned long)(a < b ? a : b);
}

void sysinfo_of_container(struct sysinfo *out, const struct sysinfo *host, const struct container_usage *u)
{
    unsigned long long unit = host->mem_unit ? host->mem_unit : 1;
    unsigned long long total = host->totalram * unit, free_ram = host->freeram * unit;
    unsigned long long shared = host->sharedram * unit, buffers = host->bufferram * unit;
    unsigned long long swap = host->totalswap * unit, free_swap = host->freeswap * unit;
    memset(out, 0, sizeof *out);
    out->uptime = host->uptime;
    memcpy(out->loads, host->loads, sizeof out->loads);
    out->procs = host->procs;
    out->mem_unit = 1;
    out->totalram = (unsigned long)total;
    out->freeram = (unsigned long)free_ram;
    out->sharedram = (unsigned long)shared;
    out->bufferram = (unsigned long)buffers;
    out->totalswap = (unsigned long)swap;
    out->freeswap = (unsigned long)free_swap;
    out->totalhigh = (unsigned long)(host->totalhigh * unit);
    out->freehigh = (unsigned long)(host->freehigh * unit);
    if (u->mem_limit >= 0 && (unsigned long long)u->mem_limit < total) {
        unsigned long long limit = (unsigned long long)u->mem_limit;
        unsigned long long used = u->mem_usage < 0 ? 0 : (unsigned long long)u->mem_usage;
        out->totalram = (unsigned long)limit;
        out->freeram = (unsigned long)(used < limit ? limit - used : 0);
        /* the host's shared memory and buffers are not the container's; its page cache is in its usage */
        out->sharedram = 0;
        out->bufferram = 0;
        out->totalhigh = out->freehigh = 0;
    }
    if (u->swap_limit >= 0) {
        unsigned long long limit = (unsigned long long)u->swap_limit;
        unsigned long long used = u->swap_usage < 0 ? 0 : (unsigned long long)u->swap_usage;
        out->totalswap = min_ul(limit, swap);
        out->freeswap = (unsigned long)(used < out->totalswap ? out->totalswap - used : 0);
    }
    if (u->tasks > 0)
        out->procs = (unsigned short)(u->tasks < 65535 ? u->tasks : 65535);
    if (u->uptime >= 0 && u->uptime <= host->uptime)
        out->uptime = (long)u->uptime;
}

long long cgroup_value(const char *text)
{
    while (*text == ' ')
        text++;
    if (!strncmp(text, "max", 3))
        return USAGE_UNKNOWN;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || (*end && *end != '\n'))
        return USAGE_UNKNOWN;
    /* v1 writes "no limit" as the largest page-aligned long */
    if (v >= (1ULL << 62))
        return USAGE_UNKNOWN;
    return (long long)v;
}

/* ---------------------------------------------------------------- the cgroup ------- */

static int open_in(const char *procs, const char *name)
{
    char path[PATH_MAX];
    const char *slash = strrchr(procs, '/');
    if (!slash || snprintf(path, sizeof path, "%.*s/%s", (int)(slash - procs), procs, name) >= (int)sizeof path)
        return -1;
    return open(path, O_RDONLY | O_CLOEXEC);
}

static long long read_value(int fd)
{
    char buf[64];
    if (fd < 0)
        return USAGE_UNKNOWN;
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return USAGE_UNKNOWN;
    buf[n] = 0;
    return cgroup_value(buf);
}

static long long count_lines(int fd)
{
    char buf[4096];
    long long lines = 0;
    off_t at = 0;
    ssize_t n;
    while ((n = pread(fd, buf, sizeof buf, at)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
        at += n;
    }
    return n < 0 ? USAGE_UNKNOWN : lines;
}

/* init's start time (field 22 of /proc/PID/stat, clock ticks since boot) in seconds; -1 if unreadable */
static long long started_at(int proc_fd, pid_t pid)
{
    char buf[1024];
    const char *p = proc_stat_fields(proc_fd, pid, buf, sizeof buf);
    for (int field = 3; field < 22 && p; field++) /* p: the space before field 3, the state */
        p = strchr(p + 1, ' ');
    long ticks = sysconf(_SC_CLK_TCK);
    return p && ticks > 0 ? strtoll(p + 1, NULL, 10) / ticks : -1;
}

void sysinfo_source_open(struct sysinfo_source *s, int proc_fd, const char *const *cg_procs, int n, pid_t init)
{
    memset(s, 0, sizeof *s);
    s->proc_fd = proc_fd;
    s->limit_fd = s->usage_fd = s->swap_limit_fd = s->swap_usage_fd = s->tasks_fd = -1;
    for (int i = 0; i < n; i++) {
        int fd;
        if (s->limit_fd < 0 && (fd = open_in(cg_procs[i], "memory.max")) >= 0) { /* v2 */
            s->limit_fd = fd;
            s->usage_fd = open_in(cg_procs[i], "memory.current");
            s->swap_limit_fd = open_in(cg_procs[i], "memory.swap.max");
            s->swap_usage_fd = open_in(cg_procs[i], "memory.swap.current");
        } else if (s->limit_fd < 0 && (fd = open_in(cg_procs[i], "memory.limit_in_bytes")) >= 0) { /* v1 */
            s->limit_fd = fd;
            s->usage_fd = open_in(cg_procs[i], "memory.usage_in_bytes");
            s->swap_limit_fd = open_in(cg_procs[i], "memory.memsw.limit_in_bytes");
            s->swap_usage_fd = open_in(cg_procs[i], "memory.memsw.usage_in_bytes");
            s->swap_is_memsw = 1;
        }
        if (s->tasks_fd < 0 || s->tasks_are_lines) {
            if ((fd = open_in(cg_procs[i], "pids.current")) >= 0) {
                if (s->tasks_fd >= 0)
                    close(s->tasks_fd);
                s->tasks_fd = fd;
                s->tasks_are_lines = 0;
            } else if (s->tasks_fd < 0 && (fd = open(cg_procs[i], O_RDONLY | O_CLOEXEC)) >= 0) {
                s->tasks_fd = fd;
                s->tasks_are_lines = 1;
            }
        }
    }
    s->started = started_at(proc_fd, init);
}

void sysinfo_source_read(const struct sysinfo_source *s, struct container_usage *u)
{
    u->mem_limit = read_value(s->limit_fd);
    u->mem_usage = read_value(s->usage_fd);
    u->swap_limit = read_value(s->swap_limit_fd);
    u->swap_usage = read_value(s->swap_usage_fd);
    if (s->swap_is_memsw) { /* v1: memory + swap together */
        u->swap_limit = u->swap_limit < 0 || u->mem_limit < 0 || u->swap_limit < u->mem_limit
                            ? USAGE_UNKNOWN
                            : u->swap_limit - u->mem_limit;
        u->swap_usage = u->swap_usage < 0 || u->mem_usage < 0 || u->swap_usage < u->mem_usage
                            ? 0
                            : u->swap_usage - u->mem_usage;
    }
    u->tasks = s->tasks_fd < 0 ? USAGE_UNKNOWN : s->tasks_are_lines ? count_lines(s->tasks_fd) : read_value(s->tasks_fd);
    u->uptime = USAGE_UNKNOWN;
    struct sysinfo host;
    if (s->started >= 0 && sysinfo(&host) == 0 && host.uptime >= s->started)
        u->uptime = host.uptime - s->started;
}

/* ---------------------------------------------------------------- notifications ---- */

/*
 * The write into the caller's memory, in a child of ours that gets WRITE_WAIT_MS: the caller chooses the address,
 * and a page backed by its own FUSE file system (or a userfaultfd, where a profile allows one) would hold a plain
 * pwrite, and with it the monitor, for as long as the container likes. A child that does not finish is killed (such
 * waits end on SIGKILL). 0: written; -1: not (a bad address: EFAULT); 1: no child could be made (the kernel's answer).
 */
#define WRITE_WAIT_MS 1000

static int write_guarded(int mem, const void *buf, size_t n, off_t at)
{
    pid_t child = fork();
    if (child < 0)
        return 1;
    if (child == 0)
        _exit(pwrite(mem, buf, n, at) == (ssize_t)n ? 0 : 1);
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    if (pidfd >= 0) {
        struct pollfd pf = {pidfd, POLLIN, 0};
        int r;
        while ((r = poll(&pf, 1, WRITE_WAIT_MS)) < 0 && errno == EINTR) {
        }
        if (r == 0)
            kill(child, SIGKILL);
        close(pidfd);
    }
    int st;
    while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int sysinfo_serve(int listener, const struct sysinfo_source *s)
{
    static struct seccomp_notif *req;
    static struct seccomp_notif_resp *resp;
    static int nr_sysinfo = -1;
    static uint32_t native;
    if (!req) {
        if (seccomp_notify_alloc(&req, &resp) < 0)
            return -1;
        nr_sysinfo = seccomp_syscall_resolve_name("sysinfo");
        native = seccomp_arch_native();
    }
    memset(req, 0, sizeof *req);
    /* a failure: the caller was gone before it was read (a signal), or the filter has no task left, which the
       caller's poll sees as a hang-up */
    if (seccomp_notify_receive(listener, req) < 0)
        return 0;
    memset(resp, 0, sizeof *resp);
    resp->id = req->id;
    resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE; /* the kernel's answer unless ours is written */
    if (req->data.nr == nr_sysinfo && req->data.arch == native) {
        struct sysinfo host, mine;
        struct container_usage u;
        char path[32];
        snprintf(path, sizeof path, "%d/mem", (int)req->pid);
        int mem = openat(s->proc_fd, path, O_RDWR | O_CLOEXEC);
        /* the id still valid after the open: the file is the caller's memory, not that of a process that reused
           its pid (seccomp_unotify(2)) */
        if (mem >= 0 && seccomp_notify_id_valid(listener, req->id) == 0 && sysinfo(&host) == 0) {
            sysinfo_source_read(s, &u);
            sysinfo_of_container(&mine, &host, &u);
            int w = write_guarded(mem, &mine, sizeof mine, (off_t)req->data.args[0]);
            if (w == 0) {
                resp->flags = 0;
                resp->val = 0;
            } else if (w < 0) {
                resp->flags = 0;
                resp->error = -EFAULT; /* what the kernel says of a bad pointer */
            }
        }
        if (mem >= 0)
            close(mem);
    }
    seccomp_notify_respond(listener, resp); /* ENOENT: the caller was killed meanwhile */
    return 0;
}
