package org.berth.core.linux.internal.proc;

import org.berth.core.linux.internal.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatusTest {
	private static final int CAP_SYS_MODULE = 16;
	private static final int CAP_SYS_RAWIO = 17;
	private static final int CAP_SYS_ADMIN = 21;
	private static final int CAP_SYS_TIME = 25;
	private static final int CAP_MAC_OVERRIDE = 32;
	private static final int CAP_MAC_ADMIN = 33;

	@Test
	void capabilityMasksShowWhatTheContainerDropped() {
		ProcStatus status = ProcStatus.parse(Fixtures.lines("proc/status-container-init.txt"));
		long bounding = status.capBnd();
		assertEquals(0x000001fcfdfcffffL, bounding);
		assertEquals(bounding, status.capEff());
		assertEquals(bounding, status.capPrm());
		assertEquals(0, status.capInh());
		assertEquals(0, status.capAmb());
		for (int dropped : new int[]{CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_TIME, CAP_MAC_OVERRIDE, CAP_MAC_ADMIN}) {
			assertFalse(ProcStatus.has(bounding, dropped), "capability " + dropped + " is dropped");
		}
		assertTrue(ProcStatus.has(bounding, CAP_SYS_ADMIN));
		assertTrue(ProcStatus.has(bounding, 40));
		assertFalse(ProcStatus.has(bounding, 41));
	}

	@Test
	void otherFieldsAreText() {
		ProcStatus status = ProcStatus.parse(Fixtures.lines("proc/status-container-init.txt"));
		assertEquals(Optional.of("init"), status.field("Name"));
		assertEquals(Optional.of("11129\t1"), status.field("NSpid"));
		assertEquals(Optional.of("S (sleeping)"), status.field("State"));
		assertEquals(Optional.empty(), status.field("Nope"));
	}

	@Test
	void aFullMaskParsesUnsigned() {
		assertEquals(-1L, ProcStatus.parse(List.of("CapBnd:\tffffffffffffffff")).capBnd());
		assertThrows(IllegalStateException.class, () -> ProcStatus.parse(List.of("Name:\tx")).capEff());
	}
}
