package io.ingestnotify.packaging;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One real Karaf of a packaging IT, in a folder of its own under target/: the 4.4.8 distribution the build unpacked,
 * Maven pointed at Karaf's system/ folder and a repository holding only this build's bundle and features descriptor,
 * ssh and RMI on free ports, feature ingest-notify installed at boot and etc/io.ingestnotify.cfg as the IT writes it.
 * Started with bin/start, stopped with bin/stop, as an operator does.
 */
final class KarafHome {

    static final Path DIST = Path.of(System.getProperty("karaf.home", "target/karaf-dist/apache-karaf-4.4.8"));
    static final Path BUNDLE = Path.of("target/ingest-notify-karaf.jar");
    static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
    static final String STARTED = "ingest-notify started in Karaf";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path home;
    private final Path repo;

    KarafHome(Path home, Path repo) {
        this.home = home.toAbsolutePath();
        this.repo = repo.toAbsolutePath();
    }

    Path home() {
        return home;
    }

    /** A fresh copy of the distribution, configured to install feature ingest-notify of this build at boot. */
    void install() throws IOException {
        assertThat(DIST.resolve("bin/start")).as("Karaf unpacked by the build (mvn verify)").exists();
        Trees.delete(home);
        Trees.copy(DIST, home);
        // This build's bundle and features descriptor in a repository of their own, as if installed.
        Path artifact = repo.resolve("io/ingestnotify/ingest-notify/" + VERSION);
        Trees.delete(repo);
        Files.createDirectories(artifact);
        Files.copy(BUNDLE, artifact.resolve("ingest-notify-" + VERSION + "-karaf.jar"));
        Files.copy(Path.of("target/feature/features.xml"), artifact.resolve("ingest-notify-" + VERSION + "-features.xml"));

        // Nothing but Karaf's own system folder and this build's repository: the feature needs nothing else.
        Files.writeString(home.resolve("etc/org.ops4j.pax.url.mvn.cfg"), String.join("\n",
                "org.ops4j.pax.url.mvn.useFallbackRepositories=false",
                "org.ops4j.pax.url.mvn.localRepository=" + home.resolve("data/m2"),
                "org.ops4j.pax.url.mvn.defaultRepositories=${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                        + repo.toUri() + "@id=build@snapshots",
                "org.ops4j.pax.url.mvn.repositories=", ""));
        // Ports of their own, so another Karaf on this machine (8101, 1099, 44444) does not collide.
        setting(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(freePort()));
        setting(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(freePort()));
        setting(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(freePort()));
        bootFeature(home.resolve("etc/org.apache.karaf.features.cfg"),
                "mvn:io.ingestnotify/ingest-notify/" + VERSION + "/xml/features", "ingest-notify");
    }

    /** The bundle's settings, one {@code key = value} a line, in etc/io.ingestnotify.cfg. */
    void configure(List<String> cfg) throws IOException {
        Files.writeString(home.resolve("etc/io.ingestnotify.cfg"), String.join("\n", cfg) + "\n");
    }

    /** Runs bin/start; answers the milliseconds until the n-th "started" line and {@code health} answer. */
    long startAndAwaitReady(int nth, URI health) throws Exception {
        long start = System.nanoTime();
        karaf("start").waitFor(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String log = log();
            assertThat(log).as("Karaf's log").doesNotContain("Error installing boot features")
                    .doesNotContain("ingest-notify did not start");
            return occurrences(log, STARTED) >= nth;
        });
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() > 0);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** bin/stop, then waits until Karaf's JVM is gone (and ends it if it hangs). */
    void stop() throws Exception {
        if (!Files.exists(home.resolve("bin/stop")) || processes().isEmpty()) {
            return;
        }
        karaf("stop").waitFor(60, TimeUnit.SECONDS);
        for (ProcessHandle p : processes()) {
            p.onExit().get(90, TimeUnit.SECONDS);
        }
    }

    /** Ends whatever of this Karaf still runs (after a failed stop). */
    void kill() {
        processes().forEach(ProcessHandle::destroyForcibly);
    }

    /** The JVM bin/start launched: the one whose command line names this Karaf's folder. */
    List<ProcessHandle> processes() {
        String marker = "-Dkaraf.base=" + home;
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(cl -> cl.contains(marker)).orElse(false)).toList();
    }

    String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private Process karaf(String command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/" + command).toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("bin-" + command + ".out").toFile()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Sets {@code key = value} in a Karaf etc/ file (the line replaced). */
    static void setting(Path cfg, String key, String value) throws IOException {
        String text = Files.readString(cfg);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
        assertThat(m.find()).as(key + " in " + cfg).isTrue();
        Files.writeString(cfg, m.replaceFirst(Matcher.quoteReplacement(key + " = " + value)));
    }

    /** Adds the repository and installs the feature at boot, after Karaf's own boot features. */
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
}
