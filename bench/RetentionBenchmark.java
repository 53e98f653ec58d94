import io.ingestnotify.retention.Retention;
import io.ingestnotify.retention.RetentionReport;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.apache.camel.test.AvailablePortFinder;

/**
 * Retention on real PostgreSQL (bench/retention.sh):
 *  - summary [millions] [minutes]: file_events filled with generate_series (old, processed rows) in steps of a million
 *    until the count or the minutes are reached; the ops summary's time before and after retention removes them,
 *    and how fast the chunked deletes go;
 *  - soak [minutes] [rate]: a steady outbox load, first with retention off, then with retention in seconds (a pass
 *    every 10 s); each table's size every 30 s, and intake and mail latency (p50/p99) of each half.
 */
public class RetentionBenchmark {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String section = args.length > 0 ? args[0] : "summary";
        try (Connection c = TestPostgres.connect(null); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT version(), current_setting('shared_buffers'), current_setting('synchronous_commit')");
            rs.next();
            System.out.printf("%s, shared_buffers=%s, synchronous_commit=%s; %d cores%n", rs.getString(1).replaceAll(" on .*", ""),
                    rs.getString(2), rs.getString(3), Runtime.getRuntime().availableProcessors());
        }
        if (section.equals("summary")) {
            summary(args.length > 1 ? Integer.parseInt(args[1]) : 10, args.length > 2 ? Integer.parseInt(args[2]) : 5);
        } else {
            soak(args.length > 1 ? Integer.parseInt(args[1]) : 3, args.length > 2 ? Integer.parseInt(args[2]) : 100);
        }
        System.exit(0);
    }

    /** The bench's settings (a copy to change per section): real PostgreSQL and GreenMail, events with their metadata. */
    static Map<String, String> properties(String schema, int smtpPort, int httpPort) {
        return new HashMap<>(Map.of("ingest-notify.db.url", TestPostgres.url(), "ingest-notify.db.schema", schema,
                "ingest-notify.metadata.source", "sql", "ingest-notify.smtp.server", "127.0.0.1",
                "ingest-notify.smtp.port", String.valueOf(smtpPort), "ingest-notify.smtp.starttls", "false",
                "ingest-notify.http.port", String.valueOf(httpPort), "ingest-notify.ops.token", "bench-ops-token",
                "ingest-notify.data.dir", "target/bench-data", "ingest-notify.embedded.enabled", "false"));
    }

    // --- the ops summary with many rows in file_events

    static void summary(int millions, int minutes) throws Exception {
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int httpPort = AvailablePortFinder.getNextAvailable();
        Map<String, String> p = properties(schema, smtpPort, httpPort);
        p.put("ingest-notify.retention.interval.ms", "86400000");   // passes run when this bench says
        p.put("ingest-notify.retention.chunk.rows", System.getenv().getOrDefault("BENCH_CHUNK_ROWS", "5000"));
        p.put("ingest-notify.retention.chunk.pause.ms", "0");
        p.put("ingest-notify.retention.pass.seconds", "3600");
        RunningApp app = new RunningApp(p);
        try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
            long rows = 0;
            long started = System.nanoTime();
            // Old, processed events without a batch (what an outbox holds once their batches are gone), 30 days old.
            while (rows < millions * 1_000_000L && System.nanoTime() < deadline) {
                s.execute("INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name, "
                        + "source, created_at, claimed_at, processed_at, outcome) "
                        + "SELECT 'gen-' || g, 'doc-' || g, 'success', 'user' || (g % 1000) || '@bench.example', 1, 1, 'file-' || g || '.pdf', "
                        + "'outbox', now() - interval '30 days', now() - interval '30 days', now() - interval '30 days', 'batched' "
                        + "FROM generate_series(" + (rows + 1) + ", " + (rows + 1_000_000) + ") g");
                rows += 1_000_000;
                System.out.printf("  %,d rows in file_events after %.0f s%n", rows, (System.nanoTime() - started) / 1e9);
            }
            // A day of recent events the retention keeps, as in a running system.
            s.execute("INSERT INTO file_events (event_id, file_document_id, status, source, created_at, processed_at, outcome) "
                    + "SELECT 'recent-' || g, 'doc-r' || g, 'success', 'outbox', now(), now(), 'batched' FROM generate_series(1, 100000) g");
            s.execute("VACUUM ANALYZE file_events");
            System.out.printf("generated %,d old rows (+100,000 recent) in %.0f s; file_events is %s%n", rows,
                    (System.nanoTime() - started) / 1e9, size(s, "file_events"));
            System.out.printf("ops summary before retention: %s%n", summaryTimes(httpPort));

            s.execute("UPDATE retention_pass SET next_pass_at = now(), lease_expires_at = NULL");
            long t0 = System.nanoTime();
            RetentionReport report = app.bean("ingestNotifyRetention", Retention.class).pass();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("retention pass: %s%n", report.line());
            System.out.printf("  chunked deletes: %,.0f rows/s (chunks of %s)%n", report.removed().getOrDefault("file_events", 0L) / secs,
                    p.get("ingest-notify.retention.chunk.rows"));
            System.out.printf("file_events after the pass: %s (space kept for reuse until VACUUM FULL)%n", size(s, "file_events"));
            System.out.printf("ops summary after retention: %s%n", summaryTimes(httpPort));
            s.execute("VACUUM file_events");
            System.out.printf("ops summary after VACUUM: %s; file_events %s%n", summaryTimes(httpPort), size(s, "file_events"));
        } finally {
            app.close();
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    static String size(Statement s, String table) throws Exception {
        ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('" + table + "')), (SELECT count(*) FROM " + table + ")");
        rs.next();
        return rs.getString(1) + ", " + String.format("%,d", rs.getLong(2)) + " rows";
    }

    /** GET /api/ops/summary 11 times: the first (cold) and the median of the other ten. */
    static String summaryTimes(int httpPort) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/ops/summary"))
                .header("Authorization", "Bearer bench-ops-token").GET().build();
        double[] ms = new double[11];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("summary answered " + r.statusCode() + ": " + r.body());
            }
        }
        double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(warm);
        return String.format("first %.0f ms, median %.1f ms, max %.1f ms", ms[0], warm[warm.length / 2], warm[warm.length - 1]);
    }

    // --- soak: a steady load, retention off then on

    static void soak(int minutes, int rate) throws Exception {
        System.out.printf("soak: %d events/s into the outbox (10 %% failed, 100 users, batches of 20), %d min without retention, "
                + "then %d min with it%n", rate, minutes, minutes);
        String off = soakHalf(minutes, rate, false);
        String on = soakHalf(minutes, rate, true);
        System.out.println("without retention: " + off);
        System.out.println("with retention   : " + on);
    }

    static String soakHalf(int minutes, int rate, boolean retention) throws Exception {
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> p = properties(schema, smtpPort, AvailablePortFinder.getNextAvailable());
        p.put("ingest-notify.default.batch.size.threshold", "20");
        p.put("ingest-notify.outbox.poll.delay.ms", "100");
        // Failed files' tasks run a dry run a second later and end: finished, so retention may take them.
        p.put("ingest-notify.correction.dry.run", "true");
        p.put("ingest-notify.auto.correction.delay.seconds", "1");
        p.put("ingest-notify.retention.unit", "SECONDS");
        for (String key : List.of("events", "batch-files", "retry-log", "corrections")) {
            p.put("ingest-notify.retention." + key + ".days", retention ? "60" : "0");
        }
        p.put("ingest-notify.retention.digest-bodies.days", retention ? "30" : "0");
        p.put("ingest-notify.retention.batches.days", retention ? "90" : "0");
        p.put("ingest-notify.retention.interval.ms", "10000");
        RunningApp app = new RunningApp(p);
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        AtomicLong fed = new AtomicLong();
        List<double[]> latencies = new ArrayList<>();
        try (Connection c = TestPostgres.connect(schema); Connection f = TestPostgres.connect(schema)) {
            PreparedStatement insert = f.prepareStatement("INSERT INTO file_events (event_id, file_document_id, status, user_email, "
                    + "company_id, bot_id, file_name, chunks_created, processing_time_seconds, error_message) VALUES (?,?,?,?,1,1,?,5,2,?)");
            feeder.scheduleAtFixedRate(() -> {
                try {
                    for (int i = 0; i < rate / 10; i++) {
                        long n = fed.incrementAndGet();
                        boolean failed = n % 10 == 0;
                        insert.setString(1, "soak-" + UUID.randomUUID());
                        insert.setString(2, "doc-" + n);
                        insert.setString(3, failed ? "failed" : "success");
                        insert.setString(4, "user" + (n % 100) + "@bench.example");
                        insert.setString(5, "file-" + n + ".pdf");
                        insert.setString(6, failed ? "parser crashed" : null);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                } catch (Exception e) {
                    System.out.println("feeder: " + e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
            System.out.printf("%s retention:%n", retention ? "with" : "without");
            while (System.nanoTime() < end) {
                Thread.sleep(30_000);
                latencies.add(latencies(c));
                // The tests' PostgreSQL runs with autovacuum=off; a production one vacuums tables whose dead rows
                // pass a fifth of them. Both halves get the same VACUUM every 30 s instead.
                try (Statement s = c.createStatement()) {
                    for (String table : List.of("file_events", "batch_files", "file_processing_status", "processing_errors",
                            "auto_correction_tasks", "email_notification_log", "notification_retry_log", "batch_processing_sessions")) {
                        s.execute("VACUUM " + table);
                    }
                }
                System.out.printf("  %4.0f s  total %s%n", (minutes * 60) - (end - System.nanoTime()) / 1e9, sizes(c));
            }
            feeder.shutdown();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pass, removed::text FROM retention_pass")) {
                rs.next();
                System.out.printf("  retention passes: %d, the last removed %s%n", rs.getInt(1), rs.getString(2));
            }
        } finally {
            feeder.shutdownNow();
            app.close();
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
        // The windows after the first minute (warm-up), averaged.
        double[] avg = new double[4];
        List<double[]> steady = latencies.subList(Math.min(2, latencies.size() - 1), latencies.size());
        for (double[] l : steady) {
            for (int i = 0; i < 4; i++) {
                avg[i] += l[i] / steady.size();
            }
        }
        return String.format("%,d events fed; intake (outbox row -> filed) p50 %.0f ms, p99 %.0f ms; mail (batch completed -> "
                + "handed to SMTP) p50 %.0f ms, p99 %.0f ms (means of the 30-s windows after the first minute)", fed.get(),
                avg[0], avg[1], avg[2], avg[3]);
    }

    /** p50/p99 of intake latency and mail latency of the last 30 s (rows younger than any retention age). */
    static double[] latencies(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - created_at)) FROM file_events "
                        + " WHERE processed_at > now() - interval '30 seconds'), "
                        + "(SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - created_at)) FROM file_events "
                        + " WHERE processed_at > now() - interval '30 seconds'), "
                        + "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM l.sent_at - b.batch_end_time)) "
                        + "   FROM email_notification_log l JOIN batch_processing_sessions b USING (batch_id) WHERE l.sent_at > now() - interval '30 seconds'), "
                        + "(SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM l.sent_at - b.batch_end_time)) "
                        + "   FROM email_notification_log l JOIN batch_processing_sessions b USING (batch_id) WHERE l.sent_at > now() - interval '30 seconds')")) {
            rs.next();
            return new double[] {rs.getDouble(1) * 1000, rs.getDouble(2) * 1000, rs.getDouble(3) * 1000, rs.getDouble(4) * 1000};
        }
    }

    /** Every operational table's size, and their sum. */
    static String sizes(Connection c) throws Exception {
        StringBuilder out = new StringBuilder();
        long total = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT relname, pg_total_relation_size(oid) FROM pg_class "
                + "WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND relkind = 'r' "
                + "AND relname NOT LIKE '%history%' ORDER BY relname")) {
            while (rs.next()) {
                total += rs.getLong(2);
                out.append(String.format(", %s %.0f KiB", rs.getString(1), rs.getLong(2) / 1024.0));
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM file_events), "
                + "(SELECT count(*) FROM batch_files), (SELECT count(*) FROM batch_processing_sessions)")) {
            rs.next();
            return String.format("%.1f MiB (rows: file_events %,d, batch_files %,d, batches %,d)", total / 1048576.0,
                    rs.getLong(1), rs.getLong(2), rs.getLong(3)) + out;
        }
    }
}
