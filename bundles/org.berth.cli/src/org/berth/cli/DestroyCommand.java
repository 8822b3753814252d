package org.berth.cli;

import java.util.concurrent.CompletableFuture;

import org.berth.core.Action;
import org.berth.core.ContainerSnapshot;
import org.berth.core.IllegalTransitionException;
import org.berth.core.Lifecycle;
import org.berth.core.ContainerEngine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "destroy", aliases = "rm", description = "Remove stopped containers with their config and root"
		+ " file system.")
final class DestroyCommand extends ContainerActionCommand {

	@Option(names = {"-f", "--force"}, description = "Kill running (or frozen) containers first.")
	boolean force;

	DestroyCommand(Context ctx) {
		super(ctx, Lifecycle.DESTROY);
	}

	@Override
	CompletableFuture<String> act(ContainerEngine e, String name) {
		ContainerSnapshot s = e.get(name).orElse(null);
		CompletableFuture<?> before = force && s != null && s.isActive() ? Lifecycle.KILL.run(e, name)
				: CompletableFuture.completedFuture(null);
		return before.thenCompose(x -> super.act(e, name));
	}

	@Override
	String describe(Throwable cause) {
		String sentence = super.describe(cause);
		if (!force && cause instanceof IllegalTransitionException ite && ite.action() == Action.DESTROY
				&& ite.state().isActive()) {
			return sentence + " (or use berth destroy --force)";
		}
		return sentence;
	}
}
