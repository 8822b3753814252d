package org.berth.ui.handlers;

import java.util.ArrayList;
import java.util.List;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceSpec;
import org.berth.core.StateMachine;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.LifecycleJob;
import org.berth.ui.jobs.Operation;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Runs one {@link Operation} on the selected containers as one {@link LifecycleJob}. Enabled when the operation is
 * allowed in the state of every selected container; destructive operations ask before the job is scheduled.
 */
public abstract class LifecycleHandler extends SelectionHandler {

	private final Operation operation;

	protected LifecycleHandler(Operation operation) {
		this.operation = operation;
	}

	@Override
	boolean enabledFor(List<String> names) {
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null || names.isEmpty()) {
			return false;
		}
		return Selections.snapshots(engine, names)
				.map(all -> all.stream().allMatch(s -> StateMachine.allowed(s.state(), operation.action())))
				.orElse(false);
	}

	@Override
	public Object execute(ExecutionEvent event) {
		List<String> names = Selections.names(event);
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null || !enabledFor(names)) {
			return null;
		}
		if (operation == Operation.DESTROY) {
			List<String> blockers = destroyBlockers(engine, names);
			if (!blockers.isEmpty()) {
				// say why before asking: a destroy that "cannot be undone" and then fails helps nobody
				MessageDialog.openError(HandlerUtil.getActiveShell(event),
						names.size() == 1 ? "Cannot Destroy Container"
								: "Cannot Destroy Containers",
						String.join("\n", blockers));
				return null;
			}
		}
		if (operation.asksFirst(names.size()) && !confirm(HandlerUtil.getActiveShell(event), names)) {
			return null;
		}
		new LifecycleJob(engine, operation, names).schedule();
		return null;
	}

	/**
	 * Why the containers cannot be destroyed, one sentence each: a container left outside the selection shares one
	 * of their namespaces (the engine refuses that destroy). Empty when nothing stands in the way.
	 */
	public static List<String> destroyBlockers(ContainerEngine engine, List<String> names) {
		List<String> out = new ArrayList<>();
		for (String name : names) {
			for (ContainerSnapshot other : engine.list()) {
				if (names.contains(other.name())) {
					continue; // destroyed too, first (the job orders sharers first)
				}
				for (NamespaceSpec ns : other.spec().namespaces().values()) {
					if (ns.mode() == NamespaceMode.SHARE && name.equals(ns.shareWith())) {
						out.add("\"" + name + "\" cannot be destroyed: \"" + other.name() + "\" shares its "
								+ ns.type().procName() + " namespace. Change or destroy \"" + other.name()
								+ "\" first.");
						break;
					}
				}
			}
		}
		return out;
	}

	private boolean confirm(Shell shell, List<String> names) {
		String what = names.size() == 1 ? "\"" + names.get(0) + "\"" : names.size() + " containers ("
				+ String.join(", ", names) + ")";
		String consequence = switch (operation) {
			case DESTROY -> "Its configuration and root file system are deleted. This cannot be undone.";
			case KILL -> "All its processes are killed at once, without a chance to shut down cleanly.";
			default -> "Their processes are asked to shut down.";
		};
		if (names.size() > 1) {
			consequence = consequence.replace("Its ", "Their ").replace("its ", "their ");
		}
		String title = operation.verb() + (names.size() == 1 ? " Container" : " Containers");
		int answer = MessageDialog.open(operation == Operation.DESTROY || operation == Operation.KILL
				? MessageDialog.WARNING : MessageDialog.QUESTION, shell, title,
				operation.verb() + " " + what + "?\n\n" + consequence, SWT.NONE, operation.verb(), "Cancel");
		return answer == 0;
	}

	public static final class Start extends LifecycleHandler {
		public Start() {
			super(Operation.START);
		}
	}

	public static final class Stop extends LifecycleHandler {
		public Stop() {
			super(Operation.STOP);
		}
	}

	public static final class Restart extends LifecycleHandler {
		public Restart() {
			super(Operation.RESTART);
		}
	}

	public static final class Kill extends LifecycleHandler {
		public Kill() {
			super(Operation.KILL);
		}
	}

	public static final class Freeze extends LifecycleHandler {
		public Freeze() {
			super(Operation.FREEZE);
		}
	}

	public static final class Thaw extends LifecycleHandler {
		public Thaw() {
			super(Operation.THAW);
		}
	}

	public static final class Destroy extends LifecycleHandler {
		public Destroy() {
			super(Operation.DESTROY);
		}
	}
}
