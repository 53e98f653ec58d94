package io.ingestnotify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.StrapiServer;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.ingestnotify.CorrectionCmsTest.awaitStatus;
import static io.ingestnotify.CorrectionCmsTest.correctionProperties;
import static io.ingestnotify.CorrectionCmsTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bundle against a real Strapi 5.54.0 carrying cms/strapi's content types, with the custom token README lists:
 * preferences in real digests, metadata looked up through the CMS API (the default with a CMS), marks visible in
 * Strapi, corrections deleting records, and misconfigurations (wrong path, read-only token, a type without the
 * bundle's fields) failing at once with the reason.
 */
class StrapiCmsTest extends AppTestSupport {

    private static final AtomicInteger COMPANY = new AtomicInteger(100);
    private static StrapiServer strapi;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(StrapiServer.available() || System.getenv("CI") != null,
                "Strapi not installed: run npm ci in src/test/strapi (.ci/run does)");
        strapi = StrapiServer.shared();
        startApp(strapiProperties(StrapiServer.BUNDLE_TOKEN));
    }

    /** The CMS is the real Strapi; the look-up is the default (the CMS API); batches complete by size only here. */
    private static Map<String, String> strapiProperties(String token) {
        Map<String, String> p = new HashMap<>(correctionProperties());
        p.put("ingest-notify.cms.api.url", strapi.url());
        p.put("ingest-notify.cms.api.token", token);
        p.put("ingest-notify.cms.timeout.ms", "10000");
        p.put("ingest-notify.metadata.source", "auto");
        p.put("ingest-notify.notification.delay.unit", "SECONDS");
        return p;
    }

    private static int newCompany() {
        return COMPANY.incrementAndGet();
    }

    @Test
    void preferencesFromStrapiDecideFormatAndThreshold() throws Exception {
        int company = newCompany();
        String html = newUser();
        String text = newUser();
        strapi.createPreference(company, 1, html, 2, 1440, "html", true, true, true);
        strapi.createPreference(company, 1, text, 3, 1440, "text", true, true, false);

        post("/api/events", Json.array(event(newEventId(), "h1", "success", html, company, 1, "h1.pdf"),
                event(newEventId(), "h2", "success", html, company, 1, "h2.pdf"),
                event(newEventId(), "t1", "success", text, company, 1, "t1.pdf"),
                event(newEventId(), "t2", "success", text, company, 1, "t2.pdf")));
        MimeMessage htmlMail = awaitMails(html, 1).get(0);
        assertThat(htmlMail.getContent()).isInstanceOf(MimeMultipart.class);
        // The text user's threshold is 3: two files leave the batch open (its delay is 1440 s here).
        assertThat(value("SELECT user_preferences_snapshot->>'batch_size_threshold' FROM batch_processing_sessions WHERE user_email = ?", text))
                .isEqualTo("3");
        assertThat(value("SELECT status FROM batch_processing_sessions WHERE user_email = ?", text)).isEqualTo("processing");
        post("/api/events", event(newEventId(), "t3", "success", text, company, 1, "t3.pdf"));
        MimeMessage textMail = awaitMails(text, 1).get(0);
        assertThat(textMail.getContent()).isInstanceOf(String.class);
        assertThat((String) textMail.getContent()).contains("t1.pdf", "t3.pdf");
    }

    @Test
    void mixedCaseAddressFindsItsRecordAndAnUnknownUserGetsTheDefaults() throws Exception {
        int company = newCompany();
        String id = UUID.randomUUID().toString().substring(0, 8);
        strapi.createPreference(company, 2, "Ana-" + id + "@Example.COM", 1, 1440, "text", true, true, true);
        String unknown = newUser();

        post("/api/events", Json.array(event(newEventId(), "m1", "success", "ANA-" + id + "@example.com", company, 2, "m1.pdf"),
                event(newEventId(), "u1", "success", unknown, company, 2, "u1.pdf")));
        MimeMessage mail = awaitMails("ana-" + id + "@example.com", 1).get(0);
        assertThat(mail.getContent()).isInstanceOf(String.class);
        assertThat(value("SELECT user_preferences_snapshot::text FROM batch_processing_sessions WHERE user_email = ?", unknown).toString())
                .contains("\"batch_size_threshold\": 5", "\"notification_delay_minutes\": 30", "\"email_format\": \"html\"",
                        "\"notification_enabled\": true");
    }

    @Test
    void metadataComesFromStrapiAndTheMarksAreVisibleThereAfterTheDigest() throws Exception {
        int company = newCompany();
        String user = newUser();
        strapi.createPreference(company, 3, user, 2, 1440, "html", true, true, true);
        String a = strapi.createFile("a.pdf", "k/a.pdf", company, 3);
        String b = strapi.createFile("b.pdf", "k/b.pdf", company, 3);
        // No company, bot or name in the events: the look-up asks Strapi.
        post("/api/events", Json.array(
                Json.object("event_id", newEventId(), "file_document_id", a, "status", "success", "user_email", user),
                Json.object("event_id", newEventId(), "file_document_id", b, "status", "success", "user_email", user)));
        MimeMessage mail = awaitMails(user, 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("File Processing Complete - 2 Success, 0 Failed");
        Object batch = value("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = ?", user);
        assertThat(value("SELECT company_id FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(company);
        await().atMost(Duration.ofSeconds(60)).until(() -> strapi.fileAnswer(a).body().path("data").path("notification_sent").asBoolean()
                && strapi.fileAnswer(b).body().path("data").path("notification_sent").asBoolean());
        assertThat(strapi.fileAnswer(a).body().path("data").path("last_notification_batch").asText()).isEqualTo(batch);
        assertThat(count("SELECT count(*) FROM batch_files WHERE batch_id = CAST(? AS uuid) AND cms_marked_at IS NOT NULL", batch))
                .isEqualTo(2);
    }

    @Test
    void correctionDeletesTheRecordAndAMissingOneCountsAsDone() throws Exception {
        int company = newCompany();
        String doc = strapi.createFile("broken.pdf", "k/broken.pdf", company, 4);
        post("/api/events", Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed",
                "user_email", newUser(), "error_category", "file_not_found", "error_message", "gone"));
        awaitStatus(doc, "completed");
        assertThat(strapi.fileAnswer(doc).status()).isEqualTo(404);
        // The look-up confirmed the task's metadata from Strapi.
        assertThat(task(doc).get("storage_key")).isEqualTo("k/broken.pdf");

        // Strapi answers 204 to a DELETE of a record it never had: done, not an error.
        String missing = "never-" + UUID.randomUUID().toString().substring(0, 8);
        post("/api/events", CorrectionCmsTest.failed(missing, "file_not_found", null));
        awaitStatus(missing, "completed");
        assertThat(task(missing).get("execution_log").toString()).contains("answered 204");
        assertThat(((Number) task(missing).get("attempts")).intValue()).isEqualTo(1);
    }

    @Test
    void aWrongFilesPathFailsTheDeleteAtOnceWithTheReason() throws Exception {
        // The second app alone claims tasks and marks files here (both apps share the schema).
        pauseMainApp();
        try {
            Map<String, String> p = other(StrapiServer.BUNDLE_TOKEN);
            p.put("ingest-notify.cms.files.path", "/api/filez");
            p.put("ingest-notify.metadata.lookup", "false");
            try (RunningApp second = new RunningApp(p)) {
                String doc = strapi.createFile("kept.pdf", "k/kept.pdf", newCompany(), 5);
                postTo(p, CorrectionCmsTest.failed(doc, "file_not_found", null));
                await().atMost(Duration.ofSeconds(60)).until(() -> "failed".equals(task(doc).get("status")));
                Map<String, Object> t = task(doc);
                assertThat((String) t.get("error_during_correction")).contains("CMS has no route for DELETE /api/filez/" + doc,
                        "405", "CMS_FILES_PATH");
                assertThat(((Number) t.get("attempts")).intValue()).isEqualTo(1);
                assertThat(strapi.fileAnswer(doc).status()).isEqualTo(200);
                // Not re-driven as an outage would be.
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() ->
                        ((Number) task(doc).get("attempts")).intValue() == 1 && "failed".equals(task(doc).get("status")));
            }
        } finally {
            resumeMainApp();
        }
    }

    @Test
    void aReadOnlyTokenFailsTheDeleteAtOnceAsLackingPermission() throws Exception {
        // The second app alone claims tasks and marks files here (both apps share the schema).
        pauseMainApp();
        try {
            Map<String, String> p = other(StrapiServer.READ_ONLY_TOKEN);
            try (RunningApp second = new RunningApp(p)) {
                int company = newCompany();
                String doc = strapi.createFile("ro.pdf", "k/ro.pdf", company, 6);
                postTo(p, Json.write(Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed",
                        "user_email", newUser(), "error_category", "file_not_found", "error_message", "gone")));
                await().atMost(Duration.ofSeconds(60)).until(() -> "failed".equals(task(doc).get("status")));
                Map<String, Object> t = task(doc);
                assertThat((String) t.get("error_during_correction")).contains("CMS token lacks permission",
                        "403 to DELETE /api/files/" + doc, "ForbiddenError");
                assertThat(((Number) t.get("attempts")).intValue()).isEqualTo(1);
                assertThat(strapi.fileAnswer(doc).status()).isEqualTo(200);
            }
        } finally {
            resumeMainApp();
        }
    }

    @Test
    void aMarkRefusedWith400IsLoggedOnceWithStrapisMessageAndNotRetriedBySweeps() throws Exception {
        // The second app alone claims tasks and marks files here (both apps share the schema).
        pauseMainApp();
        try {
            // A path whose type lacks the bundle's fields: Strapi answers the mark's PUT with 400 "Invalid key".
            // (The full-access token: the bundle's own may not write that type, and Strapi checks permission first.)
            Map<String, String> p = other(StrapiServer.FULL_TOKEN);
            p.put("ingest-notify.cms.files.path", "/api/user-notification-preferences");
            p.put("ingest-notify.metadata.lookup", "false");
            p.put("ingest-notify.sweeper.interval.ms", "300");
            int company = newCompany();
            String user = newUser();
            strapi.createPreference(company, 7, user, 1, 1440, "text", true, true, true);
            String doc = "unmarkable-" + UUID.randomUUID().toString().substring(0, 8);
            try (LogCapture log = LogCapture.attach(); RunningApp second = new RunningApp(p)) {
                postTo(p, event(newEventId(), doc, "success", user, company, 7, "x.pdf"));
                awaitMails(user, 1);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        count("SELECT count(*) FROM batch_files WHERE file_document_id = ? AND cms_mark_refused_at IS NOT NULL", doc) == 1);
                // Several sweeps later: still one ERROR line, and the file stays unmarked.
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() -> refusals(log, doc).size() == 1);
                assertThat(refusals(log, doc).get(0)).contains("refused by the CMS", "400",
                        "ValidationError: Invalid key", "install cms/strapi");
                assertThat(value("SELECT cms_mark_error FROM batch_files WHERE file_document_id = ?", doc).toString())
                        .contains("Invalid key");
                assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id = ? AND cms_marked_at IS NOT NULL", doc)).isZero();
            }
        } finally {
            resumeMainApp();
        }
    }

    private static void pauseMainApp() throws Exception {
        app.context().getRouteController().stopRoute("ingest-notify-correction-poller");
        app.context().getRouteController().stopRoute("ingest-notify-batch-sweeper");
    }

    private static void resumeMainApp() throws Exception {
        app.context().getRouteController().startRoute("ingest-notify-correction-poller");
        app.context().getRouteController().startRoute("ingest-notify-batch-sweeper");
    }

    private static java.util.List<String> refusals(LogCapture log, String doc) {
        return log.linesContaining("refused by the CMS").stream().filter(l -> l.contains(doc)).toList();
    }

    /** The settings of a second app on this class's schema, with its own HTTP port. */
    private static Map<String, String> other(String token) {
        Map<String, String> p = baseProperties();
        p.putAll(strapiProperties(token));
        p.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        return p;
    }

    private static HttpResponse<String> postTo(Map<String, String> p, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.get("ingest-notify.http.port") + "/api/events"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + INTAKE_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return r;
    }
}
