package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.berth.core.ContainerSpec;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.ui.internal.Formats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A privileged container (the host's user namespace) is marked in the Containers view with a warning icon beside its
 * name; a default one (a user namespace of its own) is not. Screenshot: privileged-badge.png.
 */
class PrivilegedBadgeTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void aPrivilegedContainerCarriesAWarningBesideItsName() throws Exception {
		ContainerSpec root = workbench.define(ContainerSpec.builder("uit-root")
				.namespace(NamespaceType.USER, NamespaceMode.HOST).build()).spec();
		ContainerSpec own = workbench.define(ContainerSpec.builder("uit-own").build()).spec();
		ContainersPage view = ContainersPage.open();
		Workbench.waitUntil("both rows", TIMEOUT,
				() -> Workbench.sync(() -> view.shownNames().containsAll(java.util.List.of("uit-root", "uit-own"))));
		assertTrue(Workbench.sync(() -> view.hasImage("uit-root", 0)), "privileged: a warning icon beside the name");
		assertFalse(Workbench.sync(() -> view.hasImage("uit-own", 0)), "unprivileged: none");
		assertEquals("Privileged: root inside is root on the host (the host's user namespace)",
				Formats.privilege(root));
		long base = own.idBlock().orElseThrow().outsideId();
		assertEquals("Unprivileged: root inside is host uid " + base + " (ids 0–65535 are host ids " + base + "–"
				+ (base + 65535) + ")", Formats.privilege(own));
		Screenshots.save(Workbench.sync(() -> Workbench.window().getShell()), "privileged-badge");
	}
}
