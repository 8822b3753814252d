/*
 * devices.h: the device policy of a container on cgroup2: a BPF_CGROUP_DEVICE program made from the same
 * allowlist the engine writes to a v1 devices controller ("c 1:3 rwm", "c 136:* rwm", ...), attached to the
 * container's cgroup2 directory before init is moved there (--devices-bpf DIR, --device-allow RULE).
 * Parsing and the program are pure (tests/test-devices.c); loading and attaching need root.
 */
#ifndef BERTH_DEVICES_H
#define BERTH_DEVICES_H

#include "common.h"

#include <linux/bpf.h>

#define DEVICE_ANY (-1)

struct device_rule {
    char type;          /* 'c', 'b' or 'a' (both) */
    long major, minor;  /* DEVICE_ANY for '*' */
    unsigned access;    /* BPF_DEVCG_ACC_MKNOD | _READ | _WRITE */
};

/* "TYPE MAJOR:MINOR ACCESS" as cgroup v1's devices.allow takes it: `c 1:3 rwm`, `c 136:* rw`, `b *:* m`. */
int device_rule_parse(const char *text, struct device_rule *r, struct failure *f);

/*
 * The program allowing exactly what the rules allow (an access is allowed when one rule has its type,
 * major, minor and every requested access); everything else is denied. Returns the number of instructions
 * written to prog (at most max), or -1 when it does not fit.
 */
int device_program(const struct device_rule *rules, int n, struct bpf_insn *prog, int max);

/* The program for --devices-bpf DIR with the --device-allow rules, loaded (the verifier runs here): its fd, or -1
   without DIR. */
int devices_load(const char *dir, const char *const *rules, int n);

/*
 * Attaches a loaded program to the cgroup2 folder DIR and closes it (nothing without DIR), before any process of
 * the container enters that folder. The attach takes the kernel's cgroup_mutex, which a move of a process into a
 * cgroup holds while it waits for an RCU grace period.
 */
void devices_attach(const char *dir, int prog_fd);

/* Both, as the helper's restore does before CRIU puts any process in the cgroup. */
void devices_prepare(const char *dir, const char *const *rules, int n);

#endif
