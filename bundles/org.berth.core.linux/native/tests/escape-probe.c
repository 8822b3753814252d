/*
 * escape-probe.c: run inside a container as root by EscapeTest; tries what a hostile root would try against
 * the host and prints one line per attempt: `NAME ok` when it worked, `NAME E<errno name> <errno>` when it failed.
 * Every attempt is harmless when it works: core_pattern is written with the value it already has, the disk is
 * only read, kexec_load and clock_settime get invalid arguments, init_module an empty image.
 * Usage: escape-probe MAJOR:MINOR DEVNAME   (the host's root block device, e.g. 254:0 vda)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

static void result(const char *name, int rc, int err)
{
    if (rc >= 0)
        printf("%s ok\n", name);
    else
        printf("%s %s %d\n", name, strerrorname_np(err) ? strerrorname_np(err) : "E?", err);
}

/* C leaves the order of a call's arguments open: errno must be read after the call, not beside it */
#define TRY(name, call)                                                                                            \
    do {                                                                                                           \
        errno = 0;                                                                                                 \
        long rc_ = (long)(call);                                                                                   \
        result(name, (int)(rc_ < 0 ? -1 : 0), errno);                                                              \
    } while (0)

/* Writes the value the file has back into it: the same content, so success changes nothing. */
static void rewrite(const char *name, const char *path)
{
    char value[512] = "";
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, value, sizeof value - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0) {
        result(name, -1, n < 0 ? errno : ENODATA);
        return;
    }
    value[n] = '\0';
    fd = open(path, O_WRONLY);
    if (fd < 0) {
        result(name, -1, errno);
        return;
    }
    ssize_t w = write(fd, value, (size_t)n);
    int e = errno;
    close(fd);
    result(name, w == n ? 0 : -1, e);
}

static void read_disk(const char *name, const char *path)
{
    char block[512];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        result(name, -1, errno);
        return;
    }
    ssize_t n = read(fd, block, sizeof block);
    int e = errno;
    close(fd);
    result(name, n == (ssize_t)sizeof block ? 0 : -1, n < 0 ? e : EIO);
}

