package org.berth.core.linux;

import java.nio.file.Path;

/**
 * Where a migration's files go on its target (what {@link LocalEngine#receiveMigration} made for them).
 *
 * @param container the container defined on the target, stopped, with the source's spec
 * @param folder    its folder (root file system, snapshots, schedule, the checkpoint), which the source fills
 * @param criu      whether the target has a CRIU that works (without one only a stopped container can come)
 */
public record MigrationLanding(String container, Path folder, boolean criu) {
}
