package org.berth.ui.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;

/**
 * Saves what a shell or a control shows as a PNG under {@code target/screenshots/} (property
 * {@code berth.screenshots}). The widgets draw themselves into the image ({@link Control#print}), so the picture is
 * their current state, not the last frame the X server happened to show.
 */
public final class Screenshots {

	private Screenshots() {
	}

	public static Path directory() throws IOException {
		Path dir = Path.of(System.getProperty("berth.screenshots", "target/screenshots"));
		Files.createDirectories(dir);
		return dir;
	}

	/** Captures {@code shell}; call on the test thread. Returns the file written. */
	public static Path save(Shell shell, String name) throws IOException {
		return save((Control) shell, name);
	}

	/** Captures one control (a shell, a view); call on the test thread. Returns the file written. */
	public static Path save(Control control, String name) throws IOException {
		Path file = directory().resolve(name + ".png");
		// the UI thread lays out and paints between two syncExecs: the picture is then what a user sees
		Workbench.syncRun(() -> {
			control.getShell().layout(true, true);
			control.redraw();
		});
		Workbench.syncRun(control::update);
		Workbench.syncRun(() -> {
			Point size = control.getSize();
			Image image = new Image(control.getDisplay(), Math.max(1, size.x), Math.max(1, size.y));
			GC gc = new GC(image);
			boolean printed;
			try {
				printed = control.print(gc);
			} finally {
				gc.dispose();
			}
			if (!printed) {
				copyFromScreen(control, image);
			}
			try {
				ImageLoader loader = new ImageLoader();
				loader.data = new ImageData[]{image.getImageData()};
				loader.save(file.toString(), SWT.IMAGE_PNG);
			} finally {
				image.dispose();
			}
		});
		return file;
	}

	private static void copyFromScreen(Control control, Image image) {
		control.update();
		Rectangle bounds = control instanceof Shell ? control.getBounds()
				: control.getDisplay().map(control.getParent(), null, control.getBounds());
		GC gc = new GC(control.getDisplay());
		try {
			gc.copyArea(image, bounds.x, bounds.y);
		} finally {
			gc.dispose();
		}
	}
}
