package io.ingestnotify.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.ingestnotify.common.Jdbc;

/**
 * Each operational table's size on disk and its approximate row count (PostgreSQL's statistics), for the ops page and
 * the gauge {@code ingest_table_bytes{table}}. The gauge reads a copy at most {@link #MAX_AGE_MS} old, so a scrape
 * costs the database one small query now and then.
 */
public class TableSizes {

    /** The tables the bundle writes. */
    public static final List<String> TABLES = List.of("file_events", "batch_processing_sessions", "batch_files",
            "file_processing_status", "processing_errors", "auto_correction_tasks", "email_notification_log",
            "notification_retry_log", "retention_pass");

    static final long MAX_AGE_MS = 15_000;

    private final DataSource dataSource;
    private final Map<String, Long> bytes = new ConcurrentHashMap<>();
    private volatile long readAt;

    public TableSizes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Table, bytes and rows of each table, read now. */
    public List<Map<String, Object>> read(Connection c) throws SQLException {
        List<Map<String, Object>> rows = Jdbc.rows(c, "retention/table-sizes", c.createArrayOf("text", TABLES.toArray()));
        rows.forEach(r -> bytes.put((String) r.get("table"), ((Number) r.get("bytes")).longValue()));
        readAt = System.currentTimeMillis();
        return rows;
    }

    /** The table's size in bytes as last read (read again when older than MAX_AGE_MS); NaN when the database is down. */
    public double bytes(String table) {
        if (System.currentTimeMillis() - readAt > MAX_AGE_MS) {
            try (Connection c = dataSource.getConnection()) {
                read(c);
            } catch (SQLException e) {
                return Double.NaN;
            }
        }
        Long b = bytes.get(table);
        return b == null ? Double.NaN : b;
    }
}
