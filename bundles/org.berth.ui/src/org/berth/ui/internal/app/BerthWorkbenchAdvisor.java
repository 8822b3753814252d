package org.berth.ui.internal.app;

import org.eclipse.core.runtime.ILog;
import org.eclipse.jface.action.IStatusLineManager;
import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

/**
 * Opens every window on the Berth perspective, with a title, a status line and no coolbar; while the workbench runs,
 * what Berth's bundles log through {@link System.Logger} reaches the Error Log ({@link LogBridge}).
 */
public final class BerthWorkbenchAdvisor extends WorkbenchAdvisor {

	/** The id of the perspective every window opens on. */
	public static final String PERSPECTIVE_ID = "org.berth.ui.perspective";

	/** The title of the main window. */
	public static final String WINDOW_TITLE = "Berth — Linux system containers";

	private Runnable removeLogBridge;

	@Override
	public void initialize(IWorkbenchConfigurer configurer) {
		// keep the user's layout (sash positions, hidden columns later) from one session to the next
		configurer.setSaveAndRestore(true);
		removeLogBridge = LogBridge.install(ILog.of(BerthWorkbenchAdvisor.class));
	}

	@Override
	public void postShutdown() {
		if (removeLogBridge != null) {
			removeLogBridge.run();
			removeLogBridge = null;
		}
	}

	@Override
	public String getInitialWindowPerspectiveId() {
		return PERSPECTIVE_ID;
	}

	@Override
	public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
		return new WorkbenchWindowAdvisor(configurer) {
			@Override
			public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer bars) {
				return new ActionBarAdvisor(bars) {
					@Override
					protected void fillStatusLine(IStatusLineManager statusLine) {
						statusLine.add(new EngineStatusItem());
					}
				};
			}

			@Override
			public void postWindowOpen() {
				EditorAreaKeeper.install(getWindowConfigurer().getWindow());
			}

			@Override
			public void preWindowOpen() {
				IWorkbenchWindowConfigurer window = getWindowConfigurer();
				window.setInitialSize(new Point(1200, 800));
				window.setShowCoolBar(false);
				window.setShowStatusLine(true);
				window.setShowProgressIndicator(true);
				window.setShowPerspectiveBar(false);
				window.setTitle(WINDOW_TITLE);
			}
		};
	}
}
