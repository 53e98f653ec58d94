package io.ingestnotify.settings;

import java.util.Locale;

/**
 * Every setting of the bundle, once: its key (the same in every home), the environment variable that sets it on the
 * standalone jar, its default and what it means. README's Configuration table is generated from this list and
 * application.properties is checked against it ({@code SettingsDocumentedTest}).
 * <ul>
 * <li>standalone jar and Docker: the variable ({@code DB_URL}), or the property {@code ingest-notify.db.url};</li>
 * <li>a guest in a host's Camel application: the property {@code ingest-notify.db.url} (the host's environment is
 * the host's);</li>
 * <li>Karaf: {@code db.url} in {@code etc/io.ingestnotify.cfg}.</li>
 * </ul>
 */
public enum Setting {

    // --- HTTP and its two roles
    HTTP_PORT("http.port", "8080", "intake, API, ops page, `/observe/health` and `/observe/metrics` on one port"),
    HTTP_HOST("http.host", "127.0.0.1", "bind address; anything but loopback needs `INTAKE_TOKEN` and an operator credential (see Security)"),
    HTTP_BASE_PATH("http.base-path", "", "path the API and ops page live under, e.g. `/ingest-notify` (a guest in a host application: `/ingest-notify` unless set)"),
    INTAKE_TOKEN("intake.token", "", Kind.SECRET, "the pipeline's bearer token(s) for `POST /api/events`, comma-separated for rotation"),
    OPS_USER("ops.user", "", "the operator's HTTP Basic user (ops page, operator API, `/observe/*` but health); with `OPS_PASSWORD`"),
    OPS_PASSWORD("ops.password", "", Kind.SECRET, "the operator's HTTP Basic password"),
    OPS_TOKEN("ops.token", "", Kind.SECRET, "the operator's bearer token(s), instead of or beside Basic, comma-separated for rotation"),
    MAX_REQUEST_BYTES("max.request.bytes", "1048576", "largest request body; beyond it `413`"),
    MAX_EVENTS_PER_REQUEST("max.events.per.request", "1000", "most events one `POST /api/events` may carry; beyond it `413`"),
    HTTP_TRUSTED_PROXIES("http.trusted-proxies", "", "comma-separated IP addresses of your reverse proxies: from them, the client address (throttling, audit, log lines) is the last `X-Forwarded-For` hop that is not one of them; empty: `X-Forwarded-For` is never read, the client is the TCP peer"),
    HTTP_WORKER_THREADS("http.worker.threads", "64", "requests the embedded HTTP server works on at once (Vert.x worker pool; 1-1024); a request waiting for its group's commit holds one"),
    INTAKE_GROUP_WINDOW_MS("intake.group.window.ms", "2", "group commit: a `POST /api/events` waits at most this long (ms) for concurrent requests, then their events are filed in one transaction, each request answered after it (0: each request alone) (0-60000)"),
    INTAKE_GROUP_MAX_EVENTS("intake.group.max.events", "200", "group commit: a group is filed at once when it holds this many events (1-10000)"),
    INTAKE_GROUP_THREADS("intake.group.threads", "4", "group commit: groups filed at once, each on its own database connection (1-64; keep below `DB_POOL_SIZE`)"),
    AUTH_FAILURES_PER_MINUTE("auth.failures.per.minute", "10", "wrong credentials one client address may present in a minute; beyond it every credential-checked path answers it `429` with `Retry-After` until the minute passes, a right credential too (counted in memory, per instance) (1-100000)"),

