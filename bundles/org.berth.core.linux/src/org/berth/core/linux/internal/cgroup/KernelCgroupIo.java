package org.berth.core.linux.internal.cgroup;

import org.berth.core.linux.internal.sys.Sys;
import org.berth.core.linux.internal.sys.SysException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link CgroupIo} on the real cgroup filesystems: java.nio for directories, {@link Sys} for writes and kill. */
final class KernelCgroupIo implements CgroupIo {
	static final KernelCgroupIo INSTANCE = new KernelCgroupIo();

	private KernelCgroupIo() {
	}

	@Override
	public void mkdir(Path dir) throws SysException {
		try {
			Files.createDirectory(dir);
		} catch (IOException e) {
			throw Sys.translate("mkdir", dir, e);
		}
	}

	@Override
	public void rmdir(Path dir) throws SysException {
		try {
			Files.delete(dir);
		} catch (IOException e) {
			throw Sys.translate("rmdir", dir, e);
		}
	}

	@Override
	public void write(Path file, String value) throws SysException {
		Sys.writeFile(file, value);
	}

	@Override
	public void kill(long pid, int signal) throws SysException {
		Sys.kill(pid, signal);
	}
}
