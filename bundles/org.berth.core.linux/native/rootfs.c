/*
 * rootfs.c: the container's file system view, built by the container child in its new mnt namespace:
 * proc, sys, a small /dev with the console, /run, the --bind mounts, the lxcfs files, the masks, then
 * pivot_root.
 * Every mount point is resolved inside the rootfs with openat2(RESOLVE_IN_ROOT), so a symlink in the
 * image cannot point a mount at the host.
 */
#include "start.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

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
/* ================================================================ mounts ========== */

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
    if (mkdirat(devfd, "shm", 01777) < 0 || fchmodat(devfd, "shm", 01777, 0) < 0)
        fail_sys("create", "/dev/shm");
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
    /* /dev/shm is a folder of the /dev tmpfs bound on itself (nosuid, nodev), not a tmpfs of its own: still a mount
       point (systemd checks), sharing /dev's 64 MiB, and one tmpfs less that CRIU saves and restores by running tar
       (about 5 ms a checkpoint and 4 ms a restore in CRIU's log) */
    int shmfd = open_in_root(rootfd, "/dev/shm", O_PATH | O_DIRECTORY);
    if (shmfd < 0 || mount(fd_path(shmfd, target, sizeof target), target, NULL, MS_BIND, NULL) < 0)
        fail_sys("bind-mount on itself", "/dev/shm");
    close(shmfd);
    shmfd = open_in_root(rootfd, "/dev/shm", O_PATH | O_DIRECTORY); /* now the mount's root */
    if (shmfd < 0 ||
        mount(NULL, fd_path(shmfd, target, sizeof target), NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, NULL) < 0)
        fail_sys("remount nosuid,nodev", "/dev/shm");
    close(shmfd);

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

/*
 * The files LXCFS answers per reading process, from the reader's cgroups (memory and swap limits, CPU quota
 * and cpuset, the container's uptime and load), bound over the kernel's. One that lxcfs does not offer, or
 * that the rootfs's /proc or /sys lacks, is skipped: the container then reads the host's file. In a time
 * namespace of its own (new or joined) the kernel's /proc/uptime stays: it carries the boottime offset asked for.
 */
static void apply_lxcfs(const struct start_opts *o, int rootfd)
{
    const char *lxcfs = o->lxcfs;
    int own_time = ((o->ns_new | o->ns_join) & NSBIT(NS_TIME)) != 0;
    static const char *const files[] = {"/proc/cpuinfo", "/proc/diskstats", "/proc/loadavg", "/proc/meminfo",
                                        "/proc/slabinfo", "/proc/stat",     "/proc/swaps",   "/proc/uptime",
                                        "/sys/devices/system/cpu"};
    char src[PATH_MAX], target[64];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (own_time && !strcmp(files[i], "/proc/uptime"))
            continue;
        if (snprintf(src, sizeof src, "%s%s", lxcfs, files[i]) >= (int)sizeof src) {
            errno = ENAMETOOLONG;
            fail_sys("lxcfs file", lxcfs);
        }
        struct stat st;
        if (stat(src, &st) < 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                continue;
            fail_sys("stat lxcfs file", src);
        }
        int fd = open_in_root(rootfd, files[i], O_PATH);
        if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
            continue;
        if (fd < 0)
            fail_sys("open", files[i]);
        if (mount(src, fd_path(fd, target, sizeof target), NULL, MS_BIND, NULL) < 0)
            fail_sys("bind-mount the lxcfs file over", files[i]);
        close(fd);
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
    /* one empty read-only tmpfs, bound on the other folders: CRIU saves and restores each tmpfs by running tar */
    int empty = -1;
    for (size_t i = 0; i < sizeof empty_dirs / sizeof empty_dirs[0]; i++) {
        int fd = open_in_root(rootfd, empty_dirs[i], O_PATH | O_DIRECTORY);
        if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
            continue;
        if (fd < 0)
            fail_sys("open", empty_dirs[i]);
        fd_path(fd, target, sizeof target);
        if (empty < 0) {
            if (mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=555,size=0k") < 0)
                fail_sys("mask with an empty tmpfs", empty_dirs[i]);
            empty = open_in_root(rootfd, empty_dirs[i], O_PATH | O_DIRECTORY); /* the tmpfs now on it */
            if (empty < 0)
                fail_sys("open the mask on", empty_dirs[i]);
        } else {
            char source[64];
            /* a bind keeps the read-only, nosuid, nodev and noexec of the mount it copies; the tmpfs itself is
               read-only too */
            if (mount(fd_path(empty, source, sizeof source), target, NULL, MS_BIND, NULL) < 0)
                fail_sys("mask with the empty tmpfs", empty_dirs[i]);
        }
        close(fd);
    }
    if (empty >= 0)
        close(empty);
}

/*
 * Build the container's file system view and pivot into it. rootfs_fd >= 0: the idmapped rootfs the parent attached
 * (a mount of its own already, reached by descriptor: the child may not pass the folders above it); else the rootfs
 * by its path, bound onto itself.
 */
void setup_rootfs(const struct start_opts *o, int rootfs_fd)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        fail_sys("make rprivate", "/");
    int rootfd = rootfs_fd;
    if (rootfd < 0) {
        if (mount(o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
            fail_sys("bind-mount rootfs onto itself", o->rootfs);
        /* opened after the bind, so that everything below stacks on the bind mount */
        rootfd = open(o->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
            fail_sys("open rootfs", o->rootfs);
    }

    /* proc of the pid namespace we are in (new, joined or the host's); a user namespace of our own may not
       mount the host's pid namespace's proc, only bind it (with what is mounted below it) */
    if ((o->ns_new & NSBIT(NS_USER)) && !((o->ns_new | o->ns_join) & NSBIT(NS_PID)))
        mount_in_root(rootfd, "/proc", "/proc", NULL, MS_BIND | MS_REC, NULL, MP_DIR, "the host's /proc");
    else
        mount_in_root(rootfd, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, MP_DIR, "proc");
    mount_sys(o, rootfd);
    mount_dev(rootfd);
    mount_in_root(rootfd, "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755", MP_DIR, "tmpfs");
    /* a privileged container's init may not mount (seccomp's mount guard): /run/lock, which systemd must have, is
       mounted here as systemd would */
    if (!((o->ns_new | o->ns_join) & NSBIT(NS_USER)))
        mount_in_root(rootfd, "tmpfs", "/run/lock", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=5m",
                      MP_DIR, "tmpfs");
    apply_binds(o, rootfd);
    if (o->lxcfs)
        apply_lxcfs(o, rootfd);
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
