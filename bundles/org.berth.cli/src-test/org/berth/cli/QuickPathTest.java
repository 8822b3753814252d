package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.berth.core.AgentChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which command lines take the quick path, and that it leaves the rest to the full one untouched (the agent's answers
 * on the quick path are checked against a real agent in AgentTest).
 */
class QuickPathTest {

	@Test
	void onlyAPlainExecIsQuick() {
		assertEquals(List.of("true"), QuickPath.execCommand(new String[]{"exec", "c1", "--", "true"}));
		assertEquals(List.of("sh", "-c", "x"), QuickPath.execCommand(new String[]{"exec", "c1", "sh", "-c", "x"}));
		assertEquals(List.of("--"), QuickPath.execCommand(new String[]{"exec", "c1", "--", "--"}),
				"only the first -- is the separator, as ExecCommand reads it");
		assertNull(QuickPath.execCommand(new String[]{"exec", "-e", "A=1", "c1", "--", "true"}), "options");
		assertNull(QuickPath.execCommand(new String[]{"exec", "--help"}));
		assertNull(QuickPath.execCommand(new String[]{"exec", "lab:c1", "--", "true"}), "a remote's container");
		assertNull(QuickPath.execCommand(new String[]{"exec", "c1", "--"}), "no command: the usage error");
		assertNull(QuickPath.execCommand(new String[]{"exec", "c1"}));
		assertNull(QuickPath.execCommand(new String[]{"attach", "c1", "--", "sh"}));
	}

	@Test
	void everythingElseGoesTheFullWayWithNothingWrittenOrRead(@TempDir Path dir) {
		AgentChoice agent = new AgentChoice(true, dir.resolve("no-agent.sock"), false);
		AgentChoice local = new AgentChoice(false, dir.resolve("no-agent.sock"), false);
		List<String[]> lines = List.of(new String[]{"list"}, new String[]{"ls", "--json"},
				new String[]{"exec", "c1", "--", "true"});
		for (String[] args : lines) {
			// no agent answers: the full path says so in its words, or starts one for root
			assertFull(args, agent, Map.of());
			assertFull(args, local, Map.of()); // the engine in this process
			assertFull(args, agent, Map.of("BERTH_QUICK", "0"));
		}
		assertFull(new String[]{"list", "--tag", "web"}, agent, Map.of());
		assertFull(new String[]{"list", "--json", "--json"}, agent, Map.of());
		assertFull(new String[]{"--remote", "lab", "list"}, agent, Map.of());
		assertFull(new String[]{"start", "c1"}, agent, Map.of());
		assertFull(new String[]{}, agent, Map.of());
	}

	private static void assertFull(String[] args, AgentChoice choice, Map<String, String> env) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ByteArrayInputStream in = new ByteArrayInputStream("input".getBytes());
		int code = QuickPath.run(args, choice, env, in, new PrintStream(out), new PrintStream(err));
		assertEquals(QuickPath.FULL_PATH, code, String.join(" ", args));
		assertEquals(0, out.size() + err.size(), "nothing printed: " + String.join(" ", args));
		assertEquals(5, in.available(), "nothing of standard input read");
	}
}
