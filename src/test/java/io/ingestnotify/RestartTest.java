package io.ingestnotify;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.RunningApp;
import org.apache.camel.spi.AggregationRepository;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Restarts and several instances: open batches resume, no event is lost, no digest goes out twice. */
class RestartTest extends AppTestSupport {

    @Test
    void openBatchCompletesOnceAfterRestart() throws Exception {
        // Delays in seconds (24 min here): the batch stays open however slow the restart; its third file completes it.
        Map<String, String> p = Map.of("ingest-notify.sweeper.interval.ms", "300", "ingest-notify.notification.delay.unit", "SECONDS");
        startApp(p);
        String user = newUser();
        stubPreferences(1, 2, user, prefs(3, 1440, "html", true, true, true));
        post("/api/events", Json.array(event(newEventId(), "r1", "success", user, 1, 2, "r1.pdf"),
                event(newEventId(), "r2", "failed", user, 1, 2, "r2.pdf")));
        app.close();
        assertThat(value("SELECT status FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo("processing");

        startApp(p);
        post("/api/events", event(newEventId(), "r3", "success", user, 1, 2, "r3.pdf"));

        assertThat(BatchingTest.html(awaitMails(user, 1).get(0))).contains("r1.pdf", "r2.pdf", "r3.pdf");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(3).plusSeconds(30)).until(() -> mailsTo(user).size() == 1);
        assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo(1);
        app.close();
        app = null;
    }

    @Test
    void openBatchTimersAreReArmedFromTheBatchTableWithoutTheSweeper() throws Exception {
        // The sweeper runs once at start, then not within the test's time: the batch (15 s delay) is not due then, so
        // only the aggregator's timer, re-armed from the batch table, can complete it.
        Map<String, String> p = Map.of("ingest-notify.sweeper.interval.ms", "3600000", "ingest-notify.notification.delay.unit", "SECONDS");
        startApp(p);
        String user = newUser();
        stubPreferences(1, 2, user, prefs(10, 15, "html", true, true, true));
        post("/api/events", event(newEventId(), "t1", "success", user, 1, 2, "t1.pdf"));
        app.close();
        assertThat(value("SELECT status FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo("processing");

        startApp(p);
        assertThat(app.bean("ingestNotifyAggregationRepository", AggregationRepository.class).getKeys())
                .contains(value("SELECT batch_id FROM batch_processing_sessions WHERE user_email = ?", user).toString());
        await().atMost(Duration.ofSeconds(40)).until(() -> mailsTo(user).size() == 1);
        assertThat(BatchingTest.html(mailsTo(user).get(0))).contains("t1.pdf");
        assertThat(value("SELECT completion_reason FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo("timeout");
        app.close();
        app = null;
    }

    @Test
    void twoInstancesPollingOneOutboxFileEachEventOnce() throws Exception {
        // Delays in seconds: batches complete by size only, however slowly the two instances poll.
        Map<String, String> p = new HashMap<>(Map.of("ingest-notify.outbox.poll.limit", "25", "ingest-notify.sweeper.interval.ms", "500",
                "ingest-notify.aggregation.repository", "memory", "ingest-notify.notification.delay.unit", "SECONDS"));
        startApp(p);
        p.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        Map<String, String> second = baseProperties();
        second.putAll(p);
        try (RunningApp other = new RunningApp(second)) {
            String[] users = {newUser(), newUser(), newUser(), newUser()};
            for (String u : users) {
                stubPreferences(71, 72, u, prefs(25, 1440, "text", true, true, true));
            }
            StringBuilder insert = new StringBuilder("INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name) VALUES ");
            for (int i = 0; i < 400; i++) {
                insert.append(i == 0 ? "" : ",").append("('multi-").append(i).append("','mdoc-").append(i).append("','success','")
                        .append(users[i % users.length]).append("',71,72,'m").append(i).append(".pdf')");
            }
            execute(insert.toString());

            await().atMost(Duration.ofSeconds(30)).until(() ->
                    count("SELECT count(*) FROM file_events WHERE event_id LIKE 'multi-%' AND processed_at IS NOT NULL") == 400);
            assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id LIKE 'mdoc-%'")).isEqualTo(400);
            assertThat(count("SELECT count(DISTINCT file_document_id) FROM batch_files WHERE file_document_id LIKE 'mdoc-%'")).isEqualTo(400);
            assertThat(count("SELECT sum(total_files) FROM batch_processing_sessions WHERE company_id = 71")).isEqualTo(400);
            // Each user's 100 files make 4 batches of 25, each mailed exactly once.
            for (String u : users) {
                awaitMails(u, 4);
            }
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() -> {
                int mails = 0;
                for (String u : users) {
                    mails += mailsTo(u).size();
                }
                return mails == 16;
            });
            assertThat(count("SELECT count(*) FROM email_notification_log WHERE company_id = 71 AND send_status = 'sent'")).isEqualTo(16);
            // Both instances did some of the work.
            assertThat(app.context().getRoute("ingest-notify-outbox-poller")).isNotNull();
        } finally {
            app.close();
            app = null;
        }
    }
}
