package org.berth.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.berth.core.Action;
import org.berth.core.BerthException;
import org.berth.core.ContainerSpec;
import org.berth.core.ExecRequest;
import org.berth.core.StateMachine;
import org.berth.core.Usage;
import org.berth.core.linux.LocalEngine;
import org.berth.core.testing.FakeEngine;

/** The shared {@link FakeEngine} with what only a local engine has: exec on this process's stdio, console logs. */
class FakeLocalEngine extends FakeEngine implements LocalEngine {

	/** The requests of execInheritingIo. */
	final List<ExecRequest> execs = new ArrayList<>();
	/** Where console logs are; null = none. */
	Path consoleDir;

	@Override
	public int execInheritingIo(String name, ExecRequest request) throws BerthException {
		calls.add("execInheritingIo " + name);
		StateMachine.transitional(name, require(name).state(), Action.EXEC);
		execs.add(request);
		return exitCode.applyAsInt(request);
	}

	@Override
	public Path consoleLog(String name) {
		return consoleDir == null ? null : consoleDir.resolve(name + ".log");
	}

	// the set-up methods, typed for chaining in the tests

	@Override
	public FakeLocalEngine add(ContainerSpec spec) {
		super.add(spec);
		return this;
	}

	@Override
	public FakeLocalEngine addRunning(ContainerSpec spec) {
		super.addRunning(spec);
		return this;
	}

	@Override
	public FakeLocalEngine startedAt(String name, Instant when) {
		super.startedAt(name, when);
		return this;
	}

	@Override
	public FakeLocalEngine usage(String name, Usage u) {
		super.usage(name, u);
		return this;
	}
}
