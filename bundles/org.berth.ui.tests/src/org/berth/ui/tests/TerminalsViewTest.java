package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.core.ContainerSpec;
import org.berth.core.TerminalRequest;
import org.berth.ui.terminal.TerminalTab;
import org.berth.ui.terminal.TerminalsView;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Terminals view on a real container (root, busybox template): a tab opens a shell sized to the widget, a
 * command typed into the widget answers in the widget, a resize of the window reaches a foreground job, 10 MiB of
 * output are shown, closing the tab ends the shell. Screenshot: terminal.png.
 */
class TerminalsViewTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String NAME = "uit-term";
	private Point before;

	@BeforeEach
	void setUp() throws Exception {
		workbench.run(ContainerSpec.builder(NAME).template("busybox").build());
	}

	@AfterEach
	void restoreTheWindowSize() {
		// leave the workbench as the other tests expect it (the extension hides the Terminals view)
		if (before != null) {
			Workbench.syncRun(() -> Workbench.window().getShell().setSize(before));
		}
	}

	private static String text(TerminalTab tab) {
		return Workbench.sync(() -> {
			tab.terminal().selectAll();
			String all = tab.terminal().getSelection();
			return all == null ? "" : all;
		});
	}

	private static Matcher awaitText(TerminalTab tab, String regex) throws InterruptedException {
		Pattern p = Pattern.compile(regex);
		Matcher[] found = new Matcher[1];
		Workbench.waitUntil("/" + regex + "/ in the terminal", TIMEOUT, () -> {
			Matcher m = p.matcher(text(tab));
			if (m.find()) {
				found[0] = m;
				return true;
			}
			return false;
		});
		return found[0];
	}

	private static void type(TerminalTab tab, String line) {
		Workbench.syncRun(() -> tab.terminal().pasteString(line + "\r"));
	}

	@Test
	void aTabRunsAShellSizedToTheWidgetFollowsResizesAndEndsWithTheTab() throws Exception {
		long t0 = System.nanoTime();
		TerminalsView view = Workbench.showView(TerminalsView.ID, TerminalsView.class);
		TerminalTab tab = Workbench.sync(() -> view.open(NAME, TerminalRequest.shell(80, 24)).orElseThrow());
		awaitText(tab, "# ");
		System.out.println("[ui-terminal] open to first prompt in the widget: "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
		int[] size = tab.size();
		assertTrue(size[0] > 10 && size[1] > 3, "the widget has a size: " + size[0] + "x" + size[1]);

		type(tab, "echo \"S=$(stty size) T=$(tty)\"");
		Matcher m = awaitText(tab, "S=(\\d+) (\\d+) T=(/dev/pts/\\d+)");
		assertEquals(size[1] + " " + size[0], m.group(1) + " " + m.group(2),
				"the shell started with the widget's size");
		assertTrue(Workbench.sync(() -> tab.item().getText()).contains("/dev/pts/"), "the tab names the terminal");

		// a smaller window: the widget's new size reaches a foreground job (ash ignores SIGWINCH at the prompt)
		type(tab, "sh -c 'trap \"echo W=\\$(stty size)\" WINCH; echo TRAP\"\"SET; while :; do sleep 0.1; done'");
		awaitText(tab, "TRAPSET");
		Shell shell = Workbench.sync(() -> Workbench.window().getShell());
		before = Workbench.sync(shell::getSize);
		Workbench.syncRun(() -> shell.setSize(before.x - 240, before.y - 160));
		Workbench.waitUntil("the widget's size changes", TIMEOUT, () -> tab.size()[0] != size[0]
				|| tab.size()[1] != size[1]);
		int[] smaller = tab.size();
		awaitText(tab, "W=" + smaller[1] + " " + smaller[0]);
		Screenshots.save(shell, "terminal");
		Workbench.syncRun(() -> tab.terminal().sendKey('\u0003'));

		// 10 MiB through the widget
		type(tab, "yes 0123456789012345678901234567890123456789012345678901234567890123456789 | head -c 10485760 >"
				+ " /tmp/big; echo M\"\"ADE");
		awaitText(tab, "MADE");
		long c0 = System.nanoTime();
		type(tab, "cat /tmp/big; echo CAT\"\"DONE");
		awaitText(tab, "CATDONE");
		System.out.println("[ui-terminal] cat of 10 MiB shown in the widget: "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0) + " ms");

		// closing the tab ends the shell
		Workbench.syncRun(tab::close);
		int status = tab.session().onExit().get(30, TimeUnit.SECONDS);
		assertEquals(128 + 1, status, "the shell ended on SIGHUP");
	}
}
