package org.berth.core.linux.internal.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * The local rsync of a migration reads the container's folder through a view that follows no symbolic link: a bind
 * mount of it with {@code nosymfollow}, in a mount namespace of that rsync's own (gone with it, nothing left on the
 * host). rsync lists the folder first and reads the files after, while the container runs and can change its files:
 * a folder it replaces with a link to {@code /} in between would have the sender, root, read the host's files into
 * the copy. Through the view such a path ends in ELOOP; links themselves are still copied as links (lstat and
 * readlink work on such a mount). Pure: the command is built here, not run.
 */
public final class SenderView {

	private static final String SCRIPT = "mount --bind \"$1\" \"$2\" && mount -o remount,bind,nosymfollow \"$2\""
			+ " && shift 2 && exec \"$@\"";

	private SenderView() {
	}

	/**
	 * {@code argv} run with {@code folder} seen at {@code view} (an empty folder of the caller's) without following
	 * links; {@code argv} names the folder by {@code view}.
	 */
	public static List<String> wrap(String folder, String view, List<String> argv) {
		List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
				SCRIPT, "sh", folder, view));
		wrapped.addAll(argv);
		return wrapped;
	}
}
