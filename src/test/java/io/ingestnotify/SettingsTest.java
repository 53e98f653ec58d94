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
