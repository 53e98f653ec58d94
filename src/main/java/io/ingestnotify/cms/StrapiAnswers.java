package io.ingestnotify.cms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Reads a Strapi 5 answer as a real Strapi 5 means it (routes of cms-strapi.camel.yaml, after
 * direct:ingest-notify-cms-call; 5xx and network errors have already thrown there as outages). 2xx passes; 404 passes
 * for the route to read (a look-up of an unknown document; a DELETE of a missing record, which Strapi's content-type
 * API answers with 204 anyway); 408 and 429 are outages. Any other 4xx is a misconfiguration that no retry can fix,
 * {@link CmsMisconfigured} naming what to check, with Strapi's own message: 401/403 a token that lacks permission, 405
 * a path no route serves (wrong CMS_API_URL or CMS_FILES_PATH, content types not installed), 400 and the rest a
 * request the CMS refuses.
 */
public final class StrapiAnswers {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StrapiAnswers() {
    }

    public static void check(@Header("CamelHttpResponseCode") Integer code, @Header("CamelHttpMethod") String method,
                             @Header("CamelHttpPath") String path, @Body String body) {
        int status = code == null ? 0 : code;
        if (status < 400 || status == 404) {
            return;
        }
        String call = method + " " + path;
        String strapi = strapiMessage(body);
        if (status == 408 || status == 429) {
            throw new CmsUnavailable("CMS answered " + status + " to " + call + strapi + " (busy; retried as an outage)");
        }
        throw new CmsMisconfigured(switch (status) {
            case 401, 403 -> "CMS token lacks permission: CMS answered " + status + " to " + call + strapi
                    + "; give CMS_API_TOKEN the permissions listed in cms/strapi/README.md (check CMS_API_URL too)";
            case 405 -> "CMS has no route for " + call + ": CMS answered 405" + strapi
                    + "; check CMS_API_URL and CMS_FILES_PATH, and that the content types of cms/strapi are installed";
            default -> "CMS refused " + call + ": CMS answered " + status + strapi
                    + (strapi.contains("Invalid key") ? "; its file content type lacks the bundle's fields (install cms/strapi)"
                    : "; check that the CMS's content types match cms/strapi");
        });
    }

    /**
     * Strapi's {"data": {...}} of one file as the contract's row; null for Strapi's 404 of an unknown document. A 404
     * without Strapi's error body is a path no route serves: a misconfiguration, never "every file is missing".
     */
    public static Map<String, Object> row(@Header("CamelHttpResponseCode") Integer code, @Header("CamelHttpPath") String path,
                                          @Body String body) throws Exception {
        if (code != null && code == 404) {
            if (strapiNotFound(body)) {
                return null;
            }
            throw noRoute(path);
        }
        JsonNode data = MAPPER.readTree(body).path("data");
        return data.isObject() ? fields(data) : null;
    }

    /** Strapi's {"data": [...]} of a filtered list as the contract's rows, each with its document_id. */
    public static List<Map<String, Object>> rows(@Header("CamelHttpResponseCode") Integer code, @Header("CamelHttpPath") String path,
                                                 @Body String body) throws Exception {
        if (code != null && code == 404) {
            throw noRoute(path);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode data : MAPPER.readTree(body).path("data")) {
            Map<String, Object> row = fields(data);
            row.put("document_id", data.path("documentId").asText(null));
            rows.add(row);
        }
        return rows;
    }

    /** The by-user route's {"data": {...}} as a map of the preference fields (its defaults for a user without a record). */
    public static Map<String, Object> preferences(@Header("CamelHttpPath") String path, @Header("CamelHttpResponseCode") Integer code,
                                                  @Body String body) throws Exception {
        if (code != null && code == 404) {
            throw new CmsMisconfigured("CMS answered 404 to GET " + path + ": no preferences route (install cms/strapi)");
        }
        JsonNode data = MAPPER.readTree(body).path("data");
        return data.isObject() ? MAPPER.convertValue(data, new TypeReference<Map<String, Object>>() { }) : null;
    }

    private static CmsMisconfigured noRoute(String path) {
        return new CmsMisconfigured("CMS has no route for GET " + path + ": CMS answered 404 without Strapi's error body; "
                + "check CMS_API_URL and CMS_FILES_PATH, and that the content types of cms/strapi are installed");
    }

    private static Map<String, Object> fields(JsonNode data) {
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

    /** Strapi 5's error body {"data":null,"error":{"status","name","message","details"}} as " (name: message)", or "". */
    static String strapiMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode error = MAPPER.readTree(body).path("error");
            String message = error.path("message").asText("");
            if (message.isEmpty()) {
                return "";
            }
            String name = error.path("name").asText("");
            return " (" + (name.isEmpty() ? "" : name + ": ") + oneLine(message) + ")";
        } catch (Exception e) {
            String text = oneLine(body);
            return " (" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + ")";
        }
    }

    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ").trim();
    }
}
