package io.ingestnotify.routes;

import java.time.Duration;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Route notify-batch's branches, with the send (direct:ingest-notify-send-digest, SMTP) replaced by a mock: a snapshot with
 * notifications off is logged as skipped and never sent; an enabled one is rendered, claimed once in
 * email_notification_log and handed to the send; the same batch again is not claimed twice.
 */
class NotificationRouteTest extends AppTestSupport {

    private static MockEndpoint send;

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
        AdviceWith.adviceWith(app.context(), "ingest-notify-notify-batch",
                a -> a.weaveByToUri("direct:ingest-notify-send-digest").replace().to("mock:send-digest"));
        send = app.context().getEndpoint("mock:send-digest", MockEndpoint.class);
    }

    @BeforeEach
    void reset() {
        send.reset();
    }

    /** One file for the user, in a batch of one, so it completes (by size) at once. */
    private static String completedBatch(String user, boolean notificationsOn) throws Exception {
        stubPreferences(1, 2, user, prefs(1, 1440, "html", notificationsOn, true, true));
        assertThat(post("/api/events", event(newEventId(), "n-" + user, "success", user, 1, 2, "n.pdf")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "completed".equals(value("SELECT status FROM batch_processing_sessions WHERE user_email = ?", user)));
        return String.valueOf(value("SELECT batch_id FROM batch_processing_sessions WHERE user_email = ?", user));
    }

    @Test
    void notificationsOffIsLoggedAsSkippedAndNeverSent() throws Exception {
        String user = newUser();
        String batchId = completedBatch(user, false);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "skipped".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
        assertThat(send.getReceivedCounter()).isZero();
        assertThat(mailsTo(user)).isEmpty();
        assertThat(value("SELECT batch_id::text FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo(batchId);
    }

    @Test
    void anEnabledDigestIsRenderedClaimedOnceAndHandedToTheSend() throws Exception {
        String user = newUser();
        String batchId = completedBatch(user, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> send.getReceivedCounter() == 1);
        Exchange handed = send.getReceivedExchanges().get(0);
        assertThat(handed.getMessage().getHeader("batchId", String.class)).isEqualTo(batchId);
        assertThat(handed.getVariable("emailText", String.class)).contains("n.pdf");
        assertThat(handed.getVariable("emailHtml", String.class)).contains("n.pdf");
        // Claimed (pending), never sent: the send is the mock.
        assertThat(value("SELECT send_status FROM email_notification_log WHERE batch_id = ?::uuid", batchId)).isEqualTo("pending");
        assertThat(mailsTo(user)).isEmpty();

        // The same batch again (a redelivery, a second instance): the claim refuses it, nothing is handed on.
        app.context().createProducerTemplate().sendBodyAndHeader("direct:ingest-notify-notify-batch", null, "batchId", batchId);
        assertThat(send.getReceivedCounter()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM email_notification_log WHERE batch_id = ?::uuid", batchId)).isEqualTo(1);
    }
}
