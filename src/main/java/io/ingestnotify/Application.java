package io.ingestnotify;

import java.util.Arrays;

import io.ingestnotify.config.IngestNotifyConfiguration;
import io.ingestnotify.settings.Setting;
import org.apache.camel.main.Main;

/**
 * Starts ingest-notify on Camel Main: YAML routes from the classpath (and ROUTES_DIR), beans from
 * {@link IngestNotifyConfiguration}, settings from the environment (DB_URL...) over application.properties. {@code --demo} feeds example events at start.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(IngestNotifyConfiguration.class);
        // The standalone jar's own home: each setting's environment variable (DB_URL sets ingest-notify.db.url).
        for (Setting setting : Setting.values()) {
            String value = System.getenv(setting.variable());
            if (value != null) {
                main.addOverrideProperty(setting.property(), value);
            }
        }
        if (Arrays.asList(args).contains("--demo")) {
            main.addOverrideProperty("ingest-notify.demo", "true");
        }
        System.exit(main.run(args));
    }
}
