package io.ingestnotify.cms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Reads a Directus 10 answer as Directus means it (routes of cms-directus.camel.yaml, after
 * direct:ingest-notify-cms-call; 5xx and network errors have already thrown there as outages). Its errors come as
 * {"errors":[{"message","extensions":{"code"}}]}. Directus answers 403 FORBIDDEN both for a token without permission
 * and for an item (or collection) that does not exist; on an item's PATCH or DELETE the route asks the collection
 * whether the token can see that id ({@link #forbiddenItem}): an empty list means the record is missing, a record
 * or another 403 means a misconfiguration. 401 (INVALID_CREDENTIALS) is a wrong token, 404 (ROUTE_NOT_FOUND) a wrong
 * CMS_API_URL, 408/429 are outages.
 */
public final class DirectusAnswers {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DirectusAnswers() {
    }

    /** Any 4xx but 408/429 fails the call as a misconfiguration. */
    public static void check(@Header("CamelHttpResponseCode") Integer code, @Header("CamelHttpMethod") String method,
                             @Header("CamelHttpPath") String path, @Body String body) {
        int status = code == null ? 0 : code;
        if (status < 400) {
            return;
        }
        String call = method + " " + path;
        String directus = message(body);
        if (status == 408 || status == 429) {
            throw new CmsUnavailable("CMS answered " + status + " to " + call + directus + " (busy; retried as an outage)");
        }
        throw new CmsMisconfigured(switch (status) {
            case 401 -> "CMS token lacks permission: CMS answered 401 to " + call + directus
                    + "; CMS_API_TOKEN must be a Directus user's static token (cms/directus/README.md)";
            case 403 -> "CMS token lacks permission: CMS answered 403 to " + call + directus
                    + "; give CMS_API_TOKEN the permissions listed in cms/directus/README.md, and check CMS_FILES_PATH "
                    + "and that cms/directus/setup.mjs made the collections (Directus answers 403 for a missing collection too)";
            case 404 -> "CMS has no route for " + call + ": CMS answered 404" + directus + "; check CMS_API_URL and CMS_FILES_PATH";
            default -> "CMS refused " + call + ": CMS answered " + status + directus
                    + "; check that the CMS's collections match cms/directus/setup.mjs";
        });
    }

    /** As {@link #check}, but a 403 passes: on one item it may mean "no such item" (the route asks, forbiddenItem). */
    public static void checkItem(@Header("CamelHttpResponseCode") Integer code, @Header("CamelHttpMethod") String method,
                                 @Header("CamelHttpPath") String path, @Body String body) {
        if (code == null || code != 403) {
            check(code, method, path, body);
        }
    }

    /**
     * The collection's answer to "can this token see the item?" after its PATCH or DELETE got 403: true when it is
     * missing (an empty list); a misconfiguration when the token sees it (so it lacks the action's permission) or
     * cannot read the collection at all (no permission, or no such collection).
     */
    public static boolean forbiddenItem(@Header("CamelHttpResponseCode") Integer code, @Header("CamelHttpPath") String path,
                                        @ExchangeProperty("itemCall") String itemCall, @Body String body) throws Exception {
        int status = code == null ? 0 : code;
        if (status == 403) {
            throw new CmsMisconfigured("CMS token lacks permission: CMS answered 403 to " + itemCall + " and to GET " + path
                    + message(body) + "; give CMS_API_TOKEN the permissions listed in cms/directus/README.md, and check "
                    + "CMS_FILES_PATH and that cms/directus/setup.mjs made the collections");
        }
        check(code, "GET", path, body);
        if (MAPPER.readTree(body).path("data").isEmpty()) {
            return true;
        }
        throw new CmsMisconfigured("CMS token lacks permission: CMS answered 403 to " + itemCall
                + " (FORBIDDEN) although the token can read the record; give CMS_API_TOKEN the permissions listed in "
                + "cms/directus/README.md");
    }

    /** The items of a file look-up as the contract's rows, each with its document_id. */
    public static List<Map<String, Object>> rows(@Body String body) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode data : MAPPER.readTree(body).path("data")) {
            Map<String, Object> row = new HashMap<>();
            row.put("document_id", data.path("id").asText(null));
            row.put("company_id", data.path("company_id").isIntegralNumber() ? data.get("company_id").intValue() : null);
            row.put("bot_id", data.path("bot_id").isIntegralNumber() ? data.get("bot_id").intValue() : null);
            row.put("file_name", data.path("name").isTextual() ? data.get("name").asText() : null);
            row.put("storage_key", data.path("storage_key").isTextual() ? data.get("storage_key").asText() : null);
            rows.add(row);
        }
        return rows;
    }

    /** One file's row, or null for an unknown document. */
    public static Map<String, Object> row(@Body String body) throws Exception {
        List<Map<String, Object>> rows = rows(body);
        if (rows.isEmpty()) {
            return null;
        }
        rows.get(0).remove("document_id");
        return rows.get(0);
    }

    /** The user's record (the email matched ignoring case) as a map of the preference fields, or null: none. */
    public static Map<String, Object> preferences(@Header("userEmail") String userEmail, @Body String body) throws Exception {
        String email = userEmail.trim().toLowerCase(Locale.ROOT);
        for (JsonNode data : MAPPER.readTree(body).path("data")) {
            if (data.path("user_email").asText("").trim().toLowerCase(Locale.ROOT).equals(email)) {
                Map<String, Object> m = MAPPER.convertValue(data, new TypeReference<Map<String, Object>>() { });
                // SQLite gives booleans as 0/1
                for (String f : new String[] {"notification_enabled", "include_success_details", "include_error_details"}) {
                    if (m.get(f) instanceof Number n) {
                        m.put(f, n.intValue() != 0);
                    }
                }
                return m;
            }
        }
        return null;
    }

    /** The id of the user's record, or null. */
    public static Object preferenceId(@Header("userEmail") String userEmail, @Body String body) throws Exception {
        Map<String, Object> m = preferences(userEmail, body);
        return m == null ? null : m.get("id");
    }

    /** Directus's error envelope as " (CODE: message)", or "". */
    static String message(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode error = MAPPER.readTree(body).path("errors").path(0);
            String message = error.path("message").asText("");
            if (message.isEmpty()) {
                return "";
            }
            String code = error.path("extensions").path("code").asText("");
            return " (" + (code.isEmpty() ? "" : code + ": ") + StrapiAnswers.oneLine(message) + ")";
        } catch (Exception e) {
            String text = StrapiAnswers.oneLine(body);
            return " (" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + ")";
        }
    }
}
