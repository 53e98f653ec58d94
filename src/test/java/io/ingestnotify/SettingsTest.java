package io.ingestnotify;

import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad setting stops start-up with a message that names its environment variable. */
class SettingsTest extends AppTestSupport {

    @ParameterizedTest(name = "{1}={2}")
    @CsvSource({
        "notification.delay.unit, NOTIFICATION_DELAY_UNIT, fortnights",
        "default.batch.size.threshold, DEFAULT_BATCH_SIZE_THRESHOLD, 0",
        "default.notification.delay.minutes, DEFAULT_NOTIFICATION_DELAY_MINUTES, soon",
        "enable.email.notifications, ENABLE_EMAIL_NOTIFICATIONS, maybe",
        "from.email, FROM_EMAIL, nobody",
        "cms.api.url, CMS_API_URL, ftp://cms",
        "max.batch.age.hours, MAX_BATCH_AGE_HOURS, -3",
        "smtp.port, SMTP_PORT, 99999",
        "aggregation.repository, AGGREGATION_REPOSITORY, redis",
        "recipient.domains, RECIPIENT_DOMAINS, example.com;evil",
        "smtp.ssl, SMTP_SSL, yes",
        "smtp.allow.plaintext.auth, SMTP_ALLOW_PLAINTEXT_AUTH, maybe",
        "smtp.starttls, SMTP_STARTTLS, often",
        "smtp.timeout.ms, SMTP_TIMEOUT_MS, 5",
        "http.port, HTTP_PORT, 70000",
        "max.request.bytes, MAX_REQUEST_BYTES, 10",
        "max.events.per.request, MAX_EVENTS_PER_REQUEST, 0",
        "db.pool.size, DB_POOL_SIZE, 0",
        "preferences.cache.ttl.seconds, PREFERENCES_CACHE_TTL_SECONDS, forever",
        "notification.max.attempts, NOTIFICATION_MAX_ATTEMPTS, 0",
        "notification.retry.delay.ms, NOTIFICATION_RETRY_DELAY_MS, 0",
        "notification.retry.multiplier, NOTIFICATION_RETRY_MULTIPLIER, 1.5",
        "default.recipient, DEFAULT_RECIPIENT, nobody",
        "enable.auto.correction, ENABLE_AUTO_CORRECTION, perhaps",
        "auto.correction.delay.seconds, AUTO_CORRECTION_DELAY_SECONDS, -1",
        "correction.dry.run, AUTO_CORRECTION_DRY_RUN, sometimes",
        "max.correction.attempts, MAX_CORRECTION_ATTEMPTS, 0",
        "correction.retry.base.seconds, CORRECTION_RETRY_BASE_SECONDS, -5",
        "correction.branch.redeliveries, CORRECTION_BRANCH_REDELIVERIES, 99",
        "correction.branch.redelivery.delay.ms, CORRECTION_BRANCH_REDELIVERY_DELAY_MS, -1",
        "correction.poll.delay.ms, CORRECTION_POLL_DELAY_MS, 0",
        "correction.poll.limit, CORRECTION_POLL_LIMIT, 0",
        "lease.seconds, LEASE_SECONDS, 2",
        "instance.id, INSTANCE_ID, two words",
        "correction.redrive.interval.ms, CORRECTION_REDRIVE_INTERVAL_MS, 10",
        "outbox.poll.delay.ms, OUTBOX_POLL_DELAY_MS, fast",
        "outbox.poll.limit, OUTBOX_POLL_LIMIT, 0",
        "outbox.claim.lease.seconds, OUTBOX_CLAIM_LEASE_SECONDS, 0",
        "sweeper.interval.ms, SWEEPER_INTERVAL_MS, 1",
        "sweeper.grace.seconds, SWEEPER_GRACE_SECONDS, -1",
        "cms.timeout.ms, CMS_TIMEOUT_MS, 0",
        "chroma.timeout.ms, CHROMA_TIMEOUT_MS, 0",
        "chroma.url, CHROMA_URL, chroma:8000",
        "s3.timeout.ms, S3_TIMEOUT_MS, 0",
        "s3.endpoint, S3_ENDPOINT, s3.local",
        "s3.key.prefix, S3_KEY_PREFIX, ../tenants/",
        "embedded.smtp.port, EMBEDDED_SMTP_PORT, -2",
        "max.deletions.per.hour, MAX_DELETIONS_PER_HOUR, 0",
        "metadata.lookup, METADATA_LOOKUP, sometimes",
        "routes.reload, ROUTES_RELOAD, often",
        "demo, DEMO, perhaps",
        "embedded.enabled, EMBEDDED, perhaps",
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
                    org.assertj.core.api.Assertions.assertThat(all.toString()).contains("Invalid setting " + envName + "='" + value + "'");
                });
    }

    /** The Docker image runs with EMBEDDED=false: a forgotten DB_URL stops it, saying what to set, never a throwaway database. */
    @Test
    void noDbUrlWithoutEmbeddedStopsStartupNamingDbUrl() {
        Map<String, String> p = baseProperties();
        p.put("embedded.enabled", "false");
        p.put("db.url", "");
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e ->
                org.assertj.core.api.Assertions.assertThat(SmtpConfigTest.messages(e))
                        .contains("Invalid setting DB_URL='': expected the JDBC URL of the operational PostgreSQL")
                        .contains("jdbc:postgresql://"));
    }
}
