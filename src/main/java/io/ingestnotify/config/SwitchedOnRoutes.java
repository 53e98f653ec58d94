package io.ingestnotify.config;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

/**
 * Start-up step: routes a setting switches on (correction poller and re-drive, the demo). Their YAML says
 * {@code autoStartup: false} (the YAML DSL schema wants a literal there); they start once the context is fully started.
 */
final class SwitchedOnRoutes implements ExtendedStartupListener {

    private final List<String> routeIds;

    private SwitchedOnRoutes(List<String> routeIds) {
        this.routeIds = routeIds;
    }

    static void install(CamelContext context, List<String> routeIds) throws Exception {
        if (!routeIds.isEmpty()) {
            context.addStartupListener(new SwitchedOnRoutes(routeIds));
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes start once the context is fully started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        for (String id : routeIds) {
            context.getRouteController().startRoute(id);
        }
    }
}
