package org.berth.core.linux.internal.sys;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SignalsTest {

	@Test
	void numbersByNameInEveryUsualSpelling() {
		assertEquals(OptionalInt.of(15), Signals.number("TERM"));
		assertEquals(OptionalInt.of(15), Signals.number("SIGTERM"));
		assertEquals(OptionalInt.of(15), Signals.number("sigterm"));
		assertEquals(OptionalInt.of(15), Signals.number("15"));
		assertEquals(OptionalInt.of(9), Signals.number("KILL"));
		assertEquals(OptionalInt.of(30), Signals.number("SIGPWR"));
		assertEquals(OptionalInt.of(12), Signals.number("USR2"));
		assertEquals(OptionalInt.of(6), Signals.number("IOT"));
	}

	@Test
	void realTimeSignalsFollowGlibc() {
		assertEquals(OptionalInt.of(37), Signals.number("SIGRTMIN+3"), "systemd's halt signal");
		assertEquals(OptionalInt.of(34), Signals.number("RTMIN"));
		assertEquals(OptionalInt.of(63), Signals.number("rtmax-1"));
		assertEquals(OptionalInt.empty(), Signals.number("RTMIN-1"));
		assertEquals(OptionalInt.empty(), Signals.number("RTMAX+1"));
	}

	@Test
	void unknownNamesAreEmpty() {
		assertEquals(OptionalInt.empty(), Signals.number("BOGUS"));
		assertEquals(OptionalInt.empty(), Signals.number("0"));
		assertEquals(OptionalInt.empty(), Signals.number("65"));
		assertEquals(OptionalInt.empty(), Signals.number(""));
	}

	@Test
	void namesByNumber() {
		assertEquals("SIGTERM", Signals.name(15));
		assertEquals("SIGKILL", Signals.name(Signals.SIGKILL));
		assertEquals("SIGRTMIN+3", Signals.name(37));
		assertEquals("SIGRTMIN", Signals.name(34));
		assertEquals("signal 0", Signals.name(0));
		for (int n = 1; n <= 64; n++) {
			if (n != 32 && n != 33) {
				assertEquals(OptionalInt.of(n), Signals.number(Signals.name(n)), "round trip of " + n);
			}
		}
	}
}
