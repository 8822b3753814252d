package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalsAndCapabilitiesTest {

	@ParameterizedTest
	@CsvSource({"SIGHUP, 1", "SIGINT, 2", "SIGKILL, 9", "SIGUSR1, 10", "SIGUSR2, 12", "SIGTERM, 15", "SIGCHLD, 17",
			"SIGSTOP, 19", "SIGWINCH, 28", "SIGPWR, 30", "SIGSYS, 31", "SIGRTMIN, 34", "SIGRTMIN+3, 37",
			"SIGRTMAX, 64", "SIGRTMAX-1, 63", "term, 15", "usr2, 12", "15, 15", "SIGIOT, 6", "sigrtmin+3, 37",
			"RTMIN+30, 64"})
	void signalNumbersOfLinuxX8664(String name, int number) {
		assertEquals(number, Signals.signalNumber(name));
	}

	@ParameterizedTest
	@ValueSource(strings = {"SIGFOO", "SIGRTMIN+31", "SIGRTMAX+1", "0", "32", "33", "65", "", "SIG"})
	void unknownSignals(String name) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.signalNumber(name));
		assertEquals("\"" + name + "\" is not a signal; use a name such as SIGTERM, SIGUSR2, SIGPWR or SIGRTMIN+3",
				e.getMessage());
		assertFalse(Signals.isKnown(name));
	}

	@Test
	void signalNames() {
		assertEquals("SIGUSR2", Signals.name(12));
		assertEquals("SIGRTMIN", Signals.name(34));
		assertEquals("SIGRTMIN+3", Signals.name(37));
		assertEquals("SIGRTMAX", Signals.name(64));
		assertEquals("SIGABRT", Signals.canonicalName("SIGIOT"));
		assertEquals("SIGRTMIN+3", Signals.canonicalName("rtmax-27"));
		assertEquals("32 is not a signal number; Linux signals are 1 to 31 and 34 to 64",
				assertThrows(IllegalArgumentException.class, () -> Signals.name(32)).getMessage());
	}

	@Test
	void capabilityTable() {
		assertEquals(41, Capability.values().length);
		for (Capability c : Capability.values()) {
			assertEquals(c.ordinal(), c.number(), c.name());
			assertTrue(c.name().startsWith("CAP_"));
		}
		assertEquals(0, Capability.CAP_CHOWN.number());
		assertEquals(13, Capability.CAP_NET_RAW.number());
		assertEquals(21, Capability.CAP_SYS_ADMIN.number());
		assertEquals(25, Capability.CAP_SYS_TIME.number());
		assertEquals(33, Capability.CAP_MAC_ADMIN.number());
		assertEquals(40, Capability.CAP_CHECKPOINT_RESTORE.number());
		assertEquals(40, Capability.lastNumber());
		assertEquals(Optional.of(Capability.CAP_SYS_TIME), Capability.find("sys_time"));
		assertEquals(Optional.of(Capability.CAP_BPF), Capability.ofNumber(39));
		assertEquals(Optional.empty(), Capability.ofNumber(41));
		assertEquals("\"CAP_NET_RAWW\" is not a Linux capability; did you mean CAP_NET_RAW?",
				assertThrows(IllegalArgumentException.class, () -> Capability.parse("CAP_NET_RAWW")).getMessage());
		for (String c : ContainerSpec.DEFAULT_DROPPED_CAPABILITIES) {
			assertTrue(Capability.find(c).isPresent(), c);
		}
	}
}
