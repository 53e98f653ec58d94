package io.ingestnotify.settings;

import java.io.File;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every setting, read once at start from one property source, typed and checked: a bad value stops start-up with
 * {@link Setting#invalid}. Beans get their values from here and parse nothing themselves. Immutable; the embedded
 * parts and the demo make a changed copy with {@link #with}.
 */
public final class Settings {

    /** A plain email address (the same rule as the intake's {@code user_email}). */
    public static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}$");
    private static final Pattern URL_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");

    public record Http(int port, String host, String basePath, List<String> intakeTokens, String opsUser,
                       String opsPassword, List<String> opsTokens, int maxRequestBytes, int maxEventsPerRequest,
                       int authFailuresPerMinute, List<String> trustedProxies) {
    }

    /** Group commit of the HTTP intake: concurrent requests' events filed in one transaction. */
    public record IntakeGroups(int windowMs, int maxEvents, int threads, int httpWorkerThreads) {
    }

    public record Database(String url, String user, String password, String schema, String bean, int poolSize) {
    }

    public record Embedded(boolean enabled, boolean demo, File dataDir, int smtpPort) {
    }

    /** {@code port} is SMTP_PORT, or 465/587 by {@code ssl} when it is not set. */
    public record Smtp(String server, int port, boolean ssl, boolean startTls, String user, String password,
                       boolean allowPlaintextAuth, String trustStore, String trustStorePassword, int timeoutMs,
                       String from, List<String> recipientDomains) {
    }

    /** The second SMTP server ({@code server} empty: none), its own TLS and credentials; the breaker's cool-down. */
    public record SmtpFallback(String server, int port, boolean ssl, boolean startTls, String user, String password,
                               int cooldownSeconds) {
        public boolean configured() {
            return !server.isEmpty();
        }
    }

    /** The RabbitMQ intake ({@code host} empty: none). */
    public record RabbitMq(String host, int port, String virtualHost, boolean tls, String user, String password, String queue,
                           String deadLetterExchange, String deadLetterQueue, int prefetch, int consumers, int groupMaxMessages,
                           int groupWindowMs) {
        public boolean configured() {
            return !host.isEmpty();
        }
    }

    /** The Kafka intake ({@code bootstrapServers} empty: none). */
    public record Kafka(String bootstrapServers, String topic, String groupId, String deadLetterTopic, int maxPollRecords,
                        int windowMs, int consumers, int sessionTimeoutMs, String securityProtocol, String saslMechanism, String user, String password,
                        String truststore, String truststorePassword) {
        public boolean configured() {
            return !bootstrapServers.isEmpty();
        }

        public boolean sasl() {
            return securityProtocol.startsWith("SASL_");
        }
    }

    /** The bounce mailbox ({@code protocol} empty: none): imaps/pop3s (imap/pop3 with SMTP_ALLOW_PLAINTEXT_AUTH). */
    public record BounceMailbox(String protocol, String host, int port, String folder, String user, String password, int pollMs,
                                String unmatchedFolder) {
        public boolean configured() {
            return !protocol.isEmpty();
        }
    }

    /** @param filesPath CMS_FILES_PATH, or the kind's default when empty */
    public record Cms(String kind, String url, String token, String filesPath, int timeoutMs, int cacheTtlSeconds) {
        public boolean configured() {
            return !url.isEmpty();
        }
    }

    public record Batching(int defaultDelay, int defaultThreshold, int maxAgeHours, TimeUnit delayUnit,
                           String defaultRecipient, String aggregationRepository, int outboxPollDelayMs,
                           int outboxPollLimit, int outboxClaimLeaseSeconds, int sweeperIntervalMs, int sweeperGraceSeconds) {
    }

    public record Notification(boolean enabled, int maxAttempts, int retryDelayMs, int retryMultiplier, String templatesDir,
                               int maxListedFiles) {
    }

    public record Instance(String id, int leaseSeconds) {
    }

    public record Correction(boolean enabled, int delaySeconds, boolean dryRun, int maxAttempts, int retryBaseSeconds,
                             int branchRedeliveries, int branchRedeliveryDelayMs, int pollDelayMs, int pollLimit,
                             int redriveIntervalMs, String metadataLookup, String metadataSource, String metadataTable,
                             String s3KeyPrefix, int maxDeletionsPerHour) {
    }

    public record S3(String bucket, String endpoint, String region, String accessKey, String secretKey, int timeoutMs) {
        public boolean configured() {
            return !bucket.isEmpty();
        }
    }

    public record Chroma(String url, String tenant, String database, String collection, String token, int timeoutMs) {
    }

    /**
     * The recipient's controls: defaults for a preference left empty (a null budget: no limit), and one-click
     * unsubscribe (an empty public URL: no header, no link; the first secret signs, all verify).
     */
    public record Recipient(java.time.ZoneId defaultZone, Integer defaultMaxDigestsPerDay, String publicBaseUrl,
                            List<String> unsubscribeSecrets, String unsubscribeMailto) {
    }

    public record Routes(String dir, boolean reload) {
    }

    /** How long each kind of data is kept ({@link Duration#ZERO}: forever) and the pace of the pass that removes the rest. */
    public record Retention(Duration events, Duration batchFiles, Duration digestBodies, Duration retryLog, Duration corrections,
                            Duration batches, Duration audit, int chunkRows, int chunkPauseMs, int passSeconds, int intervalMs) {
    }

    private final Map<Setting, String> values;
    private final Http http;
    private final Database database;
    private final Embedded embedded;
    private final Smtp smtp;
    private final SmtpFallback smtpFallback;
    private final BounceMailbox bounceMailbox;
    private final RabbitMq rabbitMq;
    private final Kafka kafka;
    private final Cms cms;
    private final Batching batching;
    private final IntakeGroups intakeGroups;
    private final Notification notification;
    private final Instance instance;
    private final Correction correction;
    private final S3 s3;
    private final Chroma chroma;
    private final Recipient recipient;
    private final Routes routes;
    private final Retention retention;

    private Settings(Map<Setting, String> given) {
        Map<Setting, String> v = new EnumMap<>(given);
        if (v.get(Setting.INSTANCE_ID).isEmpty()) {
            v.put(Setting.INSTANCE_ID, defaultInstanceId());
        }
        if (v.get(Setting.SMTP_PORT).isEmpty()) {
            v.put(Setting.SMTP_PORT, bool(v, Setting.SMTP_SSL) ? "465" : "587");
        }
        if (v.get(Setting.SMTP_FALLBACK_PORT).isEmpty()) {
            v.put(Setting.SMTP_FALLBACK_PORT, bool(v, Setting.SMTP_FALLBACK_SSL) ? "465" : "587");
        }
        this.values = Collections.unmodifiableMap(v);
        http = new Http(integer(v, Setting.HTTP_PORT, 0, 65_535), text(v, Setting.HTTP_HOST, true), basePath(v),
                list(v, Setting.INTAKE_TOKEN), opsUser(v), v.get(Setting.OPS_PASSWORD), list(v, Setting.OPS_TOKEN),
                integer(v, Setting.MAX_REQUEST_BYTES, 1024, 64 * 1024 * 1024), integer(v, Setting.MAX_EVENTS_PER_REQUEST, 1, 100_000),
                integer(v, Setting.AUTH_FAILURES_PER_MINUTE, 1, 100_000), addresses(v, Setting.HTTP_TRUSTED_PROXIES));
        intakeGroups = new IntakeGroups(integer(v, Setting.INTAKE_GROUP_WINDOW_MS, 0, 60_000),
                integer(v, Setting.INTAKE_GROUP_MAX_EVENTS, 1, 10_000), integer(v, Setting.INTAKE_GROUP_THREADS, 1, 64),
                integer(v, Setting.HTTP_WORKER_THREADS, 1, 1_024));
        database = new Database(v.get(Setting.DB_URL), v.get(Setting.DB_USER), v.get(Setting.DB_PASSWORD),
                text(v, Setting.DB_SCHEMA, true), v.get(Setting.DB_BEAN), integer(v, Setting.DB_POOL_SIZE, 1, 200));
        if (database.bean().isEmpty() && intakeGroups.threads() >= database.poolSize()) {
            // Every connection filing groups would leave none to the outbox, the digests and the leases.
            throw Setting.INTAKE_GROUP_THREADS.invalid(String.valueOf(intakeGroups.threads()),
                    "fewer than DB_POOL_SIZE (" + database.poolSize() + ")");
        }
        embedded = new Embedded(bool(v, Setting.EMBEDDED), bool(v, Setting.DEMO), new File(text(v, Setting.DATA_DIR, true)),
                integer(v, Setting.EMBEDDED_SMTP_PORT, 0, 65_535));
        smtp = smtp(v);
        smtpFallback = smtpFallback(v);
        bounceMailbox = bounceMailbox(v);
        rabbitMq = rabbitMq(v);
        kafka = kafka(v);
        String cmsKind = oneOf(v, Setting.CMS_KIND, "strapi", "directus");
        cms = new Cms(cmsKind, url(v, Setting.CMS_API_URL), v.get(Setting.CMS_API_TOKEN), cmsFilesPath(v, cmsKind),
                integer(v, Setting.CMS_TIMEOUT_MS, 100, 600_000), integer(v, Setting.PREFERENCES_CACHE_TTL_SECONDS, 1, 86_400));
        batching = new Batching(integer(v, Setting.DEFAULT_NOTIFICATION_DELAY_MINUTES, 1, 1440),
                integer(v, Setting.DEFAULT_BATCH_SIZE_THRESHOLD, 1, 100), integer(v, Setting.MAX_BATCH_AGE_HOURS, 1, 8_760),
                delayUnit(v), defaultRecipient(v, smtp.recipientDomains()),
                oneOf(v, Setting.AGGREGATION_REPOSITORY, "batch-table", "memory"),
                integer(v, Setting.OUTBOX_POLL_DELAY_MS, 10, 3_600_000), integer(v, Setting.OUTBOX_POLL_LIMIT, 1, 10_000),
                integer(v, Setting.OUTBOX_CLAIM_LEASE_SECONDS, 1, 86_400), integer(v, Setting.SWEEPER_INTERVAL_MS, 100, 86_400_000),
                integer(v, Setting.SWEEPER_GRACE_SECONDS, 0, 3_600));
        notification = new Notification(bool(v, Setting.ENABLE_EMAIL_NOTIFICATIONS), integer(v, Setting.NOTIFICATION_MAX_ATTEMPTS, 1, 20),
                integer(v, Setting.NOTIFICATION_RETRY_DELAY_MS, 1, 86_400_000), integer(v, Setting.NOTIFICATION_RETRY_MULTIPLIER, 1, 10),
                text(v, Setting.TEMPLATES_DIR, true), integer(v, Setting.DIGEST_MAX_LISTED_FILES, 0, 1_000));
        instance = new Instance(instanceId(v), integer(v, Setting.LEASE_SECONDS, 3, 3_600));
        correction = new Correction(bool(v, Setting.ENABLE_AUTO_CORRECTION), integer(v, Setting.AUTO_CORRECTION_DELAY_SECONDS, 0, 86_400),
                bool(v, Setting.AUTO_CORRECTION_DRY_RUN), integer(v, Setting.MAX_CORRECTION_ATTEMPTS, 1, 100),
                integer(v, Setting.CORRECTION_RETRY_BASE_SECONDS, 0, 86_400), integer(v, Setting.CORRECTION_BRANCH_REDELIVERIES, 0, 20),
                integer(v, Setting.CORRECTION_BRANCH_REDELIVERY_DELAY_MS, 0, 600_000), integer(v, Setting.CORRECTION_POLL_DELAY_MS, 10, 3_600_000),
                integer(v, Setting.CORRECTION_POLL_LIMIT, 1, 10_000), integer(v, Setting.CORRECTION_REDRIVE_INTERVAL_MS, 100, 86_400_000),
                oneOf(v, Setting.METADATA_LOOKUP, "auto", "true", "false"), metadataSource(v),
                metadataTable(v), v.get(Setting.S3_KEY_PREFIX), integer(v, Setting.MAX_DELETIONS_PER_HOUR, 1, 1_000_000));
        s3 = new S3(v.get(Setting.S3_BUCKET), url(v, Setting.S3_ENDPOINT), text(v, Setting.S3_REGION, true), v.get(Setting.AWS_ACCESS_KEY_ID),
                v.get(Setting.AWS_SECRET_ACCESS_KEY), integer(v, Setting.S3_TIMEOUT_MS, 100, 600_000));
        chroma = new Chroma(url(v, Setting.CHROMA_URL), text(v, Setting.CHROMA_TENANT, true), text(v, Setting.CHROMA_DATABASE, true),
                text(v, Setting.CHROMA_COLLECTION, true), v.get(Setting.CHROMA_TOKEN), integer(v, Setting.CHROMA_TIMEOUT_MS, 100, 600_000));
        recipient = recipient(v);
        routes = new Routes(v.get(Setting.ROUTES_DIR), bool(v, Setting.ROUTES_RELOAD));
        retention = retention(v);
    }

    /**
     * Reads every setting from one source: {@code source} answers a setting's value where its home sets it, empty
     * where not (then the default applies). Values are trimmed, secrets too (a pasted token's trailing newline).
     */
    public static Settings read(Function<Setting, Optional<String>> source) {
        Map<Setting, String> v = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            v.put(s, source.apply(s).map(String::trim).orElse(s.defaultValue()));
        }
        return new Settings(v);
    }

    /** A copy with some values changed (the embedded parts' addresses, the demo's pace), checked again. */
    public Settings with(Map<Setting, String> changes) {
        Map<Setting, String> v = new EnumMap<>(values);
        v.putAll(changes);
        return new Settings(v);
    }

    /** Every setting's effective value, as text (defaults and derived values filled in). */
    public Map<Setting, String> values() {
        return values;
    }

    public String value(Setting setting) {
        return values.get(setting);
    }

    public Http http() {
        return http;
    }

    public Database database() {
        return database;
    }

    public Embedded embedded() {
        return embedded;
    }

    public Smtp smtp() {
        return smtp;
    }

    public SmtpFallback smtpFallback() {
        return smtpFallback;
    }

    public BounceMailbox bounceMailbox() {
        return bounceMailbox;
    }

    public RabbitMq rabbitMq() {
        return rabbitMq;
    }

    public Kafka kafka() {
        return kafka;
    }

    public Cms cms() {
        return cms;
    }

    public IntakeGroups intakeGroups() {
        return intakeGroups;
    }

    public Batching batching() {
        return batching;
    }

    public Notification notification() {
        return notification;
    }

    public Instance instance() {
        return instance;
    }

    public Correction correction() {
        return correction;
    }

    public S3 s3() {
        return s3;
    }

    public Chroma chroma() {
        return chroma;
    }

    public Recipient recipient() {
        return recipient;
    }

    public Routes routes() {
        return routes;
    }

    public Retention retention() {
        return retention;
    }

    // --- parsers: each refuses with the setting's own message

    private static int integer(Map<Setting, String> v, Setting s, int min, int max) {
        String value = v.get(s);
        try {
            int i = Integer.parseInt(value);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw s.invalid(value, "an integer from " + min + " to " + max);
    }

    private static boolean bool(Map<Setting, String> v, Setting s) {
        String value = v.get(s).toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw s.invalid(v.get(s), "true or false");
    }

    private static String text(Map<Setting, String> v, Setting s, boolean required) {
        String value = v.get(s);
        if (required && value.isEmpty()) {
            throw s.invalid(value, "a value (default: " + s.defaultValue() + ")");
        }
        return value;
    }

    private static String oneOf(Map<Setting, String> v, Setting s, String... allowed) {
        String value = v.get(s).toLowerCase(Locale.ROOT);
        if (Arrays.asList(allowed).contains(value)) {
            return value;
        }
        throw s.invalid(v.get(s), String.join(", ", allowed));
    }

    private static List<String> list(Map<Setting, String> v, Setting s) {
        return Arrays.stream(v.get(s).split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** IP addresses (v4 or v6 literals, no names: a name would be resolved on every request), in a canonical form. */
    private static List<String> addresses(Map<Setting, String> v, Setting s) {
        List<String> out = new java.util.ArrayList<>();
        for (String a : list(v, s)) {
            // literals only, so getByName never asks DNS
            if (!a.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw s.invalid(v.get(s), "comma-separated IP addresses such as 10.0.0.5, ::1");
            }
            try {
                out.add(InetAddress.getByName(a).getHostAddress());
            } catch (java.io.IOException e) {
                throw s.invalid(v.get(s), "comma-separated IP addresses such as 10.0.0.5, ::1");
            }
        }
        return List.copyOf(out);
    }

    /** An http(s) URL without a trailing slash, or empty when the system is not configured. */
    private static String url(Map<Setting, String> v, Setting s) {
        String value = v.get(s);
        if (value.isEmpty()) {
            return "";
        }
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw s.invalid(value, "an http(s) URL");
    }

    /** An absolute URL path of plain segments, no trailing slash. */
    private static String path(Map<Setting, String> v, Setting s, String expected) {
        String p = v.get(s);
        if (!URL_PATH.matcher(p).matches() || p.contains("/./") || p.contains("/../") || p.endsWith("/.") || p.endsWith("/..")) {
            throw s.invalid(p, expected);
        }
        return p;
    }

    /** CMS_FILES_PATH, or the CMS kind's own default when empty (the collections cms/strapi and cms/directus make). */
    private static String cmsFilesPath(Map<Setting, String> v, String kind) {
        if (v.get(Setting.CMS_FILES_PATH).isEmpty()) {
            return kind.equals("directus") ? "/items/ingest_notify_files" : "/api/files";
        }
        return path(v, Setting.CMS_FILES_PATH, "empty, or the URL path of the CMS's file records, such as /api/files");
    }

    private static String basePath(Map<Setting, String> v) {
        String p = v.get(Setting.HTTP_BASE_PATH);
        return p.isEmpty() ? p : path(v, Setting.HTTP_BASE_PATH, "empty or a path such as /ingest-notify (no trailing /)");
    }

    private static String email(Map<Setting, String> v, Setting s) {
        String value = v.get(s);
        if (EMAIL.matcher(value).matches()) {
            return value;
        }
        throw s.invalid(value, "an email address");
    }

    private static TimeUnit delayUnit(Map<Setting, String> v) {
        return TimeUnit.valueOf(oneOf(v, Setting.NOTIFICATION_DELAY_UNIT, "minutes", "seconds", "milliseconds").toUpperCase(Locale.ROOT));
    }

    private static String opsUser(Map<Setting, String> v) {
        String user = v.get(Setting.OPS_USER);
        if (user.isEmpty() != v.get(Setting.OPS_PASSWORD).isEmpty()) {
            Setting missing = user.isEmpty() ? Setting.OPS_USER : Setting.OPS_PASSWORD;
            throw missing.invalid("", "both OPS_USER and OPS_PASSWORD, or neither");
        }
        if (user.contains(":")) {
            throw Setting.OPS_USER.invalid(user, "a user name without ':'");
        }
        return user;
    }

    private static Recipient recipient(Map<Setting, String> v) {
        java.time.ZoneId zone;
        try {
            zone = java.time.ZoneId.of(text(v, Setting.DEFAULT_TIMEZONE, true));
        } catch (java.time.DateTimeException e) {
            throw Setting.DEFAULT_TIMEZONE.invalid(v.get(Setting.DEFAULT_TIMEZONE), "an IANA time zone such as UTC or Europe/Berlin");
        }
        Integer budget = v.get(Setting.DEFAULT_MAX_DIGESTS_PER_DAY).isEmpty() ? null : integer(v, Setting.DEFAULT_MAX_DIGESTS_PER_DAY, 1, 1000);
        String baseUrl = url(v, Setting.PUBLIC_BASE_URL);
        List<String> secrets = list(v, Setting.UNSUBSCRIBE_SECRET);
        if (secrets.stream().anyMatch(s -> s.length() < 32)) {
            throw Setting.UNSUBSCRIBE_SECRET.invalid("", "comma-separated keys of at least 32 characters each");
        }
        if (!baseUrl.isEmpty() && secrets.isEmpty()) {
            throw Setting.UNSUBSCRIBE_SECRET.invalid("", "a key of at least 32 characters: PUBLIC_BASE_URL is set, so every digest carries a signed unsubscribe link");
        }
        String mailto = v.get(Setting.UNSUBSCRIBE_MAILTO).isEmpty() ? "" : email(v, Setting.UNSUBSCRIBE_MAILTO);
        return new Recipient(zone, budget, baseUrl, secrets, mailto);
    }

    private static Smtp smtp(Map<Setting, String> v) {
        boolean ssl = bool(v, Setting.SMTP_SSL);
        // With implicit TLS the whole session is already encrypted: STARTTLS has nothing to add.
        boolean startTls = !ssl && bool(v, Setting.SMTP_STARTTLS);
        boolean allowPlaintext = bool(v, Setting.SMTP_ALLOW_PLAINTEXT_AUTH);
        String user = v.get(Setting.SMTP_USER);
        if (!user.isEmpty() && !ssl && !startTls && !allowPlaintext) {
            throw Setting.SMTP_STARTTLS.invalid(v.get(Setting.SMTP_STARTTLS), "true (or SMTP_SSL=true) when SMTP_USER is set, so the "
                    + "SMTP password never crosses the network in plaintext; SMTP_ALLOW_PLAINTEXT_AUTH=true accepts that risk");
        }
        List<String> domains = list(v, Setting.RECIPIENT_DOMAINS).stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        if (domains.stream().anyMatch(d -> !DOMAIN.matcher(d).matches())) {
            throw Setting.RECIPIENT_DOMAINS.invalid(v.get(Setting.RECIPIENT_DOMAINS), "comma-separated domain names, such as example.com,example.org");
        }
        return new Smtp(v.get(Setting.SMTP_SERVER), integer(v, Setting.SMTP_PORT, 1, 65_535), ssl, startTls, user,
                v.get(Setting.SMTP_PASSWORD), allowPlaintext, v.get(Setting.SMTP_TRUSTSTORE), v.get(Setting.SMTP_TRUSTSTORE_PASSWORD),
                integer(v, Setting.SMTP_TIMEOUT_MS, 100, 600_000), email(v, Setting.FROM_EMAIL), domains);
    }

    /** The fallback server, with the primary's TLS rule: credentials only over TLS unless SMTP_ALLOW_PLAINTEXT_AUTH. */
    private static SmtpFallback smtpFallback(Map<Setting, String> v) {
        boolean ssl = bool(v, Setting.SMTP_FALLBACK_SSL);
        boolean startTls = !ssl && bool(v, Setting.SMTP_FALLBACK_STARTTLS);
        String user = v.get(Setting.SMTP_FALLBACK_USER);
        if (!user.isEmpty() && !ssl && !startTls && !bool(v, Setting.SMTP_ALLOW_PLAINTEXT_AUTH)) {
            throw Setting.SMTP_FALLBACK_STARTTLS.invalid(v.get(Setting.SMTP_FALLBACK_STARTTLS), "true (or SMTP_FALLBACK_SSL=true) when "
                    + "SMTP_FALLBACK_USER is set, so the fallback's password never crosses the network in plaintext; "
                    + "SMTP_ALLOW_PLAINTEXT_AUTH=true accepts that risk");
        }
        String server = v.get(Setting.SMTP_FALLBACK_SERVER).trim();
        if (!server.isEmpty() && !server.matches("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9a-fA-F:.]+]")) {
            throw Setting.SMTP_FALLBACK_SERVER.invalid(server, "a host name or an IP address, such as smtp2.example.com");
        }
        return new SmtpFallback(server, integer(v, Setting.SMTP_FALLBACK_PORT, 1, 65_535), ssl, startTls, user,
                v.get(Setting.SMTP_FALLBACK_PASSWORD), integer(v, Setting.SMTP_BREAKER_COOLDOWN_SECONDS, 1, 86_400));
    }

    private static RabbitMq rabbitMq(Map<Setting, String> v) {
        String url = v.get(Setting.RABBITMQ_URL).trim();
        int prefetch = integer(v, Setting.RABBITMQ_PREFETCH, 1, 65_535);
        int consumers = integer(v, Setting.RABBITMQ_CONSUMERS, 1, 64);
        int group = integer(v, Setting.RABBITMQ_GROUP_MAX_MESSAGES, 1, 10_000);
        int window = integer(v, Setting.RABBITMQ_GROUP_WINDOW_MS, 1, 60_000);
        String queue = text(v, Setting.RABBITMQ_QUEUE, true);
        String dlx = text(v, Setting.RABBITMQ_DEAD_LETTER_EXCHANGE, true);
        String dlq = text(v, Setting.RABBITMQ_DEAD_LETTER_QUEUE, true);
        if (url.isEmpty()) {
            return new RabbitMq("", 0, "/", false, "", "", queue, dlx, dlq, prefetch, consumers, group, window);
        }
        // A group waits for messages the broker will not send while the consumers hold prefetch × consumers unacknowledged.
        if (group > (long) prefetch * consumers) {
            throw Setting.RABBITMQ_GROUP_MAX_MESSAGES.invalid(String.valueOf(group), "at most RABBITMQ_PREFETCH × RABBITMQ_CONSUMERS ("
                    + (long) prefetch * consumers + "): the consumers hold no more unacknowledged messages than that");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw Setting.RABBITMQ_URL.invalid(url, "amqp://host[:port][/vhost] or amqps://host[:port][/vhost]");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("amqp") || scheme.equals("amqps")) || uri.getHost() == null || uri.getUserInfo() != null) {
            String shown = uri.getRawUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "***@");
            throw Setting.RABBITMQ_URL.invalid(shown, "amqp://host[:port][/vhost] or amqps://host[:port][/vhost] (credentials in "
                    + "RABBITMQ_USER and RABBITMQ_PASSWORD, not in the URL)");
        }
        boolean tls = scheme.equals("amqps");
        String vhost = uri.getPath() == null || uri.getPath().length() <= 1 ? "/" : uri.getPath().substring(1);
        return new RabbitMq(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : tls ? 5671 : 5672, vhost, tls,
                text(v, Setting.RABBITMQ_USER, true), v.get(Setting.RABBITMQ_PASSWORD), queue, dlx, dlq, prefetch, consumers, group, window);
    }

    private static Kafka kafka(Map<Setting, String> v) {
        String servers = v.get(Setting.KAFKA_BOOTSTRAP_SERVERS).trim();
        if (!servers.isEmpty() && !servers.matches("[A-Za-z0-9.\\[\\]:-]+:\\d{1,5}(,\\s*[A-Za-z0-9.\\[\\]:-]+:\\d{1,5})*")) {
            throw Setting.KAFKA_BOOTSTRAP_SERVERS.invalid(servers, "host:port[,host:port...], such as kafka1:9092,kafka2:9092");
        }
        String protocol = oneOf(v, Setting.KAFKA_SECURITY_PROTOCOL, "plaintext", "ssl", "sasl_plaintext", "sasl_ssl").toUpperCase(Locale.ROOT);
        String mechanism = oneOf(v, Setting.KAFKA_SASL_MECHANISM, "plain", "scram-sha-256", "scram-sha-512").toUpperCase(Locale.ROOT);
        String user = v.get(Setting.KAFKA_USER).trim();
        if (!servers.isEmpty() && protocol.startsWith("SASL_") && user.isEmpty()) {
            throw Setting.KAFKA_USER.invalid(user, "a user for KAFKA_SECURITY_PROTOCOL=" + protocol);
        }
        String truststore = v.get(Setting.KAFKA_TRUSTSTORE).trim();
        if (!servers.isEmpty() && !truststore.isEmpty()) {
            readableTrustStore(truststore, v.get(Setting.KAFKA_TRUSTSTORE_PASSWORD));
        }
        return new Kafka(servers, text(v, Setting.KAFKA_TOPIC, true), text(v, Setting.KAFKA_GROUP_ID, true),
                text(v, Setting.KAFKA_DEAD_LETTER_TOPIC, true), integer(v, Setting.KAFKA_MAX_POLL_RECORDS, 1, 10_000),
                integer(v, Setting.KAFKA_GROUP_WINDOW_MS, 10, 60_000), integer(v, Setting.KAFKA_CONSUMERS, 1, 64),
                integer(v, Setting.KAFKA_SESSION_TIMEOUT_MS, 6_000, 300_000), protocol,
                mechanism, user, v.get(Setting.KAFKA_PASSWORD), truststore, v.get(Setting.KAFKA_TRUSTSTORE_PASSWORD));
    }

    /** KAFKA_TRUSTSTORE read at start: else the consumer would fail to start again and again, naming no setting. */
    private static void readableTrustStore(String path, String password) {
        try {
            java.security.KeyStore.getInstance(new java.io.File(path), password == null || password.isEmpty() ? null : password.toCharArray());
        } catch (Exception e) {
            throw Setting.KAFKA_TRUSTSTORE.invalid(path, "a readable PKCS12 trust store (with KAFKA_TRUSTSTORE_PASSWORD "
                    + "if it has one): " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static BounceMailbox bounceMailbox(Map<Setting, String> v) {
        String url = v.get(Setting.BOUNCE_MAILBOX_URL).trim();
        int poll = integer(v, Setting.BOUNCE_MAILBOX_POLL_MS, 1_000, 3_600_000);
        String unmatched = text(v, Setting.BOUNCE_UNMATCHED_FOLDER, true);
        if (url.isEmpty()) {
            return new BounceMailbox("", "", 0, "INBOX", "", "", poll, unmatched);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw Setting.BOUNCE_MAILBOX_URL.invalid(url, "imaps://host[:port]/folder or pop3s://host[:port]");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean plaintext = scheme.equals("imap") || scheme.equals("pop3");
        if (!(scheme.equals("imaps") || scheme.equals("pop3s") || plaintext) || uri.getHost() == null || uri.getUserInfo() != null) {
            // Credentials someone put in the URL are not repeated in the message.
            String shown = uri.getRawUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "***@");
            throw Setting.BOUNCE_MAILBOX_URL.invalid(shown, "imaps://host[:port]/folder or pop3s://host[:port] (credentials in "
                    + "BOUNCE_MAILBOX_USER and BOUNCE_MAILBOX_PASSWORD, not in the URL)");
        }
        if (plaintext && !bool(v, Setting.SMTP_ALLOW_PLAINTEXT_AUTH)) {
            throw Setting.BOUNCE_MAILBOX_URL.invalid(url, "imaps:// or pop3s://, so the mailbox's password never crosses the network "
                    + "in plaintext; SMTP_ALLOW_PLAINTEXT_AUTH=true accepts that risk");
        }
        String folder = uri.getPath() == null || uri.getPath().length() <= 1 ? "INBOX" : uri.getPath().substring(1);
        int port = uri.getPort() > 0 ? uri.getPort() : switch (scheme) {
            case "imaps" -> 993;
            case "pop3s" -> 995;
            case "imap" -> 143;
            default -> 110;
        };
        return new BounceMailbox(scheme, uri.getHost(), port, folder, v.get(Setting.BOUNCE_MAILBOX_USER),
                v.get(Setting.BOUNCE_MAILBOX_PASSWORD), poll, unmatched);
    }

    /** An address in RECIPIENT_DOMAINS: one outside could never receive a digest, a misconfiguration. */
    private static String defaultRecipient(Map<Setting, String> v, List<String> domains) {
        String value = v.get(Setting.DEFAULT_RECIPIENT);
        if (value.isEmpty()) {
            return value;
        }
        String address = email(v, Setting.DEFAULT_RECIPIENT);
        String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!domains.isEmpty() && !domains.contains(domain)) {
            throw Setting.DEFAULT_RECIPIENT.invalid(value, "an address in RECIPIENT_DOMAINS (" + String.join(",", domains) + ")");
        }
        return address;
    }

    /** Where the look-up reads: {@code auto} resolved to cms (with CMS_API_URL) or sql. */
    private static String metadataSource(Map<Setting, String> v) {
        boolean cms = !url(v, Setting.CMS_API_URL).isEmpty();
        String source = oneOf(v, Setting.METADATA_SOURCE, "auto", "cms", "sql");
        if (source.equals("cms") && !cms) {
            throw Setting.METADATA_SOURCE.invalid(v.get(Setting.METADATA_SOURCE), "sql or auto, or set CMS_API_URL");
        }
        return source.equals("auto") ? (cms ? "cms" : "sql") : source;
    }

    private static String metadataTable(Map<Setting, String> v) {
        String value = v.get(Setting.METADATA_TABLE);
        if (!value.matches("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?")) {
            throw Setting.METADATA_TABLE.invalid(value, "a table name such as files or cms.ingest_files");
        }
        return value;
    }

    private static Retention retention(Map<Setting, String> v) {
        ChronoUnit unit = ChronoUnit.valueOf(oneOf(v, Setting.RETENTION_UNIT, "days", "hours", "minutes", "seconds").toUpperCase(Locale.ROOT));
        Function<Setting, Duration> age = s -> Duration.of(integer(v, s, 0, 36_500), unit);
        return new Retention(age.apply(Setting.RETENTION_EVENTS_DAYS), age.apply(Setting.RETENTION_BATCH_FILES_DAYS),
                age.apply(Setting.RETENTION_DIGEST_BODIES_DAYS), age.apply(Setting.RETENTION_RETRY_LOG_DAYS),
                age.apply(Setting.RETENTION_CORRECTIONS_DAYS), age.apply(Setting.RETENTION_BATCHES_DAYS), age.apply(Setting.RETENTION_AUDIT_DAYS),
                integer(v, Setting.RETENTION_CHUNK_ROWS, 1, 100_000), integer(v, Setting.RETENTION_CHUNK_PAUSE_MS, 0, 60_000),
                integer(v, Setting.RETENTION_PASS_SECONDS, 1, 3_600), integer(v, Setting.RETENTION_INTERVAL_MS, 1_000, 86_400_000));
    }

    private static String instanceId(Map<Setting, String> v) {
        String value = v.get(Setting.INSTANCE_ID);
        if (INSTANCE.matcher(value).matches()) {
            return value;
        }
        throw Setting.INSTANCE_ID.invalid(value, "up to 100 letters, digits and . _ - : @ (empty: host name and pid)");
    }

    /** The host name and pid, cut to the 100 characters an id may have. */
    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        String id = host.replaceAll("[^A-Za-z0-9._:@-]", "_") + "-" + ProcessHandle.current().pid();
        return id.length() > 100 ? id.substring(id.length() - 100) : id;
    }
}
