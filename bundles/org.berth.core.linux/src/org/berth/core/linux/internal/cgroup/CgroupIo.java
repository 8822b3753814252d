package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.sys.SysException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the drivers ask of the kernel. The real implementation is {@link KernelCgroupIo}; tests substitute one
 * that works on a plain directory tree and imitates the few kernel reactions the drivers wait for.
 * Every failure is a {@link SysException} carrying errno.
 */
interface CgroupIo {

	/** mkdir of one level; EEXIST when it exists. */
	void mkdir(Path dir) throws SysException;

	/** rmdir; EBUSY while the group still has tasks or children. */
	void rmdir(Path dir) throws SysException;

	/** One write(2) of {@code value} to a control file. */
	void write(Path file, String value) throws SysException;

	/** kill(2); ESRCH when the process is gone. */
	void kill(long pid, int signal) throws SysException;

	/**
	 * The lines of a control file; {@link java.nio.file.NoSuchFileException} when it does not exist.
	 * Read as a stream: kernel files report size 0, and {@code Files.readAllBytes} then starts with a tiny
	 * read that some kernel files answer with a truncated value.
	 */
	default List<String> read(Path file) throws IOException {
		String text;
		try (InputStream in = Files.newInputStream(file)) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		return text.isEmpty() ? List.of() : List.of(text.split("\n"));
	}
}
