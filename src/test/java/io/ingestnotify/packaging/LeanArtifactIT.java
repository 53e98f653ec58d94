package io.ingestnotify.packaging;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ingestnotify.support.TestPostgres;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged lean artifact, as {@code mvn package} leaves it: target/ingest-notify.jar and target/lib (its
 * manifest's Class-Path). Production carries no embedded server and no demo code, no class twice, one Netty, one
 * Jakarta Mail implementation; it runs on real services (the test PostgreSQL, GreenMail), and without the embedded
 * parts a missing DB_URL stops start-up saying what to set.
 */
class LeanArtifactIT {

    static final Path JAR = Path.of("target/ingest-notify.jar");
    static final Path LIB = Path.of("target/lib");
    /**
     * 60 MB until the Kafka intake: kafka-clients with its compression codecs (zstd-jni, snappy-java, lz4-java) adds
     * about 19 MB (75 MB in all). The codecs stay: a consumer must read whatever compression the hub's producers chose.
     */
    static final long MAX_LIB_BYTES = 80L * 1024 * 1024;

    static List<Path> lib;

    @BeforeAll
    static void read() throws IOException {
        lib = LeanLib.jars(LIB);
    }

    @Test
    void libIsExactlyTheJarsClassPath() throws IOException {
        TreeSet<String> files = lib.stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(files).isEqualTo(LeanLib.classPath(JAR, "lib/"));
    }

    @Test
    void libFitsInEightyMegabytes() throws IOException {
        assertThat(LeanLib.bytes(lib)).as("bytes in target/lib").isLessThanOrEqualTo(MAX_LIB_BYTES);
    }

    @Test
    void noClassIsInTwoJars() throws IOException {
        Map<String, List<String>> duplicates = LeanLib.duplicateClasses(lib);
        assertThat(duplicates).as("classes present in two jars of target/lib").isEmpty();
    }

    @Test
    void noEmbeddedServerAndNoDemoCode() throws IOException {
        assertThat(LeanLib.jarsWithPrefix(lib, "io/zonky/", "com/icegreen/", "org/gaul/", "org/jclouds/", "postgres-linux"))
                .as("jars of embedded servers in target/lib").isEmpty();
        assertThat(LeanLib.jarsWithPrefix(List.of(JAR), "io/ingestnotify/embedded/", "routes/demo.camel.yaml", "examples/"))
                .as("embedded or demo code in the lean jar").isEmpty();
    }

    @Test
    void oneNettyVersion() throws IOException {
        var netty = LeanLib.coordinates(lib).entrySet().stream().filter(e -> e.getKey().startsWith("io.netty:")).toList();
        assertThat(netty).isNotEmpty();
        assertThat(netty.stream().map(Map.Entry::getValue).distinct().toList()).as("Netty versions: %s", netty).hasSize(1);
    }

    @Test
    void oneJakartaMailImplementation() throws IOException {
        assertThat(LeanLib.jarsHolding(lib, "org/eclipse/angus/mail/smtp/SMTPTransport.class", "com/sun/mail/smtp/SMTPTransport.class"))
                .as("jars with an SMTP transport").hasSize(1).allMatch(j -> j.startsWith("angus-mail-"));
        assertThat(LeanLib.jarsHolding(lib, "jakarta/mail/Session.class")).as("jars with the Jakarta Mail API")
                .singleElement().asString().startsWith("jakarta.mail-api-2.1.5");
    }

    @Test
    void embeddedJarAddsOnlyWhatTheEmbeddedServersNeed() throws IOException {
        Path embedded = Path.of("target/ingest-notify-embedded.jar");
        TreeSet<String> extra = LeanLib.classPath(embedded, "lib-embedded/");
        assertThat(LeanLib.classPath(embedded, "")).as("the embedded jar's Class-Path starts from the lean jar")
                .contains("ingest-notify.jar");
        List<Path> embeddedLib = LeanLib.jars(Path.of("target/lib-embedded"));
        assertThat(embeddedLib.stream().map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrderElementsOf(extra);
        assertThat(LeanLib.jarsWithPrefix(embeddedLib, "org/eclipse/angus/mail/", "com/sun/mail/", "jakarta/mail/"))
                .as("a second Jakarta Mail beside the lean one").isEmpty();
        assertThat(LeanLib.jarsWithPrefix(List.of(embedded), "io/ingestnotify/embedded/EmbeddedDefault.class",
                "META-INF/services/io.ingestnotify.config.EmbeddedParts", "routes/demo.camel.yaml", "examples/events.json")).hasSize(1);
    }

    @Test
    void leanJarRunsOnRealServices(@TempDir Path dir) throws Exception {
        String schema = TestPostgres.newSchema();
        int httpPort = AvailablePortFinder.getNextAvailable();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        ProcessBuilder pb = java(dir);
        pb.environment().putAll(Map.of("DB_URL", TestPostgres.url(), "DB_USER", "postgres", "DB_SCHEMA", schema,
                "SMTP_SERVER", "127.0.0.1", "SMTP_PORT", String.valueOf(smtpPort), "SMTP_STARTTLS", "false",
                "HTTP_PORT", String.valueOf(httpPort), "DEFAULT_BATCH_SIZE_THRESHOLD", "1"));
        Process process = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofMinutes(3)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode() == 200);
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/events"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"event_id\":\"lean-1\",\"file_document_id\":\"lean-doc\",\"status\":\"success\","
                                    + "\"user_email\":\"lean@example.com\",\"company_id\":1,\"bot_id\":2,\"file_name\":\"lean.pdf\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).until(() -> smtp.getReceivedMessages().length == 1);
            String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
            assertThat(out).doesNotContain("Embedded PostgreSQL at", "Embedded SMTP server at", "Embedded S3 store at");
        } finally {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    private static ProcessBuilder java(Path dir) {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        // Nothing configured, as on a fresh machine (EMBEDDED stays at its default, true).
        List.of("DB_URL", "SMTP_SERVER", "S3_BUCKET", "S3_ENDPOINT", "EMBEDDED", "DEMO", "CMS_API_URL", "CHROMA_URL")
                .forEach(pb.environment()::remove);
        return pb;
    }

    @Test
    void theDemoNeedsTheEmbeddedArtifact(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = java(dir);
        pb.environment().putAll(Map.of("DEMO", "true", "DB_URL", TestPostgres.url(), "SMTP_SERVER", "127.0.0.1", "HTTP_PORT", "0"));
        Process process = pb.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the lean jar stops by itself").isTrue();
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isNotZero();
        assertThat(out).contains("Invalid setting DEMO='true': expected false (the demo runs on the embedded artifact: "
                + "java -jar ingest-notify-embedded.jar)");
    }

    @Test
    void withoutEmbeddedPartsAMissingDbUrlStopsStartUpSayingWhatToSet(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = java(dir);
        pb.environment().put("HTTP_PORT", "0");
        Process process = pb.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the lean jar stops by itself").isTrue();
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isNotZero();
        assertThat(out).contains("Missing setting DB_URL (the JDBC URL of the operational PostgreSQL, such as jdbc:postgresql://")
                .contains("SMTP_SERVER").contains("java -jar ingest-notify-embedded.jar")
                .doesNotContain("Embedded PostgreSQL at").doesNotContain("Embedded SMTP server at").doesNotContain("Embedded S3 store at");
        assertThat(dir.resolve("data")).as("nothing written").doesNotExist();
    }
}
