package org.berth.ui.editor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.berth.core.CommandLines;
import org.berth.core.ContainerKind;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.EngineEvent;
import org.berth.core.EngineListener;
import org.berth.core.Limits;
import org.berth.core.Problem;
import org.berth.core.SpecValidator;
import org.berth.ui.handlers.MigrateActions;
import org.berth.ui.handlers.MigrateHandler;
import org.berth.ui.internal.Engines;
import org.berth.ui.internal.Formats;
import org.berth.ui.jobs.BerthJobs;
import org.berth.ui.jobs.EngineJob;
import org.berth.ui.specs.LimitsEditor;
import org.berth.ui.specs.NamespacesEditor;
import org.berth.ui.specs.NetworkEditor;
import org.berth.ui.wizards.NewContainerWizard;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.ListenerList;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.FontDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.ISelectionChangedListener;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.MultiPageEditorPart;

/**
 * The container editor: Overview (state, PID, uptime, root file system, the equivalent {@code berth} command),
 * Namespaces (saved with the spec, applied at the next start), Resources (applied live to a running container),
 * Network (saved with the spec, like the namespaces), Console log (what init writes, followed live;
 * {@link ConsoleLogPage}), Snapshots ({@link SnapshotsPage}), Checkpoints ({@link CheckpointsPage}) and Files
 * ({@link FilesPage}). The Overview's Migrate… opens the Migrate dialog, as Container > Migrate… does (disabled, with
 * the reason in its tooltip, unless the container runs or is stopped).
 */
public final class ContainerEditor extends MultiPageEditorPart {

	/** The editor id in plugin.xml. */
	public static final String ID = "org.berth.ui.editor.container";

	/** The key under which tests find widgets. */
	public static final String TEST_ID = NamespacesEditor.TEST_ID;

	private final AtomicBoolean pending = new AtomicBoolean();
	private ContainerEngine engine;
	private EngineListener listener;
	private String name;
	private ContainerSnapshot snapshot;
	private LocalResourceManager resources;

	private final List<Label[]> overviewRows = new ArrayList<>();
	private Text command;
	private Button migrate;
	private Label namespacesNote;
	private NamespacesEditor namespaces;
	private NetworkEditor network;
	private Label networkNote;
	private Text program;
	private Text description;
	private Text tags;
	private Button autostart;
	private Spinner bootOrder;
	private Spinner bootDelay;
	private Label wordsProblems;
	private Combo haltSignal;
	private Label programNote;
	private Label programProblems;
	private LimitsEditor limits;
	private Label limitsNote;
	private Button applyLimits;
	private ConsoleLogPage consoleLog;
	private SnapshotsPage snapshotsPage;
	private int snapshotsPageIndex = -1;
	private CheckpointsPage checkpointsPage;
	private int checkpointsPageIndex = -1;
	private FilesPage filesPage;
	private int filesPageIndex = -1;
	private int consolePageIndex = -1;
	private boolean dirty;
	private EngineJob lastJob;
	private final ContainerSelection selection = new ContainerSelection();

	@Override
	public void init(IEditorSite site, IEditorInput input) throws PartInitException {
		if (!(input instanceof ContainerEditorInput in)) {
			throw new PartInitException("the container editor opens containers, not " + input.getName());
		}
		engine = Engines.find().orElseThrow(() -> new PartInitException(Engines.NOT_AVAILABLE));
		name = in.containerName();
		snapshot = engine.get(name).orElseThrow(() -> new PartInitException("there is no container \"" + name + "\""));
		super.init(site, input);
		site.setSelectionProvider(selection); // instead of the nested editors' selection: there are none
		setPartName(name);
	}

	/** The editor's selection is its container, so the Container menu, its keys and the graphs act on it. */
	private final class ContainerSelection implements ISelectionProvider {
		private final ListenerList<ISelectionChangedListener> listeners = new ListenerList<>();

		@Override
		public ISelection getSelection() {
			return new StructuredSelection(snapshot);
		}

		@Override
		public void setSelection(ISelection ignored) {
			// always the editor's container
		}

