package io.ingestnotify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.ingestnotify.batching.BatchAssigner;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.common.Queries;
import io.ingestnotify.config.Database;
import io.ingestnotify.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: an open batch's stored timeout_at is the sweeper's due test. A batch is claimed when its snapshot's delay
 * (in the configured unit) has passed since its last file, not before; a batch that grows moves it later; a too-old
 * batch is claimed by its age whatever timeout_at says. Time is moved by shifting the batch's timestamps back.
 */
class BatchDueTimeTest {

    private static final int DELAY = 600;        // notification_delay_minutes in the snapshot, the unit is SECONDS
    private static final int GRACE = 2;          // sweeper.grace.seconds
    private static final AtomicInteger USERS = new AtomicInteger();

    private static String schema;
    private static HikariDataSource pool;
    private static final BatchAssigner ASSIGNER = new BatchAssigner(TimeUnit.SECONDS, "test", 60);

    @BeforeAll
    static void start() {
        schema = TestPostgres.newSchema();
        pool = Database.pool(TestPostgres.url(), "postgres", "", schema, 2);
        Database.migrate(pool, schema);
    }

    @AfterAll
    static void stop() {
        pool.close();
        TestPostgres.dropSchema(schema);
    }

    @Test
    void aBatchIsDueExactlyWhenItsSnapshotDelayHasPassed() throws Exception {
        String batch = addFile(user());
        assertThat(seconds("EXTRACT(EPOCH FROM timeout_at - updated_at)", batch)).isEqualTo(DELAY);
        // 30 s before delay + grace: not claimed (a margin no stall of this machine reaches)
        shiftBack(batch, DELAY + GRACE - 30);
        assertThat(claims()).doesNotContainKey(batch);
        shiftBack(batch, 31);
        assertThat(claims()).containsEntry(batch, "timeout");
    }

    @Test
    void aBatchThatGrowsMovesItsTimeoutLater() throws Exception {
        String user = user();
        String batch = addFile(user);
        shiftBack(batch, 500);
        double before = seconds("EXTRACT(EPOCH FROM timeout_at)", batch);
        assertThat(addFile(user)).isEqualTo(batch);
        assertThat(seconds("EXTRACT(EPOCH FROM timeout_at)", batch)).isGreaterThanOrEqualTo(before + 499);
        assertThat(seconds("EXTRACT(EPOCH FROM timeout_at - updated_at)", batch)).isEqualTo(DELAY);
        // 1,090 s after its first file but 590 s after its last: still quiet
        shiftBack(batch, 590);
        assertThat(claims()).doesNotContainKey(batch);
        shiftBack(batch, 30);
        assertThat(claims()).containsEntry(batch, "timeout");
    }

    @Test
    void aTooOldBatchIsClaimedByMaxAgeBeforeItsTimeout() throws Exception {
        String batch = addFile(user());
        execute("UPDATE batch_processing_sessions SET batch_start_time = batch_start_time - interval '24 hours 1 minute'"
                + " WHERE batch_id = ?::uuid", batch);
        assertThat(seconds("EXTRACT(EPOCH FROM timeout_at - now()::timestamp)", batch)).isGreaterThan(DELAY - 60);
        assertThat(claims()).containsEntry(batch, "max_age");
    }

    @Test
    void anOpenBatchFromBeforeTheColumnGetsItsTimeoutFromTheSweeper() throws Exception {
        String batch = addFile(user());
        shiftBack(batch, DELAY + GRACE + 30);
        execute("UPDATE batch_processing_sessions SET timeout_at = NULL WHERE batch_id = ?::uuid", batch);
        // the first pass fills timeout_at with the delay unit, the next one claims the batch
        assertThat(claims()).doesNotContainKey(batch);
        assertThat(seconds("EXTRACT(EPOCH FROM timeout_at - updated_at)", batch)).isEqualTo(DELAY);
        assertThat(claims()).containsEntry(batch, "timeout");
    }

    private static String user() {
        return "due" + USERS.incrementAndGet() + "@example.com";
    }

    /** Files one file for the user's key (company 1, bot 1) and returns its batch. */
    private static String addFile(String user) throws Exception {
        try (Connection c = pool.getConnection()) {
            return ASSIGNER.assign(c, List.of(new BatchAssigner.File(1, 1, user, false, Preferences.defaults(10, DELAY))))
                    .assignments().get(0).batchId();
        }
    }

    /** Moves the batch back in time: its start, last file and timeout. */
    private static void shiftBack(String batch, int seconds) throws Exception {
        execute("UPDATE batch_processing_sessions SET batch_start_time = batch_start_time - make_interval(secs => " + seconds + "),"
                + " updated_at = updated_at - make_interval(secs => " + seconds + "),"
                + " timeout_at = timeout_at - make_interval(secs => " + seconds + ") WHERE batch_id = ?::uuid", batch);
    }

    /** One sweeper claim (claim-due-batches with this test's settings): claimed batch to reason. */
    private static Map<String, String> claims() throws Exception {
        String sql = Queries.get("batching/claim-due-batches");
        Map<String, String> settings = Map.of("ingest-notify.instance.id", "'test'", "ingest-notify.lease.seconds", "30",
                "ingest-notify.max.batch.age.hours", "24", "ingest-notify.notification.delay.unit.seconds", "1",
                "ingest-notify.sweeper.grace.seconds", String.valueOf(GRACE));
        for (Map.Entry<String, String> s : settings.entrySet()) {
            sql = sql.replace(":#${properties:" + s.getKey() + "}", s.getValue());
        }
        Map<String, String> claimed = new HashMap<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                claimed.put(rs.getString(1), rs.getString(2));
            }
        }
        return claimed;
    }

    private static double seconds(String expression, String batch) throws Exception {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + expression + " FROM batch_processing_sessions WHERE batch_id = ?::uuid")) {
            ps.setString(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    private static void execute(String sql, String batch) throws Exception {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, batch);
            ps.executeUpdate();
        }
    }
}
