package io.ingestnotify.correction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.common.Queries;
import org.apache.camel.Header;

/** What the operator API does with a task: show it with its timeline, give a failed one a fresh round. */
public class CorrectionTaskApi {

    private final DataSource dataSource;
    private final ObjectMapper mapper = new ObjectMapper();

    public CorrectionTaskApi(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The task as JSON-ready map, its execution log parsed: GET /api/corrections/{id}. */
    public Map<String, Object> view(@Header("id") String id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("correction/correction-task"))) {
            ps.setInt(1, Integer.parseInt(id));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String col = rs.getMetaData().getColumnLabel(i);
                    Object v = rs.getObject(i);
                    if (col.equals("execution_log") || col.equals("correction_actions")) {
                        v = mapper.readValue((String) v, Object.class);
                    } else if (v instanceof Timestamp t) {
                        v = t.toLocalDateTime().toString() + "Z";
                    } else if (v instanceof UUID u) {
                        v = u.toString();
                    }
                    m.put(col, v);
                }
                return m;
            }
        }
    }

    /** POST /api/corrections/{id}/retry: a failed task gets a fresh round of attempts; false when it is not failed. */
    public boolean retry(@Header("id") String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("correction/retry-correction"))) {
            ps.setInt(1, Integer.parseInt(id));
            return ps.executeUpdate() == 1;
        }
    }

    /** Whether a task with this id exists: an unknown id is a 404, a known one that cannot be retried a 409. */
    public boolean exists(@Header("id") String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("correction/correction-task-exists"))) {
            ps.setInt(1, Integer.parseInt(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
