package org.berth.core;

/** No container of that name is defined: {@code no container named "x"}. */
public class NoSuchContainerException extends BerthException {

	private static final long serialVersionUID = 1L;

	public NoSuchContainerException(String name) {
		this(null, name);
	}

	/** @param operation what was attempted on it ("start"), may be null */
	public NoSuchContainerException(String operation, String name) {
		super(operation, name, "no container named " + Text.quote(name));
	}

	public String name() {
		return target();
	}
}
