/*
 * test-args.c: the parsers and validators of args.c, each message as the user reads it.
 * A temp directory (removed at the end) stands in for a rootfs and a --bind source.
 */
#include "unit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_root[64];         /* a directory: the rootfs */
static char g_file[96];         /* a regular file in it */
static struct start_opts o;     /* large (the bind specs): not on the stack */
static struct failure f;

/* n times c, in a buffer of its own (a few per test at most) */
static const char *repeat(char c, int n)
{
    static char bufs[4][128];
    static int next;
    char *b = bufs[next++ % 4];
    memset(b, c, (size_t)n);
    b[n] = '\0';
    return b;
}

static int make_fixture(void **state)
{
    (void)state;
    snprintf(g_root, sizeof g_root, "/tmp/berth-unit.XXXXXX");
    if (!mkdtemp(g_root))
        return -1;
    snprintf(g_file, sizeof g_file, "%s/file", g_root);
    FILE *fp = fopen(g_file, "w");
    if (!fp)
        return -1;
    fclose(fp);
    return 0;
}

static int remove_fixture(void **state)
{
    (void)state;
    unlink(g_file);
    return rmdir(g_root);
}

/* parse_start_args of the NULL-terminated arguments, then validate_start if asked and parsing passed */
static int run_start(int validate, const char *first, ...)
{
    static char *argv[256];
    int argc = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 255; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    memset(&o, 0, sizeof o);
    memset(&f, 0, sizeof f);
    start_opts_defaults(&o);
    int rc = parse_start_args(argc, argv, &o, &f);
    if (rc == 0 && validate)
        rc = validate_start(&o, &f);
    return rc;
}

#define PARSE_OK(...) assert_int_equal(run_start(0, __VA_ARGS__, NULL), 0)
#define PARSE_FAILS(sentence, ...)                                 \
    do {                                                           \
        assert_int_equal(run_start(0, __VA_ARGS__, NULL), -1);     \
        assert_string_equal(f.msg, (sentence));                    \
    } while (0)
#define START_OK(...) assert_int_equal(run_start(1, __VA_ARGS__, NULL), 0)
#define START_FAILS(sentence, ...)                                 \
    do {                                                           \
        assert_int_equal(run_start(1, __VA_ARGS__, NULL), -1);     \
        assert_string_equal(f.msg, (sentence));                    \
    } while (0)

/* The smallest valid start, with extra options in front. */
#define VALID(...) __VA_ARGS__, "--name", "c1", "--rootfs", g_root, "--state-dir", "/run/berth/c1", "--", "/sbin/init"

/* ================================================================ parse_start_args == */

static void start_defaults(void **state)
{
    (void)state;
    PARSE_OK("--", "/sbin/init");
    assert_int_equal(o.mask, 1);
    assert_int_equal(o.halt_signal, SIGTERM);
    assert_int_equal(o.console_max, 1024 * 1024);
    assert_int_equal(o.sync, 0);
    assert_int_equal(o.ns_new, 0);
    assert_int_equal(o.ns_join, 0);
    assert_null(o.name);
    assert_null(o.cgroup_dir);
    assert_string_equal(o.init_argv[0], "/sbin/init");
    assert_null(o.init_argv[1]);
}

