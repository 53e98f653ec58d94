package io.ingestnotify.karaf;

import java.time.Duration;


import com.zaxxer.hikari.HikariDataSource;
import io.ingestnotify.batching.BatchAssigner;
import io.ingestnotify.batching.BatchCompletion;
import io.ingestnotify.batching.BatchTableAggregationRepository;
import io.ingestnotify.batching.PreferenceCache;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.config.BackOff;
import io.ingestnotify.config.ConfiguredSystems;
import io.ingestnotify.cms.CmsFiles;
import io.ingestnotify.cms.CmsMarks;
import io.ingestnotify.config.BundleDatabase;
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
import io.ingestnotify.notification.DigestMailComponent;
import io.ingestnotify.notification.DigestTemplates;
import io.ingestnotify.notification.EmailLog;
import io.ingestnotify.notification.SmtpTransportSecurity;
import io.ingestnotify.ops.IngestMetrics;
import io.ingestnotify.ops.Leases;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.sql.SqlComponent;
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
    HikariDataSource bind() throws Exception {
        Registry r = context.getRegistry();
        String url = get("ingest-notify.db.url");
        if (url.isBlank()) {
            throw Settings.invalid("ingest-notify.db.url", "", "the JDBC URL of the operational PostgreSQL in etc/io.ingestnotify.cfg");
        }
        String schema = get("ingest-notify.db.schema");
        HikariDataSource dataSource = Database.pool(url, get("ingest-notify.db.user"), get("ingest-notify.db.password"), schema,
                Settings.integer("ingest-notify.db.pool.size", get("ingest-notify.db.pool.size"), 1, 200));
        Database.migrate(dataSource, schema);
        // As on Camel Main: the database behind a holder and the bundle's own sql component (routes use ingest-notify-sql:).
        r.bind("ingestNotifyDatabase", new BundleDatabase(dataSource));
        SqlComponent sql = new SqlComponent(context);
        sql.setDataSource(dataSource);
        sql.setAutowiredEnabled(false);
        r.bind("ingest-notify-sql", sql);

        var unit = Settings.delayUnit("ingest-notify.notification.delay.unit", get("ingest-notify.notification.delay.unit"));
        IngestMetrics metrics = new IngestMetrics(context);
        r.bind("ingestNotifyMetrics", metrics);
        // The id every claim records (the queries read the property), and this instance's leases with their heartbeat.
        String instanceId = Settings.instanceId("ingest-notify.instance.id", get("ingest-notify.instance.id"));
        pc.addOverrideProperty("ingest-notify.instance.id", instanceId);
        Leases leases = new Leases(dataSource, instanceId,
                Settings.integer("ingest-notify.lease.seconds", get("ingest-notify.lease.seconds"), 3, 3_600));
        context.addService(leases, true, true);
        r.bind("ingestNotifyLeases", leases);
        Preferences defaults = Preferences.defaults(
                Settings.integer("ingest-notify.default.batch.size.threshold", get("ingest-notify.default.batch.size.threshold"), 1, 100),
                Settings.integer("ingest-notify.default.notification.delay.minutes", get("ingest-notify.default.notification.delay.minutes"), 1, 1440));
        PreferenceCache preferences = new PreferenceCache(defaults,
                Duration.ofSeconds(Settings.integer("ingest-notify.preferences.cache.ttl.seconds", get("ingest-notify.preferences.cache.ttl.seconds"), 1, 86_400)),
                Duration.ofMillis(3L * Settings.integer("ingest-notify.cms.timeout.ms", get("ingest-notify.cms.timeout.ms"), 100, 600_000) + 10_000), 100_000);
        r.bind("ingestNotifyPreferenceCache", preferences);
        r.bind("ingestNotifyEventParser", new EventParser(Settings.integer("ingest-notify.max.events.per.request", get("ingest-notify.max.events.per.request"), 1, 100_000)));
        r.bind("ingestNotifyFileLookup", new FileLookup());
        r.bind("ingestNotifyRequestFailures", new RequestFailures(5));
        r.bind("ingestNotifyCorrectionActions", new CorrectionActions());
        r.bind("ingestNotifyConfiguredSystems", new ConfiguredSystems(get("ingest-notify.s3.bucket"), Settings.url("ingest-notify.cms.api.url", get("ingest-notify.cms.api.url")),
                Settings.url("ingest-notify.chroma.url", get("ingest-notify.chroma.url"))));
        RecipientDomains domains = RecipientDomains.parse(get("ingest-notify.recipient.domains"));
        r.bind("ingestNotifyRecipientDomains", domains);
        CorrectionTasks corrections = new CorrectionTasks(dataSource,
                Settings.integer("ingest-notify.auto.correction.delay.seconds", get("ingest-notify.auto.correction.delay.seconds"), 0, 86_400),
                Settings.integer("ingest-notify.correction.retry.base.seconds", get("ingest-notify.correction.retry.base.seconds"), 0, 86_400), metrics,
                new DeletionBounds(DeletionBounds.prefix("ingest-notify.s3.key.prefix", get("ingest-notify.s3.key.prefix"))));
        r.bind("ingestNotifyCorrectionTasks", corrections);
        r.bind("ingestNotifyIntakeTransaction", new IntakeTransaction(dataSource, new EventRecorder(dataSource), new BatchAssigner(unit, instanceId, leases.seconds()),
                preferences::current, Settings.email("ingest-notify.default.recipient", get("ingest-notify.default.recipient"), true), domains, corrections));
        r.bind("ingestNotifyAggregationRepository", new BatchTableAggregationRepository(context, dataSource, unit));
        r.bind("ingestNotifyBatchCompletion", new BatchCompletion(dataSource, unit, metrics, instanceId, leases.seconds()));
        r.bind("ingestNotifyBatchDigest", new BatchDigest(dataSource, Settings.bool("ingest-notify.enable.email.notifications", get("ingest-notify.enable.email.notifications"))));
        r.bind("ingestNotifyDigestMail", new DigestMail(dataSource, Settings.email("ingest-notify.from.email", get("ingest-notify.from.email"), false)));
        r.bind("ingestNotifyDigestTemplates", DigestTemplates.configuration(context, get("ingest-notify.templates.dir")));
        RedeliveryPolicy mailRedelivery = mailRedelivery();
        r.bind("ingestNotifyMailRedelivery", mailRedelivery);
        EmailLog emailLog = new EmailLog(dataSource, mailRedelivery, get("ingest-notify.smtp.server"), metrics, leases);
        r.bind("ingestNotifyEmailLog", emailLog);
        r.bind("ingestNotifyMailAttemptFailed", Processor.class, (Processor) emailLog::attemptFailed);
        r.bind(DigestMailComponent.NAME, smtp());
        // Routes cms.camel.yaml and cms-marks.camel.yaml are loaded too; with no CMS configured they never call it.
        r.bind("ingestNotifyCmsFiles", CmsFiles.of(get("ingest-notify.cms.files.path")));
        r.bind("ingestNotifyCmsMarks", new CmsMarks());
        pc.addOverrideProperty("ingest-notify.notification.delay.unit.seconds", String.valueOf(unit.toNanos(1) / 1e9));
        return dataSource;
    }

    private RedeliveryPolicy mailRedelivery() {
        return BackOff.of(Settings.integer("ingest-notify.notification.max.attempts", get("ingest-notify.notification.max.attempts"), 1, 20) - 1,
                Settings.integer("ingest-notify.notification.retry.delay.ms", get("ingest-notify.notification.retry.delay.ms"), 1, 86_400_000),
                Settings.integer("ingest-notify.notification.retry.multiplier", get("ingest-notify.notification.retry.multiplier"), 1, 10));
    }

    /** The smtp component as on Camel Main, for a real server only (Karaf has no embedded one). */
    private MailComponent smtp() {
        String server = get("ingest-notify.smtp.server");
        if (server.isBlank()) {
            throw Settings.invalid("ingest-notify.smtp.server", "", "an SMTP host in etc/io.ingestnotify.cfg");
        }
        String user = get("ingest-notify.smtp.user");
        SmtpTransportSecurity security = SmtpTransportSecurity.of(get("ingest-notify.smtp.ssl"), get("ingest-notify.smtp.starttls"), !user.isBlank(),
                get("ingest-notify.smtp.allow.plaintext.auth"), get("ingest-notify.smtp.truststore"), get("ingest-notify.smtp.truststore.password"));
        String port = get("ingest-notify.smtp.port");
        int smtpPort = port.isBlank() ? security.defaultPort() : Settings.integer("ingest-notify.smtp.port", port, 1, 65_535);
        pc.addOverrideProperty("ingest-notify.smtp.port", String.valueOf(smtpPort));
        return DigestMailComponent.create(context, server, smtpPort, user, get("ingest-notify.smtp.password"), security,
                Settings.integer("ingest-notify.smtp.timeout.ms", get("ingest-notify.smtp.timeout.ms"), 100, 600_000));
    }

}
