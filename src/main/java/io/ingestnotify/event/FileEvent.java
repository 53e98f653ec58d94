package io.ingestnotify.event;

import java.time.Instant;

/**
 * One file-processing outcome as the intake sees it (README's "Sending events" table).
 * Mutable on purpose: metadata look-up and recipient resolution fill the blanks before the event is filed.
 */
public class FileEvent {

    public Integer fileEventRowId;   // file_events.id when the event came from the outbox
    public String eventId;
    public String fileDocumentId;
    public String status;            // success | failed
    public String userEmail;
    public Integer companyId;
    public Integer botId;
    public String fileName;
    public String storageKey;
    public Long fileSizeBytes;
    public String stage;
    public Integer chunksCreated;
    public Integer processingTimeSeconds;
    public String errorMessage;
    public String errorCategory;
    public Instant occurredAt;
    public String source = "http";

    /** An event the metadata look-up contradicts (storage key, company or bot): recorded with the reason, no task. */
    public static final String METADATA_MISMATCH = "metadata_mismatch";

    /**
     * Outcome decided before filing: batched, no_recipient, recipient_not_allowed, file_not_found, metadata_mismatch;
     * rejected rows and contradicted events carry a reason.
     */
    public String outcome;
    public String rejectedReason;
    /** What the look-up said about a failed file, for its correction task's timeline. */
    public String lookupNote;
    /** Set by the intake transaction: the event was not filed, its event_id (or outbox row) was filed before. */
    public boolean duplicate;
    /** Set by the intake transaction: the batch the event joined, if any. */
    public String batchId;

    public boolean failed() {
        return "failed".equals(status) || "file_not_found".equals(outcome);
    }

    public boolean hasMetadata() {
        return companyId != null && botId != null;
    }

    public String displayName() {
        return fileName != null && !fileName.isBlank() ? fileName : fileDocumentId;
    }

    public BatchKey key() {
        return new BatchKey(companyId, botId, userEmail);
    }

    public record BatchKey(int companyId, int botId, String userEmail) implements Comparable<BatchKey> {
        @Override
        public int compareTo(BatchKey o) {
            int c = Integer.compare(companyId, o.companyId);
            if (c == 0) {
                c = Integer.compare(botId, o.botId);
            }
            return c != 0 ? c : userEmail.compareTo(o.userEmail);
        }
    }
}