    // --- The operational database
    DB_URL("db.url", "", "JDBC URL of the operational PostgreSQL; empty: an embedded PostgreSQL under `DATA_DIR/postgres` (embedded jar; elsewhere start-up stops, naming it)"),
    DB_USER("db.user", "postgres", "database user"),
    DB_PASSWORD("db.password", "", Kind.SECRET, "database password"),
    DB_SCHEMA("db.schema", "public", "schema of the operational tables (Flyway migrates it at start)"),
    DB_BEAN("db.bean", "", "(a guest in a host application) name of the host's DataSource bean to keep the tables in; empty: a pool of its own"),
    DB_POOL_SIZE("db.pool.size", "10", "HikariCP pool size (1-200)"),
    DATA_DIR("data.dir", "data", "the embedded parts' folder (PostgreSQL, saved mails, S3 store)"),
    EMBEDDED("embedded.enabled", "true", "`false`: never start embedded parts (`DB_URL` and `SMTP_SERVER` then required); a guest and Karaf never start them"),
    DEMO("demo", "false", "feed the example events at start (embedded jar only)"),

    // --- Email
    SMTP_SERVER("smtp.server", "", "SMTP host; empty: an embedded SMTP server on `EMBEDDED_SMTP_PORT` (embedded jar; elsewhere start-up stops, naming it)"),
    SMTP_PORT("smtp.port", "", "SMTP port; empty: 465 with `SMTP_SSL`, else 587"),
    SMTP_SSL("smtp.ssl", "false", "`true`: TLS from the first byte (smtps); STARTTLS is not used then"),
    SMTP_STARTTLS("smtp.starttls", "true", "STARTTLS, required (a server that does not offer it gets no mail); the certificate must match `SMTP_SERVER`"),
    SMTP_USER("smtp.user", "", "SMTP user (set: authenticated, over TLS only)"),
    SMTP_PASSWORD("smtp.password", "", Kind.SECRET, "SMTP password (never logged, never in an endpoint URI)"),
    SMTP_ALLOW_PLAINTEXT_AUTH("smtp.allow.plaintext.auth", "false", "`true` lets `SMTP_USER`/`SMTP_PASSWORD` cross a connection without TLS; otherwise start-up stops"),
    SMTP_TRUSTSTORE("smtp.truststore", "", "PKCS12/JKS trust store for an SMTP server certified by a private CA; empty: the JVM's CAs"),
    SMTP_TRUSTSTORE_PASSWORD("smtp.truststore.password", "", Kind.SECRET, "password of `SMTP_TRUSTSTORE`"),
    SMTP_TIMEOUT_MS("smtp.timeout.ms", "10000", "SMTP connect/read timeout (100-600000 ms)"),
    SMTP_FALLBACK_SERVER("smtp.fallback.server", "", "a second SMTP host: the next attempt of a digest the primary refused (no connection, 4xx) goes there, and a circuit breaker keeps sending there while the primary is down; empty: none"),
    SMTP_FALLBACK_PORT("smtp.fallback.port", "", "the fallback's port; empty: 465 with `SMTP_FALLBACK_SSL`, else 587"),
    SMTP_FALLBACK_SSL("smtp.fallback.ssl", "false", "`true`: TLS from the first byte to the fallback (smtps)"),
    SMTP_FALLBACK_STARTTLS("smtp.fallback.starttls", "true", "STARTTLS to the fallback, required; its certificate must match `SMTP_FALLBACK_SERVER` (`SMTP_TRUSTSTORE` applies to both servers)"),
    SMTP_FALLBACK_USER("smtp.fallback.user", "", "the fallback's SMTP user (set: authenticated, over TLS only, unless `SMTP_ALLOW_PLAINTEXT_AUTH`)"),
    SMTP_FALLBACK_PASSWORD("smtp.fallback.password", "", Kind.SECRET, "the fallback's SMTP password (never logged)"),
    SMTP_BREAKER_COOLDOWN_SECONDS("smtp.breaker.cooldown.seconds", "60", "with a fallback: after the primary failed, digests go to the fallback for this long (1-86400 s), then one probes the primary again; shared by instances (table `smtp_breaker`)"),
    BOUNCE_MAILBOX_URL("bounce.mailbox.url", "", "a mailbox the bounces (RFC 3464 reports) arrive in: `imaps://host[:port]/folder` or `pop3s://host[:port]` (`imap://`, `pop3://` only with `SMTP_ALLOW_PLAINTEXT_AUTH`); empty: bounces are not read"),
    BOUNCE_MAILBOX_USER("bounce.mailbox.user", "", "the bounce mailbox's user"),
    BOUNCE_MAILBOX_PASSWORD("bounce.mailbox.password", "", Kind.SECRET, "the bounce mailbox's password (never logged, never in an endpoint URI)"),
    BOUNCE_MAILBOX_POLL_MS("bounce.mailbox.poll.ms", "60000", "how often the bounce mailbox is read (1000-3600000 ms)"),
    BOUNCE_UNMATCHED_FOLDER("bounce.unmatched.folder", "ingest-notify-unmatched", "IMAP folder an unreadable bounce, or one that matches no digest, is moved to (not deleted)"),
    EMBEDDED_SMTP_PORT("embedded.smtp.port", "2525", "the embedded SMTP server's port (0: any free port)"),
    FROM_EMAIL("from.email", "noreply@knowledgebot.com", "sender of every digest"),
    RECIPIENT_DOMAINS("recipient.domains", "", "comma-separated domains digests may go to (exact match); others: outcome `recipient_not_allowed`, no batch, no mail"),

