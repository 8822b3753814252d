package org.berth.ui.handlers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.ui.containers.ContainersView;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.ISources;
import org.eclipse.ui.handlers.HandlerUtil;

/** The names of the containers in a selection, and their current snapshots from the engine's cache. */
final class Selections {

	private Selections() {
	}

	/** The names of the selected containers (rows, snapshots, or their names), in selection order. */
	static List<String> names(ISelection selection) {
		LinkedHashSet<String> out = new LinkedHashSet<>();
		if (selection instanceof IStructuredSelection s) {
			for (Object o : s.toList()) {
				if (o instanceof String name) {
					out.add(name);
				} else {
					ContainerSnapshot snap = Adapters.adapt(o, ContainerSnapshot.class);
					if (snap != null) {
						out.add(snap.name());
					}
				}
			}
		}
		return new ArrayList<>(out);
	}

	/**
	 * The selected containers of a handler's evaluation context: the rows of the Containers view when it is the
	 * active part (asked directly: the workbench's copy of an e4 part's selection can lag behind it), else the
	 * "selection" variable.
	 */
	static List<String> names(Object evaluationContext) {
		Object part = HandlerUtil.getVariable(evaluationContext, ISources.ACTIVE_PART_NAME);
		ContainersView view = part == null ? null : Adapters.adapt(part, ContainersView.class);
		if (view != null) {
			return view.selectedNames();
		}
		Object sel = HandlerUtil.getVariable(evaluationContext, ISources.ACTIVE_CURRENT_SELECTION_NAME);
		return sel instanceof ISelection s ? names(s) : List.of();
	}

	/** The selected containers when a command runs (see {@link #names(Object)}). */
	static List<String> names(ExecutionEvent event) {
		return names(event.getApplicationContext());
	}

	/** The current snapshots of these containers; empty when one of them is gone. Non-blocking. */
	static Optional<List<ContainerSnapshot>> snapshots(ContainerEngine engine, List<String> names) {
		List<ContainerSnapshot> out = new ArrayList<>();
		for (String n : names) {
			Optional<ContainerSnapshot> s = engine.get(n);
			if (s.isEmpty()) {
				return Optional.empty();
			}
			out.add(s.get());
		}
		return Optional.of(out);
	}
}
