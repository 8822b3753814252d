#!/bin/sh
# crun as the benchmark runs it. crun 1.8 refuses a hybrid cgroup host ("cgroups in hybrid mode not supported,
# drop all controllers from cgroupv2"), also with --cgroup-manager=disabled. On such a host, run it in a private
# mount namespace without the cgroup2 mount, where the host looks like pure cgroup v1. The host's own mounts are
# not touched. On a pure v1 or pure v2 host crun runs as it is.
v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
v1=$(awk '$3 == "cgroup" { n++ } END { print n + 0 }' /proc/self/mounts)
if [ -n "$v2" ] && [ "$v1" -gt 0 ]; then
	exec unshare --mount --propagation private sh -c 'umount "$0" && exec crun "$@"' "$v2" "$@"
fi
exec crun "$@"
