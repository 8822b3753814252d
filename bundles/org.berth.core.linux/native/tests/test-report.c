/*
 * test-report.c: where a failure's sentence goes in each phase (report), how a failed system call is worded,
 * and that start and exec route their argument errors as PROTOCOL.md says. What exits runs in a forked child
 * whose stdout and stderr are pipes; nothing here needs root.
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

struct outcome {
    int exited, code;           /* exited: 1 and the exit code, or 0 and the signal */
    char out[4096], err[4096];
};

static size_t drain(int fd, char *buf, size_t size)
{
    size_t got = 0;
    ssize_t n;
    while (got < size - 1 && ((n = read(fd, buf + got, size - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
        if (n > 0)
            got += (size_t)n;
    buf[got] = '\0';
    return got;
}

/* Runs fn(arg) in a child with stdout and stderr captured; fn is expected to end the process. */
static void run_child(void (*fn)(void *), void *arg, struct outcome *r)
{
    int out[2], err[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    fflush(stdout); /* or the child's exit() writes cmocka's buffered lines into the pipe */
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        close(out[0]);
        close(err[0]);
        fn(arg);
        _exit(99);
    }
    close(out[1]);
    close(err[1]);
    drain(out[0], r->out, sizeof r->out); /* the messages are far below a pipe's capacity */
    drain(err[0], r->err, sizeof r->err);
    close(out[0]);
    close(err[0]);
    int ws;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    r->exited = WIFEXITED(ws);
    r->code = WIFEXITED(ws) ? WEXITSTATUS(ws) : WTERMSIG(ws);
}

static struct outcome r;

/* ================================================================ sentences ======= */

static void failed_system_call_sentence(void **state)
{
    (void)state;
    struct failure f;
    assert_int_equal(failure_errno(&f, ENOENT, "open rootfs", "/srv/c1"), -1);
    assert_string_equal(f.msg, "open rootfs /srv/c1: No such file or directory");
    assert_int_equal(failure_errno(&f, EPERM, "capget", NULL), -1);
    assert_string_equal(f.msg, "capget: Operation not permitted");
    assert_int_equal(failure_errno(&f, EPERM, "capget", ""), -1);
    assert_string_equal(f.msg, "capget: Operation not permitted");
    errno = EACCES;
    assert_int_equal(failure_sys(&f, "write", "/proc/1/uid_map"), -1);
    assert_string_equal(f.msg, "write /proc/1/uid_map: Permission denied");
}

static void sentence_is_cut(void **state)
{
    (void)state;
    struct failure f;
    static char long_name[3 * MSG_MAX];
    memset(long_name, 'n', sizeof long_name - 1);
    assert_int_equal(failure_set(&f, "x %s", long_name), -1);
    assert_int_equal(strlen(f.msg), MSG_MAX - 1);
    assert_memory_equal(f.msg, "x nnn", 5);
}

/* ================================================================ report ========== */

static void undo_hook(void)
{
    dprintf(STDERR_FILENO, "undo\n");
}

static void fail_in_start(void *arg)
{
    (void)arg;
    g_phase = PHASE_START;
    g_start_undo = undo_hook;
    (fail)("container process %d died during setup", 42); /* (fail): cmocka has a fail() macro */
}

static void report_start_phase(void **state)
{
    (void)state;
    run_child(fail_in_start, NULL, &r);
    assert_true(r.exited);
    assert_int_equal(r.code, 1);
    assert_string_equal(r.out, "ERROR container process 42 died during setup\n");
    assert_string_equal(r.err, "undo\n"); /* the undo ran, before the line */
}

static void fail_errno_in_start(void *arg)
{
    (void)arg;
    g_phase = PHASE_START;
    g_start_undo = NULL;
    errno = ENOENT;
    fail_sys("open state directory", "/run/berth/c1");
}

static void report_start_phase_system_call(void **state)
{
    (void)state;
    run_child(fail_errno_in_start, NULL, &r);
    assert_int_equal(r.code, 1);
    assert_string_equal(r.out, "ERROR open state directory /run/berth/c1: No such file or directory\n");
    assert_string_equal(r.err, "");
}

static void fail_long_in_start(void *arg)
{
    (void)arg;
    g_phase = PHASE_START;
    struct failure f;
    static char long_text[2 * MSG_MAX];
    memset(long_text, 'x', sizeof long_text - 1);
    failure_set(&f, "%s", long_text);
    fail_with(&f);
}

static void report_start_phase_long(void **state)
{
    (void)state;
    run_child(fail_long_in_start, NULL, &r);
    assert_int_equal(r.code, 1);
    assert_int_equal(strlen(r.out), strlen("ERROR ") + MSG_MAX - 1 + 1);
    assert_int_equal(r.out[strlen(r.out) - 1], '\n');
}

static int g_report_pipe[2];

static void fail_in_exec(void *arg)
{
    g_phase = PHASE_EXEC;
    g_exec_report_fd = arg ? g_report_pipe[1] : -1;
    errno = ESRCH;
    fail_sys("pidfd_open", "4242");
}

static void report_exec_phase(void **state)
{
    (void)state;
    run_child(fail_in_exec, NULL, &r);
    assert_true(r.exited);
    assert_int_equal(r.code, 125);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "berth-helper: pidfd_open 4242: No such process\n");
}

static void report_exec_phase_with_report_fd(void **state)
{
    (void)state;
    assert_int_equal(pipe(g_report_pipe), 0);
    run_child(fail_in_exec, "report", &r);
    close(g_report_pipe[1]);
    char msg[256];
    drain(g_report_pipe[0], msg, sizeof msg);
    close(g_report_pipe[0]);
    assert_int_equal(r.code, 125);
    assert_string_equal(r.err, "berth-helper: pidfd_open 4242: No such process\n");
    assert_string_equal(msg, "pidfd_open 4242: No such process"); /* no newline: the reader takes it whole */
}

static int g_sync[2];

static void fail_in_child(void *arg)
{
    (void)arg;
    g_phase = PHASE_CHILD;
    g_child_sock = g_sync[1];
    errno = EINVAL;
    fail_sys("mount devpts on", "/dev/pts");
}

static void report_child_phase(void **state)
{
    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, g_sync), 0);
    run_child(fail_in_child, NULL, &r);
    char msg[MSG_MAX + 2];
    ssize_t n = recv(g_sync[0], msg, sizeof msg - 1, MSG_DONTWAIT);
    close(g_sync[0]);
    close(g_sync[1]);
    assert_true(n > 0);
    msg[n] = '\0';
    assert_int_equal(r.code, 1);
    assert_string_equal(msg, "Emount devpts on /dev/pts: Invalid argument");
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "");
}

