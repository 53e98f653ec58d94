package io.ingestnotify.cms;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.common.Formats;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * The CMS's file records (the file content type of cms/strapi, served at CMS_FILES_PATH, /api/files by default):
 * the path of one record for its look-up, its mark after a digest and its DELETE, and the look-up's answer read into
 * the row the SQL look-up gives (company_id, bot_id, file_name, storage_key).
 */
public final class CmsFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String basePath;

    public CmsFiles(String basePath) {
        this.basePath = basePath;
    }

    /** One record's path, from a task or a file row (file_document_id). */
    public String path(@Body Map<String, Object> fileOrTask) {
        return pathOf((String) fileOrTask.get("file_document_id"));
    }

    /** One record's path for the metadata look-up (header documentId). */
    public String lookupPath(@Header("documentId") String documentId) {
        return pathOf(documentId);
    }

    private String pathOf(String documentId) {
        return basePath + "/" + Formats.pathSegment(documentId);
    }

    /**
     * Strapi's {"data": {...}} of one file as the look-up's row; null for Strapi's 404 of an unknown document. A 404
     * without Strapi's error body is a path no route serves: a misconfiguration, never "every file is missing".
     */
    public Map<String, Object> row(@Header("CamelHttpResponseCode") Integer code, @Header("CamelHttpPath") String path,
                                   @Body String body) throws Exception {
        if (code != null && code == 404) {
            if (strapiNotFound(body)) {
                return null;
            }
            throw new CmsMisconfigured("CMS has no route for GET " + path + ": CMS answered 404 without Strapi's error body; "
                    + "check CMS_API_URL and CMS_FILES_PATH, and that the content types of cms/strapi are installed");
        }
        JsonNode data = MAPPER.readTree(body).path("data");
        if (!data.isObject()) {
            return null;
        }
        Map<String, Object> row = new HashMap<>();
        row.put("company_id", data.path("company_id").isIntegralNumber() ? data.get("company_id").intValue() : null);
        row.put("bot_id", data.path("bot_id").isIntegralNumber() ? data.get("bot_id").intValue() : null);
        row.put("file_name", data.path("name").isTextual() ? data.get("name").asText() : null);
        row.put("storage_key", data.path("storage_key").isTextual() ? data.get("storage_key").asText() : null);
        return row;
    }

    private static boolean strapiNotFound(String body) {
        try {
            return body != null && MAPPER.readTree(body).path("error").path("status").asInt() == 404;
        } catch (Exception e) {
            return false;
        }
    }
}
