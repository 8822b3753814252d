package org.berth.ui.wizards;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.berth.client.inventory.Connection;
import org.berth.client.inventory.Connections;
import org.berth.core.CommandLines;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ImageInfo;
import org.berth.core.Limits;
import org.berth.core.NamespaceType;
import org.berth.core.Problem;
import org.berth.core.Sizes;
import org.berth.core.SpecValidator;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.EngineJob;
import org.berth.ui.preferences.BerthPreferences;
import org.berth.ui.specs.LimitsEditor;
import org.berth.ui.specs.NamespacesEditor;
import org.berth.ui.specs.NetworkEditor;
import org.berth.ui.specs.ProblemLabels;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * New Container: host, name, kind and template; namespaces; resources; network. Every change is validated at once
 * with the engine's {@link SpecValidator} and its sentences are shown where they belong. Finish defines the container
 * in a job (and starts it when asked). When the engine is an inventory of several {@link Connections}, the first page
 * asks on which host: the templates, images, the name's check and the containers to share with are then that host's,
 * and the container is defined there ({@code h2:web}, which the inventory routes to h2 as {@code web}).
 */
public final class NewContainerWizard extends Wizard {

	/** The key under which tests find widgets. */
	public static final String TEST_ID = NamespacesEditor.TEST_ID;

	private final ContainerEngine engine;
	/** The inventory's connections when the engine is one; else null. */
	private final Connections connections;
	private final GeneralPage general = new GeneralPage();
	private final NamespacesPage namespaces = new NamespacesPage();
	private final ResourcesPage resources = new ResourcesPage();
	private final NetworkPage network = new NetworkPage();
	private EngineJob job;

	public NewContainerWizard(ContainerEngine engine) {
		this.engine = engine;
		this.connections = engine instanceof Connections c ? c : null;
		setWindowTitle("New Container");
		setNeedsProgressMonitor(true); // creating runs in the wizard (see performFinish)
	}

	/** A dialog on this wizard (not yet open). */
	public static WizardDialog dialog(Shell parent, ContainerEngine engine) {
		WizardDialog d = new WizardDialog(parent, new NewContainerWizard(engine));
		d.setPageSize(720, 520);
		return d;
	}

	@Override
	public void addPages() {
		addPage(general);
		addPage(namespaces);
		addPage(resources);
		addPage(network);
	}

	/**
	 * The spec as entered so far (fields that cannot be read are left at their defaults), under the name typed (as the
	 * chosen {@link #host()} knows it); Finish defines it as {@link Connections#nameOn} names it.
	 */
	public ContainerSpec spec() {
		ContainerSpec.Builder b = ContainerSpec.builder(general.name());
		general.apply(b);
		if (namespaces.editor != null) {
			namespaces.editor.apply(b);
		}
		if (resources.editor != null && resources.editor.parseError() == null) {
			b.limits(resources.editor.limits());
		}
		network.apply(b);
		return b.build();
	}

	/** The host the container is made on: {@link Connection#LOCAL} unless another is chosen. */
	public String host() {
		return general.host;
	}

	/** {@link #spec()} as the engine names it: {@code h2:web} for web on h2. */
	private ContainerSpec target() {
		ContainerSpec spec = spec();
		String name = Connections.nameOn(host(), spec.name());
		return name.equals(spec.name()) ? spec : spec.withName(name);
	}

	/** The validator's sentences about {@link #spec()} on the chosen host. */
	public List<Problem> problems() {
		return SpecValidator.validate(spec(), connections == null ? engine.validationContext()
				: connections.validationContext(host()));
	}

	/** Re-validates every page (a name typed on page 1 can make a namespace choice wrong, and back). */
	void revalidate() {
		if (general.getControl() == null || namespaces.editor == null || resources.editor == null
				|| network.getControl() == null) {
			return; // still creating the pages
		}
		List<Problem> problems = problems();
		general.validate(problems);
		namespaces.validate(problems);
		resources.validate(problems);
		network.validate(problems);
		if (getContainer() != null && getContainer().getCurrentPage() != null) {
			getContainer().updateButtons(); // Finish depends on every page, not only the current one
		}
	}

