package io.ingestnotify.routes;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ToDynamicDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Route run-correction and its clean-up branches, with each system's call (aws2-s3, the CMS's http DELETE) replaced
 * by a mock: the guard cancels a task whose file succeeded since (nothing deleted), a configured system's branch calls
 * it, a system not configured (Chroma here) is recorded as skipped, and a branch whose call keeps failing goes to the
 * dead-letter channel, which fails the task naming the action while the other branches still complete.
 */
class CorrectionRouteTest extends AppTestSupport {

    static MockEndpoint s3;
    static MockEndpoint cmsDelete;

    @BeforeAll
    static void start() throws Exception {
        startApp(correctionProperties());
        adviseCleanups(app.context());
        s3 = app.context().getEndpoint("mock:s3-delete", MockEndpoint.class);
        cmsDelete = app.context().getEndpoint("mock:cms-delete", MockEndpoint.class);
    }

    /**
     * Tasks wait an hour unless a test makes them due; S3 "configured" (its call is the mock), Chroma not; events carry
     * their own metadata (no look-up) and no recipient (no batch, no mail).
     */
    static Map<String, String> correctionProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("ingest-notify.enable.auto.correction", "true");
        p.put("ingest-notify.auto.correction.delay.seconds", "3600");
        p.put("ingest-notify.correction.poll.delay.ms", "100");
        p.put("ingest-notify.correction.branch.redeliveries", "1");
        p.put("ingest-notify.correction.branch.redelivery.delay.ms", "10");
        p.put("ingest-notify.s3.bucket", "route-test-bucket");
        p.put("ingest-notify.chroma.url", "");
        p.put("ingest-notify.metadata.lookup", "false");
        return p;
    }

    /**
     * The S3 and CMS calls (the one toD of route ingest-notify-s3-delete, and of cms-call, the CMS client the CMS branch uses) become
     * mocks; everything around them runs for real.
     */
    static void adviseCleanups(CamelContext context) throws Exception {
        AdviceWith.adviceWith(context, "ingest-notify-s3-delete",
                a -> a.weaveByType(ToDynamicDefinition.class).selectFirst().replace().to("mock:s3-delete"));
        AdviceWith.adviceWith(context, "ingest-notify-cms-call",
                a -> a.weaveByType(ToDynamicDefinition.class).selectFirst().replace().to("mock:cms-delete"));
    }

    @BeforeEach
    void reset() {
        MockEndpoint.resetMocks(app.context());
    }

    static void postFailed(String doc, String category, String storageKey) throws Exception {
        assertThat(post("/api/events", Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed",
                "company_id", 1, "bot_id", 2, "file_name", doc + ".pdf", "storage_key", storageKey,
                "error_category", category, "error_message", "boom")).statusCode()).isEqualTo(202);
    }

    static void makeDue(String doc) throws Exception {
        execute("UPDATE auto_correction_tasks SET next_attempt_at = now() WHERE file_document_id = ?", doc);
    }

    static Map<String, Object> awaitEnd(String doc) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Object status = value("SELECT status FROM auto_correction_tasks WHERE file_document_id = ?", doc);
            return status != null && !"pending".equals(status) && !"processing".equals(status);
        });
        try {
            return rows("SELECT status, execution_log::text AS log, error_during_correction FROM auto_correction_tasks "
                    + "WHERE file_document_id = ?", doc).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void guardCancelsATaskWhoseFileSucceededSinceAndDeletesNothing() throws Exception {
        postFailed("guard-1", "processing_error", "k/guard-1.pdf");
        assertThat(post("/api/events", event(newEventId(), "guard-1", "success", null, 1, 2, "guard-1.pdf")).statusCode())
                .isEqualTo(202);
        makeDue("guard-1");

        Map<String, Object> task = awaitEnd("guard-1");
        assertThat(task.get("status")).isEqualTo("cancelled");
        assertThat(task.get("log").toString()).contains("the file succeeded after it failed; nothing deleted");
        assertThat(s3.getReceivedCounter()).isZero();
        assertThat(cmsDelete.getReceivedCounter()).isZero();
    }

    @Test
    void configuredSystemsAreCalledAndOneNotConfiguredIsSkipped() throws Exception {
        postFailed("run-1", "processing_error", "k/run-1.pdf");
        makeDue("run-1");

        Map<String, Object> task = awaitEnd("run-1");
        // S3 and CMS done, Chroma skipped: partial (completed needs every action done).
        assertThat(task.get("status")).isEqualTo("partial");
        assertThat(s3.getReceivedCounter()).isEqualTo(1);
        assertThat(s3.getReceivedExchanges().get(0).getMessage().getHeader(AWS2S3Constants.KEY)).isEqualTo("k/run-1.pdf");
        assertThat(cmsDelete.getReceivedCounter()).isEqualTo(1);
        Exchange delete = cmsDelete.getReceivedExchanges().get(0);
        assertThat(delete.getMessage().getHeader(Exchange.HTTP_METHOD, String.class)).isEqualTo("DELETE");
        assertThat(delete.getMessage().getHeader(Exchange.HTTP_PATH)).isEqualTo("/api/files/run-1");
        assertThat(delete.getMessage().getHeader("Authorization")).isEqualTo("Bearer " + CMS_TOKEN);
        // Chroma has no CHROMA_URL: skipped and recorded.
        assertThat(task.get("log").toString()).contains("Chroma not configured (CHROMA_URL)");
    }

    @Test
    void aBranchThatKeepsFailingGoesToTheDeadLetterAndFailsTheTask() throws Exception {
        cmsDelete.whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("CMS answered 500");
        });
        postFailed("dead-1", "s3_error", "k/dead-1.pdf");
        makeDue("dead-1");

        Map<String, Object> task = awaitEnd("dead-1");
        assertThat(task.get("status")).isEqualTo("failed");
        assertThat(String.valueOf(task.get("error_during_correction"))).contains("CMS answered 500");
        // One call and one redelivery (CORRECTION_BRANCH_REDELIVERIES=1); the S3 branch ran once and is done.
        assertThat(cmsDelete.getReceivedCounter()).isEqualTo(2);
        assertThat(s3.getReceivedCounter()).isEqualTo(1);
        assertThat(value("SELECT s3_cleanup_completed FROM auto_correction_tasks WHERE file_document_id = 'dead-1'")).isEqualTo(true);
    }
}
