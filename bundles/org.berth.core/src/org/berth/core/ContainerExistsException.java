package org.berth.core;

/** A container of that name is already defined: {@code a container named "x" already exists}. */
public class ContainerExistsException extends BerthException {

	private static final long serialVersionUID = 1L;

	public ContainerExistsException(String name) {
		this(null, name);
	}

	/** @param operation what was attempted ("define", "clone"), may be null */
	public ContainerExistsException(String operation, String name) {
		super(operation, name, "a container named " + Text.quote(name) + " already exists");
	}

	public String name() {
		return target();
	}
}
