package io.ingestnotify.routes;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.ingestnotify.support.AppTestSupport;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group that loses a race (serialization failure or deadlock) is filed again whole by Camel's redelivery: the step
 * before the transaction is made to fail with SQLState 40001 as often as a test says.
 */
class IntakeRetryRouteTest extends AppTestSupport {

    /** How many times the transaction step still loses the race; every call counts in ATTEMPTS. */
    private static final AtomicInteger LOSSES = new AtomicInteger();
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
        AdviceWith.adviceWith(app.context(), "ingest-notify-intake", a -> a.weaveByToString(".*ingestNotifyIntakeTransaction.*commit.*").before()
                .process(exchange -> {
                    ATTEMPTS.incrementAndGet();
                    if (LOSSES.getAndDecrement() > 0) {
                        throw new SQLException("could not serialize access due to concurrent update", "40001");
                    }
                }));
    }

    @BeforeEach
    void reset() {
        LOSSES.set(0);
        ATTEMPTS.set(0);
    }

    @Test
    void aLostRaceIsFiledAgainOnce() throws Exception {
        LOSSES.set(2);
        HttpResponse<String> r = post("/api/events", event(newEventId(), "race-won", "success", newUser(), 1, 2, "race.pdf"));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(ATTEMPTS.get()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id = 'race-won'")).isEqualTo(1);
    }

    @Test
    void aRaceLostOnEveryRedeliveryIs503WithNothingRecorded() throws Exception {
        LOSSES.set(100);
        HttpResponse<String> r = post("/api/events", event(newEventId(), "race-lost", "success", newUser(), 1, 2, "race.pdf"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(ATTEMPTS.get()).isEqualTo(5);   // the first try and 4 redeliveries
        assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id = 'race-lost'")).isZero();
    }

    @Test
    void otherFailuresAreNotRedelivered() throws Exception {
        HttpResponse<String> r = post("/api/events", "{\"event_id\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(ATTEMPTS.get()).isZero();
    }
}
