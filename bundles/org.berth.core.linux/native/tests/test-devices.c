/*
 * test-devices.c: the cgroup2 device policy (devices.c): the rule syntax with its messages, and the generated
 * BPF program run by a small interpreter of the few instructions it uses, on the accesses that matter
 * (the engine's allowlist: /dev/null yes, a block device or its mknod no).
 */
#include "unit.h"
#include "devices.h"

#include <stdio.h>
#include <string.h>

static struct failure f;

/* The engine's list (CgroupV1Driver.DEVICE_ALLOWLIST). */
static const char *const ALLOW[] = {
    "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm",
    "c 5:2 rwm", "c 136:* rwm", "c 10:229 rwm", "c 10:200 rwm",
};
#define N_ALLOW ((int)(sizeof ALLOW / sizeof ALLOW[0]))

static void parse_rules(void **state)
{
    (void)state;
    struct device_rule r;
    assert_int_equal(device_rule_parse("c 1:3 rwm", &r, &f), 0);
    assert_int_equal(r.type, 'c');
    assert_int_equal(r.major, 1);
    assert_int_equal(r.minor, 3);
    assert_int_equal(r.access, BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD);
    assert_int_equal(device_rule_parse("c 136:* rw", &r, &f), 0);
    assert_int_equal(r.minor, DEVICE_ANY);
    assert_int_equal(r.access, BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE);
    assert_int_equal(device_rule_parse("b *:* m", &r, &f), 0);
    assert_int_equal(r.type, 'b');
    assert_int_equal(r.major, DEVICE_ANY);
    assert_int_equal(r.access, BPF_DEVCG_ACC_MKNOD);
    assert_int_equal(device_rule_parse("a *:* r", &r, &f), 0);
    assert_int_equal(r.type, 'a');
}

#define RULE_FAILS(sentence, text)                                 \
    do {                                                           \
        struct device_rule r_;                                     \
        assert_int_equal(device_rule_parse(text, &r_, &f), -1);    \
        assert_string_equal(f.msg, (sentence));                    \
    } while (0)

static void rule_errors(void **state)
{
    (void)state;
    const char *syntax = "--device-allow needs TYPE MAJOR:MINOR ACCESS (e.g. 'c 1:3 rwm', 'c 136:* rw'), got ";
    char want[256];
    static const char *const bad[] = {"", "c", "c 1:3", "x 1:3 rwm", "cc 1:3 rwm", "c 1 rwm", "c -1:3 rwm",
                                      "c 1:3 rwm extra", "c 1:99999999 rwm", "c a:3 rwm"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(want, sizeof want, "%s'%s'", syntax, bad[i]);
        RULE_FAILS(want, bad[i]);
    }
    RULE_FAILS("--device-allow access must be letters of rwm, each once, got 'rx' in 'c 1:3 rx'", "c 1:3 rx");
    RULE_FAILS("--device-allow access must be letters of rwm, each once, got 'rr' in 'c 1:3 rr'", "c 1:3 rr");
}

/* Runs the program on one access as the kernel would (just the instructions device_program emits). */
static int run(const struct bpf_insn *prog, int len, int type, unsigned access, unsigned major, unsigned minor)
{
    struct bpf_cgroup_dev_ctx ctx = {.access_type = (access << 16) | (unsigned)type, .major = major, .minor = minor};
    uint64_t reg[11] = {0};
    for (int pc = 0; pc < len; pc++) {
        const struct bpf_insn *i = &prog[pc];
        switch (i->code) {
        case BPF_LDX | BPF_MEM | BPF_W:
            assert_int_equal(i->src_reg, 1); /* only the context is read */
            reg[i->dst_reg] = *(const uint32_t *)((const char *)&ctx + i->off);
            break;
        case BPF_ALU | BPF_MOV | BPF_X: reg[i->dst_reg] = (uint32_t)reg[i->src_reg]; break;
        case BPF_ALU | BPF_MOV | BPF_K: reg[i->dst_reg] = (uint32_t)i->imm; break;
        case BPF_ALU | BPF_RSH | BPF_K: reg[i->dst_reg] = (uint32_t)reg[i->dst_reg] >> i->imm; break;
        case BPF_ALU | BPF_AND | BPF_K: reg[i->dst_reg] = (uint32_t)(reg[i->dst_reg] & (uint32_t)i->imm); break;
        case BPF_JMP | BPF_JNE | BPF_K:
            if (reg[i->dst_reg] != (uint64_t)(int64_t)i->imm)
                pc += i->off;
            break;
        case BPF_JMP | BPF_JNE | BPF_X:
            if (reg[i->dst_reg] != reg[i->src_reg])
                pc += i->off;
            break;
        case BPF_JMP | BPF_EXIT: return (int)reg[0];
        default: fail_msg("unexpected instruction %#x at %d", i->code, pc);
        }
        assert_true(pc + 1 <= len); /* jumps stay inside */
    }
    fail_msg("the program ran off its end");
    return -1;
}

