package org.berth.ui.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Shell;

/** Saves what a shell shows as a PNG under {@code target/screenshots/} (property {@code berth.screenshots}). */
public final class Screenshots {

	private Screenshots() {
	}

	public static Path directory() throws IOException {
		Path dir = Path.of(System.getProperty("berth.screenshots", "target/screenshots"));
		Files.createDirectories(dir);
		return dir;
	}

	/** Captures {@code shell} from the screen; call on the test thread. Returns the file written. */
	public static Path save(Shell shell, String name) throws IOException {
		Path file = directory().resolve(name + ".png");
		Workbench.syncRun(() -> {
			shell.update();
			Rectangle bounds = shell.getBounds();
			Image image = new Image(shell.getDisplay(), bounds.width, bounds.height);
			GC gc = new GC(shell.getDisplay());
			try {
				gc.copyArea(image, bounds.x, bounds.y);
			} finally {
				gc.dispose();
			}
			try {
				ImageLoader loader = new ImageLoader();
				loader.data = new org.eclipse.swt.graphics.ImageData[] { image.getImageData() };
				loader.save(file.toString(), SWT.IMAGE_PNG);
			} finally {
				image.dispose();
			}
		});
		return file;
	}
}
