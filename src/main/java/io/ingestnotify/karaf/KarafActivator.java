package io.ingestnotify.karaf;

import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Karaf bundle's entry (Bundle-Activator of ingest-notify-karaf.jar; the standalone jar never calls it): watches the
 * configuration PID {@code io.ingestnotify} (etc/io.ingestnotify.cfg) and runs the Camel Main application with it
 * ({@link KarafApp}), restarting it when the file changes.
 */
public class KarafActivator implements BundleActivator, ManagedService {

    private static final String PREFIX = "ingest-notify.";

    static final String PID = "io.ingestnotify";
    private static final Logger LOG = LoggerFactory.getLogger(KarafActivator.class);

    private BundleContext bundle;
    private ServiceRegistration<ManagedService> registration;
    private KarafApp app;

    @Override
    public void start(BundleContext context) {
        bundle = context;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.pid", PID);
        registration = context.registerService(ManagedService.class, this, props);
    }

    @Override
    public synchronized void updated(Dictionary<String, ?> properties) {
        stopApp();
        if (properties == null) {
            LOG.info("ingest-notify waits for its configuration: etc/{}.cfg", PID);
            return;
        }
        Map<String, String> settings = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (key.startsWith("service.") || key.startsWith("felix.")) {
                continue; // Configuration Admin's and File Install's own keys
            }
            // The PID already says whose settings these are: etc/io.ingestnotify.cfg names them without the prefix.
            settings.put(key.startsWith(PREFIX) ? key : PREFIX + key, String.valueOf(properties.get(key)));
        }
        try {
            app = KarafApp.start(bundle.getBundle(), settings);
        } catch (Exception | LinkageError e) {
            LOG.error("ingest-notify did not start: {} (fix etc/{}.cfg; it is read again when saved)", e.getMessage(), PID, e);
        }
    }

    @Override
    public synchronized void stop(BundleContext context) {
        if (registration != null) {
            registration.unregister();
        }
        stopApp();
    }

    private void stopApp() {
        if (app != null) {
            app.stop();
            app = null;
        }
    }
}
