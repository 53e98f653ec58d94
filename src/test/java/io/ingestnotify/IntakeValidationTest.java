package io.ingestnotify;

import java.net.http.HttpResponse;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input at the HTTP intake: a 400 naming the field, and nothing recorded. */
class IntakeValidationTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON          | {\"event_id\": \"a\", | body",
        "empty body              |  | body",
        "empty array             | [] | body",
        "not an object           | [42] | [0]",
        "missing event_id        | {\"file_document_id\":\"d\",\"status\":\"success\"} | event_id",
        "missing document id     | {\"event_id\":\"e1\",\"status\":\"success\"} | file_document_id",
        "missing status          | {\"event_id\":\"e1\",\"file_document_id\":\"d\"} | status",
        "bad status              | {\"event_id\":\"e1\",\"file_document_id\":\"d\",\"status\":\"done\"} | status",
        "bad email               | {\"event_id\":\"e1\",\"file_document_id\":\"d\",\"status\":\"success\",\"user_email\":\"not-an-email\"} | user_email",
        "bad company id          | {\"event_id\":\"e1\",\"file_document_id\":\"d\",\"status\":\"success\",\"company_id\":\"acme\"} | company_id",
        "bad timestamp           | {\"event_id\":\"e1\",\"file_document_id\":\"d\",\"status\":\"success\",\"occurred_at\":\"yesterday\"} | occurred_at",
        "bad stage               | {\"event_id\":\"e1\",\"file_document_id\":\"d\",\"status\":\"success\",\"stage\":\"teleport\"} | stage",
        "bad category            | {\"event_id\":\"e1\",\"file_document_id\":\"d\",\"status\":\"failed\",\"error_category\":\"gremlins\"} | error_category",
        "negative size           | {\"event_id\":\"e1\",\"file_document_id\":\"d\",\"status\":\"success\",\"file_size_bytes\":-1} | file_size_bytes",
        "bad element in an array | [{\"event_id\":\"ok1\",\"file_document_id\":\"d\",\"status\":\"success\",\"company_id\":1,\"bot_id\":1,\"user_email\":\"a@b.com\"},{\"event_id\":\"e2\",\"file_document_id\":\"d\",\"status\":\"meh\"}] | [1].status",
    })
    void badInputIsRejectedNamingTheField(String name, String body, String field) throws Exception {
        long before = count("SELECT count(*) FROM file_events");

        HttpResponse<String> r = post("/api/events", body == null ? "" : body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(r.body()).contains("\"field\":\"" + field + "\"");
        // All or nothing: a request with one bad event records none of its events.
        assertThat(count("SELECT count(*) FROM file_events")).isEqualTo(before);
    }
}
