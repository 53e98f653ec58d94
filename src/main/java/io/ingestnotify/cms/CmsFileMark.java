package io.ingestnotify.cms;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;

/** The body of a file's mark after its digest (Strapi 5: PUT /api/files/{documentId} with {"data": {...}}). */
public final class CmsFileMark {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CmsFileMark() {
    }

    /** @param file a row of queries/notification/files-to-mark.sql */
    public static String body(@Body Map<String, Object> file) throws JsonProcessingException {
        return MAPPER.writeValueAsString(Map.of("data",
                Map.of("notification_sent", true, "last_notification_batch", String.valueOf(file.get("batch_id")))));
    }
}
