package io.ingestnotify.correction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;

/**
 * Chroma collection ids by name, as route ingest-notify-chroma-delete looked them up (route ingest-notify-chroma-collection-id); a leaf: it
 * only remembers, the route calls Chroma.
 */
public class ChromaCollections {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, String> ids = new ConcurrentHashMap<>();

    /** @return the remembered id, or null when the route must look the collection up */
    public String cached(String name) {
        return ids.get(name);
    }

    /** Remembers a looked-up id; a missing collection (null) is not remembered, so it is looked up next time. */
    public void remember(String name, String id) {
        if (id != null) {
            ids.put(name, id);
        }
    }

    /** The body of Chroma's delete for one file's chunks, JSON-escaped (a document id cannot bend the filter). */
    public String deleteWhereDocument(@Body Map<String, Object> task) throws Exception {
        return MAPPER.writeValueAsString(Map.of("where", Map.of("document_id", Map.of("$eq", task.get("file_document_id")))));
    }

    /** Forgets a cached id (the collection may have been dropped and made again). */
    public void forget(String name) {
        ids.remove(name);
    }
}
