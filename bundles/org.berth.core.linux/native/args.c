/*
 * args.c: parsing and validation of the start and exec command lines (see args.h). The messages are part of
 * the protocol: the engine shows them to the user as they are.
 */
#include "args.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ================================================================ pieces ========== */

int parse_ll(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int push_arg(const char **list, int *count, const char *value, const char *opt, struct failure *f)
{
    if (*count >= MAX_REPEAT)
        return failure_set(f, "too many %s options (at most %d)", opt, MAX_REPEAT);
    list[(*count)++] = value;
    return 0;
}

/* The value of option argv[*i] (NULL with f set when it is the last argument). */
static const char *take_value(int argc, char **argv, int *i, struct failure *f)
{
    if (*i + 1 >= argc) {
        failure_set(f, "option %s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

/* In a parser with argc, argv, i and f: the option's value, or return -1 from the parser. */
#define VALUE()                                                 \
    ({                                                          \
        const char *value_ = take_value(argc, argv, &i, f);     \
        if (!value_)                                            \
            return -1;                                          \
        value_;                                                 \
    })

int ns_index(const char *name)
{
    for (int i = 0; i < NS_COUNT; i++)
        if (!strcmp(NS[i].name, name))
            return i;
    return -1;
}

int parse_ns_list(const char *list, const char *opt, unsigned *mask, struct failure *f)
{
    char copy[256];
    *mask = 0;
    if (strlen(list) >= sizeof copy)
        return failure_set(f, "%s list is too long: '%s'", opt, list);
    strcpy(copy, list);
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int i = ns_index(t);
        if (i < 0)
            return failure_set(f, "unknown namespace '%s' in %s (known: user, mnt, uts, ipc, net, pid, cgroup, time)",
                               t, opt);
        *mask |= NSBIT(i);
    }
    return 0;
}

int parse_cap(const char *name, struct failure *f)
{
    const char *bare = strncasecmp(name, "cap_", 4) ? name : name + 4;
    for (int i = 0; i < CAP_COUNT; i++)
        if (!strcasecmp(bare, CAP_NAMES[i]))
            return i;
    return failure_set(f, "unknown capability '%s' in --drop-cap", name);
}

int parse_signal(const char *s, struct failure *f)
{
    static const struct {
        const char *name;
        int sig;
    } names[] = {
        {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
        {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"PWR", SIGPWR},
    };
    long long n;
    if (parse_ll(s, &n) == 0 && n > 0 && n < NSIG)
        return (int)n;
    const char *bare = strncasecmp(s, "SIG", 3) ? s : s + 3;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(bare, names[i].name))
            return names[i].sig;
    if (!strncasecmp(bare, "RTMIN+", 6) && parse_ll(bare + 6, &n) == 0 && n >= 0 && SIGRTMIN + n <= SIGRTMAX)
        return SIGRTMIN + (int)n;
    return failure_set(f, "unknown signal '%s' in --halt-signal", s);
}

int valid_name(const char *n)
{
    size_t len = strlen(n);
    if (len < 1 || len > 64)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
            return 0;
    }
    return 1;
}

int parse_idmap_line(const char *s, unsigned long *in, unsigned long *out, unsigned long *count)
{
    char tail;
    return sscanf(s, "%lu %lu %lu %c", in, out, count, &tail) == 3 && *count > 0 ? 0 : -1;
}

long long map_root_from_args(const char *const *lines, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned long in, out, count;
        if (parse_idmap_line(lines[i], &in, &out, &count) == 0 && in == 0)
            return (long long)out;
    }
    return -1;
}

int procs_of_dir(const char *procs, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return !strncmp(procs, dir, n) && !strcmp(procs + n, "/cgroup.procs");
}

/* ================================================================ start: options == */

void start_opts_defaults(struct start_opts *o)
{
    o->mask = 1;
    o->halt_signal = SIGTERM;
    o->console_max = DEFAULT_CONSOLE_MAX;
}

static int parse_join(struct start_opts *o, const char *arg, struct failure *f)
{
    const char *eq = strchr(arg, '=');
    char type[16];
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof type || !eq[1])
        return failure_set(f, "--join needs TYPE=PATH, got '%s'", arg);
    memcpy(type, arg, (size_t)(eq - arg));
    type[eq - arg] = '\0';
    int i = ns_index(type);
    if (i < 0)
        return failure_set(f, "unknown namespace '%s' in --join (known: user, mnt, uts, ipc, net, pid, cgroup, time)",
                           type);
    if (o->ns_join & NSBIT(i))
        return failure_set(f, "--join %s is given twice", type);
    o->ns_join |= NSBIT(i);
    o->join_path[i] = eq + 1;
    return 0;
}

