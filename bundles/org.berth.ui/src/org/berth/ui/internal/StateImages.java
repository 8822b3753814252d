package org.berth.ui.internal;

import org.berth.core.ContainerState;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ResourceManager;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;

/** Small round state icons drawn in code (green running, grey stopped, blue frozen, amber busy, red aborting). */
public final class StateImages {

	private StateImages() {
	}

	public static RGB colour(ContainerState s) {
		return switch (s) {
			case RUNNING -> new RGB(46, 160, 67);
			case STOPPED -> new RGB(150, 150, 150);
			case FROZEN -> new RGB(56, 139, 253);
			case ABORTING -> new RGB(207, 34, 46);
			case STARTING, STOPPING, FREEZING, THAWING -> new RGB(212, 160, 23);
		};
	}

	/** The icon of a state, owned by {@code resources}. */
	public static Image image(ResourceManager resources, ContainerState s) {
		return resources.create(descriptor(colour(s)));
	}

	/** A 16×16 anti-aliased dot (scaled for HiDPI zoom levels). */
	public static ImageDescriptor descriptor(RGB rgb) {
		return new DotDescriptor(rgb);
	}

	private static final class DotDescriptor extends ImageDescriptor {
		private final RGB rgb;

		DotDescriptor(RGB rgb) {
			this.rgb = rgb;
		}

		@Override
		public ImageData getImageData(int zoom) {
			int size = 16 * zoom / 100;
			ImageData data = new ImageData(size, size, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
			double c = (size - 1) / 2.0;
			double r = size * 0.34;
			int pixel = data.palette.getPixel(rgb);
			for (int y = 0; y < size; y++) {
				for (int x = 0; x < size; x++) {
					data.setPixel(x, y, pixel);
					double d = Math.hypot(x - c, y - c);
					double a = Math.max(0, Math.min(1, r + 0.5 - d));
					data.setAlpha(x, y, (int) Math.round(a * 255));
				}
			}
			return data;
		}

		@Override
		public boolean equals(Object o) {
			return o instanceof DotDescriptor d && d.rgb.equals(rgb);
		}

		@Override
		public int hashCode() {
			return rgb.hashCode();
		}
	}
}
