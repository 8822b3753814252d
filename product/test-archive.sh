#!/bin/sh
# Checks the product archive as a user unpacks it: `tar xzf` with GNU tar prints nothing (no warnings about
# unknown PAX keywords such as LIBARCHIVE.creationtime), and the launchers come out executable.
# Usage: test-archive.sh ARCHIVE.tar.gz
set -u
archive=${1:?usage: test-archive.sh ARCHIVE.tar.gz}
work=$(mktemp -d /tmp/berth-archive-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
tar xzf "$archive" -C "$work" >"$work.out" 2>&1
rc=$?
out=$(cat "$work.out")
rm -f "$work.out"
if [ $rc = 0 ] && [ -z "$out" ]; then
	echo "ok   - tar xzf of $(basename "$archive") prints nothing"
else
	echo "FAIL - tar xzf of $(basename "$archive") (exit $rc) printed $(printf '%s\n' "$out" | wc -l) lines:"
	printf '%s\n' "$out" | head -n 5
	failures=$((failures + 1))
fi
for f in berth/berth berth/berth-console; do
	if [ -x "$work/$f" ]; then
		echo "ok   - $f is executable"
	else
		echo "FAIL - $f is missing or not executable"
		failures=$((failures + 1))
	fi
done
[ $failures = 0 ]
