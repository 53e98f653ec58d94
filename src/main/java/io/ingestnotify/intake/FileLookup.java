package io.ingestnotify.intake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ingestnotify.event.FileEvent;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file's metadata from the look-up (route ingest-notify-intake runs it before the transaction: route ingest-notify-lookup-file, the
 * reference design's query on the CMS's files table, which a deployment can point at the CMS API instead); a leaf: it
 * says which documents to look up and applies the answers:
 * <ul>
 * <li>for any event that left out company/bot, to fill the blanks (as always);</li>
 * <li>where a look-up is configured (METADATA_LOOKUP), for every failed event too, before its correction task is
 * made: the look-up's storage key, company and bot win, and an event that contradicts them is recorded as
 * metadata_mismatch and gets no task. Successes are not looked up, so intake stays fast, and a group's failed events
 * are looked up in one query ({@code direct:ingest-notify-lookup-files}) unless the user replaced lookup-file.</li>
 * </ul>
 * A look-up error fails the group in the route: an outage must never make a known file look missing.
 */
public class FileLookup {

    private static final Logger LOG = LoggerFactory.getLogger(FileLookup.class);

    private volatile boolean confirmFailures;
    private volatile boolean grouped;

    /**
     * Set once at start by {@link MetadataLookupMode}.
     * @param grouped the failed events of a group are looked up in one query (direct:ingest-notify-lookup-files), else one by one
     */
    public void confirmFailures(boolean on, boolean grouped) {
        this.confirmFailures = on;
        this.grouped = grouped;
    }

    public boolean confirmsFailures() {
        return confirmFailures;
    }

    private boolean confirms(FileEvent e) {
        return confirmFailures && "failed".equals(e.status);
    }

    /** Documents to look up in one query (direct:ingest-notify-lookup-files): the group's failed events, when they are confirmed so. */
    public List<String> groupLookUps(@Body List<FileEvent> events) {
        if (!confirmFailures || !grouped) {
            return List.of();
        }
        return events.stream().filter(e -> !"rejected".equals(e.outcome) && confirms(e)).map(e -> e.fileDocumentId).distinct().toList();
    }

    /** Documents to look up one by one (direct:ingest-notify-lookup-file): events without metadata, and failed events not in the group query. */
    public List<String> singleLookUps(@Body List<FileEvent> events) {
        return events.stream()
                .filter(e -> !"rejected".equals(e.outcome) && !(confirms(e) && grouped) && (!e.hasMetadata() || confirms(e)))
                .map(e -> e.fileDocumentId).distinct().toList();
    }

    /** The grouped look-up's documents in calls of at most 100 (contract route ingest-notify-cms-lookup-files). */
    public static List<List<String>> chunks(@Header("documentIds") List<String> documentIds) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < documentIds.size(); i += 100) {
            chunks.add(List.copyOf(documentIds.subList(i, Math.min(i + 100, documentIds.size()))));
        }
        return chunks;
    }

    /** The rows of every chunk's call as one list. */
    public static List<Object> flatten(@Body List<?> chunkRows) {
        List<Object> rows = new ArrayList<>();
        for (Object o : chunkRows) {
            if (o instanceof List<?> l) {
                rows.addAll(l);
            }
        }
        return rows;
    }

    /** One answer of lookup-file with its document id (that route answers the row alone, or nothing). */
    public Map<String, Object> answer(@Header("documentId") String documentId, @Body Map<?, ?> row) {
        Map<String, Object> answer = new HashMap<>();
        answer.put("document_id", documentId);
        answer.put("row", row);
        return answer;
    }

    /**
     * Applies the look-up's answers to the events.
     * @param groupRows rows of direct:ingest-notify-lookup-files (each with its document_id), or null
     * @param singleAnswers {@link #answer}s of direct:ingest-notify-lookup-file, or null
     */
    public List<FileEvent> complete(@Body List<FileEvent> events, @Variable("groupRows") List<?> groupRows,
                                    @Variable("singleAnswers") List<?> singleAnswers) {
        Map<String, Map<?, ?>> inGroup = byDocument(groupRows, false);
        Map<String, Map<?, ?>> single = byDocument(singleAnswers, true);
        for (FileEvent e : events) {
            if ("rejected".equals(e.outcome)) {
                continue;
            }
            boolean confirm = confirms(e);
            if (e.hasMetadata() && !confirm) {
                continue;
            }
            Map<?, ?> row = confirm && grouped ? inGroup.get(e.fileDocumentId) : single.get(e.fileDocumentId);
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

    /** Rows by document id; the first row of a document wins. */
    private static Map<String, Map<?, ?>> byDocument(List<?> rows, boolean answers) {
        Map<String, Map<?, ?>> byDoc = new HashMap<>();
        for (Object o : rows == null ? List.of() : rows) {
            if (o instanceof Map<?, ?> m && m.get("document_id") != null) {
                Object row = answers ? m.get("row") : m;
                if (row instanceof Map<?, ?> r) {
                    byDoc.putIfAbsent(m.get("document_id").toString(), r);
                }
            }
        }
        return byDoc;
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
