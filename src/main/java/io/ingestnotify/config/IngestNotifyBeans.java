package io.ingestnotify.config;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import javax.sql.DataSource;

import freemarker.template.Configuration;
import io.ingestnotify.batching.BatchAssigner;
import io.ingestnotify.batching.BatchCompletion;
import io.ingestnotify.batching.BatchTableAggregationRepository;
import io.ingestnotify.batching.PreferenceCache;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.cms.DirectusApi;
import io.ingestnotify.cms.CmsMarks;
import io.ingestnotify.cms.StrapiApi;
import io.ingestnotify.common.BackOff;
import io.ingestnotify.common.BundleDatabase;
import io.ingestnotify.common.IngestMetrics;
import io.ingestnotify.common.ClaimGate;
import io.ingestnotify.common.Leases;
import io.ingestnotify.correction.ChromaCollections;
import io.ingestnotify.correction.CorrectionActions;
import io.ingestnotify.correction.CorrectionTaskApi;
import io.ingestnotify.correction.CorrectionTasks;
import io.ingestnotify.correction.DeletionBounds;
import io.ingestnotify.correction.DeletionBreaker;
import io.ingestnotify.intake.EventParser;
import io.ingestnotify.intake.EventRecorder;
import io.ingestnotify.intake.FileLookup;
import io.ingestnotify.intake.GroupWindowTimer;
import io.ingestnotify.intake.IntakeGroupStrategy;
import io.ingestnotify.intake.IntakeTransaction;
import io.ingestnotify.intake.RecipientDomains;
import io.ingestnotify.intake.RequestFailures;
import io.ingestnotify.notification.BatchDigest;
import io.ingestnotify.notification.DigestMail;
import io.ingestnotify.notification.DigestMailComponent;
import io.ingestnotify.notification.SmtpRelays;
import io.ingestnotify.notification.BounceReports;
import io.ingestnotify.notification.DigestTemplates;
import io.ingestnotify.notification.EmailLog;
import io.ingestnotify.notification.QuietHours;
import io.ingestnotify.notification.RecipientControls;
import io.ingestnotify.notification.SmtpTransportSecurity;
import io.ingestnotify.notification.Suppressions;
import io.ingestnotify.notification.Unsubscribe;
import io.ingestnotify.notification.UnsubscribeTokens;
import io.ingestnotify.ops.OperatorAudit;
import io.ingestnotify.ops.OpsSummary;
import io.ingestnotify.ops.ReachabilityCheck;
import io.ingestnotify.retention.Retention;
import io.ingestnotify.retention.TableSizes;
import io.ingestnotify.settings.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.aws2.s3.AWS2S3Component;
import io.vertx.core.VertxOptions;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.processor.aggregate.MemoryAggregationRepository;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.AggregationRepository;
import org.apache.camel.spi.Registry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one bean factory: every bean the routes call, built from {@link Settings} and bound under its registry name,
 * the same for the standalone jar, a guest in a host's application and Karaf. Each bean is made once, on its first
 * lookup (the S3 client and a host's database can be slow or late), and shared by the beans that need it.
 */
public final class IngestNotifyBeans {

    private final CamelContext context;
    private final Settings settings;
    private final Supplier<BundleDatabase> database;
    private final Map<String, Object> made = new HashMap<>();
    private final SmtpTransportSecurity smtpSecurity;
    private final DeletionBounds deletionBounds;

    /** Checks now what the settings alone cannot tell (a readable trust store, a well-formed key prefix). */
    public IngestNotifyBeans(CamelContext context, Settings settings, Supplier<BundleDatabase> database) {
        this.context = context;
        this.settings = settings;
        this.database = database;
        this.smtpSecurity = SmtpTransportSecurity.of(settings.smtp());
        this.deletionBounds = new DeletionBounds(DeletionBounds.prefix(settings.correction().s3KeyPrefix()));
    }

    /**
     * The embedded HTTP server's Vert.x options (platform-http finds them by type): its worker pool holds every request
     * in the route, those waiting for their group's commit too. Not bound for a guest, whose host owns its server.
     */
    public void bindHttpServerOptions(Registry r) {
        bind(r, "ingestNotifyVertxOptions", VertxOptions.class,
                () -> new VertxOptions().setWorkerPoolSize(settings.intakeGroups().httpWorkerThreads()));
    }

    /** Binds every bean; none is made before it is looked up. */
    public void bindTo(Registry r) {
        bind(r, "ingestNotifyDatabase", BundleDatabase.class, database::get);
        bind(r, "ingest-notify-sql", SqlComponent.class, this::sql);
        bind(r, "ingestNotifyMetrics", IngestMetrics.class, this::metrics);
        bind(r, "ingestNotifyLeases", Leases.class, this::leases);
        bind(r, "ingestNotifyClaimGate", ClaimGate.class, () -> new ClaimGate(leases()));
        bind(r, "ingestNotifyAggregationRepository", AggregationRepository.class, this::aggregationRepository);
        bind(r, "ingestNotifyPreferenceCache", PreferenceCache.class, this::preferenceCache);
        bind(r, "ingestNotifyEventParser", EventParser.class, () -> new EventParser(settings.http().maxEventsPerRequest()));
        bind(r, "ingestNotifyFileLookup", FileLookup.class, this::fileLookup);
        bind(r, "ingestNotifyRecipientDomains", RecipientDomains.class, () -> RecipientDomains.of(settings.smtp().recipientDomains()));
        bind(r, "ingestNotifyIntakeTransaction", IntakeTransaction.class, this::intakeTransaction);
        // The group window's timeout checker ticks only while a group is open (idle: no ticks).
        bind(r, "ingestNotifyIntakeGroupTimer", GroupWindowTimer.class, this::intakeGroupTimer);
        bind(r, "ingestNotifyIntakeGroupStrategy", IntakeGroupStrategy.class, () -> new IntakeGroupStrategy(intakeGroupTimer()));
        bind(r, "ingestNotifyIntakeGroupThreads", ExecutorService.class, () -> context.getExecutorServiceManager()
                .newFixedThreadPool(this, "IntakeGroups", settings.intakeGroups().threads()));
        bind(r, "ingestNotifyRequestFailures", RequestFailures.class, () -> new RequestFailures(5));
        bind(r, "ingestNotifyOutboundHeaders", OutboundHeaders.class, OutboundHeaders::new);
        bind(r, "ingestNotifyNoHiddenRetries", NoHiddenRetries.class, NoHiddenRetries::new);
        bind(r, "ingestNotifyConfiguredSystems", ConfiguredSystems.class,
                () -> new ConfiguredSystems(settings.s3().bucket(), settings.cms().url(), settings.chroma().url()));
        // Both implementations of the CMS contract; CMS_KIND decides which one the contract's routes call.
        bind(r, "ingestNotifyStrapi", StrapiApi.class, () -> new StrapiApi(settings.cms().filesPath()));
        bind(r, "ingestNotifyDirectus", DirectusApi.class, () -> new DirectusApi(settings.cms().filesPath()));
        bind(r, "ingestNotifyCmsMarks", CmsMarks.class, CmsMarks::new);
        bind(r, "ingestNotifyBatchCompletion", BatchCompletion.class, () -> new BatchCompletion(dataSource(),
                settings.batching().delayUnit(), metrics(), leases().instanceId(), leases().seconds()));
        bind(r, "ingestNotifyBatchDigest", BatchDigest.class,
                () -> new BatchDigest(dataSource(), settings.notification().enabled(), unsubscribeTokens(),
                        settings.notification().maxListedFiles()));
        bind(r, "ingestNotifyDigestMail", DigestMail.class, () -> new DigestMail(dataSource(), settings.smtp().from(), unsubscribeTokens()));
        bind(r, "ingestNotifyRecipientControls", RecipientControls.class, this::recipientControls);
        bind(r, "ingestNotifySuppressions", Suppressions.class, this::suppressions);
        bind(r, "ingestNotifyOperatorAudit", OperatorAudit.class, () -> new OperatorAudit(dataSource()));
        bind(r, "ingestNotifyUnsubscribe", Unsubscribe.class, () -> new Unsubscribe(unsubscribeTokens(), suppressions()));
        bind(r, "ingestNotifyDigestTemplates", Configuration.class,
                () -> DigestTemplates.configuration(context, settings.notification().templatesDir()));
        bind(r, "ingestNotifyMailRedelivery", RedeliveryPolicy.class, this::mailRedelivery);
        bind(r, "ingestNotifyEmailLog", EmailLog.class, this::emailLog);
        // Each failed attempt: its retry log row, then the next attempt's server (the fallback after the primary failed).
        bind(r, "ingestNotifyMailAttemptFailed", Processor.class, () -> (Processor) exchange -> {
            emailLog().attemptFailed(exchange);
            smtpRelays().afterFailure(exchange);
        });
        bind(r, "ingestNotifySmtpRelays", SmtpRelays.class, this::smtpRelays);
        bind(r, "ingestNotifyBounceReports", BounceReports.class, () -> new BounceReports(dataSource(), suppressions(),
                settings.bounceMailbox().unmatchedFolder(), settings.bounceMailbox().protocol().startsWith("imap")));
        bind(r, "ingest-notify-bounce-mail", MailComponent.class, this::bounceMail);
        bind(r, "ingestNotifyRabbitDeliveries", io.ingestnotify.intake.RabbitDeliveries.class,
                () -> new io.ingestnotify.intake.RabbitDeliveries(new io.ingestnotify.intake.EventParser(settings.http().maxEventsPerRequest())));
        bind(r, "ingest-notify-rabbitmq", org.apache.camel.component.springrabbit.SpringRabbitMQComponent.class, this::rabbitMq);
        bind(r, "ingestNotifyKafkaRecords", io.ingestnotify.intake.KafkaRecords.class,
                () -> new io.ingestnotify.intake.KafkaRecords(new io.ingestnotify.intake.EventParser(settings.http().maxEventsPerRequest())));
        bind(r, "ingest-notify-kafka", org.apache.camel.component.kafka.KafkaComponent.class, this::kafka);
        if (settings.kafka().configured()) {
            bind(r, "ingestNotifyKafkaHealth", ReachabilityCheck.class, () -> ReachabilityCheck.kafka(kafkaMisconfiguration()::reason));
        }
        bind(r, DigestMailComponent.NAME, MailComponent.class, this::smtp);
        if (settings.smtpFallback().configured()) {
            bind(r, SmtpRelays.FALLBACK_COMPONENT, MailComponent.class, this::smtpFallback);
        }
        bind(r, "ingestNotifyCorrectionTasks", CorrectionTasks.class, this::correctionTasks);
        bind(r, "ingestNotifyCorrectionActions", CorrectionActions.class, CorrectionActions::new);
        bind(r, "ingestNotifyCorrectionTaskApi", CorrectionTaskApi.class, () -> new CorrectionTaskApi(dataSource()));
        bind(r, "ingestNotifyDeletionBreaker", DeletionBreaker.class, this::deletionBreaker);
        bind(r, "ingestNotifyChromaCollections", ChromaCollections.class, ChromaCollections::new);
        bind(r, "ingestNotifyCleanupRedelivery", RedeliveryPolicy.class,
                () -> BackOff.of(settings.correction().branchRedeliveries(), settings.correction().branchRedeliveryDelayMs(), 2));
        bind(r, "ingest-notify-aws2-s3", AWS2S3Component.class, this::s3);
        bind(r, "ingestNotifyOpsSummary", OpsSummary.class, () -> new OpsSummary(dataSource(),
                settings.batching().delayUnit().toNanos(1) / 1e9, settings.batching().maxAgeHours(), deletionBreaker(), leases(),
                settings.batching().outboxClaimLeaseSeconds(), tableSizes()));
        bind(r, "ingestNotifyRetention", Retention.class, this::retention);
        bind(r, "ingestNotifyDatabaseHealth", ReachabilityCheck.class, () -> ReachabilityCheck.database(dataSource()));
        bind(r, "ingestNotifySmtpHealth", ReachabilityCheck.class,
                () -> ReachabilityCheck.smtp(settings.smtp().server(), settings.smtp().port()));
        bind(r, "ingestNotifyCmsHealth", ReachabilityCheck.class, () -> ReachabilityCheck.cms(settings.cms().url()));
    }

    private void bind(Registry r, String name, Class<?> type, Supplier<?> maker) {
        r.bind(name, type, () -> once(name, maker));
    }

    /** The bean of that name, made on first use; beans that need each other share one instance. */
    @SuppressWarnings("unchecked")
    private synchronized <T> T once(String name, Supplier<T> maker) {
        Object bean = made.get(name);
        if (bean == null) {
            bean = maker.get();
            made.put(name, bean);
        }
        return (T) bean;
    }

    /** The metadata look-up, which MetadataLookupMode switches on or off once the routes are loaded. */
    FileLookup fileLookup() {
        return once("ingestNotifyFileLookup", FileLookup::new);
    }

    private DataSource dataSource() {
        return database.get().dataSource();
    }

    /** The bundle's own camel-sql component (routes use ingest-notify-sql:), on the bundle's database only. */
    private SqlComponent sql() {
        SqlComponent sql = new SqlComponent(context);
        sql.setDataSource(dataSource());
        sql.setAutowiredEnabled(false);
        return sql;
    }

    private IngestMetrics metrics() {
        return once("ingestNotifyMetrics", () -> new IngestMetrics(
                () -> context.getRegistry().findSingleByType(MeterRegistry.class)));
    }

    private GroupWindowTimer intakeGroupTimer() {
        return once("ingestNotifyIntakeGroupTimer", () -> new GroupWindowTimer(
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "IntakeGroupWindow")));
    }

    /** This instance's leases on scheduled work, renewed by a heartbeat while the work runs here. */
    private Leases leases() {
        return once("ingestNotifyLeases", () -> {
            Leases leases = new Leases(dataSource(), settings.instance().id(), settings.instance().leaseSeconds());
            addService(leases.heartbeat());
            metrics().gauge("ingest_instance_info", leases, l -> 1, "instance", leases.instanceId());
            for (Leases.Kind kind : Leases.Kind.values()) {
                metrics().gauge("ingest_leases_held", leases, l -> l.heldCount(kind), "instance", leases.instanceId(), "kind", kind.label());
            }
            return leases;
        });
    }

    /**
     * batch-table (default): the aggregator's state is the batch table, so a restart re-arms every open batch's timer;
     * memory: camel-core's in-memory repository (the sweeper recovers timers lost in a restart), for comparison.
     */
    private AggregationRepository aggregationRepository() {
        return settings.batching().aggregationRepository().equals("memory") ? new MemoryAggregationRepository()
                : new BatchTableAggregationRepository(context, dataSource(), settings.batching().delayUnit());
    }

    private PreferenceCache preferenceCache() {
        return once("ingestNotifyPreferenceCache", () -> {
            Settings.Batching b = settings.batching();
            // A caller waiting for another's fetch: that fetch ends within its three CMS timeouts (connection request,
            // connect, response); the margin only guards against one that never settles (then: defaults).
            Duration wait = Duration.ofMillis(3L * settings.cms().timeoutMs() + 10_000);
            PreferenceCache cache = new PreferenceCache(Preferences.defaults(b.defaultThreshold(), b.defaultDelay()),
                    Duration.ofSeconds(settings.cms().cacheTtlSeconds()), wait, 100_000);
            metrics().gauge("ingest_preference_cache_hit_ratio", cache, PreferenceCache::hitRatio);
            metrics().gauge("ingest_preference_cms_calls", cache, PreferenceCache::cmsCalls);
            metrics().gauge("ingest_preference_cache_size", cache, PreferenceCache::size);
            metrics().gauge("ingest_preference_cms_failures", cache, PreferenceCache::cmsFailures);
            return cache;
        });
    }

    private IntakeTransaction intakeTransaction() {
        Settings.Batching b = settings.batching();
        return new IntakeTransaction(dataSource(), new EventRecorder(dataSource()),
                new BatchAssigner(b.delayUnit(), leases().instanceId(), leases().seconds()), preferenceCache()::current,
                b.defaultRecipient(), RecipientDomains.of(settings.smtp().recipientDomains()), correctionTasks());
    }

    private CorrectionTasks correctionTasks() {
        return once("ingestNotifyCorrectionTasks", () -> new CorrectionTasks(dataSource(), settings.correction().delaySeconds(),
                settings.correction().retryBaseSeconds(), metrics(), deletionBounds, leases()));
    }

    private DeletionBreaker deletionBreaker() {
        return once("ingestNotifyDeletionBreaker", () -> {
            DeletionBreaker breaker = new DeletionBreaker(dataSource(), settings.correction().maxDeletionsPerHour(), metrics(), leases());
            metrics().gauge("ingest_corrections_held", breaker, DeletionBreaker::heldCount);
            return breaker;
        });
    }

    /** Sizes of the operational tables: the ops page's and the gauge ingest_table_bytes{table}. */
    private TableSizes tableSizes() {
        return once("ingestNotifyTableSizes", () -> {
            TableSizes sizes = new TableSizes(dataSource());
            for (String table : TableSizes.TABLES) {
                metrics().gauge("ingest_table_bytes", sizes, s -> s.bytes(table), "table", table);
            }
            return sizes;
        });
    }

    private Retention retention() {
        // The retention route looks this bean up at start: the table-size gauges are registered from then on.
        tableSizes();
        Settings.Retention r = settings.retention();
        return new Retention(dataSource(),
                new Retention.Ages(r.events(), r.batchFiles(), r.digestBodies(), r.retryLog(), r.corrections(), r.batches(), r.audit()),
                new Retention.Pace(r.chunkRows(), r.chunkPauseMs(), Duration.ofSeconds(r.passSeconds()), Duration.ofMillis(r.intervalMs())),
                settings.cms().configured(), settings.correction().maxAttempts(), leases(), metrics());
    }

    /** The digest's SMTP back-off, one object for the route's redelivery and the retry log's next_retry_at. */
    private RedeliveryPolicy mailRedelivery() {
        return once("ingestNotifyMailRedelivery", () -> BackOff.of(settings.notification().maxAttempts() - 1,
                settings.notification().retryDelayMs(), settings.notification().retryMultiplier()));
    }

    private EmailLog emailLog() {
        return once("ingestNotifyEmailLog", () -> new EmailLog(dataSource(), mailRedelivery(), settings.smtp().server(), metrics(),
                leases(), recipientControls(), suppressions()));
    }

    /**
     * The clock of the recipient's controls (quiet hours, the budget's rolling day, held digests' due times): a
     * java.time.Clock a host or a test binds in the registry, else the system's.
     */
    private Clock clock() {
        return once("clock", () -> {
            Clock bound = context.getRegistry().findSingleByType(Clock.class);
            return bound != null ? bound : Clock.systemUTC();
        });
    }

    private RecipientControls recipientControls() {
        return once("ingestNotifyRecipientControls", () -> new RecipientControls(dataSource(), clock(),
                new QuietHours(settings.recipient().defaultZone()), settings.recipient().defaultMaxDigestsPerDay(),
                leases().instanceId(), leases().seconds()));
    }

    private UnsubscribeTokens unsubscribeTokens() {
        Settings.Recipient r = settings.recipient();
        return once("unsubscribeTokens", () -> new UnsubscribeTokens(r.unsubscribeSecrets(), r.publicBaseUrl(), r.unsubscribeMailto()));
    }

    private Suppressions suppressions() {
        return once("ingestNotifySuppressions", () -> new Suppressions(dataSource(), !settings.cms().url().isEmpty()));
    }

    /**
     * The smtp component, configured once so credentials never appear in an endpoint URI (or a log line); TLS as
     * SmtpTransportSecurity says: implicit (SMTP_SSL) or required STARTTLS, identity checked.
     */
    /**
     * The bounce mailbox's component (route bounces): protocol, credentials and TLS here, never in an endpoint URI; the
     * server's identity checked, SMTP_TRUSTSTORE trusted.
     */
    /**
     * The RabbitMQ intake's component (route rabbitmq-intake): broker address and credentials here, never in an endpoint
     * URI. Unset RABBITMQ_URL: a factory that never connects (the route never starts).
     */
    private org.apache.camel.component.springrabbit.SpringRabbitMQComponent rabbitMq() {
        Settings.RabbitMq rabbit = settings.rabbitMq();
        var factory = new org.springframework.amqp.rabbit.connection.CachingConnectionFactory(
                rabbit.configured() ? rabbit.host() : "rabbitmq.invalid", rabbit.configured() ? rabbit.port() : 5672);
        factory.setVirtualHost(rabbit.virtualHost());
        factory.setUsername(rabbit.user());
        factory.setPassword(rabbit.password());
        factory.setConnectionNameStrategy(f -> "ingest-notify " + settings.instance().id());
        if (rabbit.tls()) {
            try {
                factory.getRabbitConnectionFactory().useSslProtocol(javax.net.ssl.SSLContext.getDefault());
                factory.getRabbitConnectionFactory().enableHostnameVerification();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no TLS for RABBITMQ_URL", e);
            }
        }
        var component = new org.apache.camel.component.springrabbit.SpringRabbitMQComponent();
        component.setCamelContext(context);
        component.setConnectionFactory(factory);
        return component;
    }

    /**
     * The Kafka intake's component (route kafka-intake, and its dead-letter producer): brokers, SASL credentials and
     * the trust store here, never in an endpoint URI. Unset KAFKA_BOOTSTRAP_SERVERS: the route never starts.
     */
    private org.apache.camel.component.kafka.KafkaComponent kafka() {
        Settings.Kafka kafka = settings.kafka();
        var conf = new org.apache.camel.component.kafka.KafkaConfiguration();
        conf.setBrokers(kafka.configured() ? kafka.bootstrapServers() : "kafka.invalid:9092");
        conf.setClientId("ingest-notify-" + settings.instance().id());
        conf.setSecurityProtocol(kafka.securityProtocol());
        if (kafka.sasl()) {
            conf.setSaslMechanism(kafka.saslMechanism());
            conf.setSaslJaasConfig(KafkaLogin.jaasConfig(kafka.saslMechanism(), kafka.user(), kafka.password()));
        }
        if (!kafka.truststore().isEmpty()) {
            conf.setSslTruststoreLocation(kafka.truststore());
            conf.setSslTruststorePassword(kafka.truststorePassword());
            conf.setSslTruststoreType("PKCS12");
        }
        var component = new org.apache.camel.component.kafka.KafkaComponent(context);
        component.setConfiguration(conf);
        component.setPollExceptionStrategy(kafkaMisconfiguration());
        return component;
    }

    /** Shared by the intake's consumers and health check ingest-notify-kafka. */
    private io.ingestnotify.intake.KafkaMisconfiguration kafkaMisconfiguration() {
        Settings.Kafka kafka = settings.kafka();
        return once("ingestNotifyKafkaMisconfiguration", () -> new io.ingestnotify.intake.KafkaMisconfiguration(
                kafka.securityProtocol(), kafka.saslMechanism(), kafka.user()));
    }

    private MailComponent bounceMail() {
        Settings.BounceMailbox box = settings.bounceMailbox();
        String protocol = box.configured() ? box.protocol() : "imaps";
        MailComponent mail = new MailComponent(context);
        mail.getConfiguration().configureProtocol(protocol);
        mail.getConfiguration().setIgnoreUriScheme(true);
        if (!box.user().isEmpty()) {
            mail.getConfiguration().setUsername(box.user());
            mail.getConfiguration().setPassword(box.password());
        }
        java.util.Properties p = new java.util.Properties();
        p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        Object sockets = smtpSecurity.javaMailProperties().get("mail.smtp.ssl.socketFactory");
        if (sockets != null) {
            p.put("mail." + protocol + ".ssl.socketFactory", sockets);
        }
        mail.getConfiguration().setAdditionalJavaMailProperties(p);
        mail.getConfiguration().setConnectionTimeout(settings.smtp().timeoutMs());
        return mail;
    }

    private SmtpRelays smtpRelays() {
        return once("ingestNotifySmtpRelays", () -> new SmtpRelays(context, dataSource(), settings.smtpFallback().server(),
                settings.smtpFallback().port(), settings.smtpFallback().cooldownSeconds()));
    }

    /** The fallback's own component: its host, port, credentials and TLS (SMTP_TRUSTSTORE and the timeout shared). */
    private MailComponent smtpFallback() {
        Settings.SmtpFallback fallback = settings.smtpFallback();
        return DigestMailComponent.create(context, fallback.server(), fallback.port(), fallback.user(), fallback.password(),
                SmtpTransportSecurity.of(fallback, settings.smtp()), settings.smtp().timeoutMs());
    }

    private MailComponent smtp() {
        Settings.Smtp smtp = settings.smtp();
        return DigestMailComponent.create(context, smtp.server(), smtp.port(), smtp.user(), smtp.password(),
                smtpSecurity, smtp.timeoutMs());
    }

    /**
     * The clean-up's own aws2-s3 component (routes use ingest-notify-aws2-s3:) with its client inside: no S3Client bean
     * in the registry, which a host's aws2-s3 component would autowire. Endpoint override and path style for
     * S3-compatible stores.
     */
    private AWS2S3Component s3() {
        Settings.S3 s3 = settings.s3();
        Duration timeout = Duration.ofMillis(s3.timeoutMs());
        var builder = S3Client.builder()
                .region(Region.of(s3.region()))
                .forcePathStyle(true)
                // No retries inside the SDK: each attempt must come after the lease check of the route's redelivery.
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(timeout));
        if (!s3.endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(s3.endpoint()));
        }
        if (!s3.accessKey().isEmpty()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())));
        }
        AWS2S3Component component = new AWS2S3Component(context);
        component.getConfiguration().setAmazonS3Client(builder.build());
        component.setAutowiredEnabled(false);
        return component;
    }

    private void addService(Object service) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start " + service, e);
        }
    }
}
