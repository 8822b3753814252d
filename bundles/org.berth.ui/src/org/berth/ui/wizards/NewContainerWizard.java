package org.berth.ui.wizards;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

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
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * New Container: name, kind and template; namespaces; resources; network. Every change is validated at once with
 * the engine's {@link SpecValidator} and its sentences are shown where they belong. Finish defines the container
 * in a job (and starts it when asked).
 */
public final class NewContainerWizard extends Wizard {

	/** The key under which tests find widgets. */
	public static final String TEST_ID = NamespacesEditor.TEST_ID;

	private final ContainerEngine engine;
	private final GeneralPage general = new GeneralPage();
	private final NamespacesPage namespaces = new NamespacesPage();
	private final ResourcesPage resources = new ResourcesPage();
	private final NetworkPage network = new NetworkPage();
	private EngineJob job;

	public NewContainerWizard(ContainerEngine engine) {
		this.engine = engine;
		setWindowTitle("New Container");
		setNeedsProgressMonitor(false);
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

	/** The spec as entered so far (fields that cannot be read are left at their defaults). */
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

	/** The validator's sentences about {@link #spec()}. */
	public List<Problem> problems() {
		return SpecValidator.validate(spec(), engine.validationContext());
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

	@Override
	public boolean performFinish() {
		revalidate();
		if (!canFinish()) {
			return false;
		}
		ContainerSpec spec = spec();
		String image = general.imageAlias();
		boolean start = general.startAfter.getSelection();
		job = new EngineJob((start ? "Creating and starting \"" : "Creating \"") + spec.name() + "\"",
				"Could not create the container") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				SubMonitor progress = SubMonitor.convert(monitor, getName(), start ? 2 : 1);
				try {
					progress.subTask("Defining \"" + spec.name() + "\"");
					BerthJobs.await(image == null ? engine.define(spec) : engine.createFromImage(spec, image),
							progress.split(1));
				} catch (Exception e) {
					return Status.error("Could not create \"" + spec.name() + "\": " + BerthJobs.message(e), e);
				}
				if (start) {
					try {
						progress.subTask("Starting \"" + spec.name() + "\"");
						BerthJobs.await(engine.start(spec.name()), progress.split(1));
					} catch (Exception e) {
						return Status.error("\"" + spec.name() + "\" was created but did not start: "
								+ BerthJobs.message(e), e);
					}
				}
				return Status.OK_STATUS;
			}
		};
		job.schedule();
		return true;
	}

	/** The job Finish scheduled, for tests; null before Finish. */
	public EngineJob job() {
		return job;
	}

	private List<String> otherContainers() {
		List<String> out = new ArrayList<>();
		for (ContainerSnapshot s : engine.list()) {
			out.add(s.name());
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
			for (String t : new TreeSet<>(engine.templates())) {
				choices.add(new Choice(t, null));
				template.add(t + " (template)");
			}
			// the images join the list when the engine has answered (an agent's answer is not to be waited for on
			// the UI thread); an engine that keeps none leaves the templates alone
			org.eclipse.swt.widgets.Display display = c.getDisplay();
			engine.images().thenAccept(images -> display.asyncExec(() -> {
				if (template.isDisposed()) {
					return;
				}
				for (ImageInfo i : images) {
					choices.add(new Choice(i.base(), i));
					template.add(i.alias() + " (image, " + Sizes.formatBytes(i.sizeBytes()) + ")");
				}
			}));
			String preferredName = prefs.getString(BerthPreferences.DEFAULT_TEMPLATE);
			int preferred = 0;
			for (int i = 0; i < choices.size(); i++) {
				if (choices.get(i).image() == null && choices.get(i).template().equals(preferredName)) {
					preferred = i;
				}
			}
			template.select(preferred);
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

			new Label(c, SWT.NONE).setText("&Halt signal:");
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
			if (name().isEmpty()) {
				// nothing typed yet: say what to do, not that it is wrong
				setErrorMessage(null);
				setMessage(getDescription());
				setPageComplete(false);
				return;
			}
			ProblemLabels.apply(this, engine.get(name()).isPresent()
					? "There is already a container named \"" + name() + "\"." : null, problems, mine);
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
			String line = CommandLines.createCommandLine(spec());
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
