/*
 * sysinfo.h: a container's own sysinfo(2). busybox's free and uptime, glibc's sysconf(_SC_PHYS_PAGES) and the JVM
 * size themselves from sysinfo(2), which the kernel answers with the host's memory, swap, process count and uptime;
 * LXCFS cannot help there (no file is read). The seccomp filter sends sysinfo to the container's monitor
 * (SCMP_ACT_NOTIFY), which answers with the container's numbers: its memory limit and use, its swap limit, the tasks
 * in its cgroup and the time since its init started. The load averages stay the host's. A process of another ABI
 * (32-bit x86, x32), one whose memory the monitor cannot write, and any failure get the kernel's own answer
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE): never an error the program did not expect.
 */
#ifndef BERTH_SYSINFO_H
#define BERTH_SYSINFO_H

#include "common.h"

#include <sys/sysinfo.h>

/* What the container's cgroup says; UNKNOWN (and a limit of none) leaves the host's value. */
#define USAGE_UNKNOWN (-1LL)

struct container_usage {
    long long mem_limit;  /* bytes; USAGE_UNKNOWN: no limit */
    long long mem_usage;  /* bytes */
    long long swap_limit; /* bytes of swap beyond memory; USAGE_UNKNOWN: no limit of its own */
    long long swap_usage; /* bytes */
    long long tasks;      /* tasks in the cgroup */
    long long uptime;     /* seconds since the container's init started */
};

/* Pure: the sysinfo a process of the container gets, from the host's and the container's usage (mem_unit 1). */
void sysinfo_of_container(struct sysinfo *out, const struct sysinfo *host, const struct container_usage *u);

/* Parses a cgroup value: a number of bytes, or "max" (v2) / a v1 "unlimited" (>= 2^62) as USAGE_UNKNOWN. */
long long cgroup_value(const char *text);

/* Where the monitor reads a container's usage from: descriptors opened once, read with pread each time. */
struct sysinfo_source {
    int proc_fd;                      /* the host's /proc (notifications name host pids) */
    int limit_fd, usage_fd;           /* memory.max + memory.current, or memory.limit_in_bytes + usage_in_bytes */
    int swap_limit_fd, swap_usage_fd; /* memory.swap.max + .current, or memory.memsw.* (memory + swap) */
    int swap_is_memsw;                /* v1: memsw counts memory and swap together */
    int tasks_fd;                     /* pids.current, else cgroup.procs (lines counted) */
    int tasks_are_lines;
    long long started;                /* init's start, in seconds since the host booted */
};

/* Opens what the cgroup directories of `cg_procs` (the --cgroup-procs files) offer; never fails (what is missing
   stays the host's). `init` is the container's init, in the pid namespace of proc_fd. */
void sysinfo_source_open(struct sysinfo_source *s, int proc_fd, const char *const *cg_procs, int n, pid_t init);

/* The container's usage now. */
void sysinfo_source_read(const struct sysinfo_source *s, struct container_usage *u);

/* Receives one notification from `listener` and answers it; -1 only when no memory is left for it. A listener whose
   filter has no process left polls as a hang-up (POLLHUP): the caller closes it. */
int sysinfo_serve(int listener, const struct sysinfo_source *s);

#endif
