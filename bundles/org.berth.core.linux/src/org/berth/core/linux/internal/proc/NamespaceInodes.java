package org.berth.core.linux.internal.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.core.NamespaceType;

/**
 * The namespace identities of a process: the inode numbers behind {@code /proc/PID/ns/*}. Two processes share
 * a namespace exactly when the inodes are equal. A type the kernel does not have (e.g. {@code time} before
 * 5.6) is absent.
 */
public record NamespaceInodes(Map<NamespaceType, Long> inodes) {
	private static final Pattern LINK = Pattern.compile("([a-z_]+):\\[(\\d+)\\]");

	public NamespaceInodes {
		inodes = inodes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(inodes));
	}

	/**
	 * Parses link targets such as {@code net:[4026531840]}; the type is taken from the target itself.
	 * Unknown types are ignored.
	 */
	public static NamespaceInodes parse(List<String> linkTargets) {
		Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
		for (String target : linkTargets) {
			Matcher m = LINK.matcher(target.trim());
			if (!m.matches()) {
				throw new IllegalArgumentException("not a namespace link target: " + target);
			}
			for (NamespaceType type : NamespaceType.values()) {
				if (type.procName().equals(m.group(1))) {
					inodes.put(type, Long.parseLong(m.group(2)));
				}
			}
		}
		return new NamespaceInodes(inodes);
	}

	/**
	 * Reads the links of {@code procRoot/PID/ns/<type>} for all eight types.
	 *
	 * @throws NoSuchFileException when the process does not exist
	 */
	public static NamespaceInodes read(Path procRoot, long pid) throws IOException {
		Path nsDir = ProcFiles.pidDir(procRoot, pid).resolve("ns");
		if (!Files.isDirectory(nsDir)) {
			throw new NoSuchFileException(nsDir.toString(), null, "no such process");
		}
		List<String> targets = new ArrayList<>();
		for (NamespaceType type : NamespaceType.values()) {
			try {
				targets.add(Files.readSymbolicLink(nsDir.resolve(type.procName())).toString());
			} catch (NoSuchFileException e) {
				// this kernel has no such namespace type
			}
		}
		return parse(targets);
	}

	public OptionalLong inode(NamespaceType type) {
		Long inode = inodes.get(type);
		return inode == null ? OptionalLong.empty() : OptionalLong.of(inode);
	}

	/** True when both processes are in the same namespace of this type (false if either lacks it). */
	public boolean shares(NamespaceInodes other, NamespaceType type) {
		return inodes.containsKey(type) && inodes.get(type).equals(other.inodes.get(type));
	}
}
