package org.berth.bench;

import java.nio.file.Path;

import org.berth.client.AgentEngine;

/**
 * {@link EngineBench}'s commands through a Berth agent's client, as the console drives the agent: one warm JVM with
 * {@link AgentEngine} connected to the agent on {@code SOCKET} (its containers are on that agent's roots). Compiled by
 * {@code bench/run} only when the product has the agent's client. Usage: {@code AgentEngineBench SOCKET}.
 */
public final class AgentEngineBench {

	private AgentEngineBench() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("usage: AgentEngineBench SOCKET");
			System.exit(2);
		}
		try (AgentEngine engine = AgentEngine.connect(Path.of(args[0]))) {
			EngineBench.serve(engine);
		}
	}
}
