package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request the monitor's exec service reads (PROTOCOL.md, "Exec service"); the live path is in ContainerLifecycleTest. */
class ExecServiceTest {

	@Test
	void requestIsTheLengthThenNulTerminatedFields() {
		byte[] request = ExecService.request(List.of("--pid", "42", "--", "echo", "ü"), Path.of("/r/o"),
				Path.of("/r/e"));
		byte[] fields = (String.join("\u0000", "/r/o", "/r/e", "--pid", "42", "--", "echo", "ü") + "\u0000")
				.getBytes(StandardCharsets.UTF_8);
		byte[] head = ("EXEC " + fields.length + "\n").getBytes(StandardCharsets.US_ASCII);
		byte[] expected = new byte[head.length + fields.length];
		System.arraycopy(head, 0, expected, 0, head.length);
		System.arraycopy(fields, 0, expected, head.length, fields.length);
		assertArrayEquals(expected, request);
	}

	@Test
	void anArgumentWithNulIsRefusedNotCutShort() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> ExecService.request(List.of("--", "echo", "a\0b"), Path.of("/o"), Path.of("/e")));
		assertEquals("an argument contains a NUL character: a?b", e.getMessage());
	}

	@Test
	void withoutTheSocketTheCallerIsToldToUseTheHelper(@TempDir Path runDir) throws Exception {
		assertEquals(OptionalInt.empty(), ExecService.run(runDir, List.of("--pid", "1", "--", "true"),
				runDir.resolve("o"), runDir.resolve("e")));
	}
}
