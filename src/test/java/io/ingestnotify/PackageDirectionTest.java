package io.ingestnotify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packages with one direction (docs/architecture.md draws it): the leaves (settings, common, event) use no stage,
 * and no two packages reach each other, directly or round a longer loop. Read from the sources: every
 * {@code io.ingestnotify.<package>.} a file names, in an import or in the code.
 */
class PackageDirectionTest {

    private static final Path MAIN = Path.of("src/main/java/io/ingestnotify");
    private static final Pattern USE = Pattern.compile("io\\.ingestnotify\\.([a-z]+)\\.");
    private static final Set<String> LEAVES = Set.of("settings", "common", "event");

    @Test
    void leavesUseNoStage() throws IOException {
        Map<String, Set<String>> uses = graph();
        for (String leaf : LEAVES) {
            assertThat(uses.getOrDefault(leaf, Set.of())).as("packages %s uses", leaf).isSubsetOf(LEAVES);
        }
    }

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> uses = graph();
        assertThat(uses).as("the package graph").containsKeys("config", "intake", "batching", "notification", "correction");
        for (String start : uses.keySet()) {
            List<String> loop = loopFrom(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>());
            assertThat(loop).as("a loop through " + start).isNull();
        }
    }

    /** A path from {@code at} back to {@code start}, or null. */
    private static List<String> loopFrom(String start, String at, Map<String, Set<String>> uses, List<String> path, Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> loop = new ArrayList<>(path);
                loop.add(start);
                return loop;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> loop = loopFrom(start, next, uses, path, seen);
                if (loop != null) {
                    return loop;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path rel = MAIN.relativize(file);
                if (rel.getNameCount() < 2) {
                    continue; // Application, the entry point, sits above every package
                }
                String pkg = rel.getName(0).toString();
                Matcher m = USE.matcher(Files.readString(file));
                Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        return uses;
    }
}
