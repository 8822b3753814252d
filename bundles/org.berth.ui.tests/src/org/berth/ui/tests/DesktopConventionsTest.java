package org.berth.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.core.ContainerSpec;
import org.berth.core.TerminalRequest;
import org.berth.ui.charts.GraphsView;
import org.berth.ui.charts.LimitHitsView;
import org.berth.ui.containers.ContainersView;
import org.berth.ui.editor.ContainerEditor;
import org.berth.ui.editor.ContainerEditorInput;
import org.berth.ui.handlers.BerthCommands;
import org.berth.ui.internal.app.BerthPerspective;
import org.berth.ui.internal.app.HelpDialog;
import org.berth.ui.namespaces.NamespacesView;
import org.berth.ui.terminal.TerminalTab;
import org.berth.ui.terminal.TerminalsView;
import org.eclipse.core.commands.Command;
import org.eclipse.jface.bindings.TriggerSequence;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.keys.IBindingService;
import org.eclipse.ui.menus.CommandContributionItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19, points 1 and 6: the console follows the desktop's conventions. The perspective gives the Containers table
 * and a terminal a real share of the window (read from the widgets' bounds; screenshot layout-terminal-open.png) and
 * comes back with Window ▸ Reset Perspective; no menu label shows a literal "&"; each tooltip names its key once;
 * Alt+letter in a terminal opens the menu; Preferences is not "(Filtered)" and shows an error whole; the Export CSV
 * dialog has a title; Limit Hits' headers are not cut; no blank editor area after the last editor closes; Open
 * Terminal is disabled on a stopped container; Help has its contents and the key list on Ctrl+Shift+L.
 */
class DesktopConventionsTest {

	@RegisterExtension
	static final Workbench workbench = Workbench.withContainers();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	/** A real share of the window's height. */
	private static final double REAL_SHARE = 0.30;
	private static final Pattern KEY = Pattern.compile("\\(((?:Shift|Ctrl|Alt|Meta)\\+[^)]*|F\\d+)\\)");

	private static IWorkbenchPage page() {
		return Workbench.window().getActivePage();
	}

	/** The page as the perspective makes it, whatever an earlier test or session moved. */
	private static void resetPerspective() {
		Workbench.syncRun(() -> page().resetPerspective());
	}

	private static Shell windowShell() {
		return Workbench.sync(() -> Workbench.window().getShell());
	}

	/** {@code c}'s height as a share of the window's client area. UI thread. */
	private static double heightShare(Control c) {
		Shell shell = c.getShell();
		return (double) c.getSize().y / shell.getClientArea().height;
	}

	private static double widthShare(Control c) {
		Shell shell = c.getShell();
		return (double) c.getSize().x / shell.getClientArea().width;
	}

	/** The control of the view that holds {@code c}: its page in the view's folder. UI thread. */
	private static Control part(Control c) {
		Control p = c;
		while (p.getParent() != null && !(p.getParent() instanceof org.eclipse.swt.custom.CTabFolder)) {
			p = p.getParent();
		}
		return p;
	}

	private static Table containersTable() {
		ContainersView view = Workbench.showView(ContainersView.ID, ContainersView.class);
		return Workbench.sync(() -> view.viewer().getTable());
	}

	// ---- 1. layout ------------------------------------------------------------------------------------------------

	@Test
	void aTerminalAndTheGraphsOpenInTheBottomFolderAndLeaveTheTableARealShare() throws Exception {
		workbench.run(ContainerSpec.builder("uit-dc-term").template("busybox").build());
		resetPerspective();
		Table table = containersTable();

		TerminalsView terminals = Workbench.showView(TerminalsView.ID, TerminalsView.class);
		TerminalTab tab = Workbench.sync(() -> terminals.open("uit-dc-term", TerminalRequest.shell(80, 24))
				.orElseThrow());
		Workbench.waitUntil("the shell is open", TIMEOUT, () -> tab.session() != null);
		Control terminal = Workbench.sync(() -> part(tab.terminal().getControl()));
		assertShares(table, terminal, "terminal");
		Rectangle tableBounds = Workbench.sync(() -> table.getDisplay().map(table.getParent(), null,
				table.getBounds()));
		Rectangle terminalBounds = Workbench.sync(() -> terminal.getDisplay().map(terminal.getParent(), null,
				terminal.getBounds()));
		assertTrue(terminalBounds.y >= tableBounds.y + tableBounds.height,
				"the terminal is under the table: " + terminalBounds + " vs " + tableBounds);
		assertTrue(Workbench.sync(() -> widthShare(terminal)) > 0.9, "the terminal spans the window");

		GraphsView graphs = Workbench.showView(GraphsView.ID, GraphsView.class);
		Control chart = Workbench.sync(() -> part(graphs.chart(org.berth.ui.charts.ChartKind.CPU)));
		assertShares(table, chart, "graphs");
		assertTrue(Workbench.sync(() -> widthShare(chart)) > 0.9, "the graphs span the window");
		Screenshots.save(windowShell(), "layout-graphs-open");

		// the graphs and the terminal share the bottom folder: the terminal is one tab away, still as big
		Workbench.showView(TerminalsView.ID, TerminalsView.class);
		assertShares(table, terminal, "terminal again");
		Screenshots.save(windowShell(), "layout-terminal-open");
	}

	private static void assertShares(Table table, Control other, String what) throws InterruptedException {
		Workbench.waitUntil("the " + what + " is laid out", TIMEOUT,
				() -> Workbench.sync(() -> other.isVisible() && other.getSize().y > 0));
		double tableShare = Workbench.sync(() -> heightShare(table));
		double otherShare = Workbench.sync(() -> heightShare(other));
		assertTrue(tableShare >= REAL_SHARE, "the Containers table keeps a real share of the height with the " + what
				+ " open: " + Math.round(tableShare * 100) + " %");
		assertTrue(otherShare >= REAL_SHARE,
				"the " + what + " gets a real share of the height: " + Math.round(otherShare * 100) + " %");
	}

	@Test
	void resetPerspectiveIsInTheWindowMenuAndBringsTheLayoutBack() throws Exception {
		List<String> window = Workbench.sync(() -> labels(topMenu("Window")));
		assertTrue(window.contains("Reset Perspective..."), "Window ▸ Reset Perspective…: " + window);
		Command reset = Workbench.sync(() -> PlatformUI.getWorkbench().getService(ICommandService.class)
				.getCommand("org.eclipse.ui.window.resetPerspective"));
		assertTrue(Workbench.sync(() -> reset.isEnabled() && reset.isHandled()), "Reset Perspective can run");

		Workbench.syncRun(() -> page().hideView(page().findView(NamespacesView.ID)));
		assertEquals(null, Workbench.sync(() -> page().findView(NamespacesView.ID)), "Namespaces hidden");
		resetPerspective();
		IViewPart namespaces = Workbench.sync(() -> page().findView(NamespacesView.ID));
		assertNotNull(namespaces, "Namespaces is back after the reset");
		assertFalse(Workbench.sync(() -> page().isEditorAreaVisible()), "no editor area without an editor");
	}

	// ---- 6. desktop conventions -----------------------------------------------------------------------------------

	@Test
	void noMenuLabelShowsALiteralAmpersandAndMnemonicsAreUniquePerMenu() {
		List<String> problems = Workbench.sync(() -> {
			List<String> out = new ArrayList<>();
			for (MenuItem top : windowShell().getMenuBar().getItems()) {
				check(top.getText(), "menu bar", new HashMap<>(), out);
				walk(top.getMenu(), top.getText(), out);
			}
			return out;
		});
		assertTrue(problems.isEmpty(), String.join("\n", problems));
	}

	private static void walk(Menu menu, String path, List<String> out) {
		if (menu == null) {
			return;
		}
		menu.notifyListeners(SWT.Show, new Event()); // a menu manager fills its menu as it is shown
		Map<Character, String> mnemonics = new HashMap<>();
		for (MenuItem item : menu.getItems()) {
			if ((item.getStyle() & SWT.SEPARATOR) != 0) {
				continue;
			}
			check(item.getText(), path, mnemonics, out);
			walk(item.getMenu(), path + " > " + item.getText(), out);
		}
		menu.notifyListeners(SWT.Hide, new Event());
	}

	/** Adds what is wrong with {@code text}: a literal "&" (a doubled one) or a mnemonic already used in its menu. */
	private static void check(String text, String path, Map<Character, String> mnemonics, List<String> out) {
		String label = text.split("\t")[0];
		int amp = label.indexOf('&');
		String shown = amp >= 0 && amp + 1 < label.length() && label.charAt(amp + 1) != '&'
				? label.substring(0, amp) + label.substring(amp + 1) : label;
		if (shown.contains("&")) {
			out.add(path + ": \"" + label + "\" shows a literal &");
		}
		if (amp >= 0 && amp + 1 < label.length() && label.charAt(amp + 1) != '&') {
			char m = Character.toLowerCase(label.charAt(amp + 1));
			String other = mnemonics.put(m, label);
			if (other != null && !path.equals("menu bar")) {
				out.add(path + ": \"" + label + "\" and \"" + other + "\" share the mnemonic " + m);
			}
		}
	}

	private static Menu topMenu(String name) {
		for (MenuItem top : windowShell().getMenuBar().getItems()) {
			if (top.getText().replace("&", "").equals(name)) {
				top.getMenu().notifyListeners(SWT.Show, new Event());
				return top.getMenu();
			}
		}
		throw new AssertionError("no menu " + name);
	}

	private static List<String> labels(Menu menu) {
		List<String> out = new ArrayList<>();
		for (MenuItem item : menu.getItems()) {
			out.add(item.getText().split("\t")[0].replace("&", ""));
		}
		return out;
	}

	@Test
	void eachToolTipNamesItsKeyOnceAndTheRightOne() {
		Table table = containersTable();
		Map<String, String> tips = Workbench.sync(() -> {
			Map<String, String> out = new HashMap<>();
			for (Control c : Widgets.all(table.getParent(), ToolBar.class::isInstance)) {
				for (ToolItem item : ((ToolBar) c).getItems()) {
					if (item.getData() instanceof CommandContributionItem ci) {
						out.put(ci.getCommand().getId(), item.getToolTipText());
					}
				}
			}
			return out;
		});
		IBindingService bindings = Workbench.sync(() -> PlatformUI.getWorkbench().getService(IBindingService.class));
		assertTrue(tips.containsKey(BerthCommands.CLONE), "the toolbar has Clone: " + tips.keySet());
		for (Map.Entry<String, String> e : tips.entrySet()) {
			TriggerSequence key = Workbench.sync(() -> bindings.getBestActiveBindingFor(e.getKey()));
			Matcher m = KEY.matcher(e.getValue());
			List<String> named = new ArrayList<>();
			while (m.find()) {
				named.add(m.group(1));
			}
			if (key == null) {
				assertTrue(named.isEmpty(), e.getKey() + " has no key but its tooltip names one: " + e.getValue());
			} else {
				assertEquals(List.of(Workbench.sync(key::format)), named,
						e.getKey() + "'s tooltip names its key once: " + e.getValue());
			}
		}
	}

	@Test
	void altAndALetterInATerminalOpensTheMenu() throws Exception {
		workbench.run(ContainerSpec.builder("uit-dc-alt").template("busybox").build());
		TerminalsView terminals = Workbench.showView(TerminalsView.ID, TerminalsView.class);
		TerminalTab tab = Workbench.sync(() -> terminals.open("uit-dc-alt", TerminalRequest.shell(80, 24))
				.orElseThrow());
		Workbench.waitUntil("the shell is open", TIMEOUT, () -> tab.session() != null);
		Menu windowMenu = Workbench.sync(() -> topMenu("Window"));
		AtomicBoolean shown = new AtomicBoolean();
		Workbench.syncRun(() -> windowMenu.addListener(SWT.Show, e -> shown.set(true)));
		// what any other control does: the Containers table
		Table table = containersTable();
		Workbench.syncRun(() -> {
			windowShell().forceActive();
			table.setFocus();
		});
		Workbench.waitUntil("the table has the focus", TIMEOUT, () -> Workbench.sync(table::isFocusControl));
		altW(shown); // fails here if even the table cannot: then the test cannot tell anything
		escape();
		shown.set(false);

		Workbench.syncRun(() -> tab.terminal().setFocus());
		Workbench.waitUntil("the terminal has the focus", TIMEOUT,
				() -> Workbench.sync(() -> tab.terminal().getControl().isFocusControl()));
		altW(shown);
		assertTrue(shown.get(), "Alt+W in the terminal opens the Window menu");
		Screenshots.save(windowShell(), "terminal-alt-w");
		escape();
		Workbench.waitUntil("the terminal has the focus back", TIMEOUT, () -> Workbench.sync(() -> tab.terminal()
				.getControl().isFocusControl()
				|| Workbench.display().getFocusControl() != null && Workbench
						.display().getFocusControl().getParent() == tab.terminal().getControl()));
	}

	/** Alt+W as a person types it: Alt held until the menu shows (or a timeout), then released. */
	private static void altW(AtomicBoolean shown) throws InterruptedException {
		Workbench.syncRun(() -> {
			post(SWT.KeyDown, SWT.ALT, '\0');
			post(SWT.KeyDown, 0, 'w');
		});
		try {
			Workbench.waitUntil("the menu shows", Duration.ofSeconds(10), shown::get);
		} finally {
			Workbench.syncRun(() -> {
				post(SWT.KeyUp, 0, 'w');
				post(SWT.KeyUp, SWT.ALT, '\0');
			});
		}
	}

	private static void escape() {
		Workbench.syncRun(() -> {
			post(SWT.KeyDown, SWT.ESC, '\0');
			post(SWT.KeyUp, SWT.ESC, '\0');
		});
	}

	private static void post(int type, int keyCode, char character) {
		Event e = new Event();
		e.type = type;
		e.keyCode = keyCode;
		e.character = character;
		Workbench.display().post(e);
	}

	@Test
	void preferencesAreNotFilteredAndShowAnErrorWhole() throws Exception {
		Workbench.display().asyncExec(() -> execute(BerthCommands.PREFERENCES));
		Workbench.waitUntil("the Preferences dialog", TIMEOUT, () -> Workbench.sync(() -> Widgets.shell(
				"Preferences") != null));
		Shell dialog = Workbench.sync(() -> Widgets.shell("Preferences"));
		assertEquals("Preferences", Workbench.sync(dialog::getText), "not \"(Filtered)\"");
		java.util.function.Supplier<List<Control>> fields = () -> Widgets.all(dialog, c -> c instanceof Text t
				&& t.getEditable() && t.isVisible() && Widgets.all(t.getParent(),
						l -> l instanceof org.eclipse.swt.widgets.Label label && label.getText().contains(
								"Refresh usage"))
						.size() == 1);
		try {
			Workbench.waitUntil("the Berth page is shown", TIMEOUT, () -> !Workbench.sync(fields).isEmpty());
		} catch (AssertionError e) {
			Screenshots.save(dialog, "preferences-not-shown");
			throw new AssertionError(e.getMessage() + ": " + Workbench.sync(() -> Widgets.all(dialog, c -> true)
					.stream().map(c -> c.getClass().getSimpleName() + "[" + text(c) + "]").toList()), e);
		}
		Text interval = Workbench.sync(() -> (Text) fields.get().get(0));
		Workbench.syncRun(() -> {
			interval.setFocus();
			interval.setText("0");
			Event up = new Event(); // validated as a key is released (a key press clears the error)
			up.character = '0';
			up.keyCode = '0';
			interval.notifyListeners(SWT.KeyUp, up);
		});
		String error = "The interval must be 1 to 3600 seconds.";
		String start = error.substring(0, 10); // the message line shortens in the middle what does not fit
		try {
			Workbench.waitUntil("the error is shown", TIMEOUT, () -> Workbench.sync(() -> !shownWith(dialog, start)
					.isEmpty()));
		} catch (AssertionError e) {
			Screenshots.save(dialog, "preferences-no-error");
			throw new AssertionError(e.getMessage() + ": " + Workbench.sync(() -> Widgets.all(dialog, c -> true)
					.stream().map(c -> c.getClass().getSimpleName() + "[" + text(c) + "]").toList()), e);
		}
		Screenshots.save(dialog, "preferences-error");
		List<String> cut = Workbench.sync(() -> {
			List<String> out = new ArrayList<>();
			for (Control c : shownWith(dialog, start)) {
				int needed = c.computeSize(SWT.DEFAULT, SWT.DEFAULT).x;
				if (!text(c).equals(error) || needed > c.getSize().x + 2) {
					out.add(c.getClass().getSimpleName() + " \"" + text(c) + "\" needs " + needed + " px, has " + c
							.getSize().x);
				}
			}
			return out;
		});
		assertTrue(cut.isEmpty(), "the error is cut: " + cut);
		Workbench.syncRun(dialog::close);
	}

	/** The visible controls under {@code root} whose text starts with {@code start}. UI thread. */
	private static List<Control> shownWith(Control root, String start) {
		return Widgets.all(root, c -> c.isVisible() && text(c).startsWith(start));
	}

	private static String text(Control c) {
		if (c instanceof Text t) {
			return t.getText();
		}
		if (c instanceof org.eclipse.swt.widgets.Label l) {
			return l.getText();
		}
		if (c instanceof org.eclipse.swt.custom.CLabel l) {
			return l.getText() == null ? "" : l.getText();
		}
		return "";
	}

	private static void execute(String command) {
		try {
			PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand(command, null);
		} catch (Exception e) {
			throw new AssertionError(e);
		}
	}

	@Test
	void theExportCsvDialogHasATitle() {
		String title = Workbench.sync(() -> GraphsView.exportDialog(windowShell(), List.of("web")).getText());
		assertEquals(GraphsView.EXPORT_TITLE, title);
		assertFalse(title.isBlank());
	}

	@Test
	void theLimitHitsHeadersAreNotCut() {
		LimitHitsView view = Workbench.showView(LimitHitsView.ID, LimitHitsView.class);
		assertNotNull(view);
		List<String> cut = Workbench.sync(() -> {
			List<String> out = new ArrayList<>();
			Table table = (Table) Widgets.all(Workbench.window().getShell(), c -> c instanceof Table t
					&& t.getColumnCount() > 0 && t.getColumn(0).getText().equals("Container")
					&& t.getColumnCount() >= 7).get(0);
			for (TableColumn c : table.getColumns()) {
				int width = c.getWidth();
				c.pack(); // what SWT measures the header (and the rows) to need
				int needed = c.getWidth();
				c.setWidth(width);
				if (width < needed) {
					out.add(c.getText() + " (" + width + " px, needs " + needed + ")");
				}
			}
			return out;
		});
		assertTrue(cut.isEmpty(), "headers cut: " + cut);
	}

	@Test
	void noBlankEditorAreaAfterTheLastEditorCloses() throws Exception {
		workbench.define(ContainerSpec.builder("uit-dc-edit").template("busybox").build());
		resetPerspective();
		Table table = containersTable();
		double alone = Workbench.sync(() -> widthShare(table));
		assertTrue(alone > 0.9, "the table spans the window without an editor: " + alone);
		Workbench.syncRun(() -> {
			try {
				page().openEditor(new ContainerEditorInput("uit-dc-edit"), ContainerEditor.ID);
			} catch (Exception e) {
				throw new AssertionError(e);
			}
		});
		assertTrue(Workbench.sync(() -> page().isEditorAreaVisible()), "the editor area shows with an editor");
		Workbench.syncRun(() -> page().closeAllEditors(false));
		Workbench.waitUntil("the editor area is hidden", TIMEOUT, () -> Workbench.sync(() -> !page()
				.isEditorAreaVisible()));
		Workbench.waitUntil("the table spans the window again", TIMEOUT,
				() -> Workbench.sync(() -> widthShare(table) > 0.9));
		Screenshots.save(windowShell(), "layout-after-last-editor");
	}

	@Test
	void openTerminalIsDisabledOnAStoppedContainer() throws Exception {
		workbench.define(ContainerSpec.builder("uit-dc-stopped").template("busybox").build());
		workbench.run(ContainerSpec.builder("uit-dc-running").template("busybox").build());
		ContainersPage page = ContainersPage.open();
		Workbench.activate(ContainersView.ID);
		Command open = Workbench.sync(() -> PlatformUI.getWorkbench().getService(ICommandService.class)
				.getCommand("org.berth.ui.terminal.open"));
		Workbench.waitUntil("both rows are shown", TIMEOUT, () -> Workbench.sync(() -> page.shownNames()
				.containsAll(List.of("uit-dc-stopped", "uit-dc-running"))));
		Workbench.syncRun(() -> page.select("uit-dc-running"));
		Workbench.waitUntil("Open Terminal enabled on the running one", TIMEOUT,
				() -> Workbench.sync(open::isEnabled));
		Workbench.syncRun(() -> page.select("uit-dc-stopped"));
		Workbench.waitUntil("Open Terminal disabled on the stopped one", TIMEOUT,
				() -> !Workbench.sync(open::isEnabled));
	}

	@Test
	void helpHasItsContentsAndTheKeyListOnCtrlShiftL() throws Exception {
		List<String> help = Workbench.sync(() -> labels(topMenu("Help")));
		assertTrue(help.contains("Help Contents"), "Help ▸ Help Contents: " + help);
		assertTrue(help.contains("Show Active Key Bindings"), "Help ▸ the key list: " + help);
		IBindingService bindings = Workbench.sync(() -> PlatformUI.getWorkbench().getService(IBindingService.class));
		assertEquals("Shift+Ctrl+L", Workbench.sync(() -> bindings
				.getBestActiveBindingFor("org.eclipse.ui.window.showKeyAssist").format()));

		Workbench.display().asyncExec(() -> execute("org.berth.ui.help.contents"));
		Workbench.waitUntil("the help dialog", TIMEOUT, () -> Workbench.sync(() -> Widgets.shell(
				HelpDialog.TITLE) != null));
		Shell dialog = Workbench.sync(() -> Widgets.shell(HelpDialog.TITLE));
		String text = Workbench.sync(() -> ((Text) Widgets.byId(dialog, "help.text")).getText());
		assertTrue(text.contains("Reset") && text.matches("(?s).*New Container\\s+Ctrl\\+N.*")
				&& text.matches("(?s).*Open Terminal\\s+Shift\\+Ctrl\\+T.*"), text);
		Screenshots.save(dialog, "help-contents");
		Workbench.syncRun(dialog::close);

		int shellsBefore = Workbench.sync(() -> Workbench.display().getShells().length);
		Workbench.syncRun(() -> execute("org.eclipse.ui.window.showKeyAssist"));
		Workbench.waitUntil("the key list opens", TIMEOUT,
				() -> Workbench.sync(() -> Workbench.display().getShells().length > shellsBefore));
		Screenshots.save(windowShell(), "key-assist");
	}
}