/* ================================================================ sub-commands ==== */

struct args {
    int argc;
    char **argv;
};

static void start_child(void *arg)
{
    struct args *a = arg;
    exit(cmd_start(a->argc, a->argv));
}

static void exec_child(void *arg)
{
    struct args *a = arg;
    exit(cmd_exec(a->argc, a->argv));
}

#define RUN(fn, ...)                                                                  \
    do {                                                                              \
        struct args a_ = {ARGS(__VA_ARGS__)};                                         \
        run_child((fn), &a_, &r);                                                     \
    } while (0)

static void start_reports_argument_errors(void **state)
{
    (void)state;
    RUN(start_child, "--name", "c1", "--bogus");
    assert_int_equal(r.code, 1);
    assert_string_equal(r.out, "ERROR unknown option --bogus for start\n");
    assert_string_equal(r.err, "");
    RUN(start_child, "--rootfs", "/");
    assert_int_equal(r.code, 1);
    assert_string_equal(r.out, "ERROR missing --name\n");
    RUN(start_child, "--name", "c1", "--rootfs", "/nonexistent/berth", "--state-dir", "/nonexistent/state",
        "--ns", "mnt", "--", "/i");
    assert_int_equal(r.code, 1);
    assert_string_equal(r.out, "ERROR open rootfs /nonexistent/berth: No such file or directory\n");
}

static void exec_reports_argument_errors(void **state)
{
    (void)state;
    RUN(exec_child, "--pid", "x", "--", "true");
    assert_int_equal(r.code, 125);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "berth-helper: --pid needs a process id, got 'x'\n");
    RUN(exec_child, "--pid", "1");
    assert_int_equal(r.code, 125);
    assert_string_equal(r.err, "berth-helper: missing command after --\n");
}

static void init_child(void *arg)
{
    struct args *a = arg;
    exit(cmd_init(a->argc, a->argv));
}

static void init_refuses_options(void **state)
{
    (void)state;
    RUN(init_child, "--bogus", "--", "/bin/true");
    assert_int_equal(r.code, 2);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "berth-init: unknown option '--bogus'\n");
}

/* ================================================================ id maps ========= */

static void id_map_is_one_write(void **state)
{
    (void)state;
    char path[] = "/tmp/berth-unit-map.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *const lines[] = {"0 100000 65536", "65536 1000 1"};
    assert_int_equal(write_id_map(path, lines, 2), 0);
    char buf[128];
    drain(fd, buf, sizeof buf);
    close(fd);
    unlink(path);
    assert_string_equal(buf, "0 100000 65536\n65536 1000 1\n");
    errno = 0;
    assert_int_equal(write_id_map("/nonexistent/berth/uid_map", lines, 2), -1);
    assert_int_equal(errno, ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_system_call_sentence),
        cmocka_unit_test(sentence_is_cut),
        cmocka_unit_test(report_start_phase),
        cmocka_unit_test(report_start_phase_system_call),
        cmocka_unit_test(report_start_phase_long),
        cmocka_unit_test(report_exec_phase),
        cmocka_unit_test(report_exec_phase_with_report_fd),
        cmocka_unit_test(report_child_phase),
        cmocka_unit_test(start_reports_argument_errors),
        cmocka_unit_test(exec_reports_argument_errors),
        cmocka_unit_test(init_refuses_options),
        cmocka_unit_test(id_map_is_one_write),
    };
    return cmocka_run_group_tests_name("berth-helper reporting", tests, NULL, NULL);
}
