package io.ingestnotify;

import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad setting stops start-up with a message that names its environment variable, its property and its key. */
class SettingsTest extends AppTestSupport {

    @ParameterizedTest(name = "{1}={2}")
    @CsvSource({
        "ingest-notify.retention.unit, RETENTION_UNIT, weeks",
        "ingest-notify.kafka.bootstrap.servers, KAFKA_BOOTSTRAP_SERVERS, kafka-without-port",
        "ingest-notify.kafka.security.protocol, KAFKA_SECURITY_PROTOCOL, TLS",
        "ingest-notify.kafka.sasl.mechanism, KAFKA_SASL_MECHANISM, GSSAPI",
        "ingest-notify.kafka.max.poll.records, KAFKA_MAX_POLL_RECORDS, 0",
        "ingest-notify.kafka.session.timeout.ms, KAFKA_SESSION_TIMEOUT_MS, 1000",
        "ingest-notify.kafka.consumers, KAFKA_CONSUMERS, 0",
        "ingest-notify.retention.events.days, RETENTION_EVENTS_DAYS, -1",
        "ingest-notify.retention.chunk.rows, RETENTION_CHUNK_ROWS, 0",
        "ingest-notify.retention.interval.ms, RETENTION_INTERVAL_MS, 10",
        "ingest-notify.notification.delay.unit, NOTIFICATION_DELAY_UNIT, fortnights",
        "ingest-notify.default.batch.size.threshold, DEFAULT_BATCH_SIZE_THRESHOLD, 0",
        "ingest-notify.default.notification.delay.minutes, DEFAULT_NOTIFICATION_DELAY_MINUTES, soon",
        "ingest-notify.enable.email.notifications, ENABLE_EMAIL_NOTIFICATIONS, maybe",
        "ingest-notify.from.email, FROM_EMAIL, nobody",
        "ingest-notify.cms.api.url, CMS_API_URL, ftp://cms",
        "ingest-notify.max.batch.age.hours, MAX_BATCH_AGE_HOURS, -3",
        "ingest-notify.smtp.port, SMTP_PORT, 99999",
        "ingest-notify.aggregation.repository, AGGREGATION_REPOSITORY, redis",
        "ingest-notify.recipient.domains, RECIPIENT_DOMAINS, example.com;evil",
        "ingest-notify.smtp.ssl, SMTP_SSL, yes",
        "ingest-notify.smtp.allow.plaintext.auth, SMTP_ALLOW_PLAINTEXT_AUTH, maybe",
        "ingest-notify.smtp.starttls, SMTP_STARTTLS, often",
        "ingest-notify.smtp.timeout.ms, SMTP_TIMEOUT_MS, 5",
        "ingest-notify.http.port, HTTP_PORT, 70000",
        "ingest-notify.max.request.bytes, MAX_REQUEST_BYTES, 10",
        "ingest-notify.max.events.per.request, MAX_EVENTS_PER_REQUEST, 0",
        "ingest-notify.db.pool.size, DB_POOL_SIZE, 0",
        "ingest-notify.preferences.cache.ttl.seconds, PREFERENCES_CACHE_TTL_SECONDS, forever",
        "ingest-notify.notification.max.attempts, NOTIFICATION_MAX_ATTEMPTS, 0",
        "ingest-notify.notification.retry.delay.ms, NOTIFICATION_RETRY_DELAY_MS, 0",
        "ingest-notify.notification.retry.multiplier, NOTIFICATION_RETRY_MULTIPLIER, 1.5",
        "ingest-notify.default.recipient, DEFAULT_RECIPIENT, nobody",
        "ingest-notify.enable.auto.correction, ENABLE_AUTO_CORRECTION, perhaps",
        "ingest-notify.auto.correction.delay.seconds, AUTO_CORRECTION_DELAY_SECONDS, -1",
        "ingest-notify.correction.dry.run, AUTO_CORRECTION_DRY_RUN, sometimes",
        "ingest-notify.max.correction.attempts, MAX_CORRECTION_ATTEMPTS, 0",
        "ingest-notify.correction.retry.base.seconds, CORRECTION_RETRY_BASE_SECONDS, -5",
        "ingest-notify.correction.branch.redeliveries, CORRECTION_BRANCH_REDELIVERIES, 99",
        "ingest-notify.correction.branch.redelivery.delay.ms, CORRECTION_BRANCH_REDELIVERY_DELAY_MS, -1",
        "ingest-notify.correction.poll.delay.ms, CORRECTION_POLL_DELAY_MS, 0",
        "ingest-notify.correction.poll.limit, CORRECTION_POLL_LIMIT, 0",
        "ingest-notify.lease.seconds, LEASE_SECONDS, 2",
        "ingest-notify.instance.id, INSTANCE_ID, two words",
        "ingest-notify.correction.redrive.interval.ms, CORRECTION_REDRIVE_INTERVAL_MS, 10",
        "ingest-notify.outbox.poll.delay.ms, OUTBOX_POLL_DELAY_MS, fast",
        "ingest-notify.outbox.poll.limit, OUTBOX_POLL_LIMIT, 0",
        "ingest-notify.outbox.claim.lease.seconds, OUTBOX_CLAIM_LEASE_SECONDS, 0",
        "ingest-notify.sweeper.interval.ms, SWEEPER_INTERVAL_MS, 1",
        "ingest-notify.sweeper.grace.seconds, SWEEPER_GRACE_SECONDS, -1",
        "ingest-notify.cms.timeout.ms, CMS_TIMEOUT_MS, 0",
        "ingest-notify.chroma.timeout.ms, CHROMA_TIMEOUT_MS, 0",
        "ingest-notify.chroma.url, CHROMA_URL, chroma:8000",
        "ingest-notify.s3.timeout.ms, S3_TIMEOUT_MS, 0",
        "ingest-notify.s3.endpoint, S3_ENDPOINT, s3.local",
        "ingest-notify.s3.key.prefix, S3_KEY_PREFIX, ../tenants/",
        "ingest-notify.embedded.smtp.port, EMBEDDED_SMTP_PORT, -2",
        "ingest-notify.max.deletions.per.hour, MAX_DELETIONS_PER_HOUR, 0",
        "ingest-notify.metadata.lookup, METADATA_LOOKUP, sometimes",
        "ingest-notify.routes.reload, ROUTES_RELOAD, often",
        "ingest-notify.demo, DEMO, perhaps",
        "ingest-notify.embedded.enabled, EMBEDDED, perhaps",
        "ingest-notify.default.timezone, DEFAULT_TIMEZONE, Mars/Olympus_Mons",
        "ingest-notify.default.max.digests.per.day, DEFAULT_MAX_DIGESTS_PER_DAY, 0",
        "ingest-notify.public.base.url, PUBLIC_BASE_URL, notify.example.com",
        "ingest-notify.unsubscribe.mailto, UNSUBSCRIBE_MAILTO, nobody",
        "ingest-notify.auth.failures.per.minute, AUTH_FAILURES_PER_MINUTE, 0",
        "ingest-notify.http.trusted-proxies, HTTP_TRUSTED_PROXIES, proxy.example.com",
        "ingest-notify.retention.audit.days, RETENTION_AUDIT_DAYS, -1",
    })
    void badSettingStopsStartup(String property, String envName, String value) {
        Map<String, String> p = baseProperties();
        p.put(property, value);
        assertThatThrownBy(() -> new RunningApp(p).close())
                .satisfies(e -> {
                    Throwable t = e;
                    StringBuilder all = new StringBuilder();
                    while (t != null) {
                        all.append(t.getMessage()).append('\n');
                        t = t.getCause();
                    }
                    // the variable for a standalone run, the property for a guest in a host's context, the key for Karaf
                    String key = property.substring("ingest-notify.".length());
                    org.assertj.core.api.Assertions.assertThat(all.toString()).contains("Invalid setting " + envName + "='" + value + "'")
                            .contains("(property " + property + "; " + key + " in etc/io.ingestnotify.cfg)");
                });
    }

