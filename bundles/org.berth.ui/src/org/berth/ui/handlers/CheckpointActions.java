package org.berth.ui.handlers;

import java.util.List;

import org.berth.core.CheckpointInfo;
import org.berth.core.CheckpointRequest;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerState;
import org.berth.core.Sizes;
import org.berth.core.SpecValidator;

/**
 * When the console offers checkpoint and restore, and its words for them: the decisions the handlers, the
 * Checkpoint dialog and the editor's Checkpoints page share. Pure: no widgets, no engine calls.
 */
public final class CheckpointActions {

	private CheckpointActions() {
	}

	/** Whether Checkpoint… acts on these selected containers: exactly one, and it runs (not frozen). */
	public static boolean canCheckpoint(List<ContainerSnapshot> selected) {
		return selected.size() == 1 && selected.get(0).state() == ContainerState.RUNNING;
	}

	/** Whether Restore Checkpoint acts on these selected containers: exactly one, and it is stopped. */
	public static boolean canRestore(List<ContainerSnapshot> selected) {
		return selected.size() == 1 && selected.get(0).state() == ContainerState.STOPPED;
	}

	/** Why a checkpoint of {@code s} cannot be restored now (a disabled Restore's tooltip), or null when it can. */
	public static String restoreBlocker(ContainerSnapshot s) {
		if (s == null) {
			return "The container is gone";
		}
		return s.state() == ContainerState.STOPPED ? null : "Stop \"" + s.name() + "\" to restore a checkpoint: it is "
				+ s.state().name().toLowerCase(java.util.Locale.ROOT);
	}

	/** What is wrong with a checkpoint name typed in the dialog, or null ("" is fine: the engine makes one up). */
	public static String nameProblem(String typed) {
		String t = typed.trim();
		if (t.isEmpty() || SpecValidator.NAME.matcher(t).matches()) {
			return null;
		}
		return "\"" + t + "\" is not a valid checkpoint name: " + SpecValidator.NAME_RULE;
	}

	/** The request of the dialog's fields: an empty name lets the engine name it (ck-YYYYMMDD-HHMMSS). */
	public static CheckpointRequest request(String typed, boolean keepRunning, boolean tcpEstablished) {
		String t = typed.trim();
		return new CheckpointRequest(t.isEmpty() ? null : t, null, keepRunning, tcpEstablished);
	}

	/** The line above the Checkpoints table. */
	public static String summary(String name, List<CheckpointInfo> list) {
		if (list.isEmpty()) {
			return "\"" + name + "\" has no checkpoints. Container > Checkpoint... saves its running processes to"
					+ " resume later.";
		}
		long total = list.stream().mapToLong(CheckpointInfo::sizeBytes).sum();
		return list.size() + (list.size() == 1 ? " checkpoint, " : " checkpoints, ") + Sizes.formatBytes(total)
				+ ". Restore resumes the stopped container from one; its files must be as they were then.";
	}
}
