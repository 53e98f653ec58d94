package io.ingestnotify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ROUTES_DIR: a user's YAML route with a built-in route's id replaces it, and ROUTES_RELOAD picks up edits live. */
class RoutesDirTest extends AppTestSupport {

    static Path dir;

    static String lookupRoute(int company) {
        return """
                # Metadata from somewhere else than the files table (here: a constant, as a CMS call would answer).
                - route:
                    id: ingest-notify-lookup-file
                    from:
                      uri: direct:ingest-notify-lookup-file
                      steps:
                        - setBody:
                            constant: '{"company_id": %d, "bot_id": 1, "file_name": "from-user-route.pdf"}'
                        - unmarshal:
                            json:
                              unmarshalType: java.util.Map
                """.formatted(company);
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("routes");
        Files.writeString(dir.resolve("lookup.yaml"), lookupRoute(901));
        startApp(Map.of("ingest-notify.routes.dir", dir.toString(), "ingest-notify.routes.reload", "true"));
    }

    private static String eventWithoutMetadata(String user) {
        return Json.write(Json.object("event_id", newEventId(), "file_document_id", "d-" + user, "status", "success", "user_email", user));
    }

    @Test
    void userRouteReplacesTheBuiltInOneAndReloads() throws Exception {
        String user = newUser();
        post("/api/events", eventWithoutMetadata(user));
        assertThat(value("SELECT company_id FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(901);
        assertThat(value("SELECT file_name FROM batch_files WHERE file_document_id = ?", "d-" + user)).isEqualTo("from-user-route.pdf");
        assertThat(app.context().getRoutes().stream().filter(r -> r.getRouteId().equals("ingest-notify-lookup-file")).count()).isEqualTo(1);

        Files.writeString(dir.resolve("lookup.yaml"), lookupRoute(902));
        String second = newUser();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String u = newUser();
            post("/api/events", eventWithoutMetadata(u));
            return Integer.valueOf(902).equals(value("SELECT company_id FROM batch_processing_sessions WHERE user_email = ?", u));
        });
        // The other built-in routes were left alone by the reload.
        assertThat(app.context().getRoute("ingest-notify-http-intake")).isNotNull();
        assertThat(app.context().getRoute("ingest-notify-notify-batch")).isNotNull();
    }
}