		@Override
		public void addSelectionChangedListener(ISelectionChangedListener l) {
			listeners.add(l);
		}

		@Override
		public void removeSelectionChangedListener(ISelectionChangedListener l) {
			listeners.remove(l);
		}

		/** The container changed (its state, say): what acts on it looks again. */
		void changed() {
			SelectionChangedEvent e = new SelectionChangedEvent(this, getSelection());
			for (ISelectionChangedListener l : listeners) {
				l.selectionChanged(e);
			}
		}
	}

	@Override
	protected void createPages() {
		resources = new LocalResourceManager(JFaceResources.getResources(), getContainer());
		setPageText(addPage(scrolled(this::overview)), "Overview");
		setPageText(addPage(scrolled(this::namespacesPage)), "Namespaces");
		setPageText(addPage(scrolled(this::resourcesPage)), "Resources");
		setPageText(addPage(scrolled(this::networkPage)), "Network");
		setPageText(addPage(scrolled(this::programPage)), "Program");
		consoleLog = new ConsoleLogPage(engine, name);
		consolePageIndex = addPage(consoleLog.create(getContainer()));
		setPageText(consolePageIndex, "Console log");
		snapshotsPage = new SnapshotsPage(engine, name);
		snapshotsPageIndex = addPage(snapshotsPage.create(getContainer()));
		setPageText(snapshotsPageIndex, "Snapshots");
		snapshotsPage.refresh();
		checkpointsPage = new CheckpointsPage(engine, name);
		checkpointsPageIndex = addPage(checkpointsPage.create(getContainer()));
		setPageText(checkpointsPageIndex, "Checkpoints");
		checkpointsPage.refresh();
		filesPage = new FilesPage(engine, name);
		filesPageIndex = addPage(filesPage.create(getContainer()));
		setPageText(filesPageIndex, "Files");
		filesPage.go("/");
		listener = this::engineChanged;
		engine.addListener(listener);
		update();
		tickUptime();
	}

	/** Keeps the uptime on the Overview counting while the container runs (once a second, while the editor is open). */
	private void tickUptime() {
		var display = getContainer().getDisplay();
		display.timerExec(1000, () -> {
			if (getContainer() == null || getContainer().isDisposed()) {
				return;
			}
			overviewRows.get(UPTIME_ROW)[1].setText(uptimeText(snapshot));
			tickUptime();
		});
	}

	private static final int UPTIME_ROW = 4;

	private static String uptimeText(ContainerSnapshot s) {
		return s.isActive() && s.startedAt() != null
				? Formats.uptime(s.startedAt(), Instant.now()) + " (since " + s.startedAt() + ")"
				: "—";
	}

	// ---- pages ----------------------------------------------------------------------------------------------

	/** A page whose content scrolls when the editor is small. */
	private Composite scrolled(java.util.function.Function<Composite, Composite> content) {
		ScrolledComposite sc = new ScrolledComposite(getContainer(), SWT.V_SCROLL | SWT.H_SCROLL);
		sc.setExpandHorizontal(true);
		sc.setExpandVertical(true);
		Composite c = content.apply(sc);
		sc.setContent(c);
		Runnable resize = () -> sc.setMinSize(c.computeSize(Math.max(400, sc.getClientArea().width), SWT.DEFAULT));
		sc.addListener(SWT.Resize, e -> resize.run());
		resize.run();
		return sc;
	}

	private static final String[] OVERVIEW = {"State", "Kind", "Privilege", "Init PID", "Uptime", "Last run",
			"Template",
			"Root file system", "Network", "Limits"};

