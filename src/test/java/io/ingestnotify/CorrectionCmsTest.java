package io.ingestnotify;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.Fault;
import io.ingestnotify.correction.CorrectionActions;
import io.ingestnotify.embedded.EmbeddedS3;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.RunningApp;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Auto-correction with a WireMock CMS answering as Strapi 5 does (204 to every DELETE), for what a real one cannot
 * show (500, reset, slow answers) and the task's life: outages then recovery, the success guard, the timeline.
 * S3 and Chroma are not configured here (their actions are skipped). StrapiCmsTest runs the clean-up against a real
 * Strapi 5.
 */
class CorrectionCmsTest extends AppTestSupport {

    /** A started S3Proxy with the pipeline's bucket. */
    static EmbeddedS3 startS3(String bucket) {
        EmbeddedS3 s3 = new EmbeddedS3(null, 0);
        s3.start();
        s3.createBucket(bucket);
        return s3;
    }

    /** The correction settings with the S3 clean-up pointed at a bucket behind an S3-compatible endpoint. */
    static Map<String, String> correctionProperties(String bucket, String s3Endpoint) {
        Map<String, String> p = new HashMap<>(correctionProperties());
        p.put("ingest-notify.s3.bucket", bucket);
        p.put("ingest-notify.s3.endpoint", s3Endpoint);
        p.put("ingest-notify.s3.access-key", EmbeddedS3.IDENTITY);
        p.put("ingest-notify.s3.secret-key", EmbeddedS3.CREDENTIAL);
        return p;
    }

    static Map<String, String> correctionProperties() {
        return Map.of("ingest-notify.auto.correction.delay.seconds", "1", "ingest-notify.correction.poll.delay.ms", "100",
                "ingest-notify.correction.branch.redeliveries", "1", "ingest-notify.correction.branch.redelivery.delay.ms", "100",
                "ingest-notify.correction.retry.base.seconds", "1", "ingest-notify.correction.redrive.interval.ms", "300", "ingest-notify.max.correction.attempts", "3",
                "ingest-notify.cms.timeout.ms", "700");
    }

    @BeforeAll
    static void start() throws Exception {
        startApp(correctionProperties());
    }

