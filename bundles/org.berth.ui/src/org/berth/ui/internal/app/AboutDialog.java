package org.berth.ui.internal.app;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;

/** Shows the product name, its version and what it runs on. */
public final class AboutDialog extends Dialog {

	public AboutDialog(Shell parent) {
		super(parent);
	}

	/** The version of Berth as the user sees it, e.g. {@code 0.1.0 (build 202611290900)}. */
	public static String version() {
		Bundle bundle = FrameworkUtil.getBundle(AboutDialog.class);
		Version v = bundle == null ? Version.emptyVersion : bundle.getVersion();
		String base = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
		return v.getQualifier().isEmpty() ? base : base + " (build " + v.getQualifier() + ")";
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("About Berth");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		LocalResourceManager resources = new LocalResourceManager(JFaceResources.getResources(), parent);
		Composite area = (Composite) super.createDialogArea(parent);
		GridLayoutFactory.swtDefaults().numColumns(2).spacing(16, 6).margins(16, 16).applyTo(area);

		Label logo = new Label(area, SWT.NONE);
		logo.setImage(resources.create(ImageDescriptor.createFromFile(AboutDialog.class, "/icons/berth64.png")));
		GridDataFactory.swtDefaults().align(SWT.CENTER, SWT.BEGINNING).span(1, 4).applyTo(logo);

		Label name = new Label(area, SWT.NONE);
		name.setText("Berth " + version());
		name.setFont(resources.create(JFaceResources.getHeaderFontDescriptor()));
		name.setData("org.berth.ui.test.id", "about.version");

		label(area, "A desktop console for Linux system containers:\n"
				+ "namespaces, cgroups, terminals and resource graphs.");
		label(area, "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
		label(area, System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
				+ System.getProperty("os.arch"));
		return area;
	}

	private static void label(Composite parent, String text) {
		Label l = new Label(parent, SWT.WRAP);
		l.setText(text);
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		createButton(parent, IDialogConstants.OK_ID, IDialogConstants.CLOSE_LABEL, true);
	}
}
