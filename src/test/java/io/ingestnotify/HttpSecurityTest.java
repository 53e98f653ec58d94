package io.ingestnotify;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.RunningApp;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Secure by default, tried as an attacker on the same network would: every refusal is checked for its status, its
 * message, and that nothing was recorded or run.
 */
class HttpSecurityTest extends AppTestSupport {

    static final String SECOND_INTAKE_TOKEN = "rotated-intake-token-55e0";
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of("ingest-notify.intake.token", INTAKE_TOKEN + ", " + SECOND_INTAKE_TOKEN, "ingest-notify.max.request.bytes", "4096",
                "ingest-notify.auto.correction.delay.seconds", "0", "ingest-notify.correction.poll.delay.ms", "100", "ingest-notify.correction.branch.redeliveries", "0",
                "ingest-notify.max.correction.attempts", "1"));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request with exactly the headers given (pairs), no credential of its own. */
    static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String oneEvent(String doc) {
        return event(newEventId(), doc, "success", newUser(), 1, 2, doc + ".pdf");
    }

    static long recorded(String doc) throws Exception {
        return count("SELECT count(*) FROM file_events WHERE file_document_id = ?", doc);
    }

    static void assertRefused(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).contains(message);
    }

    @Test
    void intakeNeedsItsBearerTokenAndAcceptsEveryRotatedOne() throws Exception {
        HttpResponse<String> none = send("POST", "/api/events", oneEvent("sec-none"), "Content-Type", "application/json");
        assertRefused(none, 401, "authentication required");
        assertThat(none.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"ingest-notify\"");

        assertRefused(send("POST", "/api/events", oneEvent("sec-wrong"), "Content-Type", "application/json",
                "Authorization", "Bearer not-the-token"), 401, "wrong credential");
        // The operator's credentials are not the pipeline's.
        assertRefused(send("POST", "/api/events", oneEvent("sec-ops"), "Content-Type", "application/json",
                "Authorization", "Bearer " + OPS_TOKEN), 401, "wrong credential");
        assertRefused(send("POST", "/api/events", oneEvent("sec-basic"), "Content-Type", "application/json",
                "Authorization", basic(OPS_USER, OPS_PASSWORD)), 401, "wrong credential");
        for (String doc : new String[] {"sec-none", "sec-wrong", "sec-ops", "sec-basic"}) {
            assertThat(recorded(doc)).as(doc).isZero();
        }

        assertThat(send("POST", "/api/events", oneEvent("sec-first"), "Content-Type", "application/json",
                "Authorization", "Bearer " + INTAKE_TOKEN).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/events", oneEvent("sec-second"), "Content-Type", "application/json",
                "Authorization", "bearer " + SECOND_INTAKE_TOKEN).statusCode()).isEqualTo(202);
        assertThat(recorded("sec-first") + recorded("sec-second")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/ops/ops.js", "/api/ops/summary", "/api/corrections/1", "/observe/info", "/observe/metrics"})
    void operatorPathsNeedTheOperatorsCredential(String path) throws Exception {
        HttpResponse<String> none = send("GET", path, null);
        assertRefused(none, 401, "authentication required");
        // A browser is asked to log in.
        assertThat(none.headers().allValues("WWW-Authenticate")).contains("Basic realm=\"ingest-notify\", charset=\"UTF-8\"");
        assertRefused(send("GET", path, null, "Authorization", basic(OPS_USER, "guess")), 401, "wrong credential");
        assertRefused(send("GET", path, null, "Authorization", "Bearer " + INTAKE_TOKEN), 401, "wrong credential");

        assertThat(send("GET", path, null, "Authorization", basic(OPS_USER, OPS_PASSWORD)).statusCode()).isNotEqualTo(401);
        assertThat(send("GET", path, null, "Authorization", "Bearer " + OPS_TOKEN).statusCode()).isNotEqualTo(401);
    }

    @Test
    void mutatingRequestsMustBeJsonFromThisOrigin() throws Exception {
        String auth = "Bearer " + INTAKE_TOKEN;
        assertRefused(send("POST", "/api/events", oneEvent("sec-text"), "Content-Type", "text/plain", "Authorization", auth),
                415, "Content-Type must be application/json");
        assertRefused(send("POST", "/api/events", oneEvent("sec-form"), "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", auth), 415, "application/json");
        assertRefused(send("POST", "/api/events", oneEvent("sec-origin"), "Content-Type", "application/json", "Authorization", auth,
                "Origin", "http://evil.example"), 403, "cross-origin");
        assertRefused(send("POST", "/api/events", oneEvent("sec-site"), "Content-Type", "application/json", "Authorization", auth,
                "Sec-Fetch-Site", "cross-site"), 403, "cross-origin");
        for (String doc : new String[] {"sec-text", "sec-form", "sec-origin", "sec-site"}) {
            assertThat(recorded(doc)).as(doc).isZero();
        }
        // Its own origin is fine.
        assertThat(send("POST", "/api/events", oneEvent("sec-same"), "Content-Type", "application/json; charset=UTF-8",
                "Authorization", auth, "Origin", "http://127.0.0.1:" + httpPort).statusCode()).isEqualTo(202);
    }

    @Test
    void aCrossSiteFormPostCannotRetryACorrection() throws Exception {
        cms.stubFor(delete(urlEqualTo("/api/files/sec-fail")).willReturn(aResponse().withStatus(500)));
        post("/api/events", Json.object("event_id", newEventId(), "file_document_id", "sec-fail", "status", "failed",
                "company_id", 1, "bot_id", 2, "error_category", "file_not_found"));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "failed".equals(value("SELECT status FROM auto_correction_tasks WHERE file_document_id = 'sec-fail'")));
        long id = ((Number) value("SELECT id FROM auto_correction_tasks WHERE file_document_id = 'sec-fail'")).longValue();
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/sec-fail")));

        // What a page on another site can make a logged-in operator's browser send.
        String cached = basic(OPS_USER, OPS_PASSWORD);
        assertRefused(send("POST", "/api/corrections/" + id + "/retry", "x=1", "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", cached, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"), 403, "cross-origin");
        assertRefused(send("POST", "/api/corrections/" + id + "/retry", "x=1", "Content-Type", "text/plain",
                "Authorization", cached), 415, "application/json");

        assertThat(value("SELECT status FROM auto_correction_tasks WHERE id = ?", id)).isEqualTo("failed");
        assertThat(value("SELECT attempts FROM auto_correction_tasks WHERE id = ?", id)).isEqualTo(1);
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/sec-fail")));
    }

    @Test
    void bodiesOverTheLimitAre413AndNothingIsRecorded() throws Exception {
        ArrayNode events = Json.array();
        while (Json.write(events).length() < 5000) {
            events.add(Json.parse(oneEvent("sec-big")));
        }
        String body = Json.write(events);
        assertRefused(send("POST", "/api/events", body, "Content-Type", "application/json", "Authorization", "Bearer " + INTAKE_TOKEN),
                413, "MAX_REQUEST_BYTES");

        // Chunked, without Content-Length: the server's body limit cuts it off too.
        HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/events"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + INTAKE_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(recorded("sec-big")).isZero();
    }

    @Test
    void healthIsOpenButShowsAnonymousCallersOnlyNamesAndStatus() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> send("GET", "/observe/health", null).statusCode() == 200);
        for (String path : new String[] {"/observe/health", "/observe/health?exposureLevel=full&stackTrace=true&data=true",
            "/observe/health/ready", "/observe/health/live"}) {
            HttpResponse<String> r = send("GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("status").asText()).isEqualTo("UP");
            assertThat(body.get("checks")).isNotEmpty();
            for (JsonNode check : body.get("checks")) {
                // in this order on every JVM: a probe may match the text {"name":"…","status":"UP"}
                assertThat(check.fieldNames()).toIterable().containsExactly("name", "status");
            }
        }
        assertThat(send("GET", "/observe/health", null).body()).contains("\"name\":\"ingest-notify-database\"", "\"name\":\"ingest-notify-smtp\"");
        // The operator sees Camel's full report, with each check's data when asked.
        HttpResponse<String> full = send("GET", "/observe/health?data=true", null, "Authorization", "Bearer " + OPS_TOKEN);
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(full.body()).get("checks").toString()).contains("\"data\"");
    }

    @Test
    void everyAnswerForbidsFramingSniffingAndInlineCode() throws Exception {
        for (String path : new String[] {"/", "/api/ops/summary", "/nope"}) {
            HttpResponse<String> r = send("GET", path, null, "Authorization", "Bearer " + OPS_TOKEN);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'", "script-src 'self'",
                            "style-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        }
        String page = send("GET", "/", null, "Authorization", "Bearer " + OPS_TOKEN).body();
        assertThat(page).contains("<script src=\"ops/ops.js\"></script>").doesNotContain("<script>", "style=", "onclick");
        assertThat(send("GET", "/ops/ops.js", null, "Authorization", "Bearer " + OPS_TOKEN).body())
                .contains("'Content-Type': 'application/json'");
    }

    @Test
    void bindingBeyondLoopbackNeedsBothRolesCredentials() throws Exception {
        Map<String, String> p = baseProperties();
        p.put("ingest-notify.http.host", "0.0.0.0");
        p.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        p.put("ingest-notify.intake.token", "");
        p.put("ingest-notify.ops.user", "");
        p.put("ingest-notify.ops.password", "");
        p.put("ingest-notify.ops.token", "");
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e -> assertThat(messages(e))
                .contains("HTTP_HOST='0.0.0.0'", "INTAKE_TOKEN", "OPS_TOKEN (or OPS_USER and OPS_PASSWORD)"));
        p.put("ingest-notify.intake.token", "t-1");
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e -> assertThat(messages(e))
                .contains("needs OPS_TOKEN").doesNotContain("needs INTAKE_TOKEN"));
        p.put("ingest-notify.ops.user", "admin");
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e -> assertThat(messages(e))
                .contains("Invalid setting OPS_PASSWORD"));
    }

    @Test
    void onLoopbackWithNoCredentialConfiguredTheApiIsOpen() throws Exception {
        Map<String, String> p = new HashMap<>(baseProperties());
        int port = AvailablePortFinder.getNextAvailable();
        p.put("ingest-notify.http.port", String.valueOf(port));
        p.put("ingest-notify.intake.token", "");
        p.put("ingest-notify.ops.user", "");
        p.put("ingest-notify.ops.password", "");
        p.put("ingest-notify.ops.token", "");
        p.put("camel.main.name", "open-loopback");
        try (RunningApp open = new RunningApp(p)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(oneEvent("sec-open"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ops/summary")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        assertThat(recorded("sec-open")).isEqualTo(1);
    }

    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
