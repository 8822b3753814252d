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
		List<String> reasons = new java.util.ArrayList<>();
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
				reasons.add("\"" + name + "\": " + reason(name, e));
				result.add(Status.error(BerthJobs.message(e), e));
			}
		}
		if (failed == 0) {
			return progress.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
		}
		// the reason in the message, where the dialog shows it; the children keep the exceptions for the log
		String message = failed == names.size() && failed == 1
				? "Could not " + operation.action().describe("\"" + names.get(0) + "\"") + ": "
						+ sentence(reason(names.get(0), unwrap(result)))
				: "Could not " + operation.verb().toLowerCase(java.util.Locale.ROOT) + " " + failed + " of "
						+ names.size() + " containers:\n" + String.join("\n", reasons.stream().map(
								LifecycleJob::sentence).toList());
		return new MultiStatus(PLUGIN, 0, result.getChildren(), message, null);
	}

	private static Throwable unwrap(MultiStatus result) {
		for (IStatus s : result.getChildren()) {
			if (s.matches(IStatus.ERROR)) {
				return s.getException() == null ? new Exception(s.getMessage()) : s.getException();
			}
		}
		return new Exception("unknown reason");
	}

	/**
	 * The engine's sentence without its own "cannot start "c1": " (the dialog says "Could not start "c1": " already).
	 */
	static String reason(String name, Throwable e) {
		String m = BerthJobs.message(e);
		String target = "\"" + name + "\": ";
		int at = m.indexOf(target);
		if (m.startsWith("cannot ") && at > 0 && at < 40) {
			return m.substring(at + target.length());
		}
		return m;
	}

	/** A reason as the end of a sentence: with a full stop. */
	static String sentence(String reason) {
		return reason.endsWith(".") || reason.endsWith("?") || reason.endsWith("!") ? reason : reason + ".";
	}

	public Operation operation() {
		return operation;
	}

	public List<String> names() {
		return names;
	}
}
