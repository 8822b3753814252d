/*
 * init.c: `berth-helper init`, Berth's minimal init (see below).
 */
#include "common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

/* ================================================================ init ============ */

/*
 * berth-helper init [-- CMD ARGS...]: Berth's minimal init, run as PID 1 of a container.
 * With CMD (application containers) it runs CMD, forwards the signals it gets to it, reaps every
 * orphan, and exits with CMD's status when CMD ends (after killing what CMD left behind).
 * Without CMD (the host template's system containers) it only reaps; a halt signal (TERM, INT,
 * USR1, USR2, PWR, HUP) makes it ask every process to end (SIGTERM), wait up to 5 s, SIGKILL the
 * rest, and exit 0.
 */
#define INIT_GRACE_MS 5000

static void init_kill_all(int sig)
{
    /* as PID 1 of a pid namespace, kill(-1) reaches every other process of the namespace */
    if (kill(-1, sig) < 0 && errno != ESRCH)
        dprintf(STDERR_FILENO, "berth-init: kill all: %s\n", strerror(errno));
}

/* Reaps until no child is left or the grace time is over; returns 1 when none is left. */
static int init_drain(long grace_ms)
{
    for (long waited = 0;; waited += 10) {
        pid_t p;
        while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
            ;
        if (p < 0 && errno == ECHILD)
            return 1;
        if (waited >= grace_ms)
            return 0;
        sleep_ms(10);
    }
}

static void NORETURN init_shutdown(int status)
{
    init_kill_all(SIGTERM);
    if (!init_drain(INIT_GRACE_MS)) {
        init_kill_all(SIGKILL);
        init_drain(INIT_GRACE_MS);
    }
    _exit(status);
}

int cmd_init(int argc, char **argv)
{
    char **cmd = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            if (i + 1 < argc)
                cmd = argv + i + 1;
            break;
        }
        dprintf(STDERR_FILENO, "berth-init: unknown option '%s'\n", argv[i]);
        return 2;
    }
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    int sfd = signalfd(-1, &all, SFD_CLOEXEC);
    if (sfd < 0) {
        dprintf(STDERR_FILENO, "berth-init: signalfd: %s\n", strerror(errno));
        return 125;
    }
    pid_t main_child = 0;
    if (cmd) {
        main_child = fork();
        if (main_child < 0) {
            dprintf(STDERR_FILENO, "berth-init: fork: %s\n", strerror(errno));
            return 125;
        }
        if (main_child == 0) {
            sigprocmask(SIG_UNBLOCK, &all, NULL);
            execvp(cmd[0], cmd);
            int err = errno;
            dprintf(STDERR_FILENO, "berth-init: exec %s: %s\n", cmd[0], strerror(err));
            _exit(err == ENOENT ? 127 : 126);
        }
    }
    for (;;) {
        struct signalfd_siginfo si;
        ssize_t n = read(sfd, &si, sizeof si);
        if (n != (ssize_t)sizeof si) {
            if (n < 0 && errno == EINTR)
                continue;
            dprintf(STDERR_FILENO, "berth-init: read signalfd: %s\n", strerror(errno));
            init_shutdown(125);
        }
        int sig = (int)si.ssi_signo;
        if (sig == SIGCHLD) {
            int status;
            pid_t p;
            while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
                if (main_child && p == main_child) {
                    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                    init_shutdown(code);
                }
            }
            continue;
        }
        if (main_child) {
            kill(main_child, sig);   /* the program decides what each signal means */
            continue;
        }
        if (sig == SIGTERM || sig == SIGINT || sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGPWR
            || sig == SIGHUP)
            init_shutdown(0);
    }
}
