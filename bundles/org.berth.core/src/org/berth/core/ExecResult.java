package org.berth.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a command run in a container ended. The byte arrays are copied in and out, so the record stays immutable.
 *
 * @param exitCode its exit status; 128 + N when it was killed by signal N (as a shell reports it)
 * @param stdout   what it wrote to standard output
 * @param stderr   what it wrote to standard error
 */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {

	public ExecResult {
		stdout = stdout == null ? new byte[0] : stdout.clone();
		stderr = stderr == null ? new byte[0] : stderr.clone();
	}

	@Override
	public byte[] stdout() {
		return stdout.clone();
	}

	@Override
	public byte[] stderr() {
		return stderr.clone();
	}

	/** Standard output as UTF-8 text. */
	public String stdoutText() {
		return new String(stdout, StandardCharsets.UTF_8);
	}

	/** Standard error as UTF-8 text. */
	public String stderrText() {
		return new String(stderr, StandardCharsets.UTF_8);
	}

	public boolean succeeded() {
		return exitCode == 0;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof ExecResult r && r.exitCode == exitCode && Arrays.equals(r.stdout, stdout)
				&& Arrays.equals(r.stderr, stderr);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * exitCode + Arrays.hashCode(stdout)) + Arrays.hashCode(stderr);
	}

	@Override
	public String toString() {
		return "ExecResult[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr=" + stderr.length
				+ " bytes]";
	}
}
