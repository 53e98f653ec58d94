package io.ingestnotify.notification;

import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Variable;

/**
 * The digest a batch would send now (GET /api/batches/{id}/preview): rendered from the batch's files and its
 * preferences snapshot exactly as route notify-batch renders it, and nothing more: nothing is sent, claimed or
 * written. {@code html} is null when the recipient's preferences ask for text only; {@code sendMail} false when
 * notifications are off (then no digest would go at all).
 */
public record DigestPreview(String batchId, String recipient, int companyId, int botId, String subject, String emailFormat,
                            boolean sendMail, int totalFiles, int listedFiles, int unlistedFiles, String html, String text) {

    public static DigestPreview of(@Body Map<String, Object> digest, @Variable("emailHtml") String html,
                                   @Variable("emailText") String text) {
        boolean htmlMail = "html".equals(digest.get("emailFormat"));
        int listed = ((java.util.List<?>) digest.get("successFiles")).size() + ((java.util.List<?>) digest.get("failedFiles")).size();
        return new DigestPreview((String) digest.get("batchId"), (String) digest.get("recipient"), (Integer) digest.get("companyId"),
                (Integer) digest.get("botId"), (String) digest.get("subject"), (String) digest.get("emailFormat"),
                Boolean.TRUE.equals(digest.get("sendMail")), (Integer) digest.get("totalFiles"), listed,
                (Integer) digest.get("unlistedFiles"), htmlMail ? html : null, text);
    }
}
