package io.ingestnotify.correction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.ProducerTemplate;

/** Chroma collection ids by name, resolved once through {@code direct:chroma-collection-id} and cached. */
public class ChromaCollections {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ProducerTemplate template;
    private final Map<String, String> ids = new ConcurrentHashMap<>();

    public ChromaCollections(ProducerTemplate template) {
        this.template = template;
    }

    /** @return the collection's id, or null when Chroma has no such collection (nothing to delete then) */
    public String idFor(String name) {
        String id = ids.get(name);
        if (id == null) {
            // A missing collection answers no map (the route's 404 branch): nothing to delete.
            Object answer = template.requestBodyAndHeader("direct:chroma-collection-id", null, "collectionName", name);
            if (!(answer instanceof Map<?, ?> collection) || collection.get("id") == null) {
                return null;
            }
            id = collection.get("id").toString();
            ids.put(name, id);
        }
        return id;
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
