package io.ingestnotify;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.retention.Retention;
import io.ingestnotify.retention.RetentionReport;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestPostgres;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention on real PostgreSQL: rows past their age go, in chunks; open, pending, held and leased rows stay whatever
 * their age; an event id is still known inside its window; one instance runs each pass; a pass cut off mid-chunk
 * leaves whole chunks and nothing half-done. Rows are made by the real flow (events in, digests out through
 * GreenMail) and then made old by setting their timestamps back with SQL.
 */
class RetentionTest extends AppTestSupport {

    /** Ages of this class (days): bodies 1, batch files and retry log 2, events 7, corrections and batches 30. */
    private static Map<String, String> retentionProperties() {
        return Map.ofEntries(
                Map.entry("ingest-notify.cms.api.url", ""),
                Map.entry("ingest-notify.default.batch.size.threshold", "2"),
                // An open batch stays open during the test (24 min), and nothing but the test moves rows.
                Map.entry("ingest-notify.notification.delay.unit", "SECONDS"),
                Map.entry("ingest-notify.default.notification.delay.minutes", "1440"),
                Map.entry("ingest-notify.enable.auto.correction", "false"),
                Map.entry("ingest-notify.sweeper.interval.ms", "86400000"),
                Map.entry("ingest-notify.outbox.poll.delay.ms", "3600000"),
                Map.entry("ingest-notify.retention.digest-bodies.days", "1"),
                Map.entry("ingest-notify.retention.batch-files.days", "2"),
                Map.entry("ingest-notify.retention.retry-log.days", "2"),
                Map.entry("ingest-notify.retention.events.days", "7"),
                Map.entry("ingest-notify.retention.corrections.days", "30"),
                Map.entry("ingest-notify.retention.batches.days", "30"),
                Map.entry("ingest-notify.retention.chunk.rows", "4"),
                Map.entry("ingest-notify.retention.chunk.pause.ms", "0"),
                // The quartz job's pass at start claims pass 1; after that the tests decide when a pass is due.
                Map.entry("ingest-notify.retention.interval.ms", "3600000"));
    }

    @BeforeAll
    static void start() throws Exception {
        startApp(retentionProperties());
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT pass FROM retention_pass") >= 1);
    }

    @BeforeEach
    @AfterEach
    void quietTables() throws Exception {
        // Each test sees only its own rows (the same schema for the class); the tables are emptied child-first.
        execute("TRUNCATE notification_retry_log, email_notification_log, processing_errors, file_processing_status, "
                + "auto_correction_tasks, batch_files, batch_processing_sessions, file_events");
        execute("UPDATE retention_pass SET lease_owner = NULL, lease_expires_at = NULL, next_pass_at = now()");
    }

