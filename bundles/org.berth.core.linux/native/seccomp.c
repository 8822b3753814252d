/*
 * seccomp.c: the system call filter of a container (see seccomp-profile.h). The default profile takes LXC's and
 * Docker's default denials and adds what a privileged container (host root, CAP_SYS_ADMIN) could use against
 * the host. What it does not do: mount(2) of a block device cannot be filtered by its source (seccomp sees a
 * pointer, not the path); the device policy (cgroup v1 devices, v2 BPF_CGROUP_DEVICE) refuses opening a block
 * device, and that is what stops such a mount. In a container with its own user namespace, mount(2), umount2(2)
 * and the new mount API stay allowed: a system container's init mounts its own file systems, and the kernel locks
 * the mounts it was given (they cannot be unmounted, moved or made writable from inside). A container in the host's
 * user namespace (privileged) has no such lock, so the filter is the lock there: the mount guard below.
 */
#include "seccomp-profile.h"
#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

/*
 * reboot(2) is allowed: in a pid namespace it ends the namespace's init with the reboot or power-off status
 * (how a system container halts); only the host's init can restart the machine.
 */
static const char *const DEFAULT_DENIED[] = {
    /* another kernel, kernel modules, raw I/O ports (LXC and Docker deny these) */
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "create_module",
    "iopl", "ioperm",
    /* a file handle opens any inode of the file system, outside the container's root (CVE "shocker") */
    "open_by_handle_at",
    /* the host's swap, clock, process accounting, quotas */
    "swapon", "swapoff", "settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex",
    "clock_adjtime", "clock_adjtime64", "acct", "quotactl", "quotactl_fd", "lookup_dcookie", "nfsservctl",
    /* the kernel keyring is not namespaced */
    "keyctl", "add_key", "request_key",
    /* kernel programs, the performance counters of the host, page-fault handling (exploit helpers) */
    "bpf", "perf_event_open", "userfaultfd",
    /* obsolete or i386-only doors into the kernel */
    "uselib", "vm86", "vm86old", "get_kernel_syms", "query_module",
};

void seccomp_profile_default(struct seccomp_profile *p)
{
    memset(p, 0, sizeof *p);
    p->confined = 1;
    for (size_t i = 0; i < sizeof DEFAULT_DENIED / sizeof DEFAULT_DENIED[0]; i++) {
        snprintf(p->rules[p->n].name, SECCOMP_NAME_MAX, "%s", DEFAULT_DENIED[i]);
        p->rules[p->n++].err = EPERM;
    }
}

static int valid_syscall_name(const char *s)
{
    if (!*s || strlen(s) >= SECCOMP_NAME_MAX)
        return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

int seccomp_profile_parse(const char *text, const char *source, struct seccomp_profile *p, struct failure *f)
{
    memset(p, 0, sizeof *p);
    p->confined = 1;
    int line_no = 0;
    for (const char *line = text; *line;) {
        const char *end = strchrnul(line, '\n');
        char buf[256];
        line_no++;
        if ((size_t)(end - line) >= sizeof buf)
            return failure_set(f, "seccomp profile %s line %d is too long", source, line_no);
        memcpy(buf, line, (size_t)(end - line));
        buf[end - line] = '\0';
        line = *end ? end + 1 : end;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *word[4];
        int n = 0;
        char *save = NULL;
        for (char *w = strtok_r(buf, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save))
            if (n < 4)
                word[n++] = w;
            else
                n = 5;
        if (n == 0)
            continue;
        if (n != 1 && (n != 3 || strcmp(word[1], "errno")))
            return failure_set(f, "seccomp profile %s line %d: expected a system call name, optionally followed by "
                                  "'errno N'", source, line_no);
        if (!valid_syscall_name(word[0]))
            return failure_set(f, "seccomp profile %s line %d: '%s' is not a system call name", source, line_no,
                               word[0]);
        long long err = EPERM;
        if (n == 3 && (parse_ll(word[2], &err) < 0 || err < 1 || err > 4095))
            return failure_set(f, "seccomp profile %s line %d: errno must be a number from 1 to 4095, got '%s'",
                               source, line_no, word[2]);
        int k;
        for (k = 0; k < p->n; k++)
            if (!strcmp(p->rules[k].name, word[0]))
                break;
        if (k == p->n && p->n >= SECCOMP_MAX_RULES)
            return failure_set(f, "seccomp profile %s has more than %d system calls", source, SECCOMP_MAX_RULES);
        snprintf(p->rules[k].name, SECCOMP_NAME_MAX, "%s", word[0]);
        p->rules[k].err = (int)err; /* a name given twice: the later errno wins */
        if (k == p->n)
            p->n++;
    }
    return 0;
}

int seccomp_profile_from_arg(const char *arg, struct seccomp_profile *p, struct failure *f)
{
    if (!strcmp(arg, "default")) {
        seccomp_profile_default(p);
        return 0;
    }
    if (!strcmp(arg, "unconfined")) {
        memset(p, 0, sizeof *p);
        return 0;
    }
    if (arg[0] != '/')
        return failure_set(f, "--seccomp needs default, unconfined or the absolute path of a profile, got '%s'",
                           arg);
    int fd = open(arg, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return failure_sys(f, "open seccomp profile", arg);
    static char text[64 * 1024];
    size_t used = 0;
    ssize_t r;
    while (used < sizeof text - 1 && ((r = read(fd, text + used, sizeof text - 1 - used)) > 0
                                      || (r < 0 && errno == EINTR)))
        if (r > 0)
            used += (size_t)r;
    int e = errno;
    close(fd);
    if (r < 0)
        return failure_errno(f, e, "read seccomp profile", arg);
    if (used == sizeof text - 1)
        return failure_set(f, "seccomp profile %s is larger than %zu bytes", arg, sizeof text - 1);
    text[used] = '\0';
    return seccomp_profile_parse(text, arg, p, f);
}

/* The 32-bit ABIs a process of the native architecture can switch to (int 0x80, x32 system call numbers). */
static const uint32_t EXTRA_ARCHES[] = {
#if defined(__x86_64__)
    SCMP_ARCH_X86, SCMP_ARCH_X32,
#elif defined(__aarch64__)
    SCMP_ARCH_ARM,
#endif
    0,
};

/*
 * The mount guard of a privileged container: what the kernel's mount locking does for a container with its own
 * user namespace. Host root with CAP_SYS_ADMIN could otherwise uncover what the read-only mounts cover (the
 * writable /proc under /proc/sys, with kernel/core_pattern; the host template's /usr; the helper bound in as init)
 * by unmounting, moving, remounting read-write, binding a mount without its submounts, mounting a fresh proc or
 * sysfs, or doing the same through the new mount API. Allowed: recursive binds, read-only remounts and propagation
 * changes. Each comparison is one masked test of mount(2)'s flags (libseccomp compares an argument once per rule).
 */
static int add_mount_guard(scmp_filter_ctx ctx)
{
    static const char *const DENIED[] = {"umount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick",
                                         "move_mount", "open_tree", "mount_setattr", "pivot_root"};
    int rc;
    for (size_t i = 0; i < sizeof DENIED / sizeof DENIED[0]; i++) {
        int nr = seccomp_syscall_resolve_name(DENIED[i]);
        if (nr != __NR_SCMP_ERROR && (rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0)) < 0)
            return rc;
    }
    const unsigned long kinds = MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;
    const struct {
        unsigned long mask, value;
    } flags[] = {
        {kinds, 0},                                    /* a new superblock: proc, sysfs, devtmpfs, a disk */
        {MS_REMOUNT | MS_RDONLY, MS_REMOUNT},          /* a remount that is not read-only */
        {MS_MOVE, MS_MOVE},                            /* moving a mount away from what it covers */
        {MS_BIND | MS_REC | MS_REMOUNT, MS_BIND},      /* a bind without the mounts on top of it */
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(mount), 1,
                                   SCMP_A3(SCMP_CMP_MASKED_EQ, flags[i].mask, flags[i].value))) < 0)
            return rc;
    return 0;
}