#define CHR BPF_DEVCG_DEV_CHAR
#define BLK BPF_DEVCG_DEV_BLOCK
#define R BPF_DEVCG_ACC_READ
#define W BPF_DEVCG_ACC_WRITE
#define M BPF_DEVCG_ACC_MKNOD

static void engine_allowlist(void **state)
{
    (void)state;
    struct device_rule rules[N_ALLOW];
    for (int i = 0; i < N_ALLOW; i++)
        assert_int_equal(device_rule_parse(ALLOW[i], &rules[i], &f), 0);
    struct bpf_insn prog[256];
    int len = device_program(rules, N_ALLOW, prog, 256);
    assert_true(len > 0);
    assert_int_equal(run(prog, len, CHR, R | W, 1, 3), 1);       /* /dev/null */
    assert_int_equal(run(prog, len, CHR, M, 1, 9), 1);           /* mknod urandom */
    assert_int_equal(run(prog, len, CHR, R | W, 136, 4711), 1);  /* any pts */
    assert_int_equal(run(prog, len, CHR, R | W, 10, 200), 1);    /* net/tun */
    assert_int_equal(run(prog, len, CHR, R, 1, 1), 0);           /* /dev/mem */
    assert_int_equal(run(prog, len, CHR, R, 1, 2), 0);           /* /dev/kmem */
    assert_int_equal(run(prog, len, CHR, M, 4, 1), 0);           /* a host tty */
    assert_int_equal(run(prog, len, BLK, R, 1, 3), 0);           /* a block device with null's numbers */
    assert_int_equal(run(prog, len, BLK, M, 8, 0), 0);           /* mknod /dev/sda */
    assert_int_equal(run(prog, len, BLK, R | W, 253, 0), 0);     /* the host's virtio disk */
    assert_int_equal(run(prog, len, BLK, M, 7, 0), 0);           /* a loop device */
}

static void partial_access_and_wildcards(void **state)
{
    (void)state;
    struct device_rule rules[3];
    assert_int_equal(device_rule_parse("c 10:*  r", &rules[0], &f), 0);
    assert_int_equal(device_rule_parse("b *:* m", &rules[1], &f), 0);
    assert_int_equal(device_rule_parse("a 4:64 w", &rules[2], &f), 0);
    struct bpf_insn prog[64];
    int len = device_program(rules, 3, prog, 64);
    assert_int_equal(run(prog, len, CHR, R, 10, 1), 1);
    assert_int_equal(run(prog, len, CHR, R | W, 10, 1), 0); /* write is not in the rule */
    assert_int_equal(run(prog, len, BLK, M, 259, 3), 1);
    assert_int_equal(run(prog, len, BLK, R, 259, 3), 0);
    assert_int_equal(run(prog, len, BLK, W, 4, 64), 1);
    assert_int_equal(run(prog, len, CHR, W, 4, 64), 1);
    assert_int_equal(run(prog, len, CHR, W, 4, 65), 0);
    /* no rules: everything is denied */
    len = device_program(rules, 0, prog, 64);
    assert_int_equal(run(prog, len, CHR, R, 1, 3), 0);
    /* too small a buffer */
    assert_int_equal(device_program(rules, 3, prog, 10), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_rules),
        cmocka_unit_test(rule_errors),
        cmocka_unit_test(engine_allowlist),
        cmocka_unit_test(partial_access_and_wildcards),
    };
    return cmocka_run_group_tests_name("berth-helper devices", tests, NULL, NULL);
}
