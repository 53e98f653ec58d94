package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /observe/health and /observe/metrics on the intake's own port. */
class ObservabilityTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
    }

    @Test
    void healthReportsDatabaseSmtpCmsAndRoutes() throws Exception {
        // Pollers report DOWN until their first poll, so wait for that.
        await().atMost(Duration.ofSeconds(10)).until(() -> getHttp("/observe/health").statusCode() == 200);
        HttpResponse<String> r = getHttp("/observe/health");
        assertThat(r.body()).startsWith("{\"status\":\"UP\"")
                .contains("{\"name\":\"database\",\"status\":\"UP\"}", "{\"name\":\"smtp\",\"status\":\"UP\"}",
                        "{\"name\":\"cms\",\"status\":\"UP\"}", "route:ingest-notify-http-intake");

        // SMTP down makes the service DOWN; the CMS down is only a warning.
        smtp.stop();
        cms.stop();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> getHttp("/observe/health").statusCode() == 503);
            String body = getHttp("/observe/health").body();
            assertThat(body).containsPattern("\"name\":\"smtp\",\"status\":\"DOWN\"")
                    .containsPattern("\"name\":\"cms\",\"status\":\"UP\",\"message\":\"warning: ");
        } finally {
            startSmtp();
            cms.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> getHttp("/observe/health").statusCode() == 200);
    }

    @Test
    void metricsCountEventsBatchesAndMails() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(2, 1440, "html", true, true, true));
        post("/api/events", Json.array(event(newEventId(), "m1", "success", user, 1, 2, "m1.pdf"),
                event(newEventId(), "m2", "success", user, 1, 2, "m2.pdf")));
        post("/api/events", Json.object("event_id", "bad"));
        awaitMails(user, 1);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String metrics = getHttp("/observe/metrics").body();
            assertThat(metrics).containsPattern("ingest_events_total\\{outcome=\"accepted\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("ingest_batches_completed_total\\{reason=\"size\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("ingest_mails_total\\{result=\"sent\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("ingest_requests_rejected_total\\{[^}]*} [1-9]");
            assertThat(metrics).contains("ingest_preference_cache_hit_ratio");
        });
    }
}
