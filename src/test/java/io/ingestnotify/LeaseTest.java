package io.ingestnotify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.FlakySmtp;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import io.ingestnotify.support.RunningApp;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Leases on scheduled work: kept alive while the work runs, returned to the others when their instance is gone. */
class LeaseTest extends AppTestSupport {

    /**
     * The reported case: two instances, a digest refused 5 times with back-off delays (up to 8 s) far longer than the
     * lease (3 s) and both sweepers every 300 ms. The sending instance's heartbeat keeps the lease, so no sweeper
     * takes the digest: the server accepts it once, at the 6th attempt.
     */
    @Test
    void aDigestWaitingOutItsBackOffKeepsItsLease() throws Exception {
        String user = newUser();
        try (FlakySmtp flaky = new FlakySmtp(Set.of(user), 5, 1)) {
            Map<String, String> p = new HashMap<>(Map.of("ingest-notify.lease.seconds", "3", "ingest-notify.sweeper.interval.ms", "300",
                    "ingest-notify.smtp.port", String.valueOf(flaky.port(0)), "ingest-notify.notification.retry.delay.ms", "500",
                    "ingest-notify.notification.retry.multiplier", "2", "ingest-notify.notification.max.attempts", "7", "ingest-notify.instance.id", "lease-a"));
            startApp(p);
            Map<String, String> second = baseProperties();
            second.putAll(p);
            second.put("ingest-notify.instance.id", "lease-b");
            second.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
            try (RunningApp other = new RunningApp(second); LogCapture log = LogCapture.attach()) {
                stubPreferences(1, 2, user, prefs(1, 1440, "text", true, true, true));
                assertThat(post("/api/events", event(newEventId(), "lease-d1", "success", user, 1, 2, "d1.pdf")).statusCode())
                        .isEqualTo(202);
                // While it waits out its back-off, the ops page and the metrics show who holds it.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "retrying".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
                String owner = (String) value("SELECT lease_owner FROM email_notification_log WHERE recipient_email = ?", user);
                JsonNode summary = Json.parse(getHttp("/api/ops/summary").body());
                assertThat(summary.get("instance").asText()).isEqualTo("lease-a");
                assertThat(summary.get("leases").toString()).contains("\"owner\":\"" + owner + "\"", "\"kind\":\"digest\"");
                String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ("lease-a".equals(owner) ? httpPort : Integer.parseInt(second.get("ingest-notify.http.port"))) + "/observe/metrics"))
                        .header("Authorization", "Bearer " + OPS_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern("ingest_leases_held\\{instance=\"" + owner + "\",kind=\"digest\"[^}]*} 1");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "sent".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
                // Nothing more arrives: no sweeper re-sends it later.
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30))
                        .until(() -> flaky.acceptedByBatch().values().stream().mapToInt(Integer::intValue).sum() == 1);
                assertThat(flaky.refused()).isEqualTo(5);
                assertThat(flaky.acceptedByBatch().values()).containsExactly(1);
                // One instance sent all six attempts (whichever claimed the digest first): no lease was taken over.
                assertThat(value("SELECT send_attempts FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo(6);
                assertThat(log.linesContaining("re-driven (send)")).isEmpty();
                assertThat(log.linesContaining("digest attempt").stream().map(l -> l.substring(l.lastIndexOf("(instance"))).distinct())
                        .hasSize(1);
            } finally {
                app.close();
                app = null;
            }
        }
    }

    /** A correction task held by an instance that died goes back to work when its lease runs out, and runs once. */
    @Test
    void aDeadInstancesCorrectionReturnsAfterItsLease() throws Exception {
        Map<String, String> p = new HashMap<>(CorrectionCmsTest.correctionProperties());
        p.put("ingest-notify.lease.seconds", "3");
        p.put("ingest-notify.auto.correction.delay.seconds", "3600");
        p.put("ingest-notify.instance.id", "lease-live");
        startApp(p);
        try {
            cms.stubFor(delete(urlEqualTo("/api/files/lease-c1")).willReturn(aResponse().withStatus(204)));
            assertThat(post("/api/events", CorrectionCmsTest.failed("lease-c1", "processing_error", null)).statusCode()).isEqualTo(202);
            // As the dead instance left it: claimed, processing, its lease running out in a second.
            execute("UPDATE auto_correction_tasks SET status = 'processing', attempts = 1, lease_owner = 'lease-dead', "
                    + "started_at = now(), next_attempt_at = now() + interval '1 second' WHERE file_document_id = 'lease-c1'");
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Set.of("completed", "partial").contains(
                            value("SELECT status FROM auto_correction_tasks WHERE file_document_id = 'lease-c1'")));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
            Map<String, Object> task = rows("SELECT lease_owner, attempts, execution_log::text AS log FROM auto_correction_tasks "
                    + "WHERE file_document_id = 'lease-c1'").get(0);
            assertThat(task).containsEntry("lease_owner", "lease-live").containsEntry("attempts", 2);
            assertThat((String) task.get("log")).contains("lease of lease-dead expired", "by lease-live");
            cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/lease-c1")));
        } finally {
            app.close();
            app = null;
        }
    }
}