	@Override
	public void createPageControls(Composite pageContainer) {
		super.createPageControls(pageContainer);
		revalidate();
	}

	/**
	 * Creates the container here, in the wizard, with its progress below the pages; when the host refuses, the wizard
	 * stays open with its sentence on the page and nothing typed is lost. Only the start (when asked for) runs in the
	 * background once the wizard has closed.
	 */
	@Override
	public boolean performFinish() {
		revalidate();
		if (!canFinish()) {
			return false;
		}
		ContainerSpec spec = target();
		String image = general.imageAlias();
		boolean start = general.startAfter.getSelection();
		AtomicReference<Throwable> refused = new AtomicReference<>();
		try {
			getContainer().run(true, false, monitor -> {
				SubMonitor progress = SubMonitor.convert(monitor, "Creating \"" + spec.name() + "\"", 1);
				try {
					BerthJobs.await(image == null ? engine.define(spec) : engine.createFromImage(spec, image),
							progress.split(1));
				} catch (Exception e) {
					refused.set(e);
				}
			});
		} catch (InvocationTargetException e) {
			refused.set(e.getCause());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			refused.set(e);
		}
		if (refused.get() != null) {
			((WizardPage) getContainer().getCurrentPage()).setErrorMessage("Could not create \"" + spec.name()
					+ "\": " + BerthJobs.message(refused.get()));
			return false;
		}
		if (start) {
			job = new EngineJob("Starting \"" + spec.name() + "\"", "Could not start the container") {
				@Override
				protected IStatus run(IProgressMonitor monitor) {
					try {
						BerthJobs.await(engine.start(spec.name()), monitor);
					} catch (Exception e) {
						return Status.error("\"" + spec.name() + "\" was created but did not start: " + BerthJobs
								.message(e), e);
					}
					return Status.OK_STATUS;
				}
			};
			job.schedule();
		}
		return true;
	}

	/** The start job Finish scheduled, for tests; null before Finish and when Finish did not start the container. */
	public EngineJob job() {
		return job;
	}

	/** The containers of the chosen host (a container shares namespaces only with those of its own host). */
	private List<String> otherContainers() {
		List<String> out = new ArrayList<>();
		for (ContainerSnapshot s : engine.list()) {
			if (connections == null || host().equals(connections.hostOf(s.name()))) {
				out.add(s.name());
			}
		}
		return out;
	}

	/** The halt signals offered (any other may be typed). */
	public static final List<String> HALT_SIGNALS = List.of("SIGUSR2", "SIGRTMIN+3", "SIGPWR", "SIGTERM", "SIGINT",
			"SIGQUIT");

	/**
	 * The halt signal that fits a kind: busybox init powers off on SIGUSR2; a program gets SIGTERM, which programs
	 * (unlike a shell as PID 1 with SIGUSR2) take as "shut down".
	 */
	public static String haltSignalFor(ContainerKind kind) {
		return kind == ContainerKind.APPLICATION ? "SIGTERM" : ContainerSpec.DEFAULT_HALT_SIGNAL;
	}

	/** Splits a command line into words as a shell does for plain words and '…' or "…" quotes. */
	public static List<String> words(String line) {
		List<String> out = new ArrayList<>();
		StringBuilder w = new StringBuilder();
		boolean inWord = false;
		char quote = 0;
		for (char ch : line.toCharArray()) {
			if (quote != 0) {
				if (ch == quote) {
					quote = 0;
				} else {
					w.append(ch);
				}
			} else if (ch == '\'' || ch == '"') {
				quote = ch;
				inWord = true;
			} else if (Character.isWhitespace(ch)) {
				if (inWord) {
					out.add(w.toString());
					w.setLength(0);
					inWord = false;
				}
			} else {
				w.append(ch);
				inWord = true;
			}
		}
		if (inWord) {
			out.add(w.toString());
		}
		return out;
	}

