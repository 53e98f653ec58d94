package io.ingestnotify.cms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Reads a CMS answer as a real Strapi 5 means it (route ingest-notify-cms-call, after the call; 5xx and network errors have already
 * thrown there as outages). 2xx passes; 404 passes for the caller to read (a DELETE of a missing record, which Strapi's
 * content-type API answers with 204 anyway; a look-up of an unknown document); 408 and 429 are outages. Any other
 * 4xx is a misconfiguration that no retry can fix, and fails the call with {@link CmsMisconfigured} naming what to
 * check, with Strapi's own message: 401/403 a token that lacks permission, 405 a path no route serves (wrong
 * CMS_API_URL or CMS_FILES_PATH, content types not installed), 400 and the rest a request the CMS refuses.
 */
public final class CmsAnswers {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CmsAnswers() {
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
            throw new IllegalStateException("CMS answered " + status + " to " + call + strapi + " (busy; retried as an outage)");
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

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ").trim();
    }
}
