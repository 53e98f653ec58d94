package io.ingestnotify.cms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.common.Formats;
import org.apache.camel.Header;

/**
 * The requests of the Strapi 5 implementation (cms-strapi.camel.yaml) against cms/strapi's content types: the file
 * records at CMS_FILES_PATH (/api/files by default) and the preference type's by-user routes.
 */
public final class StrapiApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BY_USER = "/api/user-notification-preferences/by-user/";

    private final String filesPath;

    public StrapiApi(String filesPath) {
        this.filesPath = filesPath;
    }

    public String filesPath() {
        return filesPath;
    }

    /** One record's path (header documentId). */
    public String filePath(@Header("documentId") String documentId) {
        return filesPath + "/" + Formats.pathSegment(documentId);
    }

    /** The query of one grouped look-up: {@code filters[documentId][$in]} of up to 100 ids, one page of 100. */
    public String filesQuery(@Header("documentIds") List<String> documentIds) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < documentIds.size(); i++) {
            q.append(encode("filters[documentId][$in][" + i + "]")).append('=').append(encode(documentIds.get(i))).append('&');
        }
        return q.append(encode("pagination[pageSize]")).append("=100").toString();
    }

    /** The by-user route of one user's preferences. */
    public String preferencesPath(@Header("companyId") Object companyId, @Header("botId") Object botId,
                                  @Header("userEmail") String userEmail) {
        return BY_USER + companyId + "/" + botId + "/" + Formats.pathSegment(userEmail);
    }

    /** cms/strapi's unsubscribe route of one user. */
    public String unsubscribePath(@Header("companyId") Object companyId, @Header("botId") Object botId,
                                  @Header("userEmail") String userEmail) {
        return preferencesPath(companyId, botId, userEmail) + "/unsubscribe";
    }

    /** A file's mark after its digest: {"data": {"notification_sent": true, "last_notification_batch": …}}. */
    public String markBody(@Header("batchId") String batchId) throws JsonProcessingException {
        return MAPPER.writeValueAsString(Map.of("data", Map.of("notification_sent", true, "last_notification_batch", batchId)));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
