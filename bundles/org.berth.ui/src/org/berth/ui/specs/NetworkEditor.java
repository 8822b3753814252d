package org.berth.ui.specs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.berth.core.NamespaceSpec;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkMode;
import org.berth.core.NetworkSpec;
import org.berth.core.Problem;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * How a container reaches the network: none (loopback only), the host's, or a veth on a host bridge with an address,
 * with the validator's sentences under it. Wizard and editor.
 */
public final class NetworkEditor {

	/** The key under which tests find widgets. */
	public static final String TEST_ID = NamespacesEditor.TEST_ID;

	private final Composite control;
	private final Button none;
	private final Button host;
	private final Button veth;
	private final Text bridge;
	private final Text address;
	private final Label problems;
	private final List<Runnable> listeners = new ArrayList<>();
	private final List<Consumer<NetworkMode>> modeListeners = new ArrayList<>();
	private boolean loading;

	public NetworkEditor(Composite parent) {
		control = new Composite(parent, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(2).spacing(10, 6).applyTo(control);
		none = radio("N&one: only loopback, in a network namespace of its own", "network.none");
		host = radio("&Host: the host's network (net namespace of the host)", "network.host");
		veth = radio("&Veth: a virtual interface on a host bridge, with an address", "network.veth");
		none.setSelection(true);
		new Label(control, SWT.NONE).setText("B&ridge:");
		bridge = text("network.bridge", "the engine's default bridge");
		new Label(control, SWT.NONE).setText("&Address:");
		address = text("network.address", "allocated, or e.g. 10.88.0.5/24");
		problems = new Label(control, SWT.WRAP);
		problems.setData(TEST_ID, "network.problems");
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(420, SWT.DEFAULT).exclude(true)
				.applyTo(problems);
		problems.setVisible(false);
		updateEnablement();
	}

	private Button radio(String text, String id) {
		Button b = new Button(control, SWT.RADIO);
		b.setText(text);
		b.setData(TEST_ID, id);
		GridDataFactory.fillDefaults().span(2, 1).applyTo(b);
		b.addListener(SWT.Selection, e -> {
			if (b.getSelection() && !loading) {
				for (Button other : new Button[]{none, host, veth}) {
					if (other != b) {
						other.setSelection(false); // a radio selected by a program leaves the others as they were
					}
				}
				updateEnablement();
				NetworkMode mode = mode();
				modeListeners.forEach(l -> l.accept(mode));
				changed();
			}
		});
		return b;
	}

	private Text text(String id, String message) {
		Text t = new Text(control, SWT.BORDER);
		t.setMessage(message);
		t.setData(TEST_ID, id);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(t);
		t.addModifyListener(e -> {
			if (!loading) {
				changed();
			}
		});
		return t;
	}

	private void updateEnablement() {
		bridge.setEnabled(veth.getSelection());
		address.setEnabled(veth.getSelection());
	}

	private void changed() {
		listeners.forEach(Runnable::run);
	}

	public Composite control() {
		return control;
	}

	/** Called on every change. */
	public void addChangeListener(Runnable r) {
		listeners.add(r);
	}

	/** Called when the user picks another mode (before the change listeners), e.g. to keep the net namespace in step. */
	public void addModeListener(Consumer<NetworkMode> l) {
		modeListeners.add(l);
	}

	/** The net namespace a network mode needs: the host's for the host's network, else one of its own. */
	public static NamespaceSpec netNamespaceFor(NetworkMode mode) {
		return mode == NetworkMode.HOST ? NamespaceSpec.host(NamespaceType.NET)
				: NamespaceSpec.ofNew(NamespaceType.NET);
	}

	/**
	 * Shows the network that goes with a net namespace chosen elsewhere (one model, both places show it): the host's
	 * net is the host's network; a net of its own or another's is not; a joined net has no veth of its own. Keeps
	 * the mode when it fits. No listener is called.
	 *
	 * @return whether the mode changed
	 */
	public boolean follow(NamespaceSpec net) {
		NetworkMode fitting = networkModeFor(net, mode());
		if (fitting == mode()) {
			return false;
		}
		load(fitting == NetworkMode.HOST ? NetworkSpec.HOST : NetworkSpec.NONE);
		return true;
	}

	/** The network mode that fits a net namespace, keeping {@code current} when it does. */
	public static NetworkMode networkModeFor(NamespaceSpec net, NetworkMode current) {
		return switch (net.mode()) {
			case HOST -> NetworkMode.HOST;
			case SHARE -> NetworkMode.NONE;
			case NEW -> current == NetworkMode.HOST ? NetworkMode.NONE : current;
		};
	}

	/** The mode shown. */
	public NetworkMode selectedMode() {
		return mode();
	}

	/** Shows {@code spec}; no listener is called. */
	public void load(NetworkSpec spec) {
		loading = true;
		try {
			none.setSelection(spec.mode() == NetworkMode.NONE);
			host.setSelection(spec.mode() == NetworkMode.HOST);
			veth.setSelection(spec.mode() == NetworkMode.VETH);
			bridge.setText(spec.bridge() == null ? "" : spec.bridge());
			address.setText(spec.address() == null ? "" : spec.address());
			updateEnablement();
		} finally {
			loading = false;
		}
	}

	private NetworkMode mode() {
		return host.getSelection() ? NetworkMode.HOST : veth.getSelection() ? NetworkMode.VETH : NetworkMode.NONE;
	}

	/** The network entered (bridge and address only for a veth). */
	public NetworkSpec network() {
		return switch (mode()) {
			case HOST -> NetworkSpec.HOST;
			case VETH -> NetworkSpec.veth(bridge.getText(), address.getText());
			case NONE -> NetworkSpec.NONE;
		};
	}

	/** Shows the validator's sentences about the network (and the net namespace it needs) under the fields. */
	public void showProblems(List<Problem> all) {
		ProblemLabels.show(problems, all, f -> f.startsWith("network.") || f.equals("namespaces.net"));
	}
}
