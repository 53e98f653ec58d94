package io.ingestnotify.support;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load of the multi-instance tests ({@link InstanceJvms}): {@code users} users of one company and bot with
 * {@code perUser} events each, event k of user u failing when {@code failing} says so. User u is
 * {@code <name>-u@example.com}, its document k {@code <letter>-u-k} (file {@code files/<doc>.pdf}), the event
 * {@code <letter>ev-u-k}. Uses {@link AppTestSupport}'s CMS and database, so only from its subclasses.
 */
public record LoadUsers(String name, String letter, int users, int perUser, int company, int bot, IntPredicate failing) {

    public String user(int u) {
        return name + "-" + u + "@example.com";
    }

    public String doc(int u, int k) {
        return letter + "-" + u + "-" + k;
    }

    public String eventId(int u, int k) {
        return letter + "ev-" + u + "-" + k;
    }

    public boolean failing(int k) {
        return failing.test(k);
    }

    /** The first {@code count} users, the ones whose digests the SMTP server refuses at first. */
    public Set<String> firstUsers(int count) {
        Set<String> out = new HashSet<>();
        for (int u = 0; u < count; u++) {
            out.add(user(u));
        }
        return out;
    }

    /** One event over HTTP; a failed one carries an error message. */
    public String eventJson(int u, int k) {
        return Json.write(Json.object("event_id", eventId(u, k), "file_document_id", doc(u, k),
                "status", failing(k) ? "failed" : "success", "user_email", user(u), "company_id", company, "bot_id", bot,
                "file_name", doc(u, k) + ".pdf", "storage_key", "files/" + doc(u, k) + ".pdf", "chunks_created", 7,
                "processing_time_seconds", 3, "error_message", failing(k) ? "Processing failed: parser crashed" : null));
    }

    /**
     * Every user's preferences (digest at {@code threshold} files) at the CMS, which takes the clean-up's PUTs and
     * DELETEs; every failing document's file in S3.
     */
    public void seed(CountingS3 s3, String bucket, int threshold) throws Exception {
        for (int u = 0; u < users; u++) {
            AppTestSupport.stubPreferences(company, bot, user(u), AppTestSupport.prefs(threshold, 3, "text", true, true, true));
            for (int k = 0; k < perUser; k++) {
                if (failing(k)) {
                    s3.put(bucket, "files/" + doc(u, k) + ".pdf");
                }
            }
        }
        AppTestSupport.cms.stubFor(put(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":{}}")));
        AppTestSupport.cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
    }

    /** Waits until every event is filed, every batch completed and its digest sent, every correction task finished. */
    public void awaitAllDone(Duration atMost, int failures) {
        await("every event filed").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> AppTestSupport.count("SELECT count(*) FROM file_events WHERE processed_at IS NOT NULL") == users * perUser);
        await("every batch completed and its digest sent").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> AppTestSupport.count("SELECT count(*) FROM batch_processing_sessions WHERE status <> 'completed'") == 0
                        && AppTestSupport.count("SELECT count(*) FROM batch_processing_sessions b WHERE NOT EXISTS (SELECT 1 FROM "
                        + "email_notification_log l WHERE l.batch_id = b.batch_id AND l.send_status = 'sent')") == 0);
        await("every correction task finished").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> AppTestSupport.count("SELECT count(*) FROM auto_correction_tasks WHERE status IN ('completed', 'partial')")
                        == failures);
    }

    /** At the SMTP server: exactly one accepted mail per batch, none for anything else. Returns the batches. */
    public static Set<String> assertOneMailPerBatch(FlakySmtp mail) throws SQLException {
        Set<String> batches = AppTestSupport.rows("SELECT batch_id::text AS b FROM batch_processing_sessions").stream()
                .map(r -> (String) r.get("b")).collect(Collectors.toSet());
        Map<String, Integer> accepted = mail.acceptedByBatch();
        assertThat(accepted.keySet()).isEqualTo(batches);
        assertThat(accepted).allSatisfy((batch, n) -> assertThat(n).as("mails accepted for batch " + batch).isEqualTo(1));
        return batches;
    }

    /**
     * Each failing document's correction deleted it once: at S3Proxy (and it is gone) and in the CMS's journal; S3
     * saw {@code failures} deletes in all. Returns the CMS's DELETEs by URL.
     */
    public Map<String, Long> assertEachCorrectionDeletedOnce(CountingS3 s3, String bucket, int failures) {
        Map<String, Integer> s3Deletes = s3.deletes();
        Map<String, Long> cmsDeletes = AppTestSupport.cms.getAllServeEvents().stream()
                .filter(e -> "DELETE".equals(e.getRequest().getMethod().getName()))
                .collect(Collectors.groupingBy(e -> e.getRequest().getUrl(), Collectors.counting()));
        for (int u = 0; u < users; u++) {
            for (int k = 0; k < perUser; k++) {
                if (failing(k)) {
                    String key = "files/" + doc(u, k) + ".pdf";
                    assertThat(s3Deletes.get(key)).as(key).isEqualTo(1);
                    assertThat(s3.exists(bucket, key)).as(key).isFalse();
                    assertThat(cmsDeletes.get("/api/files/" + doc(u, k))).as(doc(u, k)).isEqualTo(1L);
                }
            }
        }
        assertThat(s3Deletes).hasSize(failures);
        return cmsDeletes;
    }
}