static void start_every_option(void **state)
{
    (void)state;
    PARSE_OK("--sync", "--no-mask", "--name", "web", "--rootfs", "/r", "--state-dir", "/s", "--ns", "user,mnt,pid",
             "--join", "net=/proc/7/ns/net", "--join", "ipc=/run/ipc", "--uidmap", "0 100000 65536", "--uidmap",
             "65536 1000 1", "--gidmap", "0 100000 65536", "--hostname", "h", "--time-offset", "monotonic=-5",
             "--time-offset", "boottime=86400", "--cgroup-procs", "/cg/a/cgroup.procs", "--cgroup-procs",
             "/cg/b/cgroup.procs", "--cgroup-dir", "/cg/a", "--cgroup-cleanup", "/cg/a", "--bind", "/h:/c:ro",
             "--lxcfs", "/var/lib/lxcfs", "--drop-cap", "sys_admin", "--drop-cap", "CAP_NET_RAW", "--halt-signal", "SIGPWR", "--console-log",
             "/s/console.log", "--console-max", "4096", "--", "/sbin/init", "--name", "x");
    assert_int_equal(o.sync, 1);
    assert_int_equal(o.mask, 0);
    assert_string_equal(o.name, "web");
    assert_string_equal(o.rootfs, "/r");
    assert_string_equal(o.state_dir, "/s");
    assert_int_equal(o.ns_new, NSBIT(NS_USER) | NSBIT(NS_MNT) | NSBIT(NS_PID));
    assert_int_equal(o.ns_join, NSBIT(NS_NET) | NSBIT(NS_IPC));
    assert_string_equal(o.join_path[NS_NET], "/proc/7/ns/net");
    assert_string_equal(o.join_path[NS_IPC], "/run/ipc");
    assert_int_equal(o.n_uidmap, 2);
    assert_string_equal(o.uidmap[1], "65536 1000 1");
    assert_int_equal(o.n_gidmap, 1);
    assert_string_equal(o.hostname, "h");
    assert_true(o.has_time_offset[0] && o.has_time_offset[1]);
    assert_int_equal(o.time_offset[0], -5);
    assert_int_equal(o.time_offset[1], 86400);
    assert_int_equal(o.n_cg_procs, 2);
    assert_string_equal(o.cg_procs[1], "/cg/b/cgroup.procs");
    assert_string_equal(o.cgroup_dir, "/cg/a");
    assert_int_equal(o.n_cg_cleanup, 1);
    assert_int_equal(o.n_binds, 1);
    assert_string_equal(o.bind_arg[0], "/h:/c:ro");
    assert_string_equal(o.lxcfs, "/var/lib/lxcfs");
    assert_int_equal(o.drop_caps, (1ULL << 21) | (1ULL << 13));
    assert_int_equal(o.halt_signal, SIGPWR);
    assert_string_equal(o.console_log, "/s/console.log");
    assert_int_equal(o.console_max, 4096);
    /* after "--" everything is the init command, options too */
    assert_string_equal(o.init_argv[0], "/sbin/init");
    assert_string_equal(o.init_argv[1], "--name");
    assert_string_equal(o.init_argv[2], "x");
    assert_null(o.init_argv[3]);
}

static void start_without_init_command(void **state)
{
    (void)state;
    PARSE_OK("--name", "a");
    assert_null(o.init_argv[0]);
    PARSE_OK("--name", "a", "--");
    assert_null(o.init_argv[0]);
}

static void start_option_errors(void **state)
{
    (void)state;
    PARSE_FAILS("option --name needs a value", "--name");
    PARSE_FAILS("option --ns needs a value", "--sync", "--ns");
    PARSE_FAILS("option --bind needs a value", "--bind");
    PARSE_FAILS("unknown option --bogus for start", "--name", "a", "--bogus", "--", "/init");
    PARSE_FAILS("unknown option -n for start", "-n", "a");
    PARSE_FAILS("unexpected argument '/sbin/init' (the init command goes after --)", "--name", "a", "/sbin/init");
    PARSE_FAILS("unknown namespace 'bogus' in --ns (known: user, mnt, uts, ipc, net, pid, cgroup, time)", "--ns",
                "mnt,bogus");
    char long_list[300];
    memset(long_list, 'x', sizeof long_list - 1);
    long_list[sizeof long_list - 1] = '\0';
    char expected[400];
    snprintf(expected, sizeof expected, "--ns list is too long: '%s'", long_list);
    PARSE_FAILS(expected, "--ns", long_list);
}

