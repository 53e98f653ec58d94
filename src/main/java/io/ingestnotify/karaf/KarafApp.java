package io.ingestnotify.karaf;

import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import io.ingestnotify.config.IngestNotifyConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ingest-notify in Karaf: the same Camel Main application as the standalone jar ({@link IngestNotifyConfiguration},
 * the built-in YAML routes, application.properties), with the settings of etc/io.ingestnotify.cfg as override
 * properties. The bundle carries its own class path (Camel and every library, Bundle-ClassPath), so one class loader,
 * the bundle's, serves Camel, its components and the providers Jakarta Mail, Flyway and the AWS SDK look up through the
 * thread's context class loader.
 */
final class KarafApp {

    private static final Logger LOG = LoggerFactory.getLogger(KarafApp.class);

    private final Main main;

    private KarafApp(Main main) {
        this.main = main;
    }

    static KarafApp start(Bundle bundle, Map<String, String> settings) throws Exception {
        ClassLoader own = KarafApp.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Camel's threads (and Vert.x's, Quartz's) are made while it starts and inherit this context class loader.
        thread.setContextClassLoader(own);
        long started = System.nanoTime();
        Main main = new Main();
        try {
            // Karaf owns the JVM: no shutdown hook of Camel's; the bundle's stop ends the app.
            main.setShutdownStrategy(new SimpleMainShutdownStrategy());
            main.configure().addConfiguration(IngestNotifyConfiguration.class);
            main.addOverrideProperty("camel.main.routes-include-pattern", routesIncludePattern(bundle));
            settings.forEach(main::addOverrideProperty);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void beforeConfigure(BaseMainSupport m) {
                    m.getCamelContext().setApplicationContextClassLoader(own);
                }
            });
            main.start();
            LOG.info("ingest-notify started in Karaf: Apache Camel {}, {} routes, in {} ms", main.getCamelContext().getVersion(),
                    main.getCamelContext().getRoutes().size(), (System.nanoTime() - started) / 1_000_000);
            return new KarafApp(main);
        } catch (Exception | LinkageError e) {
            main.stop();
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The built-in route files, named one by one: Camel's classpath wildcard ({@code classpath:routes/*.camel.yaml})
     * reads file: and jar: URLs, not a bundle's; the bundle lists its own entries.
     */
    static String routesIncludePattern(Bundle bundle) {
        Enumeration<URL> entries = bundle.findEntries("routes", "*.camel.yaml", false);
        List<String> names = new ArrayList<>();
        if (entries != null) {
            for (URL url : Collections.list(entries)) {
                String path = url.getPath();
                names.add("classpath:routes/" + path.substring(path.lastIndexOf('/') + 1));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("No routes/*.camel.yaml in bundle " + bundle.getSymbolicName());
        }
        Collections.sort(names);
        return String.join(",", names);
    }

    void stop() {
        main.stop();
    }
}
