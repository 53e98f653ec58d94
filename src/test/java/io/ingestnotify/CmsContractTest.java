package io.ingestnotify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.ingestnotify.cms.CmsMisconfigured;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TcpProxy;
import io.ingestnotify.support.TestCms;
import io.ingestnotify.support.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.Exchange;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ingestnotify.CorrectionCmsTest.awaitStatus;
import static io.ingestnotify.CorrectionCmsTest.correctionProperties;
import static io.ingestnotify.CorrectionCmsTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CMS contract (cms.camel.yaml), one scenario against each real CMS the bundle ships an implementation for: a
 * Strapi 5 with cms/strapi's content types and a Directus 10 with cms/directus/setup.mjs's collections, each reached
 * through a TcpProxy (the outage) with the token its README lists. Preferences honoured in real digests, metadata
 * looked up (one file, a group), marks visible in the CMS, a correction deleting the record, a missing record counted
 * as deleted, an unsubscribe written, a wrong path and a token without permission failing the action at once with the
 * reason, an outage retried.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"strapi", "directus"})
class CmsContractTest extends AppTestSupport {

    private static final AtomicInteger COMPANY = new AtomicInteger(500);
    private static TestCms server;
    private static TcpProxy proxy;
    private static String appKind;
    private static String usedSchema;

    @Parameter
    String kind;

    @BeforeParameterizedClassInvocation
    static void startCms(String kind) throws Exception {
        assumeTrue(TestCms.available(kind) || System.getenv("CI") != null,
                kind + " not installed: run npm ci in src/test/" + kind + " (.ci/run does)");
        server = TestCms.shared(kind);
        URI u = URI.create(server.url());
        proxy = new TcpProxy(u.getHost(), u.getPort());
    }

