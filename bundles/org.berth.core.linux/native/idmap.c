/*
 * idmap.c: the container's root file system seen through an idmapped mount (--idmap-rootfs).
 *
 * A container with a user namespace of its own runs as host uids BASE..BASE+65535, while its root file system
 * (made from a template, shared, unchanged on disk) is owned by host root. The parent, still host root, clones
 * the rootfs mount (open_tree), marks the clone with the child's user namespace (mount_setattr
 * MOUNT_ATTR_IDMAP: on-disk uid N is seen as the namespace's N), and attaches it over the rootfs path inside
 * the child's new mount namespace, where the child then builds its view on top as usual. The host's mount
 * table never sees it, and it goes with the child's namespace.
 */
#include "start.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/mount.h>

/* A file system that cannot be idmapped answers EINVAL (or EPERM/ENOSYS on old kernels). */
static int cannot_idmap(int e)
{
    return e == EINVAL || e == EPERM || e == ENOSYS || e == EOPNOTSUPP;
}

/*
 * Returns a descriptor of the idmapped mount, attached in the child's mount namespace, for the child to build its
 * view on: the child, a host uid of its own, may not be able to reach the rootfs by its path (a folder on the way
 * that only root may pass, as LXC's are). -1 when the file system cannot be idmapped (said in a WARN line).
 */
/* A detached clone of the mount of rootfs, marked with userns (MOUNT_ATTR_IDMAP); -1 with errno, *op the step. */
int idmap_clone(const char *rootfs, int userns, const char **op)
{
    *op = "clone the mount of rootfs";
    int tree = open_tree(AT_FDCWD, rootfs, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0)
        return -1;
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = (uint64_t)userns;
    *op = "idmap the mount of rootfs";
    if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
        int e = errno;
        close(tree);
        errno = e;
        return -1;
    }
    return tree;
}

int idmap_rootfs(const struct start_opts *o, pid_t child)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
    int userns = open(path, O_RDONLY | O_CLOEXEC);
    if (userns < 0)
        fail_sys("open", path);
    const char *op;
    int tree = idmap_clone(o->rootfs, userns, &op);
    int e = errno, rc = 0;
    close(userns);
    if (tree < 0) {
        if (!cannot_idmap(e) || strcmp(op, "idmap the mount of rootfs")) {
            errno = e;
            fail_sys(op, o->rootfs);
        }
        if (out_line("WARN the file system of %s cannot be idmapped (%s): the container's root sees its files as "
                     "owned by nobody",
                     o->rootfs, strerror(e)) < 0)
            fail_sys("write", "stdout");
        return -1;
    }

    int own = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    if (own < 0)
        fail_sys("open", "/proc/self/ns/mnt");
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)child);
    int theirs = open(path, O_RDONLY | O_CLOEXEC);
    if (theirs < 0)
        fail_sys("open", path);
    if (setns(theirs, CLONE_NEWNS) < 0)
        fail_sys("enter the container's mount namespace", path);
    /* nothing attached here may propagate back to the host */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        e = errno, rc = -1;
    else if (move_mount(tree, "", AT_FDCWD, o->rootfs, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        e = errno, rc = -2;
    if (setns(own, CLONE_NEWNS) < 0)
        fail_sys("return to the helper's mount namespace", "/proc/self/ns/mnt");
    close(own);
    close(theirs);
    if (rc < 0) {
        close(tree);
        errno = e;
        fail_sys(rc == -1 ? "make the container's mounts private" : "attach the idmapped rootfs", o->rootfs);
    }
    return tree; /* after move_mount: the attached mount */
}
