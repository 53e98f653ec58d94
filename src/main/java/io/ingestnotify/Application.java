package io.ingestnotify;

import org.apache.camel.main.Main;

/** Starts ingest-notify on Camel Main: YAML routes from the classpath (and ROUTES_DIR), beans from {@link IngestNotifyConfiguration}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.configure().addConfiguration(IngestNotifyConfiguration.class);
        System.exit(main.run(args));
    }
}
