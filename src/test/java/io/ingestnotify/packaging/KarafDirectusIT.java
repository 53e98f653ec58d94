package io.ingestnotify.packaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ingestnotify.support.DirectusServer;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Directus implementation of the CMS contract inside a real Karaf: the same bundle and features descriptor as
 * KarafIT (a Karaf of its own, {@link KarafHome}), etc/io.ingestnotify.cfg saying {@code cms.kind = directus} with the
 * URL and the static token of the user cms/directus/setup.mjs makes, in front of a real Directus 10
 * ({@link DirectusServer}, seeded with the admin token as CmsContractTest does), the test PostgreSQL and GreenMail.
 * Shown in Karaf: a preference read from Directus decides a real digest, the files' metadata is looked up there and
 * the sent files are marked there; a failed file is confirmed by the look-up and its record deleted by the correction
 * (error category file_not_found: the CMS record is the only clean-up, so no S3 or Chroma is needed). Skipped only
 * where Node.js or src/test/directus's npm install is missing, as the other Directus tests are.
 */
class KarafDirectusIT {

    static final KarafHome HOME = new KarafHome(Path.of("target/karaf-directus-it"), Path.of("target/karaf-directus-it-repo"));
    static final String INTAKE_TOKEN = "karaf-directus-intake-token-7a41";
    static final int COMPANY = 61;
    static final int BOT = 62;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static GreenMail smtp;
    static DirectusServer directus;
    static String schema;
    static int httpPort;