static void start_join_errors(void **state)
{
    (void)state;
    PARSE_FAILS("--join needs TYPE=PATH, got 'net'", "--join", "net");
    PARSE_FAILS("--join needs TYPE=PATH, got '=/p'", "--join", "=/p");
    PARSE_FAILS("--join needs TYPE=PATH, got 'net='", "--join", "net=");
    PARSE_FAILS("--join needs TYPE=PATH, got 'averyveryverylongtype=/p'", "--join", "averyveryverylongtype=/p");
    PARSE_FAILS("unknown namespace 'nett' in --join (known: user, mnt, uts, ipc, net, pid, cgroup, time)", "--join",
                "nett=/p");
    PARSE_FAILS("--join net is given twice", "--join", "net=/a", "--join", "net=/b");
}

static void start_repeat_limit(void **state)
{
    (void)state;
    static char *argv[2 * MAX_REPEAT + 3];
    int argc = 0;
    for (int i = 0; i <= MAX_REPEAT; i++) {
        argv[argc++] = "--cgroup-procs";
        argv[argc++] = "/cg/cgroup.procs";
    }
    memset(&o, 0, sizeof o);
    assert_int_equal(parse_start_args(argc - 2, argv, &o, &f), 0);
    assert_int_equal(o.n_cg_procs, MAX_REPEAT);
    memset(&o, 0, sizeof o);
    assert_int_equal(parse_start_args(argc, argv, &o, &f), -1);
    assert_string_equal(f.msg, "too many --cgroup-procs options (at most 64)");
}

static void start_value_errors(void **state)
{
    (void)state;
    PARSE_FAILS("--time-offset needs monotonic=SECS or boottime=SECS, got 'realtime=1'", "--time-offset",
                "realtime=1");
    PARSE_FAILS("--time-offset needs monotonic=SECS or boottime=SECS, got 'monotonic'", "--time-offset", "monotonic");
    PARSE_FAILS("--time-offset needs monotonic=SECS or boottime=SECS, got 'monotonic=1s'", "--time-offset",
                "monotonic=1s");
    PARSE_FAILS("--time-offset needs monotonic=SECS or boottime=SECS, got 'boottime='", "--time-offset", "boottime=");
    PARSE_FAILS("unknown capability 'sys_admn' in --drop-cap", "--drop-cap", "sys_admn");
    PARSE_FAILS("unknown signal 'STOPP' in --halt-signal", "--halt-signal", "STOPP");
    PARSE_FAILS("--console-max needs a positive number of bytes, got '0'", "--console-max", "0");
    PARSE_FAILS("--console-max needs a positive number of bytes, got '-1'", "--console-max", "-1");
    PARSE_FAILS("--console-max needs a positive number of bytes, got '1k'", "--console-max", "1k");
}

/* ================================================================ validate_start ==== */

static void validate_minimal(void **state)
{
    (void)state;
    START_OK(VALID("--ns", "mnt"));
    START_OK(VALID("--join", "mnt=/proc/1/ns/mnt"));
}

static void validate_required(void **state)
{
    (void)state;
    START_FAILS("missing --name", NULL);
    START_FAILS("missing --name", "--rootfs", "rel", "--ns", "mnt");
    START_FAILS("missing --rootfs", "--name", "c1");
    START_FAILS("--rootfs must be an absolute path, got 'rootfs'", "--name", "c1", "--rootfs", "rootfs");
    START_FAILS("open rootfs /nonexistent/berth: No such file or directory", "--name", "c1", "--rootfs",
                "/nonexistent/berth");
    char expected[200];
    snprintf(expected, sizeof expected, "rootfs %s is not a directory", g_file);
    START_FAILS(expected, "--name", "c1", "--rootfs", g_file);
    START_FAILS("missing --state-dir", "--name", "c1", "--rootfs", g_root, "--ns", "mnt");
    START_FAILS("missing init command after --", "--name", "c1", "--rootfs", g_root, "--state-dir", "/s", "--ns",
                "mnt");
    START_FAILS("missing init command after --", "--name", "c1", "--rootfs", g_root, "--state-dir", "/s", "--");
}

