package org.berth.core.linux.internal.metrics;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.berth.core.Metric;
import org.berth.core.Tier;
import org.berth.core.TieredHistory;

/**
 * A container's usage history on disk, so that it outlives the process that sampled it (the agent's restart, the
 * host's reboot): {@code NAME.history} in the engine's {@code .history} folder, every tier's points as they are in
 * memory (a time and one float per {@link Metric}). Written whole to a temporary file and renamed over the old one,
 * so a crash leaves the old or the new file, never half of one. A file from other tiers or other metrics is ignored.
 */
public final class HistoryFiles {

	private static final int MAGIC = 0x42484931; // "BHI1"
	private static final Metric[] METRICS = Metric.values();

	private final Path folder;

	public HistoryFiles(Path folder) {
		this.folder = folder;
	}

	public Path folder() {
		return folder;
	}

	Path file(String name) {
		return folder.resolve(name + ".history");
	}

	/** Writes the history of {@code h} to its file. */
	public void save(TieredHistory h) throws IOException {
		Files.createDirectories(folder);
		Path tmp = folder.resolve("." + h.name() + ".history.tmp");
		List<Tier> tiers = h.tiers();
		try (DataOutputStream out = new DataOutputStream(
				new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
			out.writeInt(MAGIC);
			out.writeInt(METRICS.length);
			out.writeInt(tiers.size());
			for (Tier tier : tiers) {
				int capacity = tier.capacity();
				long[] times = new long[capacity];
				double[][] values = new double[METRICS.length][capacity];
				int n = h.read(tier, Long.MIN_VALUE, times, METRICS, values);
				out.writeLong(tier.stepMillis());
				out.writeLong(tier.span().toMillis());
				out.writeInt(n);
				for (int i = 0; i < n; i++) {
					out.writeLong(times[i]);
					for (int m = 0; m < METRICS.length; m++) {
						out.writeFloat((float) values[m][i]);
					}
				}
			}
		}
		Files.move(tmp, file(h.name()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * Puts what the file of {@code h}'s container holds into {@code h} (before anything is appended). Returns false
	 * when there is no file or it does not fit these tiers and metrics (then {@code h} is left empty).
	 */
	public boolean load(TieredHistory h) throws IOException {
		List<Tier> tiers = h.tiers();
		long[][] times = new long[tiers.size()][];
		double[][][] values = new double[tiers.size()][][];
		int[] counts = new int[tiers.size()];
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file(h.name())),
				1 << 16))) {
			if (in.readInt() != MAGIC || in.readInt() != METRICS.length || in.readInt() != tiers.size()) {
				return false;
			}
			for (int t = 0; t < tiers.size(); t++) {
				Tier tier = tiers.get(t);
				if (in.readLong() != tier.stepMillis() || in.readLong() != tier.span().toMillis()) {
					return false;
				}
				int n = in.readInt();
				if (n < 0 || n > tier.capacity()) {
					return false;
				}
				times[t] = new long[n];
				values[t] = new double[METRICS.length][n];
				for (int i = 0; i < n; i++) {
					times[t][i] = in.readLong();
					for (int m = 0; m < METRICS.length; m++) {
						values[t][m][i] = in.readFloat();
					}
				}
				counts[t] = n;
			}
		} catch (NoSuchFileException | EOFException e) {
			return false; // none yet, or cut short: the history starts empty
		}
		for (int t = 0; t < tiers.size(); t++) {
			h.seed(tiers.get(t), times[t], values[t], counts[t]);
		}
		return true;
	}

	/** Removes the file of a destroyed container. */
	public void delete(String name) throws IOException {
		Files.deleteIfExists(file(name));
	}
}