int seccomp_build(const struct seccomp_profile *p, void **filter, struct failure *f)
{
    *filter = NULL;
    if (!p->confined)
        return 0;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return failure_set(f, "seccomp_init: out of memory");
    int rc;
    /* no_new_privs would break su, sudo and set-uid programs in a system container */
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
        goto sys_fail;
    for (int i = 0; EXTRA_ARCHES[i]; i++)
        if ((rc = seccomp_arch_add(ctx, EXTRA_ARCHES[i])) < 0 && rc != -EEXIST)
            goto sys_fail;
    for (int i = 0; i < p->n; i++) {
        int nr = seccomp_syscall_resolve_name(p->rules[i].name);
        if (nr == __NR_SCMP_ERROR) {
            seccomp_release(ctx);
            return failure_set(f, "unknown system call '%s' in the seccomp profile", p->rules[i].name);
        }
        /* a call that one of the ABIs lacks (kexec_file_load on x86) is simply not there to deny */
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO((uint32_t)p->rules[i].err), nr, 0)) < 0) {
            seccomp_release(ctx);
            return failure_errno(f, -rc, "add seccomp rule for", p->rules[i].name);
        }
    }
    /* in every confined profile: no input pushed into a terminal (TIOCSTI), no console selection tricks
       (TIOCLINUX): a terminal a container's process holds may be the invoking one of `berth exec` */
    static const unsigned long TTY_INJECT[] = {TIOCSTI, TIOCLINUX};
    for (size_t i = 0; i < sizeof TTY_INJECT / sizeof TTY_INJECT[0]; i++)
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                                   SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, TTY_INJECT[i]))) < 0)
            goto sys_fail;
    if (p->guard_mounts && (rc = add_mount_guard(ctx)) < 0)
        goto sys_fail;
    if (p->notify_sysinfo && (rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(sysinfo), 0)) < 0)
        goto sys_fail;
    *filter = ctx;
    return 0;
sys_fail:
    seccomp_release(ctx);
    return failure_errno(f, -rc, "set up seccomp filter", NULL);
}

void seccomp_install(void *filter)
{
    if (!filter)
        return;
    int rc = seccomp_load((scmp_filter_ctx)filter);
    if (rc < 0)
        fail_errno(-rc, "load seccomp filter", NULL);
}

static void *g_filter;
static struct seccomp_profile g_profile;

void seccomp_prepare(const char *arg, int host_userns, int notify_sysinfo)
{
    struct failure f;
    if (seccomp_profile_from_arg(arg ? arg : "default", &g_profile, &f) < 0)
        fail_with(&f);
    g_profile.guard_mounts = host_userns;
    g_profile.notify_sysinfo = notify_sysinfo && g_profile.confined;
    if (seccomp_build(&g_profile, &g_filter, &f) < 0)
        fail_with(&f);
}

int seccomp_enter(void)
{
    if (!g_filter)
        return -1;
    if (g_profile.notify_sysinfo) {
        if (seccomp_load((scmp_filter_ctx)g_filter) == 0)
            return seccomp_notify_fd((scmp_filter_ctx)g_filter);
        /* a listener further up the chain (EBUSY): the same filter, with sysinfo left to the kernel */
        struct failure f;
        seccomp_release((scmp_filter_ctx)g_filter);
        g_profile.notify_sysinfo = 0;
        if (seccomp_build(&g_profile, &g_filter, &f) < 0)
            fail_with(&f);
    }
    seccomp_install(g_filter);
    return -1;
}
