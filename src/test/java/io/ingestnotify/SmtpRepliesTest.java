package io.ingestnotify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.FlakySmtp;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SMTP answers read as they mean (issue 20, part 1): a 5xx to RCPT TO or DATA ends the digest at once with the server's
 * reply, a 5.1.x suppresses the address, a 4xx is retried with the back-off. Against a small SMTP server answering so
 * on purpose.
 */
class SmtpRepliesTest extends AppTestSupport {

    private static final String TRANSIENT = "transient-" + System.nanoTime() + "@example.com";
    private static FlakySmtp server;

    @BeforeAll
    static void start() throws Exception {
        server = new FlakySmtp(Set.of(TRANSIENT), 2, 1);
        startApp(Map.of("ingest-notify.smtp.port", String.valueOf(server.port(0)), "ingest-notify.notification.retry.delay.ms", "200",
                "ingest-notify.notification.max.attempts", "4"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
        server.close();
    }

    @Test
    void userUnknownOnRcptFailsAtOnceAndSuppressesTheAddress() throws Exception {
        String user = newUser();
        server.answerRcpt(user, "550 5.1.1 <" + user + ">: Recipient address rejected: User unknown in virtual mailbox table");
        stubPreferences(1, 2, user, prefs(1, 1440, "html", true, true, true));
        try (LogCapture log = LogCapture.attach()) {
            assertThat(post("/api/events", event(newEventId(), "r1", "success", user, 1, 2, "r1.pdf")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    "failed".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
            Map<String, Object> digest = rows("SELECT * FROM email_notification_log WHERE recipient_email = ?", user).get(0);
            assertThat(digest.get("send_attempts")).isEqualTo(1);
            assertThat(((Number) digest.get("smtp_code")).intValue()).isEqualTo(550);
            assertThat(digest.get("smtp_status")).isEqualTo("5.1.1");
            assertThat((String) digest.get("error_message")).contains("550 5.1.1", "User unknown", "(RCPT TO)");

            List<Map<String, Object>> retries = rows("SELECT * FROM notification_retry_log WHERE batch_id = ?", digest.get("batch_id"));
            assertThat(retries).hasSize(1);
            assertThat(retries.get(0).get("success")).isEqualTo(false);
            assertThat(retries.get(0).get("next_retry_at")).isNull();
            assertThat(retries.get(0).get("smtp_status")).isEqualTo("5.1.1");
            assertThat((String) retries.get(0).get("error_message")).contains("550 5.1.1");

            Map<String, Object> suppression = rows("SELECT * FROM suppressions WHERE email = lower(?) AND lifted_at IS NULL", user).get(0);
            assertThat(suppression.get("reason")).isEqualTo("hard_bounce");
            assertThat((String) suppression.get("created_by")).contains("550", "5.1.1");

            // No more attempts: the server hears RCPT TO for this address once.
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(1500).plusSeconds(30)).until(() -> server.scriptedAnswers(user) == 1);
            assertThat(log.linesContaining("refused by the SMTP server")).singleElement().asString()
                    .contains("5.1.1", "final", "hard_bounce");
            assertThat(log.linesContaining("digest attempt")).noneMatch(l -> l.contains(user));

            // The ops page shows the enhanced status.
            JsonNode mails = Json.parse(getHttp("/api/ops/summary").body()).get("recentMails");
            JsonNode mail = null;
            for (JsonNode m : mails) {
                if (user.equals(m.get("recipient_email").asText())) {
                    mail = m;
                }
            }
            assertThat(mail).isNotNull();
            assertThat(mail.get("smtp_status").asText()).isEqualTo("5.1.1");
            assertThat(mail.get("smtp_code").asInt()).isEqualTo(550);
        }

        // The next batch for the address is suppressed: recorded, nothing sent, no SMTP conversation.
        assertThat(post("/api/events", event(newEventId(), "r2", "success", user, 1, 2, "r2.pdf")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                count("SELECT count(*) FROM email_notification_log WHERE recipient_email = ? AND send_status = 'suppressed'", user) == 1);
        assertThat(server.scriptedAnswers(user)).isEqualTo(1);
    }

    @Test
    void policyRefusalOnDataFailsAtOnceWithoutSuppressing() throws Exception {
        String user = newUser();
        server.answerData(user, "554 5.7.1 Message rejected: content policy");
        stubPreferences(1, 2, user, prefs(1, 1440, "text", true, true, true));
        assertThat(post("/api/events", event(newEventId(), "p1", "failed", user, 1, 2, "p1.pdf")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "failed".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
        Map<String, Object> digest = rows("SELECT * FROM email_notification_log WHERE recipient_email = ?", user).get(0);
        assertThat(digest.get("send_attempts")).isEqualTo(1);
        assertThat(((Number) digest.get("smtp_code")).intValue()).isEqualTo(554);
        assertThat(digest.get("smtp_status")).isEqualTo("5.7.1");
        assertThat((String) digest.get("error_message")).contains("554 5.7.1 Message rejected", "(DATA)");
        assertThat(count("SELECT count(*) FROM notification_retry_log WHERE batch_id = ?", digest.get("batch_id"))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM suppressions WHERE email = lower(?)", user)).isZero();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(1500).plusSeconds(30)).until(() -> server.scriptedAnswers(user) == 1);
        // Re-sendable by the operator, as any failed digest.
        assertThat(post("/api/batches/" + digest.get("batch_id") + "/resend", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.scriptedAnswers(user) == 2);
    }

    @Test
    void tryAgainLaterOnDataIsRetriedWithTheBackOff() throws Exception {
        stubPreferences(1, 2, TRANSIENT, prefs(1, 1440, "text", true, true, true));
        assertThat(post("/api/events", event(newEventId(), "t1", "success", TRANSIENT, 1, 2, "t1.pdf")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "sent".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", TRANSIENT)));
        Map<String, Object> digest = rows("SELECT * FROM email_notification_log WHERE recipient_email = ?", TRANSIENT).get(0);
        assertThat(digest.get("send_attempts")).isEqualTo(3);
        List<Map<String, Object>> retries = rows("SELECT * FROM notification_retry_log WHERE batch_id = ? ORDER BY retry_attempt",
                digest.get("batch_id"));
        assertThat(retries).hasSize(3);
        for (Map<String, Object> failed : retries.subList(0, 2)) {
            assertThat(((Number) failed.get("smtp_code")).intValue()).isEqualTo(451);
            assertThat(failed.get("smtp_status")).isEqualTo("4.3.0");
            assertThat(failed.get("next_retry_at")).isNotNull();
        }
        assertThat(retries.get(2).get("success")).isEqualTo(true);
        assertThat(count("SELECT count(*) FROM suppressions WHERE email = lower(?)", TRANSIENT)).isZero();
    }
}
