package io.ingestnotify.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The bundle's settings as a guest: the {@code ingest-notify.*} defaults of the bundle's own application.properties
 * (a host's application.properties hides it on the classpath, so it is read from the bundle's jar), as fall-backs
 * under whatever the host sets. The environment is the host's: {@code {{env:DB_URL:x}}} becomes plain {@code x}, so a
 * host's DB_URL never turns into the bundle's.
 */
final class GuestDefaults {

    static final String BASE_PATH = "/ingest-notify";
    private static final Pattern ENV = Pattern.compile("\\{\\{env:[A-Za-z0-9_]+:([^}]*)}}");

    private GuestDefaults() {
    }

    static void install(CamelContext context) {
        Properties defaults = new Properties();
        for (String key : bundleProperties().stringPropertyNames()) {
            if (key.startsWith("ingest-notify.")) {
                defaults.setProperty(key, ENV.matcher(bundleProperties().getProperty(key)).replaceAll("$1"));
            }
        }
        defaults.setProperty("ingest-notify.http.base-path", BASE_PATH);
        PropertiesComponent pc = context.getPropertiesComponent();
        // Initial properties are the last place Camel looks: anything the host's application.properties sets wins.
        defaults.stringPropertyNames().forEach(key -> pc.addInitialProperty(key, defaults.getProperty(key)));
        // Nothing embedded in a host, whatever is set: no database, SMTP or S3 server of the bundle's own.
        pc.addOverrideProperty("ingest-notify.embedded.enabled", "false");
    }

    /**
     * The property key an environment variable sets ({@code {{env:NAME:...}}} in the bundle's application.properties),
     * or null; never fails, for it only adds to a message about another failure.
     */
    static String keyOf(String envName) {
        try {
            Properties p = bundleProperties();
            for (String key : p.stringPropertyNames()) {
                if (p.getProperty(key).contains("{{env:" + envName + ":")) {
                    return key;
                }
            }
        } catch (RuntimeException e) {
            // no properties of our own here (a repackaged jar): the variable's name alone
        }
        return null;
    }

    private static Properties cached;

    /** application.properties of the jar (or classes folder) this class came from, not the first on the classpath. */
    private static synchronized Properties bundleProperties() {
        if (cached == null) {
            URL location = GuestDefaults.class.getProtectionDomain().getCodeSource().getLocation();
            try (URLClassLoader own = new URLClassLoader(new URL[] {location}, null);
                 InputStream in = own.getResourceAsStream("application.properties")) {
                if (in == null) {
                    throw new IllegalStateException("No application.properties in " + location + ": not an ingest-notify jar");
                }
                Properties p = new Properties();
                p.load(in);
                cached = p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }
}
