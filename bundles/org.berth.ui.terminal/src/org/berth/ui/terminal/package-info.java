/**
 * Interactive terminal sessions into running containers: the Terminals view (one tab per session) on the Eclipse
 * TM Terminal widget, with a connector on the engine's {@link org.berth.core.TerminalSession}s (PTYs allocated in
 * the container's own devpts), and the commands that open a shell, a debug shell or the console from the
 * Containers view.
 */
package org.berth.ui.terminal;
