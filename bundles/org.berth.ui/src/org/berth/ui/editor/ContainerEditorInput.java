package org.berth.ui.editor;

import java.util.Objects;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IPersistableElement;

/** A container, by name, as the input of the container editor. */
public final class ContainerEditorInput implements IEditorInput {

	private final String name;

	public ContainerEditorInput(String name) {
		this.name = Objects.requireNonNull(name);
	}

	public String containerName() {
		return name;
	}

	@Override
	public boolean exists() {
		return false;
	}

	@Override
	public ImageDescriptor getImageDescriptor() {
		return ImageDescriptor.createFromFile(ContainerEditorInput.class, "/icons/berth16.png");
	}

	@Override
	public String getName() {
		return name;
	}

	@Override
	public IPersistableElement getPersistable() {
		return null;
	}

	@Override
	public String getToolTipText() {
		return "Container \"" + name + "\"";
	}

	@Override
	public <T> T getAdapter(Class<T> adapter) {
		return null;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof ContainerEditorInput i && i.name.equals(name);
	}

	@Override
	public int hashCode() {
		return name.hashCode();
	}
}
