package io.ingestnotify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.RunningApp;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.ingestnotify.CorrectionCmsTest.awaitStatus;
import static io.ingestnotify.CorrectionCmsTest.correctionProperties;
import static io.ingestnotify.CorrectionCmsTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Any other CMS": the shipped cms/plain-rest/cms-plain-rest.camel.yaml in ROUTES_DIR replaces the contract's routes
 * and reaches a CMS with plain REST endpoints (a tiny in-test HTTP server, exactly as that file's comment describes
 * it). Preferences, look-ups (a group's in one call), marks, deletes (a missing record counts as deleted), the
 * unsubscribe, a refusal failing at once and an outage retried, without a line of Java.
 */
class PlainRestCmsTest extends AppTestSupport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "plain-rest-token-5e1";
    private static HttpServer server;
    private static final Map<String, Map<String, Object>> FILES = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, Object>> PREFERENCES = new ConcurrentHashMap<>();
    private static final List<String> CALLS = new CopyOnWriteArrayList<>();
    private static volatile boolean down;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", PlainRestCmsTest::handle);
        server.start();
        Map<String, String> p = new HashMap<>(correctionProperties());
        p.put("ingest-notify.cms.api.url", "http://127.0.0.1:" + server.getAddress().getPort());
        p.put("ingest-notify.cms.api.token", TOKEN);
        p.put("ingest-notify.cms.timeout.ms", "5000");
        p.put("ingest-notify.metadata.source", "auto");
        p.put("ingest-notify.notification.delay.unit", "SECONDS");
        p.put("ingest-notify.routes.dir", Path.of("cms/plain-rest").toAbsolutePath().toString());
        startApp(p);
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    // ---- the plain REST CMS ----

    private static void handle(HttpExchange x) throws IOException {
        String method = x.getRequestMethod();
        String path = URLDecoder.decode(x.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        CALLS.add(method + " " + path);
        if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            answer(x, 401, Map.of("error", "unauthorized"));
            return;
        }
        if (down) {
            answer(x, 503, null);
            return;
        }
        String[] seg = path.split("/");
        if (path.startsWith("/files/search") && method.equals("POST")) {
            List<?> ids = (List<?>) MAPPER.readValue(x.getRequestBody(), Map.class).get("ids");
            answer(x, 200, ids.stream().filter(FILES::containsKey).map(id -> {
                Map<String, Object> row = new HashMap<>(FILES.get(id));
                row.put("document_id", id);
                return row;
            }).toList());
        } else if (path.startsWith("/files/") && seg.length == 3) {
            Map<String, Object> file = FILES.get(seg[2]);
            if (file == null) {
                answer(x, 404, Map.of("error", "not_found"));
            } else if (method.equals("GET")) {
                answer(x, 200, file);
            } else if (method.equals("PATCH")) {
                file.putAll(MAPPER.readValue(x.getRequestBody(), Map.class));
                answer(x, 204, null);
            } else if (method.equals("DELETE")) {
                FILES.remove(seg[2]);
                answer(x, 204, null);
            } else {
                answer(x, 405, null);
            }
        } else if (path.startsWith("/preferences/") && (seg.length == 5 || seg.length == 6)) {
            String key = seg[2] + "/" + seg[3] + "/" + seg[4].toLowerCase(Locale.ROOT);
            if (seg.length == 6 && seg[5].equals("off") && method.equals("PUT")) {
                PREFERENCES.computeIfAbsent(key, k -> new HashMap<>()).put("notification_enabled", false);
                answer(x, 204, null);
            } else if (seg.length == 5 && method.equals("GET")) {
                Map<String, Object> prefs = PREFERENCES.get(key);
                answer(x, prefs == null ? 404 : 200, prefs == null ? Map.of("error", "not_found") : prefs);
            } else {
                answer(x, 405, null);
            }
        } else {
            answer(x, 404, null);
        }
    }

    private static void answer(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : MAPPER.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    private static void file(String id, int company, int bot, String name) {
        FILES.put(id, new HashMap<>(Map.of("company_id", company, "bot_id", bot, "file_name", name, "storage_key", "k/" + name)));
    }

    // ---- the scenario ----

    @Test
    void preferencesLookUpsAndMarksGoThroughTheUsersRoutes() throws Exception {
        String user = newUser();
        PREFERENCES.put("31/4/" + user, new HashMap<>(Map.of("email_format", "text", "batch_size_threshold", 2)));
        file("pr-a", 31, 4, "a.pdf");
        file("pr-b", 31, 4, "b.pdf");
        post("/api/events", Json.array(
                Json.object("event_id", newEventId(), "file_document_id", "pr-a", "status", "success", "user_email", user),
                Json.object("event_id", newEventId(), "file_document_id", "pr-b", "status", "success", "user_email", user)));
        MimeMessage mail = awaitMails(user, 1).get(0);
        assertThat(mail.getContent()).isInstanceOf(String.class);
        assertThat((String) mail.getContent()).contains("a.pdf", "b.pdf");
        assertThat(value("SELECT company_id FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(31);
        Object batch = value("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = ?", user);
        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(FILES.get("pr-a").get("notification_sent"))
                && Boolean.TRUE.equals(FILES.get("pr-b").get("notification_sent")));
        assertThat(FILES.get("pr-a").get("last_notification_batch")).isEqualTo(batch);
        for (String op : List.of("preferences", "lookup-file", "lookup-files", "mark-file", "delete-file", "unsubscribe")) {
            assertThat(app.context().getRoute("ingest-notify-cms-" + op).getSourceLocationShort()).contains("cms-plain-rest.camel.yaml");
        }
    }

    @Test
    void aGroupsFailedEventsAreLookedUpInOneCallAndCorrected() throws Exception {
        file("gr-a", 32, 4, "ga.pdf");
        file("gr-b", 32, 4, "gb.pdf");
        CALLS.clear();
        post("/api/events", Json.array(
                Json.object("event_id", newEventId(), "file_document_id", "gr-a", "status", "failed", "user_email", newUser(),
                        "error_category", "file_not_found", "error_message", "gone"),
                Json.object("event_id", newEventId(), "file_document_id", "gr-b", "status", "failed", "user_email", newUser(),
                        "error_category", "file_not_found", "error_message", "gone"),
                Json.object("event_id", newEventId(), "file_document_id", "gr-missing", "status", "failed", "user_email", newUser(),
                        "company_id", 32, "bot_id", 4, "error_category", "file_not_found", "error_message", "gone")));
        assertThat(CALLS.stream().filter(c -> c.startsWith("POST /files/search"))).hasSize(1);
        assertThat(CALLS.stream().filter(c -> c.startsWith("GET /files/"))).isEmpty();
        awaitStatus("gr-a", "completed");
        awaitStatus("gr-b", "completed");
        // The missing record: its 404 "not_found" counts as deleted.
        awaitStatus("gr-missing", "completed");
        assertThat(task("gr-a").get("storage_key")).isEqualTo("k/ga.pdf");
        assertThat(FILES).doesNotContainKeys("gr-a", "gr-b");
        assertThat(task("gr-missing").get("execution_log").toString()).contains("answered 404");
    }

    @Test
    void theReadmeShowsTheWholeFile() throws Exception {
        String file = java.nio.file.Files.readString(Path.of("cms/plain-rest/cms-plain-rest.camel.yaml")).strip();
        assertThat(java.nio.file.Files.readString(Path.of("README.md"))).contains(file);
    }

    @Test
    void anUnsubscribeIsWrittenThroughTheUsersRoute() {
        Exchange e = app.context().createProducerTemplate().request("direct:ingest-notify-cms-unsubscribe", x -> {
            x.getMessage().setHeader("companyId", 33);
            x.getMessage().setHeader("botId", 4);
            x.getMessage().setHeader("userEmail", "Quiet@Example.com");
        });
        assertThat(e.getException()).isNull();
        assertThat(PREFERENCES.get("33/4/quiet@example.com")).containsEntry("notification_enabled", false);
    }

    @Test
    void aRefusedTokenFailsAtOnce() throws Exception {
        Map<String, String> p = baseProperties();
        p.putAll(correctionProperties());
        p.put("ingest-notify.cms.api.url", "http://127.0.0.1:" + server.getAddress().getPort());
        p.put("ingest-notify.cms.api.token", "wrong-token");
        p.put("ingest-notify.routes.dir", Path.of("cms/plain-rest").toAbsolutePath().toString());
        p.put("ingest-notify.metadata.lookup", "false");
        p.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        // The second app alone claims the task.
        app.context().getRouteController().stopRoute("ingest-notify-correction-poller");
        try (RunningApp second = new RunningApp(p)) {
            file("tok-1", 34, 4, "t.pdf");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.get("ingest-notify.http.port") + "/api/events"))
                    .header("Authorization", "Bearer " + INTAKE_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CorrectionCmsTest.failed("tok-1", "file_not_found", null))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(task("tok-1").get("status")));
            assertThat((String) task("tok-1").get("error_during_correction")).contains("CMS token lacks permission", "401", "DELETE /files/tok-1");
            assertThat(((Number) task("tok-1").get("attempts")).intValue()).isEqualTo(1);
            assertThat(FILES).containsKey("tok-1");
        } finally {
            app.context().getRouteController().startRoute("ingest-notify-correction-poller");
        }
    }

    @Test
    void anOutageIsRetried() throws Exception {
        file("down-1", 35, 4, "d.pdf");
        post("/api/events", Json.object("event_id", newEventId(), "file_document_id", "down-1", "status", "failed",
                "user_email", newUser(), "error_category", "file_not_found", "error_message", "gone"));
        // The task is due a second later: the CMS is down by then.
        down = true;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(value(
                    "SELECT status FROM auto_correction_tasks WHERE file_document_id = 'down-1'")));
            assertThat((String) task("down-1").get("error_during_correction")).contains("CmsUnavailable");
            assertThat(task("down-1").get("refused_reason")).isNull();
        } finally {
            down = false;
        }
        awaitStatus("down-1", "completed");
        assertThat(FILES).doesNotContainKey("down-1");
    }
}
