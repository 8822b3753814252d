package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.berth.core.linux.internal.proc.MountInfo;
import org.junit.jupiter.api.Test;

/** When the engine uses LXCFS and what it says without it, on fixture mountinfo lines (no root, no lxcfs). */
class LxcfsTest {

	private static final Path AT = Path.of("/var/lib/lxcfs");
	private static final String ROOT = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw";
	private static final String LXCFS = "46 22 0:41 / /var/lib/lxcfs rw,nosuid,nodev,relatime shared:30 - fuse.lxcfs"
			+ " lxcfs rw,user_id=0,group_id=0,allow_other";
	private static final String TMPFS_OVER = "47 46 0:42 / /var/lib/lxcfs rw,relatime shared:31 - tmpfs tmpfs rw";
	private static final String ELSEWHERE = "48 22 0:43 / /tmp/lxcfs rw,relatime shared:32 - fuse.lxcfs lxcfs rw";

	/** An lxcfs that answers; the fixture's mount is not really there. */
	private static final Lxcfs.Answer ANSWERS = at -> {
	};

	private static MountInfo mounts(String... lines) {
		return MountInfo.parse(List.of(lines));
	}

	@Test
	void onlyAVisibleLxcfsMountAtThePlaceCounts() {
		assertTrue(Lxcfs.mountedAt(mounts(ROOT, LXCFS), AT));
		assertFalse(Lxcfs.mountedAt(mounts(ROOT), AT), "nothing mounted");
		assertFalse(Lxcfs.mountedAt(mounts(ROOT, LXCFS, TMPFS_OVER), AT), "hidden under a later mount");
		assertFalse(Lxcfs.mountedAt(mounts(ROOT, ELSEWHERE), AT), "lxcfs at another place");
		assertTrue(Lxcfs.mountedAt(mounts(ROOT, ELSEWHERE), Path.of("/tmp/lxcfs")));
	}

	@Test
	void aStartGetsTheMountPointOnlyWhileLxcfsIsMounted() {
		assertEquals(Optional.of(AT), new Lxcfs(AT, () -> mounts(ROOT, LXCFS), ANSWERS).forStart());
		assertEquals(Optional.empty(), new Lxcfs(AT, () -> mounts(ROOT), ANSWERS).forStart());
		assertEquals(Optional.empty(), new Lxcfs(null, () -> mounts(ROOT, LXCFS), ANSWERS).forStart(),
				"not configured");
		assertEquals(Optional.empty(), new Lxcfs(AT, () -> {
			throw new IOException("unreadable");
		}, ANSWERS).forStart(), "unreadable mounts: the kernel's files");
	}

	@Test
	void withoutLxcfsTheLimitationSaysWhatContainersSeeAndWhatToDo() {
		String sentence = new Lxcfs(AT, () -> mounts(ROOT), ANSWERS).limitation().orElseThrow();
		assertTrue(sentence.startsWith("LXCFS is not mounted at /var/lib/lxcfs, so inside containers free, top and"
				+ " uptime show the host's"), sentence);
		assertTrue(sentence.contains("lxcfs --enable-cfs /var/lib/lxcfs"), sentence);
		assertEquals(Optional.empty(), new Lxcfs(AT, () -> mounts(ROOT, LXCFS), ANSWERS).limitation());
		assertEquals(Optional.empty(), new Lxcfs(null, () -> mounts(ROOT), ANSWERS).limitation(),
				"not configured: no word");
	}

	@Test
	void theLimitationIsAnsweredFromABriefCacheButAStartAlwaysLooks() {
		AtomicInteger reads = new AtomicInteger();
		Lxcfs lxcfs = new Lxcfs(AT, () -> {
			reads.incrementAndGet();
			return mounts(ROOT, LXCFS);
		}, ANSWERS);
		lxcfs.limitation();
		lxcfs.limitation();
		assertEquals(1, reads.get(), "a console refresh does not read mountinfo each time");
		lxcfs.forStart();
		assertEquals(2, reads.get(), "a start checks the mount now");
	}

	@Test
	void aMountWhoseLxcfsHasEndedCountsAsNoneAndTheLimitationSaysHowToMendIt() {
		AtomicInteger asked = new AtomicInteger();
		Lxcfs dead = new Lxcfs(AT, () -> mounts(ROOT, LXCFS), at -> {
			asked.incrementAndGet();
			throw new FileSystemException(at.resolve("proc/cpuinfo").toString(), null,
					"Transport endpoint is not connected");
		});
		assertEquals(Optional.empty(), dead.forStart(), "a start goes on without the dead mount");
		assertEquals(1, asked.get());
		String sentence = dead.limitation().orElseThrow();
		assertTrue(sentence.startsWith("LXCFS is mounted at /var/lib/lxcfs but does not answer (Transport endpoint"
				+ " is not connected): its process has ended."), sentence);
		assertTrue(sentence.contains("umount -l /var/lib/lxcfs"), sentence);
		assertEquals(Optional.empty(), new Lxcfs(AT, () -> mounts(ROOT), at -> {
			throw new AssertionError("nothing mounted: nothing to ask");
		}).forStart());
		assertEquals(Optional.of(AT), new Lxcfs(AT, () -> mounts(ROOT, LXCFS), ANSWERS).forStart());
	}
}