    @AfterParameterizedClassInvocation
    static void stopApp() {
        if (app != null) {
            app.close();
            app = null;
        }
        appKind = null;
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    /** The app of this invocation's CMS, on a schema of its own (the other CMS's tasks and batches stay apart). */
    @BeforeEach
    void appForThisCms() throws Exception {
        if (kind.equals(appKind)) {
            return;
        }
        if (app != null) {
            app.close();
            app = null;
        }
        if (schema.equals(usedSchema)) {
            String old = schema;
            schema = TestPostgres.newSchema();
            TestPostgres.dropSchema(old);
        }
        usedSchema = schema;
        startApp(properties(server.bundleToken()));
        appKind = kind;
    }

    /** The CMS behind the proxy; the look-up is the default (the CMS); batches complete by size only here. */
    private Map<String, String> properties(String token) {
        Map<String, String> p = new HashMap<>(correctionProperties());
        p.put("ingest-notify.cms.kind", kind);
        p.put("ingest-notify.cms.api.url", "http://127.0.0.1:" + proxy.port());
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
    void preferencesAreHonouredInRealDigests() throws Exception {
        int company = newCompany();
        String html = newUser();
        String id = UUID.randomUUID().toString().substring(0, 8);
        server.createPreference(company, 1, html, 2, 1440, "html", true, true, true);
        server.createPreference(company, 1, "Text-" + id + "@Example.COM", 3, 1440, "text", true, true, false);
        String text = "TEXT-" + id + "@example.com";
        String unknown = newUser();

        post("/api/events", Json.array(event(newEventId(), "h1", "success", html, company, 1, "h1.pdf"),
                event(newEventId(), "h2", "success", html, company, 1, "h2.pdf"),
                event(newEventId(), "t1", "success", text, company, 1, "t1.pdf"),
                event(newEventId(), "t2", "success", text, company, 1, "t2.pdf"),
                event(newEventId(), "n1", "success", unknown, company, 1, "n1.pdf")));
        assertThat(awaitMails(html, 1).get(0).getContent()).isInstanceOf(MimeMultipart.class);
        // The address in another case finds its record: threshold 3, so two files leave the batch open.
        String lower = text.toLowerCase();
        assertThat(value("SELECT user_preferences_snapshot->>'batch_size_threshold' FROM batch_processing_sessions WHERE user_email = ?", lower))
                .isEqualTo("3");
        assertThat(value("SELECT user_preferences_snapshot->>'include_error_details' FROM batch_processing_sessions WHERE user_email = ?", lower))
                .isEqualTo("false");
        post("/api/events", event(newEventId(), "t3", "success", text, company, 1, "t3.pdf"));
        MimeMessage textMail = awaitMails(lower, 1).get(0);
        assertThat(textMail.getContent()).isInstanceOf(String.class);
        assertThat((String) textMail.getContent()).contains("t1.pdf", "t3.pdf");
        // A user without a record: the defaults.
        assertThat(value("SELECT user_preferences_snapshot::text FROM batch_processing_sessions WHERE user_email = ?", unknown).toString())
                .contains("\"batch_size_threshold\": 5", "\"email_format\": \"html\"", "\"notification_enabled\": true");
    }

    @Test
    void metadataIsLookedUpAndTheMarksAreVisibleInTheCms() throws Exception {
        int company = newCompany();
        String user = newUser();
        server.createPreference(company, 3, user, 2, 1440, "html", true, true, true);
        String a = server.createFile("a.pdf", "k/a.pdf", company, 3);
        String b = server.createFile("b.pdf", "k/b.pdf", company, 3);
        // No company, bot or name in the events: the look-up asks the CMS.
        post("/api/events", Json.array(
                Json.object("event_id", newEventId(), "file_document_id", a, "status", "success", "user_email", user),
                Json.object("event_id", newEventId(), "file_document_id", b, "status", "success", "user_email", user)));
        MimeMessage mail = awaitMails(user, 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("File Processing Complete - 2 Success, 0 Failed");
        assertThat((String) value("SELECT string_agg(file_name, ',' ORDER BY file_name) FROM batch_files WHERE file_document_id IN (?, ?)", a, b))
                .isEqualTo("a.pdf,b.pdf");
        Object batch = value("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = ?", user);
        assertThat(value("SELECT company_id FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(company);
        await().atMost(Duration.ofSeconds(60)).until(() -> marked(a) && marked(b));
        assertThat(server.file(a).path("last_notification_batch").asText()).isEqualTo(batch);
        assertThat(count("SELECT count(*) FROM batch_files WHERE batch_id = CAST(? AS uuid) AND cms_marked_at IS NOT NULL", batch))
                .isEqualTo(2);
    }

    private static boolean marked(String doc) {
        var v = server.file(doc).path("notification_sent");
        return v.isNumber() ? v.asInt() == 1 : v.asBoolean();
    }

    @Test
    void aGroupsFailedEventsAreConfirmedByOneGroupedLookUp() throws Exception {
        int company = newCompany();
        String a = server.createFile("ga.pdf", "k/ga.pdf", company, 8);
        String b = server.createFile("gb.pdf", "k/gb.pdf", company, 8);
        String missing = "never-" + UUID.randomUUID().toString().substring(0, 8);
        // The contract route itself: the documents it knows, each with its document_id; the unknown one left out.
        Exchange answer = app.context().createProducerTemplate().request("direct:ingest-notify-cms-lookup-files",
                e -> e.getMessage().setHeader("documentIds", List.of(a, missing, b)));
        assertThat(answer.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = answer.getMessage().getBody(List.class);
        assertThat(rows).hasSize(2);
        assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("document_id", a).containsEntry("storage_key", "k/ga.pdf")
                .containsEntry("company_id", company).containsEntry("bot_id", 8).containsEntry("file_name", "ga.pdf"));

        // Through the intake: the event's storage key loses to the CMS's.
        post("/api/events", Json.array(
                Json.object("event_id", newEventId(), "file_document_id", a, "status", "failed", "user_email", newUser(),
                        "storage_key", "k/other.pdf", "error_category", "file_not_found", "error_message", "gone"),
                Json.object("event_id", newEventId(), "file_document_id", b, "status", "failed", "user_email", newUser(),
                        "error_category", "file_not_found", "error_message", "gone")));
        awaitStatus(b, "completed");
        assertThat(task(b).get("storage_key")).isEqualTo("k/gb.pdf");
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE file_document_id = ?", a)).isZero();
        assertThat(value("SELECT outcome FROM file_events WHERE file_document_id = ?", a)).isEqualTo("metadata_mismatch");
    }

    @Test
    void aCorrectionDeletesTheRecordAndAMissingOneCountsAsDeleted() throws Exception {
        int company = newCompany();
        String doc = server.createFile("broken.pdf", "k/broken.pdf", company, 4);
        post("/api/events", Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed",
                "user_email", newUser(), "error_category", "file_not_found", "error_message", "gone"));
        awaitStatus(doc, "completed");
        assertThat(server.file(doc)).isNull();
        assertThat(task(doc).get("storage_key")).isEqualTo("k/broken.pdf");

        String missing = "never-" + UUID.randomUUID().toString().substring(0, 8);
        post("/api/events", CorrectionCmsTest.failed(missing, "file_not_found", null));
        awaitStatus(missing, "completed");
        assertThat(((Number) task(missing).get("attempts")).intValue()).isEqualTo(1);
        assertThat(task(missing).get("cms_cleanup_completed")).isEqualTo(true);
        // The contract route says what was done.
        Exchange again = app.context().createProducerTemplate().request("direct:ingest-notify-cms-delete-file",
                e -> e.getMessage().setHeader("documentId", missing));
        assertThat(again.getException()).isNull();
        assertThat(again.getMessage().getBody(String.class)).contains(missing);
    }

    @Test
    void anUnsubscribeTurnsNotificationsOffWithOrWithoutARecord() throws Exception {
        int company = newCompany();
        String withRecord = newUser();
        String without = newUser();
        server.createPreference(company, 9, withRecord, 2, 30, "html", true, true, true);
        for (String user : List.of(withRecord.toUpperCase(), without)) {
            Exchange e = app.context().createProducerTemplate().request("direct:ingest-notify-cms-unsubscribe", x -> {
                x.getMessage().setHeader("companyId", company);
                x.getMessage().setHeader("botId", 9);
                x.getMessage().setHeader("userEmail", user);
            });
            assertThat(e.getException()).isNull();
        }
        assertThat(server.notificationsEnabled(company, 9, withRecord)).isFalse();
        assertThat(server.notificationsEnabled(company, 9, without)).isFalse();
        // Read back through the contract: off, the rest of the record kept.
        Exchange prefs = app.context().createProducerTemplate().request("direct:ingest-notify-cms-preferences", x -> {
            x.getMessage().setHeader("companyId", company);
            x.getMessage().setHeader("botId", 9);
            x.getMessage().setHeader("userEmail", withRecord);
        });
        Map<?, ?> read = prefs.getMessage().getBody(Map.class);
        assertThat(read.get("notification_enabled")).isEqualTo(false);
        assertThat(read.get("batch_size_threshold")).isEqualTo(2);
    }

    @Test
    void aWrongFilesPathFailsTheDeleteAtOnceWithTheReason() throws Exception {
        pauseMainApp();
        try {
            Map<String, String> p = other(server.bundleToken());
            p.put("ingest-notify.cms.files.path", server.wrongFilesPath());
            p.put("ingest-notify.metadata.lookup", "false");
            try (RunningApp second = new RunningApp(p)) {
                String doc = server.createFile("kept.pdf", "k/kept.pdf", newCompany(), 5);
                postTo(p, CorrectionCmsTest.failed(doc, "file_not_found", null));
                await().atMost(Duration.ofSeconds(60)).until(() -> "failed".equals(task(doc).get("status")));
                Map<String, Object> t = task(doc);
                assertThat((String) t.get("error_during_correction")).contains(server.wrongFilesPath() + "/" + doc, "CMS_FILES_PATH");
                assertThat((String) t.get("refused_reason")).startsWith("misconfiguration");
                assertThat(((Number) t.get("attempts")).intValue()).isEqualTo(1);
                assertThat(server.file(doc)).isNotNull();
                // Not re-driven as an outage would be.
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() ->
                        ((Number) task(doc).get("attempts")).intValue() == 1 && "failed".equals(task(doc).get("status")));
            }
        } finally {
            resumeMainApp();
        }
    }

    @Test
    void aTokenWithoutPermissionFailsTheDeleteAtOnceAndTheLookUpAtOnce() throws Exception {
        pauseMainApp();
        try {
            Map<String, String> p = other(server.readOnlyToken());
            try (RunningApp second = new RunningApp(p)) {
                String doc = server.createFile("ro.pdf", "k/ro.pdf", newCompany(), 6);
                postTo(p, Json.write(Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed",
                        "user_email", newUser(), "error_category", "file_not_found", "error_message", "gone")));
                await().atMost(Duration.ofSeconds(60)).until(() -> "failed".equals(task(doc).get("status")));
                Map<String, Object> t = task(doc);
                assertThat((String) t.get("error_during_correction")).contains("CMS token lacks permission", "403", doc);
                assertThat(((Number) t.get("attempts")).intValue()).isEqualTo(1);
                assertThat(server.file(doc)).isNotNull();
                // The same token's mark: refused as a misconfiguration, not taken for a missing record.
                assertThatThrownBy(() -> second.context().createProducerTemplate().requestBodyAndHeaders(
                        "direct:ingest-notify-cms-mark-file", "", Map.of("documentId", doc, "batchId", "b-1")))
                        .hasRootCauseInstanceOf(CmsMisconfigured.class).rootCause().hasMessageContaining("CMS token lacks permission");
            }
        } finally {
            resumeMainApp();
        }
    }

    @Test
    void anOutageIsRetriedAndTheDeleteDoneOnceTheCmsIsBack() throws Exception {
        String doc = server.createFile("later.pdf", "k/later.pdf", newCompany(), 7);
        String event = Json.write(Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed",
                "user_email", newUser(), "error_category", "file_not_found", "error_message", "gone"));
        proxy.cut();
        try {
            // The look-up cannot reach the CMS: 503, nothing recorded (the pipeline sends again).
            HttpResponse<String> r = post("/api/events", event);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id = ?", doc)).isZero();
        } finally {
            proxy.restore();
        }
        assertThat(post("/api/events", event).statusCode()).isEqualTo(202);
        // The delete: cut while the task waits, so every attempt fails as an outage; then back.
        proxy.cut();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(value(
                    "SELECT status FROM auto_correction_tasks WHERE file_document_id = ?", doc)));
            Map<String, Object> t = task(doc);
            assertThat((String) t.get("error_during_correction")).contains("CmsUnavailable");
            assertThat(t.get("refused_reason")).isNull();
        } finally {
            proxy.restore();
        }
        awaitStatus(doc, "completed");
        assertThat(((Number) task(doc).get("attempts")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(server.file(doc)).isNull();
    }

    private static void pauseMainApp() throws Exception {
        app.context().getRouteController().stopRoute("ingest-notify-correction-poller");
        app.context().getRouteController().stopRoute("ingest-notify-batch-sweeper");
    }

    private static void resumeMainApp() throws Exception {
        app.context().getRouteController().startRoute("ingest-notify-correction-poller");
        app.context().getRouteController().startRoute("ingest-notify-batch-sweeper");
    }

    /** The settings of a second app on this invocation's schema, with its own HTTP port. */
    private Map<String, String> other(String token) {
        Map<String, String> p = baseProperties();
        p.putAll(properties(token));
        p.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        return p;
    }

    private static void postTo(Map<String, String> p, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.get("ingest-notify.http.port") + "/api/events"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + INTAKE_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
}
