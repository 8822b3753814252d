# Sourced by berth and berth-console: sets JAVA to a Java 21+ runtime or exits with a sentence, and defines
# berth_cache_place, where both keep the class caches they make.
# Order: $JAVA_HOME, `java` on PATH, then the newest 21+ JDK under /usr/lib/jvm. The version comes from each
# runtime's `release` file: starting a JVM just to ask it would cost a third of a second per command. Only shell
# built-ins read those files (a process per file cost more than the JVM's own start on a slow host); the one
# program run is readlink, and only when JAVA_HOME does not name a usable runtime.
berth_java_major() { # JAVA_HOME-like directory -> BERTH_MAJOR (0 if unknown) and BERTH_VERSION ("25.0.3")
	BERTH_MAJOR=0
	BERTH_VERSION=""
	[ -r "$1/release" ] || return 0
	while IFS= read -r line; do
		case $line in
		JAVA_VERSION=\"[0-9]*)
			v=${line#JAVA_VERSION=\"}
			BERTH_VERSION=${v%%\"*}
			BERTH_MAJOR=${v%%[!0-9]*}
			return 0
			;;
		esac
	done <"$1/release"
}
berth_usable() { # JAVA_HOME-like directory: true if it has bin/java and is 21 or newer
	[ -x "$1/bin/java" ] || return 1
	berth_java_major "$1"
	[ "$BERTH_MAJOR" -ge 21 ]
}
berth_find_java() { # sets JAVA, JAVA_MAJOR and JAVA_VERSION (the runtime's full version), or leaves JAVA empty
	JAVA=""
	JAVA_MAJOR=0
	JAVA_VERSION=""
	if [ -n "${JAVA_HOME:-}" ] && berth_usable "$JAVA_HOME"; then
		JAVA=$JAVA_HOME/bin/java JAVA_MAJOR=$BERTH_MAJOR JAVA_VERSION=$BERTH_VERSION
		return 0
	fi
	onpath=$(command -v java 2>/dev/null) && onpath=$(readlink -f "$onpath") && onpath=${onpath%/bin/java}
	if [ -n "$onpath" ] && berth_usable "$onpath"; then
		JAVA=$onpath/bin/java JAVA_MAJOR=$BERTH_MAJOR JAVA_VERSION=$BERTH_VERSION
		return 0
	fi
	for home in /usr/lib/jvm/*; do
		berth_usable "$home" && [ "$BERTH_MAJOR" -gt "$JAVA_MAJOR" ] &&
			JAVA=$home/bin/java JAVA_MAJOR=$BERTH_MAJOR JAVA_VERSION=$BERTH_VERSION
	done
	return 0
}
berth_find_java
if [ -z "$JAVA" ]; then
	echo "Berth needs Java 21 or newer; none was found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
	exit 1
fi
# berth_cache_place INSTALL_DIR: BERTH_CACHE_DIR, the folder of this user's class caches (made when missing; empty
# when it cannot be made or written, or is not this user's: the JVM runs what a cache holds, so a folder another user
# could write into, such as an XDG_CACHE_HOME under /tmp, gets none), and BERTH_INSTALL, the install's folder with
# / as _ (/opt/berth -> _opt_berth), so that two installs keep their caches apart. Shell built-ins only.
berth_cache_place() {
	BERTH_CACHE_DIR="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/berth"
	if ! { [ -d "$BERTH_CACHE_DIR" ] || mkdir -p "$BERTH_CACHE_DIR" 2>/dev/null; } || [ ! -w "$BERTH_CACHE_DIR" ] ||
		[ ! -O "$BERTH_CACHE_DIR" ]; then
		BERTH_CACHE_DIR=""
	fi
	BERTH_INSTALL="" rest=${1#/}
	while [ -n "$rest" ]; do
		BERTH_INSTALL="${BERTH_INSTALL}_${rest%%/*}"
		case $rest in
		*/*) rest=${rest#*/} ;;
		*) rest="" ;;
		esac
	done
}
