/*
 * test-seccomp.c: the seccomp profile (seccomp.c): the default list, the profile file format with each of its
 * messages, and the built filter in a forked child (which sets no_new_privs itself, so any user can load it).
 */
#include "unit.h"
#include "seccomp-profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static struct seccomp_profile p;
static struct failure f;

static int rule_errno(const struct seccomp_profile *q, const char *name)
{
    for (int i = 0; i < q->n; i++)
        if (!strcmp(q->rules[i].name, name))
            return q->rules[i].err;
    return 0;
}

static void default_profile(void **state)
{
    (void)state;
    seccomp_profile_default(&p);
    assert_true(p.confined);
    static const char *const denied[] = {
        "kexec_load", "kexec_file_load", "open_by_handle_at", "init_module", "finit_module", "delete_module",
        "iopl", "ioperm", "swapon", "swapoff", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime",
        "acct", "lookup_dcookie", "quotactl", "nfsservctl", "keyctl", "add_key", "request_key", "bpf",
        "perf_event_open", "userfaultfd",
    };
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        if (rule_errno(&p, denied[i]) != EPERM)
            fail_msg("%s is not denied with EPERM", denied[i]);
    }
    /* init of a pid namespace halts with reboot(2); mounts are the container's own */
    assert_int_equal(rule_errno(&p, "reboot"), 0);
    assert_int_equal(rule_errno(&p, "mount"), 0);
    assert_int_equal(rule_errno(&p, "umount2"), 0);
}

static void default_profile_builds(void **state)
{
    (void)state;
    void *filter = NULL;
    seccomp_profile_default(&p);
    if (seccomp_build(&p, &filter, &f) < 0)
        fail_msg("%s", f.msg);
    assert_non_null(filter);
}

static void parse_profile(void **state)
{
    (void)state;
    assert_int_equal(seccomp_profile_parse("# my profile\n\nkexec_load\n  bpf   errno 38  # ENOSYS\r\n"
                                           "keyctl errno 1\nbpf errno 13\n",
                                           "/p", &p, &f),
                     0);
    assert_true(p.confined);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.rules[0].name, "kexec_load");
    assert_int_equal(p.rules[0].err, EPERM);
    assert_string_equal(p.rules[1].name, "bpf");
    assert_int_equal(p.rules[1].err, EACCES); /* given twice: the later one */
    assert_int_equal(rule_errno(&p, "keyctl"), 1);
    /* an empty profile is a filter that denies nothing, unlike unconfined */
    assert_int_equal(seccomp_profile_parse("", "/p", &p, &f), 0);
    assert_true(p.confined);
    assert_int_equal(p.n, 0);
    assert_int_equal(seccomp_profile_parse("bpf", "/p", &p, &f), 0); /* no newline at the end */
    assert_int_equal(p.n, 1);
}

#define PARSE_FAILS(sentence, text)                                   \
    do {                                                              \
        assert_int_equal(seccomp_profile_parse(text, "/p", &p, &f), -1); \
        assert_string_equal(f.msg, (sentence));                       \
    } while (0)

static void parse_errors(void **state)
{
    (void)state;
    PARSE_FAILS("seccomp profile /p line 2: 'Kexec_load' is not a system call name", "bpf\nKexec_load\n");
    PARSE_FAILS("seccomp profile /p line 1: 'open(2)' is not a system call name", "open(2)");
    PARSE_FAILS("seccomp profile /p line 1: expected a system call name, optionally followed by 'errno N'",
                "bpf keyctl");
    PARSE_FAILS("seccomp profile /p line 1: expected a system call name, optionally followed by 'errno N'",
                "bpf errno");
    PARSE_FAILS("seccomp profile /p line 1: expected a system call name, optionally followed by 'errno N'",
                "bpf errno 1 2 3");
    PARSE_FAILS("seccomp profile /p line 3: errno must be a number from 1 to 4095, got 'EPERM'",
                "\n\nbpf errno EPERM");
    PARSE_FAILS("seccomp profile /p line 1: errno must be a number from 1 to 4095, got '0'", "bpf errno 0");
    PARSE_FAILS("seccomp profile /p line 1: errno must be a number from 1 to 4095, got '4096'", "bpf errno 4096");
    char long_line[400];
    memset(long_line, 'a', sizeof long_line - 1);
    long_line[sizeof long_line - 1] = '\0';
    PARSE_FAILS("seccomp profile /p line 1 is too long", long_line);
}