    @Test
    void rowsPastTheirAgeGoAndOpenPendingHeldOrLeasedOnesStayWhateverTheirAge() throws Exception {
        String old = sentBatch("success", "success");                 // 40 days: everything of it goes
        String fiveDays = sentBatch("success", "failed");             // 5 days: detail and body go, events and batch row stay
        String failedDigest = sentBatch("success", "success");        // 5 days, digest failed: its body stays for a resend
        String retrying = sentBatch("success", "success");            // 40 days, digest being retried: all stays
        String held = sentBatch("success", "failed");                 // 40 days, a held correction: all stays
        String leased = sentBatch("success", "success");              // 40 days, a live lease on the batch: all stays
        String admitted = sentBatch("success", "failed");             // 40 days, its task let delete 30 min ago: the task stays
        String open = openBatch();                                    // 40 days, still open: all stays
        execute("UPDATE email_notification_log SET send_status = 'failed' WHERE batch_id = ?::uuid", failedDigest);
        execute("UPDATE email_notification_log SET send_status = 'retrying' WHERE batch_id = ?::uuid", retrying);
        execute("INSERT INTO notification_retry_log (batch_id, retry_attempt, error_message) VALUES (?::uuid, 1, '421 busy')", retrying);
        execute("INSERT INTO notification_retry_log (batch_id, retry_attempt, error_message) VALUES (?::uuid, 1, '421 busy')", old);
        execute("UPDATE auto_correction_tasks SET status = 'completed', completed_at = now() WHERE batch_id = ?::uuid", fiveDays);
        execute("UPDATE auto_correction_tasks SET status = 'held', held_at = now() WHERE batch_id = ?::uuid", held);
        execute("UPDATE auto_correction_tasks SET status = 'completed', completed_at = now(), deletions_admitted_at = now() WHERE batch_id = ?::uuid",
                admitted);
        execute("UPDATE batch_processing_sessions SET lease_owner = 'other', lease_expires_at = now() + interval '1 hour' WHERE batch_id = ?::uuid", leased);
        // An outbox row the pipeline wrote 40 days ago and nobody processed yet, and one claimed by an instance now.
        execute("INSERT INTO file_events (event_id, file_document_id, status, created_at) VALUES ('outbox-unprocessed', 'doc-u', 'success', now())");
        execute("INSERT INTO file_events (event_id, file_document_id, status, created_at, claimed_at, claimed_by) "
                + "VALUES ('outbox-claimed', 'doc-c', 'success', now(), now(), 'other')");
        for (String b : List.of(old, retrying, held, leased, admitted, open)) {
            ageBatch(b, 40);
        }
        ageBatch(fiveDays, 5);
        ageBatch(failedDigest, 5);
        execute("UPDATE file_events SET created_at = created_at - interval '40 days' WHERE event_id LIKE 'outbox-%'");
        // The task's deletes were let in by the breaker half an hour ago: MAX_DELETIONS_PER_HOUR still counts it.
        execute("UPDATE auto_correction_tasks SET deletions_admitted_at = now() - interval '30 minutes' WHERE batch_id = ?::uuid", admitted);

        RetentionReport report;
        try (LogCapture log = LogCapture.attach()) {
            report = pass();
            assertThat(log.linesContaining("Retention pass " + report.pass())).hasSize(1).first().asString()
                    .contains("file_events=", "batch_files=", "batch_processing_sessions=1", "email_bodies=");
        }
        assertThat(report.stopped()).isNull();

        // Old: nothing of it is left.
        assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE batch_id = ?::uuid", old)).isZero();
        assertThat(count("SELECT count(*) FROM email_notification_log WHERE batch_id = ?::uuid", old)).isZero();
        assertThat(count("SELECT count(*) FROM notification_retry_log WHERE batch_id = ?::uuid", old)).isZero();
        assertThat(eventsOf(old)).isZero();

        // Five days: files, statuses and errors gone (2 days), and the body (1 day); the events (7) and the batch (30) stay.
        assertThat(filesOf(fiveDays)).isZero();
        assertThat(count("SELECT count(*) FROM file_processing_status WHERE batch_id = ?::uuid", fiveDays)).isZero();
        assertThat(count("SELECT count(*) FROM processing_errors WHERE batch_id = ?::uuid", fiveDays)).isZero();
        assertThat(value("SELECT files_removed_at IS NOT NULL FROM batch_processing_sessions WHERE batch_id = ?::uuid", fiveDays)).isEqualTo(true);
        assertThat(rows("SELECT email_subject, email_content_html, email_content_text, send_status FROM email_notification_log WHERE batch_id = ?::uuid",
                fiveDays)).singleElement().satisfies(r -> {
                    assertThat(r.get("email_subject")).asString().isNotEmpty();
                    assertThat(r.get("email_content_html")).isNull();
                    assertThat(r.get("email_content_text")).isNull();
                    assertThat(r.get("send_status")).isEqualTo("sent");
                });
        // Its failed event is kept by its finished task (30 days), the success event by its age (7).
        assertThat(eventsOf(fiveDays)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE batch_id = ?::uuid", fiveDays)).isEqualTo(1);

        // A failed digest keeps its body: POST /api/batches/{id}/resend sends it again.
        assertThat(value("SELECT email_content_text IS NOT NULL FROM email_notification_log WHERE batch_id = ?::uuid", failedDigest)).isEqualTo(true);
        assertThat(filesOf(failedDigest)).isZero();

        // Whatever their age: a digest still being sent, a held correction, a live lease, an open batch, the outbox.
        for (String kept : List.of(retrying, held, leased, open)) {
            assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE batch_id = ?::uuid AND files_removed_at IS NULL", kept))
                    .as("batch %s", kept).isEqualTo(1);
            assertThat(filesOf(kept)).as("files of %s", kept).isEqualTo(kept.equals(open) ? 1 : 2);
            assertThat(eventsOf(kept)).as("events of %s", kept).isEqualTo(kept.equals(open) ? 1 : 2);
        }
        assertThat(value("SELECT email_content_text IS NOT NULL FROM email_notification_log WHERE batch_id = ?::uuid", retrying)).isEqualTo(true);
        assertThat(count("SELECT count(*) FROM notification_retry_log WHERE batch_id = ?::uuid", retrying)).isEqualTo(1);
        assertThat(value("SELECT status FROM auto_correction_tasks WHERE batch_id = ?::uuid", held)).isEqualTo("held");
        // The held task's guard still finds the success statuses of its batch.
        assertThat(count("SELECT count(*) FROM file_processing_status WHERE batch_id = ?::uuid AND status = 'success'", held)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE batch_id = ?::uuid", admitted)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id LIKE 'outbox-%' AND processed_at IS NULL")).isEqualTo(2);

        // The ops summary shows each table's size and rows and the pass; the metrics count what went.
        JsonNode summary = Json.parse(getHttp("/api/ops/summary").body());
        assertThat(summary.get("tables").findValuesAsText("table")).contains("file_events", "batch_files", "email_notification_log");
        assertThat(summary.get("tables").get(0).get("bytes").asLong()).isPositive();
        assertThat(summary.get("retention").get("pass").asInt()).isEqualTo(report.pass());
        assertThat(summary.get("retention").get("finished_at").asText()).isNotEmpty();
        assertThat(summary.get("retention").get("removed").findValuesAsText("table")).contains("file_events", "batch_files");
        String metrics = getHttp("/observe/metrics").body();
        assertThat(metrics).containsPattern("ingest_table_bytes\\{table=\"file_events\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("ingest_retention_removed_total\\{table=\"file_events\"[^}]*} [1-9]");
    }

    @Test
    void aDuplicateInsideTheIdempotencyWindowIsStillRefusedAfterAPass() throws Exception {
        String user = newUser();
        String first = event(newEventId(), "dup-1", "success", user, 1, 2, "a.pdf");
        String second = event(newEventId(), "dup-2", "success", user, 1, 2, "b.pdf");
        assertThat(post("/api/events", "[" + first + "," + second + "]").statusCode()).isEqualTo(202);
        String batch = awaitSent(user);
        ageBatch(batch, 5);

        RetentionReport report = pass();
        assertThat(report.removed()).containsKey("batch_files").doesNotContainKey("file_events");
        assertThat(filesOf(batch)).isZero();

        // Five days on, inside the 7 days of RETENTION_EVENTS_DAYS: a repeat is refused and changes nothing.
        JsonNode answer = Json.parse(post("/api/events", first).body());
        assertThat(answer.get("duplicates").asInt()).isEqualTo(1);
        assertThat(answer.get("accepted").asInt()).isZero();
        assertThat(count("SELECT count(*) FROM batch_files")).isZero();
        assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE status = 'processing'")).isZero();
        assertThat(mailsTo(user)).hasSize(1);

        // Past the window the event id is forgotten with its row: that is where the window ends.
        execute("UPDATE file_events SET processed_at = processed_at - interval '3 days' WHERE user_email = ?", user);
        assertThat(pass().removed()).containsEntry("file_events", 2L);
        assertThat(Json.parse(post("/api/events", first).body()).get("accepted").asInt()).isEqualTo(1);
    }

    @Test
    void twoInstancesNeverRunTheSamePass() throws Exception {
        Map<String, String> second = baseProperties();
        second.putAll(retentionProperties());
        second.put("ingest-notify.instance.id", "retention-b");
        second.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(sentBatch("success", "success"));
        }
        try (RunningApp other = new RunningApp(second)) {
            // The second instance's pass at its start has run (and found nothing old yet).
            await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM retention_pass "
                    + "WHERE lease_owner = 'retention-b' AND finished_at IS NOT NULL") == 1);
            for (String b : old) {
                ageBatch(b, 40);
            }
            int before = ((Number) value("SELECT pass FROM retention_pass")).intValue();
            execute("UPDATE retention_pass SET next_pass_at = now(), lease_expires_at = NULL");
            Retention a = app.bean("ingestNotifyRetention", Retention.class);
            Retention b = other.bean("ingestNotifyRetention", Retention.class);
            // Both instances at once, four times each: one pass, run by one of them, and every row removed once.
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<RetentionReport>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    Retention r = i % 2 == 0 ? a : b;
                    calls.add(pool.submit(() -> {
                        go.await();
                        return r.pass();
                    }));
                }
                go.countDown();
                List<RetentionReport> ran = new ArrayList<>();
                for (Future<RetentionReport> call : calls) {
                    RetentionReport report = call.get();
                    if (report != null) {
                        ran.add(report);
                    }
                }
                assertThat(ran).singleElement().satisfies(r -> {
                    assertThat(r.pass()).isEqualTo(before + 1);
                    assertThat(r.removed()).containsEntry("batch_processing_sessions", 3L).containsEntry("file_events", 6L);
                });
                assertThat(value("SELECT pass FROM retention_pass")).isEqualTo(before + 1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * A pass cut off mid-chunk (its connection killed as a kill -9 of the instance would): the chunks before it are
     * whole, the cut one is rolled back whole, and the next pass finishes the work.
     */
    @Test
    void aPassCutOffMidChunkLeavesWholeChunksOnly() throws Exception {
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batches.add(sentBatch("success", "failed"));
        }
        for (int i = 0; i < batches.size(); i++) {
            ageBatch(batches.get(i), 40 - i);   // oldest first: the pass takes them in this order, two per chunk
        }
        // Their failed files' tasks finished now: kept (30 days), no longer open.
        execute("UPDATE auto_correction_tasks SET status = 'completed', completed_at = now()");
        String last = batches.get(5);
        // A row the fifth and sixth batches' chunk must remove is held by someone else: that chunk waits mid-way.
        try (Connection holder = TestPostgres.connect(schema)) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT id FROM batch_files WHERE batch_id = '" + last + "' LIMIT 1 FOR UPDATE");
            }
            CompletableFuture<RetentionReport> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return app.bean("ingestNotifyRetention", Retention.class).pass();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE application_name = 'ingest-notify-retention' AND wait_event_type = 'Lock'") == 1);
            execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ingest-notify-retention'");
            RetentionReport cut = running.get();
            assertThat(cut.stopped()).startsWith("stopped by an error");
            holder.rollback();
        }

        // Whole chunks only: the first four batches lost their detail, the last two have all of it.
        for (String b : batches.subList(0, 4)) {
            assertThat(filesOf(b)).isZero();
            assertThat(count("SELECT count(*) FROM file_processing_status WHERE batch_id = ?::uuid", b)).isZero();
            assertThat(value("SELECT files_removed_at IS NOT NULL FROM batch_processing_sessions WHERE batch_id = ?::uuid", b)).isEqualTo(true);
        }
        for (String b : batches.subList(4, 6)) {
            assertThat(filesOf(b)).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM file_processing_status WHERE batch_id = ?::uuid", b)).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM processing_errors WHERE batch_id = ?::uuid", b)).isEqualTo(1);
            assertThat(value("SELECT files_removed_at IS NULL FROM batch_processing_sessions WHERE batch_id = ?::uuid", b)).isEqualTo(true);
        }
        // Every digest row still has its batch, every batch file its event.
        assertThat(count("SELECT count(*) FROM email_notification_log l WHERE NOT EXISTS "
                + "(SELECT 1 FROM batch_processing_sessions b WHERE b.batch_id = l.batch_id)")).isZero();

        // The next pass takes the rest (the tasks finished long ago).
        execute("UPDATE auto_correction_tasks SET status = 'completed', completed_at = now() - interval '40 days'");
        execute("UPDATE retention_pass SET next_pass_at = now()");
        RetentionReport next = pass();
        assertThat(next.stopped()).isNull();
        assertThat(count("SELECT count(*) FROM batch_processing_sessions")).isZero();
        assertThat(count("SELECT count(*) FROM file_events")).isZero();
        assertThat(count("SELECT count(*) FROM auto_correction_tasks")).isZero();
    }

    // --- helpers

    private static RetentionReport pass() throws Exception {
        execute("UPDATE retention_pass SET next_pass_at = now()");
        RetentionReport report = app.bean("ingestNotifyRetention", Retention.class).pass();
        assertThat(report).as("a pass was due").isNotNull();
        return report;
    }

    /** A batch of two files (statuses as given) completed by size, its digest sent; events ids start with the batch's user. */
    private static String sentBatch(String first, String second) throws Exception {
        String user = newUser();
        assertThat(post("/api/events", "[" + event(user + "-1", "doc-" + UUID.randomUUID(), first, user, 1, 2, "a.pdf") + ","
                + event(user + "-2", "doc-" + UUID.randomUUID(), second, user, 1, 2, "b.pdf") + "]").statusCode()).isEqualTo(202);
        String batch = awaitSent(user);
        // The event ids begin with the batch id from here on, so a test can find a batch's events by either.
        execute("UPDATE file_events SET event_id = ? || '-' || event_id WHERE user_email = ?", batch, user);
        return batch;
    }

    private static String awaitSent(String user) {
        await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(value(
                "SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
        try {
            return String.valueOf(value("SELECT batch_id FROM email_notification_log WHERE recipient_email = ?", user));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String openBatch() throws Exception {
        String user = newUser();
        assertThat(post("/api/events", event(user + "-1", "doc-" + UUID.randomUUID(), "success", user, 1, 2, "a.pdf")).statusCode())
                .isEqualTo(202);
        String batch = String.valueOf(value("SELECT batch_id FROM batch_processing_sessions WHERE user_email = ?", user));
        execute("UPDATE file_events SET event_id = ? || '-' || event_id WHERE user_email = ?", batch, user);
        return batch;
    }

    /** Sets every timestamp of a batch and what hangs on it back by {@code days}. */
    private static void ageBatch(String batch, int days) throws Exception {
        String by = "make_interval(days => " + days + ")";
        execute("UPDATE file_events SET created_at = created_at - " + by + ", processed_at = processed_at - " + by
                + ", claimed_at = claimed_at - " + by + " WHERE id IN (SELECT file_event_id FROM batch_files WHERE batch_id = ?::uuid)"
                + " OR event_id LIKE ?", batch, batch + "%");
        execute("UPDATE batch_processing_sessions SET batch_start_time = batch_start_time - " + by + ", batch_end_time = batch_end_time - "
                + by + ", created_at = created_at - " + by + ", updated_at = updated_at - " + by
                + ", notification_sent_at = notification_sent_at - " + by + " WHERE batch_id = ?::uuid", batch);
        for (String table : List.of("batch_files", "file_processing_status", "processing_errors")) {
            execute("UPDATE " + table + " SET created_at = created_at - " + by + " WHERE batch_id = ?::uuid", batch);
        }
        execute("UPDATE email_notification_log SET created_at = created_at - " + by + ", updated_at = updated_at - " + by
                + ", sent_at = sent_at - " + by + " WHERE batch_id = ?::uuid", batch);
        execute("UPDATE notification_retry_log SET retry_at = retry_at - " + by + " WHERE batch_id = ?::uuid", batch);
        execute("UPDATE auto_correction_tasks SET created_at = created_at - " + by + ", completed_at = completed_at - " + by
                + " WHERE batch_id = ?::uuid", batch);
    }

    private static long filesOf(String batch) throws Exception {
        return count("SELECT count(*) FROM batch_files WHERE batch_id = ?::uuid", batch);
    }

    private static long eventsOf(String batch) throws Exception {
        return count("SELECT count(*) FROM file_events WHERE event_id LIKE ?", batch + "%");
    }
}