    // --- CMS
    CMS_KIND("cms.kind", "strapi", "which CMS the contract routes (`cms.camel.yaml`) call: `strapi` (Strapi 5, `cms/strapi`) or `directus` (Directus 10, `cms/directus`); any other CMS: replace the contract's routes from `ROUTES_DIR` (`cms/plain-rest`)"),
    CMS_API_URL("cms.api.url", "", "the CMS's base URL; empty: default preferences, CMS clean-up `skipped`"),
    CMS_API_TOKEN("cms.api.token", "", Kind.SECRET, "bearer token: a custom Strapi token, or a Directus user's static token, with the permissions `cms/strapi/README.md` or `cms/directus/README.md` lists"),
    CMS_FILES_PATH("cms.files.path", "", "URL path of the CMS's file records: metadata look-up, marks, clean-up `DELETE`; empty: `/api/files` (strapi), `/items/ingest_notify_files` (directus)"),
    CMS_TIMEOUT_MS("cms.timeout.ms", "3000", "CMS call timeout (100-600000 ms)"),
    PREFERENCES_CACHE_TTL_SECONDS("preferences.cache.ttl.seconds", "300", "preference cache freshness (1-86400 s)"),

    // --- Batches and digests
    ENABLE_EMAIL_NOTIFICATIONS("enable.email.notifications", "true", "`false`: batches complete and are recorded, digests `skipped`"),
    DEFAULT_NOTIFICATION_DELAY_MINUTES("default.notification.delay.minutes", "30", "delay when the CMS has no preference (1-1440)"),
    DEFAULT_BATCH_SIZE_THRESHOLD("default.batch.size.threshold", "5", "size when the CMS has no preference (1-100)"),
    MAX_BATCH_AGE_HOURS("max.batch.age.hours", "24", "the sweeper completes older open batches (1-8760)"),
    NOTIFICATION_DELAY_UNIT("notification.delay.unit", "MINUTES", "unit of `notification_delay_minutes`; `SECONDS`/`MILLISECONDS` run the same flow fast"),
    DEFAULT_RECIPIENT("default.recipient", "", "recipient of events without `user_email`; empty: such events join no batch"),
    NOTIFICATION_MAX_ATTEMPTS("notification.max.attempts", "3", "SMTP attempts per digest (1-20)"),
    NOTIFICATION_RETRY_DELAY_MS("notification.retry.delay.ms", "30000", "first SMTP retry delay"),
    NOTIFICATION_RETRY_MULTIPLIER("notification.retry.multiplier", "2", "each retry waits this many times the one before (1-10)"),
    DIGEST_MAX_LISTED_FILES("digest.max.listed.files", "50", "at most this many files listed by name in a digest, failures first (0-1000); the totals stay exact and the digest says where the rest is shown"),
    TEMPLATES_DIR("templates.dir", "classpath:templates", "FreeMarker templates; e.g. `file:/etc/ingest-notify/templates` to override"),
    AGGREGATION_REPOSITORY("aggregation.repository", "batch-table", "`batch-table`: the aggregator's state is the batch table, so a restart re-arms every open batch's timer; `memory`: camel-core's in-memory repository (lost timers wait for the sweeper)"),
    OUTBOX_POLL_DELAY_MS("outbox.poll.delay.ms", "500", "outbox poller pace"),
    OUTBOX_POLL_LIMIT("outbox.poll.limit", "200", "most outbox rows claimed and filed as one group"),
    OUTBOX_CLAIM_LEASE_SECONDS("outbox.claim.lease.seconds", "30", "an outbox claim older than this (crashed instance) is taken again"),
    SWEEPER_INTERVAL_MS("sweeper.interval.ms", "30000", "sweeper period (lost timers, max age, stalled digests, deferred CMS marks)"),
    SWEEPER_GRACE_SECONDS("sweeper.grace.seconds", "2", "a batch is due for the sweeper this long after its delay passed"),

