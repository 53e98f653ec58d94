package io.ingestnotify;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bad input at the HTTP intake and in the outbox: refused naming the field, nothing recorded, nothing blocked. */
class IntakeValidationTest extends AppTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every table a request could write to: a refused request leaves all of them as they were. */
    private static final List<String> TABLES = List.of("file_events", "batch_processing_sessions", "batch_files",
            "file_processing_status", "processing_errors", "auto_correction_tasks");

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
    }

    /** A valid event with metadata (no look-up needed), with some fields changed: null removes one. */
    static String event(Object... changes) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", "ev-" + UUID.randomUUID());
        e.put("file_document_id", "doc-1");
        e.put("status", "failed");
        e.put("user_email", "bad-input@example.com");
        e.put("company_id", 1);
        e.put("bot_id", 1);
        e.put("file_name", "report.pdf");
        e.put("error_message", "Processing failed");
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                e.remove((String) changes[i]);
            } else {
                e.put((String) changes[i], changes[i + 1]);
            }
        }
        try {
            return JSON.writeValueAsString(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static Stream<Arguments> badInput() {
        String ok = "{\"event_id\":\"ok1\",\"file_document_id\":\"d\",\"status\":\"success\",\"company_id\":1,\"bot_id\":1,\"user_email\":\"a@b.com\"}";
        return Stream.of(
            arguments("malformed JSON", "{\"event_id\": \"a\",", 400, "body"),
            arguments("empty body", "", 400, "body"),
            arguments("empty array", "[]", 400, "body"),
            arguments("not an object", "[42]", 400, "[0]"),
            arguments("missing event_id", event("event_id", null), 400, "event_id"),
            arguments("missing document id", event("file_document_id", null), 400, "file_document_id"),
            arguments("missing status", event("status", null), 400, "status"),
            arguments("bad status", event("status", "done"), 400, "status"),
            arguments("bad email", event("user_email", "not-an-email"), 400, "user_email"),
            arguments("300-char address", event("user_email", "a".repeat(288) + "@example.com"), 400, "user_email"),
            arguments("bad company id", event("company_id", "acme"), 400, "company_id"),
            arguments("company id beyond int", event("company_id", 3_000_000_000L), 400, "company_id"),
            arguments("negative bot id", event("bot_id", -2), 400, "bot_id"),
            arguments("bad timestamp", event("occurred_at", "yesterday"), 400, "occurred_at"),
            arguments("occurred_at in year 300000", event("occurred_at", "+300000-01-01T00:00:00Z"), 400, "occurred_at"),
            arguments("occurred_at in 1999", event("occurred_at", "1999-12-31T23:59:59Z"), 400, "occurred_at"),
            arguments("occurred_at next week", event("occurred_at", java.time.Instant.now().plus(Duration.ofDays(7)).toString()), 400, "occurred_at"),
            arguments("bad stage", event("stage", "teleport"), 400, "stage"),
            arguments("bad category", event("error_category", "gremlins"), 400, "error_category"),
            arguments("negative size", event("file_size_bytes", -1), 400, "file_size_bytes"),
            arguments("negative chunks", event("chunks_created", -3), 400, "chunks_created"),
            arguments("negative time", event("processing_time_seconds", -1), 400, "processing_time_seconds"),
            arguments("event_id a number", "{\"event_id\":42,\"file_document_id\":\"d\",\"status\":\"success\"}", 400, "event_id"),
            arguments("event_id a boolean", "{\"event_id\":true,\"file_document_id\":\"d\",\"status\":\"success\"}", 400, "event_id"),
            arguments("NUL byte in a name", event("file_name", "a\u0000b.pdf"), 400, "file_name"),
            arguments("NUL byte in a document id", event("file_document_id", "doc\u0000"), 400, "file_document_id"),
            arguments("control char in error_message", event("error_message", "bell\u0007"), 400, "error_message"),
            arguments("line break in a name", event("file_name", "a.pdf\r\nBcc: x@evil.com"), 400, "file_name"),
            arguments("DEL in a name", event("file_name", "a\u007f.pdf"), 400, "file_name"),
            arguments("C1 control in a key", event("storage_key", "k/\u0085x"), 400, "storage_key"),
            arguments("unpaired surrogate", "{\"event_id\":\"e1\",\"file_document_id\":\"d\",\"status\":\"success\",\"file_name\":\"\\ud800.pdf\"}", 400, "file_name"),
            arguments("two JSON objects back to back", event() + event(), 400, "body"),
            arguments("trailing garbage", event() + " x", 400, "body"),
            arguments("duplicate keys", "{\"event_id\":\"e1\",\"event_id\":\"e2\",\"file_document_id\":\"d\",\"status\":\"success\"}", 400, "event_id"),
            arguments("duplicate keys in an array", "[" + ok + ",{\"event_id\":\"e3\",\"file_document_id\":\"d\",\"status\":\"success\",\"status\":\"failed\"}]", 400, "[1].status"),
            arguments("bad element in an array", "[" + ok + ",{\"event_id\":\"e2\",\"file_document_id\":\"d\",\"status\":\"meh\"}]", 400, "[1].status"),
            arguments("too many events", IntStream.range(0, 1001).mapToObj(i -> event()).collect(Collectors.joining(",", "[", "]")), 413, "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsRefusedNamingTheFieldAndNothingIsRecorded(String name, String body, int status, String field) throws Exception {
        Map<String, Object> before = tableCounts();

        HttpResponse<String> r = post("/api/events", body);

        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(r.body()).contains("\"field\":\"" + field + "\"").doesNotContain("unavailable");
        // All or nothing: a request with one bad event records none of its events, anywhere.
        assertThat(tableCounts()).isEqualTo(before);
    }

    @Test
    void lineBreaksAndTabsInAnErrorMessageAreAccepted() throws Exception {
        HttpResponse<String> r = post("/api/events", event("status", "success", "error_message", "Traceback:\r\n\tat parser\n\tat loader"));
        assertThat(r.statusCode()).isEqualTo(202);
    }

    /** JSON between systems is UTF-8 (RFC 8259): a body declared in another charset is 415, and nothing is recorded. */
    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-16", "application/json;charset=UTF-16LE", "application/json; charset=\"iso-8859-1\""})
    void aBodyDeclaredInAnotherCharsetIs415(String contentType) throws Exception {
        Map<String, Object> before = tableCounts();
        HttpResponse<String> r = HTTP.send(request("/api/events").header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(event(), StandardCharsets.UTF_16)).build(), HttpResponse.BodyHandlers.ofString());
        assertJsonError(r, 415, "JSON must be UTF-8 (RFC 8259)");
        assertThat(tableCounts()).isEqualTo(before);
        // utf-8 declared (any case, quoted or not) or no charset at all is fine.
        for (String fine : List.of("application/json; charset=utf-8", "application/json; charset=\"UTF-8\"", "application/json")) {
            assertThat(HTTP.send(request("/api/events").header("Content-Type", fine).POST(HttpRequest.BodyPublishers.ofString(event()))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(fine).isEqualTo(202);
        }
    }

    /** The method is wrong before the body's type is: PUT and DELETE on /api/events are 405 (Allow: POST), with any body. */
    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE", "PATCH", "GET"})
    void otherMethodsOnTheIntakeAre405Before415(String method) throws Exception {
        Map<String, Object> before = tableCounts();
        for (String contentType : List.of("text/plain", "application/json")) {
            HttpResponse<String> r = HTTP.send(request("/api/events").header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(event())).build(), HttpResponse.BodyHandlers.ofString());
            assertJsonError(r, 405, "POST only");
            assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        }
        // Without the intake's credential it is still 401 first: a caller without it learns nothing about the path.
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(request("/api/events").build().uri())
                .method(method, HttpRequest.BodyPublishers.ofString(event())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(tableCounts()).isEqualTo(before);
    }

    /** A database error that is not an outage (here the look-up's files table is missing): 500, an error id, one line. */
    @Test
    void missingLookupTableIsA500WithAnErrorIdInOneLogLine() throws Exception {
        execute("DROP TABLE IF EXISTS files");
        Map<String, Object> before = tableCounts();
        HttpResponse<String> r;
        try (LogCapture log = LogCapture.attach()) {
            // No company_id / bot_id: the metadata look-up runs and finds no files table (42P01).
            r = post("/api/events", event("company_id", null, "bot_id", null));

            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("Retry-After")).isEmpty();
            JsonNode body = JSON.readTree(r.body());
            String errorId = body.path("error_id").asText();
            assertThat(errorId).matches("[0-9a-f]{8}");
            assertThat(body.path("error").asText()).contains(errorId).doesNotContain("unavailable");
            assertThat(log.linesContaining(errorId)).singleElement().satisfies(line ->
                    assertThat(line).contains("files").contains("ingest-notify-lookup-file"));
            assertThat(log.anyStackTrace()).isFalse();
        }
        assertThat(tableCounts()).isEqualTo(before);
    }

    @Test
    void badPathIdsAre400AndUnknownOnes404WithoutAStackTrace() throws Exception {
        try (LogCapture log = LogCapture.attach()) {
            assertJsonError(getHttp("/api/corrections/abc"), 400, "\"field\":\"id\"");
            assertJsonError(getHttp("/api/corrections/-1"), 400, "\"field\":\"id\"");
            assertJsonError(getHttp("/api/corrections/99999999999"), 400, "\"field\":\"id\"");
            assertJsonError(getHttp("/api/corrections/987654"), 404, "no such correction task");
            assertJsonError(post("/api/corrections/abc/retry", "{}"), 400, "\"field\":\"id\"");
            assertJsonError(post("/api/corrections/0/retry", "{}"), 400, "\"field\":\"id\"");
            assertJsonError(post("/api/corrections/987654/retry", "{}"), 404, "no such correction task");
            assertJsonError(post("/api/batches/not-a-uuid/resend", "{}"), 400, "\"field\":\"batchId\"");
            assertJsonError(post("/api/batches/" + UUID.randomUUID() + "/resend", "{}"), 404, "no such batch");

            // Each refusal is one WARN line (its route's), none with a stack trace, nothing at ERROR.
            assertThat(log.events().stream().filter(e -> List.of("ingest-notify-correction-view", "ingest-notify-correction-retry", "ingest-notify-resend-digest")
                    .contains(e.getLoggerName()))).hasSize(9).allSatisfy(e -> assertThat(e.getLevel().name()).isEqualTo("WARN"));
            assertThat(log.events()).noneSatisfy(e -> assertThat(e.getLevel().name()).isEqualTo("ERROR"));
            assertThat(log.anyStackTrace()).isFalse();
        }
    }

    /** A row the database refuses (here a constraint the test adds) is rejected with the reason; its group is filed. */
    @Test
    void outboxRowTheDatabaseRefusesIsRejectedAndTheOthersAreFiled() throws Exception {
        String user = newUser();
        execute("ALTER TABLE batch_files ADD CONSTRAINT no_poison CHECK (file_name <> 'poison.pdf')");
        try {
            String[] docs = {"ob-good-1", "ob-poison", "ob-good-2", "ob-1999"};
            String[] names = {"good-1.pdf", "poison.pdf", "good-2.pdf", "old.pdf"};
            for (int i = 0; i < docs.length; i++) {
                execute("INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name, occurred_at) "
                        + "VALUES (?, ?, 'success', ?, 1, 2, ?, ?)", newEventId(), docs[i], user, names[i],
                        java.sql.Timestamp.valueOf(i == 3 ? "1999-06-01 00:00:00" : "2026-01-01 00:00:00"));
            }
            // Nothing blocks: every row is processed within a few polls (a stuck group would wait for its lease, 30 s).
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    count("SELECT count(*) FROM file_events WHERE file_document_id LIKE 'ob-%' AND processed_at IS NULL") == 0);

            Map<Object, Map<String, Object>> byDoc = rows("SELECT file_document_id, outcome, rejected_reason FROM file_events "
                    + "WHERE file_document_id LIKE 'ob-%'").stream().collect(Collectors.toMap(m -> m.get("file_document_id"), m -> m));
            assertThat(byDoc.get("ob-good-1")).containsEntry("outcome", "batched");
            assertThat(byDoc.get("ob-good-2")).containsEntry("outcome", "batched");
            assertThat(byDoc.get("ob-poison")).containsEntry("outcome", "rejected");
            assertThat((String) byDoc.get("ob-poison").get("rejected_reason")).contains("refused by the database").contains("no_poison");
            assertThat(byDoc.get("ob-1999")).containsEntry("outcome", "rejected");
            assertThat((String) byDoc.get("ob-1999").get("rejected_reason")).startsWith("occurred_at:");
            assertThat(rows("SELECT file_name FROM batch_files WHERE file_document_id LIKE 'ob-%' ORDER BY file_name"))
                    .extracting(m -> m.get("file_name")).containsExactly("good-1.pdf", "good-2.pdf");
            assertThat(count("SELECT count(*) FROM file_processing_status WHERE file_document_id IN ('ob-poison', 'ob-1999')")).isZero();
        } finally {
            execute("ALTER TABLE batch_files DROP CONSTRAINT no_poison");
        }
    }

    private static void assertJsonError(HttpResponse<String> r, int status, String text) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(r.body()).startsWith("{").contains(text);
    }

    private static Map<String, Object> tableCounts() throws Exception {
        return rows(TABLES.stream().map(t -> "(SELECT count(*) FROM " + t + ") AS " + t)
                .collect(Collectors.joining(", ", "SELECT ", ""))).get(0);
    }
}
