package org.berth.ui.charts;

import java.util.Optional;

import org.berth.core.ContainerEngine;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/** The {@link ContainerEngine} OSGi service, for a view that was not given one by injection. */
final class EngineLookup {

    private EngineLookup() {
    }

    /** The registered engine; empty outside OSGi or before the engine bundle registered it. */
    static Optional<ContainerEngine> find() {
        Bundle bundle = FrameworkUtil.getBundle(EngineLookup.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return Optional.empty();
        }
        ServiceReference<ContainerEngine> ref = context.getServiceReference(ContainerEngine.class);
        return ref == null ? Optional.empty() : Optional.ofNullable(context.getService(ref));
    }
}