static void validate_name(void **state)
{
    (void)state;
    const char *const good[] = {"a", "0", "Web_1.b-2", "a-", repeat('a', 64)};
    const char *const bad[] = {"", "-a", "_a", ".a", "a b", "a/b", "a:b", "\xc3\xa9", repeat('a', 65)};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(valid_name(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(valid_name(bad[i]));
    START_FAILS("invalid container name '-a': use 1-64 characters [a-zA-Z0-9_.-], starting with a letter or digit",
                "--name", "-a", "--rootfs", g_root);
}

static void validate_namespaces(void **state)
{
    (void)state;
    START_FAILS("namespace net is both in --ns and --join", VALID("--ns", "mnt,net", "--join", "net=/p"));
    START_FAILS("the mnt namespace must be new (--ns mnt) or joined (--join mnt=PATH)", VALID("--ns", "uts"));
    START_FAILS("the mnt namespace must be new (--ns mnt) or joined (--join mnt=PATH)", VALID("--sync"));
    START_FAILS("--bind needs a new mnt namespace, but mnt is joined", VALID("--join", "mnt=/p", "--bind", "/h:/c"));
    START_FAILS("--lxcfs needs a new mnt namespace, but mnt is joined",
                VALID("--join", "mnt=/p", "--lxcfs", "/var/lib/lxcfs"));
    START_FAILS("--lxcfs must be an absolute path, got 'lxcfs'", VALID("--ns", "mnt", "--lxcfs", "lxcfs"));
    START_OK(VALID("--ns", "mnt", "--lxcfs", "/var/lib/lxcfs"));
    START_FAILS("--hostname needs a new uts namespace (--ns uts)", VALID("--ns", "mnt", "--hostname", "h"));
    START_FAILS("--hostname needs a new uts namespace (--ns uts)",
                VALID("--ns", "mnt", "--join", "uts=/p", "--hostname", "h"));
    START_FAILS("--hostname must be 1-64 characters, got ''", VALID("--ns", "mnt,uts", "--hostname", ""));
    char expected[128];
    snprintf(expected, sizeof expected, "--hostname must be 1-64 characters, got '%s'", repeat('h', 65));
    START_FAILS(expected, VALID("--ns", "mnt,uts", "--hostname", repeat('h', 65)));
    START_OK(VALID("--ns", "mnt,uts", "--hostname", repeat('h', 64)));
    assert_int_equal(strlen(o.hostname), 64);
    START_FAILS("--time-offset needs a new time namespace (--ns time)",
                VALID("--ns", "mnt", "--time-offset", "boottime=1"));
    START_OK(VALID("--ns", "mnt,time", "--time-offset", "boottime=1"));
}

static void validate_id_maps(void **state)
{
    (void)state;
    START_FAILS("a new user namespace needs --uidmap and --gidmap", VALID("--ns", "mnt,user"));
    START_FAILS("a new user namespace needs --uidmap and --gidmap",
                VALID("--ns", "mnt,user", "--uidmap", "0 100000 65536"));
    START_FAILS("a new user namespace needs --uidmap and --gidmap",
                VALID("--ns", "mnt,user", "--gidmap", "0 100000 65536"));
    START_FAILS("--uidmap/--gidmap need a new user namespace (--ns user)",
                VALID("--ns", "mnt", "--uidmap", "0 100000 65536"));
    START_FAILS("--uidmap/--gidmap need a new user namespace (--ns user)",
                VALID("--ns", "mnt", "--join", "user=/p", "--gidmap", "0 100000 65536"));
    START_FAILS("--uidmap needs \"IN OUT COUNT\", got '0 100000'",
                VALID("--ns", "mnt,user", "--uidmap", "0 100000", "--gidmap", "0 100000 1"));
    START_FAILS("--uidmap needs \"IN OUT COUNT\", got '0 100000 0'",
                VALID("--ns", "mnt,user", "--uidmap", "0 100000 0", "--gidmap", "0 100000 1"));
    START_FAILS("--gidmap needs \"IN OUT COUNT\", got '0 100000 1 x'",
                VALID("--ns", "mnt,user", "--uidmap", "0 100000 1", "--gidmap", "0 100000 1 x"));
    START_FAILS("--gidmap needs \"IN OUT COUNT\", got 'a b c'",
                VALID("--ns", "mnt,user", "--uidmap", "0 100000 1", "--gidmap", "0 100000 1", "--gidmap", "a b c"));
    START_OK(VALID("--ns", "mnt,user", "--uidmap", "0 100000 65536", "--gidmap", "0 100000 65536", "--gidmap",
                   "65536 5 1"));
}

static void validate_binds_and_cgroup(void **state)
{
    (void)state;
    char bind[200];
    snprintf(bind, sizeof bind, "%s:/data:ro", g_file);
    START_OK(VALID("--ns", "mnt", "--bind", bind, "--bind", "/tmp:srv"));
    assert_string_equal(o.binds[0].src, g_file);
    assert_string_equal(o.binds[0].dst, "/data");
    assert_int_equal(o.binds[0].ro, 1);
    assert_string_equal(o.binds[1].src, "/tmp");
    assert_string_equal(o.binds[1].dst, "/srv");
    assert_int_equal(o.binds[1].ro, 0);
    START_FAILS("--bind source must be an absolute path, got 'tmp'", VALID("--ns", "mnt", "--bind", "tmp:/t"));
    START_FAILS("stat bind source /nonexistent/berth: No such file or directory",
                VALID("--ns", "mnt", "--bind", "/nonexistent/berth:/t"));
    START_FAILS("--cgroup-dir must be an absolute path, got 'cg'", VALID("--ns", "mnt", "--cgroup-dir", "cg"));
    START_OK(VALID("--ns", "mnt", "--cgroup-dir", "/sys/fs/cgroup/berth/c1"));
}

/* ================================================================ parse_bind ======== */

static struct bind_spec b;

#define BIND_FAILS(sentence, arg)                                  \
    do {                                                           \
        assert_int_equal(parse_bind(&b, (arg), &f), -1);           \
        assert_string_equal(f.msg, (sentence));                    \
    } while (0)

static void bind_forms(void **state)
{
    (void)state;
    assert_int_equal(parse_bind(&b, "/tmp:/mnt/tmp", &f), 0);
    assert_string_equal(b.src, "/tmp");
    assert_string_equal(b.dst, "/mnt/tmp");
    assert_int_equal(b.ro, 0);
    assert_int_equal(parse_bind(&b, "/tmp:/mnt/tmp:ro", &f), 0);
    assert_int_equal(b.ro, 1);
    assert_int_equal(parse_bind(&b, "/tmp:/mnt/tmp:rw", &f), 0);
    assert_int_equal(b.ro, 0);
    assert_int_equal(parse_bind(&b, "/tmp:relative/dir", &f), 0);
    assert_string_equal(b.dst, "/relative/dir");
    assert_int_equal(parse_bind(&b, "/tmp:/a/...b/c..", &f), 0); /* only ".." itself is refused */
    assert_string_equal(b.dst, "/a/...b/c..");
}

static void bind_errors(void **state)
{
    (void)state;
    BIND_FAILS("--bind needs SRC:DST[:ro], got '/tmp'", "/tmp");
    BIND_FAILS("--bind needs SRC:DST[:ro], got ':/mnt'", ":/mnt");
    BIND_FAILS("--bind needs SRC:DST[:ro], got '/tmp:'", "/tmp:");
    BIND_FAILS("--bind mode must be ro or rw, got 'RO' in '/tmp:/mnt:RO'", "/tmp:/mnt:RO");
    BIND_FAILS("--bind mode must be ro or rw, got 'ro:x' in '/tmp:/mnt:ro:x'", "/tmp:/mnt:ro:x");
    BIND_FAILS("--bind mode must be ro or rw, got '' in '/tmp:/mnt:'", "/tmp:/mnt:");
    BIND_FAILS("--bind source must be an absolute path, got 'tmp'", "tmp:/mnt");
    BIND_FAILS("--bind target must not contain '..', got '/a/../b'", "/tmp:/a/../b");
    BIND_FAILS("--bind target must not contain '..', got '..'", "/tmp:..");
    BIND_FAILS("--bind target must not contain '..', got 'a/..'", "/tmp:a/..:ro");
    BIND_FAILS("stat bind source /nonexistent/berth: No such file or directory", "/nonexistent/berth:/mnt");
    static char long_arg[PATH_MAX * 2 + 1];
    memset(long_arg, 'a', sizeof long_arg - 1);
    long_arg[0] = '/';
    assert_int_equal(parse_bind(&b, long_arg, &f), -1);
    assert_memory_equal(f.msg, "--bind argument is too long: '/aaa", 34);
    assert_int_equal(strlen(f.msg), MSG_MAX - 1); /* cut, like every sentence */
}

/* ================================================================ parse_exec_args === */

static struct exec_opts e;

static int run_exec(int argc, char **argv)
{
    memset(&e, 0, sizeof e);
    memset(&f, 0, sizeof f);
    return parse_exec_args(argc, argv, &e, &f);
}

#define EXEC_FAILS(sentence, ...)                                  \
    do {                                                           \
        assert_int_equal(run_exec(ARGS(__VA_ARGS__)), -1);         \
        assert_string_equal(f.msg, (sentence));                    \
    } while (0)

static void exec_every_option(void **state)
{
    (void)state;
    assert_int_equal(run_exec(ARGS("--pid", "42", "--no-chroot", "--report", "--ns", "mnt,pid", "--cgroup-procs",
                                   "/cg/cgroup.procs", "--drop-cap", "net_raw", "--env", "A=1", "--env", "B=",
                                   "--term", "vt100", "--cwd", "/tmp", "--tty", "/dev/pts/3", "--", "ls", "-l")),
                     0);
    assert_int_equal(e.pid, 42);
    assert_int_equal(e.no_chroot, 1);
    assert_int_equal(e.report, 1);
    assert_int_equal(e.ns_given, 1);
    assert_int_equal(e.ns, NSBIT(NS_MNT) | NSBIT(NS_PID));
    assert_int_equal(e.n_cg_procs, 1);
    assert_int_equal(e.drop_caps, 1ULL << 13);
    assert_int_equal(e.n_env, 2);
    assert_string_equal(e.env[1], "B=");
    assert_string_equal(e.term, "vt100");
    assert_string_equal(e.cwd, "/tmp");
    assert_int_equal(e.cwd_given, 1);
    assert_string_equal(e.tty, "/dev/pts/3");
    assert_string_equal(e.cmd[0], "ls");
    assert_string_equal(e.cmd[1], "-l");
    assert_null(e.cmd[2]);

    assert_int_equal(run_exec(ARGS("--pid", "1", "--", "true")), 0);
    assert_string_equal(e.cwd, "/");
    assert_int_equal(e.cwd_given, 0);
    assert_int_equal(e.ns_given, 0);
    assert_int_equal(run_exec(ARGS("--pid", "1", "--login-shell")), 0);
    assert_int_equal(e.login_shell, 1);
    assert_null(e.cmd[0]);
}

static void exec_errors(void **state)
{
    (void)state;
    assert_int_equal(run_exec(0, (char *[]){NULL}), -1);
    assert_string_equal(f.msg, "missing --pid");
    EXEC_FAILS("missing --pid", "--", "true");
    EXEC_FAILS("option --pid needs a value", "--pid");
    EXEC_FAILS("--pid needs a process id, got 'x'", "--pid", "x");
    EXEC_FAILS("--pid needs a process id, got '0'", "--pid", "0");
    EXEC_FAILS("--pid needs a process id, got '-3'", "--pid", "-3");
    EXEC_FAILS("--pid needs a process id, got '2147483648'", "--pid", "2147483648");
    EXEC_FAILS("unknown option --bogus for exec", "--pid", "1", "--bogus");
    EXEC_FAILS("unexpected argument 'true' (the command goes after --)", "--pid", "1", "true");
    EXEC_FAILS("unknown namespace 'mount' in --ns (known: user, mnt, uts, ipc, net, pid, cgroup, time)", "--ns",
               "mount");
    EXEC_FAILS("unknown capability 'all' in --drop-cap", "--drop-cap", "all");
    EXEC_FAILS("--env needs K=V, got 'A'", "--env", "A");
    EXEC_FAILS("--env needs K=V, got '=1'", "--env", "=1");
    EXEC_FAILS("give either --login-shell or a command after --, not both", "--pid", "1", "--login-shell", "--",
               "sh");
    EXEC_FAILS("missing command after --", "--pid", "1");
    EXEC_FAILS("missing command after --", "--pid", "1", "--");
}

/* ================================================================ pieces ========== */

static void numbers(void **state)
{
    (void)state;
    long long v;
    assert_int_equal(parse_ll("42", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(parse_ll("-7", &v), 0);
    assert_int_equal(v, -7);
    assert_int_equal(parse_ll("9223372036854775807", &v), 0);
    assert_int_equal(parse_ll("9223372036854775808", &v), -1);
    assert_int_equal(parse_ll("", &v), -1);
    assert_int_equal(parse_ll("12x", &v), -1);
    assert_int_equal(parse_ll("0x10", &v), -1);
}

static void signals(void **state)
{
    (void)state;
    assert_int_equal(parse_signal("9", &f), 9);
    assert_int_equal(parse_signal("64", &f), 64);
    assert_int_equal(parse_signal("TERM", &f), SIGTERM);
    assert_int_equal(parse_signal("sigpwr", &f), SIGPWR);
    assert_int_equal(parse_signal("SigHup", &f), SIGHUP);
    assert_int_equal(parse_signal("RTMIN+0", &f), SIGRTMIN);
    assert_int_equal(parse_signal("SIGRTMIN+3", &f), SIGRTMIN + 3);
    char last[32], beyond[32];
    snprintf(last, sizeof last, "RTMIN+%d", SIGRTMAX - SIGRTMIN);
    snprintf(beyond, sizeof beyond, "RTMIN+%d", SIGRTMAX - SIGRTMIN + 1);
    assert_int_equal(parse_signal(last, &f), SIGRTMAX);
    const char *const bad[] = {"0", "65", "-1", "STOP", "SIGSTOPP", beyond, "RTMIN+-1", "RTMIN", "RTMIN+x", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char expected[64];
        snprintf(expected, sizeof expected, "unknown signal '%s' in --halt-signal", bad[i]);
        assert_int_equal(parse_signal(bad[i], &f), -1);
        assert_string_equal(f.msg, expected);
    }
}

static void capabilities(void **state)
{
    (void)state;
    assert_int_equal(parse_cap("chown", &f), 0);
    assert_int_equal(parse_cap("CAP_SYS_ADMIN", &f), 21);
    assert_int_equal(parse_cap("cap_net_raw", &f), 13);
    assert_int_equal(parse_cap("checkpoint_restore", &f), 40);
    assert_int_equal(CAP_COUNT, 41);
    assert_int_equal(parse_cap("cap_", &f), -1);
    assert_string_equal(f.msg, "unknown capability 'cap_' in --drop-cap");
}

static void namespace_lists(void **state)
{
    (void)state;
    unsigned mask = 99;
    assert_int_equal(parse_ns_list("user,mnt,uts,ipc,net,pid,cgroup,time", "--ns", &mask, &f), 0);
    assert_int_equal(mask, (1u << NS_COUNT) - 1);
    assert_int_equal(parse_ns_list(",net,,", "--ns", &mask, &f), 0);
    assert_int_equal(mask, NSBIT(NS_NET));
    assert_int_equal(parse_ns_list("", "--ns", &mask, &f), 0);
    assert_int_equal(mask, 0);
    assert_int_equal(parse_ns_list("NET", "--ns", &mask, &f), -1);
    assert_string_equal(f.msg, "unknown namespace 'NET' in --ns (known: user, mnt, uts, ipc, net, pid, cgroup, time)");
    for (int i = 0; i < NS_COUNT; i++)
        assert_int_equal(ns_index(NS[i].name), i);
    assert_int_equal(ns_index("mount"), -1);
}

static void id_maps(void **state)
{
    (void)state;
    unsigned long in, out, count;
    assert_int_equal(parse_idmap_line("0 100000 65536", &in, &out, &count), 0);
    assert_int_equal(in, 0);
    assert_int_equal(out, 100000);
    assert_int_equal(count, 65536);
    assert_int_equal(parse_idmap_line("  1\t2  3 ", &in, &out, &count), 0);
    assert_int_equal(parse_idmap_line("0 1 0", &in, &out, &count), -1);
    assert_int_equal(parse_idmap_line("0 1", &in, &out, &count), -1);
    assert_int_equal(parse_idmap_line("0 1 1 1", &in, &out, &count), -1);
    assert_int_equal(parse_idmap_line("", &in, &out, &count), -1);

    const char *const maps[] = {"1 2000 10", "0 100000 1", "0 5 1"};
    assert_int_equal(map_root_from_args(maps, 3), 100000);
    assert_int_equal(map_root_from_args(maps, 1), -1);
    assert_int_equal(map_root_from_args(maps, 0), -1);
}

static void cgroup_procs_of_dir(void **state)
{
    (void)state;
    assert_true(procs_of_dir("/sys/fs/cgroup/b/c1/cgroup.procs", "/sys/fs/cgroup/b/c1"));
    assert_true(procs_of_dir("/sys/fs/cgroup/b/c1/cgroup.procs", "/sys/fs/cgroup/b/c1//"));
    assert_false(procs_of_dir("/sys/fs/cgroup/b/c12/cgroup.procs", "/sys/fs/cgroup/b/c1"));
    assert_false(procs_of_dir("/sys/fs/cgroup/b/cgroup.procs", "/sys/fs/cgroup/b/c1"));
    assert_false(procs_of_dir("/sys/fs/cgroup/b/c1/cgroup.threads", "/sys/fs/cgroup/b/c1"));
    assert_false(procs_of_dir("/sys/fs/cgroup/b/c1/x/cgroup.procs", "/sys/fs/cgroup/b/c1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(start_defaults),
        cmocka_unit_test(start_every_option),
        cmocka_unit_test(start_without_init_command),
        cmocka_unit_test(start_option_errors),
        cmocka_unit_test(start_join_errors),
        cmocka_unit_test(start_repeat_limit),
        cmocka_unit_test(start_value_errors),
        cmocka_unit_test(validate_minimal),
        cmocka_unit_test(validate_required),
        cmocka_unit_test(validate_name),
        cmocka_unit_test(validate_namespaces),
        cmocka_unit_test(validate_id_maps),
        cmocka_unit_test(validate_binds_and_cgroup),
        cmocka_unit_test(bind_forms),
        cmocka_unit_test(bind_errors),
        cmocka_unit_test(exec_every_option),
        cmocka_unit_test(exec_errors),
        cmocka_unit_test(numbers),
        cmocka_unit_test(signals),
        cmocka_unit_test(capabilities),
        cmocka_unit_test(namespace_lists),
        cmocka_unit_test(id_maps),
        cmocka_unit_test(cgroup_procs_of_dir),
    };
    return cmocka_run_group_tests_name("berth-helper args", tests, make_fixture, remove_fixture);
}
