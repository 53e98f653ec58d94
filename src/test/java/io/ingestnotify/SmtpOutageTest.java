package io.ingestnotify;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SMTP down: each failed attempt is logged with its next retry, then the mail goes out, or fails visibly and is re-sendable. */
class SmtpOutageTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of("ingest-notify.notification.retry.delay.ms", "400", "ingest-notify.notification.max.attempts", "4"));
    }

    @Test
    void smtpDownThenBackSendsOnceWithRetryRows() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(1, 1440, "html", true, true, true));
        smtp.stop();
        try {
            post("/api/events", event(newEventId(), "s1", "success", user, 1, 2, "s1.pdf"));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    count("SELECT count(*) FROM notification_retry_log r JOIN email_notification_log l USING (batch_id) WHERE l.recipient_email = ?", user) >= 2);
            assertThat(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo("retrying");
        } finally {
            startSmtp();
        }
        awaitMails(user, 1);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "sent".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));

        List<Map<String, Object>> retries = rows("SELECT r.* FROM notification_retry_log r JOIN email_notification_log l USING (batch_id) "
                + "WHERE l.recipient_email = ? ORDER BY r.retry_attempt", user);
        assertThat(retries.size()).isGreaterThanOrEqualTo(3);
        Map<String, Object> firstFailure = retries.get(0);
        assertThat(firstFailure.get("success")).isEqualTo(false);
        assertThat(firstFailure.get("next_retry_at")).isNotNull();
        assertThat((String) firstFailure.get("error_message")).isNotBlank();
        assertThat(retries.get(retries.size() - 1).get("success")).isEqualTo(true);
        int attempts = ((Number) value("SELECT send_attempts FROM email_notification_log WHERE recipient_email = ?", user)).intValue();
        assertThat(attempts).isEqualTo(retries.size());
        assertThat(value("SELECT notification_sent FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(true);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() -> mailsTo(user).size() == 1);
    }

    @Test
    void smtpDownForAllAttemptsFailsVisiblyThenResendWorks() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(1, 1440, "text", true, true, true));
        smtp.stop();
        try {
            post("/api/events", event(newEventId(), "s2", "failed", user, 1, 2, "s2.pdf"));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    "failed".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
        } finally {
            startSmtp();
        }
        Map<String, Object> log = rows("SELECT * FROM email_notification_log WHERE recipient_email = ?", user).get(0);
        assertThat(log.get("send_attempts")).isEqualTo(4);
        assertThat((String) log.get("error_message")).containsIgnoringCase("connect");
        assertThat(value("SELECT max(next_retry_at) IS NULL FROM notification_retry_log WHERE batch_id = ? AND retry_attempt = 4",
                log.get("batch_id"))).isEqualTo(true);
        assertThat(mailsTo(user)).isEmpty();

        assertThat(post("/api/batches/" + log.get("batch_id") + "/resend", "").statusCode()).isEqualTo(200);
        awaitMails(user, 1);
        assertThat(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo("sent");
        // A sent digest is never sent again.
        assertThat(post("/api/batches/" + log.get("batch_id") + "/resend", "").statusCode()).isEqualTo(409);
    }
}
