package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import org.berth.core.ShellWords;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

	@Test
	void shellWords() {
		assertEquals(List.of("/sbin/init"), ShellWords.split("/sbin/init"));
		assertEquals(List.of("/bin/sh", "-c", "echo 'hi' \"there\"", "x y"),
				ShellWords.split("  /bin/sh -c \"echo 'hi' \\\"there\\\"\"  x\\ y "));
		assertEquals(List.of("a", "", "b$c"), ShellWords.split("a '' 'b$c'"));
		assertEquals(List.of("it's"), ShellWords.split("'it'\\''s'"));
		assertThrows(IllegalArgumentException.class, () -> ShellWords.split("  "));
		assertThrows(IllegalArgumentException.class, () -> ShellWords.split("sh -c 'x"));
		assertThrows(IllegalArgumentException.class, () -> ShellWords.split("sh -c \"x"));
	}

	@Test
	void tables() {
		Table t = new Table("A", "BBBB", "C").row("xxx", null, "z").row("", "y", "");
		assertEquals(List.of("A    BBBB  C", "xxx  -     z", "     y"), t.lines());
		assertThrows(IllegalArgumentException.class, () -> t.row("1"));
		assertEquals(List.of("k  v"), Table.withoutHeader(2).row("k", "v").lines());
	}

	@Test
	void durations() {
		assertEquals("0s", Formats.duration(0));
		assertEquals("59s", Formats.duration(59));
		assertEquals("2m 5s", Formats.duration(125));
		assertEquals("1h 02m", Formats.duration(3725));
		assertEquals("2d 3h", Formats.duration(2 * 86400 + 3 * 3600 + 59));
	}

	@Test
	void onlyTheNamedCommandIsBuiltButHelpAndMistakesSeeThemAll() {
		PrintStream sink = new PrintStream(new ByteArrayOutputStream());
		try (Context ctx = new Context(sink, sink, () -> {
			throw new AssertionError("no engine is needed to build a command line");
		}, false)) {
			assertEquals(Set.of("list"), names(Main.commandLine(ctx, new String[]{"list", "--json"})));
			assertEquals(Set.of("destroy"), names(Main.commandLine(ctx, new String[]{"rm", "c1"})),
					"an alias builds its command");
			for (String[] args : List.of(new String[]{}, new String[]{"--help"}, new String[]{"help", "list"},
					new String[]{"lst"})) {
				Set<String> all = names(Main.commandLine(ctx, args));
				assertEquals(true, all.containsAll(Set.of("list", "create", "exec", "attach", "help")),
						String.join(" ", args) + ": " + all);
			}
		}
	}

	private static Set<String> names(picocli.CommandLine cl) {
		return cl.getSubcommands().values().stream().map(picocli.CommandLine::getCommandName)
				.collect(java.util.stream.Collectors.toSet());
	}
}
