package io.ingestnotify.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** The one JDBC helper: named queries ({@link Queries}) run with positional arguments, rows as JSON-ready maps. */
public final class Jdbc {

    private Jdbc() {
    }

    /** Runs a named query on its own connection; timestamps come back as ISO text in UTC ("…Z"). */
    public static List<Map<String, Object>> rows(DataSource dataSource, String query, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return rows(c, query, args);
        }
    }

    public static List<Map<String, Object>> rows(Connection c, String query, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Queries.get(query))) {
            bind(ps, args);
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        row.put(md.getColumnLabel(i), v instanceof Timestamp t ? t.toLocalDateTime() + "Z" : v);
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    /** Runs a named update on its own connection; the number of rows it changed. */
    public static int update(DataSource dataSource, String query, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(Queries.get(query))) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Runs a named update inside the caller's transaction. */
    public static int update(Connection c, String query, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Queries.get(query))) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** The operational tables keep UTC wall-clock timestamps (TIMESTAMP without time zone). */
    public static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.valueOf(i.atOffset(ZoneOffset.UTC).toLocalDateTime());
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i] instanceof Instant instant ? timestamp(instant) : args[i]);
        }
    }
}
