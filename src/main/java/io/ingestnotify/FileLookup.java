package io.ingestnotify;

import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;

/**
 * Fills in the metadata an event left out by asking the {@code direct:lookup-file} route (the reference design's
 * query on the CMS's files table; a deployment can point that route at the CMS API instead).
 * A look-up error propagates: an outage must never make a known file look missing.
 */
public class FileLookup {

    private final ProducerTemplate template;

    public FileLookup(ProducerTemplate template) {
        this.template = template;
    }

    public List<FileEvent> complete(List<FileEvent> events) {
        for (FileEvent e : events) {
            if (e.hasMetadata() || "rejected".equals(e.outcome)) {
                continue;
            }
            Map<?, ?> row = template.requestBodyAndHeader("direct:lookup-file", null, "documentId", e.fileDocumentId, Map.class);
            if (row == null || row.isEmpty()) {
                continue;
            }
            if (e.companyId == null && row.get("company_id") instanceof Number n) {
                e.companyId = n.intValue();
            }
            if (e.botId == null && row.get("bot_id") instanceof Number n) {
                e.botId = n.intValue();
            }
            if (e.fileName == null && row.get("file_name") != null) {
                e.fileName = row.get("file_name").toString();
            }
            if (e.storageKey == null && row.get("storage_key") != null) {
                e.storageKey = row.get("storage_key").toString();
            }
        }
        return events;
    }
}