static void too_many_rules(void **state)
{
    (void)state;
    static char text[SECCOMP_MAX_RULES * 16 + 64];
    size_t used = 0;
    for (int i = 0; i <= SECCOMP_MAX_RULES; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "call_%d\n", i);
    PARSE_FAILS("seccomp profile /p has more than 256 system calls", text);
}

static void profile_arguments(void **state)
{
    (void)state;
    assert_int_equal(seccomp_profile_from_arg("default", &p, &f), 0);
    assert_true(p.confined);
    assert_int_equal(rule_errno(&p, "kexec_load"), EPERM);
    assert_int_equal(seccomp_profile_from_arg("unconfined", &p, &f), 0);
    assert_false(p.confined);
    void *filter = &p;
    assert_int_equal(seccomp_build(&p, &filter, &f), 0);
    assert_null(filter);
    assert_int_equal(seccomp_profile_from_arg("my-profile", &p, &f), -1);
    assert_string_equal(f.msg, "--seccomp needs default, unconfined or the absolute path of a profile, got 'my-profile'");
    assert_int_equal(seccomp_profile_from_arg("/nonexistent/berth.seccomp", &p, &f), -1);
    assert_string_equal(f.msg, "open seccomp profile /nonexistent/berth.seccomp: No such file or directory");

    char path[] = "/tmp/berth-unit-seccomp.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "# deny the clock\nclock_settime errno 1\nbogus_call\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    int rc = seccomp_profile_from_arg(path, &p, &f);
    assert_int_equal(rc, 0);
    assert_int_equal(p.n, 2);
    /* the kernel's table is only asked when the filter is built */
    assert_int_equal(seccomp_build(&p, &filter, &f), -1);
    assert_string_equal(f.msg, "unknown system call 'bogus_call' in the seccomp profile");
    unlink(path);
}

/* x32 system call numbers (the native syscall instruction with bit 30 set): kexec_load is 528 there */
static long x32_syscall(long nr)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(0x40000000L | nr) : "rcx", "r11", "memory");
    return ret;
}

/* Loads the default filter in a child and checks what it returns there; 0 from the child = all as expected. */
static void filter_denies_in_child(void **state)
{
    (void)state;
    void *filter = NULL;
    seccomp_profile_default(&p);
    assert_int_equal(seccomp_build(&p, &filter, &f), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            _exit(10);
        seccomp_install(filter);
        /* invalid flags: without the filter this would be EINVAL (or EPERM without CAP_SYS_BOOT) */
        errno = 0;
        if (syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0x7fff0000UL) != -1 || errno != EPERM)
            _exit(11);
        errno = 0;
        if (syscall(SYS_open_by_handle_at, -1, NULL, 0) != -1 || errno != EPERM)
            _exit(12); /* EBADF without the filter */
        errno = 0;
        if (syscall(SYS_keyctl, 0, 0, 0, 0, 0) != -1 || errno != EPERM)
            _exit(13);
        if (syscall(SYS_getpid) != getpid())
            _exit(14);
#if defined(__x86_64__)
        /* the x32 ABI reaches the same kernel code: the filter answers before the kernel's ENOSYS */
        if (x32_syscall(528) != -EPERM)
            _exit(15);
        if (x32_syscall(39) != -ENOSYS && x32_syscall(39) != getpid())
            _exit(16); /* getpid: allowed (ENOSYS when this kernel has no x32) */
#endif
        _exit(0);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("the filtered child ended with %s %d", WIFEXITED(st) ? "status" : "signal",
                 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_profile),
        cmocka_unit_test(default_profile_builds),
        cmocka_unit_test(parse_profile),
        cmocka_unit_test(parse_errors),
        cmocka_unit_test(too_many_rules),
        cmocka_unit_test(profile_arguments),
        cmocka_unit_test(filter_denies_in_child),
    };
    return cmocka_run_group_tests_name("berth-helper seccomp", tests, NULL, NULL);
}
