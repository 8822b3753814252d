/*
 * args.h: the command lines of start and exec, parsed and validated without touching the kernel (beyond
 * stat(2) of given paths). Every function here returns -1 with the sentence in a struct failure instead of
 * reporting it itself, so tests/ can check each message; the sub-commands pass it on with fail_with().
 */
#ifndef BERTH_ARGS_H
#define BERTH_ARGS_H

#include "common.h"

#include <limits.h>

/* ================================================================ start: options == */

struct bind_spec {
    char src[PATH_MAX];
    char dst[PATH_MAX];
    int ro;
};

struct start_opts {
    const char *name, *rootfs, *state_dir, *hostname, *cgroup_dir, *console_log;
    const char *lxcfs; /* the host's lxcfs mount point, or NULL */
    const char *seccomp; /* --seccomp: default (NULL), unconfined or a profile file (seccomp-profile.h) */
    const char *devices_bpf; /* --devices-bpf: cgroup2 directory for the device program (devices.h) */
    const char *device_allow[MAX_REPEAT];
    int n_device_allow;
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
    int idmap_rootfs; /* see the rootfs through an idmapped mount of the new user namespace */
    long long console_max;
    const char *tty_key; /* restore: CRIU's key of the console the images hold, "RDEV:DEV" in hex */
    char **init_argv;    /* start: init and its arguments; restore: criu and its arguments */
};

/* Defaults of the options that have one (the rest are zero): masks on, SIGTERM halts, 1 MiB console log. */
void start_opts_defaults(struct start_opts *o);
int parse_start_args(int argc, char **argv, struct start_opts *o, struct failure *f);
/* The rules between options, the syntax of the id maps, and --bind (parsed into o->binds) */
int validate_start(struct start_opts *o, struct failure *f);
int parse_bind(struct bind_spec *b, const char *arg, struct failure *f);

/* ================================================================ exec: options === */

struct exec_opts {
    pid_t pid;
    unsigned ns;
    int ns_given, no_chroot, cwd_given, login_shell, report;
    const char *cg_procs[MAX_REPEAT], *env[MAX_REPEAT];
    int n_cg_procs, n_env;
    uint64_t drop_caps;
    const char *term, *cwd, *tty;
    const char *seccomp; /* --seccomp, as for start */
    const char *notify;  /* --notify: the monitor's notify.sock, which answers sysinfo for the command (sysinfo.h) */
    char **cmd;
};

/* o must be zeroed. */
int parse_exec_args(int argc, char **argv, struct exec_opts *o, struct failure *f);

/* ================================================================ pieces ========== */

int parse_ll(const char *s, long long *out);
int ns_index(const char *name);
int parse_ns_list(const char *list, const char *opt, unsigned *mask, struct failure *f);
int parse_cap(const char *name, struct failure *f);       /* capability number, or -1 */
int parse_signal(const char *s, struct failure *f);       /* signal number, or -1 */
int valid_name(const char *n);
/* "IN OUT COUNT" -> numbers; returns -1 if malformed. */
int parse_idmap_line(const char *s, unsigned long *in, unsigned long *out, unsigned long *count);
/* Host uid/gid of root in the maps given on the command line (-1 when 0 is not mapped). */
long long map_root_from_args(const char *const *lines, int n);
/* Whether `procs` is the cgroup.procs of directory `dir` (a trailing '/' on dir is allowed). */
int procs_of_dir(const char *procs, const char *dir);

#endif
