package io.ingestnotify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.FlakySmtp;
import io.ingestnotify.support.LogCapture;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second SMTP server (issue 20, part 4): two GreenMail servers, the primary stopped and started. The primary's
 * failure sends the next attempt to the fallback and opens the breaker (smtp_breaker) for the cool-down; then a digest
 * probes the primary and its success closes the breaker. A 5xx is never retried on the other server.
 */
class SmtpFallbackTest extends AppTestSupport {

    private static GreenMail fallback;
    private static int fallbackPort;

    @BeforeAll
    static void start() throws Exception {
        fallbackPort = AvailablePortFinder.getNextAvailable();
        fallback = new GreenMail(new ServerSetup(fallbackPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        fallback.start();
        startApp(Map.of("ingest-notify.smtp.fallback.server", "127.0.0.1", "ingest-notify.smtp.fallback.port", String.valueOf(fallbackPort),
                "ingest-notify.smtp.fallback.starttls", "false", "ingest-notify.smtp.breaker.cooldown.seconds", "600",
                "ingest-notify.notification.retry.delay.ms", "200", "ingest-notify.notification.max.attempts", "4"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
        fallback.stop();
    }

    private static String send(String doc) throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(1, 1440, "text", true, true, true));
        assertThat(post("/api/events", event(newEventId(), doc, "success", user, 1, 2, doc + ".pdf")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "sent".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
        return user;
    }

    private static long on(GreenMail server, String user) {
        return java.util.Arrays.stream(server.getReceivedMessages()).filter(m -> to(m).equalsIgnoreCase(user)).count();
    }

    private static String to(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object relay(String user) throws Exception {
        return value("SELECT smtp_relay FROM email_notification_log WHERE recipient_email = ?", user);
    }

    @Test
    void primaryDownSendsToTheFallbackUntilItsCoolDownThenProbesThePrimary() throws Exception {
        String primaryName = "primary 127.0.0.1:" + smtpPort;
        String fallbackName = "fallback 127.0.0.1:" + fallbackPort;
        smtp.stop();
        try (LogCapture log = LogCapture.attach()) {
            // The primary refuses the connection: the next attempt goes to the fallback, which takes the digest.
            String first = send("fb-1");
            assertThat(on(fallback, first)).isEqualTo(1);
            assertThat(relay(first)).isEqualTo(fallbackName);
            assertThat(value("SELECT send_attempts FROM email_notification_log WHERE recipient_email = ?", first)).isEqualTo(2);
            List<Map<String, Object>> attempts = rows("SELECT r.* FROM notification_retry_log r JOIN email_notification_log l USING (batch_id) "
                    + "WHERE l.recipient_email = ? ORDER BY r.retry_attempt", first);
            assertThat(attempts).extracting(a -> a.get("smtp_relay")).containsExactly(primaryName, fallbackName);
            assertThat(attempts).extracting(a -> a.get("success")).containsExactly(false, true);
            assertThat((String) attempts.get(0).get("error_message")).containsIgnoringCase("connect");
            assertThat(value("SELECT open_until IS NOT NULL FROM smtp_breaker WHERE relay = 'primary'")).isEqualTo(true);
            assertThat(log.linesContaining("circuit open")).singleElement().asString().contains(primaryName, fallbackName, "600 s");
            assertThat(log.linesContaining("digest mailed via " + fallbackName)).hasSize(1);

            // While the breaker is open the next digests go straight to the fallback: one attempt each.
            String second = send("fb-2");
            assertThat(relay(second)).isEqualTo(fallbackName);
            assertThat(value("SELECT send_attempts FROM email_notification_log WHERE recipient_email = ?", second)).isEqualTo(1);

            // The primary is back, but the cool-down is not over: still the fallback.
            startSmtp();
            String third = send("fb-3");
            assertThat(relay(third)).isEqualTo(fallbackName);
            assertThat(on(smtp, third)).isZero();

            // The cool-down is over (as if 600 s had passed): the next digest probes the primary, which takes it and
            // closes the breaker.
            execute("UPDATE smtp_breaker SET open_until = now() - interval '1 second' WHERE relay = 'primary'");
            String probe = send("fb-4");
            assertThat(relay(probe)).isEqualTo(primaryName);
            assertThat(on(smtp, probe)).isEqualTo(1);
            assertThat(on(fallback, probe)).isZero();
            assertThat(value("SELECT open_until IS NULL FROM smtp_breaker WHERE relay = 'primary'")).isEqualTo(true);
            assertThat(log.linesContaining("probes it")).hasSize(1);
            assertThat(log.linesContaining("circuit closed")).hasSize(1);

            String after = send("fb-5");
            assertThat(relay(after)).isEqualTo(primaryName);
            assertThat(value("SELECT send_attempts FROM email_notification_log WHERE recipient_email = ?", after)).isEqualTo(1);
        }
    }

    /** A 5xx from the primary is final: not retried on the fallback, and the breaker stays closed. */
    @Test
    void aRefusalIsNotRetriedOnTheOtherServer() throws Exception {
        String schema2 = TestPostgres.newSchema();
        String user = newUser();
        try (FlakySmtp primary = new FlakySmtp(Set.of(), 0, 1)) {
            primary.answerRcpt(user, "550 5.1.1 <" + user + ">: user unknown");
            Map<String, String> p = baseProperties();
            p.putAll(Map.of("ingest-notify.db.schema", schema2, "ingest-notify.smtp.port", String.valueOf(primary.port(0)),
                    "ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()),
                    "ingest-notify.smtp.fallback.server", "127.0.0.1", "ingest-notify.smtp.fallback.port", String.valueOf(fallbackPort),
                    "ingest-notify.smtp.fallback.starttls", "false", "ingest-notify.data.dir", "target/data-" + schema2));
            try (RunningApp other = new RunningApp(p); java.sql.Connection c = TestPostgres.connect(schema2)) {
                stubPreferences(1, 2, user, prefs(1, 1440, "text", true, true, true));
                String body = event(newEventId(), "fb-r", "success", user, 1, 2, "fb-r.pdf");
                java.net.http.HttpResponse<String> r = HTTP.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + p.get("ingest-notify.http.port") + "/api/events"))
                        .header("Authorization", "Bearer " + INTAKE_TOKEN).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(single(c,
                        "SELECT send_status FROM email_notification_log WHERE recipient_email = '" + user + "'")));
                assertThat(single(c, "SELECT smtp_relay FROM email_notification_log WHERE recipient_email = '" + user + "'"))
                        .isEqualTo("primary 127.0.0.1:" + primary.port(0));
                assertThat(single(c, "SELECT (open_until IS NULL)::text FROM smtp_breaker")).isEqualTo("true");
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(1).plusSeconds(30)).until(() -> primary.scriptedAnswers(user) == 1);
                assertThat(on(fallback, user)).isZero();
            }
        } finally {
            TestPostgres.dropSchema(schema2);
        }
    }

    private static String single(java.sql.Connection c, String sql) throws Exception {
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
