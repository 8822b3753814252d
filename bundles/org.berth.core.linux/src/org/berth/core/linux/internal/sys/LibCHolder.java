package org.berth.core.linux.internal.sys;

import com.sun.jna.Native;

/**
 * Loads {@link LinuxLibC} on first use, once. A load failure is remembered and reported on every later call,
 * so a host without a usable JNA gets the same clear error each time instead of a {@code NoClassDefFoundError}.
 */
final class LibCHolder {

    private LibCHolder() {
    }

    /** Initialised when {@link #get()} first touches it (the holder idiom), never before. */
    private static final class Loaded {
        static final Object LIBRARY_OR_FAILURE = load();

        private static Object load() {
            try {
                return Native.load("c", LinuxLibC.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return e;
            }
        }
    }

    static LinuxLibC get() throws SysException {
        Object loaded = Loaded.LIBRARY_OR_FAILURE;
        if (loaded instanceof LinuxLibC libc) {
            return libc;
        }
        Throwable failure = (Throwable) loaded;
        throw new SysException("load", "libc", 0,
                "cannot load the C library through JNA: " + failure.getMessage(), failure);
    }
}