static int parse_time_offset(struct start_opts *o, const char *arg, struct failure *f)
{
    const char *eq = strchr(arg, '=');
    long long secs;
    int clock = -1;
    if (eq && !strncmp(arg, "monotonic=", 10))
        clock = 0;
    else if (eq && !strncmp(arg, "boottime=", 9))
        clock = 1;
    if (clock < 0 || parse_ll(eq + 1, &secs) < 0)
        return failure_set(f, "--time-offset needs monotonic=SECS or boottime=SECS, got '%s'", arg);
    o->time_offset[clock] = secs;
    o->has_time_offset[clock] = 1;
    return 0;
}

int parse_start_args(int argc, char **argv, struct start_opts *o, struct failure *f)
{
    int i;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "--sync")) {
            o->sync = 1;
        } else if (!strcmp(a, "--no-mask")) {
            o->mask = 0;
        } else if (!strcmp(a, "--idmap-rootfs")) {
            o->idmap_rootfs = 1;
        } else if (!strcmp(a, "--name")) {
            o->name = VALUE();
        } else if (!strcmp(a, "--rootfs")) {
            o->rootfs = VALUE();
        } else if (!strcmp(a, "--state-dir")) {
            o->state_dir = VALUE();
        } else if (!strcmp(a, "--tty-key")) {
            o->tty_key = VALUE();
        } else if (!strcmp(a, "--ns")) {
            if (parse_ns_list(VALUE(), "--ns", &o->ns_new, f) < 0)
                return -1;
        } else if (!strcmp(a, "--join")) {
            if (parse_join(o, VALUE(), f) < 0)
                return -1;
        } else if (!strcmp(a, "--uidmap")) {
            if (push_arg(o->uidmap, &o->n_uidmap, VALUE(), a, f) < 0)
                return -1;
        } else if (!strcmp(a, "--gidmap")) {
            if (push_arg(o->gidmap, &o->n_gidmap, VALUE(), a, f) < 0)
                return -1;
        } else if (!strcmp(a, "--hostname")) {
            o->hostname = VALUE();
        } else if (!strcmp(a, "--time-offset")) {
            if (parse_time_offset(o, VALUE(), f) < 0)
                return -1;
        } else if (!strcmp(a, "--cgroup-procs")) {
            if (push_arg(o->cg_procs, &o->n_cg_procs, VALUE(), a, f) < 0)
                return -1;
        } else if (!strcmp(a, "--cgroup-dir")) {
            o->cgroup_dir = VALUE();
        } else if (!strcmp(a, "--cgroup-cleanup")) {
            if (push_arg(o->cg_cleanup, &o->n_cg_cleanup, VALUE(), a, f) < 0)
                return -1;
        } else if (!strcmp(a, "--bind")) {
            if (push_arg(o->bind_arg, &o->n_binds, VALUE(), a, f) < 0)
                return -1;
        } else if (!strcmp(a, "--lxcfs")) {
            o->lxcfs = VALUE();
        } else if (!strcmp(a, "--seccomp")) {
            o->seccomp = VALUE();
        } else if (!strcmp(a, "--devices-bpf")) {
            o->devices_bpf = VALUE();
        } else if (!strcmp(a, "--device-allow")) {
            if (push_arg(o->device_allow, &o->n_device_allow, VALUE(), a, f) < 0)
                return -1;
        } else if (!strcmp(a, "--drop-cap")) {
            int cap = parse_cap(VALUE(), f);
            if (cap < 0)
                return -1;
            o->drop_caps |= 1ULL << cap;
        } else if (!strcmp(a, "--halt-signal")) {
            if ((o->halt_signal = parse_signal(VALUE(), f)) < 0)
                return -1;
        } else if (!strcmp(a, "--console-log")) {
            o->console_log = VALUE();
        } else if (!strcmp(a, "--console-max")) {
            const char *v = VALUE();
            if (parse_ll(v, &o->console_max) < 0 || o->console_max <= 0)
                return failure_set(f, "--console-max needs a positive number of bytes, got '%s'", v);
        } else if (a[0] == '-') {
            return failure_set(f, "unknown option %s for start", a);
        } else {
            return failure_set(f, "unexpected argument '%s' (the init command goes after --)", a);
        }
    }
    o->init_argv = argv + i;
    return 0;
}

