package io.ingestnotify.config;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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
public final class UserRoutes implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(UserRoutes.class);

    /** Registry name of the ids of the routes loaded from ROUTES_DIR. */
    public static final String LOADED_IDS = "ingestNotifyUserRouteIds";

    private final File dir;

    private UserRoutes(File dir) {
        this.dir = dir;
    }

    public static void install(CamelContext context, String routesDir, boolean reload) throws Exception {
        if (routesDir == null || routesDir.isBlank()) {
            return;
        }
        File dir = new File(routesDir);
        if (!dir.isDirectory()) {
            throw Setting.ROUTES_DIR.invalid(routesDir, "an existing folder");
        }
        context.addStartupListener(new UserRoutes(dir));
        if (reload) {
            RouteWatcherReloadStrategy watcher = new RouteWatcherReloadStrategy(dir.getAbsolutePath(), false);
            watcher.setPattern("*.yaml");
            watcher.setRemoveAllRoutes(false); // only the changed file's routes are replaced
            context.addService(watcher);
            LOG.info("Watching {} for route changes (ROUTES_RELOAD)", dir.getAbsolutePath());
        }
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
        context.getRegistry().bind(LOADED_IDS, ids); // so others can tell a replaced built-in route (MetadataLookupMode)
        LOG.info("Loaded {} route(s) from {}: {}", ids.size(), dir.getAbsolutePath(), ids);
    }
}
