/**
 * Resource graphs of running containers (CPU, memory, pids, network, IO) drawn with SWTChart from the engine's
 * usage history ({@link org.berth.core.Monitoring}), and the Limit hits view. Everything here reads histories off
 * the UI thread and only sets arrays on it.
 */
package org.berth.ui.charts;
