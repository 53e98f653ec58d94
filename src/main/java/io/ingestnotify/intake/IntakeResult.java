package io.ingestnotify.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ingestnotify.intake.IntakeAnswer;

/** What one group of events did: the counts answered to the caller, and the batches the aggregator must hear about. */
public class IntakeResult {

    public int accepted;
    public int duplicates;
    public int rejected;
    public int noRecipient;
    public int recipientNotAllowed;
    public int fileNotFound;
    /** Failed events the metadata look-up contradicts: recorded with the reason, no correction task. */
    public int metadataMismatch;
    public final Map<String, BatchTouch> touched = new LinkedHashMap<>();

    /** One batch a group added files to: its state right after the commit. */
    public record BatchTouch(String batchId, int filesAdded, int totalFiles, String status, long delayMillis) {
    }

    /** Adds another group's result (an outbox group filed one event at a time): counts add up, a batch's last state wins. */
    public void add(IntakeResult other) {
        accepted += other.accepted;
        duplicates += other.duplicates;
        rejected += other.rejected;
        noRecipient += other.noRecipient;
        recipientNotAllowed += other.recipientNotAllowed;
        fileNotFound += other.fileNotFound;
        metadataMismatch += other.metadataMismatch;
        other.touched.forEach((id, t) -> touched.merge(id, t, (a, b) ->
                new BatchTouch(id, a.filesAdded() + b.filesAdded(), b.totalFiles(), b.status(), b.delayMillis())));
    }

    public List<BatchTouch> touchedBatches() {
        return new ArrayList<>(touched.values());
    }

    public IntakeAnswer toResponse() {
        return new IntakeAnswer(accepted, duplicates, rejected, noRecipient, fileNotFound, recipientNotAllowed, metadataMismatch,
                touched.keySet());
    }
}
