package io.ingestnotify.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged lean artifact, as {@code mvn package} leaves it: target/ingest-notify.jar and target/lib (its
 * manifest's Class-Path). Production carries no embedded server and no demo code, no class twice, one Netty, one
 * Jakarta Mail implementation; without the embedded parts a missing DB_URL stops start-up saying what to set.
 */
class LeanArtifactIT {

    static final Path JAR = Path.of("target/ingest-notify.jar");
    static final Path LIB = Path.of("target/lib");
    static final long MAX_LIB_BYTES = 60L * 1024 * 1024;

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
    void libFitsInSixtyMegabytes() throws IOException {
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
    void withoutEmbeddedPartsAMissingDbUrlStopsStartUpSayingWhatToSet(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        // Nothing configured, as on a fresh machine (EMBEDDED stays at its default, true).
        List.of("DB_URL", "SMTP_SERVER", "S3_BUCKET", "S3_ENDPOINT", "EMBEDDED", "DEMO").forEach(pb.environment()::remove);
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
