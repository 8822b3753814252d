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
int idmap_rootfs(const struct start_opts *o, pid_t child)
{
    char path[64];
    int tree = open_tree(AT_FDCWD, o->rootfs, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0)
        fail_sys("clone the mount of rootfs", o->rootfs);
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
    int userns = open(path, O_RDONLY | O_CLOEXEC);
    if (userns < 0)
        fail_sys("open", path);
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = (uint64_t)userns;
    int rc = mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr);
    int e = errno;
    close(userns);
    if (rc < 0) {
        close(tree);
        if (!cannot_idmap(e)) {
            errno = e;
            fail_sys("idmap the mount of rootfs", o->rootfs);
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
