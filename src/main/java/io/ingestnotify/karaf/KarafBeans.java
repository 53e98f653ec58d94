package io.ingestnotify.karaf;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ingestnotify.batching.BatchAssigner;
import io.ingestnotify.batching.BatchCompletion;
import io.ingestnotify.batching.BatchTableAggregationRepository;
import io.ingestnotify.batching.PreferenceCache;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.config.BackOff;
import io.ingestnotify.config.ConfiguredSystems;
import io.ingestnotify.config.Database;
import io.ingestnotify.config.Settings;
import io.ingestnotify.correction.CorrectionActions;
import io.ingestnotify.correction.CorrectionTasks;
import io.ingestnotify.correction.DeletionBounds;
import io.ingestnotify.intake.EventParser;
import io.ingestnotify.intake.EventRecorder;
import io.ingestnotify.intake.FileLookup;
import io.ingestnotify.intake.IntakeTransaction;
import io.ingestnotify.intake.RecipientDomains;
import io.ingestnotify.intake.RequestFailures;
import io.ingestnotify.notification.BatchDigest;
import io.ingestnotify.notification.DigestMail;
import io.ingestnotify.notification.DigestTemplates;
import io.ingestnotify.notification.EmailLog;
import io.ingestnotify.notification.SmtpTransportSecurity;
import io.ingestnotify.ops.IngestMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * The beans of the routes Karaf runs (intake from the outbox, batching, the digest), built from the same settings
 * as on Camel Main. Camel Main's wiring (config.IngestNotifyConfiguration) also builds the HTTP server's guard, the
 * S3 client and the embedded servers, none of which Karaf has; so this class builds the subset, with the bundle's own
 * classes, and only with Camel API present in Camel 4.14.1. A real SMTP server and PostgreSQL are required here.
 */
final class KarafBeans {

    private final CamelContext context;
    private final PropertiesComponent pc;

    KarafBeans(CamelContext context) {
        this.context = context;
        this.pc = context.getPropertiesComponent();
    }

    private String get(String key) {
        return pc.resolveProperty(key).orElse("");
    }

