package org.berth.ui.jobs;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ShareOrder;
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
		this.names = switch (operation) {
			// the engine refuses to start a sharer before the one it shares with, or to destroy that one first
			case START, RESTART -> ShareOrder.sharedFirst(names, specs(engine));
			case DESTROY -> ShareOrder.sharersFirst(names, specs(engine));
			default -> List.copyOf(names);
		};
	}

	private static Function<String, Optional<ContainerSpec>> specs(ContainerEngine engine) {
		return name -> engine.get(name).map(ContainerSnapshot::spec);
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
				BerthJobs.await(operation.run(engine, name), progress.split(1));
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
						+ names.size() + " containers.", null);
		return summary;
	}

	public Operation operation() {
		return operation;
	}

	public List<String> names() {
		return names;
	}
}
