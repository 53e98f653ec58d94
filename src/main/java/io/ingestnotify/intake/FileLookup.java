package io.ingestnotify.intake;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the {@code direct:lookup-file} route (the reference design's query on the CMS's files table; a deployment can
 * point that route at the CMS API instead) for a file's metadata:
 * <ul>
 * <li>for any event that left out company/bot, to fill the blanks (as always);</li>
 * <li>where a look-up is configured (METADATA_LOOKUP), for every failed event too, before its correction task is
 * made: the look-up's storage key, company and bot win, and an event that contradicts them is recorded as
 * metadata_mismatch and gets no task. Successes are not looked up, so intake stays fast, and a group's failed events
 * are looked up in one query ({@code direct:lookup-files}) unless the user replaced lookup-file.</li>
 * </ul>
 * A look-up error propagates: an outage must never make a known file look missing.
 */
public class FileLookup {

    private static final Logger LOG = LoggerFactory.getLogger(FileLookup.class);

    private final ProducerTemplate template;
    private volatile boolean confirmFailures;
    private volatile boolean grouped;

    public FileLookup(ProducerTemplate template) {
        this.template = template;
    }

    /**
     * Set once at start by {@link MetadataLookupMode}.
     * @param grouped the failed events of a group are looked up in one query (direct:lookup-files), else one by one
     */
    void confirmFailures(boolean on, boolean grouped) {
        this.confirmFailures = on;
        this.grouped = grouped;
    }

    public boolean confirmsFailures() {
        return confirmFailures;
    }

    public List<FileEvent> complete(List<FileEvent> events) {
        Map<String, Map<?, ?>> failedRows = confirmFailures && grouped ? lookUpFailed(events) : null;
        for (FileEvent e : events) {
            if ("rejected".equals(e.outcome)) {
                continue;
            }
            boolean confirm = confirmFailures && "failed".equals(e.status);
            if (e.hasMetadata() && !confirm) {
                continue;
            }
            Map<?, ?> row = confirm && failedRows != null ? failedRows.get(e.fileDocumentId)
                    : template.requestBodyAndHeader("direct:lookup-file", null, "documentId", e.fileDocumentId, Map.class);
            if (row == null || row.isEmpty()) {
                if (confirm && e.storageKey != null) {
                    // Nothing confirms the key: it is not deleted (the CMS record and chunks go by document id).
                    e.lookupNote = "not found by the metadata look-up; the event's storage key " + e.storageKey + " is not trusted";
                    e.storageKey = null;
                }
                continue;
            }
            Integer company = row.get("company_id") instanceof Number n ? n.intValue() : null;
            Integer bot = row.get("bot_id") instanceof Number n ? n.intValue() : null;
            String key = row.get("storage_key") != null ? row.get("storage_key").toString() : null;
            if (confirm) {
                String conflict = conflict(e, company, bot, key);
                if (conflict != null) {
                    e.outcome = FileEvent.METADATA_MISMATCH;
                    e.rejectedReason = conflict;
                    LOG.warn("Event {} for file {} contradicts the metadata look-up ({}): recorded, no correction task",
                            e.eventId, e.fileDocumentId, conflict);
                    continue;
                }
                // The look-up wins: the task acts only on what it confirms.
                e.companyId = company != null ? company : e.companyId;
                e.botId = bot != null ? bot : e.botId;
                e.storageKey = key;
                e.lookupNote = "confirmed by the metadata look-up";
            }
            if (e.companyId == null) {
                e.companyId = company;
            }
            if (e.botId == null) {
                e.botId = bot;
            }
            if (e.fileName == null && row.get("file_name") != null) {
                e.fileName = row.get("file_name").toString();
            }
            if (e.storageKey == null && key != null) {
                e.storageKey = key;
            }
        }
        return events;
    }

    /** The rows of the group's failed events, by document id, from one query. */
    private Map<String, Map<?, ?>> lookUpFailed(List<FileEvent> events) {
        List<String> ids = events.stream().filter(e -> !"rejected".equals(e.outcome) && "failed".equals(e.status))
                .map(e -> e.fileDocumentId).distinct().toList();
        Map<String, Map<?, ?>> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        List<?> answer = template.requestBodyAndHeader("direct:lookup-files", null, "documentIds", ids, List.class);
        for (Object o : answer == null ? List.of() : answer) {
            if (o instanceof Map<?, ?> row && row.get("document_id") != null) {
                rows.putIfAbsent(row.get("document_id").toString(), row);
            }
        }
        return rows;
    }

    /** Where the event names something other than the look-up: a different storage key, company or bot. */
    private static String conflict(FileEvent e, Integer company, Integer bot, String key) {
        StringBuilder b = new StringBuilder();
        if (e.storageKey != null && key != null && !e.storageKey.equals(key)) {
            b.append("storage_key ").append(e.storageKey).append(" but the look-up has ").append(key);
        }
        if (e.companyId != null && company != null && !Objects.equals(e.companyId, company)) {
            b.append(b.isEmpty() ? "" : "; ").append("company_id ").append(e.companyId).append(" but the look-up has ").append(company);
        }
        if (e.botId != null && bot != null && !Objects.equals(e.botId, bot)) {
            b.append(b.isEmpty() ? "" : "; ").append("bot_id ").append(e.botId).append(" but the look-up has ").append(bot);
        }
        return b.isEmpty() ? null : "contradicts the metadata look-up: " + b;
    }
}
