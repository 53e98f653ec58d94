package io.ingestnotify.cms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.common.Formats;
import org.apache.camel.Header;

/**
 * The requests of the Directus 10 implementation (cms-directus.camel.yaml) against the collections cms/directus/setup.mjs
 * makes: the file records at CMS_FILES_PATH (/items/ingest_notify_files by default; the item id is the document id)
 * and /items/ingest_notify_preferences. Filters are sent as Directus's JSON filter, so no id can bend them.
 */
public final class DirectusApi {

    public static final String PREFERENCES = "/items/ingest_notify_preferences";
    private static final String FILE_FIELDS = "id,name,storage_key,company_id,bot_id";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String filesPath;

    public DirectusApi(String filesPath) {
        this.filesPath = filesPath;
    }

    public String filesPath() {
        return filesPath;
    }

    public String preferencesPath() {
        return PREFERENCES;
    }

    /** One item's path (header documentId): its PATCH and DELETE. */
    public String filePath(@Header("documentId") String documentId) {
        return filesPath + "/" + Formats.pathSegment(documentId);
    }

    /** One file's look-up, as a filter on the collection: an unknown id is an empty list, not Directus's 403. */
    public String fileQuery(@Header("documentId") String documentId) throws JsonProcessingException {
        return filter(Map.of("id", Map.of("_eq", documentId))) + "&fields=" + FILE_FIELDS + "&limit=1";
    }

    /** The grouped look-up: {@code filter[id][_in]} of up to 100 ids. */
    public String filesQuery(@Header("documentIds") List<String> documentIds) throws JsonProcessingException {
        return filter(Map.of("id", Map.of("_in", documentIds))) + "&fields=" + FILE_FIELDS + "&limit=100";
    }

    /** Whether the token can read an item the collection answered 403 for (the item is missing, or the action not allowed). */
    public String existsQuery(@Header("documentId") String documentId) throws JsonProcessingException {
        return filter(Map.of("id", Map.of("_eq", documentId))) + "&fields=id&limit=1";
    }

    /**
     * One user's record: company and bot equal, the email equal ignoring case (Directus 10 has no case-insensitive
     * equality: starts and ends with it, ignoring case; DirectusAnswers keeps the exact match).
     */
    public String preferencesQuery(@Header("companyId") Object companyId, @Header("botId") Object botId,
                                   @Header("userEmail") String userEmail) throws JsonProcessingException {
        String email = userEmail.trim();
        return filter(Map.of("_and", List.of(
                Map.of("company_id", Map.of("_eq", companyId)), Map.of("bot_id", Map.of("_eq", botId)),
                Map.of("user_email", Map.of("_istarts_with", email)), Map.of("user_email", Map.of("_iends_with", email)))))
                + "&limit=20";
    }

    public String preferencePath(@Header("preferenceId") Object id) {
        return PREFERENCES + "/" + Formats.pathSegment(String.valueOf(id));
    }

    /** A new record for a user who unsubscribes without one: the collection's defaults, notifications off. */
    public String unsubscribedRecord(@Header("companyId") Object companyId, @Header("botId") Object botId,
                                     @Header("userEmail") String userEmail) throws JsonProcessingException {
        return MAPPER.writeValueAsString(Map.of("company_id", companyId, "bot_id", botId,
                "user_email", userEmail.trim().toLowerCase(Locale.ROOT), "notification_enabled", false));
    }

    public String markBody(@Header("batchId") String batchId) throws JsonProcessingException {
        return MAPPER.writeValueAsString(Map.of("notification_sent", true, "last_notification_batch", batchId));
    }

    private static String filter(Object filter) throws JsonProcessingException {
        return "filter=" + URLEncoder.encode(MAPPER.writeValueAsString(filter), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
