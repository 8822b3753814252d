package org.berth.ui.jobs;

import java.util.List;

import org.berth.core.ContainerEngine;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.MultiStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;

/** One operation on one or more containers, as one job: progress per container and a result per container. */
public final class LifecycleJob extends EngineJob {

	private static final String PLUGIN = "org.berth.ui";

	private final ContainerEngine engine;
	private final Operation operation;
	private final List<String> names;

	public LifecycleJob(ContainerEngine engine, Operation operation, List<String> names) {
		super(operation.progressive() + " " + describe(names), operation.verb() + " failed");
		this.engine = engine;
		this.operation = operation;
		// the engine refuses to start a sharer before the one it shares with, or to destroy that one first
		this.names = operation.lifecycle().order(engine, names);
	}

	static String describe(List<String> names) {
		return names.size() == 1 ? "\"" + names.get(0) + "\"" : names.size() + " containers";
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		SubMonitor progress = SubMonitor.convert(monitor, getName(), names.size());
		MultiStatus result = new MultiStatus(PLUGIN, 0, operation.verb() + " " + describe(names));
		int failed = 0;
		for (String name : names) {
			if (progress.isCanceled()) {
				result.add(Status.info(operation.verb() + " \"" + name + "\": cancelled before it began"));
				continue;
			}
			progress.subTask(operation.progressive() + " \"" + name + "\"");
			try {
				BerthJobs.await(operation.lifecycle().run(engine, name), progress.split(1));
				result.add(Status.info(operation.verb() + " \"" + name + "\": done"));
			} catch (OperationCanceledException e) {
				result.add(Status.info(operation.verb() + " \"" + name + "\": cancelled (it may still finish)"));
			} catch (Exception e) {
				failed++;
				result.add(Status.error(BerthJobs.message(e), e));
			}
		}
		if (failed == 0) {
			return progress.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
		}
		MultiStatus summary = new MultiStatus(PLUGIN, 0, result.getChildren(), failed == names.size() && failed == 1
				? "Could not " + operation.action().describe("\"" + names.get(0) + "\"") + "."
				: "Could not " + operation.verb().toLowerCase(java.util.Locale.ROOT) + " " + failed + " of "
						+ names.size() + " containers.",
				null);
		return summary;
	}

	public Operation operation() {
		return operation;
	}

	public List<String> names() {
		return names;
	}
}
