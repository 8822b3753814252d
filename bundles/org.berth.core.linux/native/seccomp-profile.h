/*
 * seccomp-profile.h: the system call filter of a container (--seccomp default|unconfined|FILE on start and exec).
 * A profile is a denylist: every listed system call fails with its errno (EPERM unless the profile says
 * otherwise), everything else is allowed. Parsing is pure (tests/test-seccomp.c); building the filter with
 * libseccomp happens in the helper before it clones or forks, loading it in the child just before execve.
 */
#ifndef BERTH_SECCOMP_PROFILE_H
#define BERTH_SECCOMP_PROFILE_H

#include "common.h"

#define SECCOMP_MAX_RULES 256
#define SECCOMP_NAME_MAX 64

struct seccomp_rule {
    char name[SECCOMP_NAME_MAX];
    int err;            /* the errno the call fails with */
};

struct seccomp_profile {
    int confined;       /* 0: unconfined (no filter at all) */
    int guard_mounts;   /* the host's user namespace: no way around the read-only mounts (seccomp_build) */
    int notify_sysinfo; /* sysinfo(2) goes to the monitor, which answers with the container's numbers (sysinfo.h) */
    int n;
    struct seccomp_rule rules[SECCOMP_MAX_RULES];
};

/* The built-in profile, what `--seccomp default` (and no --seccomp at all) means. */
void seccomp_profile_default(struct seccomp_profile *p);

/*
 * A profile file's text: one system call per line, optionally followed by `errno N` (1-4095; the default is
 * EPERM); `#` starts a comment; blank lines are ignored. `source` names the file in messages. Names are
 * only checked for their form here; seccomp_build checks that the kernel's table knows them.
 */
int seccomp_profile_parse(const char *text, const char *source, struct seccomp_profile *p, struct failure *f);

/* The value of --seccomp: `default`, `unconfined`, or the absolute path of a profile file (read here). */
int seccomp_profile_from_arg(const char *arg, struct seccomp_profile *p, struct failure *f);

/*
 * Builds the filter for the native architecture and its 32-bit ABIs (x86 and x32 on x86_64), without
 * PR_SET_NO_NEW_PRIVS (su and sudo keep working inside). *filter is NULL for an unconfined profile.
 * Returns -1 with the sentence in f (a name the kernel's table does not know, ...).
 */
int seccomp_build(const struct seccomp_profile *p, void **filter, struct failure *f);

/* In the child, after everything that needs a denied call and before the capabilities are dropped (loading
   without no_new_privs needs CAP_SYS_ADMIN). A NULL filter does nothing. */
void seccomp_install(void *filter);

/*
 * What start and exec call: seccomp_prepare(--seccomp or NULL = default, whether the container is in the host's
 * user namespace, which adds the mount guard of seccomp_build, whether a monitor will answer sysinfo) in the helper
 * before it clones or forks (a bad profile is reported before anything happened), seccomp_enter() in the child just
 * before it drops capabilities and calls execve. seccomp_enter returns the listener of the sysinfo notifications
 * (close-on-exec), or -1 when there is none: not asked for, unconfined, or refused by the kernel (a process may have
 * only one listener in its chain of filters: Berth inside a container whose manager intercepts system calls), in
 * which case the filter is loaded without it.
 */
void seccomp_prepare(const char *arg, int host_userns, int notify_sysinfo);
int seccomp_enter(void);

#endif
