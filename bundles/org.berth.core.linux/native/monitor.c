/*
 * monitor.c: what `berth-helper start` does after READY, for the container's lifetime: it copies the
 * console to its log and to an attached client (console.sock), runs commands on request (exec.sock), reaps
 * children, passes a halt signal on to init, and when init ends writes the exit record, removes the
 * container's cgroups and writes monitor.done.
 */
#include "start.h"
#include "sysinfo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

/* ---------------------------------------------------------------- monitor ---------- */

static void log_rotate(void)
{
    char old[PATH_MAX];
    snprintf(old, sizeof old, "%s.1", g_opts->console_log);
    close(g_rt.log_fd);
    rename(g_opts->console_log, old);
    g_rt.log_fd = open(g_opts->console_log, O_CREAT | O_TRUNC | O_WRONLY | O_APPEND | O_CLOEXEC, 0640);
    g_rt.log_size = 0;
}

/* Append to the console log, rotating to FILE.1 so that no file exceeds --console-max. */
static void log_write(const char *buf, size_t n)
{
    while (n > 0 && g_rt.log_fd >= 0) {
        if (g_rt.log_size >= g_rt.log_max)
            log_rotate();
        if (g_rt.log_fd < 0)
            return;
        size_t room = (size_t)(g_rt.log_max - g_rt.log_size);
        ssize_t w = write(g_rt.log_fd, buf, n < room ? n : room);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) { /* disk full or the like: stop logging rather than spin */
            close(g_rt.log_fd);
            g_rt.log_fd = -1;
            return;
        }
        g_rt.log_size += w;
        buf += w;
        n -= (size_t)w;
    }
}

/*
 * Interactive console: STATE_DIR/console.sock (mode 0600). One client at a time; a second one is told
 * "BUSY" and closed. On accept the monitor answers "OK <bytes>\n": the size of the current console log at
 * that moment. What was logged before is in the log; everything after goes to the log and to the client,
 * so a client reads the log's first <bytes> bytes and then the socket, without a gap or a repeat.
 * Client to monitor: frames of one type byte, a 16-bit big-endian length and the payload:
 * 'D' bytes typed on the console; 'W' 4 bytes, columns and rows (16-bit big-endian each) -> TIOCSWINSZ.
 */
#define CONSOLE_SOCK "console.sock"
#define CONSOLE_FRAME_MAX (3 + 65535)

static struct {
    int listen_fd, client_fd;
    unsigned char in[CONSOLE_FRAME_MAX];
    size_t in_len;
} g_console = {-1, -1, {0}, 0};

static int listen_unix(const struct start_opts *o, const char *name, int backlog);

static void console_listen(const struct start_opts *o)
{
    /* without the socket (e.g. its path is too long) the console stays read-only: the log */
    g_console.listen_fd = listen_unix(o, CONSOLE_SOCK, 2);
    if (g_console.listen_fd >= 0 && g_rt.console_master >= 0) /* a client must never block the monitor */
        fcntl(g_rt.console_master, F_SETFL, fcntl(g_rt.console_master, F_GETFL) | O_NONBLOCK);
}

static void console_drop_client(void)
{
    if (g_console.client_fd >= 0)
        close(g_console.client_fd);
    g_console.client_fd = -1;
    g_console.in_len = 0;
}

