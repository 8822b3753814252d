package org.berth.core;

import java.time.Duration;
import java.util.Map;

/**
 * A finished migration.
 *
 * @param container  the container, now on the target
 * @param target     where it runs now
 * @param live       whether it was running (its processes moved) or stopped (its files moved)
 * @param downtime   from the freeze to the restored processes running on the target (zero for a stopped container)
 * @param bytesSent  what went over the wire (rsync's count: files and images, compressed as sent)
 * @param phases     how long each phase took
 */
public record MigrationResult(String container, String target, boolean live, Duration downtime, long bytesSent,
		Map<MigrationProgress.Phase, Duration> phases) {

	public MigrationResult {
		phases = Map.copyOf(phases);
	}
}
