package io.ingestnotify.karaf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ingest-notify in Karaf: a Camel context of camel-core-osgi (components, languages and type converters found in the
 * installed bundles) running the built-in YAML routes of the outbox → batch → digest flow, with the settings of
 * etc/io.ingestnotify.cfg over the defaults of application.properties. No HTTP intake here (Karaf has no Camel Main
 * HTTP server: rest: definitions are dropped), no correction clean-up, no quartz maintenance jobs.
 */
final class KarafApp {

    private static final Logger LOG = LoggerFactory.getLogger(KarafApp.class);

    /** The route files Karaf loads, in src/main/resources/routes. */
    static final List<String> ROUTE_FILES = List.of("common", "intake", "preferences", "batching", "notification", "cms",
            "cms-marks");

    private final CamelContext context;
    private final HikariDataSource dataSource;

    private KarafApp(CamelContext context, HikariDataSource dataSource) {
        this.context = context;
        this.dataSource = dataSource;
    }

    static KarafApp start(BundleContext bundle, Map<String, String> settings) throws Exception {
        ClassLoader own = KarafApp.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Flyway, Jakarta Mail and Activation look providers up through the context class loader; Camel's threads,
        // created while the context starts, inherit it.
        ClassLoader union = new UnionClassLoader(own, List.of(
                Class.forName("org.eclipse.angus.mail.smtp.SMTPTransport", false, own).getClassLoader(),
                Class.forName("org.eclipse.angus.activation.MailcapRegistryProviderImpl", false, own).getClassLoader()));
        thread.setContextClassLoader(union);
        OsgiDefaultCamelContext context = new OsgiDefaultCamelContext(bundle);
        HikariDataSource dataSource = null;
        try {
            context.getCamelContextExtension().setName("ingest-notify");
            context.setApplicationContextClassLoader(union); // Camel sets it as the context class loader while it starts
            var pc = context.getPropertiesComponent();
            pc.setLocation("classpath:application.properties");
            Properties overrides = new Properties();
            overrides.putAll(settings);
            pc.setOverrideProperties(overrides);
            Class.forName("org.postgresql.Driver", true, own);
            dataSource = null; // replaced by the Karaf branch: Camel Main with IngestNotifyConfiguration
            for (RoutesBuilder builder : routes(context)) {
                context.addRoutes(builder);
            }
            context.start();
            LOG.info("ingest-notify started in Karaf: {} routes from {} (outbox, batching, digest)", context.getRoutes().size(),
                    ROUTE_FILES);
            return new KarafApp(context, dataSource);
        } catch (Exception | LinkageError e) {
            context.stop();
            if (dataSource != null) {
                dataSource.close();
            }
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The YAML routes through Camel's routes loader, without their rest: definitions. */
    private static List<RoutesBuilder> routes(CamelContext context) throws Exception {
        List<Resource> resources = new ArrayList<>();
        for (String name : ROUTE_FILES) {
            resources.add(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/" + name + ".camel.yaml"));
        }
        List<RoutesBuilder> builders = new ArrayList<>(PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources));
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteBuilder routeBuilder) {
                routeBuilder.configureRoutes(context);
                routeBuilder.getRestCollection().getRests().clear();
            }
        }
        return builders;
    }

    void stop() {
        context.stop();
        dataSource.close();
    }
}
