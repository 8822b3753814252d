package org.berth.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.berth.core.BerthException;
import org.berth.core.Lifecycle;
import org.berth.core.ContainerEngine;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A command that does one {@link Lifecycle} operation to one or more containers and reports on each: "c1: stopped"
 * on stdout, or the failure on stderr. It fails (exit 1) when any of them failed. The operation says the engine call
 * and the order: those that depend on shared namespaces go one container after the other, the others all at once.
 */
abstract class ContainerActionCommand extends BaseCommand {

	@Parameters(arity = "1..*", paramLabel = "NAME", description = "The containers.")
	List<String> names;

	private final Lifecycle operation;

	ContainerActionCommand(Context ctx, Lifecycle operation) {
		super(ctx);
		this.operation = operation;
	}

	/** How long a stop waits for init to end: the default, unless the command has {@code --timeout}. */
	Duration timeout() {
		return Lifecycle.DEFAULT_TIMEOUT;
	}

	/** Starts the operation on one container; the future gives what to report ("stopped", "destroyed"). */
	CompletableFuture<String> act(ContainerEngine engine, String name) {
		return operation.run(engine, name, timeout())
				.thenApply(after -> after.map(Formats::state).orElse("destroyed"));
	}

	/** The sentence for a failure; a subclass may add a hint. */
	String describe(Throwable cause) {
		return Errors.describe(cause);
	}

	@Override
	public Integer call() {
		List<String> targets = new ArrayList<>(new LinkedHashSet<>(names));
		// an operation that does not look at shared namespaces needs only the named containers (see Context#engineFor)
		ContainerEngine engine = operation.ordered() ? ctx.engine() : ctx.engineFor(targets);
		boolean failed = false;
		if (operation.ordered()) {
			for (String name : operation.order(engine, targets)) {
				failed |= !report(name, begin(engine, name));
			}
		} else {
			List<CompletableFuture<String>> futures = new ArrayList<>();
			for (String name : targets) {
				futures.add(begin(engine, name));
			}
			for (int i = 0; i < targets.size(); i++) {
				failed |= !report(targets.get(i), futures.get(i));
			}
		}
		return failed ? Context.FAILURE : 0;
	}

	private CompletableFuture<String> begin(ContainerEngine engine, String name) {
		try {
			return act(engine, name);
		} catch (RuntimeException e) {
			return CompletableFuture.failedFuture(e);
		}
	}

	private boolean report(String name, CompletableFuture<String> future) {
		try {
			String outcome = Context.await(future);
			ctx.out.println(name + ": " + outcome);
			return true;
		} catch (BerthException | RuntimeException e) {
			ctx.error(name, describe(Context.unwrap(e)), e);
			return false;
		}
	}

	/** An operation that waits for init to end before it kills (stop, restart): it has {@code --timeout}. */
	abstract static class Waiting extends ContainerActionCommand {

		@Mixin
		TimeoutOption timeout;

		Waiting(Context ctx, Lifecycle operation) {
			super(ctx, operation);
		}

		@Override
		Duration timeout() {
			return timeout.duration();
		}
	}
}
