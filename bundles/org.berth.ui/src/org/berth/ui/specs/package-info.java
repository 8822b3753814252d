/**
 * The editors of a container spec's parts (namespaces, resource limits, network) and the labels that show the
 * validator's sentences under their fields. The New Container wizard and the container editor both use them.
 */
package org.berth.ui.specs;
