package io.ingestnotify.retention;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.common.IngestMetrics;
import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.Leases;
import io.ingestnotify.common.Queries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention pass: claims the pass (one row, a lease renewed by the heartbeat, so two instances never run the same
 * pass), then removes what is past its age, kind by kind, in chunks. A chunk is one short transaction that locks only
 * the rows it removes (SKIP LOCKED: a row someone holds waits for the next pass) and commits only while the pass is
 * still this instance's; between chunks it pauses. The pass starts no chunk after its time is up. A pass cut short
 * (an error, a killed instance) leaves whole chunks done and nothing else: the next pass goes on from there.
 */
public class Retention {

    /** How long each kind is kept ({@link Duration#ZERO}: forever). */
    public record Ages(Duration events, Duration batchFiles, Duration digestBodies, Duration retryLog, Duration corrections,
                       Duration batches, Duration audit) {
    }

    /** Chunk size, pause between chunks, a pass's time and the interval between passes. */
    public record Pace(int chunkRows, long chunkPauseMs, Duration passTime, Duration interval) {
    }

    /** Where a kind's walk through its table has got to within this pass: the last row's time and id. */
    private record Cursor(Timestamp at, long id) {
        static final Cursor START = new Cursor(Timestamp.valueOf("1970-01-01 00:00:00"), 0);
    }

    /** What one chunk did: how many candidates it took (0: the kind is done), removed rows per table, its cursor. */
    private record Chunk(int taken, Map<String, Long> removed, Cursor next) {
    }

    @FunctionalInterface
    private interface Kind {
        Chunk run(Connection c, long ageSeconds, Cursor cursor) throws SQLException;
    }

    /** A kind of data with its age. */
    private record Step(Duration age, Kind kind) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The lease kind of a pass in progress (common.Leases renews it). */
    private static final String LEASE_KIND = "retention";

    private final DataSource dataSource;
    private final Ages ages;
    private final Pace pace;
    private final boolean cmsConfigured;
    private final int maxCorrectionAttempts;
    private final Leases leases;
    private final IngestMetrics metrics;

    public Retention(DataSource dataSource, Ages ages, Pace pace, boolean cmsConfigured, int maxCorrectionAttempts, Leases leases,
                     IngestMetrics metrics) {
        this.dataSource = dataSource;
        this.ages = ages;
        this.pace = pace;
        this.cmsConfigured = cmsConfigured;
        this.maxCorrectionAttempts = maxCorrectionAttempts;
        this.leases = leases;
        this.metrics = metrics;
    }

    /** Runs the next pass if this instance claims it; null when it is not due or another instance runs it. */
    public RetentionReport pass() throws SQLException {
        long started = System.nanoTime();
        Integer pass = claim();
        if (pass == null) {
            return null;
        }
        leases.hold(LEASE_KIND, pass);
        long deadline = started + pace.passTime().toNanos();
        Map<String, Long> removed = new LinkedHashMap<>();
        String stopped = null;
        boolean failed = false;
        // What refers before what it refers to: bodies, retry log, the batches' detail and finished corrections (both
        // refer to events and batches), then the events, the batch rows themselves, and the operator's audit (refers to nothing).
        List<Step> steps = List.of(new Step(ages.digestBodies(), this::digestBodies), new Step(ages.retryLog(), this::retryLog),
                new Step(ages.batchFiles(), this::batchDetail), new Step(ages.corrections(), this::corrections),
                new Step(ages.events(), this::events), new Step(ages.batches(), this::batches), new Step(ages.audit(), this::audit));
        try {
            for (Step step : steps) {
                stopped = walk(pass, deadline, removed, step.age(), step.kind());
                if (stopped != null) {
                    break;
                }
            }
        } catch (SQLException | RuntimeException e) {
            failed = true;
            stopped = "stopped by an error: " + e.getMessage();
        } finally {
            leases.release(LEASE_KIND, pass);
            finish(pass, removed, stopped);
        }
        RetentionReport report = new RetentionReport(pass, leases.instanceId(), removed, (System.nanoTime() - started) / 1_000_000, stopped);
        if (failed) {
            LOG.warn(report.line());
        } else {
            LOG.info(report.line());
        }
        return report;
    }

