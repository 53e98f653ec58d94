package io.ingestnotify.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.Leases;
import io.ingestnotify.correction.DeletionBreaker;
import io.ingestnotify.retention.TableSizes;

/** The ops page's data: the reference design's operational queries and the lists an operator acts on, as one JSON document. */
public class OpsSummary {

    private final DataSource dataSource;
    private final double delayUnitSeconds;
    private final int maxAgeHours;
    private final DeletionBreaker breaker;
    private final Leases leases;
    private final int outboxLeaseSeconds;
    private final TableSizes tableSizes;

    public OpsSummary(DataSource dataSource, double delayUnitSeconds, int maxAgeHours, DeletionBreaker breaker, Leases leases,
                      int outboxLeaseSeconds, TableSizes tableSizes) {
        this.tableSizes = tableSizes;
        this.breaker = breaker;
        this.leases = leases;
        this.outboxLeaseSeconds = outboxLeaseSeconds;
        this.dataSource = dataSource;
        this.delayUnitSeconds = delayUnitSeconds;
        this.maxAgeHours = maxAgeHours;
    }

    public Map<String, Object> summary() throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            m.put("batchStatus", Jdbc.rows(c, "ops/ops-batch-status"));
            m.put("emailStatus", Jdbc.rows(c, "ops/ops-email-status"));
            m.put("correctionStatus", Jdbc.rows(c, "ops/ops-correction-status"));
            m.put("openBatches", Jdbc.rows(c, "ops/ops-open-batches", delayUnitSeconds, maxAgeHours));
            m.put("recentMails", Jdbc.rows(c, "ops/ops-recent-mails"));
            m.put("failedCorrections", Jdbc.rows(c, "ops/ops-failed-corrections"));
            m.put("heldCorrections", breaker.summary(c));
            // The recipient's controls: digests held back (and when each goes out), and the suppression list.
            m.put("heldDigests", Jdbc.rows(c, "ops/ops-held-digests"));
            m.put("suppressions", Jdbc.rows(c, "ops/ops-suppressions"));
            // Several instances: which one answers, and which one holds what (live leases by owner and kind).
            m.put("instance", leases.instanceId());
            m.put("leases", Jdbc.rows(c, "ops/ops-leases", outboxLeaseSeconds, outboxLeaseSeconds));
            // Storage: each table's size and rows, and the latest retention pass with what it removed.
            m.put("tables", tableSizes.read(c));
            Map<String, Object> retention = new LinkedHashMap<>();
            Jdbc.rows(c, "retention/last-pass").forEach(retention::putAll);
            retention.put("removed", Jdbc.rows(c, "retention/last-pass-removed"));
            m.put("retention", retention);
        }
        return m;
    }
}
