package org.berth.core.linux.internal.sys;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class SysExceptionTest {

	@Test
	void messageNamesOperationTargetAndStrerror() {
		SysException e = SysException.of("pidfd_open", "4242", Errno.ESRCH);
		assertEquals("pidfd_open(4242): No such process", e.getMessage());
		assertEquals("pidfd_open", e.operation());
		assertEquals("4242", e.target());
		assertEquals(Errno.ESRCH, e.errno());
		assertInstanceOf(IOException.class, e);
	}

	@Test
	void permissionErrorsSayRootIsNeeded() {
		assertEquals("open(/sys/fs/cgroup/memory/x/cgroup.procs): Operation not permitted; this needs root",
				SysException.of("open", "/sys/fs/cgroup/memory/x/cgroup.procs", Errno.EPERM).getMessage());
		assertEquals("kill(1, SIGKILL): Permission denied; this needs root",
				SysException.of("kill", "1, SIGKILL", Errno.EACCES).getMessage());
	}

	@Test
	void javaNioFailuresKeepTheirErrno() {
		Path dir = Path.of("/sys/fs/cgroup/memory/berth/c1");
		SysException busy = Sys.translate("rmdir", dir,
				new FileSystemException(dir.toString(), null, "Device or resource busy"));
		assertEquals(Errno.EBUSY, busy.errno());
		assertEquals("rmdir(/sys/fs/cgroup/memory/berth/c1): Device or resource busy", busy.getMessage());
		assertEquals(Errno.ENOENT, Sys.translate("mkdir", dir, new NoSuchFileException(dir.toString())).errno());
		assertEquals(Errno.EEXIST,
				Sys.translate("mkdir", dir, new FileAlreadyExistsException(dir.toString())).errno());
		assertEquals(Errno.ENOSPC, Sys.errnoOf(new IOException("No space left on device")));
		assertEquals(0, Sys.errnoOf(new IOException("something else")));
	}

	@Test
	void strerrorComesFromTheCLibrary() {
		assertEquals("Device or resource busy", Sys.strerror(Errno.EBUSY));
		assertEquals("Input/output error", Sys.strerror(Errno.EIO));
	}
}
