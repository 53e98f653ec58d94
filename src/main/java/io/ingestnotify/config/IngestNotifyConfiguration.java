package io.ingestnotify.config;

import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ingestnotify.batching.BatchAssigner;
import io.ingestnotify.batching.BatchCompletion;
import io.ingestnotify.batching.BatchTableAggregationRepository;
import io.ingestnotify.batching.PreferenceCache;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.correction.ChromaCollections;
import io.ingestnotify.correction.CorrectionActions;
import io.ingestnotify.correction.CorrectionTaskApi;
import io.ingestnotify.correction.CorrectionTasks;
import io.ingestnotify.correction.DeletionBounds;
import io.ingestnotify.correction.DeletionBreaker;
import io.ingestnotify.intake.EventParser;
import io.ingestnotify.intake.EventRecorder;
import io.ingestnotify.cms.CmsFiles;
import io.ingestnotify.cms.CmsMarks;
import io.ingestnotify.intake.FileLookup;
import io.ingestnotify.intake.IntakeTransaction;
import io.ingestnotify.intake.MetadataLookupMode;
import io.ingestnotify.intake.RecipientDomains;
import io.ingestnotify.intake.RequestFailures;
import io.ingestnotify.notification.BatchDigest;
import io.ingestnotify.notification.DigestMail;
import io.ingestnotify.notification.DigestTemplates;
import io.ingestnotify.notification.EmailLog;
import io.ingestnotify.notification.SmtpTransportSecurity;
import io.ingestnotify.notification.DigestMailComponent;
import io.ingestnotify.ops.IngestMetrics;
import io.ingestnotify.ops.Leases;
import io.ingestnotify.ops.OpsSummary;
import io.ingestnotify.ops.ReachabilityCheck;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.component.aws2.s3.AWS2S3Component;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.processor.aggregate.MemoryAggregationRepository;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.AggregationRepository;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Wires the beans the YAML routes call, the Camel Main way: each from its settings, with defaults in
 * application.properties. Beans that need other beans are lazy, so they are built on first use in dependency order.
 */