    @BeforeAll
    static void startKarafWithDirectus() throws Exception {
        assumeTrue(DirectusServer.available() || System.getenv("CI") != null,
                "Directus not installed: run npm ci in src/test/directus (.ci/run does)");
        long t0 = System.nanoTime();
        // Directus boots (bootstrap, start, setup.mjs) while Karaf's folder is copied and configured.
        CompletableFuture<DirectusServer> booting = CompletableFuture.supplyAsync(() -> {
            try {
                return DirectusServer.shared();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int smtpPort = KarafHome.freePort();
        httpPort = KarafHome.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        schema = TestPostgres.newSchema();
        HOME.install();
        directus = booting.join();
        HOME.configure(List.of(
                "db.url = " + TestPostgres.url(),
                "db.user = postgres",
                "db.schema = " + schema,
                "smtp.server = 127.0.0.1",
                "smtp.port = " + smtpPort,
                "smtp.starttls = false",
                "from.email = digest@example.com",
                "http.port = " + httpPort,
                "intake.token = " + INTAKE_TOKEN,
                // The one setting that picks the Directus routes; URL and token as for Strapi.
                "cms.kind = directus",
                "cms.api.url = " + directus.url(),
                "cms.api.token = " + DirectusServer.BUNDLE_TOKEN,
                "cms.timeout.ms = 10000",
                "notification.delay.unit = SECONDS",
                "outbox.poll.delay.ms = 300",
                "auto.correction.delay.seconds = 1",
                "correction.poll.delay.ms = 200",
                "correction.retry.base.seconds = 1",
                "correction.redrive.interval.ms = 1000",
                "sweeper.interval.ms = 2000",
                "sweeper.grace.seconds = 1"));
        long readyMillis = HOME.startAndAwaitReady(1, uri("/observe/health"));
        System.out.printf("KarafDirectusIT: Directus up and Karaf (feature install) ready %d ms after the start, Karaf's boot %d ms%n",
                (System.nanoTime() - t0) / 1_000_000, readyMillis);
    }

    @AfterAll
    static void stopKaraf() throws Exception {
        try {
            HOME.stop();
        } finally {
            HOME.kill();
            if (smtp != null) {
                smtp.stop();
            }
            if (schema != null) {
                TestPostgres.dropSchema(schema);
            }
        }
    }

    /**
     * Dana's record in Directus says 2 files, plain text: two events naming only Directus file ids (no company, bot or
     * name) become one text digest of both names, completed by size; then both records carry the marks.
     */
    @Test
    void aPreferenceInDirectusDecidesTheDigestAndTheSentFilesAreMarkedThere() throws Exception {
        String dana = "dana@example.com";
        directus.createPreference(COMPANY, BOT, dana, 2, 1440, "text", true, true, true);
        String a = directus.createFile("karaf-directus-a.pdf", "uploads/karaf-directus-a.pdf", COMPANY, BOT);
        String b = directus.createFile("karaf-directus-b.pdf", "uploads/karaf-directus-b.pdf", COMPANY, BOT);

        HttpResponse<String> accepted = post(Json.array(
                Json.object("event_id", newEventId(), "file_document_id", a, "status", "success", "user_email", dana),
                Json.object("event_id", newEventId(), "file_document_id", b, "status", "success", "user_email", dana)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        await().atMost(Duration.ofMinutes(2)).until(() -> mailsTo(dana).size() == 1);
        MimeMessage digest = mailsTo(dana).get(0);
        // text, as the record says (html is the default): the body is a plain string, not a multipart
        assertThat(digest.getContent()).isInstanceOf(String.class);
        assertThat((String) digest.getContent()).contains("karaf-directus-a.pdf", "karaf-directus-b.pdf");
        assertThat(rows("SELECT completion_reason || ' ' || total_files || ' ' || company_id || ' ' || "
                + "(user_preferences_snapshot->>'email_format') FROM batch_processing_sessions WHERE user_email = '" + dana + "'"))
                .containsExactly("size 2 " + COMPANY + " text");

        String batch = rows("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = '" + dana + "'").get(0);
        await().atMost(Duration.ofMinutes(1)).until(() -> marked(a) && marked(b));
        assertThat(directus.file(a).path("last_notification_batch").asText()).isEqualTo(batch);
        assertThat(directus.file(b).path("last_notification_batch").asText()).isEqualTo(batch);
    }

    /** A failed file the event names only by id: Directus's record confirms it and gives the storage key, then goes. */
    @Test
    void aFailedFileIsConfirmedByDirectusAndItsRecordDeletedByTheCorrection() throws Exception {
        String doc = directus.createFile("karaf-directus-broken.pdf", "uploads/karaf-directus-broken.pdf", COMPANY, BOT);
        assertThat(directus.file(doc)).isNotNull();

        HttpResponse<String> accepted = post(Json.object("event_id", newEventId(), "file_document_id", doc, "status", "failed",
                "user_email", "eli@example.com", "error_category", "file_not_found", "error_message", "gone from storage"));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        await().atMost(Duration.ofMinutes(2)).until(() -> rows("SELECT status FROM auto_correction_tasks WHERE file_document_id = '"
                + doc + "'").equals(List.of("completed")));
        JsonNode gone = directus.file(doc);
        assertThat(gone).isNull();
        assertThat(rows("SELECT storage_key || ' ' || cms_cleanup_completed FROM auto_correction_tasks WHERE file_document_id = '"
                + doc + "'")).containsExactly("uploads/karaf-directus-broken.pdf true");
        String log = rows("SELECT execution_log::text FROM auto_correction_tasks WHERE file_document_id = '" + doc + "'").get(0);
        assertThat(log).contains("\"action\": \"cms_delete\"", "(confirmed by the metadata look-up)");

        // The CMS's health check in Karaf reaches Directus too.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(uri("/observe/health")).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("{\"name\":\"ingest-notify-cms\",\"status\":\"UP\"}");
        });
    }

    private static boolean marked(String doc) {
        JsonNode v = directus.file(doc).path("notification_sent");
        return v.isNumber() ? v.asInt() == 1 : v.asBoolean();
    }

    private static String newEventId() {
        return "karaf-directus-" + UUID.randomUUID();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static HttpResponse<String> post(Object events) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/api/events")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + INTAKE_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(events))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<MimeMessage> mailsTo(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equals(address))) {
                out.add(m);
            }
        }
        return out;
    }

    private static List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestPostgres.connect(schema); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