/* SRC:DST[:ro|rw]; SRC is a host path, DST a path inside the rootfs (no ".." components). */
int parse_bind(struct bind_spec *b, const char *arg, struct failure *f)
{
    char copy[PATH_MAX * 2];
    if (strlen(arg) >= sizeof copy)
        return failure_set(f, "--bind argument is too long: '%s'", arg);
    strcpy(copy, arg);
    char *dst = strchr(copy, ':');
    if (!dst || dst == copy || !dst[1])
        return failure_set(f, "--bind needs SRC:DST[:ro], got '%s'", arg);
    *dst++ = '\0';
    char *mode = strchr(dst, ':');
    if (mode)
        *mode++ = '\0';
    if (mode && strcmp(mode, "ro") && strcmp(mode, "rw"))
        return failure_set(f, "--bind mode must be ro or rw, got '%s' in '%s'", mode, arg);
    if (copy[0] != '/')
        return failure_set(f, "--bind source must be an absolute path, got '%s'", copy);
    char walk[PATH_MAX];
    snprintf(walk, sizeof walk, "%s", dst);
    char *save = NULL;
    for (char *c = strtok_r(walk, "/", &save); c; c = strtok_r(NULL, "/", &save))
        if (!strcmp(c, ".."))
            return failure_set(f, "--bind target must not contain '..', got '%s'", dst);
    snprintf(b->src, sizeof b->src, "%s", copy);
    snprintf(b->dst, sizeof b->dst, "/%s", dst[0] == '/' ? dst + 1 : dst);
    b->ro = mode && !strcmp(mode, "ro");
    struct stat st;
    if (stat(b->src, &st) < 0)
        return failure_sys(f, "stat bind source", b->src);
    return 0;
}

int validate_start(struct start_opts *o, struct failure *f)
{
    if (!o->name)
        return failure_set(f, "missing --name");
    if (!valid_name(o->name))
        return failure_set(f, "invalid container name '%s': use 1-64 characters [a-zA-Z0-9_.-], starting with a "
                              "letter or digit", o->name);
    if (!o->rootfs)
        return failure_set(f, "missing --rootfs");
    if (o->rootfs[0] != '/')
        return failure_set(f, "--rootfs must be an absolute path, got '%s'", o->rootfs);
    struct stat st;
    if (stat(o->rootfs, &st) < 0)
        return failure_sys(f, "open rootfs", o->rootfs);
    if (!S_ISDIR(st.st_mode))
        return failure_set(f, "rootfs %s is not a directory", o->rootfs);
    if (!o->state_dir)
        return failure_set(f, "missing --state-dir");
    if (!o->init_argv[0])
        return failure_set(f, "missing init command after --");

    for (int i = 0; i < NS_COUNT; i++)
        if ((o->ns_new & o->ns_join) & NSBIT(i))
            return failure_set(f, "namespace %s is both in --ns and --join", NS[i].name);
    if (!((o->ns_new | o->ns_join) & NSBIT(NS_MNT)))
        return failure_set(f, "the mnt namespace must be new (--ns mnt) or joined (--join mnt=PATH)");
    if ((o->ns_join & NSBIT(NS_MNT)) && o->n_binds)
        return failure_set(f, "--bind needs a new mnt namespace, but mnt is joined");
    if (o->lxcfs && o->lxcfs[0] != '/')
        return failure_set(f, "--lxcfs must be an absolute path, got '%s'", o->lxcfs);
    if (o->lxcfs && (o->ns_join & NSBIT(NS_MNT)))
        return failure_set(f, "--lxcfs needs a new mnt namespace, but mnt is joined");
    if (o->hostname && !(o->ns_new & NSBIT(NS_UTS)))
        return failure_set(f, "--hostname needs a new uts namespace (--ns uts)");
    if (o->hostname && (strlen(o->hostname) < 1 || strlen(o->hostname) > 64))
        return failure_set(f, "--hostname must be 1-64 characters, got '%s'", o->hostname);
    if ((o->has_time_offset[0] || o->has_time_offset[1]) && !(o->ns_new & NSBIT(NS_TIME)))
        return failure_set(f, "--time-offset needs a new time namespace (--ns time)");

    int new_user = (o->ns_new & NSBIT(NS_USER)) != 0;
    if (o->idmap_rootfs && (!new_user || !(o->ns_new & NSBIT(NS_MNT))))
        return failure_set(f, "--idmap-rootfs needs a new user and a new mnt namespace (--ns user,mnt)");
    if (new_user && (!o->n_uidmap || !o->n_gidmap))
        return failure_set(f, "a new user namespace needs --uidmap and --gidmap");
    if (!new_user && (o->n_uidmap || o->n_gidmap))
        return failure_set(f, "--uidmap/--gidmap need a new user namespace (--ns user)");
    unsigned long a, b, c;
    for (int i = 0; i < o->n_uidmap; i++)
        if (parse_idmap_line(o->uidmap[i], &a, &b, &c) < 0)
            return failure_set(f, "--uidmap needs \"IN OUT COUNT\", got '%s'", o->uidmap[i]);
    for (int i = 0; i < o->n_gidmap; i++)
        if (parse_idmap_line(o->gidmap[i], &a, &b, &c) < 0)
            return failure_set(f, "--gidmap needs \"IN OUT COUNT\", got '%s'", o->gidmap[i]);
    for (int i = 0; i < o->n_binds; i++)
        if (parse_bind(&o->binds[i], o->bind_arg[i], f) < 0)
            return -1;
    if (o->cgroup_dir && o->cgroup_dir[0] != '/')
        return failure_set(f, "--cgroup-dir must be an absolute path, got '%s'", o->cgroup_dir);
    return 0;
}

