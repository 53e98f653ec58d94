package io.ingestnotify.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker image's /app/lib without a Docker engine: the build stage's COPY sources are copied into an empty folder
 * (as a build context would give them), its {@code mvn ... package} line runs there (offline, on this machine's
 * Maven), and what the final stage copies into the image equals the lean artifact that LeanArtifactIT checks.
 */
class DockerImageLibIT {

    @Test
    void imageLibIsTheLeanLib(@TempDir Path context) throws Exception {
        List<String> lines = Files.readString(Path.of("Dockerfile")).replaceAll("\\\\\\r?\\n", " ").lines()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        int runtime = lastIndexStarting(lines, "FROM ");
        List<String> build = lines.subList(0, runtime);
        List<String> copies = new ArrayList<>();
        String packageLine = null;
        for (String line : build) {
            if (line.startsWith("COPY ")) {
                String[] words = line.split("\\s+");
                copies.add(words[1]);
                Trees.copy(Path.of(words[1]), context.resolve(words[1]));
            } else if (line.startsWith("RUN mvn ") && line.contains(" package")) {
                packageLine = line.substring(4);
            }
        }
        assertThat(copies).as("the build stage copies no embedded source").doesNotContain("src", "src/embedded", ".");
        assertThat(packageLine).as("the build stage's package line").isNotNull().contains("-Dlean");
        List<String> command = new ArrayList<>(List.of(packageLine.split("\\s+")));
        command.add(1, "-o"); // this machine's local repository holds what dependency:go-offline fetched in the image
        Process mvn = new ProcessBuilder(command).directory(context.toFile()).redirectErrorStream(true)
                .redirectOutput(context.resolve("mvn.log").toFile()).start();
        assertThat(mvn.waitFor(15, TimeUnit.MINUTES)).isTrue();
        assertThat(mvn.exitValue()).as(Files.readString(context.resolve("mvn.log"), StandardCharsets.UTF_8)).isZero();

        // What the runtime stage copies from the build stage (WORKDIR /src is the context folder).
        List<String> fromBuild = lines.subList(runtime, lines.size()).stream()
                .filter(l -> l.startsWith("COPY ") && l.contains("--from=build")).toList();
        assertThat(fromBuild).anyMatch(l -> l.contains("/src/target/lib ") && l.endsWith("/app/lib"))
                .anyMatch(l -> l.contains("/src/target/ingest-notify.jar ")).noneMatch(l -> l.contains("lib-embedded"))
                .noneMatch(l -> l.contains("-embedded.jar"));
        assertThat(names(context.resolve("target/lib"))).as("the image's /app/lib").isEqualTo(names(Path.of("target/lib")));
        assertThat(LeanLib.classPath(context.resolve("target/ingest-notify.jar"), "lib/"))
                .isEqualTo(LeanLib.classPath(Path.of("target/ingest-notify.jar"), "lib/"));
        assertThat(context.resolve("target/ingest-notify-embedded.jar")).doesNotExist();
    }

    private static int lastIndexStarting(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix);
    }

    private static TreeSet<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
