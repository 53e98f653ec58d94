package io.ingestnotify.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ingestnotify.common.IntakeCounts;
import io.ingestnotify.event.FileEvent;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/** What one group of events did: the counts answered to the caller, and the batches the aggregator must hear about. */
public class IntakeResult implements IntakeCounts {

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

    @Override
    public Map<String, Integer> eventsByOutcome() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("accepted", accepted);
        counts.put("duplicate", duplicates);
        counts.put("rejected", rejected);
        counts.put("no_recipient", noRecipient);
        counts.put("file_not_found", fileNotFound);
        counts.put("recipient_not_allowed", recipientNotAllowed);
        counts.put("metadata_mismatch", metadataMismatch);
        return counts;
    }

    @Override
    public long batchesCompletedBySize() {
        return touched.values().stream().filter(t -> "completed".equals(t.status())).count();
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

    /**
     * The aggregator's notices, one message per batch the group touched: headers batchId, batchStatus (completed when
     * intake filled it) and batchDelayMillis, body the files it added. Built here in one step, not by four
     * expressions per batch: a group of 200 events touches up to 200 batches.
     */
    public static List<Message> batchNotices(@Body IntakeResult result, Exchange exchange) {
        List<Message> notices = new ArrayList<>(result.touched.size());
        for (BatchTouch t : result.touched.values()) {
            Message notice = new DefaultMessage(exchange.getContext());
            notice.setHeader("batchId", t.batchId());
            notice.setHeader("batchStatus", t.status());
            notice.setHeader("batchDelayMillis", t.delayMillis());
            notice.setBody(t.filesAdded());
            notices.add(notice);
        }
        return notices;
    }

    /**
     * One request's share of a group's result (group commit): the counts of its own events, as the transaction marked
     * them, and the batches they joined.
     */
    static IntakeResult forEvents(List<FileEvent> events, IntakeResult group) {
        IntakeResult r = new IntakeResult();
        for (FileEvent e : events) {
            if (e.duplicate) {
                r.duplicates++;
            } else if (!r.countFiled(e.outcome)) {
                r.rejected++;
            } else if ("batched".equals(e.outcome)) {
                r.touched.putIfAbsent(e.batchId, group.touched.get(e.batchId));
            }
        }
        return r;
    }

    /**
     * Counts a filed event's outcome: the one place that says which outcomes are accepted. False, counting nothing,
     * for a rejected event (the transaction counts those before filing, a request's share after).
     */
    boolean countFiled(String outcome) {
        switch (outcome) {
            case "batched" -> {
            }
            case "no_recipient" -> noRecipient++;
            case "recipient_not_allowed" -> recipientNotAllowed++;
            case "file_not_found" -> fileNotFound++;
            case FileEvent.METADATA_MISMATCH -> metadataMismatch++;
            default -> {
                return false;
            }
        }
        accepted++;
        return true;
    }

    public IntakeAnswer toResponse() {
        return new IntakeAnswer(accepted, duplicates, rejected, noRecipient, fileNotFound, recipientNotAllowed, metadataMismatch,
                touched.keySet());
    }
}