    static String failed(String doc, String category, String storageKey) {
        return Json.write(Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed", "company_id", 1,
                "bot_id", 2, "user_email", newUser(), "file_name", doc + ".pdf", "error_category", category,
                "storage_key", storageKey, "error_message", "boom " + doc));
    }

    static Map<String, Object> task(String doc) throws Exception {
        return rows("SELECT * FROM auto_correction_tasks WHERE file_document_id = ?", doc).get(0);
    }

    static void awaitStatus(String doc, String status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(value("SELECT status FROM auto_correction_tasks WHERE file_document_id = ?", doc)));
    }

    /** A DELETE answered as Strapi 5's content-type API does: 204, whether the record existed or not. */
    static void stubCmsDelete(String doc, int status) {
        cms.stubFor(delete(urlEqualTo("/api/files/" + doc)).willReturn(aResponse().withStatus(status)));
    }

    @Test
    void eachCategoryGetsItsActionsAndTheStorageKeyIsCaptured() throws Exception {
        assertThat(CorrectionActions.actionsFor("file_not_found")).containsExactly("cms_delete");
        assertThat(CorrectionActions.actionsFor("s3_error")).containsExactly("s3_delete", "cms_delete");
        assertThat(CorrectionActions.actionsFor("processing_error")).containsExactly("s3_delete", "cms_delete", "chroma_delete");
        assertThat(CorrectionActions.actionsFor("storage_error")).containsExactly("chroma_delete");
        assertThat(CorrectionActions.actionsFor("gremlins")).containsExactly("s3_delete", "cms_delete", "chroma_delete");

        post("/api/events", Json.array(failed("cat-s3", "s3_error", "k/cat-s3.pdf"), failed("cat-st", "storage_error", null)));
        assertThat(value("SELECT correction_actions::text FROM auto_correction_tasks WHERE file_document_id = 'cat-s3'"))
                .isEqualTo("[\"s3_delete\", \"cms_delete\"]");
        assertThat(value("SELECT storage_key FROM auto_correction_tasks WHERE file_document_id = 'cat-s3'")).isEqualTo("k/cat-s3.pdf");
        assertThat(value("SELECT correction_actions::text FROM auto_correction_tasks WHERE file_document_id = 'cat-st'"))
                .isEqualTo("[\"chroma_delete\"]");
        assertThat(value("SELECT auto_correction_triggered FROM processing_errors WHERE file_document_id = 'cat-s3'")).isEqualTo(true);
        // Successes never get a task.
        post("/api/events", event(newEventId(), "cat-ok", "success", newUser(), 1, 2, "ok.pdf"));
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE file_document_id = 'cat-ok'")).isZero();
    }

    @Test
    void cmsDeleteWithBearerTokenCompletesTheTask() throws Exception {
        stubCmsDelete("gone-1", 204);
        post("/api/events", failed("gone-1", "file_not_found", null));
        awaitStatus("gone-1", "completed");
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/gone-1")).withHeader("Authorization", equalTo("Bearer " + CMS_TOKEN)));
        Map<String, Object> t = task("gone-1");
        assertThat(t.get("cms_cleanup_completed")).isEqualTo(true);
        assertThat(t.get("completed_at")).isNotNull();
    }

    @Test
    void unconfiguredSystemsAreSkippedNeverSilentlyDone() throws Exception {
        stubCmsDelete("partial-1", 204);
        post("/api/events", failed("partial-1", "processing_error", "k/p1.pdf"));
        awaitStatus("partial-1", "partial");
        Map<String, Object> t = task("partial-1");
        assertThat(t.get("cms_cleanup_completed")).isEqualTo(true);
        assertThat(t.get("s3_cleanup_completed")).isEqualTo(false);
        assertThat(t.get("chroma_cleanup_completed")).isEqualTo(false);
        assertThat(t.get("execution_log").toString()).contains("\"step\": \"skipped\"", "S3 not configured", "Chroma not configured");
    }

    @Test
    void cmsOutageFailsTheTaskThenTheRedriveCompletesItWithoutRepeatingDoneWork() throws Exception {
        for (Object[] fault : new Object[][] {{"down-500", 500}, {"down-reset", -1}, {"down-slow", -2}}) {
            String doc = (String) fault[0];
            int kind = (Integer) fault[1];
            var response = kind == 500 ? aResponse().withStatus(500).withBody(Json.write(Json.object("error", Json.object("status", 500))))
                    : kind == -1 ? aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)
                    : aResponse().withStatus(204).withFixedDelay(3000);
            cms.stubFor(delete(urlEqualTo("/api/files/" + doc)).willReturn(response));
            post("/api/events", failed(doc, "file_not_found", null));
            await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(value(
                    "SELECT status FROM auto_correction_tasks WHERE file_document_id = ?", doc)));
            Map<String, Object> t = task(doc);
            assertThat(t.get("failed_action")).isEqualTo("cms_delete");
            assertThat((String) t.get("error_during_correction")).isNotBlank();
            assertThat(count("SELECT count(*) FROM processing_errors WHERE file_document_id = ? AND error_category = 'correction_error'", doc))
                    .isPositive();

            stubCmsDelete(doc, 204);
            awaitStatus(doc, "completed");
            assertThat(((Number) task(doc).get("attempts")).intValue()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void fileThatSucceededSinceIsCancelledAndNothingDeleted() throws Exception {
        stubCmsDelete("revived", 204);
        String user = newUser();
        // The poller waits until the success is in, however slow the machine: then the guard must cancel the task.
        app.context().getRouteController().stopRoute("ingest-notify-correction-poller");
        try {
            post("/api/events", failed("revived", "file_not_found", null));
            post("/api/events", event(newEventId(), "revived", "success", user, 1, 2, "revived.pdf"));
        } finally {
            app.context().getRouteController().startRoute("ingest-notify-correction-poller");
        }
        awaitStatus("revived", "cancelled");
        cms.verify(0, deleteRequestedFor(urlEqualTo("/api/files/revived")));
        assertThat(task("revived").get("execution_log").toString()).contains("succeeded after it failed");
    }

    @Test
    void timelineIsReadableOverHttpAndAFailedTaskCanBeRetried() throws Exception {
        cms.stubFor(delete(urlEqualTo("/api/files/stuck")).willReturn(aResponse().withStatus(503)));
        post("/api/events", failed("stuck", "file_not_found", null));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> t = task("stuck");
            return "failed".equals(t.get("status")) && ((Number) t.get("attempts")).intValue() == 3;
        });
        int id = ((Number) task("stuck").get("id")).intValue();
        // Exhausted: the re-drive leaves it alone.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(1).plusSeconds(30)).until(() -> "failed".equals(task("stuck").get("status")));

        String view = getHttp("/api/corrections/" + id).body();
        assertThat(view).contains("\"status\":\"failed\"", "\"failed_action\":\"cms_delete\"", "\"step\":\"created\"",
                "\"step\":\"redrive\"", "\"step\":\"attempt_end\"");
        assertThat(getHttp("/api/corrections/999999").statusCode()).isEqualTo(404);

        stubCmsDelete("stuck", 204);
        assertThat(post("/api/corrections/" + id + "/retry", "").statusCode()).isEqualTo(202);
        awaitStatus("stuck", "completed");
        assertThat(getHttp("/api/corrections/" + id).body()).contains("\"step\":\"manual_retry\"", "\"status\":\"completed\"");
        assertThat(post("/api/corrections/" + id + "/retry", "").statusCode()).isEqualTo(409);
    }

    @Test
    void twoPollersNeverRunOneTaskTwice() throws Exception {
        cms.stubFor(delete(urlPathMatching("/api/files/pair-.*")).willReturn(aResponse().withStatus(204).withFixedDelay(20)));
        Map<String, String> p = baseProperties();
        p.putAll(correctionProperties());
        p.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        try (RunningApp second = new RunningApp(p)) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 40; i++) {
                body.append(i == 0 ? "" : ",").append(failed("pair-" + i, "file_not_found", null));
            }
            post("/api/events", body.append("]").toString());
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    count("SELECT count(*) FROM auto_correction_tasks WHERE file_document_id LIKE 'pair-%' AND status = 'completed'") == 40);
        }
        for (int i = 0; i < 40; i++) {
            cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/pair-" + i)));
        }
        List<Map<String, Object>> attempts = rows("SELECT attempts FROM auto_correction_tasks WHERE file_document_id LIKE 'pair-%'");
        assertThat(attempts).allSatisfy(r -> assertThat(((Number) r.get("attempts")).intValue()).isEqualTo(1));
    }
}
