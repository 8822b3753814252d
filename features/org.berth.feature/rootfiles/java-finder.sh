# Sourced by berth and berth-console: sets JAVA to a Java 21+ runtime or exits with a sentence.
# Order: $JAVA_HOME, `java` on PATH, then the newest 21+ JDK under /usr/lib/jvm.
berth_java_major() {
	"$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}
berth_find_java() {
	for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)"; do
		[ -x "$j" ] || continue
		v=$(berth_java_major "$j"); [ "${v:-0}" -ge 21 ] && { echo "$j"; return 0; }
	done
	best=""; best_v=0
	for j in /usr/lib/jvm/*/bin/java; do
		[ -x "$j" ] || continue
		v=$(berth_java_major "$j"); v=${v:-0}
		[ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ] && { best=$j; best_v=$v; }
	done
	[ -n "$best" ] && echo "$best"
}
JAVA=$(berth_find_java) || true
if [ -z "$JAVA" ]; then
	echo "Berth needs Java 21 or newer; none was found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
	exit 1
fi
