/**
 * Resource graphs of running containers (CPU, memory, pids, network, IO) drawn with SWTChart from the
 * engine's usage history. Filled by the resource-monitoring work; the bundle exists so that the
 * split (API / engine / native / UI) is visible from the first build.
 */
package org.berth.ui.charts;
