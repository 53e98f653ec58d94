package io.ingestnotify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ingestnotify.host.HostApplication;
import io.ingestnotify.host.HostConfiguration;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ingest-notify as a guest in a host application built from scratch (test sources: HostApplication, its route, its
 * dataSource and Flyway migration), turned on by README's "Inside an existing Camel application" block: the host's
 * route still works, events in, one digest out, a correction runs, and the host's tables and history are untouched.
 */
class GuestHostTest extends AppTestSupport {

    private static HostApplication host;

    @BeforeAll
    static void startHost() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(readmeBlock());
        // README: keep your own configuration classes in that line, comma-separated.
        settings.put("camel.main.configuration-classes",
                HostConfiguration.class.getName() + "," + settings.get("camel.main.configuration-classes"));
        settings.put("camel.server.port", String.valueOf(httpPort));
        settings.put("host.db.url", TestPostgres.url());
        settings.put("host.db.schema", schema);
        // The same database and schema as the host's: the strictest place to show that nothing of the host's is touched.
        settings.put("ingest-notify.db.url", TestPostgres.url());
        settings.put("ingest-notify.db.user", "postgres");
        settings.put("ingest-notify.db.schema", schema);
        settings.put("ingest-notify.smtp.server", "127.0.0.1");
        settings.put("ingest-notify.smtp.port", String.valueOf(smtpPort));
        settings.put("ingest-notify.smtp.starttls", "false");
        settings.put("ingest-notify.intake.token", INTAKE_TOKEN);
        settings.put("ingest-notify.ops.token", OPS_TOKEN);
        settings.put("ingest-notify.default.batch.size.threshold", "2");
        settings.put("ingest-notify.auto.correction.delay.seconds", "0");
        settings.put("ingest-notify.correction.poll.delay.ms", "100");
        host = new HostApplication(settings);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    /** The lines of README's first properties block under "## Inside an existing Camel application". */
    static Map<String, String> readmeBlock() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n## Inside an existing Camel application");
        assertThat(section).as("README section").isNotNegative();
        int start = readme.indexOf("```properties\n", section) + "```properties\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                lines.put(line.substring(0, line.indexOf('=')).trim(), line.substring(line.indexOf('=') + 1).trim());
            }
        }
        assertThat(lines.size()).as("a handful of lines").isBetween(2, 8);
        return lines;
    }

    private static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hostRouteStillWorksWithItsOwnDataSourceAndNoCredential() throws Exception {
        HttpResponse<String> r = call("GET", "/host/hello", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("hello from the host");
        assertThat(host.context().getRoute("hello")).isNotNull();
    }

    @Test
    void theBundleBindsNothingAHostsComponentsWouldAutowireByType() {
        // camel-sql autowires a single DataSource, camel-aws2-s3 a single S3Client: the host's stay the only ones.
        assertThat(host.context().getRegistry().findByType(javax.sql.DataSource.class)).hasSize(1);
        assertThat(host.context().getRegistry().findByType(software.amazon.awssdk.services.s3.S3Client.class)).isEmpty();
        assertThat(host.context().getComponent("ingest-notify-sql")).isNotNull();
    }

    @Test
    void eventsInOneDigestOutAndACorrectionRuns() throws Exception {
        String user = newUser();
        String failedDoc = "doc-" + newEventId();
        String events = "[" + event(newEventId(), "doc-" + newEventId(), "success", user, 1, 2, "a.pdf") + ","
                + event(newEventId(), failedDoc, "failed", user, 1, 2, "b.pdf") + "]";

        HttpResponse<String> refused = call("POST", "/ingest-notify/api/events", null, events);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE file_document_id = ?", failedDoc)).isZero();

        HttpResponse<String> accepted = call("POST", "/ingest-notify/api/events", INTAKE_TOKEN, events);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(awaitMails(user, 1)).hasSize(1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                List.of("succeeded", "partial", "failed", "dry_run").contains(
                        String.valueOf(value("SELECT status FROM auto_correction_tasks WHERE file_document_id = ?", failedDoc))));
        assertThat(mailsTo(user)).hasSize(1);
    }

    /** The host's own YAML route (camel/hub.camel.yaml) sends with {@code to: kamelet:ingest-notify-sink}. */
    @Test
    void aHostRouteFilesEventsThroughTheKameletAndGetsTheHttpAnswer() throws Exception {
        String user = newUser();
        String first = newEventId();
        String events = "[" + event(first, "doc-" + newEventId(), "success", user, 1, 2, "k1.pdf") + ","
                + event(newEventId(), "doc-" + newEventId(), "success", user, 1, 2, "k2.pdf") + "]";
        var producer = host.context().createProducerTemplate();
        double grouped = groupedRequests();

        String answer = producer.requestBody("direct:hub-events", events, String.class);
        Map<?, ?> counts = io.ingestnotify.support.Json.MAPPER.readValue(answer, Map.class);
        assertThat(counts.get("accepted")).isEqualTo(2);
        assertThat(counts.get("duplicates")).isEqualTo(0);
        // Filed by the group commit, as an HTTP request is: one more request counted in the groups' metric.
        assertThat(groupedRequests()).isEqualTo(grouped + 1);
        assertThat(awaitMails(user, 1)).hasSize(1);

        // The same event again, now as a Map (a hub's route that already holds the event as data): a duplicate.
        Map<?, ?> again = io.ingestnotify.support.Json.MAPPER.readValue(event(first, "doc-x", "success", user, 1, 2, "k1.pdf"), Map.class);
        Map<?, ?> second = io.ingestnotify.support.Json.MAPPER.readValue(producer.requestBody("direct:hub-events", again, String.class), Map.class);
        assertThat(second.get("accepted")).isEqualTo(0);
        assertThat(second.get("duplicates")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", first)).isEqualTo(1);
    }

    /** Requests filed by the intake's group commit so far (the sum of metric ingest_intake_group_requests). */
    private double groupedRequests() throws Exception {
        return call("GET", "/observe/metrics", null, null).body().lines()
                .filter(l -> l.startsWith("ingest_intake_group_requests_sum"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void aBadEventFailsTheHostsExchangeWithTheHttpMessageAndNothingIsRecorded() throws Exception {
        String user = newUser();
        String good = newEventId();
        String bad = event(newEventId(), "doc-" + newEventId(), "success", "not-an-address", 1, 2, "b.pdf");
        String events = "[" + event(good, "doc-" + newEventId(), "success", user, 1, 2, "g.pdf") + "," + bad + "]";

        org.apache.camel.Exchange failed = host.context().createProducerTemplate().request("direct:hub-events",
                e -> e.getMessage().setBody(events));
        assertThat(failed.getException()).isInstanceOf(io.ingestnotify.intake.InvalidEventException.class);
        String message = failed.getException().getMessage();
        assertThat(message).startsWith("[1].user_email");

        HttpResponse<String> http = call("POST", "/ingest-notify/api/events", INTAKE_TOKEN, events);
        assertThat(http.statusCode()).isEqualTo(400);
        assertThat(io.ingestnotify.support.Json.MAPPER.readValue(http.body(), Map.class).get("error")).isEqualTo(message);
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", good)).isZero();
        assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE user_email = ?", user)).isZero();
    }

    @Test
    void hostTablesAndSchemaHistoryAreUntouched() throws Exception {
        assertThat(rows("SELECT script FROM flyway_schema_history WHERE type = 'SQL' ORDER BY installed_rank"))
                .extracting(r -> r.get("script")).containsExactly("V1__host_greetings.sql");
        assertThat(count("SELECT count(*) FROM ingest_notify_schema_history WHERE script = 'V1__host_greetings.sql'")).isZero();
        assertThat(count("SELECT count(*) FROM ingest_notify_schema_history WHERE success")).isPositive();
        assertThat(rows("SELECT id, greeting FROM host_greetings")).hasSize(1);
    }

    @Test
    void healthChecksAndMetricsJoinTheHostsAndTheOpsPageIsTheOperators() throws Exception {
        assertThat(call("GET", "/observe/health", null, null).body()).contains("ingest-notify-database", "route:hello");
        String event = event(newEventId(), "doc-" + newEventId(), "success", newUser(), 1, 2, "m.pdf");
        assertThat(call("POST", "/ingest-notify/api/events", INTAKE_TOKEN, event).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(call("GET", "/observe/metrics", null, null).body()).contains("ingest_events_total"));
        assertThat(call("GET", "/ingest-notify/", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = call("GET", "/ingest-notify/", OPS_TOKEN, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(call("GET", "/host/hello", null, null).headers().firstValue("X-Frame-Options")).isEmpty();
    }
}
