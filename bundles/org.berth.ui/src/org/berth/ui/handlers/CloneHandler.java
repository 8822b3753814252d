package org.berth.ui.handlers;

import java.util.List;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerState;
import org.berth.core.SpecValidator;
import org.berth.ui.internal.Engines;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.EngineJob;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.IInputValidator;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.handlers.HandlerUtil;

/** Copies one stopped container under a name the user gives. */
public final class CloneHandler extends SelectionHandler {

	@Override
	boolean enabledFor(List<String> names) {
		ContainerEngine engine = Engines.find().orElse(null);
		return engine != null && names.size() == 1
				&& engine.get(names.get(0)).map(s -> s.state() == ContainerState.STOPPED).orElse(false);
	}

	@Override
	public Object execute(ExecutionEvent event) {
		List<String> names = Selections.names(event);
		ContainerEngine engine = Engines.find().orElse(null);
		if (engine == null || !enabledFor(names)) {
			return null;
		}
		String source = names.get(0);
		InputDialog dialog = new InputDialog(HandlerUtil.getActiveShell(event), "Clone Container",
				"Name of the copy of \"" + source + "\":", suggest(engine, source), newName(engine));
		if (dialog.open() != Window.OK) {
			return null;
		}
		String target = dialog.getValue().trim();
		new EngineJob("Cloning \"" + source + "\" as \"" + target + "\"", "Clone failed") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					BerthJobs.await(engine.cloneContainer(source, target), monitor);
					return Status.OK_STATUS;
				} catch (Exception e) {
					return Status.error(BerthJobs.message(e), e);
				}
			}
		}.schedule();
		return null;
	}

	/** The sentence about a name a new container cannot have (malformed, or taken), or null when it can. */
	static IInputValidator newName(ContainerEngine engine) {
		return text -> {
			if (!SpecValidator.isValidName(org.berth.ui.internal.Engines.bare(text))) {
				return "\"" + text + "\" is not a valid container name: use letters, digits, '.', '_' or '-',"
						+ " starting with a letter or digit";
			}
			return engine.get(text).isPresent() ? "There is already a container named \"" + text + "\"." : null;
		};
	}

	private static String suggest(ContainerEngine engine, String source) {
		for (int i = 2; i < 1000; i++) {
			String n = source + "-" + i;
			if (engine.get(n).isEmpty()) {
				return n;
			}
		}
		return source + "-copy";
	}
}