static void console_accept(void)
{
    int fd = accept4(g_console.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    struct timeval tv = {1, 0}; /* a client that stops reading is dropped, not waited for */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char peek;
    if (g_console.client_fd >= 0 && recv(g_console.client_fd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
        console_drop_client(); /* the attached client hung up just before this one came: it is free */
    if (g_console.client_fd >= 0) {
        if (write_all(fd, "BUSY\n", 5) < 0) {
            /* it is closed anyway */
        }
        close(fd);
        return;
    }
    char hello[64];
    int n = snprintf(hello, sizeof hello, "OK %lld\n", g_rt.log_fd >= 0 ? g_rt.log_size : 0LL);
    if (write_all(fd, hello, (size_t)n) < 0) {
        close(fd);
        return;
    }
    g_console.client_fd = fd;
    g_console.in_len = 0;
}

static void console_to_client(const char *buf, size_t n)
{
    if (g_console.client_fd >= 0 && write_all(g_console.client_fd, buf, n) < 0)
        console_drop_client();
}

/* Typed bytes go to the master; a full input queue drops them (the monitor never blocks on a client). */
static void console_write_master(const unsigned char *p, size_t n)
{
    while (n > 0 && g_rt.console_master >= 0) {
        ssize_t w = write(g_rt.console_master, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static void console_client_input(void)
{
    ssize_t r = recv(g_console.client_fd, g_console.in + g_console.in_len, sizeof g_console.in - g_console.in_len,
                     MSG_DONTWAIT); /* the socket blocks for writes (with a timeout), never for reads */
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (r <= 0) {
        console_drop_client();
        return;
    }
    g_console.in_len += (size_t)r;
    size_t at = 0;
    while (g_console.in_len - at >= 3) {
        unsigned char type = g_console.in[at];
        size_t len = ((size_t)g_console.in[at + 1] << 8) | g_console.in[at + 2];
        if (g_console.in_len - at < 3 + len)
            break;
        const unsigned char *payload = g_console.in + at + 3;
        if (type == 'D') {
            console_write_master(payload, len);
        } else if (type == 'W' && len == 4 && g_rt.console_master >= 0) {
            struct winsize ws;
            memset(&ws, 0, sizeof ws);
            ws.ws_col = (unsigned short)((payload[0] << 8) | payload[1]);
            ws.ws_row = (unsigned short)((payload[2] << 8) | payload[3]);
            if (ws.ws_col && ws.ws_row)
                ioctl(g_rt.console_master, TIOCSWINSZ, &ws);
        } else {
            console_drop_client(); /* not our protocol */
            return;
        }
        at += 3 + len;
    }
    memmove(g_console.in, g_console.in + at, g_console.in_len - at);
    g_console.in_len -= at;
}

/* Copy what is waiting on the console master; returns 0 when the master is unusable. */
static int console_pump(void)
{
    char buf[16384];
    ssize_t n = read(g_rt.console_master, buf, sizeof buf);
    if (n > 0) {
        log_write(buf, (size_t)n);
        console_to_client(buf, (size_t)n);
        return 1;
    }
    return n < 0 && (errno == EINTR || errno == EAGAIN);
}
/* ---------------------------------------------------------------- exec service ----- */

/*
 * The monitor runs commands in its container on request (STATE_DIR/exec.sock): it forks and its child runs
 * the same code as `berth-helper exec`, so a caller saves the start of a helper process per command. See
 * PROTOCOL.md, "Exec service".
 */
#define EXEC_SOCK "exec.sock"
#define EXEC_REQUEST_MAX 65536
#define EXEC_ARGS_MAX 512
#define EXEC_RUNNING_MAX 64

static struct {
    int listen_fd;
    struct {
        pid_t pid;
        int client_fd;
    } running[EXEC_RUNNING_MAX];
} g_exec_service = {-1, {{0, -1}}};

/* A listening unix stream socket STATE_DIR/NAME, mode 0600 (root only), non-blocking; -1 if it cannot be. */
static int listen_unix(const struct start_opts *o, const char *name, int backlog)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (snprintf(addr.sun_path, sizeof addr.sun_path, "%s/%s", o->state_dir, name) >= (int)sizeof addr.sun_path)
        return -1; /* path too long for a unix socket */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    unlinkat(g_rt.state_fd, name, 0);
    mode_t old = umask(077);
    int rc = bind(fd, (struct sockaddr *)&addr, sizeof addr);
    umask(old);
    if (rc < 0 || listen(fd, backlog) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Only a monitor that stayed in the host's pid, time and user namespaces can run `exec` for others. */
static void exec_service_listen(const struct start_opts *o)
{
    if (o->ns_join & (NSBIT(NS_PID) | NSBIT(NS_TIME) | NSBIT(NS_USER)))
        return;
    for (int i = 0; i < EXEC_RUNNING_MAX; i++)
        g_exec_service.running[i].client_fd = -1;
    g_exec_service.listen_fd = listen_unix(o, EXEC_SOCK, 16);
}

static void exec_reply(int fd, const char *fmt, ...) PRINTF(2, 3);
static void exec_reply(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vline_to(fd, fmt, ap) < 0) {
        /* the caller went away; the command's result is lost with it */
    }
    va_end(ap);
}

/* Reads exactly n bytes; the socket has a receive timeout, so a silent caller cannot hold the monitor. */
static int read_exact(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* In the forked child: stdio to the request's files, then what `berth-helper exec ARGS` does. */
static void NORETURN exec_service_child(char **fields, int n)
{
    g_phase = PHASE_EXEC;
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out = open(fields[0], O_WRONLY | O_TRUNC | O_CLOEXEC);
    int err = open(fields[1], O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        _exit(125);
    reset_signals();
    if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
        _exit(125);
    exit(cmd_exec(n - 2, fields + 2));
}

static void exec_service_accept(void)
{
    int fd = accept4(g_exec_service.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    struct timeval tv = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int slot = -1;
    for (int i = 0; i < EXEC_RUNNING_MAX && slot < 0; i++)
        if (g_exec_service.running[i].client_fd < 0)
            slot = i;
    /* header: "EXEC <length>\n", read byte by byte so nothing of the payload is consumed */
    char head[32];
    size_t len = 0;
    while (len < sizeof head - 1 && read_exact(fd, head + len, 1) == 0 && head[len] != '\n')
        len++;
    head[len] = 0;
    long long size;
    static char payload[EXEC_REQUEST_MAX + 1];
    if (strncmp(head, "EXEC ", 5) || parse_ll(head + 5, &size) < 0 || size < 4 || size > EXEC_REQUEST_MAX
        || read_exact(fd, payload, (size_t)size) < 0 || payload[size - 1] != 0) {
        exec_reply(fd, "ERROR the request is not EXEC <length> with NUL-terminated fields");
        close(fd);
        return;
    }
    if (slot < 0) {
        exec_reply(fd, "ERROR %d commands run in this container already; try again when one has ended",
                   EXEC_RUNNING_MAX);
        close(fd);
        return;
    }
    char *fields[EXEC_ARGS_MAX + 1];
    int n = 0;
    for (char *p = payload; p < payload + size && n < EXEC_ARGS_MAX; p += strlen(p) + 1)
        fields[n++] = p;
    fields[n] = NULL;
    if (n < 4) {
        exec_reply(fd, "ERROR the request needs a stdout file, a stderr file and the exec arguments");
        close(fd);
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        exec_reply(fd, "ERROR fork: %s", strerror(errno));
        close(fd);
        return;
    }
    if (pid == 0)
        exec_service_child(fields, n);
    g_exec_service.running[slot].pid = pid;
    g_exec_service.running[slot].client_fd = fd;
}

/* A reaped process: if it ran a request, answer with its end as a shell reports it. */
static void exec_service_ended(pid_t pid, int ws)
{
    for (int i = 0; i < EXEC_RUNNING_MAX; i++) {
        if (g_exec_service.running[i].client_fd < 0 || g_exec_service.running[i].pid != pid)
            continue;
        int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        exec_reply(g_exec_service.running[i].client_fd, "EXIT %d", code);
        close(g_exec_service.running[i].client_fd);
        g_exec_service.running[i].client_fd = -1;
        return;
    }
}

/* ---------------------------------------------------------------- sysinfo --------- */

/*
 * The monitor answers sysinfo(2) for the container (sysinfo.h): for init's filter (its listener came over the sync
 * socket) and for each `exec`'s, whose helper sends its listener over STATE_DIR/notify.sock (mode 0600, root only)
 * as one 'S' byte with the descriptor. A listener is served until every process of its filter has ended, so a
 * daemon an exec left behind is answered too.
 */
#define NOTIFY_SOCK "notify.sock"
#define NOTIFY_MAX 256

static struct {
    int listen_fd;
    int n;
    int fd[NOTIFY_MAX];
    struct sysinfo_source source;
} g_notify = {-1, 0, {0}, {0}};

static void notify_add(int fd)
{
    if (fd < 0)
        return;
    if (g_notify.n == NOTIFY_MAX) {
        close(fd); /* its processes get ENOSYS from sysinfo: better than a monitor that cannot poll */
        return;
    }
    g_notify.fd[g_notify.n++] = fd;
}

static void notify_listen(const struct start_opts *o)
{
    sysinfo_source_open(&g_notify.source, g_rt.proc_fd, o->cg_procs, o->n_cg_procs, g_rt.child);
    notify_add(g_rt.notify_fd);
    g_rt.notify_fd = -1;
    g_notify.listen_fd = listen_unix(o, NOTIFY_SOCK, 16);
}

static void notify_accept(void)
{
    int fd = accept4(g_notify.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    struct timeval tv = {1, 0}; /* the listener follows the connection at once; nobody holds the monitor */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char tag;
    int listener = recv_fd(fd, &tag);
    close(fd);
    if (listener >= 0 && tag == 'S')
        notify_add(listener);
    else if (listener >= 0)
        close(listener);
}

/* One round over the listeners poll() saw ready (pf holds them in g_notify's order). */
static void notify_serve(const struct pollfd *pf)
{
    int kept = 0;
    for (int i = 0; i < g_notify.n; i++) {
        if (pf[i].revents & POLLIN)
            sysinfo_serve(g_notify.fd[i], &g_notify.source);
        if ((pf[i].revents & (POLLHUP | POLLERR | POLLNVAL)) && !(pf[i].revents & POLLIN))
            close(g_notify.fd[i]); /* no process of that filter is left */
        else
            g_notify.fd[kept++] = g_notify.fd[i];
    }
    g_notify.n = kept;
}

/* ---------------------------------------------------------------- loop and end ----- */

/* Reap every child that has ended; returns 1 once init is among them. */
static int reap_children(int *status)
{
    int found = 0, ws;
    pid_t w;
    while ((w = waitpid(-1, &ws, WNOHANG)) > 0) {
        if (w == g_rt.child) {
            *status = ws;
            found = 1;
        } else {
            exec_service_ended(w, ws);
        }
    }
    return found;
}

/* Before READY: a client that comes as soon as the caller has READY finds every socket (it waits in the backlog
   until the loop runs). */
void monitor_listen(const struct start_opts *o)
{
    console_listen(o);
    exec_service_listen(o);
    notify_listen(o);
}

/* Removes the sockets monitor_listen made: when the monitor ends, or start fails before READY. */
void monitor_unlisten(void)
{
    if (g_console.listen_fd >= 0) {
        unlinkat(g_rt.state_fd, CONSOLE_SOCK, 0);
        close(g_console.listen_fd);
        g_console.listen_fd = -1;
    }
    if (g_notify.listen_fd >= 0) {
        unlinkat(g_rt.state_fd, NOTIFY_SOCK, 0);
        close(g_notify.listen_fd);
        g_notify.listen_fd = -1;
    }
    if (g_exec_service.listen_fd >= 0) {
        /* callers still waiting on a command see the connection close: the container has ended */
        unlinkat(g_rt.state_fd, EXEC_SOCK, 0);
        close(g_exec_service.listen_fd);
        g_exec_service.listen_fd = -1;
    }
}

/* Runs until init has been reaped; returns its wait status. */
int monitor_loop(const struct start_opts *o)
{
    int status = 0;
    for (;;) {
        /* fixed slots: signals, console master, listening socket, attached client, exec service, notify socket
           (-1 = ignored); then the sysinfo listeners */
        struct pollfd pf[6 + NOTIFY_MAX] = {{g_rt.sigfd, POLLIN, 0}, {g_rt.console_master, POLLIN, 0},
                                            {g_console.listen_fd, POLLIN, 0}, {g_console.client_fd, POLLIN, 0},
                                            {g_exec_service.listen_fd, POLLIN, 0}, {g_notify.listen_fd, POLLIN, 0}};
        int listeners = g_notify.n;
        for (int i = 0; i < listeners; i++)
            pf[6 + i] = (struct pollfd){g_notify.fd[i], POLLIN, 0};
        if (poll(pf, (nfds_t)(6 + listeners), -1) < 0) {
            if (errno == EINTR)
                continue;
            sleep_ms(10); /* cannot happen in practice; do not spin */
            continue;
        }
        if (g_rt.console_master >= 0 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) && !console_pump()) {
            close(g_rt.console_master);
            g_rt.console_master = -1;
        }
        /* the attached client first: a hang-up must free the console before the next client is answered */
        if (pf[3].fd >= 0 && pf[3].fd == g_console.client_fd && (pf[3].revents & (POLLIN | POLLHUP | POLLERR)))
            console_client_input();
        if (pf[2].fd >= 0 && (pf[2].revents & POLLIN))
            console_accept();
        if (pf[4].fd >= 0 && (pf[4].revents & POLLIN))
            exec_service_accept();
        if (listeners > 0)
            notify_serve(pf + 6);
        if (pf[5].fd >= 0 && (pf[5].revents & POLLIN))
            notify_accept();
        if (!(pf[0].revents & POLLIN))
            continue;
        struct signalfd_siginfo si;
        if (read(g_rt.sigfd, &si, sizeof si) != sizeof si)
            continue;
        if (si.ssi_signo == SIGCHLD) {
            if (reap_children(&status))
                return status;
        } else {
            kill(g_rt.child, o->halt_signal); /* TERM/INT/HUP: ask init to halt */
        }
    }
}

static void console_drain(void)
{
    if (g_rt.console_master < 0)
        return;
    fcntl(g_rt.console_master, F_SETFL, O_NONBLOCK);
    while (console_pump()) {
        struct pollfd pf = {g_rt.console_master, POLLIN, 0};
        if (poll(&pf, 1, 0) <= 0)
            break;
    }
}

static void write_exit_record(int status)
{
    char line[64];
    if (WIFEXITED(status))
        snprintf(line, sizeof line, "exited %d\n", WEXITSTATUS(status));
    else /* reboot(2) inside a pid namespace kills its init with SIGHUP (restart) */
        snprintf(line, sizeof line, "killed %d%s\n", WTERMSIG(status),
                 g_rt.new_pidns && WTERMSIG(status) == SIGHUP ? " reboot" : "");
    write_state("exit", line);
}

/* Depth-first: an init such as systemd creates sub-groups inside ours. */
static int rmdir_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[PATH_MAX];
            snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
            rmdir_tree(sub);
        }
        closedir(d);
    }
    return rmdir(dir);
}

/* Remove one --cgroup-cleanup dir; EBUSY is retried for a bounded time (pid-ns teardown). */
static int remove_cgroup(const char *dir)
{
    for (int i = 0; i < CGROUP_RMDIR_TRIES; i++) {
        if (rmdir_tree(dir) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY && errno != ENOTEMPTY)
            return -1;
        sleep_ms(10);
    }
    return -1;
}

void NORETURN monitor_finish(const struct start_opts *o, int status)
{
    monitor_unlisten();
    console_drain();
    console_drop_client();
    if (g_rt.log_fd >= 0)
        close(g_rt.log_fd);
    write_exit_record(status);

    char done[PATH_MAX * 2] = "done\n";
    size_t used = strlen(done);
    for (int i = 0; i < o->n_cg_cleanup; i++)
        if (remove_cgroup(o->cg_cleanup[i]) < 0 && used < sizeof done)
            used += (size_t)snprintf(done + used, sizeof done - used, "cgroup-left %s: %s\n", o->cg_cleanup[i],
                                     strerror(errno));
    write_state("monitor.done", done);
    exit(0);
}
