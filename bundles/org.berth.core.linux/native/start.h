/*
 * start.h: the state `berth-helper start` keeps from the clone of the container's init until the monitor
 * ends, shared by start.c (creation), rootfs.c (the container's file system view) and monitor.c.
 */
#ifndef BERTH_START_H
#define BERTH_START_H

#include "args.h"

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
    int notify_fd;                /* the listener of init's sysinfo notifications (-1: none), served by the monitor */
    int proc_fd;                  /* the host's /proc (O_PATH) */
    int rootfs_fd;                /* the idmapped rootfs, attached in the child's mount namespace (-1: none);
                                     the parent sends it with 'G', the child builds its view on it */
};

extern struct start_rt g_rt;
extern const struct start_opts *g_opts;

/* start.c; the steps before the container's processes exist are shared with restore.c */
int write_state(const char *name, const char *content);
int write_id_map(const char *path, const char *const *lines, int n);
void start_undo(void);
void monitor_prologue(struct start_opts *o);
void monitor_session(const struct start_opts *o);
void open_state_dir(const struct start_opts *o);
void open_console_log(const struct start_opts *o);
void open_console(void);
void chown_console(const struct start_opts *o);
void setup_signals(void);
void detach_stdio(void);

/* rootfs.c: in the container child, in its new mnt namespace */
void setup_rootfs(const struct start_opts *o, int rootfs_fd);
/* idmap.c: parent side, after the id maps are written and before the child mounts */
int idmap_rootfs(const struct start_opts *o, pid_t child);
/* idmap.c: a detached clone of rootfs's mount idmapped with userns; -1 with errno, *op naming the failed step */
int idmap_clone(const char *rootfs, int userns, const char **op);

/* monitor.c: its sockets, made just before READY (and removed again by start_undo) */
void monitor_listen(const struct start_opts *o);
void monitor_unlisten(void);
/* monitor.c: after READY */
int monitor_loop(const struct start_opts *o);
void NORETURN monitor_finish(const struct start_opts *o, int status);

#endif
