package io.ingestnotify;

import java.util.Arrays;

import io.ingestnotify.config.IngestNotifyConfiguration;
import org.apache.camel.main.Main;

/**
 * Starts ingest-notify on Camel Main: YAML routes from the classpath (and ROUTES_DIR, see {@link UserRoutes}),
 * beans from {@link IngestNotifyConfiguration}. {@code --demo} feeds example events at start.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(IngestNotifyConfiguration.class);
        if (Arrays.asList(args).contains("--demo")) {
            main.addOverrideProperty("ingest-notify.demo", "true");
        }
        System.exit(main.run(args));
    }
}
