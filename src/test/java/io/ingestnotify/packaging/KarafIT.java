package io.ingestnotify.packaging;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.ingestnotify.support.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Apache Karaf (the 4.4.8 distribution from Maven Central, unpacked by the build) installs feature
 * ingest-notify from the attached features descriptor at boot: Camel 4.14.1 wrapped, camel-core-osgi, the libraries
 * and this build's bundle, configured by etc/io.ingestnotify.cfg. Then rows written into the outbox table of the test
 * PostgreSQL become batches (one completed by size, two by timeout) and their digests reach the SMTP server
 * (GreenMail, in this JVM); the failed file's correction task is recorded. Karaf runs as its own process, started and stopped with bin/start and bin/stop.
 */
class KarafIT {

    static final Path DIST = Path.of(System.getProperty("karaf.home", "target/karaf-dist/apache-karaf-4.4.8"));
    static final Path KARAF = Path.of("target/karaf-it").toAbsolutePath();
    static final Path REPO = Path.of("target/karaf-it-repo").toAbsolutePath();
    static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
    static final String STARTED = "ingest-notify started in Karaf";

    static GreenMail smtp;
    static String schema;

    @BeforeAll
    static void startKaraf() throws Exception {
        assertThat(DIST.resolve("bin/start")).as("Karaf unpacked by the build (mvn verify)").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        schema = TestPostgres.newSchema();

        Trees.delete(KARAF);
        Trees.copy(DIST, KARAF);
        // This build's bundle and features descriptor in a repository of their own, as if installed.
        Path artifact = REPO.resolve("io/ingestnotify/ingest-notify/" + VERSION);
        Trees.delete(REPO);
        Files.createDirectories(artifact);
        Files.copy(Path.of("target/ingest-notify.jar"), artifact.resolve("ingest-notify-" + VERSION + ".jar"));
        Files.copy(Path.of("target/feature/features.xml"), artifact.resolve("ingest-notify-" + VERSION + "-features.xml"));

        String localRepo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        Files.writeString(KARAF.resolve("etc/org.ops4j.pax.url.mvn.cfg"), String.join("\n",
                "org.ops4j.pax.url.mvn.useFallbackRepositories=false",
                "org.ops4j.pax.url.mvn.localRepository=" + localRepo,
                "org.ops4j.pax.url.mvn.defaultRepositories=${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                        + REPO.toUri() + "@id=build@snapshots, " + Path.of(localRepo).toUri() + "@id=local@snapshots",
                "org.ops4j.pax.url.mvn.repositories=https://repo1.maven.org/maven2@id=central", ""));
        bootFeature(KARAF.resolve("etc/org.apache.karaf.features.cfg"),
                "mvn:io.ingestnotify/ingest-notify/" + VERSION + "/xml/features", "ingest-notify");
        Files.writeString(KARAF.resolve("etc/io.ingestnotify.cfg"), String.join("\n",
                "db.url = " + TestPostgres.url(),
                "db.user = postgres",
                "db.schema = " + schema,
                "smtp.server = 127.0.0.1",
                "smtp.port = " + port,
                "smtp.starttls = false",
                "from.email = digest@example.com",
                "default.batch.size.threshold = 3",
                "default.notification.delay.minutes = 2",
                "notification.delay.unit = SECONDS",
                "outbox.poll.delay.ms = 300", ""));

        karaf("start").waitFor(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String log = log();
            assertThat(log).as("Karaf's log").doesNotContain("Error installing boot features")
                    .doesNotContain("ingest-notify did not start");
            return log.contains(STARTED);
        });
    }

    @AfterAll
    static void stopKaraf() throws Exception {
        try {
            if (Files.exists(KARAF.resolve("bin/stop"))) {
                karaf("stop").waitFor(60, TimeUnit.SECONDS);
                // bin/stop asks Karaf to shut down; wait for its JVM (and end it if it hangs).
                List<ProcessHandle> left = karafProcesses();
                for (ProcessHandle p : left) {
                    p.onExit().get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            karafProcesses().forEach(ProcessHandle::destroyForcibly);
            if (smtp != null) {
                smtp.stop();
            }
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    void outboxRowsBecomeBatchesAndTheirDigestsAreMailed() throws Exception {
        // The bundle's Flyway created the schema; the pipeline writes its outbox as in production.
        try (Connection c = TestPostgres.connect(schema)) {
            for (int i = 1; i <= 3; i++) {
                insertOutbox(c, "ana@example.com", "karaf-doc-" + i, "karaf-report-" + i + ".pdf");
            }
            insertOutbox(c, "bob@example.com", "karaf-doc-9", "karaf-scan-9.pdf");
            // A failure is recorded with its correction task (the clean-up itself does not run in Karaf).
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_events (event_id, file_document_id, status, user_email, "
                    + "company_id, bot_id, file_name, storage_key, error_message) VALUES (?, 'karaf-doc-7', 'failed', "
                    + "'cy@example.com', 31, 32, 'karaf-broken-7.pdf', 'uploads/karaf-broken-7.pdf', 'S3 upload failed: AccessDenied')")) {
                ps.setString(1, "karaf-" + UUID.randomUUID());
                ps.executeUpdate();
            }
        }

        await().atMost(Duration.ofMinutes(2)).until(() -> smtp.getReceivedMessages().length >= 3);
        MimeMessage ana = mailTo("ana@example.com");
        MimeMessage bob = mailTo("bob@example.com");
        assertThat(GreenMailUtil.getBody(mailTo("cy@example.com"))).contains("karaf-broken-7.pdf");
        assertThat(GreenMailUtil.getBody(ana)).contains("karaf-report-1.pdf", "karaf-report-2.pdf", "karaf-report-3.pdf");
        assertThat(GreenMailUtil.getBody(bob)).contains("karaf-scan-9.pdf");
        assertThat(ana.getFrom()[0].toString()).isEqualTo("digest@example.com");

        try (Connection c = TestPostgres.connect(schema)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows(c,
                    "SELECT s.user_email || ' ' || s.completion_reason || ' ' || s.total_files || ' ' || l.send_status "
                            + "FROM batch_processing_sessions s JOIN email_notification_log l USING (batch_id) ORDER BY s.user_email"))
                    .containsExactly("ana@example.com size 3 sent", "bob@example.com timeout 1 sent", "cy@example.com timeout 1 sent"));
            assertThat(rows(c, "SELECT count(*) FROM file_events WHERE processed_at IS NULL")).containsExactly("0");
            assertThat(rows(c, "SELECT file_document_id || ' ' || failure_category || ' ' || storage_key FROM auto_correction_tasks"))
                    .containsExactly("karaf-doc-7 s3_error uploads/karaf-broken-7.pdf");
        }
        assertThat(smtp.getReceivedMessages()).hasSize(3);
        assertThat(log()).contains("Apache Camel 4.14.1 (ingest-notify) started");
    }

    private static MimeMessage mailTo(String address) throws Exception {
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address))) {
                return m;
            }
        }
        throw new AssertionError("no mail to " + address);
    }

    private static void insertOutbox(Connection c, String user, String doc, String fileName) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_events (event_id, file_document_id, status, user_email, "
                + "company_id, bot_id, file_name) VALUES (?, ?, 'success', ?, 31, 32, ?)")) {
            ps.setString(1, "karaf-" + UUID.randomUUID());
            ps.setString(2, doc);
            ps.setString(3, user);
            ps.setString(4, fileName);
            ps.executeUpdate();
        }
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /** Adds the repository and installs the feature at boot, after Karaf's own boot features (which include wrap:). */
    static void bootFeature(Path cfg, String repository, String feature) throws IOException {
        String text = Files.readString(cfg);
        text = text.replaceFirst("(featuresRepositories\\s*=\\s*\\\\\\R)", "$1    " + Matcher.quoteReplacement(repository) + ", \\\\\n");
        Matcher boot = Pattern.compile("featuresBoot\\s*=\\s*\\\\\\R((?:.*\\\\\\R)*.*\\R)").matcher(text);
        assertThat(boot.find()).as("featuresBoot in " + cfg).isTrue();
        List<String> own = Arrays.stream(boot.group(1).split("\\R")).map(l -> l.replace("\\", "").trim())
                .map(l -> l.endsWith(",") ? l.substring(0, l.length() - 1).trim() : l).filter(l -> !l.isEmpty()).toList();
        text = text.substring(0, boot.start()) + "featuresBoot = (" + String.join(", ", own) + "), " + feature + "\n"
                + text.substring(boot.end());
        Files.writeString(cfg, text);
    }

    private static Process karaf(String command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(KARAF.resolve("bin/" + command).toString()).directory(KARAF.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(KARAF.resolve("bin-" + command + ".out").toFile()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    /** The JVM bin/start launched: the one whose command line names this Karaf's folder. */
    private static List<ProcessHandle> karafProcesses() {
        String marker = "-Dkaraf.base=" + KARAF;
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(cl -> cl.contains(marker)).orElse(false)).toList();
    }

    private static String log() throws IOException {
        Path log = KARAF.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

}
