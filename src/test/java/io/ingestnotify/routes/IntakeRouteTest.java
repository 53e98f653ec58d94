package io.ingestnotify.routes;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.intake.InvalidEventException;
import io.ingestnotify.intake.TooManyEventsException;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Route http-intake's error mapping, with its group's filing step (direct:ingest-notify-intake in route
 * intake-group-file) replaced by a mock that fails as told:
 * refused data 400, too many events 413, an outage 503 with Retry-After, anything else 500 with an error id. Each
 * answer is JSON, and nothing reaches the batch tables.
 */
class IntakeRouteTest extends AppTestSupport {

    /** What the mocked filing step throws for the request under test. */
    private static final AtomicReference<RuntimeException> FAILURE = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
        // The group's filing step (group commit): a failure reaches the request through its group, as in production.
        AdviceWith.adviceWith(app.context(), "ingest-notify-intake-group-file", a -> a.weaveByToUri("direct:ingest-notify-intake").replace()
                .to("mock:intake")
                .process(exchange -> {
                    RuntimeException failure = FAILURE.get();
                    if (failure != null) {
                        throw failure;
                    }
                }));
    }

    @BeforeEach
    void reset() {
        MockEndpoint.resetMocks(app.context());
        FAILURE.set(null);
    }

    private static HttpResponse<String> postFailing(RuntimeException failure) throws Exception {
        FAILURE.set(failure);
        return post("/api/events", event(newEventId(), "route-doc", "success", newUser(), 1, 2, "route.pdf"));
    }

    private static JsonNode answer(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return Json.parse(r.body());
    }

    private static void nothingRecorded() throws SQLException {
        assertThat(count("SELECT count(*) FROM batch_files")).isZero();
        assertThat(count("SELECT count(*) FROM batch_processing_sessions")).isZero();
    }

    @Test
    void refusedDataIs400NamingTheField() throws Exception {
        HttpResponse<String> r = postFailing(new InvalidEventException("file_name", "file_name: too long"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(answer(r).path("field").asText()).isEqualTo("file_name");
        assertThat(getMock().getReceivedCounter()).isEqualTo(1);
        nothingRecorded();
    }

    @Test
    void tooManyEventsIs413() throws Exception {
        HttpResponse<String> r = postFailing(new TooManyEventsException(5000, 1000));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(answer(r).path("max_events_per_request").asInt()).isEqualTo(1000);
        nothingRecorded();
    }

    @Test
    void anOutageIs503WithRetryAfter() throws Exception {
        HttpResponse<String> r = postFailing(new IllegalStateException("pool",
                new SQLTransientConnectionException("Connection is not available, request timed out")));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(answer(r).path("error").asText()).contains("database unavailable");
        nothingRecorded();
    }

    @Test
    void dataTheDatabaseRefusesIs400NotAnOutage() throws Exception {
        HttpResponse<String> r = postFailing(new IllegalStateException("insert",
                new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021")));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(answer(r).path("error").asText()).contains("refused by the database");
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
        nothingRecorded();
    }

    @Test
    void anythingElseIs500WithAnErrorIdAndNoDetail() throws Exception {
        HttpResponse<String> r = postFailing(new IllegalStateException("secret internal detail"));
        assertThat(r.statusCode()).isEqualTo(500);
        JsonNode body = answer(r);
        assertThat(body.path("error_id").asText()).matches("[0-9a-f]{8}");
        assertThat(r.body()).doesNotContain("secret internal detail");
        nothingRecorded();
    }

    private static MockEndpoint getMock() {
        return app.context().getEndpoint("mock:intake", MockEndpoint.class);
    }
}
