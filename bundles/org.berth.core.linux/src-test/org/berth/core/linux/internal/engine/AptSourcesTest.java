package org.berth.core.linux.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class AptSourcesTest {

	@Test
	void aDeb822StanzaWithTheSuiteGivesItsFirstUri() {
		String text = """
				Types: deb
				# a comment
				URIs: http://mirror.example/debian http://other.example/debian
				Suites: bookworm bookworm-updates
				Components: main

				Types: deb
				URIs: http://mirror.example/debian-security
				Suites: bookworm-security
				""";
		assertEquals(Optional.of("http://mirror.example/debian"), AptSources.fromDeb822(text, "bookworm"));
		assertEquals(Optional.of("http://mirror.example/debian-security"),
				AptSources.fromDeb822(text, "bookworm-security"));
		assertEquals(Optional.empty(), AptSources.fromDeb822(text, "trixie"));
	}

	@Test
	void disabledStanzasAndSourceOnlyOnesAreSkipped() {
		String text = """
				Types: deb-src
				URIs: http://src.example/debian
				Suites: bookworm

				Enabled: no
				Types: deb
				URIs: http://off.example/debian
				Suites: bookworm
				""";
		assertEquals(Optional.empty(), AptSources.fromDeb822(text, "bookworm"));
	}

	@Test
	void oneLineSourcesWithOptionsAndComments() {
		String text = """
				# deb http://commented.example/debian bookworm main
				deb-src http://src.example/debian bookworm main
				deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib
				""";
		assertEquals(Optional.of("http://mirror.example/debian"), AptSources.fromList(text, "bookworm"));
		assertEquals(Optional.empty(), AptSources.fromList(text, "bullseye"));
	}
}
