package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;

import org.berth.core.ContainerEngine;
import org.berth.ui.editor.CheckpointsPage;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Checkpoints page over an engine that cannot checkpoint (the interface's defaults, as the agent's client has
 * them today): the engine's sentence instead of an empty table. No root needed.
 */
@ExtendWith(Workbench.class)
class CheckpointsUnsupportedTest {

	/** An engine of the interface's default methods alone; it knows no container. */
	private static ContainerEngine defaultsOnly() {
		InvocationHandler h = (proxy, m, args) -> {
			if (m.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, m, args);
			}
			return switch (m.getName()) {
				case "get" -> Optional.empty();
				case "toString" -> "defaults-only engine";
				case "hashCode" -> System.identityHashCode(proxy);
				case "equals" -> proxy == args[0];
				default -> null;
			};
		};
		return (ContainerEngine) Proxy.newProxyInstance(ContainerEngine.class.getClassLoader(),
				new Class<?>[]{ContainerEngine.class}, h);
	}

	@Test
	void anEngineThatCannotCheckpointIsSaidInPlaceOfTheTable() throws Exception {
		ContainerEngine engine = defaultsOnly();
		CheckpointsPage page = Workbench.sync(() -> {
			Shell shell = new Shell(Workbench.display());
			shell.setText("Checkpoints over an engine that cannot");
			shell.setLayout(new FillLayout());
			CheckpointsPage p = new CheckpointsPage(engine, "web");
			p.create(shell);
			shell.setSize(700, 360);
			shell.open();
			p.refresh();
			return p;
		});
		try {
			Workbench.waitUntil("the sentence", Duration.ofSeconds(30), () -> !Workbench.sync(page::tableShown));
			assertEquals("Checkpoints are not available here: this engine keeps no checkpoints.",
					Workbench.sync(page::status));
			assertFalse(Workbench.sync(page::tableShown));
		} finally {
			Workbench.syncRun(() -> Widgets.shell("Checkpoints over an engine that cannot").close());
		}
	}
}
