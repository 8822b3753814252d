package org.berth.core;

import java.time.Instant;
import java.util.Objects;

/**
 * An image: a saved root file system that new containers start from, with an alias to name it by. Made by
 * publishing a container or importing a root file system tarball.
 *
 * @param alias       its name, unique among the images and the templates
 * @param description what it is, as its maker said (empty when nothing was said)
 * @param base        the template its files came from ({@code busybox}, {@code debian}; null for an imported
 *                    tarball): a container made from it behaves as one of that template (init, halt signal)
 * @param origin      where it came from: "published from NAME" or "imported from FILE"
 * @param created     when it was made
 * @param sizeBytes   the bytes of its files (hard links once)
 */
public record ImageInfo(String alias, String description, String base, String origin, Instant created,
		long sizeBytes) {

	public ImageInfo {
		Objects.requireNonNull(alias, "alias");
		Objects.requireNonNull(created, "created");
		description = description == null ? "" : description;
		origin = origin == null ? "" : origin;
	}
}