    // --- Several instances on one database
    INSTANCE_ID("instance.id", "", "this instance's id on every claim, in log lines, on the ops page and as a metric label; empty: host name and pid"),
    LEASE_SECONDS("lease.seconds", "30", "lease of claimed scheduled work (digest sends, sweeper completions, CMS marks, corrections), renewed every third of it while the work runs; a dead instance's work returns to the others after it (3-3600)"),

    // --- Auto-correction
    ENABLE_AUTO_CORRECTION("enable.auto.correction", "true", "`false`: tasks are recorded, never run"),
    AUTO_CORRECTION_DELAY_SECONDS("auto.correction.delay.seconds", "60", "a task runs this long after the failure"),
    AUTO_CORRECTION_DRY_RUN("correction.dry.run", "false", "`true`: log the plan, delete nothing"),
    MAX_CORRECTION_ATTEMPTS("max.correction.attempts", "3", "attempts of a task before it stays `failed`"),
    CORRECTION_RETRY_BASE_SECONDS("correction.retry.base.seconds", "30", "back-off between attempts: base × 2^(attempt-1)"),
    CORRECTION_BRANCH_REDELIVERIES("correction.branch.redeliveries", "3", "retries of one action within an attempt, before its dead letter (0-20)"),
    CORRECTION_BRANCH_REDELIVERY_DELAY_MS("correction.branch.redelivery.delay.ms", "1000", "first delay between those retries, doubling"),
    CORRECTION_POLL_DELAY_MS("correction.poll.delay.ms", "200", "task poller pace"),
    CORRECTION_POLL_LIMIT("correction.poll.limit", "20", "tasks claimed per poll"),
    CORRECTION_REDRIVE_INTERVAL_MS("correction.redrive.interval.ms", "10000", "re-drive pace of failed tasks"),
    METADATA_LOOKUP("metadata.lookup", "auto", "`auto`: failed events are confirmed by the metadata look-up when it is the CMS (`METADATA_SOURCE`), the `METADATA_TABLE` is visible at start, or `ingest-notify-lookup-file` is replaced in `ROUTES_DIR`; `true`: required; `false`: never"),
    METADATA_SOURCE("metadata.source", "auto", "where the metadata look-up reads: `cms` (`GET CMS_FILES_PATH/{id}`), `sql` (`METADATA_TABLE` in the operational database); `auto`: `cms` when `CMS_API_URL` is set"),
    METADATA_TABLE("metadata.table", "files", "table or view (`name` or `schema.name`) of the `sql` look-up, with `document_id`, `company_id`, `bot_id`, `name`, `storage_key`"),
    S3_KEY_PREFIX("s3.key.prefix", "", "folder the S3 clean-up may delete in, ending in `/`; `{company_id}`, `{bot_id}` filled from the task; empty: any plain key"),
    MAX_DELETIONS_PER_HOUR("max.deletions.per.hour", "200", "at most this many correction tasks delete in a rolling hour; the rest wait `held` for the operator"),
    S3_BUCKET("s3.bucket", "", "the pipeline's bucket; empty: embedded store (embedded jar), else the S3 action is `skipped`"),
    S3_ENDPOINT("s3.endpoint", "", "S3-compatible endpoint (path-style); empty: AWS"),
    S3_REGION("s3.region", "us-east-1", "S3 region"),
    AWS_ACCESS_KEY_ID("s3.access-key", "", "static S3 access key; empty: the AWS default credentials chain"),
    AWS_SECRET_ACCESS_KEY("s3.secret-key", "", Kind.SECRET, "static S3 secret key"),
    S3_TIMEOUT_MS("s3.timeout.ms", "5000", "S3 call timeout (100-600000 ms)"),
    CHROMA_URL("chroma.url", "", "Chroma server; empty: the Chroma action is `skipped`"),
    CHROMA_TENANT("chroma.tenant", "default_tenant", "Chroma tenant of the chunks"),
    CHROMA_DATABASE("chroma.database", "default_database", "Chroma database of the chunks"),
    CHROMA_COLLECTION("chroma.collection", "global", "Chroma collection of the chunks"),
    CHROMA_TOKEN("chroma.token", "", Kind.SECRET, "sent as `x-chroma-token`"),
    CHROMA_TIMEOUT_MS("chroma.timeout.ms", "5000", "Chroma call timeout (100-600000 ms)"),

