package io.ingestnotify.host;

import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.main.Main;

/**
 * A Camel Main application that existed before ingest-notify: its own route (camel/host.camel.yaml), its own
 * dataSource and Flyway migration (db/migration), its own platform-http server, health and metrics. It takes the
 * bundle in only through the settings it is given (README's block), as a user's application would.
 */
public final class HostApplication implements AutoCloseable {

    private final Main main;

    public HostApplication(Map<String, String> settings) throws Exception {
        main = new Main();
        // The host's application.properties, named apart from the bundle's: on this test classpath the bundle's own
        // application.properties would be found first, where in a real host the host's hides it.
        main.setDefaultPropertyPlaceholderLocation("false");
        Properties own = new Properties();
        try (InputStream in = HostApplication.class.getResourceAsStream("/host/application.properties")) {
            own.load(in);
        }
        own.stringPropertyNames().forEach(key -> main.addOverrideProperty(key, own.getProperty(key)));
        settings.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception | Error e) {
            main.stop();
            throw e;
        }
    }

    public org.apache.camel.CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