	// ---- pages ----------------------------------------------------------------------------------------------

	/** One entry of the template list: a template, or an image (with its base as the template). */
	private record Choice(String template, ImageInfo image) {
	}

	final class GeneralPage extends WizardPage {
		/** The connections offered, in the Host list's order; empty when there is no choice. */
		private final List<String> hosts = new ArrayList<>();
		private String host = Connection.LOCAL;
		private Combo hostList;
		/** Counts the template lists filled, so that a slow host's images do not join another host's list. */
		private int filled;
		private Text name;
		private Combo kind;
		private Combo template;
		private Label about;
		/** The template list's entries, in its order: the templates, then the images. */
		private final List<Choice> choices = new ArrayList<>();
		private Text program;
		private Combo haltSignal;
		private boolean haltSignalTyped;
		private Button startAfter;

		GeneralPage() {
			super("general", "New Container", null);
			setDescription("Name the container and choose what it is made from.");
		}

		@Override
		public void createControl(Composite parent) {
			IPreferenceStore prefs = BerthPreferences.store();
			Composite c = new Composite(parent, SWT.NONE);
			GridLayoutFactory.swtDefaults().numColumns(2).spacing(10, 8).applyTo(c);
			if (connections != null && connections.connections().size() > 1) {
				setDescription("Choose the host, name the container and choose what it is made from.");
				new Label(c, SWT.NONE).setText("&Host:");
				hostList = new Combo(c, SWT.READ_ONLY);
				hostList.setData(TEST_ID, "wizard.host");
				GridDataFactory.swtDefaults().hint(360, SWT.DEFAULT).applyTo(hostList);
				showHosts();
				hostList.addListener(SWT.Selection, e -> {
					int i = hostList.getSelectionIndex();
					if (i >= 0 && i < hosts.size() && !hosts.get(i).equals(host)) {
						hostChanged(hosts.get(i));
					}
				});
				// a host that drops or comes back while the wizard is open: its entry and the page say so
				Display display = c.getDisplay();
				Runnable listener = () -> {
					if (!display.isDisposed()) {
						display.asyncExec(() -> {
							if (!hostList.isDisposed()) {
								showHosts();
								revalidate();
							}
						});
					}
				};
				connections.addConnectionListener(listener);
				c.addDisposeListener(e -> connections.removeConnectionListener(listener));
			}
			// not "&Name": Alt+N is the dialog's Next
			new Label(c, SWT.NONE).setText("N&ame:");
			name = new Text(c, SWT.BORDER);
			name.setMessage("e.g. web1 (also its hostname)");
			name.setData(TEST_ID, "wizard.name");
			GridDataFactory.fillDefaults().grab(true, false).applyTo(name);

			new Label(c, SWT.NONE).setText("&Kind:");
			kind = new Combo(c, SWT.READ_ONLY);
			kind.setItems("System container (its own init as PID 1, a whole Linux system)",
					"Application container (one program)");
			kind.select(0);
			kind.setData(TEST_ID, "wizard.kind");

			new Label(c, SWT.NONE).setText("&Template:");
			template = new Combo(c, SWT.READ_ONLY);
			template.setData(TEST_ID, "wizard.template");
			fillTemplates(prefs.getString(BerthPreferences.DEFAULT_TEMPLATE));
			new Label(c, SWT.NONE);
			about = new Label(c, SWT.WRAP);
			about.setData(TEST_ID, "wizard.templateAbout");
			about.setForeground(c.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
			GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(about);
			showAbout();

			new Label(c, SWT.NONE).setText("&Program:");
			program = new Text(c, SWT.BORDER);
			program.setData(TEST_ID, "wizard.program");
			GridDataFactory.fillDefaults().grab(true, false).applyTo(program);

			// not "&Halt signal": Alt+H is the Host's
			new Label(c, SWT.NONE).setText("Halt si&gnal:");
			haltSignal = new Combo(c, SWT.DROP_DOWN);
			haltSignal.setItems(HALT_SIGNALS.toArray(String[]::new));
			haltSignal.setData(TEST_ID, "wizard.haltSignal");
			GridDataFactory.swtDefaults().hint(160, SWT.DEFAULT).applyTo(haltSignal);
			new Label(c, SWT.NONE);
			Label haltHint = new Label(c, SWT.WRAP);
			haltHint.setText("Stop sends it, then kills after the timeout. busybox init: SIGUSR2; systemd: SIGRTMIN+3;"
					+ " most programs: SIGTERM.");
			haltHint.setForeground(c.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
			GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(haltHint);
			kindChanged();

			new Label(c, SWT.NONE);
			startAfter = new Button(c, SWT.CHECK);
			startAfter.setText("&Start the container after creating it");
			startAfter.setData(TEST_ID, "wizard.start");

			name.addModifyListener(e -> revalidate());
			kind.addListener(SWT.Selection, e -> {
				kindChanged();
				revalidate();
			});
			program.addModifyListener(e -> revalidate());
			haltSignal.addListener(SWT.Modify, e -> {
				if (!settingHaltSignal) {
					haltSignalTyped = true;
					revalidate();
				}
			});
			template.addListener(SWT.Selection, e -> {
				showAbout();
				revalidate();
			});
			setControl(c);
		}

		/** The Host list's entries: each connection by name, where it goes, and whether it is away. */
		private void showHosts() {
			List<Connections.State> states = connections.connections();
			hosts.clear();
			String[] items = new String[states.size()];
			for (int i = 0; i < states.size(); i++) {
				Connections.State s = states.get(i);
				hosts.add(s.name());
				items[i] = s.name() + " — " + s.url() + (s.connected() ? "" : " (reconnecting)");
			}
			hostList.setItems(items);
			if (!hosts.contains(host) && template != null) { // removed meanwhile
				hostChanged(Connection.LOCAL);
			}
			hostList.select(hosts.indexOf(host));
		}

		/** Another host: its templates and images, its containers to share with, the name checked there. */
		private void hostChanged(String newHost) {
			host = newHost;
			Choice before = chosen();
			fillTemplates(before == null ? null : before.template());
			showAbout();
			if (namespaces.editor != null) {
				namespaces.editor.setOthers(otherContainers());
			}
			revalidate();
		}

		/** Lists the chosen host's templates (then its images, when it has answered), {@code preferred} selected. */
		private void fillTemplates(String preferred) {
			int fill = ++filled;
			String forHost = host;
			choices.clear();
			template.removeAll();
			for (String t : new TreeSet<>(connections == null ? engine.templates() : connections.templates(host))) {
				choices.add(new Choice(t, null));
				template.add(t + " (template)");
			}
			int index = 0;
			for (int i = 0; i < choices.size(); i++) {
				if (choices.get(i).template().equals(preferred)) {
					index = i;
				}
			}
			template.select(index);
			if (hostProblem() != null) {
				return; // away: it cannot list its images now, and the page says why
			}
			// the images join the list when the engine has answered (an agent's answer is not to be waited for on
			// the UI thread); an engine that keeps none (an Incus server's: its images are its templates) leaves the
			// templates alone
			Display display = template.getDisplay();
			var images = connections == null ? engine.images() : connections.images(host);
			images.whenComplete((list, failure) -> {
				if (failure != null) {
					Throwable why = failure instanceof CompletionException && failure.getCause() != null ? failure
							.getCause() : failure;
					if (!(why instanceof UnsupportedOperationException)) {
						ILog.get().log(Status.warning("The images of " + forHost + " could not be listed: "
								+ BerthJobs.message(why), why));
					}
					return;
				}
				display.asyncExec(() -> {
					if (template.isDisposed() || fill != filled) {
						return;
					}
					for (ImageInfo i : list) {
						choices.add(new Choice(i.base(), i));
						template.add(i.alias() + " (image, " + Sizes.formatBytes(i.sizeBytes()) + ")");
					}
				});
			});
		}

		/** Null while the chosen host's connection answers; else why not. Non-blocking. */
		private String hostProblem() {
			if (connections == null) {
				return null;
			}
			for (Connections.State s : connections.connections()) {
				if (s.name().equals(host)) {
					return s.problem();
				}
			}
			return "there is no connection \"" + host + "\" any more";
		}

		/** What the chosen template or image is, under the list. */
		private void showAbout() {
			Choice chosen = chosen();
			String text;
			if (chosen == null) {
				text = "";
			} else if (chosen.image() == null) {
				text = switch (chosen.template()) {
					case "busybox" -> "Debian's static busybox with busybox init: 2 MB, made at once.";
					case "host" -> "The host's /usr, read-only, with an /etc, /root and /var of its own.";
					case "debian" -> "Debian made by debootstrap: minutes the first time, then from a cache.";
					default -> "A template of the engine.";
				};
			} else {
				ImageInfo i = chosen.image();
				text = (i.description().isEmpty() ? "An image" : i.description()) + " — " + i.origin()
						+ (i.base() == null ? "" : ", behaves as the " + i.base() + " template") + ".";
			}
			about.setText(text);
			about.getParent().layout(true, true);
		}

		private Choice chosen() {
			int i = template == null ? -1 : template.getSelectionIndex();
			return i < 0 || i >= choices.size() ? null : choices.get(i);
		}

		/** The alias of the chosen image, or null when a template is chosen. */
		String imageAlias() {
			Choice chosen = chosen();
			return chosen == null || chosen.image() == null ? null : chosen.image().alias();
		}

		private boolean settingHaltSignal;

		/** The program field is for an application's program; the halt signal follows the kind until typed. */
		private void kindChanged() {
			boolean application = kind.getSelectionIndex() == 1;
			program.setEnabled(application);
			program.setMessage(application ? "the program and its arguments, e.g. /bin/httpd -f -p 8080"
					: "the template's init");
			if (!haltSignalTyped) {
				settingHaltSignal = true;
				try {
					haltSignal.setText(haltSignalFor(application ? ContainerKind.APPLICATION : ContainerKind.SYSTEM));
				} finally {
					settingHaltSignal = false;
				}
			}
		}

		String name() {
			return name == null ? "" : name.getText().trim();
		}

		void apply(ContainerSpec.Builder b) {
			if (kind != null) {
				boolean application = kind.getSelectionIndex() == 1;
				b.kind(application ? ContainerKind.APPLICATION : ContainerKind.SYSTEM);
				Choice chosen = chosen();
				b.template(chosen == null ? null : chosen.template());
				if (application && !program.getText().isBlank()) {
					b.init(words(program.getText()));
				}
				b.haltSignal(haltSignal.getText().isBlank() ? null : haltSignal.getText().trim());
			}
		}

		void validate(List<Problem> problems) {
			Predicate<String> mine = f -> f.equals("name") || f.equals("template") || f.equals("rootfs")
					|| f.equals("init") || f.equals("haltSignal");
			String away = hostProblem();
			if (away != null) {
				// listed, but nothing can be made there until it is back: why, and no Finish
				setErrorMessage(host + " is not connected: " + away);
				setPageComplete(false);
				return;
			}
			if (name().isEmpty()) {
				// nothing typed yet: say what to do, not that it is wrong
				setErrorMessage(null);
				setMessage(getDescription());
				setPageComplete(false);
				return;
			}
			String taken = null;
			if (engine.get(Connections.nameOn(host, name())).isPresent()) {
				taken = "There is already a container named \"" + name() + "\""
						+ (host.equals(Connection.LOCAL) ? "." : " on " + host + ".");
			}
			ProblemLabels.apply(this, taken, problems, mine);
		}
	}

	final class NamespacesPage extends WizardPage {
		NamespacesEditor editor;

		NamespacesPage() {
			super("namespaces", "Namespaces", null);
			setDescription("For each namespace: a new one, the host's, or the one of another running container.");
		}

		@Override
		public void createControl(Composite parent) {
			editor = new NamespacesEditor(parent, otherContainers());
			ContainerSpec defaults = ContainerSpec.builder("x").build();
			editor.load(defaults);
			editor.addChangeListener(() -> {
				// one model: the Network page shows the network that goes with the net namespace chosen here
				if (network.editor != null) {
					network.editor.follow(editor.choice(NamespaceType.NET));
				}
				revalidate();
			});
			setControl(editor.control());
		}

		void validate(List<Problem> problems) {
			String parse = editor.parseError();
			editor.showProblems(problems, parse);
			ProblemLabels.apply(this, parse, problems, NamespacesEditor::isMine);
		}
	}

	final class ResourcesPage extends WizardPage {
		LimitsEditor editor;

		ResourcesPage() {
			super("resources", "Resources", null);
			setDescription("Limits of memory, CPU and processes (cgroup). Leave a field empty for no limit.");
		}

		@Override
		public void createControl(Composite parent) {
			IPreferenceStore prefs = BerthPreferences.store();
			editor = new LimitsEditor(parent);
			int mib = prefs.getInt(BerthPreferences.DEFAULT_MEMORY_LIMIT_MIB);
			int pids = prefs.getInt(BerthPreferences.DEFAULT_PIDS_LIMIT);
			editor.load(Limits.NONE.withMemoryBytes(mib > 0 ? mib * Sizes.MIB : null)
					.withPids(pids > 0 ? (long) pids : null));
			editor.addChangeListener(NewContainerWizard.this::revalidate);
			setControl(editor.control());
		}

		void validate(List<Problem> problems) {
			String parse = editor.parseError();
			editor.showProblems(problems, parse);
			ProblemLabels.apply(this, parse, problems, f -> f.startsWith("limits."));
		}
	}

	final class NetworkPage extends WizardPage {
		private NetworkEditor editor;
		private Text command;

		NetworkPage() {
			super("network", "Network", null);
			setDescription("How the container reaches the network.");
		}

		@Override
		public void createControl(Composite parent) {
			Composite c = new Composite(parent, SWT.NONE);
			GridLayoutFactory.swtDefaults().spacing(10, 6).applyTo(c);
			editor = new NetworkEditor(c);
			GridDataFactory.fillDefaults().grab(true, false).applyTo(editor.control());
			// keep the net namespace in step with the network mode, as a user expects
			editor.addModeListener(mode -> {
				if (namespaces.editor != null) {
					namespaces.editor.select(NetworkEditor.netNamespaceFor(mode));
				}
			});
			editor.addChangeListener(NewContainerWizard.this::revalidate);

			Label l = new Label(c, SWT.NONE);
			l.setText("The same from the command line:");
			GridDataFactory.fillDefaults().indent(0, 16).applyTo(l);
			command = new Text(c, SWT.BORDER | SWT.READ_ONLY | SWT.WRAP | SWT.MULTI);
			command.setData(TEST_ID, "wizard.command");
			GridDataFactory.fillDefaults().grab(true, false).hint(500, SWT.DEFAULT).applyTo(command);
			setControl(c);
		}

		void apply(ContainerSpec.Builder b) {
			if (editor != null) {
				b.network(editor.network());
			}
		}

		void validate(List<Problem> problems) {
			editor.showProblems(problems);
			ProblemLabels.apply(this, null, problems, f -> f.startsWith("network.") || f.equals("namespaces.net"));
			String line = CommandLines.createCommandLine(target());
			String image = general.imageAlias();
			if (image != null) { // the image's base is the template; the command names the image
				line = line.replaceFirst(" --template \\S+", "") + " --image " + image;
			}
			if (!line.equals(command.getText())) {
				command.setText(line);
				command.getParent().layout(true, true);
			}
		}
	}
}
