package org.berth.core;

/**
 * One step of a migration as it happens, for a progress display.
 *
 * @param phase    the phase the migration is in
 * @param fraction how much of the phase is done, 0 to 1, or -1 when it is not known
 * @param message  what happens, as a sentence (e.g. "sent 12.5 MiB of the root file system")
 */
public record MigrationProgress(Phase phase, double fraction, String message) {

	/** The phases in the order a live migration goes through them. */
	public enum Phase {
		/** The container can be checkpointed, the target answers and takes it. */
		CHECK("check"),
		/** The root file system is sent while the container runs. */
		TRANSFER("transfer"),
		/** The container is frozen and its processes written (CRIU's dump); it is down from here. */
		DUMP("freeze and dump"),
		/** What changed in the root file system since the transfer, and the dump, are sent. */
		COPY("copy"),
		/** The target resumes the processes; the container is up again there. */
		RESTORE("restore"),
		/** The source's copy is removed (or, after a failure, the source resumes). */
		CLEAN_UP("clean up");

		private final String label;

		Phase(String label) {
			this.label = label;
		}

		public String label() {
			return label;
		}
	}
}
