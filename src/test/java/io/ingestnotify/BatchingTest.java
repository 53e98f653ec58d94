package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The batching rules end to end: HTTP in, batches in PostgreSQL, one digest per batch out of GreenMail. */
class BatchingTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
    }

    @Test
    void batchCompletesBySizeWithOneDigest() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(3, 1440, "html", true, true, true));

        HttpResponse<String> r = post("/api/events", "[" + event(newEventId(), "docA", "success", user, 1, 2, "a.pdf") + ","
                + event(newEventId(), "docB", "failed", user, 1, 2, "b.pdf") + ","
                + event(newEventId(), "docC", "success", user, 1, 2, "c.pdf") + "]");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"accepted\":3");
        List<MimeMessage> mails = awaitMails(user, 1);
        assertThat(mails.get(0).getSubject()).isEqualTo("File Processing Complete - 2 Success, 1 Failed");
        assertThat(mails.get(0).getContentType()).startsWith("multipart/alternative");

        Map<String, Object> batch = rows("SELECT * FROM batch_processing_sessions WHERE user_email = ?", user).get(0);
        assertThat(batch).containsEntry("status", "completed").containsEntry("total_files", 3)
                .containsEntry("successful_files", 2).containsEntry("failed_files", 1)
                .containsEntry("completion_reason", "size");
        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(
                value("SELECT notification_sent FROM batch_processing_sessions WHERE user_email = ?", user)));
        assertThat(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo("sent");
        assertThat(count("SELECT count(*) FROM batch_files f JOIN batch_processing_sessions b USING (batch_id) WHERE b.user_email = ?", user)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM file_processing_status WHERE file_document_id IN ('docA','docB','docC')")).isEqualTo(3);
        // Nothing more arrives for this batch.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> mailsTo(user).size() == 1);
    }
}
