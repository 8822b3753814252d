#!/bin/sh
# Checks the product's `berth` launch script and its class cache, on the materialized product (no root, no engine):
# a command's first run prints only its own output and makes the cache in the background; later runs use it; exit
# codes pass through; what a killed first run left and other builds' caches are removed; an unwritable cache place
# is no error; on Java 21-24 a class-data-sharing archive instead. Usage: test-cli-script.sh PRODUCT_DIR (the folder
# holding berth, java-finder.sh and plugins/).
set -u
home=${1:?usage: test-cli-script.sh PRODUCT_DIR}
berth=$home/berth
work=$(mktemp -d /tmp/berth-script-test.XXXXXX)
failures=0
trap 'rm -rf "$work"' EXIT

check() { # description, then a command that must succeed
	what=$1
	shift
	if "$@"; then
		echo "ok   - $what"
	else
		echo "FAIL - $what"
		failures=$((failures + 1))
	fi
}

await_cache() { # command name: waits (up to 60 s) for its cache and for no record being made
	i=0
	while [ $i -lt 600 ]; do
		if { ls "$work/cache/berth/$mine"-*"-$1".aot >/dev/null 2>&1 ||
			ls "$work/cache/berth/$mine"-*"-$1".jsa >/dev/null 2>&1; } &&
			! ls "$work/cache/berth/"*.conf >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# the script's names: cli-<install folder, / as _>-<CLI jar>-<runtime>-<version>-<command>.aot
inst=cli-$(cd "$home" && pwd | tr / _)
mine=$inst-$(basename "$(ls "$home"/plugins/org.berth.cli_*.jar | head -n 1)" .jar)

export XDG_CACHE_HOME="$work/cache"
"$berth" version >"$work/out1" 2>"$work/err1"
code=$?
check "first run of berth version exits 0" [ "$code" -eq 0 ]
check "first run prints the version and nothing else on stdout" \
	sh -c "[ \$(wc -l <'$work/out1') -eq 2 ] && head -n 1 '$work/out1' | grep -q '^berth [0-9]'"
check "first run prints nothing on stderr" [ ! -s "$work/err1" ]
check "the version command's class cache is made" await_cache version
"$berth" version >"$work/out2" 2>"$work/err2"
check "a later run prints the same" cmp -s "$work/out1" "$work/out2"
check "a later run prints nothing on stderr" [ ! -s "$work/err2" ]

"$berth" no-such-command >/dev/null 2>"$work/err3"
code=$?
check "a wrong command exits 2 on its first run" [ "$code" -eq 2 ]
check "and says so in one sentence" grep -q '^berth: there is no command "no-such-command"' "$work/err3"
await_cache other
"$berth" no-such-command >/dev/null 2>&1
check "and exits 2 with its cache too" [ $? -eq 2 ]
XDG_CONFIG_HOME="$work/config" "$berth" --remote no-such-remote list >/dev/null 2>"$work/err6"
check "a command for another host names the remote it does not know" grep -q 'no-such-remote' "$work/err6"
check "and has a cache of its own, named after the remote (its classes, not the local engine's)" await_cache list-remote-no-such-remote

# what a killed first run leaves, and a cache of this install's other build, go when the next cache is made;
# another install's cache stays (two installs must not remove each other's caches on every run)
check "the caches are named after the install and the build" sh -c "ls '$work/cache/berth/$mine'-*-version.aot >/dev/null"
stale="$work/cache/berth/$mine-x-25-list.4242.conf"
other="$work/cache/berth/$inst-org.berth.cli_0.0.1.1-x-25-list.aot"
elsewhere="$work/cache/berth/cli-_opt_berth-org.berth.cli_0.0.1.1-x-25-list.aot"
: >"$stale"
: >"$other"
: >"$elsewhere"
touch -d '20 minutes ago' "$stale"
"$berth" --help >/dev/null 2>&1
check "help exits 0" [ $? -eq 0 ]
"$berth" list --help >/dev/null 2>&1
await_cache list
check "a record left by a killed first run is removed" [ ! -e "$stale" ]
check "this install's other build's cache is removed" [ ! -e "$other" ]
check "another install's cache is kept" [ -e "$elsewhere" ]

# on a terminal of its own that closes when it ends (the hang-up must not kill the cache maker)
if command -v script >/dev/null 2>&1; then
	XDG_CACHE_HOME="$work/cache" script -qec "'$berth' stats --help" /dev/null >/dev/null 2>&1
	check "the first run of a command on a terminal that then closes makes its cache" await_cache stats
fi

# the branch for Java 21-24, which has no AOT cache: a class-data-sharing archive, made at the end of the first run.
# A runtime whose release file says 24, running this JDK's JVM, takes it.
real=$(. "$home/java-finder.sh" && echo "${JAVA%/bin/java}")
fake=$work/jdk-24
mkdir -p "$fake/bin"
ln -s "$real/bin/java" "$fake/bin/java"
echo 'JAVA_VERSION="24.0.2"' >"$fake/release"
JAVA_HOME=$fake XDG_CACHE_HOME="$work/cache24" "$berth" version >"$work/out6" 2>"$work/err6"
check "on Java 21-24 the first run exits 0 and prints the same, nothing on stderr" \
	sh -c "[ $? -eq 0 ] && cmp -s '$work/out1' '$work/out6' && [ ! -s '$work/err6' ]"
check "on Java 21-24 the first run made a class-data-sharing archive, no AOT cache" \
	sh -c "[ -s '$work/cache24/berth/$mine-jdk-24-24.0.2-version.jsa' ] && ! ls '$work/cache24/berth/'*.aot >/dev/null 2>&1"
JAVA_HOME=$fake XDG_CACHE_HOME="$work/cache24" "$berth" version >"$work/out7" 2>"$work/err7"
check "on Java 21-24 a later run with the archive prints the same, nothing on stderr" \
	sh -c "[ $? -eq 0 ] && cmp -s '$work/out1' '$work/out7' && [ ! -s '$work/err7' ]"

# berth-console: the JVM it starts gets a class-data sharing archive named after the install, the build (org.berth.ui's
# jar) and the runtime, made by the JVM itself (-XX:+AutoCreateSharedArchive); an earlier build's archive of this
# install goes, another install's stays; no cache folder, no archive. A runtime whose java prints its arguments.
echoing=$work/jdk-echo
mkdir -p "$echoing/bin"
printf '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n' >"$echoing/bin/java"
chmod +x "$echoing/bin/java"
echo 'JAVA_VERSION="25.0.9"' >"$echoing/release"
console_inst=console-$(cd "$home" && pwd | tr / _)
console_mine=$console_inst-$(basename "$(ls "$home"/plugins/org.berth.ui_*.jar | head -n 1)" .jar)
mkdir -p "$work/ccache/berth"
: >"$work/ccache/berth/$console_inst-org.berth.ui_0.0.1.old-jdk-echo-25.0.9.jsa"
: >"$work/ccache/berth/console-_another_install-org.berth.ui_0.0.1.old-jdk-echo-25.0.9.jsa"
JAVA_HOME=$echoing XDG_CACHE_HOME="$work/ccache" "$home/berth-console" -data "$work/ws" >"$work/cons1" 2>&1
check "berth-console gives the JVM its class archive, named after install, build and runtime" \
	grep -qx -- "-XX:SharedArchiveFile=$work/ccache/berth/$console_mine-jdk-echo-25.0.9.jsa" "$work/cons1"
check "which the JVM makes itself when it is missing" grep -qx -- "-XX:+AutoCreateSharedArchive" "$work/cons1"
check "an earlier build's archive of this install is removed" \
	sh -c "! ls '$work/ccache/berth/$console_inst-org.berth.ui_0.0.1.old'* >/dev/null 2>&1"
check "another install's archive stays" [ -e "$work/ccache/berth/console-_another_install-org.berth.ui_0.0.1.old-jdk-echo-25.0.9.jsa" ]
check "slf4j's note that it found no provider is kept off stderr" grep -qx -- "-Dslf4j.internal.verbosity=ERROR" "$work/cons1"
JAVA_HOME=$echoing XDG_CACHE_HOME=/dev/null "$berth" version >"$work/cli-args" 2>&1
check "berth asks for no locale data but the JDK's root data (its output is Locale.ROOT's)" \
	grep -qx -- "-Djava.locale.providers=SPI" "$work/cli-args"
JAVA_HOME=$echoing XDG_CACHE_HOME=/dev/null "$home/berth-console" >"$work/cons2" 2>&1
check "without a cache folder the console starts without an archive" \
	sh -c "grep -qx -- -jar '$work/cons2' && ! grep -q SharedArchiveFile '$work/cons2'"
if [ "$(id -u)" = 0 ]; then
	# the JVM runs what a cache holds: a cache folder of another user (here nobody's, writable by all) is not used
	mkdir -p "$work/foreign/berth"
	chown 65534 "$work/foreign/berth"
	chmod 777 "$work/foreign/berth"
	JAVA_HOME=$echoing XDG_CACHE_HOME="$work/foreign" "$home/berth-console" >"$work/cons3" 2>&1
	check "a cache folder another user owns gives the console no archive" \
		sh -c "grep -qx -- -jar '$work/cons3' && ! grep -q SharedArchiveFile '$work/cons3'"
	XDG_CACHE_HOME="$work/foreign" "$berth" version >"$work/out-foreign" 2>&1
	check "nor the command line a cache (the command still runs)" \
		sh -c "cmp -s '$work/out1' '$work/out-foreign' && [ -z \"\$(ls -A '$work/foreign/berth')\" ]"
fi
# what the product changes in Eclipse's jars and start for the console's start (README: Libraries)
check "the launcher's and the framework's jars carry no JAR signature" python3 -c '
import glob, re, sys, zipfile
jars = glob.glob(sys.argv[1] + "/plugins/org.eclipse.equinox.launcher_*.jar") + glob.glob(sys.argv[1] + "/plugins/org.eclipse.osgi_*.jar")
sys.exit(0 if len(jars) == 2 and not any(re.match(r"META-INF/[^/]+\.(SF|RSA|DSA|EC)$", n, re.I)
    for j in jars for n in zipfile.ZipFile(j).namelist()) else 1)' "$home"
check "Aries SPI Fly is installed but not started" \
	grep -q '^org.apache.aries.spifly.dynamic.bundle,.*,false$' "$home/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"

if [ "$(id -u)" != 0 ]; then
	# through the agent (as a user other than root goes; BERTH_AGENT=1 here): the client's classes are all in the
	# product, and no agent is one sentence
	BERTH_AGENT=1 BERTH_SOCKET="$work/no-agent.sock" "$berth" list >"$work/out8" 2>"$work/err8"
	code=$?
	check "without an agent, berth list through it exits 1" [ "$code" -eq 1 ]
	check "and says so in one line that names the socket" sh -c "[ \$(wc -l <'$work/err8') -eq 1 ] &&
		grep -q '^berth: No Berth agent answers on $work/no-agent.sock' '$work/err8'"
else
	# root's berth starts the product's berth-agent in the background when none answers (on this test's own roots
	# and socket), and a later one finds it; through it (BERTH_AGENT=1) the client's classes are all in the product
	auto=$work/auto
	mkdir -p "$auto"
	auto_env="JAVA_TOOL_OPTIONS=-Dberth.configRoot=$auto/config -Dberth.runRoot=$auto/run -Dberth.cgroupParent=berth-script-$$"
	env XDG_CACHE_HOME=/proc/berth-no-such-place "$auto_env" BERTH_SOCKET="$auto/berth.sock" "$berth" list --json >"$work/out8" 2>"$work/err8"
	code=$?
	pid=$(sed -n 's/^berth: started the Berth agent (PID \([0-9]*\)) on .*/\1/p' "$work/err8")
	check "root's berth list exits 0 and starts an agent when none answers" sh -c "[ $code -eq 0 ] && [ -n '$pid' ]"
	check "the agent runs on after the command, in a session of its own" sh -c "[ -n '$pid' ] &&
		kill -0 '$pid' 2>/dev/null && [ \"\$(ps -o sid= -p '$pid' | tr -d ' ')\" = '$pid' ]"
	env XDG_CACHE_HOME=/proc/berth-no-such-place "$auto_env" BERTH_SOCKET="$auto/berth.sock" "$berth" list --json >"$work/out9" 2>"$work/err9"
	check "a later berth list finds it and starts none" sh -c "[ $? -eq 0 ] && ! grep -q 'started the Berth agent' '$work/err9'"
	env XDG_CACHE_HOME=/proc/berth-no-such-place "$auto_env" BERTH_AGENT=1 BERTH_SOCKET="$auto/berth.sock" "$berth" list --json >"$work/out10" 2>"$work/err10"
	check "through the agent, berth list --json prints what the engine in its own process does" \
		sh -c "[ $? -eq 0 ] && cmp -s '$work/out9' '$work/out10'"
	if command -v curl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
		curl -s --unix-socket "$auto/berth.sock" http://berth/1.0/containers >"$work/out11"
		check "curl on the socket gets the JSON of berth list --json" sh -c "python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if a==b else 1)' '$work/out10' '$work/out11'"
	fi
	if [ -n "$pid" ]; then
		kill "$pid"
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		check "the agent ends on SIGTERM" sh -c "! kill -0 '$pid' 2>/dev/null"
	fi
	for h in /sys/fs/cgroup/*/; do
		[ -d "$h/berth-script-$$" ] && rmdir "$h/berth-script-$$" 2>/dev/null
	done
fi

XDG_CACHE_HOME=/proc/berth-no-such-place "$berth" version >"$work/out4" 2>"$work/err4"
check "a cache place that cannot be made is no error" sh -c "[ $? -eq 0 ] && cmp -s '$work/out1' '$work/out4'"

if [ "$failures" -ne 0 ]; then
	echo "test-cli-script.sh: $failures check(s) failed" >&2
	exit 1
fi
echo "test-cli-script.sh: all checks passed"
