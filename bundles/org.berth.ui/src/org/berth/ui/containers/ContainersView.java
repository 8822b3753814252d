package org.berth.ui.containers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.berth.client.inventory.Connection;
import org.berth.client.inventory.Connections;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.EngineListener;
import org.berth.ui.handlers.BerthCommands;
import org.berth.ui.internal.Engines;
import org.berth.ui.internal.StateImages;
import org.berth.ui.preferences.BerthPreferences;
import org.berth.ui.internal.Formats;
import org.eclipse.core.commands.common.CommandException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.ESelectionService;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.ToolBarManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.ui.menus.IMenuService;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.ColorDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.util.Throttler;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.menus.CommandContributionItem;
import org.eclipse.ui.menus.CommandContributionItemParameter;
import org.eclipse.jface.dialogs.Dialog;

/**
 * The Containers view: one row per container with its state and usage. The list follows the engine's events (no
 * polling); usage comes from one periodic {@link UsageSampler}. Refreshes are coalesced into one per UI turn.
 */
public final class ContainersView {

	/** The view id in plugin.xml. */
	public static final String ID = "org.berth.ui.containers";

	/** The background of the rows of a connection that is away. */
	private static final RGB AWAY = new RGB(226, 226, 226);

	/** The key under which tests find widgets ({@code setData(TEST_ID, "...")}). */
	public static final String TEST_ID = "org.berth.ui.test.id";

	@Inject
	@org.eclipse.e4.core.di.annotations.Optional
	private ESelectionService selectionService;

	@Inject
	@org.eclipse.e4.core.di.annotations.Optional
	private IEventBroker eventBroker;

	private final List<ContainerItem> rows = new ArrayList<>();
	private final Map<String, ContainerItem> byName = new HashMap<>();
	private final AtomicReference<Map<String, UsageSampler.Sample>> latestUsage = new AtomicReference<>();
	private final ContainerSorter sorter = new ContainerSorter();

	private ContainerEngine engine;
	/** The engine's connections when it is the inventory of several; else null. */
	private Connections connections;
	private Runnable connectionListener;
	private EngineListener listener;
	private UsageSampler sampler;
	private Sparklines sparklines;
	/** Merges the refreshes asked for before one runs into it (any thread asks; it runs on the UI thread). */
	private Throttler refresher;
	private Display display;
	private LocalResourceManager resources;
	private Composite banner;
	private Label bannerText;
	private Text filter;
	/** Which connection's containers are shown: "All hosts" first, then each connection. */
	private Combo hosts;
	/** The connection whose containers alone are shown; null: all. */
	private String hostShown;
	private Label empty;
	private TableViewer viewer;
	private ToolBarManager toolbar;
	/** The selected rows, kept here because a virtual table forgets its selection when it is refreshed. */
	private List<ContainerItem> selected = List.of();
	private boolean refreshing;

