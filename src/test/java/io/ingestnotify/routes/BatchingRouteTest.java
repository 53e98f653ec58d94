package io.ingestnotify.routes;

import java.time.Duration;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Route batch-aggregator's two completion reasons, with the completion step (direct:ingest-notify-complete-batch) replaced by a
 * mock: a batch that reaches its size completes at once as "size"; a batch left quiet completes on its timer as
 * "timeout". Intake closes a full batch's row itself; a quiet batch's row stays open until the (mocked) completion.
 */
class BatchingRouteTest extends AppTestSupport {

    private static MockEndpoint completed;

    @BeforeAll
    static void start() throws Exception {
        // No CMS: every batch takes the defaults, 2 files or 1 s (MILLISECONDS unit) of quiet.
        startApp(Map.of("ingest-notify.cms.api.url", "", "ingest-notify.default.batch.size.threshold", "2", "ingest-notify.default.notification.delay.minutes", "1000"));
        AdviceWith.adviceWith(app.context(), "ingest-notify-batch-aggregator",
                a -> a.weaveByToUri("direct:ingest-notify-complete-batch").replace().to("mock:complete-batch"));
        completed = app.context().getEndpoint("mock:complete-batch", MockEndpoint.class);
    }

    @BeforeEach
    void reset() {
        completed.reset();
    }

    private static String batchOf(String user) throws Exception {
        return String.valueOf(value("SELECT batch_id FROM batch_processing_sessions WHERE user_email = ?", user));
    }

    @Test
    void aBatchThatReachesItsSizeCompletesAtOnceBySize() throws Exception {
        String user = newUser();
        assertThat(post("/api/events", Json.array(event(newEventId(), "size-1", "success", user, 1, 2, "s1.pdf"),
                event(newEventId(), "size-2", "success", user, 1, 2, "s2.pdf"))).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(5)).until(() -> completed.getReceivedCounter() == 1);
        Exchange done = completed.getReceivedExchanges().get(0);
        assertThat(done.getMessage().getHeader("completionReason")).isEqualTo("size");
        assertThat(done.getMessage().getHeader("batchId", String.class)).isEqualTo(batchOf(user));
        assertThat(done.getMessage().getHeader(Exchange.AGGREGATED_COMPLETED_BY)).isNotEqualTo("timeout");
        // Intake closed the row when it reached the size; with the completion step mocked, no digest went out.
        assertThat(value("SELECT status FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo("completed");
        assertThat(count("SELECT count(*) FROM email_notification_log WHERE recipient_email = ?", user)).isZero();
        assertThat(mailsTo(user)).isEmpty();
    }

    @Test
    void aQuietBatchCompletesOnItsTimerByTimeout() throws Exception {
        String user = newUser();
        assertThat(post("/api/events", event(newEventId(), "quiet-1", "success", user, 1, 2, "q1.pdf")).statusCode())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> completed.getReceivedCounter() == 1);
        Exchange done = completed.getReceivedExchanges().get(0);
        assertThat(done.getMessage().getHeader("completionReason")).isEqualTo("timeout");
        assertThat(done.getMessage().getHeader("batchId", String.class)).isEqualTo(batchOf(user));
        // Completion mocked: nothing closed the row, and no digest went out.
        assertThat(value("SELECT status FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo("processing");
        assertThat(count("SELECT count(*) FROM email_notification_log WHERE recipient_email = ?", user)).isZero();
    }
}
