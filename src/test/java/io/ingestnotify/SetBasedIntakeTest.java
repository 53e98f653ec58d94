package io.ingestnotify;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ingestnotify.batching.BatchAssigner;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.config.Database;
import io.ingestnotify.correction.CorrectionTasks;
import io.ingestnotify.event.FileEvent;
import io.ingestnotify.intake.DatabaseErrors;
import io.ingestnotify.intake.EventRecorder;
import io.ingestnotify.intake.IntakeResult;
import io.ingestnotify.intake.IntakeTransaction;
import io.ingestnotify.intake.RecipientDomains;
import io.ingestnotify.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The intake transaction files a group with a fixed number of statements whatever its size, and keeps the rules of
 * the per-event filing: batches filled in event order, exactly-once by event_id, one open batch per key.
 */
class SetBasedIntakeTest {

    private static final int THRESHOLD = 3;

    private static String schema;
    private static HikariDataSource pool;
    private static final AtomicInteger STATEMENTS = new AtomicInteger();
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static IntakeTransaction intake;

    @BeforeAll
    static void start() {
        schema = TestPostgres.newSchema();
        pool = Database.pool(TestPostgres.url(), "postgres", "", schema, 4);
        Database.migrate(pool, schema);
        DataSource counting = counting(pool);
        Function<FileEvent.BatchKey, Preferences> prefs = k -> Preferences.defaults(THRESHOLD, 60);
        intake = new IntakeTransaction(counting, new EventRecorder(counting), new BatchAssigner(TimeUnit.MINUTES, "test", 60),
                prefs, null, RecipientDomains.any(), new CorrectionTasks(counting, 30, 30, null, null, null));
    }

    @AfterAll
    static void stop() {
        pool.close();
        TestPostgres.dropSchema(schema);
    }

    @BeforeEach
    void resetCount() {
        STATEMENTS.set(0);
    }

    @Test
    void aGroupCostsTheSameStatementsForOneAndFiveHundredEvents() throws Exception {
        // HTTP events, all failed (every table is written), spread over users so that many batches fill up.
        int one = statementsFor(httpGroup(1, 1, "failed"));
        int many = statementsFor(httpGroup(500, 40, "failed"));
        assertThat(many).isEqualTo(one);
        // Outbox rows, the other shape: claimed rows taken and marked, with one statement each too.
        int oneRow = statementsFor(outboxGroup(1, 1));
        int manyRows = statementsFor(outboxGroup(500, 40));
        assertThat(manyRows).isEqualTo(oneRow);
        // record, assign, batch_files, file_processing_status, processing_errors, tasks / take, assign, files, status, marks
        assertThat(one).isEqualTo(6);
        assertThat(oneRow).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM auto_correction_tasks")).isGreaterThanOrEqualTo(501);
    }

    @Test
    void oneUserCrossingTheThresholdSeveralTimesGetsSeveralBatchesInEventOrder() throws Exception {
        String user = user();
        IntakeResult first = intake.commit(List.of(event(user, "success", "o-0")));
        assertThat(first.touched.values()).singleElement().satisfies(t -> assertThat(t.status()).isEqualTo("processing"));
        List<FileEvent> group = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            group.add(event(user, i == 4 ? "failed" : "success", "o-" + i));
        }
        IntakeResult r = intake.commit(group);

        // The open batch takes 2 more files (3 in all, closed by size), then 3 (closed), then 2 stay open.
        List<IntakeResult.BatchTouch> touched = List.copyOf(r.touched.values());
        assertThat(touched).extracting(IntakeResult.BatchTouch::filesAdded).containsExactly(2, 3, 2);
        assertThat(touched).extracting(IntakeResult.BatchTouch::totalFiles).containsExactly(3, 3, 2);
        assertThat(touched).extracting(IntakeResult.BatchTouch::status).containsExactly("completed", "completed", "processing");
        assertThat(touched.get(0).batchId()).isEqualTo(first.touched.keySet().iterator().next());
        assertThat(r.accepted).isEqualTo(7);
        assertThat(group).extracting(e -> e.batchId).containsExactly(touched.get(0).batchId(), touched.get(0).batchId(),
                touched.get(1).batchId(), touched.get(1).batchId(), touched.get(1).batchId(), touched.get(2).batchId(),
                touched.get(2).batchId());