    /** Unsubscribe links are signed: a public URL without a key, or a short key, stops start-up; the key is never repeated. */
    @Test
    void unsubscribeLinksNeedALongEnoughSecret() {
        Map<String, String> p = baseProperties();
        p.put("ingest-notify.public.base.url", "https://notify.example.com");
        assertThatThrownBy(() -> new RunningApp(p).close()).hasStackTraceContaining("UNSUBSCRIBE_SECRET")
                .hasStackTraceContaining("PUBLIC_BASE_URL is set");
        p.put("ingest-notify.unsubscribe.secret", "short-key-value");
        assertThatThrownBy(() -> new RunningApp(p).close()).hasStackTraceContaining("UNSUBSCRIBE_SECRET")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(stackOf(e)).doesNotContain("short-key-value"));
    }

    private static String stackOf(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /** The Docker image runs with EMBEDDED=false: a forgotten DB_URL stops it, saying what to set, never a throwaway database. */
    @Test
    void noDbUrlWithoutEmbeddedStopsStartupNamingDbUrl() {
        Map<String, String> p = baseProperties();
        p.put("ingest-notify.embedded.enabled", "false");
        p.put("ingest-notify.db.url", "");
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e ->
                org.assertj.core.api.Assertions.assertThat(SmtpConfigTest.messages(e))
                        .contains("Invalid setting DB_URL='': expected the JDBC URL of the operational PostgreSQL")
                        .contains("jdbc:postgresql://"));
    }
}