    // --- The recipient's controls: quiet hours, digest budget, unsubscribe, suppression
    DEFAULT_TIMEZONE("default.timezone", "UTC", "the recipient's time zone (IANA name) when the preference has none or an unknown one; quiet hours are local to it"),
    DEFAULT_MAX_DIGESTS_PER_DAY("default.max.digests.per.day", "", "digests per recipient per rolling 24 hours when the preference has none (1-1000); empty: no limit; beyond it batches fold into the next digest"),
    PUBLIC_BASE_URL("public.base.url", "", "the URL recipients reach this service's HTTP paths at (with `HTTP_BASE_PATH`), e.g. `https://notify.example.com`; empty: digests carry no `List-Unsubscribe` header and no unsubscribe link"),
    UNSUBSCRIBE_SECRET("unsubscribe.secret", "", Kind.SECRET, "HMAC-SHA256 key(s) of the unsubscribe tokens (at least 32 characters), comma-separated for rotation: the first signs, all verify; required with `PUBLIC_BASE_URL`"),
    UNSUBSCRIBE_MAILTO("unsubscribe.mailto", "", "an address for `mailto:` unsubscribe requests, added to `List-Unsubscribe` (the mailbox is yours to read; the bundle does not read it)"),

    // --- Retention: what is kept, for how long (in RETENTION_UNIT; 0 keeps forever), and the pass that removes the rest
    RETENTION_UNIT("retention.unit", "DAYS", "unit of the `RETENTION_*_DAYS` settings; `HOURS`, `MINUTES` or `SECONDS` for a soak or a test"),
    RETENTION_EVENTS_DAYS("retention.events.days", "7", "processed outbox rows (`file_events`) with the statuses and errors left on them; also how long a repeated `event_id` is still refused as a duplicate; an event stays while its batch's files or a correction task refer to it (0: forever)"),
    RETENTION_BATCH_FILES_DAYS("retention.batch-files.days", "7", "`batch_files`, `file_processing_status` and `processing_errors` of batches whose digest ended (`sent`, `failed`, `skipped`), counted from the batch's end (0: forever)"),
    RETENTION_DIGEST_BODIES_DAYS("retention.digest-bodies.days", "3", "HTML and text of `sent` and `skipped` digests in `email_notification_log` (the row keeps subject, status and times; a `failed` digest keeps its body for a resend) (0: forever)"),
    RETENTION_RETRY_LOG_DAYS("retention.retry-log.days", "7", "`notification_retry_log` rows of digests no longer being sent (0: forever)"),
    RETENTION_CORRECTIONS_DAYS("retention.corrections.days", "30", "finished correction tasks: `completed`, `partial`, `cancelled`, `dry_run`, and `failed` past their last attempt (0: forever)"),
    RETENTION_BATCHES_DAYS("retention.batches.days", "30", "batch rows and their digest's log row (subject, status, times), once their files are gone and no correction task names them (0: forever)"),
    RETENTION_AUDIT_DAYS("retention.audit.days", "365", "`operator_audit` rows: the operator's actions (`GET /api/audit`) (0: forever)"),
    RETENTION_CHUNK_ROWS("retention.chunk.rows", "1000", "most rows one chunk (one short transaction) removes (1-100000)"),
    RETENTION_CHUNK_PAUSE_MS("retention.chunk.pause.ms", "50", "pause between two chunks, leaving the database to intake and the digests (0-60000)"),
    RETENTION_PASS_SECONDS("retention.pass.seconds", "120", "a pass starts no chunk after this long; what is left waits for the next pass (1-3600)"),
    RETENTION_INTERVAL_MS("retention.interval.ms", "300000", "a pass starts at most this often, on whichever instance claims it (1000-86400000)"),