	private Composite overview(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		GridLayoutFactory.swtDefaults().numColumns(2).margins(12, 12).spacing(16, 6).applyTo(c);
		var bold = resources.create(FontDescriptor.createFrom(JFaceResources.getDialogFont()).setStyle(SWT.BOLD));
		for (String title : OVERVIEW) {
			Label t = new Label(c, SWT.NONE);
			t.setText(title + ":");
			t.setFont(bold);
			Label v = new Label(c, SWT.WRAP);
			v.setData(TEST_ID, "editor.overview." + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
			GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(v);
			overviewRows.add(new Label[]{t, v});
		}
		Label dl = new Label(c, SWT.NONE);
		dl.setText("&Description:");
		dl.setFont(bold);
		description = new Text(c, SWT.BORDER);
		description.setData(TEST_ID, "editor.description");
		description.setMessage("what it is for, in a line");
		description.setText(snapshot.spec().description());
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(description);
		Label tl = new Label(c, SWT.NONE);
		tl.setText("T&ags:");
		tl.setFont(bold);
		tags = new Text(c, SWT.BORDER);
		tags.setData(TEST_ID, "editor.tags");
		tags.setMessage("words to find it by, e.g. web prod (the filter of the Containers view finds them)");
		tags.setText(String.join(" ", snapshot.spec().tags()));
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(tags);
		Label al = new Label(c, SWT.NONE);
		al.setText("A&utostart:");
		al.setFont(bold);
		Composite boot = new Composite(c, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(5).applyTo(boot);
		autostart = new Button(boot, SWT.CHECK);
		autostart.setText("when the agent starts, in boot order");
		autostart.setData(TEST_ID, "editor.autostart");
		autostart.setSelection(snapshot.spec().autostart());
		bootOrder = new Spinner(boot, SWT.BORDER);
		bootOrder.setData(TEST_ID, "editor.bootOrder");
		bootOrder.setValues(snapshot.spec().bootOrder(), -1000, 1000, 0, 1, 10);
		bootOrder.setToolTipText("Lower starts first (after the containers whose namespaces it shares)");
		new Label(boot, SWT.NONE).setText("then wait");
		bootDelay = new Spinner(boot, SWT.BORDER);
		bootDelay.setData(TEST_ID, "editor.bootDelay");
		bootDelay.setValues(snapshot.spec().bootDelaySeconds(), 0, 3600, 0, 1, 10);
		bootDelay.setToolTipText("Seconds to wait after starting it before starting the next");
		new Label(boot, SWT.NONE).setText("s before the next");
		autostart.addListener(SWT.Selection, e -> specChanged());
		bootOrder.addModifyListener(e -> specChanged());
		bootDelay.addModifyListener(e -> specChanged());
		wordsProblems = new Label(c, SWT.WRAP);
		wordsProblems.setData(TEST_ID, "editor.words.problems");
		wordsProblems.setForeground(c.getDisplay().getSystemColor(SWT.COLOR_RED));
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(500, SWT.DEFAULT).applyTo(wordsProblems);
		description.addModifyListener(e -> specChanged());
		tags.addModifyListener(e -> specChanged());
		Label l = new Label(c, SWT.NONE);
		l.setText("The same from the command line:");
		l.setFont(bold);
		GridDataFactory.fillDefaults().span(2, 1).indent(0, 12).applyTo(l);
		command = new Text(c, SWT.BORDER | SWT.READ_ONLY | SWT.WRAP | SWT.MULTI);
		command.setData(TEST_ID, "editor.command");
		GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(500, SWT.DEFAULT).applyTo(command);
		Button copy = new Button(c, SWT.PUSH);
		copy.setText("&Copy");
		copy.addListener(SWT.Selection, e -> {
			Clipboard clipboard = new Clipboard(c.getDisplay());
			try {
				clipboard.setContents(new Object[]{command.getText()}, new Transfer[]{TextTransfer.getInstance()});
			} finally {
				clipboard.dispose();
			}
		});
		Label ml = new Label(c, SWT.NONE);
		ml.setText("Another host:");
		ml.setFont(bold);
		GridDataFactory.fillDefaults().span(2, 1).indent(0, 12).applyTo(ml);
		Composite move = new Composite(c, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(2).spacing(10, 0).applyTo(move);
		GridDataFactory.fillDefaults().span(2, 1).applyTo(move);
		migrate = new Button(move, SWT.PUSH);
		migrate.setText("Mi&grate...");
		migrate.setData(TEST_ID, "editor.migrate");
		migrate.addListener(SWT.Selection, e -> MigrateHandler.open(getSite().getShell(), engine, name));
		Label mh = new Label(move, SWT.WRAP);
		mh.setText("moves it to another Berth host over ssh; a running container moves live");
		GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(400, SWT.DEFAULT)
				.applyTo(mh);
		return c;
	}

	private Composite namespacesPage(Composite parent) {
		Composite c = page(parent);
		namespacesNote = note(c, "editor.namespaces.note");
		namespaces = new NamespacesEditor(c, others());
		namespaces.load(snapshot.spec());
		if (engine.namespacesFixed(name).isPresent()) {
			namespaces.setReadOnly(); // the note says why
		}
		namespaces.addChangeListener(() -> {
			if (network != null) { // one model: the Network page shows the network that goes with the net chosen
				network.follow(namespaces.choice(org.berth.core.NamespaceType.NET));
			}
			specChanged();
		});
		saveButton(c);
		return c;
	}

	private Composite networkPage(Composite parent) {
		Composite c = page(parent);
		networkNote = note(c, "editor.network.note");
		network = new NetworkEditor(c);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(network.control());
		network.load(snapshot.spec().network());
		network.addModeListener(mode -> namespaces.select(NetworkEditor.netNamespaceFor(mode)));
		network.addChangeListener(this::specChanged);
		saveButton(c);
		return c;
	}

	/** What runs as the container's PID 1 and the signal that asks it to end (saved with the spec). */
	private Composite programPage(Composite parent) {
		Composite c = page(parent);
		programNote = note(c, "editor.program.note");
		Composite fields = new Composite(c, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(2).spacing(10, 8).applyTo(fields);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(fields);
		ContainerSpec spec = snapshot.spec();
		new Label(fields, SWT.NONE).setText("&Program:");
		program = new Text(fields, SWT.BORDER);
		program.setData(TEST_ID, "editor.program");
		program.setMessage(spec.kind() == ContainerKind.APPLICATION
				? "the program and its arguments, e.g. /bin/httpd -f -p 8080 (empty: /bin/sh)"
				: "empty: the template's init (/sbin/init)");
		program.setText(spec.init() == null ? "" : CommandLines.shellQuote(spec.init()));
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(program);
		new Label(fields, SWT.NONE).setText("&Halt signal:");
		haltSignal = new Combo(fields, SWT.DROP_DOWN);
		haltSignal.setItems(NewContainerWizard.HALT_SIGNALS.toArray(String[]::new));
		haltSignal.setText(spec.haltSignal());
		haltSignal.setData(TEST_ID, "editor.haltSignal");
		GridDataFactory.swtDefaults().hint(160, SWT.DEFAULT).applyTo(haltSignal);
		new Label(fields, SWT.NONE);
		Label hint = new Label(fields, SWT.WRAP);
		hint.setText("Stop sends it, then kills after the timeout. busybox init: SIGUSR2; systemd: SIGRTMIN+3;"
				+ " most programs: SIGTERM.");
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(hint);
		programProblems = new Label(c, SWT.WRAP);
		programProblems.setData(TEST_ID, "editor.program.problems");
		programProblems.setForeground(c.getDisplay().getSystemColor(SWT.COLOR_RED));
		GridDataFactory.fillDefaults().grab(true, false).hint(500, SWT.DEFAULT).applyTo(programProblems);
		program.addModifyListener(e -> specChanged());
		haltSignal.addListener(SWT.Modify, e -> specChanged());
		saveButton(c);
		return c;
	}

	private Composite resourcesPage(Composite parent) {
		Composite c = page(parent);
		limitsNote = note(c, "editor.limits.note");
		limits = new LimitsEditor(c);
		limits.load(snapshot.spec().limits());
		limits.addChangeListener(this::limitsChanged);
		applyLimits = new Button(c, SWT.PUSH);
		applyLimits.setText("&Apply limits");
		applyLimits.setData(TEST_ID, "editor.limits.apply");
		applyLimits.addListener(SWT.Selection, e -> applyLimits());
		return c;
	}

	/** An editing page: one column with margins. */
	private static Composite page(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		GridLayoutFactory.swtDefaults().margins(12, 12).applyTo(c);
		return c;
	}

	/** The sentence on top of a page that says when its changes apply. */
	private static Label note(Composite page, String testId) {
		Label l = new Label(page, SWT.WRAP);
		l.setData(TEST_ID, testId);
		GridDataFactory.fillDefaults().grab(true, false).hint(500, SWT.DEFAULT).applyTo(l);
		return l;
	}

	private void saveButton(Composite page) {
		Button save = new Button(page, SWT.PUSH);
		save.setText("&Save (Ctrl+S)");
		save.addListener(SWT.Selection, e -> doSave(null));
	}

	private List<String> others() {
		return engine.list().stream().map(ContainerSnapshot::name).filter(n -> !n.equals(name)).toList();
	}

	// ---- behaviour ------------------------------------------------------------------------------------------

	private void engineChanged(EngineEvent e) {
		if (!e.name().equals(name) && e.kind() != EngineEvent.Kind.DEFINED && e.kind() != EngineEvent.Kind.DESTROYED) {
			return;
		}
		var display = getSite().getShell().getDisplay();
		if (pending.compareAndSet(false, true) && !display.isDisposed()) {
			display.asyncExec(() -> {
				pending.set(false);
				if (getContainer() == null || getContainer().isDisposed()) {
					return;
				}
				var current = engine.get(name);
				if (current.isEmpty()) {
					getSite().getPage().closeEditor(this, false);
					return;
				}
				snapshot = current.get();
				selection.changed();
				snapshotsPage.containerChanged();
				checkpointsPage.containerChanged();
				if (!dirty) {
					namespaces.setOthers(others());
					namespaces.load(snapshot.spec());
					network.load(snapshot.spec().network());
				}
				update();
			});
		}
	}

	private void update() {
		ContainerSnapshot s = snapshot;
		ContainerSpec spec = s.spec();
		String[] values = {Formats.state(s.state()), Formats.kind(spec.kind()), Formats.privilege(spec),
				s.initPid() > 0 ? Long.toString(s.initPid()) : "—",
				uptimeText(s),
				s.lastExit() == null ? "—" : s.lastExit(), spec.template() == null ? "—" : spec.template(),
				spec.rootfs() == null ? "the engine's own directory, made from the template" : spec.rootfs(),
				Formats.network(spec.network()), limitsText(spec.limits())};
		for (int i = 0; i < values.length; i++) {
			overviewRows.get(i)[1].setText(values[i]);
		}
		command.setText(CommandLines.createCommandLine(spec));
		String blocker = MigrateActions.blocker(s);
		migrate.setEnabled(blocker == null);
		migrate.setToolTipText(blocker != null ? blocker : "Move \"" + name + "\" to another Berth host");
		// the state as it is now (running, frozen, starting…), not "running" for every active state
		String is = "\"" + name + "\" is " + Formats.state(s.state()).toLowerCase(java.util.Locale.ROOT);
		namespacesNote.setText(engine.namespacesFixed(name).orElse(s.isActive() ? is + ": changes to its namespaces are"
				+ " saved now and apply at its next start." : "Changes apply when \"" + name + "\" starts."));
		networkNote.setText(s.isActive() ? is + ": a changed network is saved now and applies at its next start."
				: "Changes apply when \"" + name + "\" starts.");
		programNote.setText(s.isActive() ? is + ": a changed program or halt signal is saved now and applies at its"
				+ " next start."
				: "Changes apply when \"" + name
						+ "\" starts.");
		limitsNote.setText(s.isActive() ? is + ": Apply changes its limits at once."
				: "Apply saves the limits; they take effect when \"" + name + "\" starts.");
		specChanged();
		limitsChanged();
		consoleLog.update(s);
		command.getParent().layout(true, true);
		for (int i = 0; i < getPageCount(); i++) {
			if (getControl(i) instanceof ScrolledComposite sc && sc.getContent() != null) {
				sc.setMinSize(sc.getContent().computeSize(Math.max(400, sc.getClientArea().width), SWT.DEFAULT));
			}
		}
	}

	private static String limitsText(Limits l) {
		List<String> parts = new ArrayList<>();
		if (l.memoryBytes() != null) {
			parts.add("memory " + org.berth.core.Sizes.formatBytes(l.memoryBytes()));
		}
		if (l.cpus() != null) {
			parts.add(org.berth.core.Sizes.formatCpus(l.cpus()) + " CPUs");
		}
		if (l.pids() != null) {
			parts.add(l.pids() + " processes");
		}
		return parts.isEmpty() ? "none" : String.join(", ", parts);
	}

	private ContainerSpec editedSpec() {
		ContainerSpec.Builder b = snapshot.spec().toBuilder();
		namespaces.apply(b);
		b.network(network.network());
		if (program != null) {
			List<String> words = NewContainerWizard.words(program.getText());
			b.init(words.isEmpty() ? null : words);
			b.haltSignal(haltSignal.getText().isBlank() ? null : haltSignal.getText().trim());
		}
		if (description != null) {
			b.description(description.getText());
			b.tags(List.of(tags.getText().trim().split("[\\s,]+")));
			b.autostart(autostart.getSelection()).bootOrder(bootOrder.getSelection())
					.bootDelaySeconds(bootDelay.getSelection());
		}
		return b.build();
	}

	private void specChanged() {
		String parse = namespaces.parseError();
		ContainerSpec edited = editedSpec();
		List<Problem> problems = SpecValidator.validate(Engines.validatable(edited),
				Engines.validationContextOf(engine, name));
		namespaces.showProblems(problems, parse);
		network.showProblems(problems);
		if (programProblems != null) {
			programProblems.setText(String.join("\n", problems.stream()
					.filter(p -> p.field().equals("init") || p.field().equals("haltSignal")).map(Problem::message)
					.toList()));
			programProblems.getParent().layout(true, true);
		}
		if (wordsProblems != null) {
			wordsProblems.setText(String.join("\n", problems.stream()
					.filter(p -> p.field().equals("description") || p.field().equals("tags")
							|| p.field().startsWith("boot"))
					.map(Problem::message)
					.toList()));
			wordsProblems.getParent().layout(true, true);
		}
		boolean nowDirty = parse != null || !edited.namespaces().equals(snapshot.spec().namespaces())
				|| !edited.uidMaps().equals(snapshot.spec().uidMaps())
				|| !edited.network().equals(snapshot.spec().network())
				|| !java.util.Objects.equals(edited.init(), snapshot.spec().init())
				|| !edited.haltSignal().equals(snapshot.spec().haltSignal())
				|| !edited.description().equals(snapshot.spec().description())
				|| !edited.tags().equals(snapshot.spec().tags()) || edited.autostart() != snapshot.spec().autostart()
				|| edited.bootOrder() != snapshot.spec().bootOrder()
				|| edited.bootDelaySeconds() != snapshot.spec().bootDelaySeconds();
		if (nowDirty != dirty) {
			dirty = nowDirty;
			firePropertyChange(PROP_DIRTY);
		}
	}

	private void limitsChanged() {
		String parse = limits.parseError();
		List<Problem> problems = parse == null
				? SpecValidator.validate(Engines.validatable(snapshot.spec().withLimits(limits.limits())),
						Engines.validationContextOf(engine, name))
				: List.of();
		limits.showProblems(problems, parse);
		applyLimits.setEnabled(parse == null && !SpecValidator.hasErrors(
				problems.stream().filter(p -> p.field().startsWith("limits.")).toList()));
	}

	/** Applies the limits on the Resources page: live when running, else in the spec. UI thread. */
	public void applyLimits() {
		Limits l = limits.limits();
		boolean live = snapshot.isActive();
		lastJob = new EngineJob((live ? "Changing the limits of \"" : "Saving the limits of \"") + name + "\"",
				"Could not change the limits") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					if (live) {
						BerthJobs.await(engine.setLimits(name, l), monitor);
					} else {
						ContainerSnapshot now = engine.get(name).orElseThrow();
						BerthJobs.await(engine.update(now.spec().withLimits(l)), monitor);
					}
					return Status.OK_STATUS;
				} catch (Exception e) {
					return Status.error("Could not change the limits of \"" + name + "\": " + BerthJobs.message(e), e);
				}
			}
		};
		lastJob.schedule();
	}

	@Override
	public void doSave(IProgressMonitor monitor) {
		String parse = namespaces.parseError();
		ContainerSpec edited = editedSpec();
		List<Problem> errors = SpecValidator
				.errors(SpecValidator.validate(Engines.validatable(edited), Engines.validationContextOf(engine, name)));
		if (parse != null || !errors.isEmpty()) {
			MessageDialog.openError(getSite().getShell(), "Cannot Save",
					parse != null ? parse : String.join("\n", errors.stream().map(Problem::message).toList()));
			return;
		}
		lastJob = new EngineJob("Saving \"" + name + "\"", "Could not save the container") {
			@Override
			protected IStatus run(IProgressMonitor m) {
				try {
					BerthJobs.await(engine.update(edited), m);
					return Status.OK_STATUS;
				} catch (Exception e) {
					return Status.error("Could not save \"" + name + "\": " + BerthJobs.message(e), e);
				}
			}
		};
		lastJob.schedule();
		dirty = false;
		firePropertyChange(PROP_DIRTY);
	}

	@Override
	protected void pageChange(int newPageIndex) {
		super.pageChange(newPageIndex);
		if (newPageIndex == consolePageIndex) {
			consoleLog.shown(snapshot);
		}
	}

	@Override
	public boolean isDirty() {
		return dirty;
	}

	@Override
	public void doSaveAs() {
		// a container has one name; Clone makes a copy
	}

	@Override
	public boolean isSaveAsAllowed() {
		return false;
	}

	@Override
	public void dispose() {
		if (engine != null && listener != null) {
			engine.removeListener(listener);
		}
		super.dispose();
	}

	// ---- for tests ------------------------------------------------------------------------------------------

	public String containerName() {
		return name;
	}

	public LimitsEditor limitsEditor() {
		return limits;
	}

	/** The index of the Snapshots page (tests show it). */
	public int filesPageIndex() {
		return filesPageIndex;
	}

	/** The names in the Files page's folder, for tests. */
	public List<String> fileNames() {
		return filesPage.shown().stream().map(org.berth.core.FileEntry::name).toList();
	}

	/** The Files page's folder, for tests. */
	public String filesFolder() {
		return filesPage.folder();
	}

	/** Lists {@code folder} on the Files page (as typing it and Enter does). */
	public void showFolder(String folder) {
		filesPage.go(folder);
	}

	/** Writes {@code content} to {@code file} through the Files page (as its edit dialog's Save does). */
	public void saveFile(String file, String content) {
		filesPage.write(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	public int snapshotsPageIndex() {
		return snapshotsPageIndex;
	}

	/** The index of the Checkpoints page. */
	public int checkpointsPageIndex() {
		return checkpointsPageIndex;
	}

	/** The Checkpoints page (tests drive it). */
	public CheckpointsPage checkpointsPage() {
		return checkpointsPage;
	}

	/** The index of the Console log page. */
	public int consolePageIndex() {
		return consolePageIndex;
	}

	/** The names the Snapshots page lists (UI thread). */
	public List<String> snapshotNames() {
		return snapshotsPage.shown().stream().map(org.berth.core.SnapshotInfo::name).toList();
	}

	/** Takes a snapshot as the page's Take button does, without asking for its name (UI thread). */
	public void takeSnapshot(String snapshot) {
		snapshotsPage.take(snapshot);
	}

	public NamespacesEditor namespacesEditor() {
		return namespaces;
	}

	/** The last job this editor scheduled (save or limits), or null. */
	public EngineJob lastJob() {
		return lastJob;
	}

	/** The command line shown on the Overview page. */
	public String commandLine() {
		return command.getText();
	}

	/** The text of the Console log page (empty until the page was shown). */
	public String consoleLogText() {
		return consoleLog.text();
	}

	/** The status line of the Console log page. */
	public String consoleLogStatus() {
		return consoleLog.status();
	}

	public NetworkEditor networkEditor() {
		return network;
	}

	/** Shows a page by index (0 Overview, 1 Namespaces, 2 Resources, 3 Network, 4 Console log). */
	public void showPage(int index) {
		setActivePage(index);
	}
}