    /** Binds every bean the Karaf routes call; answers the data source, which the caller closes on stop. */
    HikariDataSource bind() {
        Registry r = context.getRegistry();
        String url = get("db.url");
        if (url.isBlank()) {
            throw Settings.invalid("db.url", "", "the JDBC URL of the operational PostgreSQL in etc/io.ingestnotify.cfg");
        }
        String schema = get("db.schema");
        HikariDataSource dataSource = Database.pool(url, get("db.user"), get("db.password"), schema,
                Settings.integer("db.pool.size", get("db.pool.size"), 1, 200));
        Database.migrate(dataSource, schema);
        r.bind("dataSource", DataSource.class, dataSource);

        var unit = Settings.delayUnit("notification.delay.unit", get("notification.delay.unit"));
        IngestMetrics metrics = new IngestMetrics(context);
        r.bind("ingestMetrics", metrics);
        Preferences defaults = Preferences.defaults(
                Settings.integer("default.batch.size.threshold", get("default.batch.size.threshold"), 1, 100),
                Settings.integer("default.notification.delay.minutes", get("default.notification.delay.minutes"), 1, 1440));
        PreferenceCache preferences = new PreferenceCache(defaults,
                Duration.ofSeconds(Settings.integer("preferences.cache.ttl.seconds", get("preferences.cache.ttl.seconds"), 1, 86_400)),
                Duration.ofMillis(3L * Settings.integer("cms.timeout.ms", get("cms.timeout.ms"), 100, 600_000) + 10_000), 100_000);
        r.bind("preferenceCache", preferences);
        r.bind("eventParser", new EventParser(Settings.integer("max.events.per.request", get("max.events.per.request"), 1, 100_000)));
        r.bind("fileLookup", new FileLookup());
        r.bind("requestFailures", new RequestFailures(5));
        r.bind("correctionActions", new CorrectionActions());
        r.bind("configuredSystems", new ConfiguredSystems(get("s3.bucket"), Settings.url("cms.api.url", get("cms.api.url")),
                Settings.url("chroma.url", get("chroma.url"))));
        RecipientDomains domains = RecipientDomains.parse(get("recipient.domains"));
        r.bind("recipientDomains", domains);
        CorrectionTasks corrections = new CorrectionTasks(dataSource,
                Settings.integer("auto.correction.delay.seconds", get("auto.correction.delay.seconds"), 0, 86_400),
                Settings.integer("correction.retry.base.seconds", get("correction.retry.base.seconds"), 0, 86_400), metrics,
                new DeletionBounds(DeletionBounds.prefix("s3.key.prefix", get("s3.key.prefix"))));
        r.bind("correctionTasks", corrections);
        r.bind("intakeTransaction", new IntakeTransaction(dataSource, new EventRecorder(dataSource), new BatchAssigner(unit),
                preferences::current, Settings.email("default.recipient", get("default.recipient"), true), domains, corrections));
        r.bind("aggregationRepository", new BatchTableAggregationRepository(context, dataSource, unit));
        r.bind("batchCompletion", new BatchCompletion(dataSource, unit, metrics));
        r.bind("batchDigest", new BatchDigest(dataSource, Settings.bool("enable.email.notifications", get("enable.email.notifications"))));
        r.bind("digestMail", new DigestMail(dataSource, Settings.email("from.email", get("from.email"), false)));
        r.bind("digestTemplates", DigestTemplates.configuration(context, get("templates.dir")));
        RedeliveryPolicy mailRedelivery = mailRedelivery();
        r.bind("mailRedelivery", mailRedelivery);
        EmailLog emailLog = new EmailLog(dataSource, mailRedelivery, get("smtp.server"), metrics);
        r.bind("emailLog", emailLog);
        r.bind("mailAttemptFailed", Processor.class, (Processor) emailLog::attemptFailed);
        r.bind("smtp", smtp());
        pc.addOverrideProperty("notification.delay.unit.seconds", String.valueOf(unit.toNanos(1) / 1e9));
        return dataSource;
    }

    private RedeliveryPolicy mailRedelivery() {
        return BackOff.of(Settings.integer("notification.max.attempts", get("notification.max.attempts"), 1, 20) - 1,
                Settings.integer("notification.retry.delay.ms", get("notification.retry.delay.ms"), 1, 86_400_000),
                Settings.integer("notification.retry.multiplier", get("notification.retry.multiplier"), 1, 10));
    }

    /** The smtp component as on Camel Main, for a real server only (Karaf has no embedded one). */
    private MailComponent smtp() {
        String server = get("smtp.server");
        if (server.isBlank()) {
            throw Settings.invalid("smtp.server", "", "an SMTP host in etc/io.ingestnotify.cfg");
        }
        String user = get("smtp.user");
        SmtpTransportSecurity security = SmtpTransportSecurity.of(get("smtp.ssl"), get("smtp.starttls"), !user.isBlank(),
                get("smtp.allow.plaintext.auth"), get("smtp.truststore"), get("smtp.truststore.password"));
        String port = get("smtp.port");
        int smtpPort = port.isBlank() ? security.defaultPort() : Settings.integer("smtp.port", port, 1, 65_535);
        pc.addOverrideProperty("smtp.port", String.valueOf(smtpPort));
        MailComponent mail = new MailComponent(context);
        mail.getConfiguration().setHost(server);
        mail.getConfiguration().setPort(smtpPort);
        if (!user.isBlank()) {
            mail.getConfiguration().setUsername(user);
            mail.getConfiguration().setPassword(get("smtp.password"));
        }
        mail.getConfiguration().setAdditionalJavaMailProperties(security.javaMailProperties());
        mail.getConfiguration().setConnectionTimeout(Settings.integer("smtp.timeout.ms", get("smtp.timeout.ms"), 100, 600_000));
        return mail;
    }

}