    // --- Hub sources: events from the hub's broker (off unless the URL is set)
    RABBITMQ_URL("rabbitmq.url", "", "RabbitMQ to take events from: `amqp://host[:port][/vhost]` (`amqps://` for TLS); empty: no RabbitMQ intake"),
    RABBITMQ_USER("rabbitmq.user", "guest", "RabbitMQ user"),
    RABBITMQ_PASSWORD("rabbitmq.password", "", Kind.SECRET, "RabbitMQ password (never logged, never in an endpoint URI)"),
    RABBITMQ_QUEUE("rabbitmq.queue", "ingest-notify-events", "durable queue the events are consumed from (declared at start if missing); each message: one event or an array, JSON"),
    RABBITMQ_DEAD_LETTER_EXCHANGE("rabbitmq.dead-letter.exchange", "ingest-notify-dead-letter", "exchange a message that cannot be filed goes to, with header `ingest-notify-reason` (declared at start)"),
    RABBITMQ_DEAD_LETTER_QUEUE("rabbitmq.dead-letter.queue", "ingest-notify-events-dead-letter", "durable queue bound to the dead-letter exchange (declared at start)"),
    RABBITMQ_PREFETCH("rabbitmq.prefetch", "250", "unacknowledged messages one consumer may hold (1-65535); a group never holds more than prefetch × consumers"),
    RABBITMQ_CONSUMERS("rabbitmq.consumers", "2", "consumers (channels) per instance on the queue (1-64)"),
    RABBITMQ_GROUP_MAX_MESSAGES("rabbitmq.group.max.messages", "200", "messages filed in one intake transaction at most (1-10000, at most prefetch × consumers)"),
    RABBITMQ_GROUP_WINDOW_MS("rabbitmq.group.window.ms", "50", "a group is filed this long after its first message at the latest (1-60000)"),
    KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrap.servers", "", "Kafka brokers to take events from: `host:port[,host:port...]`; empty: no Kafka intake"),
    KAFKA_TOPIC("kafka.topic", "ingest-notify-events", "topic the events are consumed from; each record: one event or an array, JSON, keyed by user"),
    KAFKA_GROUP_ID("kafka.group.id", "ingest-notify", "consumer group: the instances of one group split the topic's partitions"),
    KAFKA_DEAD_LETTER_TOPIC("kafka.dead-letter.topic", "ingest-notify-events-dead-letter", "topic a record that cannot be filed goes to, with header `ingest-notify-reason`"),
    KAFKA_MAX_POLL_RECORDS("kafka.max.poll.records", "200", "records filed in one intake transaction at most (1-10000): one poll's batch"),
    KAFKA_GROUP_WINDOW_MS("kafka.group.window.ms", "100", "a batch short of KAFKA_MAX_POLL_RECORDS is filed about this long after the previous one or once a poll brings nothing for this long (10-60000)"),
    KAFKA_SESSION_TIMEOUT_MS("kafka.session.timeout.ms", "45000", "a consumer silent this long (a killed instance) loses its partitions to the group's others (6000-300000)"),
    KAFKA_CONSUMERS("kafka.consumers", "1", "consumers (threads, group members) per instance (1-64); more than the topic's partitions idle"),
    KAFKA_SECURITY_PROTOCOL("kafka.security.protocol", "PLAINTEXT", "`PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`"),
    KAFKA_SASL_MECHANISM("kafka.sasl.mechanism", "SCRAM-SHA-512", "with SASL: `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`"),
    KAFKA_USER("kafka.user", "", "with SASL: the Kafka user"),
    KAFKA_PASSWORD("kafka.password", "", Kind.SECRET, "with SASL: the Kafka password (never logged, never in an endpoint URI)"),
    KAFKA_TRUSTSTORE("kafka.truststore", "", "with SSL/SASL_SSL: a PKCS12 trust store of the brokers' CA (empty: the JVM's)"),
    KAFKA_TRUSTSTORE_PASSWORD("kafka.truststore.password", "", Kind.SECRET, "password of `KAFKA_TRUSTSTORE`"),

