package io.ingestnotify;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.ingestnotify.common.Formats;
import io.ingestnotify.embedded.EmbeddedS3;
import io.ingestnotify.intake.FileLookup;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.jclouds.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.ingestnotify.CorrectionCmsTest.awaitStatus;
import static io.ingestnotify.CorrectionCmsTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deletes stay inside what the service owns, against S3Proxy and a WireMock CMS (which also stands in for Chroma:
 * its unknown collection means "nothing to delete"): S3_KEY_PREFIX and path tricks refused with the objects still
 * present, the files table's look-up confirming failed events (METADATA_LOOKUP=auto finds it), and outbound calls
 * carrying only allow-listed headers.
 */
class DeletesInBoundsTest extends AppTestSupport {

    static final String BUCKET = "tenant-files";
    static EmbeddedS3 s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = CorrectionCmsTest.startS3(BUCKET);
        Map<String, String> p = CorrectionCmsTest.correctionProperties(BUCKET, s3.endpoint());
        p.put("ingest-notify.s3.key.prefix", "tenants/{company_id}/");
        p.put("ingest-notify.chroma.url", "http://127.0.0.1:" + cms.port());
        p.put("ingest-notify.chroma.token", "chroma-secret");
        startApp(p); // migrates the class's schema
        app.close();
        // The CMS's files table is visible at start: METADATA_LOOKUP=auto turns the confirmation on.
        execute("CREATE TABLE files (id serial PRIMARY KEY, document_id text, company_id int, bot_id int, name text, storage_key text)");
        startApp(p);
        assertThat(app.bean("ingestNotifyFileLookup", FileLookup.class).confirmsFailures()).isTrue();
        cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
        cms.stubFor(put(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(200).withBody(Json.write(Json.object("data", Json.object())))));
        // Chroma (v2) on the same WireMock: the collection exists, deletes succeed.
        cms.stubFor(get(urlPathMatching("/api/v2/tenants/.*/collections/global")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Json.write(Json.object("id", "col-1", "name", "global")))));
        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathMatching("/api/v2/tenants/.*/collections/col-1/delete")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}")));
    }

    @AfterAll
    static void stopS3() {
        s3.stop();
    }

    static void store(String key) {
        BlobStore store = s3.blobStore();
        store.putBlob(BUCKET, store.blobBuilder(key).payload(("content of " + key).getBytes(StandardCharsets.UTF_8)).build());
    }

    static boolean exists(String key) {
        return s3.blobStore().blobExists(BUCKET, key);
    }

    static void fileRow(String doc, int company, int bot, String key) throws Exception {
        execute("INSERT INTO files (document_id, company_id, bot_id, name, storage_key) VALUES (?, ?, ?, ?, ?)",
                doc, company, bot, doc + ".pdf", key);
    }

    static String failedEvent(String doc, int company, int bot, String category, String storageKey) {
        return Json.write(Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed", "company_id", company,
                "bot_id", bot, "user_email", newUser(), "file_name", "f.pdf", "error_category", category,
                "storage_key", storageKey, "error_message", "boom"));
    }

    /** Refused: failed, the reason on the timeline, and the re-drive (every 300 ms here) leaves it alone. */
    static void assertRefusedAndNotRedriven(String doc, String reason) {
        awaitStatus(doc, "failed");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(1500).plusSeconds(30)).until(() -> {
            Map<String, Object> t = task(doc);
            return "failed".equals(t.get("status")) && ((Number) t.get("attempts")).intValue() == 1;
        });
        try {
            Map<String, Object> t = task(doc);
            assertThat(t.get("execution_log").toString()).contains("\"step\": \"refused\"", "refused: ", reason)
                    .doesNotContain("redrive");
            assertThat((String) t.get("refused_reason")).contains(reason);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void dotDotKeyIsRefusedAndTheObjectItWouldReachStays() throws Exception {
        store("tenants/8/x.pdf");
        fileRow("dd-1", 7, 2, "tenants/7/../8/x.pdf");
        assertThat(post("/api/events", failedEvent("dd-1", 7, 2, "s3_error", "tenants/7/../8/x.pdf")).statusCode()).isEqualTo(202);
        assertRefusedAndNotRedriven("dd-1", "'..' segment");
        assertThat(exists("tenants/8/x.pdf")).isTrue();
        assertThat(task("dd-1").get("s3_cleanup_completed")).isEqualTo(false);
    }

    @Test
    void keyOutsideThePrefixIsRefusedAndStays() throws Exception {
        store("tenants/8/other-tenant.pdf");
        fileRow("out-1", 7, 2, "tenants/8/other-tenant.pdf");
        post("/api/events", failedEvent("out-1", 7, 2, "s3_error", "tenants/8/other-tenant.pdf"));
        assertRefusedAndNotRedriven("out-1", "outside S3_KEY_PREFIX tenants/7/");
        assertThat(exists("tenants/8/other-tenant.pdf")).isTrue();

        // Leading '/', empty segment: refused too.
        for (String key : List.of("/tenants/7/abs.pdf", "tenants/7//dbl.pdf", "tenants/7/./dot.pdf")) {
            String doc = "shape-" + Math.abs(key.hashCode());
            fileRow(doc, 7, 2, key);
            post("/api/events", failedEvent(doc, 7, 2, "s3_error", key));
            assertRefusedAndNotRedriven(doc, "S3 key");
        }
    }

    @Test
    void keyInsideThePrefixIsDeleted() throws Exception {
        store("tenants/7/ok.pdf");
        fileRow("in-1", 7, 2, "tenants/7/ok.pdf");
        post("/api/events", failedEvent("in-1", 7, 2, "processing_error", "tenants/7/ok.pdf"));
        awaitStatus("in-1", "completed");
        assertThat(exists("tenants/7/ok.pdf")).isFalse();
        assertThat(task("in-1").get("deletions_admitted_at")).isNotNull();
    }

    @Test
    void documentIdThatIsNotOnePathSegmentIsRefusedAndTheCmsAndChromaAreNotCalled() throws Exception {
        for (String doc : List.of("docx/../victim", "..")) {
            int before = cms.getAllServeEvents().size();
            post("/api/events", failedEvent(doc, 7, 2, "processing_error", null));
            assertRefusedAndNotRedriven(doc, "not a plain path segment");
            Map<String, Object> t = task(doc);
            assertThat(t.get("execution_log").toString()).contains("\"action\": \"cms_delete\"", "\"action\": \"chroma_delete\"");
            assertThat(t.get("cms_cleanup_completed")).isEqualTo(false);
            assertThat(t.get("chroma_cleanup_completed")).isEqualTo(false);
            // Nothing reached the CMS or Chroma for it: no DELETE, no Chroma look-up or delete.
            assertThat(cms.getAllServeEvents().subList(0, cms.getAllServeEvents().size() - before))
                    .noneMatch(e -> e.getRequest().getUrl().startsWith("/api/v2") || e.getRequest().getMethod().getName().equals("DELETE"));
        }
        // A task whose every action is refused takes no slot of the deletion breaker.
        post("/api/events", failedEvent("only/../chroma", 7, 2, "storage_error", null));
        assertRefusedAndNotRedriven("only/../chroma", "not a plain path segment");
        assertThat(task("only/../chroma").get("deletions_admitted_at")).isNull();

        assertThat(Formats.pathSegment("..")).isEqualTo("%2E%2E");
        assertThat(Formats.pathSegment(".")).isEqualTo("%2E");
        assertThat(Formats.pathSegment("a/../b")).isEqualTo("a%2F..%2Fb");
    }

    /** How many exchanges a route has handled, from /observe/metrics (Camel's route policy meters). */
    static long exchanges(String routeId) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("camel_exchanges_total\\{[^}]*routeId=\"" + routeId + "\"[^}]*} ([0-9.]+)")
                .matcher(getHttp("/observe/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void eventContradictingTheLookUpIsRecordedWithTheReasonAndGetsNoTask() throws Exception {
        long groupLookUps = exchanges("ingest-notify-lookup-files");
        long singleLookUps = exchanges("ingest-notify-lookup-file");
        store("tenants/7/real.pdf");
        store("tenants/7/victim.pdf");
        fileRow("conf-1", 7, 2, "tenants/7/real.pdf");
        fileRow("conf-2", 7, 2, "tenants/7/real2.pdf");
        HttpResponse<String> r = post("/api/events", Json.array(failedEvent("conf-1", 7, 2, "s3_error", "tenants/7/victim.pdf"),
                failedEvent("conf-2", 9, 2, "s3_error", null)));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"metadata_mismatch\":2");
        // Both failed events were confirmed by one query.
        assertThat(exchanges("ingest-notify-lookup-files")).isEqualTo(groupLookUps + 1);
        assertThat(exchanges("ingest-notify-lookup-file")).isEqualTo(singleLookUps);
        assertThat(value("SELECT outcome FROM file_events WHERE file_document_id = 'conf-1'")).isEqualTo("metadata_mismatch");
        assertThat((String) value("SELECT rejected_reason FROM file_events WHERE file_document_id = 'conf-1'"))
                .contains("storage_key tenants/7/victim.pdf but the look-up has tenants/7/real.pdf");
        assertThat((String) value("SELECT rejected_reason FROM file_events WHERE file_document_id = 'conf-2'"))
                .contains("company_id 9 but the look-up has 7");
        assertThat(rows("SELECT error_category, error_message, auto_correction_triggered FROM processing_errors WHERE file_document_id = 'conf-1'"))
                .singleElement().satisfies(e -> {
                    assertThat(e.get("error_category")).isEqualTo("metadata_mismatch");
                    assertThat((String) e.get("error_message")).contains("contradicts the metadata look-up");
                    assertThat(e.get("auto_correction_triggered")).isEqualTo(false);
                });
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE file_document_id IN ('conf-1', 'conf-2')")).isZero();
        assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id IN ('conf-1', 'conf-2')")).isZero();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(1500).plusSeconds(30)).until(() -> exists("tenants/7/victim.pdf"));
        assertThat(exists("tenants/7/real.pdf")).isTrue();
        cms.verify(0, deleteRequestedFor(urlEqualTo("/api/files/conf-1")));
    }

    @Test
    void theLookUpsKeyCompanyAndBotWin() throws Exception {
        // No storage key in the event: the look-up's is deleted.
        store("tenants/7/lk-1.pdf");
        fileRow("lk-1", 7, 2, "tenants/7/lk-1.pdf");
        post("/api/events", failedEvent("lk-1", 7, 2, "s3_error", null));
        awaitStatus("lk-1", "completed");
        assertThat(exists("tenants/7/lk-1.pdf")).isFalse();
        assertThat(task("lk-1").get("storage_key")).isEqualTo("tenants/7/lk-1.pdf");
        assertThat(task("lk-1").get("execution_log").toString()).contains("confirmed by the metadata look-up");

        // A file the look-up does not know: the event's key is not trusted, nothing is deleted from S3.
        store("tenants/7/unknown.pdf");
        post("/api/events", failedEvent("lk-unknown", 7, 2, "s3_error", "tenants/7/unknown.pdf"));
        awaitStatus("lk-unknown", "completed");
        assertThat(task("lk-unknown").get("storage_key")).isNull();
        assertThat(exists("tenants/7/unknown.pdf")).isTrue();
    }

    /** Everything a request to the CMS or Chroma may carry: the allow-list plus what the HTTP client itself adds. */
    static final Set<String> ALLOWED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        ALLOWED.addAll(Set.of("Authorization", "Content-Type", "Accept", "x-chroma-token",
                "Host", "Content-Length", "Connection", "User-Agent", "Accept-Encoding", "Transfer-Encoding"));
    }

    @Test
    void outboundCallsCarryOnlyAllowListedHeaders() throws Exception {
        String user = newUser();
        stubPreferences(7, 2, user, prefs(1, 1440, "html", true, true, true));
        store("tenants/7/hdr.pdf");
        fileRow("hdr-fail", 7, 2, "tenants/7/hdr.pdf");
        cms.resetRequests();
        post("/api/events", Json.array(event(newEventId(), "hdr-ok", "success", user, 7, 2, "ok.pdf"),
                failedEvent("hdr-fail", 7, 2, "processing_error", "tenants/7/hdr.pdf")));
        awaitMails(user, 1);
        awaitStatus("hdr-fail", "completed");
        await().atMost(Duration.ofSeconds(10)).until(() -> cms.getAllServeEvents().stream()
                .anyMatch(e -> e.getRequest().getMethod().getName().equals("PUT")));

        List<ServeEvent> calls = cms.getAllServeEvents();
        assertThat(calls).extracting(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl())
                .contains("PUT /api/files/hdr-ok", "DELETE /api/files/hdr-fail")
                .anyMatch(s -> s.startsWith("GET /api/user-notification-preferences/by-user/7/2/"))
                .anyMatch(s -> s.startsWith("POST /api/v2/tenants/") && s.endsWith("/collections/col-1/delete"));
        for (ServeEvent call : calls) {
            Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (HttpHeader h : call.getRequest().getHeaders().all()) {
                names.add(h.key());
            }
            assertThat(names).as(call.getRequest().getMethod() + " " + call.getRequest().getUrl())
                    .allMatch(ALLOWED::contains)
                    .doesNotContain("To", "Subject", "From", "batchId", "taskId", "action", "actionDetail");
            if (!call.getRequest().getUrl().startsWith("/api/v2/")) {
                assertThat(names).contains("Authorization");
            }
        }
        assertThat(calls).filteredOn(e -> e.getRequest().getUrl().startsWith("/api/v2/"))
                .allSatisfy(e -> assertThat(e.getRequest().getHeader("x-chroma-token")).isEqualTo("chroma-secret"));
    }
}
