package org.berth.core.linux;

import java.nio.file.Path;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.ExecRequest;

/** The engine on this host, with what only a local client (the CLI) can use. */
public interface LocalEngine extends ContainerEngine {

	/**
	 * Runs a command in a running container with this process's stdin, stdout and stderr, and returns its exit
	 * code. Blocks until the command ends.
	 */
	int execInheritingIo(String name, ExecRequest request) throws BerthException;

	/** The console log of a container (what its init printed), which may not exist yet. */
	Path consoleLog(String name);
}
