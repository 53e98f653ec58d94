package io.ingestnotify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** The ops page's data: the reference design's operational queries and the lists an operator acts on, as one JSON document. */
public class OpsSummary {

    private final DataSource dataSource;
    private final double delayUnitSeconds;
    private final int maxAgeHours;
    private final DeletionBreaker breaker;

    public OpsSummary(DataSource dataSource, double delayUnitSeconds, int maxAgeHours, DeletionBreaker breaker) {
        this.breaker = breaker;
        this.dataSource = dataSource;
        this.delayUnitSeconds = delayUnitSeconds;
        this.maxAgeHours = maxAgeHours;
    }

    public Map<String, Object> summary() throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            m.put("batchStatus", rows(c, "ops-batch-status"));
            m.put("emailStatus", rows(c, "ops-email-status"));
            m.put("correctionStatus", rows(c, "ops-correction-status"));
            m.put("openBatches", rows(c, "ops-open-batches", delayUnitSeconds, maxAgeHours));
            m.put("recentMails", rows(c, "ops-recent-mails"));
            m.put("failedCorrections", rows(c, "ops-failed-corrections"));
            m.put("heldCorrections", breaker.summary(c));
        }
        return m;
    }

    static List<Map<String, Object>> rows(Connection c, String query, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Queries.get(query))) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
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
}
