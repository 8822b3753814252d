package org.berth.ui.tests;

import static org.berth.ui.tests.Workbench.sync;
import static org.berth.ui.tests.Workbench.window;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.berth.core.ContainerSpec;
import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.handlers.OpenContainerHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The editor's Files page on a real container: it lists the root, goes into /etc, and a file saved through it is
 * what the container then has. Screenshot {@code files-page.png}.
 */
class FilesPageTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String A = "files-ui-a";

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	@Test
	void theFilesPageListsAFolderAndSavesAFile() throws Exception {
		workbench.define(ContainerSpec.builder(A).template("busybox").build());
		ContainerEditor editor = sync(() -> {
			try {
				return OpenContainerHandler.open(window().getActivePage(), A);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		Workbench.syncRun(() -> editor.showPage(editor.filesPageIndex()));
		Workbench.waitUntil("the root listed", TIMEOUT, () -> sync(() -> editor.fileNames().contains("etc")));
		Workbench.syncRun(() -> editor.showFolder("/etc"));
		Workbench.waitUntil("/etc listed", TIMEOUT, () -> sync(() -> editor.filesFolder().equals("/etc")
				&& editor.fileNames().contains("passwd")));
		Workbench.syncRun(() -> editor.saveFile("/etc/motd", "welcome to " + A + "\n"));
		Workbench.waitUntil("motd in the list", TIMEOUT, () -> sync(() -> editor.fileNames().contains("motd")));
		assertEquals("welcome to " + A + "\n", new String(Workbench.get(workbench.engine().readFile(A, "/etc/motd",
				1024)), StandardCharsets.UTF_8));
		Screenshots.save(sync(() -> window().getShell()), "files-page");
	}
}
