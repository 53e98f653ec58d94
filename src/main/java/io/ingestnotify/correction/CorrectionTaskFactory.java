package io.ingestnotify.correction;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import io.ingestnotify.event.FileEvent;



/** Creates auto-correction tasks for the failed events of a group, inside the intake transaction. */
public interface CorrectionTaskFactory {

    /**
     * @param filed   the group's filed events with their file_events row ids
     * @param batchOf the batch each batched event joined
     */
    void create(Connection c, Map<FileEvent, Integer> filed, Map<FileEvent, String> batchOf) throws SQLException;
}
