# Sourced by berth and berth-console: sets JAVA to a Java 21+ runtime or exits with a sentence.
# Order: $JAVA_HOME, `java` on PATH, then the newest 21+ JDK under /usr/lib/jvm. The version comes from each
# runtime's `release` file: starting a JVM just to ask it would cost a third of a second per command.
berth_java_major() { # JAVA_HOME-like directory -> major version, or 0
	v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n 1)
	echo "${v:-0}"
}
berth_find_java() {
	onpath=$(command -v java 2>/dev/null) && onpath=$(dirname "$(dirname "$(readlink -f "$onpath")")")
	for home in ${JAVA_HOME:+"$JAVA_HOME"} ${onpath:+"$onpath"}; do
		[ -x "$home/bin/java" ] && [ "$(berth_java_major "$home")" -ge 21 ] && { echo "$home/bin/java"; return 0; }
	done
	best=""; best_v=0
	for home in /usr/lib/jvm/*; do
		[ -x "$home/bin/java" ] || continue
		v=$(berth_java_major "$home")
		[ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ] && { best=$home/bin/java; best_v=$v; }
	done
	[ -n "$best" ] && echo "$best"
}
JAVA=$(berth_find_java) || true
if [ -z "$JAVA" ]; then
	echo "Berth needs Java 21 or newer; none was found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
	exit 1
fi
