package io.ingestnotify.config;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.ingestnotify.settings.Setting;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's YAML routes (ROUTES_DIR), loaded once the built-in ones run: a route with a built-in route's id
 * replaces it (Camel refuses duplicate ids at start, so they are loaded as an update, as a reload would be).
 * With ROUTES_RELOAD=true, Camel's route watcher reloads a file when it changes.
 */
final class UserRoutes implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(UserRoutes.class);

    private final File dir;
    private volatile Set<String> loadedIds = Set.of();

    private UserRoutes(File dir) {
        this.dir = dir;
    }

    /** Answers the ids of the routes it loaded (none before the context is fully started, or without ROUTES_DIR). */
    public static Supplier<Set<String>> install(CamelContext context, String routesDir, boolean reload) throws Exception {
        if (routesDir == null || routesDir.isBlank()) {
            return Set::of;
        }
        File dir = new File(routesDir);
        if (!dir.isDirectory()) {
            throw Setting.ROUTES_DIR.invalid(routesDir, "an existing folder");
        }
        UserRoutes routes = new UserRoutes(dir);
        context.addStartupListener(routes);
        if (reload) {
            RouteWatcherReloadStrategy watcher = new RouteWatcherReloadStrategy(dir.getAbsolutePath(), false);
            watcher.setPattern("*.yaml");
            watcher.setRemoveAllRoutes(false); // only the changed file's routes are replaced
            context.addService(watcher);
            LOG.info("Watching {} for route changes (ROUTES_RELOAD)", dir.getAbsolutePath());
        }
        return () -> routes.loadedIds;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the built-in routes are not running yet; the user's are loaded once they are
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        File[] files = dir.listFiles((d, name) -> name.endsWith(".yaml"));
        if (files == null || files.length == 0) {
            return;
        }
        Arrays.sort(files);
        List<Resource> resources = new ArrayList<>();
        for (File f : files) {
            resources.add(ResourceHelper.resolveMandatoryResource(context, "file:" + f.getAbsolutePath()));
        }
        Set<String> ids = PluginHelper.getRoutesLoader(context).updateRoutes(resources);
        loadedIds = Set.copyOf(ids); // so MetadataLookupMode can tell a replaced built-in route
        LOG.info("Loaded {} route(s) from {}: {}", ids.size(), dir.getAbsolutePath(), ids);
    }
}
