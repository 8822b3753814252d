/*
 * shift.c: for a root file system on a file system that cannot be idmapped (ramfs, NFS, some FUSE file systems).
 *
 *   berth-helper probe-idmap PATH           "idmap ok" (exit 0), or "idmap unsupported: REASON" (exit 3)
 *   berth-helper shift-ids PATH FROM TO N   every inode under PATH (not following symbolic links, not crossing
 *                                           into other mounts) whose uid or gid is in FROM..FROM+N-1 gets
 *                                           TO+(id-FROM); prints "shifted FILES OUTSIDE" (OUTSIDE: owners that
 *                                           were not in the range and were left as they were)
 *
 * The engine probes once per file system; where idmapped mounts are refused it shifts a container's files to its
 * block of host ids once (LXC's and Incus's "shifted" rootfs), and back or to another block when that changes. A
 * chown clears set-user-id and set-group-id bits and drops file capabilities, so both are put back after it.
 */
#define _GNU_SOURCE
#include "common.h"
#include "args.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>

int cmd_probe_idmap(int argc, char **argv)
{
    if (argc != 1)
        fail("usage: berth-helper probe-idmap PATH");
    int sync[2], ready[2];
    if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
        fail_sys("pipe", "probe-idmap");
    pid_t child = fork();
    if (child < 0)
        fail_sys("fork", "probe-idmap");
    if (child == 0) {
        char c = 'u';
        close(sync[1]);
        close(ready[0]);
        if (unshare(CLONE_NEWUSER) < 0 || write(ready[1], &c, 1) != 1)
            _exit(1);
        ssize_t n = read(sync[0], &c, 1); /* until the parent has looked */
        _exit(n < 0);
    }
    close(sync[0]);
    close(ready[1]);
    char c, path[64];
    if (read(ready[0], &c, 1) != 1)
        fail("probe-idmap: the child could not make a user namespace");
    close(ready[0]);
    /* a user namespace with a mapping, as a container's is (one id is enough to ask the file system) */
    static const char *const MAPS[] = {"uid_map", "gid_map"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/proc/%d/%s", (int)child, MAPS[i]);
        if (write_file(path, "0 65534 1\n") < 0)
            fail_sys("write", path);
    }
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
    int userns = open(path, O_RDONLY | O_CLOEXEC);
    if (userns < 0)
        fail_sys("open", path);
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, argv[0], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0)
        fail_sys("clone the mount of", argv[0]);
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = (uint64_t)userns;
    int rc = (int)syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof attr);
    int e = errno;
    close(tree);
    close(userns);
    close(sync[1]);
    waitpid(child, NULL, 0);
    if (rc == 0) {
        out_line("idmap ok");
        return 0;
    }
    out_line("idmap unsupported: %s", strerror(e));
    return 3;
}

static unsigned long g_from, g_to, g_count, g_shifted, g_outside;
static dev_t g_dev;

static int shifted(unsigned long id, unsigned long *out)
{
    if (id < g_from || id - g_from >= g_count)
        return 0;
    *out = g_to + (id - g_from);
    return 1;
}

static int shift_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)type;
    (void)ftw;
    if (st->st_dev != g_dev)
        return 0; /* another mount under the tree (FTW_MOUNT skips below it, not the point itself) */
    unsigned long uid = st->st_uid, gid = st->st_gid;
    int u = shifted(st->st_uid, &uid), g = shifted(st->st_gid, &gid);
    if (!u || !g)
        g_outside++;
    if (!u && !g)
        return 0;
    char caps[256];
    ssize_t ncaps = -1;
    if (!S_ISLNK(st->st_mode))
        ncaps = lgetxattr(path, "security.capability", caps, sizeof caps);
    if (lchown(path, (uid_t)uid, (gid_t)gid) < 0)
        fail_sys("chown", path);
    if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)) && chmod(path, st->st_mode & 07777) < 0)
        fail_sys("chmod", path);
    /* a v2 capability set names no owner; a v3 one names the namespace root's host uid, which moves too */
    if (ncaps > 0) {
        if (ncaps == 24 && (unsigned char)caps[3] == 0x03) {
            unsigned long root = (unsigned char)caps[20] | (unsigned char)caps[21] << 8 |
                                 (unsigned long)(unsigned char)caps[22] << 16 |
                                 (unsigned long)(unsigned char)caps[23] << 24;
            if (shifted(root, &root)) {
                caps[20] = (char)(root & 0xff);
                caps[21] = (char)((root >> 8) & 0xff);
                caps[22] = (char)((root >> 16) & 0xff);
                caps[23] = (char)((root >> 24) & 0xff);
            }
        }
        if (lsetxattr(path, "security.capability", caps, (size_t)ncaps, 0) < 0)
            fail_sys("restore the file capabilities of", path);
    }
    g_shifted++;
    return 0;
}

int cmd_shift_ids(int argc, char **argv)
{
    long long from, to, count;
    if (argc != 4 || parse_ll(argv[1], &from) < 0 || parse_ll(argv[2], &to) < 0 || parse_ll(argv[3], &count) < 0 ||
        from < 0 || to < 0 || count <= 0 || from > 0xfffffffeLL || to > 0xfffffffeLL || count > 0xffffffffLL ||
        from + count > 0xffffffffLL || to + count > 0xffffffffLL)
        fail("usage: berth-helper shift-ids PATH FROM TO COUNT (ids and a count below 2^32)");
    struct stat top;
    if (lstat(argv[0], &top) < 0)
        fail_sys("stat", argv[0]);
    if (!S_ISDIR(top.st_mode))
        fail("%s is not a directory", argv[0]);
    g_from = (unsigned long)from;
    g_to = (unsigned long)to;
    g_count = (unsigned long)count;
    g_dev = top.st_dev;
    /* depth first: a directory's owner changes after what is in it, so a run cut short can be run again */
    if (nftw(argv[0], shift_one, 64, FTW_PHYS | FTW_MOUNT | FTW_DEPTH) < 0)
        fail_sys("walk", argv[0]);
    out_line("shifted %lu %lu", g_shifted, g_outside);
    return 0;
}
