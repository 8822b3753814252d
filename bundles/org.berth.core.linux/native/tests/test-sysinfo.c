/*
 * test-sysinfo.c: the container's sysinfo (sysinfo.c): what a process gets from the host's numbers and the
 * container's cgroup, the cgroup values' forms, and the descriptor passing the listeners travel by.
 */
#include "unit.h"
#include "sysinfo.h"

#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#define MIB (1024ULL * 1024)
#define GIB (1024 * MIB)

static struct sysinfo host(void)
{
    struct sysinfo h;
    memset(&h, 0, sizeof h);
    h.uptime = 86400;
    h.loads[0] = 65536;
    h.totalram = 24 * GIB / 4096; /* in units of 4096, as a 32-bit kernel would report */
    h.freeram = 20 * GIB / 4096;
    h.sharedram = 100 * MIB / 4096;
    h.bufferram = 300 * MIB / 4096;
    h.totalswap = 2 * GIB / 4096;
    h.freeswap = 2 * GIB / 4096;
    h.procs = 400;
    h.mem_unit = 4096;
    return h;
}

static const struct container_usage NONE = {USAGE_UNKNOWN, USAGE_UNKNOWN, USAGE_UNKNOWN, USAGE_UNKNOWN,
                                            USAGE_UNKNOWN, USAGE_UNKNOWN};

static void a_memory_limit_is_the_machines_memory(void **state)
{
    (void)state;
    struct sysinfo h = host(), out;
    struct container_usage u = NONE;
    u.mem_limit = 128 * MIB;
    u.mem_usage = 28 * MIB;
    u.tasks = 7;
    u.uptime = 42;
    sysinfo_of_container(&out, &h, &u);
    assert_int_equal(out.mem_unit, 1);
    assert_int_equal(out.totalram, 128 * MIB);
    assert_int_equal(out.freeram, 100 * MIB);
    assert_int_equal(out.sharedram, 0);
    assert_int_equal(out.bufferram, 0);
    assert_int_equal(out.procs, 7);
    assert_int_equal(out.uptime, 42);
    assert_int_equal(out.loads[0], 65536); /* the host's: the run queue is not the container's */
    assert_int_equal(out.totalswap, 2 * GIB);    /* no swap limit of its own: the host's */
}

static void no_limit_keeps_the_hosts_memory_in_bytes(void **state)
{
    (void)state;
    struct sysinfo h = host(), out;
    sysinfo_of_container(&out, &h, &NONE);
    assert_int_equal(out.mem_unit, 1);
    assert_int_equal(out.totalram, 24 * GIB);
    assert_int_equal(out.freeram, 20 * GIB);
    assert_int_equal(out.bufferram, 300 * MIB);
    assert_int_equal(out.procs, 400);
    assert_int_equal(out.uptime, 86400);
}

static void a_limit_above_the_host_and_usage_above_the_limit(void **state)
{
    (void)state;
    struct sysinfo h = host(), out;
    struct container_usage u = NONE;
    u.mem_limit = 64 * GIB;
    sysinfo_of_container(&out, &h, &u);
    assert_int_equal(out.totalram, 24 * GIB);
    u.mem_limit = 128 * MIB;
    u.mem_usage = 130 * MIB; /* the kernel lets usage pass the limit briefly */
    sysinfo_of_container(&out, &h, &u);
    assert_int_equal(out.freeram, 0);
}

static void swap_limit_and_use(void **state)
{
    (void)state;
    struct sysinfo h = host(), out;
    struct container_usage u = NONE;
    u.mem_limit = 128 * MIB;
    u.swap_limit = 0;
    sysinfo_of_container(&out, &h, &u);
    assert_int_equal(out.totalswap, 0);
    assert_int_equal(out.freeswap, 0);
    u.swap_limit = 64 * MIB;
    u.swap_usage = 16 * MIB;
    sysinfo_of_container(&out, &h, &u);
    assert_int_equal(out.totalswap, 64 * MIB);
    assert_int_equal(out.freeswap, 48 * MIB);
    u.swap_limit = 8 * GIB; /* more than the host has */
    u.swap_usage = 0;
    sysinfo_of_container(&out, &h, &u);
    assert_int_equal(out.totalswap, 2 * GIB);
}

static void an_uptime_longer_than_the_hosts_is_not_believed(void **state)
{
    (void)state;
    struct sysinfo h = host(), out;
    struct container_usage u = NONE;
    u.uptime = 90000;
    u.tasks = 70000;
    sysinfo_of_container(&out, &h, &u);
    assert_int_equal(out.uptime, 86400);
    assert_int_equal(out.procs, 65535);
}

static void cgroup_values(void **state)
{
    (void)state;
    assert_int_equal(cgroup_value("134217728\n"), 134217728);
    assert_int_equal(cgroup_value("max\n"), USAGE_UNKNOWN);
    assert_int_equal(cgroup_value("9223372036854771712\n"), USAGE_UNKNOWN); /* v1's "no limit" */
    assert_int_equal(cgroup_value(""), USAGE_UNKNOWN);
    assert_int_equal(cgroup_value("12abc"), USAGE_UNKNOWN);
    assert_int_equal(cgroup_value("0\n"), 0);
}

static void a_descriptor_travels_with_its_tag(void **state)
{
    (void)state;
    int sv[2], p[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    assert_int_equal(pipe(p), 0);
    assert_int_equal(send_fd(sv[0], 'S', p[1]), 0);
    char tag = 0;
    int got = recv_fd(sv[1], &tag);
    assert_true(got >= 0);
    assert_int_equal(tag, 'S');
    assert_int_equal(write(got, "x", 1), 1);
    char c;
    assert_int_equal(read(p[0], &c, 1), 1);
    assert_int_equal(c, 'x');
    close(sv[0]);
    assert_int_equal(recv_fd(sv[1], &tag), -1); /* EOF */
    close(got);
    close(p[0]);
    close(p[1]);
    close(sv[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_memory_limit_is_the_machines_memory),
        cmocka_unit_test(no_limit_keeps_the_hosts_memory_in_bytes),
        cmocka_unit_test(a_limit_above_the_host_and_usage_above_the_limit),
        cmocka_unit_test(swap_limit_and_use),
        cmocka_unit_test(an_uptime_longer_than_the_hosts_is_not_believed),
        cmocka_unit_test(cgroup_values),
        cmocka_unit_test(a_descriptor_travels_with_its_tag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
