package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.berth.ui.editor.ConsoleText;
import org.junit.jupiter.api.Test;

/** Console output made plain for the editor's Console log page: no display needed. */
class ConsoleTextTest {

	@Test
	void coloursCursorMovesAndTitlesGo() {
		ConsoleText t = new ConsoleText();
		assertEquals("ok done\n", t.feed("\u001b[1;32mok\u001b[0m done\u001b[K\r\n"));
		assertEquals("prompt# ", t.feed("\u001b]0;c1:~\u0007prompt# \u001b[6n"));
		assertEquals("title by ST, charset\n", t.feed("\u001b]2;x\u001b\\title by ST\u001b(B, charset\u001b7\n"));
	}

	@Test
	void aSequenceCutBetweenReadsIsHeldUntilItEnds() {
		ConsoleText t = new ConsoleText();
		assertEquals("a", t.feed("a\u001b"));
		assertEquals("", t.feed("[3"));
		assertEquals("b", t.feed("1mb\r"));
		assertEquals("\nc", t.feed("\nc\u001b]0;half a ti"));
		assertEquals("d", t.feed("tle\u0007d"));
	}

	@Test
	void backspaceTakesBackACharacterOfTheSameLineAndControlsGo() {
		ConsoleText t = new ConsoleText();
		assertEquals("ls\n", t.feed("lx\b \bs\n"));
		assertEquals("\tbell", t.feed("\b\t\u0007bell\u0000\u007f"));
		assertEquals("grüße ✓", t.feed("grüße ✓"));
	}

	@Test
	void anEndlessSequenceIsDroppedNotHeldForEver() {
		ConsoleText t = new ConsoleText();
		assertEquals("", t.feed("\u001b]0;" + "x".repeat(5000)));
		assertEquals("after", t.feed("after"));
	}

	@Test
	void aLogTooLongForThePageKeepsItsNewestHalfFromALineStart() {
		StringBuilder log = new StringBuilder();
		for (int i = 0; log.length() < 300; i++) {
			log.append("line ").append(i).append('\n');
		}
		String all = log.toString();
		assertEquals(all, ConsoleText.newestHalf(all, all.length()), "what fits stays whole");
		String kept = ConsoleText.newestHalf(all, 200);
		assertTrue(kept.length() <= 100, kept.length() + " characters");
		assertTrue(kept.startsWith("line "), "from a line start: " + kept);
		assertTrue(all.endsWith(kept), "the newest part");
		assertTrue(kept.length() > 100 - 10, "only the cut line goes: " + kept.length());
		assertEquals("x".repeat(50), ConsoleText.newestHalf("x".repeat(150), 100), "no line end: the half as it is");
	}
}