        List<Map<String, Object>> batches = rows("SELECT b.batch_id::text AS id, b.status, b.total_files, b.successful_files,"
                + " b.failed_files, b.completion_reason, b.lease_owner, string_agg(f.file_document_id, ',' ORDER BY f.file_document_id) AS docs"
                + " FROM batch_processing_sessions b JOIN batch_files f USING (batch_id) WHERE b.user_email = ?"
                + " GROUP BY b.id ORDER BY b.id", user);
        assertThat(batches).extracting(b -> b.get("docs")).containsExactly("o-0,o-1,o-2", "o-3,o-4,o-5", "o-6,o-7");
        assertThat(batches).extracting(b -> b.get("status")).containsExactly("completed", "completed", "processing");
        assertThat(batches).extracting(b -> b.get("completion_reason")).containsExactly("size", "size", null);
        assertThat(batches).extracting(b -> b.get("lease_owner")).containsExactly("test", "test", null);
        assertThat(batches.get(1)).containsEntry("failed_files", 1).containsEntry("successful_files", 2);
    }

    @Test
    void aRepeatedEventIdIsADuplicateAlsoWithinOneGroup() throws Exception {
        String user = user();
        FileEvent a = event(user, "success", "d-1");
        FileEvent b = event(user, "failed", "d-2");
        FileEvent again = event(user, "success", "d-1");
        again.eventId = a.eventId;
        List<FileEvent> group = List.of(a, b, again);
        IntakeResult r = intake.commit(group);
        assertThat(r.accepted).isEqualTo(2);
        assertThat(r.duplicates).isEqualTo(1);
        assertThat(again.duplicate).isTrue();
        assertThat(a.duplicate).isFalse();
        assertThat(again.batchId).isNull();

        // The same group again: all duplicates, nothing more recorded.
        List<FileEvent> repeat = List.of(copy(a), copy(b), copy(again));
        IntakeResult r2 = intake.commit(repeat);
        assertThat(r2.accepted).isZero();
        assertThat(r2.duplicates).isEqualTo(3);
        assertThat(r2.touched).isEmpty();
        assertThat(repeat).allMatch(e -> e.duplicate);
        assertThat(count("SELECT count(*) FROM batch_files f JOIN batch_processing_sessions s USING (batch_id) WHERE s.user_email = ?", user))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM file_processing_status WHERE file_document_id IN ('d-1','d-2')")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE file_document_id = 'd-2'")).isEqualTo(1);
    }

    @Test
    void twoConcurrentGroupsKeepOneOpenBatchPerKey() throws Exception {
        List<String> users = List.of(user(), user(), user());
        int rounds = 15;
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool2 = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> filed = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Callable<Integer> worker = () -> {
                    int files = 0;
                    for (int round = 0; round < rounds; round++) {
                        List<FileEvent> group = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            group.add(event(users.get((round + i) % users.size()), "success", "c-" + SEQ.incrementAndGet()));
                        }
                        barrier.await(30, TimeUnit.SECONDS);
                        files += commitRetryingLostRaces(group).accepted;
                    }
                    return files;
                };
                filed.add(pool2.submit(worker));
            }
            int total = 0;
            for (Future<Integer> f : filed) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(2 * rounds * 5);
        } finally {
            pool2.shutdownNow();
        }
        for (String u : users) {
            assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE user_email = ? AND status = 'processing'", u))
                    .isLessThanOrEqualTo(1);
            // Every batch holds the files it counts; every completed one exactly the threshold.
            assertThat(count("SELECT count(*) FROM batch_processing_sessions b WHERE user_email = ? AND total_files <>"
                    + " (SELECT count(*) FROM batch_files f WHERE f.batch_id = b.batch_id)", u)).isZero();
            assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE user_email = ? AND status = 'completed'"
                    + " AND total_files <> ?", u, THRESHOLD)).isZero();
        }
        assertThat(count("SELECT count(*) FROM batch_files f JOIN batch_processing_sessions b USING (batch_id)"
                + " WHERE b.user_email IN (?, ?, ?)", users.get(0), users.get(1), users.get(2))).isEqualTo(2L * rounds * 5);
    }

    @Test
    void aBatchOpenedByAnotherTransactionMeanwhileIsALostRaceAndTheGroupIsFiledAgain() throws Exception {
        String user = user();
        FileEvent e = event(user, "success", "r-1");
        String other = java.util.UUID.randomUUID().toString();
        ExecutorService single = Executors.newSingleThreadExecutor();
        try (Connection rival = TestPostgres.connect(schema)) {
            rival.setAutoCommit(false);
            try (PreparedStatement ps = rival.prepareStatement("INSERT INTO batch_processing_sessions (batch_id, company_id, bot_id,"
                    + " user_email, batch_start_time, status, user_preferences_snapshot) VALUES (?::uuid, 1, 2, ?, now(), 'processing',"
                    + " '{\"batch_size_threshold\": 3, \"notification_delay_minutes\": 60}')")) {
                ps.setString(1, other);
                ps.setString(2, user);
                ps.executeUpdate();
            }
            // The group waits on the rival's uncommitted open batch (the one-open-batch-per-key index), then loses.
            int rivalPid;
            try (Statement st = rival.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                rivalPid = rs.getInt(1);
            }
            Future<IntakeResult> filing = single.submit(() -> intake.commit(List.of(e)));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> count(
                    "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", rivalPid) > 0);
            rival.commit();
            assertThat(org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> filing.get(30, TimeUnit.SECONDS)).getCause())
                    .isInstanceOfSatisfying(SQLException.class, ex -> assertThat(DatabaseErrors.lostRace(ex)).isTrue());
        } finally {
            single.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", e.eventId)).isZero();
        // Filed again (the route's redelivery): the file joins the batch the rival opened.
        IntakeResult r = intake.commit(List.of(e));
        assertThat(r.accepted).isEqualTo(1);
        assertThat(e.batchId).isEqualTo(other);
        assertThat(count("SELECT total_files FROM batch_processing_sessions WHERE batch_id = ?::uuid", other)).isEqualTo(1);
    }

    /** The route's redelivery of a lost race (40001 / 40P01), done here by hand. */
    private static IntakeResult commitRetryingLostRaces(List<FileEvent> group) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                return intake.commit(group);
            } catch (SQLException ex) {
                if (!DatabaseErrors.lostRace(ex) || attempt > 50) {
                    throw ex;
                }
            }
        }
    }

    private static int statementsFor(List<FileEvent> group) throws SQLException {
        STATEMENTS.set(0);
        IntakeResult r = intake.commit(group);
        assertThat(r.accepted).isEqualTo(group.size());
        assertThat(group).allMatch(e -> e.batchId != null && !e.duplicate);
        return STATEMENTS.get();
    }

    private static List<FileEvent> httpGroup(int n, int users, String status) {
        List<String> emails = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            emails.add(user());
        }
        List<FileEvent> group = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            group.add(event(emails.get(i % users), status, "h-" + SEQ.incrementAndGet()));
        }
        return group;
    }

    private static List<FileEvent> outboxGroup(int n, int users) throws SQLException {
        List<FileEvent> group = httpGroup(n, users, "success");
        try (Connection c = TestPostgres.connect(schema);
             PreparedStatement ps = c.prepareStatement("INSERT INTO file_events (event_id, file_document_id, status, user_email,"
                     + " company_id, bot_id, source, claimed_at) VALUES (?, ?, ?, ?, ?, ?, 'outbox', now()) RETURNING id")) {
            for (FileEvent e : group) {
                ps.setString(1, e.eventId);
                ps.setString(2, e.fileDocumentId);
                ps.setString(3, e.status);
                ps.setString(4, e.userEmail);
                ps.setInt(5, e.companyId);
                ps.setInt(6, e.botId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    e.fileEventRowId = rs.getInt(1);
                }
                e.source = "outbox";
            }
        }
        return group;
    }

    private static FileEvent event(String user, String status, String doc) {
        FileEvent e = new FileEvent();
        e.eventId = "ev-" + SEQ.incrementAndGet() + "-" + schema;
        e.fileDocumentId = doc;
        e.status = status;
        e.userEmail = user;
        e.companyId = 1;
        e.botId = 2;
        e.fileName = doc + ".pdf";
        e.occurredAt = Instant.now();
        if ("failed".equals(status)) {
            e.errorCategory = "processing_error";
            e.errorMessage = "failed at chunking";
            e.stage = "chunking";
        }
        return e;
    }

    private static FileEvent copy(FileEvent from) {
        FileEvent e = event(from.userEmail, from.status, from.fileDocumentId);
        e.eventId = from.eventId;
        return e;
    }

    private static String user() {
        return "u" + SEQ.incrementAndGet() + "@example.com";
    }

    private static long count(String sql, Object... args) throws SQLException {
        return ((Number) rows(sql, args).get(0).values().iterator().next()).longValue();
    }

    private static List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
        try (Connection c = TestPostgres.connect(schema); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    /**
     * A DataSource that counts the statements sent to PostgreSQL: each execute, and each row added to a JDBC batch
     * (which the server runs as one statement per row).
     */
    private static DataSource counting(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(SetBasedIntakeTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (result instanceof Connection c) {
                        return Proxy.newProxyInstance(SetBasedIntakeTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                                (p2, m2, a2) -> {
                                    Object r2 = invoke(c, m2, a2);
                                    if (r2 instanceof Statement s) {
                                        Class<?> type = s instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                                        return Proxy.newProxyInstance(SetBasedIntakeTest.class.getClassLoader(), new Class<?>[] {type},
                                                (p3, m3, a3) -> {
                                                    String name = m3.getName();
                                                    if (name.startsWith("execute") && !name.equals("executeBatch") || name.equals("addBatch")) {
                                                        STATEMENTS.incrementAndGet();
                                                    }
                                                    return invoke(s, m3, a3);
                                                });
                                    }
                                    return r2;
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
