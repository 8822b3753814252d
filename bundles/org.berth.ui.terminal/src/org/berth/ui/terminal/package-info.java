/**
 * Interactive terminal sessions into running containers: the Eclipse TM Terminal widget with a connector
 * on PTYs allocated in the container's own devpts. Filled by the terminals work.
 */
package org.berth.ui.terminal;
