package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.berth.core.linux.internal.sys.Errno;
import org.berth.core.linux.internal.sys.SysException;
import org.junit.jupiter.api.Test;

/** The sentences the engine makes of system call failures (no root). */
class TranslateTest {

	@Test
	void aMissingPathInsideAContainerIsSaidPlainly() {
		assertEquals("web:/nonexistent does not exist", EngineContext.translate("pull", "web:/nonexistent",
				SysException.of("openat2", "web:/nonexistent", Errno.ENOENT)).getMessage());
		assertEquals("mkdir(/x): Permission denied; this needs root", EngineContext.translate("make", "/x",
				SysException.of("mkdir", "/x", Errno.EACCES)).getMessage());
	}
}