/* ================================================================ exec: options === */

int parse_exec_args(int argc, char **argv, struct exec_opts *o, struct failure *f)
{
    int i;
    o->cwd = "/";
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "--no-chroot")) {
            o->no_chroot = 1;
        } else if (!strcmp(a, "--login-shell")) {
            o->login_shell = 1;
        } else if (!strcmp(a, "--report")) {
            o->report = 1;
        } else if (!strcmp(a, "--pid")) {
            const char *v = VALUE();
            long long p;
            if (parse_ll(v, &p) < 0 || p <= 0 || p > INT_MAX)
                return failure_set(f, "--pid needs a process id, got '%s'", v);
            o->pid = (pid_t)p;
        } else if (!strcmp(a, "--ns")) {
            if (parse_ns_list(VALUE(), "--ns", &o->ns, f) < 0)
                return -1;
            o->ns_given = 1;
        } else if (!strcmp(a, "--cgroup-procs")) {
            if (push_arg(o->cg_procs, &o->n_cg_procs, VALUE(), a, f) < 0)
                return -1;
        } else if (!strcmp(a, "--drop-cap")) {
            int cap = parse_cap(VALUE(), f);
            if (cap < 0)
                return -1;
            o->drop_caps |= 1ULL << cap;
        } else if (!strcmp(a, "--env")) {
            const char *v = VALUE();
            if (!strchr(v, '=') || v[0] == '=')
                return failure_set(f, "--env needs K=V, got '%s'", v);
            if (push_arg(o->env, &o->n_env, v, a, f) < 0)
                return -1;
        } else if (!strcmp(a, "--term")) {
            o->term = VALUE();
        } else if (!strcmp(a, "--cwd")) {
            o->cwd = VALUE();
            o->cwd_given = 1;
        } else if (!strcmp(a, "--tty")) {
            o->tty = VALUE();
        } else if (!strcmp(a, "--seccomp")) {
            o->seccomp = VALUE();
        } else if (!strcmp(a, "--notify")) {
            o->notify = VALUE();
            if (o->notify[0] != '/')
                return failure_set(f, "--notify needs the absolute path of the monitor's notify.sock, got '%s'",
                                   o->notify);
        } else if (a[0] == '-') {
            return failure_set(f, "unknown option %s for exec", a);
        } else {
            return failure_set(f, "unexpected argument '%s' (the command goes after --)", a);
        }
    }
    o->cmd = argv + i;
    if (!o->pid)
        return failure_set(f, "missing --pid");
    if (o->login_shell && o->cmd[0])
        return failure_set(f, "give either --login-shell or a command after --, not both");
    if (!o->cmd[0] && !o->login_shell)
        return failure_set(f, "missing command after --");
    return 0;
}
