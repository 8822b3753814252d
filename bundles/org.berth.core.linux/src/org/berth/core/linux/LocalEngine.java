package org.berth.core.linux;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
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

	/**
	 * Writes the container's spec and root file system to {@code file} as a zstd-compressed tar archive, with
	 * owners (numeric), modes, hard links, device nodes, extended attributes and ACLs; a running container is frozen
	 * while it is read. Completes with the file.
	 */
	default CompletableFuture<Path> exportContainer(String name, Path file) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot export"));
	}

	/** As {@link #exportContainer(String, Path)}, with the container's snapshots when {@code withSnapshots}. */
	default CompletableFuture<Path> exportContainer(String name, Path file, boolean withSnapshots) {
		return withSnapshots ? CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot"
				+ " export snapshots")) : exportContainer(name, file);
	}

	/**
	 * Defines a container from an archive made by {@link #exportContainer}, named {@code newName} (null: the name
	 * in the archive); a veth address and a block of ids are chosen anew; the snapshots in the archive come along.
	 */
	default CompletableFuture<ContainerSnapshot> importContainer(Path file, String newName) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot import"));
	}

	/**
	 * Copies the local file (or tree, with {@code recursive}) {@code local} into the container's root file system
	 * at {@code inside}, or into that folder when it is one. Paths inside are resolved within the container's root
	 * (symbolic links there never lead out of it). Completes with how many files, folders and links were made.
	 */
	default CompletableFuture<Integer> pushFiles(String name, Path local, String inside, boolean recursive) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot copy files"));
	}

	/** Copies {@code inside} (a tree with {@code recursive}) out to {@code local}, or into it when it is a folder. */
	default CompletableFuture<Integer> pullFiles(String name, String inside, Path local, boolean recursive) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot copy files"));
	}

	/**
	 * The target's side of a migration: defines {@code spec}'s container, stopped, with the same id maps and
	 * address, an empty folder for the source to fill. Refused when a
	 * container of that name exists, or the ids or the address are another container's here.
	 */
	default CompletableFuture<MigrationLanding> receiveMigration(org.berth.core.ContainerSpec spec) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot receive"
				+ " containers"));
	}

	/** The target's side of a migration that failed: the container it defined is ended and removed. */
	default CompletableFuture<Void> abandonMigration(String name) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot receive"
				+ " containers"));
	}
}