public class IngestNotifyConfiguration implements CamelConfiguration, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(IngestNotifyConfiguration.class);
    private static final String DB_URL_EXPECTED = "the JDBC URL of the operational PostgreSQL, such as jdbc:postgresql://db:5432/ingest";
    private static final String SMTP_EXPECTED = "an SMTP host";

    private CamelContext camelContext;
    private boolean guest;

    /**
     * Called before any bean of this configuration is made. A guest in a host application (ingest-notify.guest=true in
     * the host's application.properties) gets the bundle's defaults under the host's settings first ({@link GuestDefaults}).
     */
    @Override
    public void setCamelContext(CamelContext context) {
        this.camelContext = context;
        guest = Boolean.parseBoolean(context.getPropertiesComponent().resolveProperty("ingest-notify.guest").orElse("false").trim());
        if (guest) {
            GuestDefaults.install(context);
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /**
     * The operational database: a pool of its own from DB_URL (ingest-notify.db.*), or a host's DataSource bean named by
     * ingest-notify.db.bean. Bound as a {@link BundleDatabase}, not as a DataSource, so a host's components that
     * autowire the one DataSource in the registry (camel-sql's {@code sql}) never get this one, nor lose theirs.
     */
    @BindToRegistry(value = "ingestNotifyDatabase", lazy = true)
    public BundleDatabase ingestNotifyDatabase(CamelContext context,
                                               @PropertyInject("ingest-notify.db.bean") String bean,
                                               @PropertyInject("ingest-notify.db.url") String url,
                                               @PropertyInject("ingest-notify.db.user") String user,
                                               @PropertyInject("ingest-notify.db.password") String password,
                                               @PropertyInject("ingest-notify.db.schema") String schema,
                                               @PropertyInject("ingest-notify.db.pool.size") String poolSize,
                                               @PropertyInject("ingest-notify.data.dir") String dataDir,
                                               @PropertyInject("ingest-notify.embedded.enabled") String embedded) throws Exception {
        if (bean != null && !bean.isBlank()) {
            DataSource hosts = context.getRegistry().lookupByNameAndType(bean.trim(), DataSource.class);
            if (hosts == null) {
                throw Settings.invalid("ingest-notify.db.bean", bean, "the name of a DataSource bean in the registry");
            }
            Database.migrate(hosts, schema);
            LOG.info("Operational tables in {}'s database, schema {}", bean.trim(), schema);
            return new BundleDatabase(hosts);
        }
        int size = Settings.integer("DB_POOL_SIZE", poolSize, 1, 200);
        if (url == null || url.isBlank()) {
            if (!Settings.bool("EMBEDDED", embedded)) {
                throw Settings.invalid("DB_URL", "", DB_URL_EXPECTED + " (EMBEDDED=false: no embedded PostgreSQL)");
            }
            url = EmbeddedParts.require("DB_URL", DB_URL_EXPECTED).startPostgres(context, new File(dataDir, "postgres"));
            user = "postgres";
            password = "";
            LOG.info("Embedded PostgreSQL at {} (data in {}); set DB_URL to use a real one", url, new File(dataDir, "postgres"));
        }
        HikariDataSource pool = Database.pool(url, user, password, schema, size);
        context.addService(new Closer(pool), true, true);
        Database.migrate(pool, schema);
        return new BundleDatabase(pool);
    }

    /** The bundle's own camel-sql component (routes use ingest-notify-sql:), on the bundle's database only. */
    @BindToRegistry(value = "ingest-notify-sql", lazy = true)
    public SqlComponent ingestNotifySql(CamelContext context, @BeanInject("ingestNotifyDatabase") BundleDatabase database) {
        SqlComponent sql = new SqlComponent(context);
        sql.setDataSource(database.dataSource());
        sql.setAutowiredEnabled(false);
        return sql;
    }

    /**
     * batch-table (default): the aggregator's state is the batch table, so a restart re-arms every open batch's timer;
     * memory: camel-core's in-memory repository (the sweeper recovers timers lost in a restart), for comparison.
     */
    @BindToRegistry(value = "ingestNotifyAggregationRepository", lazy = true)
    public AggregationRepository aggregationRepository(CamelContext context,
                                                       @PropertyInject("ingest-notify.aggregation.repository") String kind,
                                                       @PropertyInject("ingest-notify.notification.delay.unit") String unit,
                                                       @BeanInject("ingestNotifyDatabase") BundleDatabase database) {
        return switch (kind.trim().toLowerCase()) {
            case "batch-table" -> new BatchTableAggregationRepository(context, database.dataSource(),
                    Settings.delayUnit("NOTIFICATION_DELAY_UNIT", unit));
            case "memory" -> new MemoryAggregationRepository();
            default -> throw Settings.invalid("AGGREGATION_REPOSITORY", kind, "batch-table or memory");
        };
    }

    @BindToRegistry(value = "ingestNotifyMetrics", lazy = true)
    public IngestMetrics ingestMetrics(CamelContext context) {
        return new IngestMetrics(context);
    }

    @BindToRegistry("ingestNotifyPreferenceCache")
    public PreferenceCache preferenceCache(@PropertyInject("ingest-notify.cms.timeout.ms") String cmsTimeout,
                                           @PropertyInject("ingest-notify.default.batch.size.threshold") String threshold,
                                           @PropertyInject("ingest-notify.default.notification.delay.minutes") String delay,
                                           @PropertyInject("ingest-notify.preferences.cache.ttl.seconds") String ttl) {
        Preferences defaults = Preferences.defaults(
                Settings.integer("DEFAULT_BATCH_SIZE_THRESHOLD", threshold, 1, 100),
                Settings.integer("DEFAULT_NOTIFICATION_DELAY_MINUTES", delay, 1, 1440));
        // A caller waiting for another's fetch: that fetch ends within its three CMS timeouts (connection request,
        // connect, response); the margin only guards against one that never settles (then: defaults).
        Duration wait = Duration.ofMillis(3L * Settings.integer("CMS_TIMEOUT_MS", cmsTimeout, 100, 600_000) + 10_000);
        return new PreferenceCache(defaults, Duration.ofSeconds(Settings.integer("PREFERENCES_CACHE_TTL_SECONDS", ttl, 1, 86_400)),
                wait, 100_000);
    }

    @BindToRegistry("ingestNotifyEventParser")
    public EventParser eventParser(@PropertyInject("ingest-notify.max.events.per.request") String maxEvents) {
        return new EventParser(Settings.integer("MAX_EVENTS_PER_REQUEST", maxEvents, 1, 100_000));
    }

    @BindToRegistry("ingestNotifyFileLookup")
    public FileLookup fileLookup() {
        return new FileLookup();
    }

    @BindToRegistry(value = "ingestNotifyIntakeTransaction", lazy = true)
    public IntakeTransaction intakeTransaction(@BeanInject("ingestNotifyDatabase") BundleDatabase database,
                                               @BeanInject("ingestNotifyPreferenceCache") PreferenceCache preferences,
                                               @PropertyInject("ingest-notify.default.recipient") String defaultRecipient,
                                               @PropertyInject("ingest-notify.notification.delay.unit") String unit,
                                               @BeanInject("ingestNotifyCorrectionTasks") CorrectionTasks corrections,
                                               @BeanInject("ingestNotifyRecipientDomains") RecipientDomains recipientDomains,
                                               @BeanInject("ingestNotifyLeases") Leases leases) {
        return new IntakeTransaction(database.dataSource(), new EventRecorder(database.dataSource()),
                new BatchAssigner(Settings.delayUnit("NOTIFICATION_DELAY_UNIT", unit), leases.instanceId(), leases.seconds()),
                preferences::current,
                Settings.email("DEFAULT_RECIPIENT", defaultRecipient, true), recipientDomains, corrections);
    }

    @BindToRegistry(value = "ingestNotifyCorrectionTasks", lazy = true)
    public CorrectionTasks correctionTasks(@BeanInject("ingestNotifyDatabase") BundleDatabase database,
                                           @BeanInject("ingestNotifyMetrics") IngestMetrics metrics,
                                           @PropertyInject("ingest-notify.auto.correction.delay.seconds") String delay,
                                           @PropertyInject("ingest-notify.correction.retry.base.seconds") String retryBase,
                                           @PropertyInject("ingest-notify.s3.key.prefix") String keyPrefix) {
        return new CorrectionTasks(database.dataSource(), Settings.integer("AUTO_CORRECTION_DELAY_SECONDS", delay, 0, 86_400),
                Settings.integer("CORRECTION_RETRY_BASE_SECONDS", retryBase, 0, 86_400), metrics,
                new DeletionBounds(DeletionBounds.prefix("S3_KEY_PREFIX", keyPrefix)));
    }

    @BindToRegistry("ingestNotifyCmsFiles")
    public CmsFiles cmsFiles(@PropertyInject("ingest-notify.cms.files.path") String filesPath) {
        return CmsFiles.of(filesPath);
    }

    @BindToRegistry("ingestNotifyCmsMarks")
    public CmsMarks cmsMarks() {
        return new CmsMarks();
    }

    @BindToRegistry("ingestNotifyCorrectionActions")
    public CorrectionActions correctionActions() {
        return new CorrectionActions();
    }

    @BindToRegistry(value = "ingestNotifyCorrectionTaskApi", lazy = true)
    public CorrectionTaskApi correctionTaskApi(@BeanInject("ingestNotifyDatabase") BundleDatabase database) {
        return new CorrectionTaskApi(database.dataSource());
    }

    @BindToRegistry(value = "ingestNotifyChromaCollections", lazy = true)
    public ChromaCollections chromaCollections() {
        return new ChromaCollections();
    }

    /**
     * The clean-up's own aws2-s3 component (routes use ingest-notify-aws2-s3:) with its client inside: no S3Client bean
     * in the registry, which a host's aws2-s3 component would autowire. Endpoint override and path style for
     * S3-compatible stores.
     */
    @BindToRegistry(value = "ingest-notify-aws2-s3", lazy = true)
    public AWS2S3Component s3(CamelContext context,
                             @PropertyInject("ingest-notify.s3.endpoint") String endpoint,
                             @PropertyInject("ingest-notify.s3.region") String region,
                             @PropertyInject("ingest-notify.s3.access-key") String accessKey,
                             @PropertyInject("ingest-notify.s3.secret-key") String secretKey,
                             @PropertyInject("ingest-notify.s3.timeout.ms") String timeout) {
        int ms = Settings.integer("S3_TIMEOUT_MS", timeout, 100, 600_000);
        var builder = S3Client.builder()
                .region(Region.of(region))
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(ms)).apiCallAttemptTimeout(Duration.ofMillis(ms)))
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofMillis(ms)));
        String url = Settings.url("S3_ENDPOINT", endpoint);
        if (!url.isEmpty()) {
            builder.endpointOverride(URI.create(url));
        }
        if (accessKey != null && !accessKey.isBlank()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        }
        AWS2S3Component s3 = new AWS2S3Component(context);
        s3.getConfiguration().setAmazonS3Client(builder.build());
        s3.setAutowiredEnabled(false);
        return s3;
    }

    @BindToRegistry(value = "ingestNotifyBatchCompletion", lazy = true)
    public BatchCompletion batchCompletion(@BeanInject("ingestNotifyDatabase") BundleDatabase database,
                                           @BeanInject("ingestNotifyMetrics") IngestMetrics metrics,
                                           @PropertyInject("ingest-notify.notification.delay.unit") String unit,
                                           @BeanInject("ingestNotifyLeases") Leases leases) {
        return new BatchCompletion(database.dataSource(), Settings.delayUnit("NOTIFICATION_DELAY_UNIT", unit), metrics,
                leases.instanceId(), leases.seconds());
    }

    @BindToRegistry(value = "ingestNotifyBatchDigest", lazy = true)
    public BatchDigest batchDigest(@BeanInject("ingestNotifyDatabase") BundleDatabase database,
                                   @PropertyInject("ingest-notify.enable.email.notifications") String enabled) {
        return new BatchDigest(database.dataSource(), Settings.bool("ENABLE_EMAIL_NOTIFICATIONS", enabled));
    }

    /** Retries of one clean-up branch within an attempt, before its dead letter; doubling from the first delay. */
    @BindToRegistry("ingestNotifyCleanupRedelivery")
    public RedeliveryPolicy cleanupRedelivery(@PropertyInject("ingest-notify.correction.branch.redeliveries") String redeliveries,
                                              @PropertyInject("ingest-notify.correction.branch.redelivery.delay.ms") String delay) {
        return BackOff.of(Settings.integer("CORRECTION_BRANCH_REDELIVERIES", redeliveries, 0, 20),
                Settings.integer("CORRECTION_BRANCH_REDELIVERY_DELAY_MS", delay, 0, 600_000), 2);
    }

    @BindToRegistry(value = "ingestNotifyEmailLog", lazy = true)
    public EmailLog emailLog(@BeanInject("ingestNotifyDatabase") BundleDatabase database,
                             @BeanInject("ingestNotifyMetrics") IngestMetrics metrics,
                             @BeanInject("ingestNotifyMailRedelivery") RedeliveryPolicy redelivery,
                             @BeanInject("ingestNotifyLeases") Leases leases,
                             @PropertyInject("ingest-notify.smtp.server") String server) {
        return new EmailLog(database.dataSource(), redelivery, server, metrics, leases);
    }

    /**
     * This instance's leases on scheduled work (INSTANCE_ID, LEASE_SECONDS), renewed by a heartbeat while the work
     * runs here; lazy: INSTANCE_ID's default is filled in during configure().
     */
    @BindToRegistry(value = "ingestNotifyLeases", lazy = true)
    public Leases leases(CamelContext context,
                         @BeanInject("ingestNotifyDatabase") BundleDatabase database,
                         @PropertyInject("ingest-notify.instance.id") String instanceId,
                         @PropertyInject("ingest-notify.lease.seconds") String seconds) throws Exception {
        Leases leases = new Leases(database.dataSource(), Settings.instanceId("INSTANCE_ID", instanceId),
                Settings.integer("LEASE_SECONDS", seconds, 3, 3_600));
        context.addService(leases, true, true);
        return leases;
    }

    @BindToRegistry(value = "ingestNotifyDigestMail", lazy = true)
    public DigestMail digestMail(@BeanInject("ingestNotifyDatabase") BundleDatabase database, @PropertyInject("ingest-notify.from.email") String from) {
        return new DigestMail(database.dataSource(), Settings.email("FROM_EMAIL", from, false));
    }

    /** The digest's SMTP back-off, one object for the route's redelivery and the retry log's next_retry_at. */
    @BindToRegistry("ingestNotifyMailRedelivery")
    public RedeliveryPolicy mailRedelivery(@PropertyInject("ingest-notify.notification.max.attempts") String maxAttempts,
                                           @PropertyInject("ingest-notify.notification.retry.delay.ms") String delay,
                                           @PropertyInject("ingest-notify.notification.retry.multiplier") String multiplier) {
        return BackOff.of(Settings.integer("NOTIFICATION_MAX_ATTEMPTS", maxAttempts, 1, 20) - 1,
                Settings.integer("NOTIFICATION_RETRY_DELAY_MS", delay, 1, 86_400_000),
                Settings.integer("NOTIFICATION_RETRY_MULTIPLIER", multiplier, 1, 10));
    }

    @BindToRegistry(value = "ingestNotifyMailAttemptFailed", lazy = true)
    public org.apache.camel.Processor mailAttemptFailed(@BeanInject("ingestNotifyEmailLog") EmailLog emailLog) {
        return emailLog::attemptFailed;
    }

    /**
     * The smtp component, configured once so credentials never appear in an endpoint URI (or a log line).
     * With no SMTP_SERVER, an embedded GreenMail server takes the mails (loopback, no TLS, no credentials needed).
     * A real server gets TLS (SmtpTransportSecurity): implicit (SMTP_SSL) or required STARTTLS, identity checked.
     */
    @BindToRegistry(DigestMailComponent.NAME)
    public MailComponent smtp(CamelContext context,
                              @PropertyInject("ingest-notify.smtp.server") String server,
                              @PropertyInject("ingest-notify.smtp.port") String port,
                              @PropertyInject("ingest-notify.smtp.user") String user,
                              @PropertyInject("ingest-notify.smtp.password") String password,
                              @PropertyInject("ingest-notify.smtp.starttls") String starttls,
                              @PropertyInject("ingest-notify.smtp.ssl") String ssl,
                              @PropertyInject("ingest-notify.smtp.allow.plaintext.auth") String allowPlaintextAuth,
                              @PropertyInject("ingest-notify.smtp.truststore") String trustStore,
                              @PropertyInject("ingest-notify.smtp.truststore.password") String trustStorePassword,
                              @PropertyInject("ingest-notify.smtp.timeout.ms") String timeout,
                              @PropertyInject("ingest-notify.embedded.smtp.port") String embeddedPort,
                              @PropertyInject("ingest-notify.data.dir") String dataDir,
                              @PropertyInject("ingest-notify.embedded.enabled") String embedded) throws Exception {
        boolean explicitPort = port != null && !port.isBlank();
        int smtpPort = explicitPort ? Settings.integer("SMTP_PORT", port, 1, 65_535) : 0;
        SmtpTransportSecurity security;
        if (server == null || server.isBlank()) {
            if (!Settings.bool("EMBEDDED", embedded)) {
                throw Settings.invalid("SMTP_SERVER", "", SMTP_EXPECTED + " (or EMBEDDED=true for an embedded SMTP server)");
            }
            checkEmbeddedPartsPresent(context.getPropertiesComponent(), true, false);
            smtpPort = EmbeddedParts.require("SMTP_SERVER", SMTP_EXPECTED).startSmtp(context,
                    Settings.integer("EMBEDDED_SMTP_PORT", embeddedPort, 0, 65_535), new File(dataDir, "outbox"));
            server = "127.0.0.1";
            security = new SmtpTransportSecurity(false, false, null);
            context.getPropertiesComponent().addOverrideProperty("ingest-notify.smtp.server", server);
            context.getPropertiesComponent().addOverrideProperty("ingest-notify.smtp.starttls", "false");
            LOG.info("Embedded SMTP server at {}:{}, mails saved in {}; set SMTP_SERVER to use a real one", server, smtpPort,
                    new File(dataDir, "outbox").getAbsolutePath());
        } else {
            security = SmtpTransportSecurity.of(ssl, starttls, user != null && !user.isBlank(), allowPlaintextAuth,
                    trustStore, trustStorePassword);
            smtpPort = explicitPort ? smtpPort : security.defaultPort();
        }
        context.getPropertiesComponent().addOverrideProperty("ingest-notify.smtp.port", String.valueOf(smtpPort));
        return DigestMailComponent.create(context, server, smtpPort, user, password, security,
                Settings.integer("SMTP_TIMEOUT_MS", timeout, 100, 600_000));
    }

    /** The digest templates, parsed once and cached (see {@link DigestTemplates}). */
    @BindToRegistry("ingestNotifyDigestTemplates")
    public freemarker.template.Configuration digestTemplates(CamelContext context, @PropertyInject("ingest-notify.templates.dir") String dir) {
        return DigestTemplates.configuration(context, dir);
    }

    @BindToRegistry(value = "ingestNotifyOpsSummary", lazy = true)
    public OpsSummary opsSummary(@BeanInject("ingestNotifyDatabase") BundleDatabase database,
                                 @BeanInject("ingestNotifyDeletionBreaker") DeletionBreaker breaker,
                                 @PropertyInject("ingest-notify.notification.delay.unit.seconds") String unitSeconds,
                                 @PropertyInject("ingest-notify.max.batch.age.hours") String maxAge,
                                 @BeanInject("ingestNotifyLeases") Leases leases,
                                 @PropertyInject("ingest-notify.outbox.claim.lease.seconds") String outboxLease) {
        return new OpsSummary(database.dataSource(), Double.parseDouble(unitSeconds), Integer.parseInt(maxAge), breaker, leases,
                Integer.parseInt(outboxLease.trim()));
    }

    @BindToRegistry(value = "ingestNotifyDatabaseHealth", lazy = true)
    public ReachabilityCheck databaseHealth(@BeanInject("ingestNotifyDatabase") BundleDatabase database) {
        return ReachabilityCheck.database(database.dataSource());
    }

    @BindToRegistry(value = "ingestNotifySmtpHealth", lazy = true)
    public ReachabilityCheck smtpHealth(@PropertyInject("ingest-notify.smtp.server") String server, @PropertyInject("ingest-notify.smtp.port") String port) {
        return ReachabilityCheck.smtp(server, Integer.parseInt(port));
    }

    @BindToRegistry(value = "ingestNotifyCmsHealth", lazy = true)
    public ReachabilityCheck cmsHealth(@PropertyInject("ingest-notify.cms.api.url") String url) {
        return ReachabilityCheck.cms(url);
    }

    /**
     * RECIPIENT_DOMAINS, checked at start: a DEFAULT_RECIPIENT outside the list could never receive a digest, so
     * that is a misconfiguration, not a runtime surprise.
     */
    @BindToRegistry("ingestNotifyRecipientDomains")
    public RecipientDomains recipientDomains(@PropertyInject("ingest-notify.recipient.domains") String domains,
                                             @PropertyInject("ingest-notify.default.recipient") String defaultRecipient) {
        RecipientDomains allowed = RecipientDomains.parse(domains);
        String fallback = Settings.email("DEFAULT_RECIPIENT", defaultRecipient, true);
        if (!fallback.isEmpty() && !allowed.allows(fallback)) {
            throw Settings.invalid("DEFAULT_RECIPIENT", defaultRecipient, "an address in RECIPIENT_DOMAINS (" + allowed + ")");
        }
        return allowed;
    }

    /** Answers requests that failed: 503 only for an outage, 400 for refused data, else 500 with an error id. */
    @BindToRegistry("ingestNotifyRequestFailures")
    public RequestFailures requestFailures() {
        return new RequestFailures(5);
    }

    /** The header allow-list of every http call to the CMS and Chroma (endpoint option headerFilterStrategy). */
    @BindToRegistry("ingestNotifyOutboundHeaders")
    public OutboundHeaders outboundHeaders() {
        return new OutboundHeaders();
    }

    @BindToRegistry(value = "ingestNotifyDeletionBreaker", lazy = true)
    public DeletionBreaker deletionBreaker(@BeanInject("ingestNotifyDatabase") BundleDatabase database,
                                           @BeanInject("ingestNotifyMetrics") IngestMetrics metrics,
                                           @PropertyInject("ingest-notify.max.deletions.per.hour") String maxPerHour) {
        return new DeletionBreaker(database.dataSource(), Settings.integer("MAX_DELETIONS_PER_HOUR", maxPerHour, 1, 1_000_000), metrics);
    }

    /** Which outside systems are configured; lazy: the embedded S3 store sets S3_BUCKET during configure(). */
    @BindToRegistry(value = "ingestNotifyConfiguredSystems", lazy = true)
    public ConfiguredSystems configuredSystems(@PropertyInject("ingest-notify.s3.bucket") String s3Bucket,
                                               @PropertyInject("ingest-notify.cms.api.url") String cmsUrl,
                                               @PropertyInject("ingest-notify.chroma.url") String chromaUrl) {
        return new ConfiguredSystems(s3Bucket, Settings.url("CMS_API_URL", cmsUrl), Settings.url("CHROMA_URL", chromaUrl));
    }

    /** True where the bundle is a guest in a host's application: its context, HTTP server, health and metrics. */
    protected boolean guest() {
        return guest;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        var pc = context.getPropertiesComponent();
        secureHttp(context, guest());
        var unit = Settings.delayUnit("NOTIFICATION_DELAY_UNIT", pc.resolveProperty("ingest-notify.notification.delay.unit").orElse(""));
        Settings.integer("MAX_BATCH_AGE_HOURS", pc.resolveProperty("ingest-notify.max.batch.age.hours").orElse(""), 1, 8_760);
        Settings.integer("OUTBOX_POLL_LIMIT", pc.resolveProperty("ingest-notify.outbox.poll.limit").orElse(""), 1, 10_000);
        Settings.integer("HTTP_PORT", pc.resolveProperty("ingest-notify.http.port").orElse(""), 0, 65_535);
        boolean autoCorrection = Settings.bool("ENABLE_AUTO_CORRECTION", pc.resolveProperty("ingest-notify.enable.auto.correction").orElse(""));
        Settings.bool("AUTO_CORRECTION_DRY_RUN", pc.resolveProperty("ingest-notify.correction.dry.run").orElse(""));
        Settings.integer("MAX_CORRECTION_ATTEMPTS", pc.resolveProperty("ingest-notify.max.correction.attempts").orElse(""), 1, 100);
        Settings.url("CHROMA_URL", pc.resolveProperty("ingest-notify.chroma.url").orElse(""));
        // The S3 component is built on first use (the AWS SDK is slow to start); its settings are checked now.
        Settings.url("S3_ENDPOINT", pc.resolveProperty("ingest-notify.s3.endpoint").orElse(""));
        Settings.integer("S3_TIMEOUT_MS", pc.resolveProperty("ingest-notify.s3.timeout.ms").orElse(""), 100, 600_000);
        Settings.email("FROM_EMAIL", pc.resolveProperty("ingest-notify.from.email").orElse(""), false);
        checkPaceAndLeases(pc);
        // Several instances: the id every claim records (host name and pid unless INSTANCE_ID says otherwise).
        String instanceId = Settings.instanceId("INSTANCE_ID", pc.resolveProperty("ingest-notify.instance.id").orElse(""));
        pc.addOverrideProperty("ingest-notify.instance.id", instanceId);
        LOG.info("Instance {}", instanceId);
        boolean embedded = Settings.bool("EMBEDDED", pc.resolveProperty("ingest-notify.embedded.enabled").orElse(""));
        boolean demo = Settings.bool("DEMO", pc.resolveProperty("ingest-notify.demo").orElse(""));
        checkEmbeddedPartsPresent(pc, embedded, demo);
        if (pc.resolveProperty("ingest-notify.db.bean").orElse("").isBlank()) {
            // The bundle's own database now, so a bad DB_* setting stops start-up with its own message (a route would
            // only report "no endpoint for ingest-notify-sql"). A host's bean (DB_BEAN) may be bound later: left lazy.
            context.getRegistry().lookupByNameAndType("ingestNotifyDatabase", BundleDatabase.class);
        }
        if (embedded && EmbeddedParts.find().isPresent()
                && pc.resolveProperty("ingest-notify.s3.bucket").orElse("").isBlank() && pc.resolveProperty("ingest-notify.s3.endpoint").orElse("").isBlank()) {
            startEmbeddedS3(context, new File(pc.resolveProperty("ingest-notify.data.dir").orElse("data"), "s3"));
        }
        // Routes a setting switches on: their YAML says autoStartup: false (the YAML DSL schema wants a literal there).
        List<String> switchedOn = new ArrayList<>();
        if (autoCorrection) {
            switchedOn.addAll(List.of("ingest-notify-correction-poller", "ingest-notify-correction-redrive"));
        }
        if (demo) {
            switchedOn.add("ingest-notify-demo");
        }
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // routes start once the context is fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                for (String id : switchedOn) {
                    ctx.getRouteController().startRoute(id);
                }
            }
        });
        if (demo) {
            // A newcomer sees batches, mails and a correction within a minute: the preferences' "minutes" become seconds.
            pc.addOverrideProperty("ingest-notify.notification.delay.unit", "SECONDS");
            pc.addOverrideProperty("ingest-notify.auto.correction.delay.seconds", "5");
            unit = TimeUnit.SECONDS;
        }
        UserRoutes.install(context, pc.resolveProperty("ingest-notify.routes.dir").orElse(""),
                Settings.bool("ROUTES_RELOAD", pc.resolveProperty("ingest-notify.routes.reload").orElse("")));
        // Deletes in bounds: checked now so a bad value stops start-up; the look-up mode is decided after the user's routes load.
        Settings.integer("MAX_DELETIONS_PER_HOUR", pc.resolveProperty("ingest-notify.max.deletions.per.hour").orElse(""), 1, 1_000_000);
        DeletionBounds.prefix("S3_KEY_PREFIX", pc.resolveProperty("ingest-notify.s3.key.prefix").orElse(""));
        MetadataLookupMode.install(context, pc.resolveProperty("ingest-notify.metadata.lookup").orElse(""),
                pc.resolveProperty("ingest-notify.metadata.source").orElse(""), pc.resolveProperty("ingest-notify.metadata.table").orElse(""),
                !pc.resolveProperty("ingest-notify.cms.api.url").orElse("").isBlank());
        // Derived settings the YAML routes read.
        pc.addOverrideProperty("ingest-notify.notification.delay.unit.seconds", String.valueOf(unit.toNanos(1) / 1e9));
    }

    /**
     * Settings only the YAML routes and SQL read (poll paces, leases, timeouts): checked here, since no bean parses
     * them, so a bad value stops start-up naming its variable instead of failing inside an endpoint later.
     */
    private static void checkPaceAndLeases(PropertiesComponent pc) {
        Settings.integer("OUTBOX_POLL_DELAY_MS", pc.resolveProperty("ingest-notify.outbox.poll.delay.ms").orElse(""), 10, 3_600_000);
        Settings.integer("OUTBOX_CLAIM_LEASE_SECONDS", pc.resolveProperty("ingest-notify.outbox.claim.lease.seconds").orElse(""), 1, 86_400);
        Settings.integer("SWEEPER_INTERVAL_MS", pc.resolveProperty("ingest-notify.sweeper.interval.ms").orElse(""), 100, 86_400_000);
        Settings.integer("SWEEPER_GRACE_SECONDS", pc.resolveProperty("ingest-notify.sweeper.grace.seconds").orElse(""), 0, 3_600);
        Settings.integer("CORRECTION_POLL_DELAY_MS", pc.resolveProperty("ingest-notify.correction.poll.delay.ms").orElse(""), 10, 3_600_000);
        Settings.integer("CORRECTION_POLL_LIMIT", pc.resolveProperty("ingest-notify.correction.poll.limit").orElse(""), 1, 10_000);
        Settings.integer("LEASE_SECONDS", pc.resolveProperty("ingest-notify.lease.seconds").orElse(""), 3, 3_600);
        Settings.integer("CORRECTION_REDRIVE_INTERVAL_MS", pc.resolveProperty("ingest-notify.correction.redrive.interval.ms").orElse(""), 100, 86_400_000);
        Settings.integer("CMS_TIMEOUT_MS", pc.resolveProperty("ingest-notify.cms.timeout.ms").orElse(""), 100, 600_000);
        Settings.integer("CHROMA_TIMEOUT_MS", pc.resolveProperty("ingest-notify.chroma.timeout.ms").orElse(""), 100, 600_000);
        Settings.integer("EMBEDDED_SMTP_PORT", pc.resolveProperty("ingest-notify.embedded.smtp.port").orElse(""), 0, 65_535);
    }

    /**
     * Secure by default: a credential configured is a credential required, and beyond loopback both roles need one.
     * Camel Main has created its HTTP server (not yet started) before configurations run, so the guard goes in first.
     */
    private static void secureHttp(CamelContext context, boolean guest) {
        var pc = context.getPropertiesComponent();
        String basePath = pc.resolveProperty("ingest-notify.http.base-path").orElse("");
        if (!basePath.isEmpty() && !basePath.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw Settings.invalid("HTTP_BASE_PATH", basePath, "empty or a path such as /ingest-notify (no trailing /)");
        }
        // A guest's requests reach the host's server, which binds where the host says (Camel's default: every address).
        String host = guest ? pc.resolveProperty("camel.server.host").orElse("0.0.0.0")
                : pc.resolveProperty("ingest-notify.http.host").orElse("");
        if (host.isBlank()) {
            throw Settings.invalid("HTTP_HOST", host, "a bind address such as 127.0.0.1 or 0.0.0.0");
        }
        Credentials credentials = new Credentials(pc.resolveProperty("ingest-notify.intake.token").orElse(""),
                pc.resolveProperty("ingest-notify.ops.user").orElse(""), pc.resolveProperty("ingest-notify.ops.password").orElse(""),
                pc.resolveProperty("ingest-notify.ops.token").orElse(""));
        credentials.checkBindAddress(host);
        int maxBytes = Settings.integer("MAX_REQUEST_BYTES", pc.resolveProperty("ingest-notify.max.request.bytes").orElse(""), 1024, 64 * 1024 * 1024);
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            if (guest) {
                throw new IllegalStateException("ingest-notify's HTTP API needs the host's platform-http server: set "
                        + "camel.server.enabled=true in the host's application.properties");
            }
            LOG.warn("No embedded HTTP server (camel.server.enabled=false): the HTTP guard is not installed");
            return;
        }
        // A guest leaves the host's health probes to the host: the guard covers the bundle's base path only.
        String healthPath = guest ? null : pc.resolveProperty("camel.management.health-path").orElse("/observe/health");
        new HttpGuard(context, credentials, maxBytes, healthPath, basePath).installOn(server);
        LOG.info("HTTP on {}{}: intake {}, operator {}", host, basePath,
                credentials.intakeConfigured() ? "needs INTAKE_TOKEN" : "open (loopback only)",
                credentials.operatorConfigured() ? "needs its credential" : "open (loopback only)");
    }

    /**
     * The lean artifact has no embedded servers: a missing DB_URL or SMTP_SERVER (or DEMO=true) stops start-up here,
     * naming what to set, before anything starts. A missing S3 store only leaves S3 not configured, as anywhere.
     */
    private static void checkEmbeddedPartsPresent(PropertiesComponent pc, boolean embedded, boolean demo) {
        if (EmbeddedParts.find().isPresent()) {
            return;
        }
        if (demo) {
            throw Settings.invalid("DEMO", "true", "false (the demo runs on the embedded artifact: java -jar ingest-notify-embedded.jar)");
        }
        List<String> missing = new ArrayList<>();
        if (embedded && pc.resolveProperty("ingest-notify.db.url").orElse("").isBlank()) {
            missing.add("DB_URL (" + DB_URL_EXPECTED + ")");
        }
        if (embedded && pc.resolveProperty("ingest-notify.smtp.server").orElse("").isBlank()) {
            missing.add("SMTP_SERVER (" + SMTP_EXPECTED + ")");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Missing setting " + String.join(" and ", missing) + ": " + EmbeddedParts.LEAN);
        }
    }

    /** The embedded default's S3 store (S3Proxy on the filesystem) with the pipeline's bucket, used by the S3 clean-up. */
    private static void startEmbeddedS3(CamelContext context, File dir) throws Exception {
        String bucket = "ingest-files";
        EmbeddedParts.S3 s3 = EmbeddedParts.require("S3_BUCKET", "a bucket").startS3(context, dir, bucket);
        var pc = context.getPropertiesComponent();
        pc.addOverrideProperty("ingest-notify.s3.bucket", bucket);
        pc.addOverrideProperty("ingest-notify.s3.endpoint", s3.endpoint());
        pc.addOverrideProperty("ingest-notify.s3.access-key", s3.accessKey());
        pc.addOverrideProperty("ingest-notify.s3.secret-key", s3.secretKey());
        LOG.info("Embedded S3 store at {} (bucket {}, files in {}); set S3_BUCKET / S3_ENDPOINT to use a real one",
                s3.endpoint(), bucket, dir.getAbsolutePath());
    }

    /** Closes a resource when the Camel context stops. */
    static final class Closer extends ServiceSupport {
        private final AutoCloseable resource;

        Closer(AutoCloseable resource) {
            this.resource = resource;
        }

        @Override
        protected void doStop() throws Exception {
            resource.close();
        }
    }
}
