package io.ingestnotify.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.ingestnotify.common.BundleDatabase;
import io.ingestnotify.settings.Setting;
import io.ingestnotify.settings.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ingest-notify's Camel Main configuration, the same class for the standalone jar, a guest in a host's Camel
 * application ({@code ingest-notify.guest=true}) and Karaf (whose activator runs a Camel Main with it): it reads the
 * settings once, runs the start-up steps in order and binds the beans of {@link IngestNotifyBeans}.
 */
public class IngestNotifyConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngestNotifyConfiguration.class);

    /** Where a guest's API and ops page live unless it says otherwise. */
    static final String GUEST_BASE_PATH = "/ingest-notify";

    @Override
    public void configure(CamelContext context) throws Exception {
        var pc = context.getPropertiesComponent();
        boolean guest = Boolean.parseBoolean(pc.resolveProperty("ingest-notify.guest").orElse("false").trim());
        Settings settings = read(context, guest);
        HttpSecurity.install(context, settings.http(), guest);
        settings = EmbeddedServers.start(context, settings);
        if (settings.embedded().demo()) {
            // A newcomer sees batches, mails and a correction within a minute: the preferences' "minutes" become seconds.
            settings = settings.with(Map.of(Setting.NOTIFICATION_DELAY_UNIT, "SECONDS", Setting.AUTO_CORRECTION_DELAY_SECONDS, "5"));
        }
        publish(context, settings);
        LOG.info("Instance {}", settings.instance().id());

        Supplier<BundleDatabase> database = Database.open(context, settings.database());
        IngestNotifyBeans beans = new IngestNotifyBeans(context, settings, database);
        beans.bindTo(context.getRegistry());
        if (!guest) {
            beans.bindHttpServerOptions(context.getRegistry());
        }

        Supplier<Set<String>> userRouteIds = UserRoutes.install(context, settings.routes().dir(), settings.routes().reload());
        // Decided after the user's routes load: a replaced lookup-file route counts as a configured look-up.
        MetadataLookupMode.install(context, settings.correction(), beans.fileLookup(), () -> database.get().dataSource(),
                userRouteIds);
        List<String> switchedOn = new ArrayList<>();
        if (settings.correction().enabled()) {
            switchedOn.addAll(List.of("ingest-notify-correction-poller", "ingest-notify-correction-redrive"));
        }
        if (settings.embedded().demo()) {
            switchedOn.add("ingest-notify-demo");
        }
        if (settings.bounceMailbox().configured()) {
            switchedOn.add("ingest-notify-bounces");
        }
        if (settings.rabbitMq().configured()) {
            switchedOn.add("ingest-notify-rabbitmq-intake");
        }
        if (settings.kafka().configured()) {
            switchedOn.add("ingest-notify-kafka-intake");
        }
        SwitchedOnRoutes.install(context, switchedOn);
    }

    /**
     * The one property source: Camel's properties (the standalone jar's application.properties and environment,
     * a host's properties, Karaf's configuration PID). A guest lives under {@value #GUEST_BASE_PATH} unless it says
     * otherwise and never starts embedded servers.
     */
    static Settings read(CamelContext context, boolean guest) {
        var pc = context.getPropertiesComponent();
        Settings settings = Settings.read(s -> pc.resolveProperty(s.property()));
        if (!guest) {
            return settings;
        }
        boolean basePathSet = pc.resolveProperty(Setting.HTTP_BASE_PATH.property()).isPresent();
        return settings.with(Map.of(Setting.EMBEDDED, "false",
                Setting.HTTP_BASE_PATH, basePathSet ? settings.http().basePath() : GUEST_BASE_PATH));
    }

    /** The checked values, defaults and derived ones included, as the properties the YAML routes read. */
    private static void publish(CamelContext context, Settings settings) {
        var pc = context.getPropertiesComponent();
        settings.values().forEach((setting, value) -> pc.addOverrideProperty(setting.property(), value));
        // The bounce mailbox's parts, from BOUNCE_MAILBOX_URL (a placeholder host when unset: route bounces then never starts).
        var bounces = settings.bounceMailbox();
        pc.addOverrideProperty("ingest-notify.bounce.mailbox.host", bounces.configured() ? bounces.host() : "bounce-mailbox.invalid");
        pc.addOverrideProperty("ingest-notify.bounce.mailbox.port", String.valueOf(bounces.configured() ? bounces.port() : 993));
        pc.addOverrideProperty("ingest-notify.bounce.mailbox.folder", bounces.folder());
        pc.addOverrideProperty("ingest-notify.notification.delay.unit.seconds",
                String.valueOf(settings.batching().delayUnit().toNanos(1) / 1e9));
    }
}