	@PostConstruct
	public void createPartControl(Composite parent) {
		display = parent.getDisplay();
		resources = new LocalResourceManager(JFaceResources.getResources(), parent);
		engine = Engines.find().orElse(null);
		connections = engine instanceof Connections c ? c : null;
		refresher = new Throttler(display, Duration.ZERO, () -> {
			if (!viewer.getControl().isDisposed()) {
				refresh();
			}
		});
		GridLayoutFactory.fillDefaults().spacing(0, 4).applyTo(parent);

		banner = new Composite(parent, SWT.NONE);
		banner.setBackground(resources.create(ColorDescriptor.createFrom(new RGB(255, 244, 206))));
		GridLayoutFactory.fillDefaults().margins(8, 6).applyTo(banner);
		bannerText = new Label(banner, SWT.WRAP);
		bannerText.setBackground(banner.getBackground());
		bannerText.setData(TEST_ID, "containers.banner");
		GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(bannerText);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(banner);

		Composite top = new Composite(parent, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(3).margins(4, 2).applyTo(top);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(top);
		toolbar = new ToolBarManager(SWT.FLAT | SWT.RIGHT);
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		toolbar.add(command(window, BerthCommands.NEW));
		toolbar.add(new Separator());
		for (String id : BerthCommands.LIFECYCLE) {
			if (id.equals(BerthCommands.CLONE)) {
				toolbar.add(new Separator());
			}
			toolbar.add(command(window, id));
		}
		ToolBar bar = toolbar.createControl(top);
		bar.addDisposeListener(e -> toolbar.dispose()); // on the UI thread, unlike @PreDestroy at shutdown
		bar.setData(TEST_ID, "containers.toolbar");
		filter = new Text(top, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
		filter.setMessage("Filter by name, state, kind, tag or description");
		filter.setData(TEST_ID, "containers.filter");
		GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(200, SWT.DEFAULT)
				.applyTo(filter);
		hosts = new Combo(top, SWT.READ_ONLY | SWT.DROP_DOWN);
		hosts.setData(TEST_ID, "containers.hosts");
		hosts.setToolTipText("Show the containers of one connection (Window ▸ Connections lists them)");
		hosts.getAccessible().addAccessibleListener(new org.eclipse.swt.accessibility.AccessibleAdapter() {
			@Override
			public void getName(org.eclipse.swt.accessibility.AccessibleEvent e) {
				e.result = "Host";
			}
		});
		GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).exclude(connections == null).applyTo(hosts);
		hosts.setVisible(connections != null);
		hosts.addListener(SWT.Selection, e -> {
			int i = hosts.getSelectionIndex();
			hostShown = i <= 0 ? null : hosts.getItem(i);
			refreshKeepingSelection();
			updateEmptyText();
		});

		empty = new Label(parent, SWT.WRAP);
		empty.setData(TEST_ID, "containers.empty");
		GridDataFactory.fillDefaults().grab(true, false).indent(8, 4).applyTo(empty);

		viewer = new TableViewer(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.VIRTUAL);
		Table table = viewer.getTable();
		table.setHeaderVisible(true);
		table.setLinesVisible(true);
		table.setData(TEST_ID, "containers.table");
		GridDataFactory.fillDefaults().grab(true, true).applyTo(table);
		for (Column c : Column.values()) {
			createColumn(c);
		}
		table.setColumnOrder(Column.SHOWN);
		ColumnViewerToolTipSupport.enableFor(viewer);
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		viewer.setUseHashlookup(true);
		viewer.setComparator(sorter);
		viewer.addFilter(new ViewerFilter() {
			@Override
			public boolean select(Viewer v, Object parentElement, Object element) {
				return shown((ContainerItem) element);
			}
		});
		table.setSortColumn(table.getColumn(sorter.column().ordinal()));
		table.setSortDirection(sorter.direction());
		viewer.setInput(rows);

		filter.addModifyListener(e -> {
			refreshKeepingSelection();
			updateEmptyText();
		});
		viewer.addSelectionChangedListener(e -> {
			if (refreshing) {
				return; // the viewer lost the rows' selection while refreshing; refreshKeepingSelection restores it
			}
			selected = List.copyOf(e.getStructuredSelection().toList().stream()
					.filter(ContainerItem.class::isInstance).map(ContainerItem.class::cast).toList());
			if (selectionService != null) {
				selectionService.setSelection(e.getStructuredSelection());
			}
			// after the workbench has taken in the new selection
			display.asyncExec(() -> {
				if (!viewer.getControl().isDisposed()) {
					updateToolbar();
				}
			});
		});
		viewer.addDoubleClickListener(e -> executeCommand(BerthCommands.OPEN));
		createMenus(table);

		if (engine != null) {
			sparklines = new Sparklines(engine);
			table.addListener(SWT.PaintItem, sparklines);
			listener = event -> refresher.throttledAsyncExec();
			engine.addListener(listener);
			if (connections != null) {
				connectionListener = () -> refresher.throttledAsyncExec(); // one dropped, came back, was added
				connections.addConnectionListener(connectionListener);
			}
			sampler = new UsageSampler(engine, BerthPreferences::refreshIntervalMillis, batch -> {
				sparklines.read(); // on the sampler's thread, never in paint
				latestUsage.set(batch);
				refresher.throttledAsyncExec();
			});
			sampler.schedule();
		}
		refresh();
	}

	private void createColumn(Column c) {
		TableViewerColumn vc = new TableViewerColumn(viewer, SWT.NONE);
		TableColumn tc = vc.getColumn();
		tc.setText(c.header);
		tc.setWidth(c.width);
		tc.setMoveable(true);
		tc.setData(TEST_ID, "containers.column." + c.name().toLowerCase(Locale.ROOT));
		if (c.ordinal() >= Column.PID.ordinal() && c != Column.HOST) {
			tc.setAlignment(SWT.RIGHT);
		}
		tc.addListener(SWT.Selection, e -> sortBy(c));
		vc.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return c.text.apply((ContainerItem) element, Instant.now());
			}

			@Override
			public org.eclipse.swt.graphics.Color getForeground(Object element) {
				// a connection that is away: what it last knew, greyed
				return ((ContainerItem) element).away() ? display.getSystemColor(SWT.COLOR_DARK_GRAY) : null;
			}

			@Override
			public org.eclipse.swt.graphics.Color getBackground(Object element) {
				return ((ContainerItem) element).away() ? resources.create(ColorDescriptor.createFrom(AWAY)) : null;
			}

			@Override
			public Image getImage(Object element) {
				ContainerSnapshot s = ((ContainerItem) element).snapshot();
				if (c == Column.NAME) { // a privileged container is marked where the eye starts: its name
					return s.spec().isPrivileged() ? JFaceResources.getImage(Dialog.DLG_IMG_MESSAGE_WARNING) : null;
				}
				return c == Column.STATE ? StateImages.image(resources, s.state()) : null;
			}

			@Override
			public String getToolTipText(Object element) {
				ContainerSnapshot s = ((ContainerItem) element).snapshot();
				if (((ContainerItem) element).away() && (c == Column.STATE || c == Column.HOST)) {
					return state(((ContainerItem) element).host());
				}
				if (c == Column.STATE && s.lastExit() != null) {
					return "Last run: " + s.lastExit();
				}
				if (c == Column.NAME && s.spec().isPrivileged()) {
					return Formats.privilege(s.spec());
				}
				return null;
			}
		});
	}

	private void sortBy(Column c) {
		Table table = viewer.getTable();
		sorter.sortBy(c);
		table.setSortColumn(table.getColumn(c.ordinal()));
		table.setSortDirection(sorter.direction());
		refreshKeepingSelection();
	}

	/** Why connection {@code host} is away, for a tooltip. */
	private String state(String host) {
		if (connections == null) {
			return null;
		}
		return connections.connections().stream().filter(c -> c.name().equals(host)).findFirst()
				.map(c -> c.connected() ? null : host + " is reconnecting: " + c.problem()).orElse(null);
	}

	/** Whether the row passes the filter text and the host choice. */
	private boolean shown(ContainerItem item) {
		return matches(item, filter.getText()) && (hostShown == null || hostShown.equals(item.host()));
	}

	static boolean matches(ContainerItem item, String text) {
		if (text == null || text.isBlank()) {
			return true;
		}
		String t = text.trim().toLowerCase(Locale.ROOT);
		ContainerSnapshot s = item.snapshot();
		return item.name().toLowerCase(Locale.ROOT).contains(t) || s.state().cli().contains(t)
				|| s.spec().kind().cli().contains(t) || s.spec().tags().contains(t)
				|| s.spec().description().toLowerCase(Locale.ROOT).contains(t);
	}

	/** Context menu of the rows (commands, with the handlers' enablement) and of the header (show/hide columns). */
	private void createMenus(Table table) {
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		MenuManager rowMenu = new MenuManager("#containers.popup", "org.berth.ui.containers.popup");
		fillRowMenu(rowMenu, window);
		// what other bundles contribute to popup:org.berth.ui.containers (the terminals, for one)
		IMenuService menus = window.getService(IMenuService.class);
		menus.populateContributionManager(rowMenu, "popup:" + ID);
		Menu rowsMenu = rowMenu.createContextMenu(table);
		table.addDisposeListener(e -> {
			menus.releaseContributions(rowMenu);
			rowMenu.dispose();
		});

		Menu headerMenu = new Menu(table);
		for (Column c : Column.values()) {
			if (c == Column.NAME) {
				continue;
			}
			MenuItem item = new MenuItem(headerMenu, SWT.CHECK);
			item.setText(c.header);
			item.setSelection(true);
			item.addListener(SWT.Selection, e -> {
				TableColumn tc = table.getColumn(c.ordinal());
				tc.setWidth(item.getSelection() ? c.width : 0);
				tc.setResizable(item.getSelection());
			});
		}
		table.addListener(SWT.MenuDetect, e -> {
			Point p = display.map(null, table, new Point(e.x, e.y));
			Rectangle area = table.getClientArea();
			boolean header = p.y >= area.y && p.y < area.y + table.getHeaderHeight();
			table.setMenu(header ? headerMenu : rowsMenu);
		});
		table.addDisposeListener(e -> headerMenu.dispose());
	}

	private void fillRowMenu(IMenuManager menu, IWorkbenchWindow window) {
		menu.add(command(window, BerthCommands.OPEN));
		menu.add(new Separator());
		menu.add(command(window, BerthCommands.NEW));
		menu.add(new Separator());
		for (String id : BerthCommands.LIFECYCLE) {
			if (id.equals(BerthCommands.CLONE)) {
				menu.add(new Separator());
			}
			menu.add(command(window, id));
		}
		menu.add(command(window, BerthCommands.COMPARE));
		menu.add(new Separator());
		menu.add(command(window, BerthCommands.CHECKPOINT));
		menu.add(command(window, BerthCommands.RESTORE_CHECKPOINT));
		menu.add(command(window, BerthCommands.MIGRATE));
		menu.add(new Separator("additions"));
		menu.add(new Action("Refresh") {
			@Override
			public void run() {
				refresh();
			}
		});
	}

	private static CommandContributionItem command(IWorkbenchWindow window, String id) {
		CommandContributionItemParameter p = new CommandContributionItemParameter(window, null, id,
				CommandContributionItem.STYLE_PUSH);
		p.tooltip = TOOLTIPS.get(id);
		return new CommandContributionItem(p);
	}

	/** Without the key: the tool item adds the command's current binding to its tooltip. */
	private static final Map<String, String> TOOLTIPS = Map.of(
			BerthCommands.NEW, "New container",
			BerthCommands.START, "Start the selected containers",
			BerthCommands.STOP, "Stop the selected containers",
			BerthCommands.RESTART, "Restart the selected containers",
			BerthCommands.KILL, "Kill all processes of the selected containers",
			BerthCommands.FREEZE, "Freeze the selected containers",
			BerthCommands.THAW, "Thaw the selected containers",
			BerthCommands.CLONE, "Clone the selected stopped container",
			BerthCommands.DESTROY, "Destroy the selected stopped containers");

	private void executeCommand(String id) {
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		IHandlerService handlers = (window != null ? window : PlatformUI.getWorkbench())
				.getService(IHandlerService.class);
		try {
			handlers.executeCommand(id, null);
		} catch (CommandException e) {
			// a disabled command on double-click (nothing selected) is not an error
			ILog.get().info("Command " + id + " not run: " + e.getMessage());
		}
	}

	/** Brings the rows up to date with the engine's cache and the latest usage batch. UI thread. */
	void refresh() {
		boolean structure = false;
		boolean states = false;
		if (engine != null) {
			Map<String, ContainerSnapshot> now = new HashMap<>();
			for (ContainerSnapshot s : engine.list()) {
				now.put(s.name(), s);
			}
			structure = byName.keySet().retainAll(now.keySet());
			rows.removeIf(r -> !now.containsKey(r.name()));
			for (ContainerSnapshot s : now.values()) {
				ContainerItem item = byName.get(s.name());
				if (item == null) {
					String host = connections == null ? null : connections.hostOf(s.name());
					item = new ContainerItem(s, host == null ? Connection.LOCAL : host);
					byName.put(s.name(), item);
					rows.add(item);
					structure = true;
				} else {
					states |= item.snapshot().state() != s.state();
					item.update(s);
				}
				boolean away = connections != null && connections.isAway(s.name());
				states |= away != byName.get(s.name()).away();
				byName.get(s.name()).away(away);
			}
			updateHosts();
			Map<String, UsageSampler.Sample> usage = latestUsage.getAndSet(null);
			if (usage != null) {
				usage.forEach((name, sample) -> {
					ContainerItem item = byName.get(name);
					if (item != null && item.snapshot().isRunning()) {
						item.usage(sample.usage(), sample.cpuPercent());
					}
				});
			}
		}
		refreshKeepingSelection();
		updateVisibleNames();
		updateBanner();
		updateEmptyText();
		if ((structure || states) && eventBroker != null) {
			// the handlers' enablement follows the states of the selected containers
			eventBroker.post(UIEvents.REQUEST_ENABLEMENT_UPDATE_TOPIC, UIEvents.ALL_ELEMENT_ID);
		}
		if (structure || states) {
			// the selected rows are the same objects, so the selection stands; what they allow has changed
			updateToolbar();
		}
	}

	/** Tells the sparklines which rows are on screen, for their next read. UI thread. */
	private void updateVisibleNames() {
		if (sparklines == null) {
			return;
		}
		Table t = viewer.getTable();
		List<ContainerItem> order = shownOrder();
		int top = Math.min(Math.max(0, t.getTopIndex()), order.size());
		int count = t.getClientArea().height / Math.max(1, t.getItemHeight()) + 1;
		sparklines.setVisible(order.subList(top, Math.min(order.size(), top + count)).stream()
				.map(ContainerItem::name).toList());
	}

	/** Refreshes the table and selects again the rows that were selected and are still shown. */
	private void refreshKeepingSelection() {
		refreshing = true;
		try {
			viewer.refresh();
		} finally {
			refreshing = false;
		}
		List<ContainerItem> order = shownOrder();
		List<ContainerItem> still = new ArrayList<>();
		List<Integer> indices = new ArrayList<>();
		for (ContainerItem item : selected) {
			int i = order.indexOf(item);
			if (i >= 0 && byName.get(item.name()) == item) {
				still.add(item);
				indices.add(i);
			}
		}
		Table t = viewer.getTable();
		t.setSelection(indices.stream().mapToInt(Integer::intValue).toArray());
		if (still.size() != selected.size()) {
			// a selected container went away (or is filtered out): tell the viewer and the workbench
			indices.forEach(i -> t.getItem(i).getText()); // the viewer reads the elements of the selected rows
			org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
			e.item = indices.isEmpty() ? null : t.getItem(indices.get(0));
			t.notifyListeners(SWT.Selection, e);
		}
	}

	/** The rows in the order the table shows them: the viewer's filter and comparator applied to the model. */
	private List<ContainerItem> shownOrder() {
		return rows.stream().filter(this::shown).sorted(sorter.order()).toList();
	}

	/** The toolbar's enablement follows the selection and the states of the selected containers. */
	private void updateToolbar() {
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		if (window != null) {
			// ask the handlers again: a state change is no selection change, so nothing else would
			IHandlerService handlers = window.getService(IHandlerService.class);
			ICommandService commands = window.getService(ICommandService.class);
			Object context = handlers.getCurrentState();
			for (String id : BerthCommands.LIFECYCLE) {
				commands.getCommand(id).setEnabled(context);
			}
			commands.getCommand(BerthCommands.NEW).setEnabled(context); // follows the connection
		}
		for (IContributionItem item : toolbar.getItems()) {
			item.update();
		}
	}

	private void updateBanner() {
		List<String> sentences = engine == null ? List.of(Engines.NOT_AVAILABLE) : engine.limitations();
		String text = String.join("\n", sentences);
		boolean show = !sentences.isEmpty();
		if (!text.equals(bannerText.getText()) || banner.getVisible() != show) {
			bannerText.setText(text);
			if (toolbar != null) {
				updateToolbar(); // the engine's situation changed (an agent came or went): so may what can be done
			}
			banner.setVisible(show);
			((org.eclipse.swt.layout.GridData) banner.getLayoutData()).exclude = !show;
			banner.getParent().layout(true, true);
		}
	}

	private void updateEmptyText() {
		String text;
		if (engine == null) {
			text = "";
		} else if (rows.isEmpty()
				&& engine.limitations().stream().anyMatch(l -> l.startsWith("Berth is not running as root"))) {
			text = "No container can be shown without root (see above).";
		} else if (rows.isEmpty() && engine.connection().endsWith("not connected")) {
			text = "The containers show here once the agent answers (see above).";
		} else if (rows.isEmpty()) {
			text = "No containers yet. Create one with Container ▸ New Container… (Ctrl+N).";
		} else if (viewer.getTable().getItemCount() == 0 && filter.getText().isBlank() && hostShown != null) {
			text = "No container on " + hostShown + ".";
		} else if (viewer.getTable().getItemCount() == 0) {
			text = "No container matches \"" + filter.getText().trim() + "\"" + (hostShown == null ? "" : " on "
					+ hostShown) + ".";
		} else {
			text = "";
		}
		boolean show = !text.isEmpty();
		if (!text.equals(empty.getText()) || empty.getVisible() != show) {
			empty.setText(text);
			empty.setVisible(show);
			((org.eclipse.swt.layout.GridData) empty.getLayoutData()).exclude = !show;
			empty.getParent().layout(true, true);
		}
	}

	@Focus
	public void setFocus() {
		viewer.getControl().setFocus();
		// the commands are evaluated against the active part: now this one
		display.asyncExec(() -> {
			if (!viewer.getControl().isDisposed()) {
				updateToolbar();
			}
		});
	}

	@PreDestroy
	public void dispose() {
		if (engine != null && listener != null) {
			engine.removeListener(listener);
		}
		if (connections != null && connectionListener != null) {
			connections.removeConnectionListener(connectionListener);
		}
		if (sampler != null) {
			sampler.stop();
		}
	}

	/** The host choice's items: "All hosts", then every connection; the choice kept while its connection is. */
	private void updateHosts() {
		if (connections == null) {
			return;
		}
		List<String> items = new ArrayList<>();
		items.add(ALL_HOSTS);
		connections.connections().forEach(c -> items.add(c.name()));
		if (!items.equals(List.of(hosts.getItems()))) {
			hosts.setItems(items.toArray(String[]::new));
			if (hostShown != null && !items.contains(hostShown)) {
				hostShown = null;
			}
			hosts.select(hostShown == null ? 0 : items.indexOf(hostShown));
			hosts.getParent().layout(true, true);
		}
	}

	/** The host choice's first item. */
	public static final String ALL_HOSTS = "All hosts";

	/** Shows the containers of connection {@code host} alone (null: of all), as a choice in the host list does. */
	public void showHost(String host) {
		int i = host == null ? 0 : List.of(hosts.getItems()).indexOf(host);
		hosts.select(Math.max(0, i));
		hosts.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
	}

	/** The table (for tests, whose page object finds the rest through it). */
	public TableViewer viewer() {
		return viewer;
	}

	/** The names of the selected containers, in table order. UI thread. */
	public List<String> selectedNames() {
		return selected.stream().map(ContainerItem::name).filter(byName::containsKey).toList();
	}
}
