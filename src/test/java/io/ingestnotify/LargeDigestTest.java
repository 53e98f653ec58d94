package io.ingestnotify;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ingestnotify.support.AppTestSupport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Large batches (issue 20, part 2): a digest lists at most DIGEST_MAX_LISTED_FILES files, failures first, then the
 * exact totals and where the rest is shown; a 10,000-file batch's mail stays under 256 KB. (Its render time is
 * measured by bench/digest.sh, docs/benchmarks.md; a test does not assert time.)
 */
class LargeDigestTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        // Seconds, so the batch stays open while the test fills it with PostgreSQL's generate_series.
        startApp(Map.of("ingest-notify.notification.delay.unit", "SECONDS"));
    }

    /** Opens the user's batch with one success, then adds {@code successes} more and failures of three categories. */
    private static String fill(String user, String prefix, int successes, int parserFailures, int s3Failures, int timeouts) throws Exception {
        assertThat(post("/api/events", event(newEventId(), prefix + "-first", "success", user, 1, 2, prefix + "-first.pdf")).statusCode())
                .isEqualTo(202);
        String batch = value("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = ?", user).toString();
        execute("INSERT INTO batch_files (batch_id, file_document_id, file_name, processing_status, processing_time_seconds, "
                + "chunks_created, error_message, error_category) "
                + "SELECT ?::uuid, ? || '-' || g, ? || '-' || g || '.pdf', "
                + "       CASE WHEN g <= ? THEN 'failed' ELSE 'success' END, 2, CASE WHEN g <= ? THEN 0 ELSE 3 END, "
                + "       CASE WHEN g <= ? THEN 'Processing failed: parser crashed on page ' || g "
                + "            WHEN g <= ? THEN 'S3 upload failed: SlowDown' WHEN g <= ? THEN 'Timeout after 300s' END, "
                + "       CASE WHEN g <= ? THEN 'processing_error' WHEN g <= ? THEN 's3_error' WHEN g <= ? THEN 'timeout' END "
                + "  FROM generate_series(1, ?) g",
                batch, prefix, prefix, parserFailures + s3Failures + timeouts, parserFailures + s3Failures + timeouts,
                parserFailures, parserFailures + s3Failures, parserFailures + s3Failures + timeouts,
                parserFailures, parserFailures + s3Failures, parserFailures + s3Failures + timeouts,
                successes + parserFailures + s3Failures + timeouts);
        execute("UPDATE batch_processing_sessions SET total_files = total_files + ? WHERE batch_id = ?::uuid",
                successes + parserFailures + s3Failures + timeouts, batch);
        return batch;
    }

    @Test
    void aTenThousandFileBatchListsFiftyFailuresFirstWithExactTotals() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 4, "html", true, true, true));
        // 10,000 files: 8,800 successes (the first one by intake), 1,200 failures in three categories.
        String batch = fill(user, "big", 8_799, 700, 300, 200);
        MimeMessage mail = awaitMails(user, 1).get(0);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "sent".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mail.writeTo(raw);
        assertThat(raw.size()).isLessThan(256 * 1024);
        assertThat(mail.getSubject()).isEqualTo("File Processing Complete - 8800 Success, 1200 Failed");

        String text = BatchingTest.text(mail);
        assertThat(text).contains("Batch ID: " + batch, "- Total Files: 10000", "- Successful: 8800", "- Failed: 1200",
                "  - processing_error: 700", "  - s3_error: 300", "  - timeout: 200", "- Chunks Created: " + (8_799 * 3 + 7),
                "FAILED FILES (1200, 50 listed):",
                "9950 more files are not listed here (a digest lists at most 50 files, failures first)",
                "ops page, under batch ID " + batch);
        // Failures first: the 50 listed are all failures, the first of them in order; no success is listed.
        assertThat(lines(text, "^- big-\\d+\\.pdf - ")).isEqualTo(50);
        assertThat(text).contains("- big-1.pdf - Processing failed: parser crashed on page 1", "- big-50.pdf - ")
                .doesNotContain("big-51.pdf", "SUCCESSFUL FILES");

        String html = BatchingTest.html(mail);
        assertThat(lines(html, "<li><strong>big-")).isEqualTo(50);
        assertThat(html).contains("Failed Files (1200, 50 listed)", "processing_error: 700, s3_error: 300, timeout: 200",
                "9950 more files are not listed here");
        // The complete list the digest points to: the operator's API (and the ops page's "A batch's files"), failures first.
        com.fasterxml.jackson.databind.JsonNode page = io.ingestnotify.support.Json.parse(
                getHttp("/api/batches/" + batch + "/files?offset=1150&limit=100").body());
        assertThat(page.get("files")).hasSize(100);
        assertThat(page.get("files").get(49).get("processing_status").asText()).isEqualTo("failed");
        assertThat(page.get("files").get(50).get("processing_status").asText()).isEqualTo("success");
        assertThat(getHttp("/api/batches/" + batch + "/files?limit=5000").statusCode()).isEqualTo(400);
        // The logged digest is the one sent (the mail's lines end in CRLF on the wire).
        assertThat(value("SELECT email_content_text FROM email_notification_log WHERE batch_id = ?::uuid", batch).toString().strip())
                .isEqualTo(text.replace("\r\n", "\n").strip());
    }

    @Test
    void aFewFailuresComeFirstThenSuccessesUpToTheLimit() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 4, "text", true, true, true));
        // 1 + 59 successes, 3 failures (the failures are the first ids, but inserted after the first success).
        fill(user, "mid", 59, 3, 0, 0);
        String text = BatchingTest.text(awaitMails(user, 1).get(0));
        assertThat(text).contains("- Total Files: 63", "- Successful: 60", "- Failed: 3", "FAILED FILES (3):",
                "SUCCESSFUL FILES (60, 47 listed):", "13 more files are not listed here");
        assertThat(text.indexOf("FAILED FILES")).isLessThan(text.indexOf("SUCCESSFUL FILES"));
        assertThat(lines(text, "^- mid-\\d+\\.pdf - ")).isEqualTo(3);
        assertThat(lines(text, "^\\+ mid-")).isEqualTo(47);
        // The intake's own file (the oldest success) is listed first among the successes.
        assertThat(text).contains("+ mid-first.pdf");
    }

    @Test
    void aSmallBatchListsEverythingAndSaysNothingAboutTheRest() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 4, "html", true, false, true));
        fill(user, "small", 5, 2, 0, 0);
        MimeMessage mail = awaitMails(user, 1).get(0);
        String text = BatchingTest.text(mail);
        // Success details off: only the failures are listed, and the successes are counted, not called "not listed".
        assertThat(text).contains("- Total Files: 8", "- Successful: 6", "FAILED FILES (2):").doesNotContain("not listed", "SUCCESSFUL FILES");
    }

    private static int lines(String s, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
