package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelperBinaryTest {

	@TempDir
	Path tmp;

	private Path helperIn(String folderMode) throws Exception {
		Path dir = Files.createDirectory(tmp.resolve("d" + folderMode.hashCode()));
		Path helper = Files.writeString(dir.resolve("berth-helper"), "#!/bin/sh\n");
		Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(folderMode));
		Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
		return helper;
	}

	@Test
	void aHelperOthersCanReachIsUsedWhereItIs() throws Exception {
		Path helper = helperIn("rwxr-xr-x");
		assertEquals(helper, HelperBinary.locate(helper, tmp.resolve("run")));
	}

	@Test
	void aHelperInAFolderOthersMayNotPassIsCopiedUnderTheRunRoot() throws Exception {
		Path helper = helperIn("rwx------");
		Path run = tmp.resolve("run");
		Path located = HelperBinary.locate(helper, run);
		assertTrue(located.startsWith(run.resolve(".bin")), located.toString());
		assertArrayEquals(Files.readAllBytes(helper), Files.readAllBytes(located));
		assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve(".bin"))));
		assertEquals(located, HelperBinary.locate(helper, run), "the same copy again");
	}
}
