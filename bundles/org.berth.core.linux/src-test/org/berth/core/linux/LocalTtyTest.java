package org.berth.core.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Optional;

import org.berth.core.linux.internal.sys.Pty;
import org.berth.core.linux.internal.sys.Sys;
import org.junit.jupiter.api.Test;

/** The local terminal's size and raw mode, on a real PTY of this host (the test opens its slave). */
class LocalTtyTest {

	private static final int ISIG = 0x1;
	private static final int ICANON = 0x2;
	private static final int ECHO = 0x8;

	/** c_lflag of a struct termios: the fourth 32-bit field. */
	private static int localFlags(byte[] termios) {
		return (termios[12] & 0xff) | (termios[13] & 0xff) << 8 | (termios[14] & 0xff) << 16
				| (termios[15] & 0xff) << 24;
	}

	@Test
	void sizeRawModeAndBackAsItWas() throws Exception {
		Pty pty = Pty.openHost();
		try {
			pty.resize(132, 43);
			int fd = Sys.open(pty.hostSlavePath(), Sys.O_RDWR | Sys.O_NOCTTY | Sys.O_CLOEXEC);
			try {
				assertEquals(Optional.of(new LocalTty.Size(132, 43)), LocalTty.size(fd));
				byte[] before = Sys.tcgetattr(fd);
				assertNotEquals(0, localFlags(before) & ICANON, "a new terminal is line by line");
				byte[] saved = LocalTty.enterRaw(fd);
				assertArrayEquals(before, saved);
				assertEquals(0, localFlags(Sys.tcgetattr(fd)) & (ISIG | ICANON | ECHO),
						"raw: no signal keys, no lines, no echo");
				LocalTty.restore(fd, saved);
				assertArrayEquals(before, Sys.tcgetattr(fd));
			} finally {
				Sys.close(fd, "the slave");
			}
		} finally {
			pty.close();
		}
	}

	@Test
	void aDescriptorThatIsNoTerminalIsNothingToDo() throws Exception {
		int fd = Sys.open(Path.of("/dev/null"), Sys.O_RDWR | Sys.O_CLOEXEC);
		try {
			assertEquals(Optional.empty(), LocalTty.size(fd));
			assertNull(LocalTty.enterRaw(fd));
			LocalTty.restore(fd, new byte[64]); // quiet
		} finally {
			Sys.close(fd, "/dev/null");
		}
	}
}