    private Integer claim() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("retention/claim-pass"))) {
            ps.setString(1, leases.instanceId());
            ps.setDouble(2, leases.seconds());
            ps.setDouble(3, pace.interval().toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private void finish(int pass, Map<String, Long> removed, String stopped) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("retention/finish-pass"))) {
            ps.setString(1, JSON.writeValueAsString(removed));
            ps.setString(2, stopped);
            ps.setInt(3, pass);
            ps.setString(4, leases.instanceId());
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One kind, chunk after chunk until none is left; answers why it stopped early, or null. */
    private String walk(int pass, long deadline, Map<String, Long> removed, Duration age, Kind kind) throws SQLException {
        if (age.isZero()) {
            return null;
        }
        Cursor cursor = Cursor.START;
        while (true) {
            if (System.nanoTime() > deadline) {
                return "stopped at its time limit (" + pace.passTime().toSeconds() + " s); the rest waits for the next pass";
            }
            Cursor from = cursor;
            Chunk chunk = inTransaction(pass, c -> kind.run(c, age.toSeconds(), from));
            if (chunk.taken() == 0) {
                return null;
            }
            chunk.removed().forEach((table, n) -> {
                removed.merge(table, n, Long::sum);
                metrics.retentionRemoved(table, n);
            });
            cursor = chunk.next();
            pause();
        }
    }

    @FunctionalInterface
    private interface Work {
        Chunk run(Connection c) throws SQLException;
    }

    /** A chunk: one transaction, committed only while the pass is still this instance's. */
    private Chunk inTransaction(int pass, Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    // Named in pg_stat_activity while it runs.
                    s.execute("SET LOCAL application_name = 'ingest-notify-retention'");
                }
                Chunk chunk = work.run(c);
                if (chunk.taken() > 0 && !stillHeld(c, pass)) {
                    throw new SQLException("the pass's lease was lost (taken over after " + leases.seconds() + " s without renewal)");
                }
                c.commit();
                return chunk;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private boolean stillHeld(Connection c, int pass) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Queries.get("retention/pass-still-held"))) {
            ps.setInt(1, pass);
            ps.setString(2, leases.instanceId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // --- the kinds: each a chunk of its own query (queries/retention/*.sql)

    private Chunk digestBodies(Connection c, long age, Cursor cursor) throws SQLException {
        return single(c, "retention/digest-bodies", "email_bodies", age, cursor);
    }

    private Chunk retryLog(Connection c, long age, Cursor cursor) throws SQLException {
        return single(c, "retention/retry-log", "notification_retry_log", age, cursor);
    }

    private Chunk corrections(Connection c, long age, Cursor cursor) throws SQLException {
        return single(c, "retention/finished-corrections", "auto_correction_tasks", age, cursor, maxCorrectionAttempts);
    }

    private Chunk audit(Connection c, long age, Cursor cursor) throws SQLException {
        return single(c, "retention/audit", "operator_audit", age, cursor);
    }

    /** Ended batches' files, statuses and errors: whole batches per chunk, up to the chunk's rows (at least one batch). */
    private Chunk batchDetail(Connection c, long age, Cursor cursor) throws SQLException {
        List<Map<String, Object>> candidates = select(c, "retention/ended-batches", age, cursor, cmsConfigured, pace.chunkRows());
        List<UUID> batches = new ArrayList<>();
        long files = 0;
        Cursor next = cursor;
        for (Map<String, Object> b : candidates) {
            files += ((Number) b.get("total_files")).longValue();
            if (!batches.isEmpty() && files > pace.chunkRows()) {
                break;
            }
            batches.add((UUID) b.get("batch_id"));
            next = cursorOf(b);
        }
        if (batches.isEmpty()) {
            return new Chunk(0, Map.of(), cursor);
        }
        Array ids = c.createArrayOf("uuid", batches.toArray());
        return new Chunk(batches.size(), counts(c, "retention/remove-batch-detail", ids, ids, ids, ids), next);
    }

    /** Processed outbox rows nothing keeps, with the statuses and errors still on them. */
    private Chunk events(Connection c, long age, Cursor cursor) throws SQLException {
        List<Map<String, Object>> events = select(c, "retention/old-events", age, cursor, pace.chunkRows());
        if (events.isEmpty()) {
            return new Chunk(0, Map.of(), cursor);
        }
        Array ids = c.createArrayOf("int4", events.stream().map(e -> e.get("id")).toArray());
        Map<String, Long> removed = counts(c, "retention/remove-event-detail", ids, ids);
        removed.put("file_events", (long) Jdbc.update(c, "retention/remove-events", ids));
        return new Chunk(events.size(), removed, cursorOf(events.get(events.size() - 1)));
    }

    /** Batch rows whose detail is gone, with their digest's row and whatever else still names them. */
    private Chunk batches(Connection c, long age, Cursor cursor) throws SQLException {
        List<Map<String, Object>> rows = select(c, "retention/old-batches", age, cursor, pace.chunkRows());
        if (rows.isEmpty()) {
            return new Chunk(0, Map.of(), cursor);
        }
        Array ids = c.createArrayOf("uuid", rows.stream().map(r -> r.get("batch_id")).toArray());
        Map<String, Long> removed = counts(c, "retention/remove-batch-logs", ids, ids, ids, ids);
        removed.put("batch_processing_sessions", (long) Jdbc.update(c, "retention/remove-batches", ids));
        return new Chunk(rows.size(), removed, cursorOf(rows.get(rows.size() - 1)));
    }

    /** A kind removed by one statement that answers the rows it removed (id, at). */
    private Chunk single(Connection c, String query, String table, long age, Cursor cursor, Object... extra) throws SQLException {
        Object[] args = new Object[3 + extra.length + 1];
        args[0] = (double) age;
        args[1] = cursor.at();
        args[2] = cursor.id();
        System.arraycopy(extra, 0, args, 3, extra.length);
        args[args.length - 1] = pace.chunkRows();
        List<Map<String, Object>> rows = rows(c, query, args);
        if (rows.isEmpty()) {
            return new Chunk(0, Map.of(), cursor);
        }
        return new Chunk(rows.size(), Map.of(table, (long) rows.size()), cursorOf(rows.get(rows.size() - 1)));
    }

    private static List<Map<String, Object>> select(Connection c, String query, long age, Cursor cursor, Object... rest)
            throws SQLException {
        Object[] args = new Object[3 + rest.length];
        args[0] = (double) age;
        args[1] = cursor.at();
        args[2] = cursor.id();
        System.arraycopy(rest, 0, args, 3, rest.length);
        return rows(c, query, args);
    }

    private static Cursor cursorOf(Map<String, Object> row) {
        return new Cursor((Timestamp) row.get("at"), ((Number) row.get("id")).longValue());
    }

    /** A statement answering one row of counts, by table. */
    private static Map<String, Long> counts(Connection c, String query, Object... args) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        rows(c, query, args).get(0).forEach((table, n) -> {
            if (((Number) n).longValue() > 0) {
                counts.put(table, ((Number) n).longValue());
            }
        });
        return counts;
    }

    /** Rows as maps, timestamps kept as such (they go back into the next chunk's cursor). */
    private static List<Map<String, Object>> rows(Connection c, String query, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Queries.get(query))) {
            bind(ps, args);
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private void pause() {
        if (pace.chunkPauseMs() > 0) {
            try {
                Thread.sleep(pace.chunkPauseMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("retention pass interrupted", e);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone (killed): the server rolled its transaction back
        }
    }
}
