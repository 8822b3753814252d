/*
 * devices.c: the cgroup2 device policy (see devices.h). The program is what runc and crun generate: load the
 * type, the requested access, major and minor from struct bpf_cgroup_dev_ctx, compare rule by rule, return 1
 * (allow) on the first match and 0 (deny) after the last rule. It is attached with BPF_F_ALLOW_MULTI: programs a
 * container attaches below its own group run as well, and the kernel allows an access only when all of them do
 * (the default seccomp profile denies bpf(2) inside anyway, so a container cannot detach it).
 */
#include "devices.h"
#include "args.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static int parse_number(const char *s, long *out)
{
    if (!strcmp(s, "*")) {
        *out = DEVICE_ANY;
        return 0;
    }
    long long v;
    if (parse_ll(s, &v) < 0 || v < 0 || v > 0xfffff)
        return -1;
    *out = (long)v;
    return 0;
}

int device_rule_parse(const char *text, struct device_rule *r, struct failure *f)
{
    char type[4], major[16], minor[16], access[8], tail;
    if (sscanf(text, "%3s %15[0-9*]:%15[0-9*] %7s %c", type, major, minor, access, &tail) != 4 || strlen(type) != 1
        || !strchr("abc", type[0]) || parse_number(major, &r->major) < 0 || parse_number(minor, &r->minor) < 0)
        return failure_set(f, "--device-allow needs TYPE MAJOR:MINOR ACCESS (e.g. 'c 1:3 rwm', 'c 136:* rw'), got "
                              "'%s'", text);
    r->type = type[0];
    r->access = 0;
    for (const char *a = access; *a; a++) {
        unsigned bit = *a == 'r' ? BPF_DEVCG_ACC_READ : *a == 'w' ? BPF_DEVCG_ACC_WRITE
                                                      : *a == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
        if (!bit || (r->access & bit))
            return failure_set(f, "--device-allow access must be letters of rwm, each once, got '%s' in '%s'",
                               access, text);
        r->access |= bit;
    }
    return 0;
}

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV32_IMM(d, i) INSN(BPF_ALU | BPF_MOV | BPF_K, d, 0, 0, i)
#define ALU32_IMM(op, d, i) INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define JNE_IMM(d, i, o) INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define JNE_REG(d, s, o) INSN(BPF_JMP | BPF_JNE | BPF_X, d, s, o, 0)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

enum { R0, R1, R2, R3, R4, R5 };
#define ALL_ACCESS (BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE)

static int rule_length(const struct device_rule *r)
{
    return (r->type != 'a') + (r->access != ALL_ACCESS ? 3 : 0) + (r->major != DEVICE_ANY)
           + (r->minor != DEVICE_ANY) + 2;
}

int device_program(const struct device_rule *rules, int n, struct bpf_insn *prog, int max)
{
    int len = 6 + 2; /* the loads, and the final deny */
    for (int i = 0; i < n; i++)
        len += rule_length(&rules[i]);
    if (len > max)
        return -1;
    int pc = 0;
    /* access_type = (access << 16) | type; then major, minor */
    prog[pc++] = LDX_W(R2, R1, offsetof(struct bpf_cgroup_dev_ctx, access_type));
    prog[pc++] = MOV32_REG(R3, R2);
    prog[pc++] = ALU32_IMM(BPF_RSH, R3, 16);
    prog[pc++] = ALU32_IMM(BPF_AND, R2, 0xffff);
    prog[pc++] = LDX_W(R4, R1, offsetof(struct bpf_cgroup_dev_ctx, major));
    prog[pc++] = LDX_W(R5, R1, offsetof(struct bpf_cgroup_dev_ctx, minor));
    for (int i = 0; i < n; i++) {
        const struct device_rule *r = &rules[i];
        int next = pc + rule_length(r); /* a jump's offset counts from the instruction after it */
        if (r->type != 'a') {
            prog[pc] = JNE_IMM(R2, r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, next - pc - 1);
            pc++;
        }
        if (r->access != ALL_ACCESS) { /* every requested access must be in the rule's */
            prog[pc++] = MOV32_REG(R1, R3);
            prog[pc++] = ALU32_IMM(BPF_AND, R1, (int)r->access);
            prog[pc] = JNE_REG(R1, R3, next - pc - 1);
            pc++;
        }
        if (r->major != DEVICE_ANY) {
            prog[pc] = JNE_IMM(R4, (int)r->major, next - pc - 1);
            pc++;
        }
        if (r->minor != DEVICE_ANY) {
            prog[pc] = JNE_IMM(R5, (int)r->minor, next - pc - 1);
            pc++;
        }
        prog[pc++] = MOV32_IMM(R0, 1);
        prog[pc++] = EXIT();
    }
    prog[pc++] = MOV32_IMM(R0, 0);
    prog[pc++] = EXIT();
    return pc;
}

#define PROGRAM_MAX (8 + MAX_REPEAT * 9)

int devices_load(const char *dir, const char *const *rule_args, int n)
{
    if (!dir)
        return -1;
    struct device_rule rules[MAX_REPEAT];
    struct failure f;
    for (int i = 0; i < n; i++)
        if (device_rule_parse(rule_args[i], &rules[i], &f) < 0)
            fail_with(&f);
    static struct bpf_insn prog[PROGRAM_MAX];
    int len = device_program(rules, n, prog, PROGRAM_MAX);
    if (len < 0)
        fail("the device program for %d rules does not fit", n);

    /* no verifier log: with one (level 1) the verifier wrote every instruction's state, did not fit in 4 KiB and
       the program was loaded twice, about 1.5 ms of every start */
    union bpf_attr load;
    memset(&load, 0, sizeof load);
    load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    load.insns = (uint64_t)(uintptr_t)prog;
    load.insn_cnt = (uint32_t)len;
    load.license = (uint64_t)(uintptr_t)"GPL";
    int prog_fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load); /* always close-on-exec */
    if (prog_fd < 0)
        fail_sys("load the device program (BPF_PROG_TYPE_CGROUP_DEVICE) for", dir);
    return prog_fd;
}

void devices_attach(const char *dir, int prog_fd)
{
    if (!dir || prog_fd < 0)
        return;
    int cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cg < 0)
        fail_sys("open cgroup directory", dir);
    union bpf_attr attach;
    memset(&attach, 0, sizeof attach);
    attach.target_fd = (uint32_t)cg;
    attach.attach_bpf_fd = (uint32_t)prog_fd;
    attach.attach_type = BPF_CGROUP_DEVICE;
    attach.attach_flags = BPF_F_ALLOW_MULTI;
    if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof attach) < 0)
        fail_sys("attach the device program to", dir);
    /* the cgroup holds the program now; it goes with the cgroup */
    close(cg);
    close(prog_fd);
}

void devices_prepare(const char *dir, const char *const *rule_args, int n)
{
    devices_attach(dir, devices_load(dir, rule_args, n));
}