    // --- User routes
    ROUTES_DIR("routes.dir", "", "folder of user YAML routes, loaded after the built-in ones; a route with a built-in id replaces it"),
    ROUTES_RELOAD("routes.reload", "false", "`true`: a changed user route file is reloaded live");

    /** Prefix of every setting among Camel's properties (standalone and guest). */
    public static final String PREFIX = "ingest-notify.";

    enum Kind { PLAIN, SECRET }

    private final String key;
    private final String defaultValue;
    private final boolean secret;
    private final String meaning;

    Setting(String key, String defaultValue, String meaning) {
        this(key, defaultValue, Kind.PLAIN, meaning);
    }

    Setting(String key, String defaultValue, Kind kind, String meaning) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.secret = kind == Kind.SECRET;
        this.meaning = meaning;
    }

    /** The key, the same in every home: {@code db.url}. */
    public String key() {
        return key;
    }

    /** The key among Camel's properties: {@code ingest-notify.db.url}. */
    public String property() {
        return PREFIX + key;
    }

    /** The environment variable of the standalone jar: {@code DB_URL}. */
    public String variable() {
        return name();
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** A secret is never printed: not in a refusal, not in a log line. */
    public boolean secret() {
        return secret;
    }

    public String meaning() {
        return meaning;
    }

    /** The setting whose key (with or without the {@code ingest-notify.} prefix) this is, or null. */
    public static Setting ofKey(String key) {
        String k = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
        for (Setting s : values()) {
            if (s.key.equals(k)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The refusal of a value: names the variable, the property and the Karaf key, so whoever set it finds it in
     * their own home; a secret's value is never repeated.
     */
    public InvalidSettingException invalid(String value, String expected) {
        String shown = secret && value != null && !value.isEmpty() ? "***" : value == null ? "" : value;
        return new InvalidSettingException(String.format(Locale.ROOT,
                "Invalid setting %s='%s': expected %s (property %s; %s in etc/io.ingestnotify.cfg)",
                variable(), shown, expected, property(), key));
    }
}
