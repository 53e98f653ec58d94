package io.ingestnotify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.CountingS3;
import io.ingestnotify.support.FlakySmtp;
import io.ingestnotify.support.LogCapture;
import io.ingestnotify.support.TcpProxy;
import io.ingestnotify.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fenced leases, against a real PostgreSQL and real SMTP and S3 servers: a holder whose lease was taken over (here by
 * SQL that does what another instance's takeover does: a new owner, the fence one higher) sends nothing, deletes
 * nothing and records nothing further, and says so in one line; an instance cut from PostgreSQL for longer than its
 * lease takes no new work until it has renewed.
 */
class FencingTest extends AppTestSupport {

    static final String BUCKET = "fenced-files";

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    /**
     * A digest waiting out its back-off after a refused attempt is taken over: the next attempt, which the server
     * would accept, is never made (the check before the hand-over refuses it), the taken-over row is left as the new
     * holder wrote it, and no retry log row is added.
     */
    @Test
    void aStaleDigestHolderDoesNotSendAndRecordsNothing() throws Exception {
        String user = newUser();
        try (FlakySmtp flaky = new FlakySmtp(Set.of(user), 1, 1); LogCapture log = LogCapture.attach()) {
            startApp(Map.of("ingest-notify.lease.seconds", "3", "ingest-notify.smtp.port", String.valueOf(flaky.port(0)),
                    "ingest-notify.notification.retry.delay.ms", "2500", "ingest-notify.notification.retry.multiplier", "1",
                    "ingest-notify.notification.max.attempts", "5", "ingest-notify.instance.id", "fence-a"));
            stubPreferences(1, 2, user, prefs(1, 1440, "text", true, true, true));
            assertThat(post("/api/events", event(newEventId(), "fence-d1", "success", user, 1, 2, "d1.pdf")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "retrying".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
            // Another instance takes the digest over (what claim-stalled-digests does after an expiry).
            Map<String, Object> stolen = rows("UPDATE email_notification_log SET lease_owner = 'fence-thief', lease_fence = lease_fence + 1, "
                    + "lease_expires_at = now() + interval '1 hour' WHERE recipient_email = ? "
                    + "RETURNING batch_id::text AS batch, lease_fence, send_attempts", user).get(0);
            String batch = (String) stolen.get("batch");
            long fence = ((Number) stolen.get("lease_fence")).longValue();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !log.linesContaining("lease on digest " + batch).isEmpty());
            // Nothing reaches the server from the stale holder: the retry it would have made (and the server accepted) never comes.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(4).plusSeconds(30)).until(() -> flaky.acceptedByBatch().isEmpty());
            assertThat(flaky.refused()).isEqualTo(1);
            Map<String, Object> row = rows("SELECT lease_owner, lease_fence, send_status, send_attempts FROM email_notification_log "
                    + "WHERE batch_id = ?::uuid", batch).get(0);
            assertThat(row).containsEntry("lease_owner", "fence-thief").containsEntry("send_status", "retrying")
                    .containsEntry("send_attempts", stolen.get("send_attempts"));
            assertThat(((Number) row.get("lease_fence")).longValue()).isEqualTo(fence);
            assertThat(count("SELECT count(*) FROM notification_retry_log WHERE batch_id = ?::uuid", batch))
                    .isEqualTo(((Number) stolen.get("send_attempts")).longValue());
            assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE batch_id = ?::uuid AND notification_sent", batch)).isZero();
            // One line, naming the batch and the fence it held (one lower than the thief's).
            List<String> lines = log.linesContaining("lease on digest " + batch);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("(fence " + (fence - 1) + ")", "fence-a");
            assertThat(log.anyStackTrace()).isFalse();
        }
    }

    /**
     * A correction task whose S3 delete is waiting out its redelivery (S3 cut off) is taken over: when S3 is back the
     * stale holder's redelivery checks its lease first and stops; the object is still there, the server served no
     * delete, and nothing more is recorded on the task.
     */
    @Test
    void aStaleCorrectionHolderDoesNotDeleteAndRecordsNothing() throws Exception {
        try (CountingS3 s3 = new CountingS3(BUCKET); TcpProxy s3Proxy = new TcpProxy("127.0.0.1", port(s3.endpoint()));
             LogCapture log = LogCapture.attach()) {
            s3.put(BUCKET, "uploads/fence-c1.pdf");
            Map<String, String> p = new HashMap<>(CorrectionCmsTest.correctionProperties(BUCKET, "http://127.0.0.1:" + s3Proxy.port()));
            p.put("ingest-notify.lease.seconds", "3");
            p.put("ingest-notify.s3.timeout.ms", "1000");
            p.put("ingest-notify.correction.branch.redeliveries", "5");
            p.put("ingest-notify.correction.branch.redelivery.delay.ms", "2000");
            p.put("ingest-notify.instance.id", "fence-c");
            startApp(p);
            cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
            s3Proxy.stall();
            assertThat(post("/api/events", CorrectionCmsTest.failed("fence-c1", "s3_error", "uploads/fence-c1.pdf")).statusCode())
                    .isEqualTo(202);
            // Running: the S3 branch checked its lease and its call hangs (S3 does not answer).
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> s3Proxy.accepted() >= 1);
            Map<String, Object> stolen = rows("UPDATE auto_correction_tasks SET lease_owner = 'fence-thief', lease_fence = lease_fence + 1, "
                    + "next_attempt_at = now() + interval '1 hour' WHERE file_document_id = 'fence-c1' AND status = 'processing' "
                    + "RETURNING id, lease_fence, attempts, execution_log::text AS log").get(0);
            int id = (Integer) stolen.get("id");
            long fence = ((Number) stolen.get("lease_fence")).longValue();
            // That call times out (S3_TIMEOUT_MS); the branch's redelivery checks the lease again and stops.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !log.linesContaining("lease on correction " + id + " ").isEmpty());
            int calls = s3Proxy.accepted();
            // S3 answers again: the stale holder makes no further call (its redeliveries would), nothing is deleted.
            s3Proxy.unstall();
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(8).plusSeconds(30))
                    .until(() -> s3Proxy.accepted() == calls && s3.exists(BUCKET, "uploads/fence-c1.pdf") && s3.deletes().isEmpty());
            Map<String, Object> row = rows("SELECT status, lease_owner, lease_fence, attempts, s3_cleanup_completed, "
                    + "execution_log::text AS log FROM auto_correction_tasks WHERE id = ?", id).get(0);
            assertThat(row).containsEntry("status", "processing").containsEntry("lease_owner", "fence-thief")
                    .containsEntry("attempts", stolen.get("attempts")).containsEntry("s3_cleanup_completed", false)
                    .containsEntry("log", stolen.get("log"));
            assertThat(((Number) row.get("lease_fence")).longValue()).isEqualTo(fence);
            assertThat(count("SELECT count(*) FROM processing_errors WHERE file_document_id = 'fence-c1' "
                    + "AND error_category = 'correction_error'")).isZero();
            List<String> lines = log.linesContaining("lease on correction " + id + " ");
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("(fence " + (fence - 1) + ")", "the delete");
        }
    }

    /**
     * PostgreSQL cut off (a TCP proxy) for longer than the lease: the instance closes its claim gate (one line), and
     * when the database is back it claims nothing until its heartbeat has renewed (one line), then works as before.
     */
    @Test
    void anInstanceCutOffPastItsLeaseClaimsNothingUntilItRenews() throws Exception {
        try (TcpProxy db = new TcpProxy("127.0.0.1", TestPostgres.port()); LogCapture log = LogCapture.attach()) {
            Map<String, String> p = new HashMap<>(CorrectionCmsTest.correctionProperties());
            p.put("ingest-notify.db.url", "jdbc:postgresql://127.0.0.1:" + db.port() + "/" + TestPostgres.database());
            p.put("ingest-notify.lease.seconds", "3");
            p.put("ingest-notify.auto.correction.delay.seconds", "3600");
            p.put("ingest-notify.instance.id", "fence-gate");
            startApp(p);
            cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
            assertThat(post("/api/events", CorrectionCmsTest.failed("fence-g1", "file_not_found", null)).statusCode()).isEqualTo(202);
            int id = ((Number) value("SELECT id FROM auto_correction_tasks WHERE file_document_id = 'fence-g1'")).intValue();
            db.cut();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !log.linesContaining("taking no new work").isEmpty());
            // While it is cut off, the task falls due (written directly, as another instance's intake would).
            execute("UPDATE auto_correction_tasks SET next_attempt_at = now() WHERE id = ?", id);
            db.restore();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "completed".equals(value("SELECT status FROM auto_correction_tasks WHERE id = ?", id)));
            List<String> order = new ArrayList<>();
            for (String line : log.linesContaining("")) {
                if (line.contains("taking no new work") || line.contains("taking new work again")) {
                    order.add("gate: " + (line.contains("again") ? "open" : "closed"));
                } else if (line.contains("Correction task " + id)) {
                    order.add("task");
                }
            }
            // Closed once before any of the task's lines, opened once. A poll that began before the gate closed may
            // claim once PostgreSQL answers again, before the next poll writes the gate's line: Leases.holdAll drops
            // such a claim unless the leases were renewed by then, so the order of "open" and the task is not fixed.
            assertThat(order.get(0)).isEqualTo("gate: closed");
            assertThat(order.stream().filter(o -> o.startsWith("gate")).toList()).containsExactly("gate: closed", "gate: open");
            assertThat(order).contains("task");
        }
    }

    /**
     * The window fencing leaves open: from the last lease check before the hand-over to the SMTP server's acceptance
     * (metric ingest_smtp_handoff_window_seconds, one sample per digest). Printed for the README; no timing asserted.
     */
    @Test
    void theWindowLeftOpenIsMeasuredPerDigest() throws Exception {
        startApp(Map.of("ingest-notify.default.batch.size.threshold", "1", "ingest-notify.instance.id", "fence-w"));
        int digests = 200;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < digests; i++) {
            users.add(newUser());
        }
        for (int i = 0; i < digests; i += 20) {
            List<String> events = new ArrayList<>();
            for (String user : users.subList(i, i + 20)) {
                events.add(event(newEventId(), "w-" + user, "success", user, 1, 2, "w.pdf"));
            }
            assertThat(post("/api/events", "[" + String.join(",", events) + "]").statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM email_notification_log WHERE send_status = 'sent' AND recipient_email = ANY(?)",
                        (Object) users.toArray(new String[0])) == digests);
        String metrics = getHttp("/observe/metrics").body();
        List<String> window = metrics.lines().filter(l -> l.startsWith("ingest_smtp_handoff_window_seconds")).toList();
        System.out.println("SMTP hand-over window over " + digests + " digests: " + window);
        assertThat(window).anyMatch(l -> l.matches("ingest_smtp_handoff_window_seconds_count " + digests + "(\\.0)?"));
        assertThat(window).anyMatch(l -> l.contains("quantile=\"0.5\"")).anyMatch(l -> l.contains("quantile=\"0.99\""));
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
