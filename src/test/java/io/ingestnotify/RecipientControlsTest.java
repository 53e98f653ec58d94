package io.ingestnotify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingestnotify.notification.RecipientControls;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestClock;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recipient's controls on real PostgreSQL and GreenMail, the bundle's clock injected: quiet hours across midnight
 * and a daylight-saving change (the digest sent by the sweeper when the window ends, with the batch folded into it
 * meanwhile), the daily budget shared by two instances (one digest, all files, never more than the budget), and the
 * operator's suppression list (audited; a suppressed batch is recorded, not mailed). No PUBLIC_BASE_URL here: the
 * digests carry no List-Unsubscribe header.
 */
class RecipientControlsTest extends AppTestSupport {

    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-01-01T12:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        app = new RunningApp(properties(httpPort, "recipient-1"), Map.of("testClock", CLOCK));
    }

    private static Map<String, String> properties(int port, String instance) {
        Map<String, String> p = new HashMap<>(baseProperties());
        p.put("ingest-notify.http.port", String.valueOf(port));
        p.put("ingest-notify.instance.id", instance);
        p.put("ingest-notify.sweeper.interval.ms", "200");
        p.put("ingest-notify.lease.seconds", "3");
        return p;
    }

    /** A preference record with the recipient's controls; batches of two files complete by size. */
    private static String controls(String zone, String quietStart, String quietEnd, Integer maxPerDay) {
        ObjectNode p = (ObjectNode) Json.parse(prefs(2, 1440, "text", true, true, true));
        p.put("timezone", zone);
        p.put("quiet_hours_start", quietStart);
        p.put("quiet_hours_end", quietEnd);
        if (maxPerDay != null) {
            p.put("max_digests_per_day", maxPerDay);
        }
        return Json.write(p);
    }

    private static JsonNode twoFiles(String user, int company, String first, String second) {
        return Json.array(event(newEventId(), first, "success", user, company, 1, first + ".pdf"),
                event(newEventId(), second, "success", user, company, 1, second + ".pdf"));
    }

    private static HttpResponse<String> postTo(int port, String path, JsonNode body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", credentialFor(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String status(String user, String batchFile) throws Exception {
        return (String) value("SELECT l.send_status FROM email_notification_log l JOIN batch_files f ON f.batch_id = l.batch_id "
                + "WHERE l.recipient_email = ? AND f.file_document_id = ?", user, batchFile);
    }

    private static String text(MimeMessage mail) throws Exception {
        return (String) mail.getContent();
    }

    @Test
    void quietHoursAcrossMidnightAndTheSpringForwardGapHoldTheDigestUntilTheWindowEnds() throws Exception {
        String user = newUser();
        // New York, 22:00-02:30: on 2026-03-08 the clocks jump from 02:00 EST to 03:00 EDT (07:00Z), so 02:30 never
        // happens that night and the window ends when the gap does.
        stubPreferences(11, 1, user, controls("America/New_York", "22:00", "02:30", null));
        CLOCK.set(Instant.parse("2026-03-08T04:30:00Z"));   // 23:30 EST, the evening before
        assertThat(post("/api/events", twoFiles(user, 11, "q1", "q2")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> "held".equals(status(user, "q1")));
        assertThat(value("SELECT due_at::text FROM email_notification_log WHERE recipient_email = ?", user))
                .isEqualTo("2026-03-08 07:00:00");
        assertThat(value("SELECT held_reason FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo("quiet_hours");

        // A batch completing inside the window folds into the held digest.
        CLOCK.set(Instant.parse("2026-03-08T06:45:00Z"));   // 01:45 EST
        assertThat(post("/api/events", twoFiles(user, 11, "q3", "q4")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> "folded".equals(status(user, "q3")));
        assertThat(count("SELECT folded_batches FROM email_notification_log WHERE recipient_email = ? AND send_status = 'held'", user))
                .isEqualTo(1);

        // A second before the window ends nothing is due; the sweepers have sent nothing.
        CLOCK.set(Instant.parse("2026-03-08T06:59:59Z"));
        assertThat(app.bean("ingestNotifyRecipientControls", RecipientControls.class).claimDue()).isEmpty();
        assertThat(mailsTo(user)).isEmpty();

        // At the end of the window the sweeper sends one digest with all four files.
        CLOCK.set(Instant.parse("2026-03-08T07:00:00Z"));
        MimeMessage mail = awaitMails(user, 1).get(0);
        assertThat(text(mail)).contains("q1.pdf", "q2.pdf", "q3.pdf", "q4.pdf", "also carries 1 later batch", "Total Files: 4");
        assertThat(mail.getHeader("List-Unsubscribe")).isNull();   // no PUBLIC_BASE_URL
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT count(*) FROM batch_processing_sessions WHERE user_email = ? AND notification_sent", user) == 2);
        assertThat(status(user, "q1")).isEqualTo("sent");
        assertThat(status(user, "q3")).isEqualTo("folded");
        assertThat(mailsTo(user)).hasSize(1);
    }

    @Test
    void aSpentBudgetFoldsLaterBatchesIntoOneDigestSharedByTwoInstances() throws Exception {
        String user = newUser();
        stubPreferences(12, 1, user, controls("", "", "", 1));
        CLOCK.set(Instant.parse("2026-05-01T12:00:00Z"));
        int port2 = AvailablePortFinder.getNextAvailable();
        try (RunningApp second = new RunningApp(properties(port2, "recipient-2"), Map.of("testClock", CLOCK))) {
            assertThat(postTo(httpPort, "/api/events", twoFiles(user, 12, "b1", "b2")).statusCode()).isEqualTo(202);
            awaitMails(user, 1);
            assertThat(second.context().isStarted()).isTrue();

            // The budget (one a day) is spent: the next batch, on the other instance, is held; the one after folds in.
            CLOCK.advance(Duration.ofHours(1));
            assertThat(postTo(port2, "/api/events", twoFiles(user, 12, "b3", "b4")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> "held".equals(status(user, "b3")));
            assertThat(value("SELECT due_at::text FROM email_notification_log WHERE send_status = 'held' AND recipient_email = ?", user))
                    .isEqualTo("2026-05-02 12:00:00");
            assertThat(postTo(httpPort, "/api/events", twoFiles(user, 12, "b5", "b6")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> "folded".equals(status(user, "b5")));
            assertThat(mailsTo(user)).hasSize(1);

            // A day after the first digest the budget allows one more: one digest with both held batches' files.
            CLOCK.set(Instant.parse("2026-05-02T12:00:00Z"));
            List<MimeMessage> mails = awaitMails(user, 2);
            assertThat(text(mails.get(1))).contains("b3.pdf", "b4.pdf", "b5.pdf", "b6.pdf", "also carries 1 later batch")
                    .doesNotContain("b1.pdf");
            await().atMost(Duration.ofSeconds(10)).until(() -> count(
                    "SELECT count(*) FROM batch_processing_sessions WHERE user_email = ? AND notification_sent", user) == 3);
            // Never more than the budget: the two counted digests are a day apart.
            assertThat(count("SELECT count(*) FROM email_notification_log WHERE recipient_email = ? AND counted_at IS NOT NULL", user))
                    .isEqualTo(2);
            assertThat(value("SELECT (max(counted_at) - min(counted_at))::text FROM email_notification_log WHERE recipient_email = ?", user))
                    .isEqualTo("1 day");
            assertThat(mailsTo(user)).hasSize(2);
        }
    }

    @Test
    void theOperatorSuppressesAnAddressAndLiftsItAudited() throws Exception {
        String user = newUser();
        stubPreferences(13, 1, user, controls("", "", "", null));
        CLOCK.set(Instant.parse("2026-06-01T12:00:00Z"));

        // Bad data is refused naming the field; nothing is recorded.
        HttpResponse<String> bad = post("/api/suppressions", Json.object("company_id", 13, "bot_id", 1, "email", user, "reason", "dislike"));
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(Json.parse(bad.body()).path("field").asText()).isEqualTo("reason");
        assertThat(count("SELECT count(*) FROM suppressions WHERE email = ?", user)).isZero();

        HttpResponse<String> added = post("/api/suppressions", Json.object("company_id", 13, "bot_id", 1, "email", user.toUpperCase(),
                "reason", "hard_bounce"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        long id = Json.parse(added.body()).path("id").asLong();
        assertThat(Json.parse(added.body()).path("created").asBoolean()).isTrue();
        // A second add changes nothing (one row; the attempt is audited too).
        assertThat(post("/api/suppressions", Json.object("company_id", 13, "bot_id", 1, "email", user, "reason", "operator"))
                .statusCode()).isEqualTo(201);
        // Both adds are audited (the second answered created: false); the suppression row names the same credential.
        assertThat(rows("SELECT action, credential, status FROM operator_audit WHERE target LIKE ? ORDER BY id", "suppression " + id + " (%"))
                .containsExactly(Map.of("action", "suppression.add", "credential", value("SELECT created_by FROM suppressions WHERE id = ?", (int) id),
                        "status", 201), Map.of("action", "suppression.add", "credential", value("SELECT created_by FROM suppressions WHERE id = ?", (int) id),
                        "status", 201));
        assertThat((String) value("SELECT created_by FROM suppressions WHERE id = ?", (int) id)).startsWith("operator token ");
        HttpResponse<String> list = getHttp("/api/suppressions");
        assertThat(list.body()).contains(user, "hard_bounce");

        // A batch for the address completes as suppressed: recorded, no mail, its failed file's correction still made.
        post("/api/events", Json.array(event(newEventId(), "s1", "success", user, 13, 1, "s1.pdf"),
                event(newEventId(), "s2", "failed", user, 13, 1, "s2.pdf")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "suppressed".equals(status(user, "s1")));
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE file_document_id = 's2'")).isEqualTo(1);

        HttpResponse<String> lifted = post("/api/suppressions/" + id + "/lift", "{}");
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(post("/api/suppressions/" + id + "/lift", "{}").statusCode()).isEqualTo(404);
        assertThat(rows("SELECT action, status FROM operator_audit WHERE target = ? ORDER BY id", "suppression " + id))
                .extracting(r -> r.get("action") + " " + r.get("status")).containsExactly("suppression.lift 200", "suppression.lift 404");
        post("/api/events", twoFiles(user, 13, "s3", "s4"));
        assertThat(text(awaitMails(user, 1).get(0))).contains("s3.pdf").doesNotContain("s1.pdf");
        assertThat(mailsTo(user)).hasSize(1);
    }
}
