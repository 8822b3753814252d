package org.berth.core.linux.internal.proc;

import java.util.Optional;

/** The eight namespace types, by their file name under {@code /proc/PID/ns/}. */
public enum NamespaceType {
    CGROUP("cgroup"), IPC("ipc"), MNT("mnt"), NET("net"), PID("pid"), TIME("time"), USER("user"), UTS("uts");

    private final String fileName;

    NamespaceType(String fileName) {
        this.fileName = fileName;
    }

    /** The entry in {@code /proc/PID/ns/} and the prefix of its link target ({@code net:[4026531840]}). */
    public String fileName() {
        return fileName;
    }

    public static Optional<NamespaceType> ofFileName(String name) {
        for (NamespaceType type : values()) {
            if (type.fileName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
