package io.ingestnotify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one group of events did: the counts answered to the caller, and the batches the aggregator must hear about. */
public class IntakeResult {

    public int accepted;
    public int duplicates;
    public int rejected;
    public int noRecipient;
    public int fileNotFound;
    /** Failed events the metadata look-up contradicts: recorded with the reason, no correction task. */
    public int metadataMismatch;
    public final Map<String, BatchTouch> touched = new LinkedHashMap<>();

    /** One batch a group added files to: its state right after the commit. */
    public record BatchTouch(String batchId, int filesAdded, int totalFiles, String status, long delayMillis) {
    }

    public List<BatchTouch> touchedBatches() {
        return new ArrayList<>(touched.values());
    }

    public Map<String, Object> toResponse() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", accepted);
        m.put("duplicates", duplicates);
        m.put("rejected", rejected);
        m.put("no_recipient", noRecipient);
        m.put("file_not_found", fileNotFound);
        m.put("metadata_mismatch", metadataMismatch);
        m.put("batches", touched.keySet());
        return m;
    }
}
