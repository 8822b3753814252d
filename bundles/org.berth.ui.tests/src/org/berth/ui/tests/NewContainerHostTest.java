package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.berth.client.inventory.Connection;
import org.berth.client.inventory.Connections;
import org.berth.client.inventory.Inventory;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.testing.FakeEngine;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.wizards.NewContainerWizard;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * Issue 16, New Container on each kind of connection: the console's engine service replaced by an {@link Inventory} of
 * this process's engine, h2 (a FakeEngine with templates of its own, no images, and a container db; it refuses an
 * application container as an Incus server does) and h3, away. The wizard's Host list offers all three; on h2 the
 * template list is h2's, the name is checked against h2's containers, and Finish defines the container on h2 under its
 * bare name and nothing here; h3 says why it is away and keeps Finish off; what h2 cannot take is refused with its
 * sentence, not a stack trace. Screenshot: new-container-host.png.
 */
class NewContainerHostTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String AWAY = "no Berth agent answers at /run/berth/berth.sock on ssh://h3; trying again in"
			+ " 2 s";
	private static final String REFUSED = "h2 runs system containers with their image's init; an application"
			+ " container is not one of its kinds";

	/** h2: templates of its own, no images (as a Berth host over ssh may have none), no application containers. */
	static final class H2 extends FakeEngine {
		@Override
		public Set<String> templates() {
			return Set.of("alpine", "h2-base");
		}

		@Override
		public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
			if (spec.kind() == ContainerKind.APPLICATION) {
				return CompletableFuture.failedFuture(new UnsupportedOperationException(REFUSED));
			}
			return super.define(spec);
		}
	}

	/** h3: away, as an agent's client is while no agent answers. */
	static final class H3 extends FakeEngine {
		@Override
		public String connection() {
			return "Agent not connected";
		}

		@Override
		public List<String> limitations() {
			return List.of(AWAY);
		}
	}

	@Test
	void theWizardMakesAContainerOnTheChosenHost() throws Exception {
		ContainerEngine local = workbench.engine();
		H2 h2 = new H2();
		h2.addRunning(ContainerSpec.builder("db").template("alpine").build());
		H3 h3 = new H3();
		Inventory inventory = Inventory.of(Connection.borrowing(Connection.LOCAL, "this console's own engine",
				local), Connection.of("h2", "ssh://h2", h2), Connection.of("h3", "ssh://h3", h3));
		Hashtable<String, Object> ranking = new Hashtable<>();
		ranking.put(Constants.SERVICE_RANKING, 1000);
		ServiceRegistration<?> registration = FrameworkUtil.getBundle(Engines.class).getBundleContext()
				.registerService(new String[]{ContainerEngine.class.getName(), Connections.class.getName()}, inventory,
						ranking);
		try {
			assertTrue(Engines.find().orElseThrow() == inventory, "the console's engine is the inventory");
			WizardDialog dialog = openWizard(Engines.find().orElseThrow());
			Shell shell = Workbench.sync(dialog::getShell);
			NewContainerWizard wizard = (NewContainerWizard) Workbench.sync(() -> dialog.getCurrentPage()
					.getWizard());
			Combo host = Workbench.sync(() -> Widgets.byId(shell, "wizard.host"));
			Combo template = Workbench.sync(() -> Widgets.byId(shell, "wizard.template"));
			Text name = Workbench.sync(() -> Widgets.byId(shell, "wizard.name"));
			assertEquals(List.of("local — this console's own engine", "h2 — ssh://h2", "h3 — ssh://h3 (reconnecting)"),
					Workbench.sync(() -> List.of(host.getItems())));
			assertEquals("local — this console's own engine", Workbench.sync(host::getText), "local by default");
			assertTrue(Workbench.sync(() -> List.of(template.getItems())).contains("busybox (template)"));
			assertEquals("Host:", Workbench.sync(() -> labelBefore(host)).replace("&", ""));
			assertEquals("&Host:", Workbench.sync(() -> labelBefore(host)), "Alt+H");
			assertNoMnemonicCollides(dialog, shell);
			List<Control> tabs = Workbench.sync(() -> List.of(host.getParent().getTabList()));
			assertTrue(tabs.indexOf(host) >= 0 && tabs.indexOf(host) < tabs.indexOf(name), "Host, then Name: " + tabs);

			// h2: its templates, its containers
			Workbench.syncRun(() -> Widgets.choose(host, "h2 — ssh://h2"));
			assertEquals("h2", Workbench.sync(wizard::host));
			assertEquals(List.of("alpine (template)", "h2-base (template)"), Workbench.sync(() -> List.of(template
					.getItems())), "h2's templates (it keeps no images)");
			Workbench.syncRun(() -> Widgets.type(name, "db"));
			assertEquals("There is already a container named \"db\" on h2.", Workbench.sync(() -> dialog
					.getCurrentPage().getErrorMessage()));
			Workbench.syncRun(() -> Widgets.type(name, "uit-host-web"));
			assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()), "no uit-host-web on h2");
			Workbench.syncRun(() -> Widgets.choose(template, "h2-base (template)"));
			assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()), "h2-base is h2's template");
			assertTrue(Workbench.sync(() -> Widgets.button(shell, "Finish").isEnabled()));

			// h3 is away: listed, and says why; no Finish
			Workbench.syncRun(() -> Widgets.choose(host, "h3 — ssh://h3 (reconnecting)"));
			assertEquals("h3 is not connected: " + AWAY, Workbench.sync(() -> dialog.getCurrentPage()
					.getErrorMessage()));
			assertFalse(Workbench.sync(() -> Widgets.button(shell, "Finish").isEnabled()));
			Screenshots.save(shell, "new-container-host-away");

			// back to h2: the namespaces offered to share are h2's containers
			Workbench.syncRun(() -> Widgets.choose(host, "h2 — ssh://h2"));
			assertEquals(List.of("alpine (template)", "h2-base (template)"), Workbench.sync(() -> List.of(template
					.getItems())));
			Workbench.syncRun(() -> Widgets.choose(template, "h2-base (template)"));
			assertNull(Workbench.sync(() -> dialog.getCurrentPage().getErrorMessage()));
			Screenshots.save(shell, "new-container-host");
			Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Next >")));
			List<String> shareable = Workbench.sync(() -> List.of(((Combo) Widgets.byId(shell, "ns.net")).getItems()));
			assertTrue(shareable.stream().anyMatch(i -> i.endsWith("h2:db")), shareable.toString());
			assertFalse(shareable.stream().anyMatch(i -> i.contains("uit-")), "none of this host's: " + shareable);
			Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Next >")));
			Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Next >")));
			String command = Workbench.sync(() -> ((Text) Widgets.byId(shell, "wizard.command")).getText());
			assertTrue(command.contains(" h2:uit-host-web"), command);

			workbench.track("uit-host-web"); // removed should it be made here by mistake
			Workbench.syncRun(() -> Widgets.click(Widgets.button(shell, "Finish")));
			assertTrue(Workbench.sync(shell::isDisposed), "the wizard closed once the container was made");
			assertEquals(List.of("uit-host-web"), h2.defined.stream().map(ContainerSpec::name).toList(),
					"defined on h2 under its bare name");
			assertEquals("h2-base", h2.get("uit-host-web").orElseThrow().spec().template());
			assertTrue(local.get("uit-host-web").isEmpty(), "nothing here");
			assertTrue(h3.defined.isEmpty());

			// an application container, which h2 (as an Incus server) cannot take: its sentence, no stack trace
			WizardDialog again = openWizard(inventory);
			Shell shell2 = Workbench.sync(again::getShell);
			NewContainerWizard wizard2 = (NewContainerWizard) Workbench.sync(() -> again.getCurrentPage()
					.getWizard());
			Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell2, "wizard.host"), "h2 — ssh://h2"));
			Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell2, "wizard.name"), "uit-host-app"));
			Workbench.syncRun(() -> Widgets.choose(Widgets.byId(shell2, "wizard.kind"),
					"Application container (one program)"));
			Workbench.syncRun(() -> Widgets.type(Widgets.byId(shell2, "wizard.program"), "/bin/httpd -f"));
			assertNull(Workbench.sync(() -> again.getCurrentPage().getErrorMessage()));
			Workbench.syncRun(() -> Widgets.click(Widgets.button(shell2, "Finish")));
			// refused: the wizard stays open with the host's sentence, and what was typed is still there
			assertFalse(Workbench.sync(shell2::isDisposed), "the wizard stays open");
			assertEquals("Could not create \"h2:uit-host-app\": " + REFUSED, Workbench.sync(() -> again
					.getCurrentPage().getErrorMessage()));
			assertEquals("uit-host-app", Workbench.sync(() -> ((Text) Widgets.byId(shell2, "wizard.name"))
					.getText()));
			assertEquals("/bin/httpd -f", Workbench.sync(() -> ((Text) Widgets.byId(shell2, "wizard.program"))
					.getText()));
			assertNull(wizard2.job(), "nothing started");
			Screenshots.save(shell2, "new-container-host-refused");
			Workbench.syncRun(() -> Widgets.click(Widgets.button(shell2, "Cancel")));
			assertEquals(List.of("uit-host-web"), h2.defined.stream().map(ContainerSpec::name).toList());
		} finally {
			registration.unregister();
			inventory.close(); // h2 and h3; this process's engine is the workbench's
			Widgets.awaitJobs(BerthJobs.FAMILY, TIMEOUT);
		}
	}

	private static WizardDialog openWizard(ContainerEngine engine) {
		Shell parent = Workbench.sync(() -> Workbench.window().getShell());
		return Workbench.sync(() -> {
			WizardDialog d = NewContainerWizard.dialog(parent, engine);
			d.setBlockOnOpen(false);
			d.open();
			return d;
		});
	}

	/** The label in the grid cell before {@code c}. UI thread. */
	private static String labelBefore(Control c) {
		Control[] siblings = c.getParent().getChildren();
		for (int i = 1; i < siblings.length; i++) {
			if (siblings[i] == c && siblings[i - 1] instanceof Label l) {
				return l.getText();
			}
		}
		return null;
	}

	/** Alt+H and every other mnemonic of the first page reach one control, the dialog's buttons included. */
	private static void assertNoMnemonicCollides(WizardDialog dialog, Shell shell) {
		Map<Character, String> seen = new HashMap<>();
		List<Control> controls = Workbench
				.sync(() -> Widgets.all(shell, c -> (c instanceof Label || c instanceof Button)
						&& c.isVisible()));
		Workbench.syncRun(() -> {
			for (Control c : controls) {
				String text = c instanceof Label l ? l.getText() : ((Button) c).getText();
				int amp = text.indexOf('&');
				if (amp >= 0 && amp + 1 < text.length() && text.charAt(amp + 1) != '&') {
					String before = seen.put(Character.toLowerCase(text.charAt(amp + 1)), text);
					assertNull(before, "Alt+" + text.charAt(amp + 1) + " is both \"" + before + "\" and \"" + text
							+ "\"");
				}
			}
		});
		assertTrue(seen.containsKey('h'), seen.toString());
	}
}
