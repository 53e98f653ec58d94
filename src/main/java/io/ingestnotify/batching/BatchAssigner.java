package io.ingestnotify.batching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.ingestnotify.common.ArrayColumns;
import io.ingestnotify.common.Formats;
import io.ingestnotify.common.Queries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns the files of an intake group to their batches inside the intake transaction, in one statement
 * (batching/assign-files.sql): PostgreSQL is the authority on membership. Per key, the files fill the open batch
 * (the one that reaches the snapshot's threshold closes it by size), then new batches in event order.
 */
public class BatchAssigner {

    private static final Logger LOG = LoggerFactory.getLogger(BatchAssigner.class);

    private final TimeUnit delayUnit;
    private final double unitSeconds;
    private final String instanceId;
    private final int leaseSeconds;

    /** @param instanceId and leaseSeconds: the lease a size completion takes on the batch, until its digest is claimed */
    public BatchAssigner(TimeUnit delayUnit, String instanceId, int leaseSeconds) {
        this.delayUnit = delayUnit;
        this.unitSeconds = delayUnit.toNanos(1) / 1e9;
        this.instanceId = instanceId;
        this.leaseSeconds = leaseSeconds;
    }

    /** One file to place: its key, whether it failed, and the key's preferences (the snapshot of a batch it opens). */
    public record File(int companyId, int botId, String userEmail, boolean failed, Preferences preferences) {
    }

    /** The batch a file joined, as it is after the group: what the aggregator needs to hear. */
    public record Assignment(String batchId, int totalFiles, String status, long delayMillis) {
    }

    /** The group's assignments, in the order of its files, and the log lines of the batches it opened. */
    public record Assigned(List<Assignment> assignments, List<String> opened) {

        /** Called after the commit: a batch opened by a rolled-back transaction never existed. */
        public void logOpened() {
            opened.forEach(LOG::info);
        }
    }

    /**
     * Places the files, given ordered by key and, within a key, by event. A batch another transaction opened
     * meanwhile for one of the keys is a lost race (SQLState 40001): the whole group is filed again.
     */
    public Assigned assign(Connection c, List<File> files) throws SQLException {
        if (files.isEmpty()) {
            return new Assigned(List.of(), List.of());
        }
        ArrayColumns cols = new ArrayColumns(files.size(), "int4", "int4", "int4", "text", "bool", "text", "uuid");
        Map<Preferences, String> snapshots = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            File f = files.get(i);
            String snapshot = snapshots.computeIfAbsent(f.preferences(), p -> Formats.json(p.toSnapshot()));
            // A batch this file opens gets this id (made here, as before, not by the server: any PostgreSQL version).
            cols.add(i, f.companyId(), f.botId(), f.userEmail(), f.failed(), snapshot, UUID.randomUUID());
        }
        Assignment[] assignments = new Assignment[files.size()];
        List<String> opened = new ArrayList<>();
        Set<String> openedIds = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(Queries.get("batching/assign-files"))) {
            int next = cols.bind(c, ps, 1);
            // Twice (the grown open batches, the new ones): the lease of a size completion, then the delay unit of timeout_at.
            for (int round = 0; round < 2; round++) {
                ps.setString(next++, instanceId);
                ps.setInt(next++, leaseSeconds);
                ps.setDouble(next++, unitSeconds);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int ord = rs.getInt("ord");
                    Assignment a = new Assignment(rs.getString("batch_id"), rs.getInt("total_files"), rs.getString("status"),
                            delayUnit.toMillis(rs.getInt("delay_minutes")));
                    if (rs.getBoolean("opened") && openedIds.add(a.batchId())) {
                        File f = files.get(ord);
                        Preferences p = f.preferences();
                        opened.add("Batch " + a.batchId() + " opened for company " + f.companyId() + " bot " + f.botId()
                                + " (threshold " + p.batchSizeThreshold() + " files, delay " + p.notificationDelayMinutes()
                                + " " + delayUnit.name().toLowerCase() + ")");
                    }
                    assignments[ord] = a;
                }
            }
        } catch (SQLException ex) {
            if ("23505".equals(ex.getSQLState())) {
                // Another transaction opened a batch for one of the keys after this statement's snapshot.
                throw new SQLException("Lost the race to open a batch for a key of this group: " + ex.getMessage(), "40001", ex);
            }
            throw ex;
        }
        for (int i = 0; i < assignments.length; i++) {
            if (assignments[i] == null) {
                throw new SQLException("File " + i + " of the group was not placed in a batch", "40001");
            }
        }
        return new Assigned(List.of(assignments), opened);
    }
}
