package io.ingestnotify.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

/**
 * One running bundle per test class, wired to real parts: PostgreSQL (own schema), GreenMail SMTP, and a WireMock
 * CMS answering as Strapi 5 does. Tests use their own user emails so they never see each other's batches.
 */
public abstract class AppTestSupport {

    protected static final String CMS_TOKEN = "cms-secret-token-123";
    /** The two roles' credentials every test app runs with (Secure by default: configured means required). */
    protected static final String INTAKE_TOKEN = "intake-test-token-3f9a2c";
    protected static final String OPS_USER = "operator";
    protected static final String OPS_PASSWORD = "ops-test-password-7d1e";
    protected static final String OPS_TOKEN = "ops-test-token-b84c11";
    protected static String schema;
    protected static GreenMail smtp;
    protected static int smtpPort;
    protected static WireMockServer cms;
    protected static RunningApp app;
    protected static int httpPort;
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startParts() throws Exception {
        schema = TestPostgres.newSchema();
        smtpPort = AvailablePortFinder.getNextAvailable();
        startSmtp();
        cms = new WireMockServer(options().port(AvailablePortFinder.getNextAvailable()).bindAddress("127.0.0.1"));
        cms.start();
        httpPort = AvailablePortFinder.getNextAvailable();
    }

    /** Starts (again, after a test stopped it) the SMTP server on the class's port. */
    protected static void startSmtp() {
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterAll
    static void stopParts() {
        if (app != null) {
            app.close();
            app = null;
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (cms != null) {
            cms.stop();
        }
        TestPostgres.dropSchema(schema);
    }

    /** The settings every test app starts with; a test class adds or changes some. */
    protected static Map<String, String> baseProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("ingest-notify.db.url", TestPostgres.url());
        p.put("ingest-notify.db.user", "postgres");
        p.put("ingest-notify.db.schema", schema);
        p.put("ingest-notify.db.pool.size", "6");
        p.put("ingest-notify.smtp.server", "127.0.0.1");
        p.put("ingest-notify.smtp.port", String.valueOf(smtpPort));
        p.put("ingest-notify.smtp.starttls", "false");
        p.put("ingest-notify.smtp.timeout.ms", "2000");
        p.put("ingest-notify.cms.api.url", "http://127.0.0.1:" + cms.port());
        p.put("ingest-notify.cms.api.token", CMS_TOKEN);
        // The WireMock CMS stands in for outages only; these tests take metadata from the events or the files table
        // (StrapiCmsTest covers the default look-up through the CMS API, against a real Strapi).
        p.put("ingest-notify.metadata.source", "sql");
        p.put("ingest-notify.http.port", String.valueOf(httpPort));
        p.put("ingest-notify.intake.token", INTAKE_TOKEN);
        p.put("ingest-notify.ops.user", OPS_USER);
        p.put("ingest-notify.ops.password", OPS_PASSWORD);
        p.put("ingest-notify.ops.token", OPS_TOKEN);
        p.put("ingest-notify.notification.delay.unit", "MILLISECONDS");
        p.put("ingest-notify.default.notification.delay.minutes", "1000");
        p.put("ingest-notify.notification.retry.delay.ms", "300");
        p.put("ingest-notify.notification.max.attempts", "5");
        p.put("ingest-notify.outbox.poll.delay.ms", "100");
        p.put("ingest-notify.sweeper.interval.ms", "60000");
        p.put("ingest-notify.sweeper.grace.seconds", "0");
        p.put("ingest-notify.data.dir", "target/data-" + schema);
        p.put("ingest-notify.embedded.enabled", "false");
        // Tests present many wrong credentials on purpose, all from 127.0.0.1: LoginThrottleTest sets the real limit.
        p.put("ingest-notify.auth.failures.per.minute", "100000");
        return p;
    }

    protected static void startApp(Map<String, String> overrides) throws Exception {
        Map<String, String> p = baseProperties();
        p.putAll(overrides);
        app = new RunningApp(p);
    }

    protected static String newUser() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    protected static String newEventId() {
        return "ev-" + UUID.randomUUID();
    }

    /** Answers the preferences look-up for one user as cms/strapi's by-user route does (no meta). */
    protected static void stubPreferences(int company, int bot, String email, String dataJson) {
        cms.stubFor(get(urlEqualTo("/api/user-notification-preferences/by-user/" + company + "/" + bot + "/" + email.replace("@", "%40")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(Json.write(Json.object("data", Json.parse(dataJson))))));
    }

    /** One preferences record as Strapi 5 returns it. */
    protected static String prefs(int threshold, int delay, String format, boolean enabled, boolean success, boolean errors) {
        return Json.write(Json.object("id", 1, "documentId", "p1", "notification_enabled", enabled, "batch_size_threshold", threshold,
                "notification_delay_minutes", delay, "email_format", format, "include_success_details", success,
                "include_error_details", errors));
    }

    /** One event with its metadata; a failed one carries an error message; a null email leaves user_email out. */
    protected static String event(String eventId, String doc, String status, String email, int company, int bot, String fileName) {
        return Json.write(Json.object("event_id", eventId, "file_document_id", doc, "status", status, "user_email", email,
                "company_id", company, "bot_id", bot, "file_name", fileName, "chunks_created", 7, "processing_time_seconds", 3,
                "error_message", "failed".equals(status) ? "Processing failed: parser crashed" : null));
    }

    /** The credential of the role a path belongs to: the intake token for /api/events, the operator's otherwise. */
    protected static String credentialFor(String path) {
        return "Bearer " + (path.startsWith("/api/events") ? INTAKE_TOKEN : OPS_TOKEN);
    }

    /** POST of JSON with the path's credential. */
    protected static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST of a JSON document (from {@link Json}) with the path's credential. */
    protected static HttpResponse<String> post(String path, JsonNode body) throws Exception {
        return post(path, Json.write(body));
    }

    /** GET with the path's credential. */
    protected static HttpResponse<String> getHttp(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to the app with the path's credential; a test adds the method, body and other headers. */
    protected static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", credentialFor(path));
    }

    protected static List<MimeMessage> mailsTo(String email) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(email))) {
                out.add(m);
            }
        }
        return out;
    }

    protected static List<MimeMessage> awaitMails(String email, int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> mailsTo(email).size() >= count);
        try {
            return mailsTo(email);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
        try (Connection c = TestPostgres.connect(schema); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    protected static Object value(String sql, Object... args) throws SQLException {
        List<Map<String, Object>> r = rows(sql, args);
        return r.isEmpty() ? null : r.get(0).values().iterator().next();
    }

    protected static long count(String sql, Object... args) throws SQLException {
        return ((Number) value(sql, args)).longValue();
    }

    protected static void execute(String sql, Object... args) throws SQLException {
        try (Connection c = TestPostgres.connect(schema); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
