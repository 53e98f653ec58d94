package io.ingestnotify;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Preview (issue 20, part 3): GET /api/batches/{id}/preview answers the digest an open batch would send now, as the
 * recipient's preferences choose, for the operator only; it sends nothing and changes nothing.
 */
class BatchPreviewTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        // Seconds: the batches' 1440-unit delay keeps them open for the whole test.
        startApp(Map.of("ingest-notify.notification.delay.unit", "SECONDS"));
    }

    /** Every row the batch's digest could touch, to compare before and after a preview. */
    private static List<Map<String, Object>> state(String batch) throws Exception {
        return List.of(
                Map.of("batch", rows("SELECT * FROM batch_processing_sessions WHERE batch_id = ?::uuid", batch)),
                Map.of("files", rows("SELECT * FROM batch_files WHERE batch_id = ?::uuid ORDER BY id", batch)),
                Map.of("emails", rows("SELECT * FROM email_notification_log ORDER BY id")),
                Map.of("retries", rows("SELECT * FROM notification_retry_log ORDER BY id")),
                Map.of("suppressions", rows("SELECT * FROM suppressions ORDER BY id")));
    }

    @Test
    void anOpenBatchsDigestIsShownAsItWouldGoAndNothingChanges() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(10, 1440, "html", true, true, true));
        post("/api/events", Json.array(event(newEventId(), "pv-1", "success", user, 1, 2, "<i>report</i>.pdf"),
                event(newEventId(), "pv-2", "failed", user, 1, 2, "broken.pdf")));
        String batch = value("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = ?", user).toString();
        List<Map<String, Object>> before = state(batch);
        int mailsBefore = smtp.getReceivedMessages().length;

        HttpResponse<String> r = getHttp("/api/batches/" + batch + "/preview");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode p = Json.parse(r.body());
        assertThat(p.get("batchId").asText()).isEqualTo(batch);
        assertThat(p.get("recipient").asText()).isEqualTo(user);
        assertThat(p.get("subject").asText()).isEqualTo("File Processing Complete - 1 Success, 1 Failed");
        assertThat(p.get("emailFormat").asText()).isEqualTo("html");
        assertThat(p.get("sendMail").asBoolean()).isTrue();
        assertThat(p.get("totalFiles").asInt()).isEqualTo(2);
        assertThat(p.get("text").asText()).contains("Batch ID: " + batch, "- Failed: 1", "- broken.pdf - Processing failed",
                "+ <i>report</i>.pdf");
        // The HTML part escapes the event's values, as the sent digest does.
        assertThat(p.get("html").asText()).contains("&lt;i&gt;report&lt;/i&gt;.pdf").doesNotContain("<i>report");

        assertThat(state(batch)).isEqualTo(before);
        assertThat(smtp.getReceivedMessages()).hasSize(mailsBefore);
        assertThat(value("SELECT status FROM batch_processing_sessions WHERE batch_id = ?::uuid", batch)).isEqualTo("processing");
    }

    @Test
    void textPreferenceGivesTextOnlyAndDetailsFollowThePreferences() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(10, 1440, "text", true, false, true));
        post("/api/events", event(newEventId(), "pt-1", "success", user, 1, 2, "quiet.pdf"));
        String batch = value("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = ?", user).toString();
        JsonNode p = Json.parse(getHttp("/api/batches/" + batch + "/preview").body());
        assertThat(p.get("emailFormat").asText()).isEqualTo("text");
        assertThat(p.get("html").isNull()).isTrue();
        assertThat(p.get("text").asText()).contains("- Successful: 1").doesNotContain("quiet.pdf");
    }

    @Test
    void refusalsSayWhyAndRecordNothing() throws Exception {
        long emails = count("SELECT count(*) FROM email_notification_log");
        HttpResponse<String> unknown = getHttp("/api/batches/" + UUID.randomUUID() + "/preview");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no such batch");
        HttpResponse<String> bad = getHttp("/api/batches/not-a-uuid/preview");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("batchId", "not a UUID");
        // The intake's token is not the operator's.
        HttpResponse<String> intake = HTTP.send(request("/api/batches/" + UUID.randomUUID() + "/preview")
                .setHeader("Authorization", "Bearer " + INTAKE_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(intake.statusCode()).isEqualTo(401);
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(request("/api/batches/" + UUID.randomUUID() + "/preview").build().uri())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(count("SELECT count(*) FROM email_notification_log")).isEqualTo(emails);
    }
}
