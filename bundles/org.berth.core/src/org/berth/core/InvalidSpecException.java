package org.berth.core;

import java.util.List;
import java.util.stream.Collectors;

/** The engine refused a spec; {@link #problems()} are the validator's sentences (the message joins them, one a line). */
public class InvalidSpecException extends BerthException {

	private static final long serialVersionUID = 1L;

	@SuppressWarnings("serial") // an immutable List.copyOf of serializable records
	private final List<Problem> problems;

	public InvalidSpecException(List<Problem> problems) {
		this(null, problems);
	}

	/** @param name the container the spec is for (the target), may be null */
	public InvalidSpecException(String name, List<Problem> problems) {
		super("validate", name, message(problems));
		this.problems = List.copyOf(problems);
	}

	private static String message(List<Problem> problems) {
		if (problems.isEmpty()) {
			return "the container spec is invalid";
		}
		return problems.stream().map(Problem::message).collect(Collectors.joining("\n"));
	}

	/** The problems, as the validator found them. */
	public List<Problem> problems() {
		return problems;
	}
}
