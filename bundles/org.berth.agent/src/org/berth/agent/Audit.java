package org.berth.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import org.berth.core.wire.AuditTrail;
import org.berth.core.wire.Wire;

/**
 * The audit trail: one JSON object a line in {@code audit.jsonl}, for every request that changes something and for
 * every refusal. When the file passes {@code maxBytes} it becomes {@code audit.jsonl.1} (the older ones move up to
 * {@code .KEEP}, the oldest is dropped). A failure to write is reported on stderr and does not fail the request.
 */
final class Audit {

	static final int KEEP = AuditTrail.KEEP;

	private final Path file;
	private final long maxBytes;

	Audit(Path file, long maxBytes) {
		this.file = file;
		this.maxBytes = maxBytes;
	}

	Path file() {
		return file;
	}

	void record(Peer peer, String what, String action, String container, int status, String result) {
		AuditTrail.Entry e = new AuditTrail.Entry(Instant.now().toString(), peer.uid(), peer.user(), peer.pid(), what,
				action, container,
				status, result);
		byte[] line = (Wire.toJson(e) + "\n").getBytes(StandardCharsets.UTF_8);
		synchronized (this) {
			try {
				Files.createDirectories(file.getParent());
				if (Files.exists(file) && Files.size(file) + line.length > maxBytes) {
					rotate();
				}
				if (!Files.exists(file)) {
					// who did what is for root and the group's administrators, not for every user
					Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
							"rw-r-----")));
				}
				Files.write(file, line, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
			} catch (IOException x) {
				System.err.println("berth-agent: cannot write the audit log " + file + ": " + x.getMessage());
			}
		}
	}

	private void rotate() throws IOException {
		Files.deleteIfExists(rotated(KEEP));
		for (int i = KEEP - 1; i >= 1; i--) {
			if (Files.exists(rotated(i))) {
				Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
	}

	private Path rotated(int n) {
		return AuditTrail.rotated(file, n);
	}

	/** The newest entries (see {@link AuditTrail#read}); written lines only, under the writers' lock. */
	synchronized java.util.List<AuditTrail.Entry> read(String container, String user, int limit)
			throws IOException {
		return AuditTrail.read(file, container, user, limit);
	}
}
