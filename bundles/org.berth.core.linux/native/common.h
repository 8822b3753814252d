/*
 * common.h: what every part of berth-helper shares: limits, error routing (report/fail), small I/O
 * helpers, the namespace and capability tables, and the three sub-commands main() dispatches to.
 */
#ifndef BERTH_COMMON_H
#define BERTH_COMMON_H

#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sched.h>
#include <sys/types.h>

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

extern enum phase g_phase;
extern int g_child_sock;                  /* PHASE_CHILD: where failures go */
extern void (*g_start_undo)(void);        /* PHASE_START: kill the child, remove what we wrote */
extern int g_exec_report_fd;              /* PHASE_EXEC child with --report: failures also go here */

/*
 * One error sentence, not yet reported. Code that can be tested without the kernel (argument parsing and
 * validation, args.c) returns -1 with the sentence here; its caller hands it to fail_with(), which routes it
 * as fail() would have.
 */
struct failure {
    char msg[MSG_MAX];
};

int PRINTF(2, 3) failure_set(struct failure *f, const char *fmt, ...);
/* "<op> <target>: <strerror>", or "<op>: <strerror>" without a target. Returns -1. */
int failure_errno(struct failure *f, int err, const char *op, const char *target);
int failure_sys(struct failure *f, const char *op, const char *target);

void NORETURN report(const char *msg);
void NORETURN fail_with(const struct failure *f);
void NORETURN PRINTF(1, 2) fail(const char *fmt, ...);
void NORETURN fail_errno(int err, const char *op, const char *target);
void NORETURN fail_sys(const char *op, const char *target);

int write_all(int fd, const void *buf, size_t len);
int vline_to(int fd, const char *fmt, va_list ap);
int PRINTF(1, 2) out_line(const char *fmt, ...);

/* ================================================================ small utilities == */

int write_file(const char *path, const char *data);
/* The directory of `procs` when it is DIR/cgroup.procs on a cgroup file system (in `v2`: 0 for a v1 hierarchy, 1 for
   cgroup2), else 0 (a file written as it is named). */
int cgroup_procs_dir(const char *procs, char *dir, size_t size, int *v2);
/* The fields of /proc/PID/stat after the command name (" S PPID ..."; the name may hold spaces and parentheses),
   read into buf from proc_fd (the host's /proc); NULL when it cannot be read. */
const char *proc_stat_fields(int proc_fd, pid_t pid, char *buf, size_t size);
/* The index of the first of `procs` that is a cgroup2 group's cgroup.procs, its folder in `dir`; -1 when none is. */
int cgroup2_procs(const char *const *procs, int n, char *dir, size_t size);
/* clone3 with CLONE_INTO_CGROUP into the cgroup2 folder `dir`, like fork: the child's pid, 0 in the child, -1 with
   errno (ENOSYS or E2BIG: a kernel without it, before 5.7). */
pid_t clone_into_cgroup(const char *dir);
/* Moves this process, which must have one thread, into the group of each of `procs` but the one at index `skip`: a v1
   group by writing 0 into its tasks (a thread moving itself takes no global lock since Linux 6.0), any other by
   writing the pid into the file (which after an idle moment waits for an RCU grace period in the kernel:
   cgroup_threadgroup_rwsem). */
void join_cgroups(const char *const *procs, int n, int skip);
void sleep_ms(long ms);
void cloexec_from_3(void);
void reset_signals(void);
int exec_search(char **argv, char **envp);

/* ================================================================ namespaces ====== */

/* Index order is the join order for exec: user first. */
enum { NS_USER, NS_MNT, NS_UTS, NS_IPC, NS_NET, NS_PID, NS_CGROUP, NS_TIME, NS_COUNT };
#define NSBIT(i) (1u << (i))

struct ns_type {
    const char *name;
    int flag;
};
extern const struct ns_type NS[NS_COUNT];

int open_ns_file(const char *path, int type);
void join_ns(int fd, int type, const char *path);
void become_ns_root(void);

/* ================================================================ capabilities ==== */

extern const char *const CAP_NAMES[];
extern const int CAP_COUNT;

void drop_caps(uint64_t caps);

/* ================================================================ sub-commands ==== */

int cmd_start(int argc, char **argv);   /* start.c */
int cmd_exec(int argc, char **argv);    /* exec.c */
int cmd_restore(int argc, char **argv); /* restore.c */
int cmd_init(int argc, char **argv);    /* init.c */
int cmd_probe_idmap(int argc, char **argv); /* shift.c */
int cmd_shift_ids(int argc, char **argv);   /* shift.c */

/* A descriptor over a unix socket (SCM_RIGHTS) with a one-byte tag; -1 with errno on failure. */
int send_fd(int sock, char tag, int fd);
/* The descriptor (close-on-exec) and tag of one message: -1 with *tag set when the message carried none, -1 with
   *tag 0 at EOF or on failure. */
int recv_fd(int sock, char *tag);

#endif