static void fds(const char *name, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        result(name, -1, errno);
        return;
    }
    printf("%s", name);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
            continue;
        char link[512], target[512] = "";
        snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0)
            target[n] = '\0';
        printf(" %s=%s", e->d_name, target);
    }
    printf("\n");
    closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: escape-probe MAJOR:MINOR DEVNAME\n");
        return 2;
    }
    unsigned maj, min;
    if (sscanf(argv[1], "%u:%u", &maj, &min) != 2)
        return 2;
    char status[4096] = "";
    int sfd = open("/proc/self/status", O_RDONLY);
    if (sfd >= 0 && read(sfd, status, sizeof status - 1) > 0) {
        char *s = strstr(status, "Seccomp:");
        printf("seccomp_mode %d\n", s ? atoi(s + 8) : -1);
    }
    if (sfd >= 0)
        close(sfd);
    fds("fds_self", "/proc/self/fd");
    fds("fds_init", "/proc/1/fd");

    rewrite("core_pattern", "/proc/sys/kernel/core_pattern");
    TRY("umount_proc_sys", umount2("/proc/sys", MNT_DETACH));
    rewrite("core_pattern_after_umount", "/proc/sys/kernel/core_pattern");
    mkdir("/tmp/escape-proc", 0700);
    int rc = mount("proc", "/tmp/escape-proc", "proc", 0, NULL);
    result("mount_fresh_proc", rc, errno);
    if (rc == 0) {
        rewrite("core_pattern_fresh_proc", "/tmp/escape-proc/sys/kernel/core_pattern");
        umount2("/tmp/escape-proc", MNT_DETACH);
    }
    rmdir("/tmp/escape-proc");
    /* the other ways to uncover what the read-only /proc/sys covers (a privileged container's root may try them) */
    TRY("remount_proc_sys_rw", mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
    rewrite("core_pattern_after_remount", "/proc/sys/kernel/core_pattern");
    mkdir("/tmp/escape-bind", 0700);
    rc = mount("/proc", "/tmp/escape-bind", NULL, MS_BIND, NULL);
    result("bind_proc_alone", rc, errno);
    if (rc == 0) {
        rewrite("core_pattern_via_bind", "/tmp/escape-bind/sys/kernel/core_pattern");
        umount2("/tmp/escape-bind", MNT_DETACH);
    }
    rc = mount("/proc/sys", "/tmp/escape-bind", NULL, MS_MOVE, NULL);
    result("move_proc_sys", rc, errno);
    if (rc == 0)
        rewrite("core_pattern_after_move", "/proc/sys/kernel/core_pattern");
    rmdir("/tmp/escape-bind");
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc", 1 /* OPEN_TREE_CLONE */);
    result("open_tree_proc", tree, errno);
    if (tree >= 0)
        close(tree);

    /* the host's /usr (host template) and the helper bound in as an application container's init: read-only,
       and must stay so (a remount is tried first) */
    TRY("remount_usr_rw", mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL));
    int w = open("/usr/.berth-escape-probe", O_WRONLY | O_CREAT | O_EXCL, 0600);
    result("write_usr", w, errno);
    if (w >= 0) {
        close(w);
        unlink("/usr/.berth-escape-probe");
    }
    char init_exe[512] = "";
    ssize_t n = readlink("/proc/1/exe", init_exe, sizeof init_exe - 1);
    if (n > 0) {
        init_exe[n] = '\0';
        TRY("remount_init_exe_rw", mount(NULL, init_exe, NULL, MS_REMOUNT | MS_BIND, NULL));
    }
    /* O_WRONLY without O_TRUNC: success would change nothing, and is what CVE-2019-5736 needed */
    w = open("/proc/1/exe", O_WRONLY);
    result("write_init_exe", w, errno);
    if (w >= 0)
        close(w);

    unlink("/tmp/escape-disk");
    rc = mknod("/tmp/escape-disk", S_IFBLK | 0600, makedev(maj, min));
    result("mknod_host_disk", rc, errno);
    if (rc == 0)
        read_disk("read_host_disk_mknod", "/tmp/escape-disk");
    unlink("/tmp/escape-disk");
    mkdir("/tmp/escape-dev", 0700);
    rc = mount("devtmpfs", "/tmp/escape-dev", "devtmpfs", 0, NULL);
    result("mount_devtmpfs", rc, errno);
    if (rc == 0) {
        char path[256];
        snprintf(path, sizeof path, "/tmp/escape-dev/%s", argv[2]);
        read_disk("read_host_disk_devtmpfs", path);
        umount2("/tmp/escape-dev", MNT_DETACH);
    }
    rmdir("/tmp/escape-dev");

    struct {
        struct file_handle fh;
        unsigned char bytes[MAX_HANDLE_SZ];
    } h;
    h.fh.handle_bytes = MAX_HANDLE_SZ;
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mount_id, 0) < 0) {
        result("name_to_handle_at", -1, errno);
    } else {
        int root = open("/", O_RDONLY | O_DIRECTORY);
        int fd = (int)syscall(SYS_open_by_handle_at, root, &h.fh, O_RDONLY);
        result("open_by_handle_at", fd, errno);
        if (fd >= 0)
            close(fd);
        close(root);
    }
    /* a character pushed into the input of the terminal on stdin (the invoking terminal of `berth exec`); stdin
       here is no terminal, so the kernel itself says ENOTTY: only the filter says EPERM first */
    char c = '\n';
    TRY("tiocsti", ioctl(0, TIOCSTI, &c));
    /* flags with an unknown bit: EINVAL from the kernel itself, so nothing is loaded or unloaded */
    TRY("kexec_load", (int)syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0x7fff0000UL));
    TRY("init_module", (int)syscall(SYS_init_module, NULL, 0UL, ""));
    TRY("finit_module", (int)syscall(SYS_finit_module, -1, "", 0));
    /* tv_nsec out of range: EINVAL from the kernel itself, so the clock is never set */
    struct timespec bad = {time(NULL), 2000000000L};
    TRY("clock_settime", (int)syscall(SYS_clock_settime, CLOCK_REALTIME, &bad));
    struct timeval tv = {time(NULL), 2000000};
    TRY("settimeofday", (int)syscall(SYS_settimeofday, &tv, NULL));
#if defined(__x86_64__)
    long x32;
    __asm__ volatile("syscall" : "=a"(x32) : "a"(0x40000000L | 528L), "D"(0L), "S"(0L), "d"(0L)
                     : "rcx", "r11", "memory");
    result("kexec_load_x32", x32 < 0 ? -1 : 0, (int)-x32);
#endif
    return 0;
}
