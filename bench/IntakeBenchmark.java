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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.zaxxer.hikari.HikariDataSource;
import io.ingestnotify.common.Queries;
import io.ingestnotify.config.Database;
import io.ingestnotify.embedded.EmbeddedS3;
import io.ingestnotify.support.ChromaServer;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestPostgres;
import org.apache.camel.test.AvailablePortFinder;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * intake -> batch throughput on real PostgreSQL:
 *  1. a bare JDBC loop doing the bundle's writes with the same grouping (claim 200 outbox rows, one commit per group);
 *  2. the bundle draining the same outbox (jdbc and memory aggregation repositories);
 *  3. the bundle's HTTP intake, arrays of 50 events from 4 clients.
 * Each run works in a fresh schema. Digests are really rendered and mailed (GreenMail) while intake runs.
 */
public class IntakeBenchmark {

    static final int GROUP = 200;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("prefs-strapi")) {
            // bench/run.sh prefs-strapi: only the preference cache, against a real Strapi 5 (src/test/strapi, npm ci)
            preferenceCacheStrapi(10_000, 100);
            System.exit(0);
        }
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        try (Connection c = TestPostgres.connect(null); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'), version()");
            rs.next();
            System.out.printf("PostgreSQL %s, fsync=%s, synchronous_commit=%s%n", TestPostgres.url(), rs.getString(1), rs.getString(2));
        }
        System.out.printf("%d events from %d users, outbox groups of %d%n", events, users, GROUP);

        // A third argument picks sections (comma-separated: outbox, http, preferences, corrections, burst); default all.
        // Opt-in sections, run only when named: restart, users, sweeper, volume, cms-lookup (issue 19's scale curves).
        java.util.Set<String> only = args.length > 2 ? java.util.Set.of(args[2].split(",")) : java.util.Set.of();
        // Untimed passes first, so the timed runs compare the paths and not the JIT's warm-up: two whole passes of the
        // bundle (the pass right after a single warm-up still used 1.3-1.9 x the CPU per event of the ones after it)
        // and one of the bare loop.
        boolean warmed = only.isEmpty() || only.contains("outbox") || only.contains("http") || only.contains("burst");
        if (events > 0 && warmed) {
            System.out.println("warm-up (untimed):");
            bundleOutbox(events, users, "batch-table");
            bundleOutbox(events, users, "memory");
            bareJdbc(events / 4, users, false);
            bareJdbc(events / 4, users, true);
        }
        if (only.isEmpty() || only.contains("outbox")) {
            // Rounds of bare loop, batch-table and memory back to back, so each ratio compares runs made under the same
            // conditions; the bare loop alone moves by +-25 % between runs on this machine. The medians are the result.
            int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "3"));
            // Two references, side by side in each round: today's per-event bare loop and the set-based one.
            List<double[]> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("round %d of %d:%n", round, rounds);
                double bare = bareJdbc(events, users, false);
                System.out.printf("bare JDBC loop, per event        : %8.0f events/s%n", bare);
                double setBare = bareJdbc(events, users, true);
                System.out.printf("bare JDBC loop, set-based        : %8.0f events/s%n", setBare);
                double tableRepo = bundleOutbox(events, users, "batch-table");
                System.out.printf("bundle, outbox, batch-table repo : %8.0f events/s (%.2f x per-event bare, %.2f x set-based bare)%n",
                        tableRepo, tableRepo / bare, tableRepo / setBare);
                double memRepo = bundleOutbox(events, users, "memory");
                System.out.printf("bundle, outbox, memory repo      : %8.0f events/s (%.2f x per-event bare, %.2f x set-based bare)%n",
                        memRepo, memRepo / bare, memRepo / setBare);
                results.add(new double[] {bare, setBare, tableRepo, memRepo, tableRepo / bare, tableRepo / setBare, memRepo / bare,
                    memRepo / setBare});
            }
            System.out.printf("median of %d rounds: per-event bare %.0f events/s, set-based bare %.0f events/s;%n"
                    + "  batch-table %.0f events/s = %.2f x per-event bare, %.2f x set-based bare;%n"
                    + "  memory %.0f events/s = %.2f x per-event bare, %.2f x set-based bare%n",
                    rounds, median(results, 0), median(results, 1), median(results, 2), median(results, 4), median(results, 5),
                    median(results, 3), median(results, 6), median(results, 7));
        }
        if (only.isEmpty() || only.contains("http")) {
            System.out.printf("bundle, HTTP arrays of 50   : %8.0f events/s%n", bundleHttp(events, users));
        }
        if (only.isEmpty() || only.contains("preferences")) {
            preferenceCache(10_000, 100);
        }
        if (only.isEmpty() || only.contains("corrections")) {
            corrections(100);
        }
        if (only.contains("restart")) {
            // Opt-in: bench/run.sh 0 0 restart; BENCH_OPEN_BATCHES sets how many open batches (100,000).
            restart(Integer.parseInt(System.getenv().getOrDefault("BENCH_OPEN_BATCHES", "100000")));
        }
        if (only.contains("sweeper")) {
            // Opt-in: bench/run.sh 0 0 sweeper; BENCH_OPEN_BATCHES sets how many open batches (100,000).
            sweeper(Integer.parseInt(System.getenv().getOrDefault("BENCH_OPEN_BATCHES", "100000")));
        }
        if (only.contains("volume")) {
            // Opt-in: bench/run.sh 1000000 100 volume (one timed round at that size; its own warm-up)
            volume(events, users);
        }
        if (only.contains("cms-lookup")) {
            // Opt-in: bench/run.sh 20000 100 cms-lookup
            cmsLookUp(events, users);
        }
        if (only.contains("users")) {
            // Opt-in: bench/run.sh 0 0 users; BENCH_USER_COUNTS sets the sizes (100,10000,100000).
            for (String n : System.getenv().getOrDefault("BENCH_USER_COUNTS", "100,10000,100000").split(",")) {
                users(Integer.parseInt(n.trim()));
            }
        }
        if (only.isEmpty() || only.contains("burst")) {
            burst(100_000, users);
        }
        System.exit(0);
    }

    static void fillOutbox(Connection c, int events, int users) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_events (event_id, file_document_id, status, user_email, "
                + "company_id, bot_id, file_name, chunks_created, processing_time_seconds, error_message) VALUES (?,?,?,?,1,1,?,5,2,?)")) {
            for (int i = 0; i < events; i++) {
                boolean failed = i % 10 == 0;
                ps.setString(1, "bench-" + UUID.randomUUID());
                ps.setString(2, "doc-" + i);
                ps.setString(3, failed ? "failed" : "success");
                ps.setString(4, "user" + (i % users) + "@bench.example");
                ps.setString(5, "file-" + i + ".pdf");
                ps.setString(6, failed ? "parser crashed" : null);
                ps.addBatch();
                if (i % 1000 == 999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** The bare loop: per event (today's statements, one round trip per event) or set-based (a fixed few per group). */
    static double bareJdbc(int events, int users, boolean setBased) throws Exception {
        String schema = TestPostgres.newSchema();
        try (HikariDataSource ds = Database.pool(TestPostgres.url(), "postgres", "", schema, 4)) {
            Database.migrate(ds, schema);
            try (Connection c = ds.getConnection()) {
                fillOutbox(c, events, users);
                String snapshot = "{\"notification_enabled\":true,\"batch_size_threshold\":50,\"notification_delay_minutes\":30,"
                        + "\"email_format\":\"html\",\"include_success_details\":true,\"include_error_details\":true}";
                String claim = "UPDATE file_events SET claimed_at = now() WHERE id IN (SELECT id FROM file_events WHERE processed_at IS NULL "
                        + "AND claimed_at IS NULL ORDER BY id LIMIT " + GROUP + " FOR UPDATE SKIP LOCKED) RETURNING *";
                long cpuStart = cpuNanos();
                int done = 0;
                while (done < events) {
                    List<Map<String, Object>> rows = new ArrayList<>();
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(claim)) {
                        while (rs.next()) {
                            Map<String, Object> r = new HashMap<>();
                            r.put("id", rs.getInt("id"));
                            r.put("doc", rs.getString("file_document_id"));
                            r.put("status", rs.getString("status"));
                            r.put("email", rs.getString("user_email"));
                            r.put("name", rs.getString("file_name"));
                            rows.add(r);
                        }
                    }
                    rows.sort((a, b) -> ((String) a.get("email")).compareTo((String) b.get("email")));
                    c.setAutoCommit(false);
                    if (setBased) {
                        fileSetBased(c, rows, snapshot);
                    } else {
                        filePerEvent(c, rows, snapshot);
                    }
                    c.commit();
                    c.setAutoCommit(true);
                    done += rows.size();
                }
                double rate = events / secondsSinceFirstClaim(c);
                System.out.printf("   CPU: %.0f ms per 1,000 events (this JVM)%n", (cpuNanos() - cpuStart) / 1e6 / (events / 1000.0));
                return rate;
            }
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    /** Today's per-event filing by hand: one add-file-to-open-batch round trip per event, rows in JDBC batches. */
    static void filePerEvent(Connection c, List<Map<String, Object>> rows, String snapshot) throws Exception {
        try (PreparedStatement take = c.prepareStatement(Queries.get("intake/take-outbox-rows"));
             PreparedStatement add = c.prepareStatement(Queries.get("batching/add-file-to-open-batch"));
             PreparedStatement open = c.prepareStatement(Queries.get("batching/open-batch"));
             PreparedStatement file = c.prepareStatement(Queries.get("intake/insert-batch-file"));
             PreparedStatement status = c.prepareStatement(Queries.get("intake/insert-processing-status"));
             PreparedStatement mark = c.prepareStatement(Queries.get("intake/mark-outbox-row"))) {
            take.setArray(1, c.createArrayOf("int4", rows.stream().map(r -> r.get("id")).toArray()));
            take.executeQuery().close();
            for (Map<String, Object> r : rows) {
                boolean failed = "failed".equals(r.get("status"));
                String batchId = null;
                while (batchId == null) {
                    add.setInt(1, failed ? 0 : 1);
                    add.setInt(2, failed ? 1 : 0);
                    add.setString(3, "bench");   // the lease a size completion takes (INSTANCE_ID)
                    add.setInt(4, 30);           // LEASE_SECONDS
                    add.setDouble(5, 60);        // the delay unit in seconds (minutes), for timeout_at
                    add.setInt(6, 1);
                    add.setInt(7, 1);
                    add.setString(8, (String) r.get("email"));
                    try (ResultSet rs = add.executeQuery()) {
                        if (rs.next()) {
                            batchId = rs.getString(1);
                        }
                    }
                    if (batchId == null) {
                        open.setObject(1, UUID.randomUUID());
                        open.setInt(2, 1);
                        open.setInt(3, 1);
                        open.setString(4, (String) r.get("email"));
                        open.setString(5, snapshot);
                        open.setDouble(6, 60);
                        open.executeUpdate();
                    }
                }
                file.setObject(1, UUID.fromString(batchId));
                file.setString(2, (String) r.get("doc"));
                file.setString(3, (String) r.get("name"));
                file.setNull(4, java.sql.Types.BIGINT);
                file.setString(5, failed ? "failed" : "success");
                file.setTimestamp(6, new java.sql.Timestamp(System.currentTimeMillis()));
                file.setInt(7, 2);
                file.setInt(8, 5);
                file.setString(9, null);
                file.setString(10, null);
                file.setInt(11, (Integer) r.get("id"));
                file.setString(12, null);
                file.addBatch();
                status.setInt(1, (Integer) r.get("id"));
                status.setString(2, (String) r.get("doc"));
                status.setObject(3, UUID.fromString(batchId));
                status.setString(4, "completed");
                status.setString(5, failed ? "failed" : "success");
                status.setTimestamp(6, new java.sql.Timestamp(System.currentTimeMillis()));
                status.setString(7, null);
                status.addBatch();
                mark.setString(1, "batched");
                mark.setString(2, null);
                mark.setInt(3, (Integer) r.get("id"));
                mark.addBatch();
            }
            file.executeBatch();
            status.executeBatch();
            mark.executeBatch();
        }
    }

    /**
     * The best plain JDBC can do for the same writes: a fixed number of statements per group, whatever its size (take
     * the rows, assign every file with assign-files, then one unnest insert per table and one update of the marks).
     */
    static void fileSetBased(Connection c, List<Map<String, Object>> rows, String snapshot) throws Exception {
        int n = rows.size();
        Object[] ids = new Object[n];
        Object[] ords = new Object[n];
        Object[] ones = new Object[n];
        Object[] emails = new Object[n];
        Object[] failed = new Object[n];
        Object[] snapshots = new Object[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = rows.get(i);
            ids[i] = r.get("id");
            ords[i] = i;
            ones[i] = 1;
            emails[i] = r.get("email");
            failed[i] = "failed".equals(r.get("status"));
            snapshots[i] = snapshot;
        }
        try (PreparedStatement take = c.prepareStatement(Queries.get("intake/take-outbox-rows"))) {
            take.setArray(1, c.createArrayOf("int4", ids));
            take.executeQuery().close();
        }
        Object[] batchIds = new Object[n];
        try (PreparedStatement assign = c.prepareStatement(Queries.get("batching/assign-files"))) {
            Object[] newIds = new Object[n];
            for (int i = 0; i < n; i++) {
                newIds[i] = UUID.randomUUID();
            }
            Object[][] cols = {ords, ones, ones, emails, failed, snapshots, newIds};
            String[] types = {"int4", "int4", "int4", "text", "bool", "text", "uuid"};
            for (int col = 0; col < cols.length; col++) {
                assign.setArray(col + 1, c.createArrayOf(types[col], cols[col]));
            }
            assign.setString(8, "bench");
            assign.setInt(9, 30);
            assign.setString(10, "bench");
            assign.setInt(11, 30);
            try (ResultSet rs = assign.executeQuery()) {
                while (rs.next()) {
                    batchIds[rs.getInt("ord")] = rs.getString("batch_id");
                }
            }
        }
        java.sql.Timestamp now = new java.sql.Timestamp(System.currentTimeMillis());
        Object[] docs = rows.stream().map(r -> r.get("doc")).toArray();
        Object[] names = rows.stream().map(r -> r.get("name")).toArray();
        Object[] statuses = rows.stream().map(r -> "failed".equals(r.get("status")) ? "failed" : "success").toArray();
        Object[] times = new Object[n];
        Object[] twos = new Object[n];
        Object[] fives = new Object[n];
        Object[] stages = new Object[n];
        Object[] nulls = new Object[n];
        Object[] batched = new Object[n];
        java.util.Arrays.fill(times, now);
        java.util.Arrays.fill(twos, 2);
        java.util.Arrays.fill(fives, 5);
        java.util.Arrays.fill(stages, "completed");
        java.util.Arrays.fill(batched, "batched");
        try (PreparedStatement files = c.prepareStatement(Queries.get("intake/insert-batch-files"))) {
            Object[][] cols = {batchIds, docs, names, nulls, statuses, times, twos, fives, nulls, nulls, ids, nulls};
            String[] types = {"text", "text", "text", "int8", "text", "timestamp", "int4", "int4", "text", "text", "int4", "text"};
            for (int col = 0; col < cols.length; col++) {
                files.setArray(col + 1, c.createArrayOf(types[col], cols[col]));
            }
            files.executeUpdate();
        }
        try (PreparedStatement status = c.prepareStatement(Queries.get("intake/insert-processing-statuses"))) {
            Object[][] cols = {ids, docs, batchIds, stages, statuses, times, nulls};
            String[] types = {"int4", "text", "text", "text", "text", "timestamp", "text"};
            for (int col = 0; col < cols.length; col++) {
                status.setArray(col + 1, c.createArrayOf(types[col], cols[col]));
            }
            status.executeUpdate();
        }
        try (PreparedStatement mark = c.prepareStatement(Queries.get("intake/mark-outbox-rows"))) {
            mark.setArray(1, c.createArrayOf("text", batched));
            mark.setArray(2, c.createArrayOf("text", nulls));
            mark.setArray(3, c.createArrayOf("int4", ids));
            mark.executeUpdate();
        }
    }

    static Map<String, String> appProperties(String schema, int smtpPort, int httpPort, String repo) {
        Map<String, String> p = new HashMap<>();
        p.put("ingest-notify.db.url", TestPostgres.url());
        p.put("ingest-notify.db.schema", schema);
        // Events carry their metadata; a WireMock CMS answers only what a section stubs (prefs-strapi asks the real one).
        p.put("ingest-notify.metadata.source", "sql");
        p.put("ingest-notify.smtp.server", "127.0.0.1");
        p.put("ingest-notify.smtp.port", String.valueOf(smtpPort));
        p.put("ingest-notify.smtp.starttls", "false");
        p.put("ingest-notify.http.port", String.valueOf(httpPort));
        p.put("ingest-notify.default.batch.size.threshold", "50");
        p.put("ingest-notify.outbox.poll.limit", String.valueOf(GROUP));
        p.put("ingest-notify.outbox.poll.delay.ms", "50");
        p.put("ingest-notify.aggregation.repository", repo);
        p.put("ingest-notify.data.dir", "target/bench-data");
        // BENCH_SETTINGS="key=value,key=value" overrides settings for an experiment (not used by the figures).
        for (String kv : System.getenv().getOrDefault("BENCH_SETTINGS", "").split(",")) {
            if (kv.contains("=")) {
                p.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return p;
    }

    static double bundleOutbox(int events, int users, String repo) throws Exception {
        return bundleOutbox(events, users, repo, false);
    }

    /** @param purgeMail empty GreenMail's mailboxes every second (and sample the heap's peak): for runs of many digests */
    static double bundleOutbox(int events, int users, String repo, boolean purgeMail) throws Exception {
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        RunningApp app = new RunningApp(appProperties(schema, smtpPort, AvailablePortFinder.getNextAvailable(), repo));
        java.util.concurrent.ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.atomic.AtomicLong heapPeak = new java.util.concurrent.atomic.AtomicLong();
        try (Connection c = TestPostgres.connect(schema)) {
            app.context().getRouteController().stopRoute("ingest-notify-outbox-poller");
            fillOutbox(c, events, users);
            if (purgeMail) {
                purger.scheduleWithFixedDelay(() -> {
                    Runtime rt = Runtime.getRuntime();
                    heapPeak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                    try {
                        smtp.purgeEmailFromAllMailboxes();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            }
            long cpuStart = cpuNanos();
            app.context().getRouteController().startRoute("ingest-notify-outbox-poller");
            awaitOutboxDrained(c);
            double rate = events / secondsSinceFirstClaim(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("WITH g AS (SELECT claimed_at, min(processed_at) p, "
                    + "lead(claimed_at) OVER (ORDER BY claimed_at) nxt FROM file_events GROUP BY claimed_at) SELECT count(*), "
                    + "avg(extract(epoch FROM p - claimed_at))*1000, avg(extract(epoch FROM nxt - p))*1000, "
                    + "extract(epoch FROM max(claimed_at)-min(claimed_at))*1000 FROM g")) {
                rs.next();
                System.out.printf("   %d groups: claim -> filing transaction %.1f ms, filing transaction -> next claim %.1f ms (means), first to last claim %.0f ms%n", rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4));
            }
            mailLatency(c, events / 50);
            // CPU of this JVM (bundle, GreenMail and the bench's polling) per 1,000 events, intake and mails included:
            // unlike events/s it hardly moves when other processes share the cores.
            System.out.printf("   CPU: %.0f ms per 1,000 events (intake and digests)%n", (cpuNanos() - cpuStart) / 1e6 / (events / 1000.0));
            routeTimes(app);
            if (purgeMail) {
                System.out.printf("   heap: peak used %d MB of %d MB (sampled every second; GreenMail emptied as often)%n",
                        heapPeak.get() / 1048576, Runtime.getRuntime().maxMemory() / 1048576);
            }
            return rate;
        } finally {
            purger.shutdownNow();
            app.close();
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Where the time went, by route: Camel's route-policy timers (count, total and mean time per exchange). */
    static void routeTimes(RunningApp app) {
        io.micrometer.core.instrument.MeterRegistry registry = app.context().getRegistry()
                .lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        if (registry == null || System.getenv("BENCH_ROUTE_TIMES") == null) {
            return;
        }
        registry.find("camel.route.policy").timers().stream()
                .filter(t -> t.count() > 0)
                .sorted((a, b) -> Double.compare(b.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS), a.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)))
                .forEach(t -> System.out.printf("   route %-22s %7d exchanges, %8.0f ms in all, %7.2f ms each%n", t.getId().getTag("routeId"),
                        t.count(), t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS), t.mean(java.util.concurrent.TimeUnit.MILLISECONDS)));
    }

    /**
     * Events/s are counted from the first claim of the outbox (its claimed_at, PostgreSQL's clock) to the moment the
     * outbox is seen drained (the same clock), for the bare loop and the bundle alike: so the poller's first delay after
     * a route start (Camel's initialDelay, 1 s, which a restarted route keeps), a start-up cost and not throughput, is
     * not counted.
     */
    static double secondsSinceFirstClaim(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT extract(epoch FROM clock_timestamp()::timestamp - min(claimed_at)) FROM file_events")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /** Waits until the outbox holds no unprocessed row (one probe of the partial index every 5 ms). */
    static void awaitOutboxDrained(Connection c) throws Exception {
        awaitCount(c, "SELECT count(*) FROM (SELECT 1 FROM file_events WHERE processed_at IS NULL LIMIT 1) AS left_over", 0, 5);
    }

    /** Waits until a count reaches the target (a benchmark's end condition), one statement polled on one connection. */
    static void awaitCount(Connection c, String sql, long target) throws Exception {
        awaitCount(c, sql, target, 20);
    }

    static void awaitCount(Connection c, String sql, long target, long pollMillis) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Awaitility.await().atMost(Duration.ofMinutes(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(pollMillis))
                    .until(() -> count(ps) == target);
        }
    }

    static long count(PreparedStatement ps) throws Exception {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Completion to SMTP hand-over, per batch: batch_end_time (the flip) to sent_at (SMTP accepted). */
    static void mailLatency(Connection c, int expectedMails) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM email_notification_log WHERE send_status = 'sent'")) {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> count(ps) >= expectedMails);
        } catch (ConditionTimeoutException late) {
            System.out.printf("   not all %d mails sent within 2 minutes; the figures below are of those sent%n", expectedMails);
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM l.sent_at - b.batch_end_time)), "
                + "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM l.sent_at - b.batch_end_time)), "
                + "max(extract(epoch FROM l.sent_at - b.batch_end_time)) "
                + "FROM email_notification_log l JOIN batch_processing_sessions b USING (batch_id) WHERE l.send_status = 'sent'")) {
            rs.next();
            System.out.printf("   mails: %d sent; batch completed -> handed to SMTP: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    rs.getLong(1), rs.getDouble(2) * 1000, rs.getDouble(3) * 1000, rs.getDouble(4) * 1000);
        }
    }

    /**
     * 10k events from 100 users through the bundle with a real Strapi 5 (cms/strapi's types, the bundle's custom
     * token, each user's preferences seeded): how many by-user calls the cache saves, counted by the bundle's cache.
     */
    static void preferenceCacheStrapi(int events, int users) throws Exception {
        io.ingestnotify.support.StrapiServer strapi = io.ingestnotify.support.StrapiServer.shared();
        for (int u = 0; u < users; u++) {
            strapi.createPreference(1, 1, "user" + u + "@bench.example", 50, 30, "html", true, true, true);
        }
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> p = appProperties(schema, smtpPort, AvailablePortFinder.getNextAvailable(), "batch-table");
        p.put("ingest-notify.cms.api.url", strapi.url());
        p.put("ingest-notify.cms.api.token", io.ingestnotify.support.StrapiServer.BUNDLE_TOKEN);
        p.put("ingest-notify.cms.timeout.ms", "10000");
        p.put("ingest-notify.metadata.source", "auto"); // the default with a CMS: failed events are confirmed through Strapi
        RunningApp app = new RunningApp(p);
        try (Connection c = TestPostgres.connect(schema)) {
            app.context().getRouteController().stopRoute("ingest-notify-outbox-poller");
            fillOutbox(c, events, users);
            long t0 = System.nanoTime();
            app.context().getRouteController().startRoute("ingest-notify-outbox-poller");
            awaitOutboxDrained(c);
            double seconds = (System.nanoTime() - t0) / 1e9;
            io.ingestnotify.batching.PreferenceCache cache = app.bean("ingestNotifyPreferenceCache", io.ingestnotify.batching.PreferenceCache.class);
            long calls = cache.cmsCalls();
            String threshold = null;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT min(user_preferences_snapshot->>'batch_size_threshold') FROM batch_processing_sessions")) {
                rs.next();
                threshold = rs.getString(1);
            }
            System.out.printf("preference cache (real Strapi 5.54.0): %d events from %d users in %.1f s -> %d CMS calls "
                    + "(%.2f%% saved, %d failures; snapshot threshold %s = the seeded 50)%n",
                    events, users, seconds, calls, 100.0 * (events - calls) / events, cache.cmsFailures(), threshold);
        } finally {
            app.close();
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    /** 10k events from 100 users through the bundle with a CMS (WireMock): how many CMS calls the cache saves. */
    static void preferenceCache(int events, int users) throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer cms = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        cms.start();
        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/api/user-notification-preferences/by-user/.*"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":{\"notification_enabled\":true,\"batch_size_threshold\":50,\"notification_delay_minutes\":30,"
                                + "\"email_format\":\"html\",\"include_success_details\":true,\"include_error_details\":true}}")));
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> p = appProperties(schema, smtpPort, AvailablePortFinder.getNextAvailable(), "batch-table");
        p.put("ingest-notify.cms.api.url", "http://127.0.0.1:" + cms.port());
        p.put("ingest-notify.cms.api.token", "bench");
        RunningApp app = new RunningApp(p);
        try (Connection c = TestPostgres.connect(schema)) {
            app.context().getRouteController().stopRoute("ingest-notify-outbox-poller");
            fillOutbox(c, events, users);
            app.context().getRouteController().startRoute("ingest-notify-outbox-poller");
            awaitOutboxDrained(c);
            int calls = cms.countRequestsMatching(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/api/user-notification-preferences/.*")).build()).getCount();
            System.out.printf("preference cache: %d events from %d users -> %d CMS calls (%.2f%% saved)%n",
                    events, users, calls, 100.0 * (events - calls) / events);
        } finally {
            app.close();
            smtp.stop();
            cms.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    /**
     * Failed files cleaned from S3 (S3Proxy), the CMS (WireMock) and Chroma (npm chromadb): from each task's due time
     * (created_at + AUTO_CORRECTION_DELAY_SECONDS) to its dispatch (started_at) and to everything gone (completed_at).
     */
    static void corrections(int files) throws Exception {
        if (!io.ingestnotify.support.ChromaServer.available()) {
            System.out.println("corrections: skipped (run npm ci in src/test/chroma)");
            return;
        }
        com.github.tomakehurst.wiremock.WireMockServer cms = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        cms.start();
        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/api/files/.*"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204)));
        io.ingestnotify.embedded.EmbeddedS3 s3 = new io.ingestnotify.embedded.EmbeddedS3(null, 0);
        s3.start();
        s3.createBucket("bench-files");
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        int httpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (io.ingestnotify.support.ChromaServer chroma = new io.ingestnotify.support.ChromaServer()) {
            String collection = chroma.createCollection("global");
            Map<String, String> p = appProperties(schema, smtpPort, httpPort, "batch-table");
            p.put("ingest-notify.cms.api.url", "http://127.0.0.1:" + cms.port());
            p.put("ingest-notify.s3.bucket", "bench-files");
            p.put("ingest-notify.s3.endpoint", s3.endpoint());
            p.put("ingest-notify.s3.access-key", io.ingestnotify.embedded.EmbeddedS3.IDENTITY);
            p.put("ingest-notify.s3.secret-key", io.ingestnotify.embedded.EmbeddedS3.CREDENTIAL);
            p.put("ingest-notify.chroma.url", chroma.url());
            p.put("ingest-notify.auto.correction.delay.seconds", "1");
            RunningApp app = new RunningApp(p);
            HttpClient client = HttpClient.newHttpClient();
            try (Connection c = TestPostgres.connect(schema)) {
                var store = s3.blobStore();
                for (int i = 0; i < files; i++) {
                    store.putBlob("bench-files", store.blobBuilder("k/f" + i).payload(new byte[] {1}).build());
                    chroma.addChunks(collection, "f" + i, 3);
                    String body = "{\"event_id\":\"c-" + UUID.randomUUID() + "\",\"file_document_id\":\"f" + i + "\",\"status\":\"failed\","
                            + "\"company_id\":1,\"bot_id\":1,\"user_email\":\"u" + (i % 10) + "@bench.example\",\"storage_key\":\"k/f" + i
                            + "\",\"error_category\":\"processing_error\",\"error_message\":\"parser crashed\"}";
                    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/events"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(20); // spread the failures over time, as a pipeline would
                }
                awaitCount(c, "SELECT count(*) FROM auto_correction_tasks WHERE status IN ('pending','processing')", 0);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE status = 'completed'), "
                        + "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - (created_at + interval '1 second'))), "
                        + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - (created_at + interval '1 second'))), "
                        + "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - (created_at + interval '1 second'))), "
                        + "max(extract(epoch FROM completed_at - (created_at + interval '1 second'))) FROM auto_correction_tasks")) {
                    rs.next();
                    System.out.printf("corrections: %d/%d completed (S3 + CMS + Chroma); due -> dispatched p99 %.0f ms; "
                                    + "due -> all three gone p50 %.0f ms, p99 %.0f ms, max %.0f ms; chunks left %d, objects left %d%n",
                            rs.getLong(1), files, rs.getDouble(2) * 1000, rs.getDouble(3) * 1000, rs.getDouble(4) * 1000,
                            rs.getDouble(5) * 1000, chroma.count(collection), store.countBlobs("bench-files"));
                }
            } finally {
                app.close();
            }
        } finally {
            smtp.stop();
            s3.stop();
            cms.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    /** A 100k-event burst through the outbox under the JVM's heap limit: throughput per 10k slice, and heap used. */
    /**
     * A restart with many open batches: the batches are written first (one file each; notifications disabled so no
     * mail is sent; NOTIFICATION_DELAY_UNIT=SECONDS), their quiet periods ending spread evenly over BENCH_RESTART_SPREAD_S
     * seconds (300) that begin BENCH_RESTART_MARGIN_S seconds (90) after they are written: due times over a range, as
     * batches written over a delay's span are, and after the bundle is ready, so what is measured is the re-armed
     * timers' lateness and not a queue of batches all due at once. Then the bundle starts in this JVM. Time to ready:
     * constructor to started (the aggregator re-arms every open batch's timer while it starts); then how late each
     * batch's completion came after it was due, or after the bundle was ready when it was due earlier
     * (batch_end_time - greatest(due time, ready)). With BENCH_RESTART_WAIT=0 only the start is measured.
     */
    static void restart(int openBatches) throws Exception {
        int spread = Integer.parseInt(System.getenv().getOrDefault("BENCH_RESTART_SPREAD_S", "300"));
        int margin = Integer.parseInt(System.getenv().getOrDefault("BENCH_RESTART_MARGIN_S", "90"));
        int delay = margin + spread;
        String schema = TestPostgres.newSchema();
        try (HikariDataSource ds = Database.pool(TestPostgres.url(), "postgres", "", schema, 2)) {
            Database.migrate(ds, schema);
        }
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement()) {
            // batch g's quiet period ends at written + margin + spread * (1 - g / openBatches)
            s.executeUpdate("INSERT INTO batch_processing_sessions (batch_id, company_id, bot_id, user_email, batch_start_time, status,"
                    + " user_preferences_snapshot, total_files, successful_files, updated_at)"
                    + " SELECT gen_random_uuid(), 1, 1, 'r' || g || '@bench.example', now(), 'processing',"
                    + " '{\"notification_enabled\":false,\"batch_size_threshold\":50,\"notification_delay_minutes\":" + delay + "}', 1, 1,"
                    + " now() - make_interval(secs => g * " + spread + "::float8 / " + openBatches + ") FROM generate_series(1, " + openBatches + ") g");
            Map<String, String> p = appProperties(schema, smtpPort, AvailablePortFinder.getNextAvailable(), "batch-table");
            p.put("ingest-notify.notification.delay.unit", "SECONDS");
            long t0 = System.nanoTime();
            RunningApp app = new RunningApp(p);
            try {
                double ready = (System.nanoTime() - t0) / 1e9;
                java.sql.Timestamp readyAt;
                try (ResultSet rs = s.executeQuery("SELECT clock_timestamp()::timestamp")) {
                    rs.next();
                    readyAt = rs.getTimestamp(1);
                }
                int timers = aggregatorTimers(app);
                long heap = heapAfterGc();
                System.out.printf("restart with %,d open batches (due %d to %d s after written): ready in %.1f s, %,d timers held, "
                        + "heap after a GC %.0f MB (the whole bench JVM)%n", openBatches, margin, delay, ready, timers, heap / 1048576.0);
                if ("0".equals(System.getenv("BENCH_RESTART_WAIT"))) {
                    return;
                }
                long peak = 0;
                try (PreparedStatement open = c.prepareStatement("SELECT count(*) FROM batch_processing_sessions WHERE status = 'processing'")) {
                    long deadline = System.nanoTime() + (delay + 600) * 1_000_000_000L;
                    while (count(open) > 0 && System.nanoTime() < deadline) {
                        Runtime rt = Runtime.getRuntime();
                        peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                        Thread.sleep(200);
                    }
                }
                String due = "(updated_at + make_interval(secs => (user_preferences_snapshot->>'notification_delay_minutes')::int))";
                String late = "extract(epoch FROM batch_end_time - greatest(" + due + ", '" + readyAt + "'::timestamp))";
                try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE " + due + " < '" + readyAt
                        + "'::timestamp), count(*) FILTER (WHERE status <> 'processing'), percentile_cont(0.5) WITHIN GROUP (ORDER BY " + late + "),"
                        + " percentile_cont(0.99) WITHIN GROUP (ORDER BY " + late + "), max(" + late + ") FROM batch_processing_sessions")) {
                    rs.next();
                    System.out.printf("   %d were due before the bundle was ready; %,d completed; completion after due (or ready): "
                            + "p50 %.3f s, p99 %.3f s, max %.3f s; heap peak while completing %d MB (used, not after a GC)%n",
                            rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), peak / 1048576);
                }
            } finally {
                app.close();
            }
        } finally {
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    /**
     * One sweeper pass with many open batches (none due: quiet periods of 600 minutes) and, beside them, as many
     * completed and notified ones: the sweeper route's time per pass (Camel's route timer, SWEEPER_INTERVAL_MS=1000,
     * BENCH_SWEEPS passes), then EXPLAIN (ANALYZE, BUFFERS) of the claims it runs, in a transaction rolled back.
     * No CMS: the CMS marks and unsubscribes it also runs do nothing without one.
     */
    static void sweeper(int openBatches) throws Exception {
        int sweeps = Integer.parseInt(System.getenv().getOrDefault("BENCH_SWEEPS", "10"));
        String schema = TestPostgres.newSchema();
        try (HikariDataSource ds = Database.pool(TestPostgres.url(), "postgres", "", schema, 2)) {
            Database.migrate(ds, schema);
        }
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement()) {
            String insert = "INSERT INTO batch_processing_sessions (batch_id, company_id, bot_id, user_email, batch_start_time, status,"
                    + " user_preferences_snapshot, total_files, successful_files, updated_at, batch_end_time, notification_sent,"
                    + " timeout_at)"
                    + " SELECT gen_random_uuid(), 1, 1, '%s' || g || '@bench.example', now(), '%s',"
                    + " '{\"notification_enabled\":true,\"batch_size_threshold\":50,\"notification_delay_minutes\":600}', 1, 1,"
                    + " now(), %s, %s, now() + interval '600 minutes' FROM generate_series(1, " + openBatches + ") g";
            s.executeUpdate(String.format(insert, "o", "processing", "NULL", "false"));
            s.executeUpdate(String.format(insert, "d", "completed", "now() - interval '1 hour'", "true"));
            s.execute("ANALYZE batch_processing_sessions");
            Map<String, String> p = appProperties(schema, smtpPort, AvailablePortFinder.getNextAvailable(), "batch-table");
            p.put("ingest-notify.sweeper.interval.ms", "1000");
            RunningApp app = new RunningApp(p);
            try {
                io.micrometer.core.instrument.MeterRegistry registry = app.context().getRegistry()
                        .lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
                java.util.function.Supplier<io.micrometer.core.instrument.Timer> timer = () -> registry.find("camel.route.policy")
                        .tag("routeId", "ingest-notify-batch-sweeper").timer();
                Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> timer.get() != null && timer.get().count() >= sweeps);
                io.micrometer.core.instrument.Timer t = timer.get();
                System.out.printf("sweeper with %,d open batches (and %,d completed): %d passes, mean %.1f ms, max %.1f ms per pass "
                        + "(whole route: every claim and split); open batches left %,d%n", openBatches, openBatches, t.count(),
                        t.mean(java.util.concurrent.TimeUnit.MILLISECONDS), t.max(java.util.concurrent.TimeUnit.MILLISECONDS),
                        count(c, "SELECT count(*) FROM batch_processing_sessions WHERE status = 'processing'"));
            } finally {
                app.close();
            }
            Map<String, String> values = Map.of("ingest-notify.instance.id", "'bench'", "ingest-notify.lease.seconds", "30",
                    "ingest-notify.max.batch.age.hours", "24", "ingest-notify.notification.delay.unit.seconds", "60",
                    "ingest-notify.sweeper.grace.seconds", "2");
            for (String query : List.of("batching/claim-due-batches", "batching/claim-unnotified-batches", "notification/claim-stalled-digests",
                    "notification/claim-held-digests")) {
                String sql = Queries.get(query);
                for (Map.Entry<String, String> v : values.entrySet()) {
                    sql = sql.replace(":#${properties:" + v.getKey() + "}", v.getValue());
                }
                sql = sql.replaceFirst("\\?", "'bench'").replaceFirst("\\?", "30").replaceFirst("\\?", "now()");
                c.setAutoCommit(false);
                try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                    System.out.println("   EXPLAIN ANALYZE " + query + ":");
                    while (rs.next()) {
                        String line = rs.getString(1);
                        if (line.contains("Scan") || line.contains("Execution Time") || line.contains("Rows Removed")) {
                            System.out.println("      " + line);
                        }
                    }
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } finally {
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    /**
     * Many events, one timed round: warm-up at up to 20k events, then the per-event bare loop, the set-based bare loop
     * and the bundle (batch-table) at the full size, events/s and JVM CPU per 1,000 events each. GreenMail's mailboxes
     * are emptied every second while the bundle runs (1M events are 20,000 digests, more than the heap holds), and the
     * heap's peak is sampled. BENCH_VOLUME_BARE=0 leaves the bare loops out.
     */
    static void volume(int events, int users) throws Exception {
        int warm = Math.min(events, 20_000);
        System.out.printf("volume: warm-up at %,d events (untimed)%n", warm);
        bundleOutbox(warm, users, "batch-table", true);
        bareJdbc(warm / 4, users, false);
        bareJdbc(warm / 4, users, true);
        System.out.printf("volume: %,d events from %d users%n", events, users);
        double bare = 0;
        double setBare = 0;
        if (!"0".equals(System.getenv("BENCH_VOLUME_BARE"))) {
            bare = bareJdbc(events, users, false);
            System.out.printf("bare JDBC loop, per event        : %8.0f events/s%n", bare);
            setBare = bareJdbc(events, users, true);
            System.out.printf("bare JDBC loop, set-based        : %8.0f events/s%n", setBare);
        }
        double bundle = bundleOutbox(events, users, "batch-table", true);
        System.out.printf("bundle, outbox, batch-table repo : %8.0f events/s (%.2f x per-event bare, %.2f x set-based bare)%n",
                bundle, bundle / bare, bundle / setBare);
    }

    /**
     * Failed events confirmed through a Strapi-shaped CMS (METADATA_SOURCE=auto with CMS_API_URL: the CMS's grouped
     * look-up): `events` events from `users` users, 10 % failed, through the outbox in groups of 200. Counts the CMS's
     * grouped look-ups (filters[documentId][$in]) and single GETs against the groups filed.
     */
    static void cmsLookUp(int events, int users) throws Exception {
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (StrapiShapedCms cms = new StrapiShapedCms(50, 30)) {
            Map<String, String> p = appProperties(schema, smtpPort, AvailablePortFinder.getNextAvailable(), "batch-table");
            p.put("ingest-notify.cms.api.url", cms.url());
            p.put("ingest-notify.cms.api.token", "bench");
            p.put("ingest-notify.metadata.source", "auto");
            p.put("ingest-notify.auto.correction.delay.seconds", "3600"); // the tasks are written; their clean-up is not measured here
            RunningApp app = new RunningApp(p);
            try (Connection c = TestPostgres.connect(schema)) {
                app.context().getRouteController().stopRoute("ingest-notify-outbox-poller");
                fillOutbox(c, events, users);
                app.context().getRouteController().startRoute("ingest-notify-outbox-poller");
                awaitOutboxDrained(c);
                double rate = events / secondsSinceFirstClaim(c);
                long groups = count(c, "SELECT count(DISTINCT claimed_at) FROM file_events");
                long failed = count(c, "SELECT count(*) FROM file_events WHERE status = 'failed'");
                long tasks = count(c, "SELECT count(*) FROM auto_correction_tasks");
                System.out.printf("CMS look-up: %,d events (%,d failed) in %,d groups at %.0f events/s (busy machine); grouped look-ups %,d "
                                + "(%.2f per group, %,d ids, at most %d per call), single GETs %,d; preference calls %,d; correction tasks %,d%n",
                        events, failed, groups, rate, cms.groupedLookUps.get(), (double) cms.groupedLookUps.get() / groups, cms.groupedIds.get(),
                        cms.maxIdsPerLookUp.get(), cms.singleLookUps.get(), cms.preferenceCalls.get(), tasks);
            } finally {
                app.close();
            }
        } finally {
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    static void burst(int events, int users) throws Exception {
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        RunningApp app = new RunningApp(appProperties(schema, smtpPort, AvailablePortFinder.getNextAvailable(), "batch-table"));
        Runtime rt = Runtime.getRuntime();
        long maxUsed = 0;
        try (Connection c = TestPostgres.connect(schema)) {
            app.context().getRouteController().stopRoute("ingest-notify-outbox-poller");
            fillOutbox(c, events, users);
            long start = System.nanoTime();
            long sliceStart = start;
            long nextSlice = 10_000;
            List<String> slices = new ArrayList<>();
            app.context().getRouteController().startRoute("ingest-notify-outbox-poller");
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM file_events WHERE processed_at IS NOT NULL")) {
                while (true) {
                    long done;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        done = rs.getLong(1);
                    }
                    maxUsed = Math.max(maxUsed, rt.totalMemory() - rt.freeMemory());
                    while (done >= nextSlice) {
                        long now = System.nanoTime();
                        slices.add(String.format("%.0f", 10_000 / ((now - sliceStart) / 1e9)));
                        sliceStart = now;
                        nextSlice += 10_000;
                    }
                    if (done >= events) {
                        break;
                    }
                    Thread.sleep(20); // the sampling period: heap and slice rates are read every 20 ms, not waited for
                }
            }
            System.out.printf("burst: %d events in %.1f s (%.0f events/s); per 10k slice: %s events/s; heap max %d MB, peak used %d MB%n",
                    events, (System.nanoTime() - start) / 1e9, events / ((System.nanoTime() - start) / 1e9), slices,
                    rt.maxMemory() / (1024 * 1024), maxUsed / (1024 * 1024));
        } finally {
            app.close();
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    static double bundleHttp(int events, int users) throws Exception {
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        int httpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        RunningApp app = new RunningApp(appProperties(schema, smtpPort, httpPort, "batch-table"));
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < events; i += 50) {
                StringBuilder b = new StringBuilder("[");
                for (int j = i; j < Math.min(events, i + 50); j++) {
                    b.append(j == i ? "" : ",").append("{\"event_id\":\"h-").append(UUID.randomUUID()).append("\",\"file_document_id\":\"d")
                            .append(j).append("\",\"status\":\"success\",\"user_email\":\"user").append(j % users)
                            .append("@bench.example\",\"company_id\":1,\"bot_id\":1,\"file_name\":\"f").append(j).append(".pdf\"}");
                }
                bodies.add(b.append("]").toString());
            }
            long start = System.nanoTime();
            List<Future<Integer>> results = new ArrayList<>();
            for (String body : bodies) {
                results.add(pool.submit(() -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/events"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> f : results) {
                if (f.get() != 202) {
                    throw new IllegalStateException("HTTP " + f.get());
                }
            }
            return events / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
            app.close();
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    /**
     * An in-process HTTP server answering as Strapi 5 with cms/strapi's content types does for what the bundle asks:
     * the by-user preference route ({"data": {...}}), the grouped file look-up (GET /api/files?filters[documentId][$in][i]=…,
     * {"data": [...], "meta": {"pagination": …}}), one file (GET /api/files/{id}) and its mark (PUT). It counts each
     * kind of call, and the most ids one grouped look-up carried. (JDK's HttpServer: no request journal to fill the heap.)
     */
    static final class StrapiShapedCms implements AutoCloseable {
        final com.sun.net.httpserver.HttpServer server;
        final java.util.concurrent.atomic.AtomicLong preferenceCalls = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong groupedLookUps = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong groupedIds = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicInteger maxIdsPerLookUp = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong singleLookUps = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong marks = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong other = new java.util.concurrent.atomic.AtomicLong();

        /** @param delayMinutes every user's notification_delay_minutes (in NOTIFICATION_DELAY_UNIT) */
        StrapiShapedCms(int threshold, int delayMinutes) throws java.io.IOException {
            // The JDK's server writes headers and body apart; without TCP_NODELAY each answer waits ~40 ms for the
            // client's delayed ACK (Strapi's Node server sets no-delay). Read once, when its first server is made.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 200);
            server.setExecutor(Executors.newFixedThreadPool(8));
            String prefs = "{\"data\":{\"company_id\":1,\"bot_id\":1,\"user_email\":\"%s\",\"notification_enabled\":true,"
                    + "\"batch_size_threshold\":" + threshold + ",\"notification_delay_minutes\":" + delayMinutes + ",\"email_format\":\"html\","
                    + "\"include_success_details\":true,\"include_error_details\":true,\"timezone\":null,\"quiet_hours_start\":null,"
                    + "\"quiet_hours_end\":null,\"max_digests_per_day\":null,\"is_default\":true}}";
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                String body;
                int status = 200;
                if (path.startsWith("/api/user-notification-preferences/by-user/") && method.equals("GET")) {
                    preferenceCalls.incrementAndGet();
                    body = String.format(prefs, path.substring(path.lastIndexOf('/') + 1));
                } else if (path.equals("/api/files") && method.equals("GET")) {
                    List<String> ids = new ArrayList<>();
                    for (String param : exchange.getRequestURI().getRawQuery().split("&")) {
                        String name = java.net.URLDecoder.decode(param.substring(0, param.indexOf('=')), java.nio.charset.StandardCharsets.UTF_8);
                        if (name.startsWith("filters[documentId][$in]")) {
                            ids.add(java.net.URLDecoder.decode(param.substring(param.indexOf('=') + 1), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                    groupedLookUps.incrementAndGet();
                    groupedIds.addAndGet(ids.size());
                    maxIdsPerLookUp.accumulateAndGet(ids.size(), Math::max);
                    StringBuilder b = new StringBuilder("{\"data\":[");
                    for (int i = 0; i < ids.size(); i++) {
                        b.append(i == 0 ? "" : ",").append(fileJson(i + 1, ids.get(i)));
                    }
                    body = b.append("],\"meta\":{\"pagination\":{\"page\":1,\"pageSize\":100,\"pageCount\":1,\"total\":").append(ids.size())
                            .append("}}}").toString();
                } else if (path.startsWith("/api/files/") && method.equals("GET")) {
                    singleLookUps.incrementAndGet();
                    body = "{\"data\":" + fileJson(1, path.substring("/api/files/".length())) + ",\"meta\":{}}";
                } else if (path.startsWith("/api/files/") && method.equals("PUT")) {
                    marks.incrementAndGet();
                    body = "{\"data\":" + fileJson(1, path.substring("/api/files/".length())) + ",\"meta\":{}}";
                } else {
                    other.incrementAndGet();
                    status = 404;
                    body = "{\"data\":null,\"error\":{\"status\":404,\"name\":\"NotFoundError\",\"message\":\"Not Found\",\"details\":{}}}";
                }
                exchange.getRequestBody().readAllBytes();
                byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        static String fileJson(int id, String documentId) {
            return "{\"id\":" + id + ",\"documentId\":\"" + documentId + "\",\"name\":\"" + documentId + ".pdf\",\"storage_key\":\"k/"
                    + documentId + "\",\"company_id\":1,\"bot_id\":1,\"notification_sent\":false,\"last_notification_batch\":null}";
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    /** The timers the batching aggregator holds now: the size of its AggregateProcessor's timeout map (read by reflection). */
    static int aggregatorTimers(RunningApp app) throws Exception {
        int timers = 0;
        for (org.apache.camel.Route route : app.context().getRoutes()) {
            for (org.apache.camel.processor.aggregate.AggregateProcessor aggregator : aggregators(route.navigate())) {
                java.lang.reflect.Field f = org.apache.camel.processor.aggregate.AggregateProcessor.class.getDeclaredField("timeoutMap");
                f.setAccessible(true);
                org.apache.camel.TimeoutMap<?, ?> map = (org.apache.camel.TimeoutMap<?, ?>) f.get(aggregator);
                timers += map == null ? 0 : map.size();
            }
        }
        return timers;
    }

    static List<org.apache.camel.processor.aggregate.AggregateProcessor> aggregators(org.apache.camel.Navigate<?> nav) {
        List<org.apache.camel.processor.aggregate.AggregateProcessor> found = new ArrayList<>();
        if (nav == null || !nav.hasNext()) {
            return found;
        }
        for (Object p : nav.next()) {
            if (p instanceof org.apache.camel.processor.aggregate.AggregateProcessor a) {
                found.add(a);
            }
            if (p instanceof org.apache.camel.Navigate<?> n) {
                found.addAll(aggregators(n));
            }
        }
        return found;
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Distinct recipients: `users` users with two events each (so as many open batches: threshold 50, quiet period of
     * 600 minutes), their preferences from a Strapi-shaped CMS. After the outbox is drained: heap after a GC (the whole
     * bench JVM), the preference cache's size, the CMS preference calls (counted at the CMS), and the timers the
     * aggregator holds (its timeout map; the batch-table repository's keys beside it).
     */
    static void users(int users) throws Exception {
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (StrapiShapedCms cms = new StrapiShapedCms(50, 600)) {
            Map<String, String> p = appProperties(schema, smtpPort, AvailablePortFinder.getNextAvailable(), "batch-table");
            p.put("ingest-notify.cms.api.url", cms.url());
            p.put("ingest-notify.cms.api.token", "bench");
            RunningApp app = new RunningApp(p);
            try (Connection c = TestPostgres.connect(schema)) {
                app.context().getRouteController().stopRoute("ingest-notify-outbox-poller");
                fillOutbox(c, 2 * users, users);
                long t0 = System.nanoTime();
                app.context().getRouteController().startRoute("ingest-notify-outbox-poller");
                awaitOutboxDrained(c);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long open = count(c, "SELECT count(*) FROM batch_processing_sessions WHERE status = 'processing'");
                io.ingestnotify.batching.PreferenceCache cache = app.bean("ingestNotifyPreferenceCache", io.ingestnotify.batching.PreferenceCache.class);
                // The aggregator re-arms a timer per notice it receives; wait until it holds one per open batch (or 60 s).
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (aggregatorTimers(app) < open && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                int timers = aggregatorTimers(app);
                int repoKeys = app.bean("ingestNotifyAggregationRepository", org.apache.camel.spi.AggregationRepository.class).getKeys().size();
                long heap = heapAfterGc();
                System.out.printf("users %,d: %,d events filed in %.1f s; %,d open batches; heap after a GC %.0f MB (whole bench JVM); "
                                + "preference cache %,d entries; CMS preference calls %,d (bundle's count %,d); aggregator timers %,d "
                                + "(repository keys %,d)%n", users, 2 * users, seconds, open, heap / 1048576.0, cache.size(),
                        cms.preferenceCalls.get(), cache.cmsCalls(), timers, repoKeys);
            } finally {
                app.close();
            }
        } finally {
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return count(ps);
        }
    }
}
