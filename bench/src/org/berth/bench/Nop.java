package org.berth.bench;

/** An empty main: the JVM's own start-up floor for the CLI breakdown in {@code bench/bench.py}. */
public final class Nop {

	private Nop() {
	}

	public static void main(String[] args) {
		// nothing: the time measured is the JVM's
	}
}
