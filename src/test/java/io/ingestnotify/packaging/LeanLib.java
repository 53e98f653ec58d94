package io.ingestnotify.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Reads a packaged lib folder: its jars, the classes in each, the Maven coordinates they were built from. */
final class LeanLib {

    private LeanLib() {
    }

    static List<Path> jars(Path lib) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The file names a jar's manifest Class-Path names under a prefix such as "lib/". */
    static TreeSet<String> classPath(Path jar, String prefix) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String cp = file.getManifest().getMainAttributes().getValue("Class-Path");
            TreeSet<String> names = new TreeSet<>();
            for (String entry : cp == null ? new String[0] : cp.trim().split("\\s+")) {
                if (entry.startsWith(prefix)) {
                    names.add(entry.substring(prefix.length()));
                }
            }
            return names;
        }
    }

    /** Every class name (module-info and META-INF/versions excluded) with the jars that hold it, for names in two or more. */
    static Map<String, List<String>> duplicateClasses(List<Path> jars) throws IOException {
        Map<String, List<String>> where = new TreeMap<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().map(e -> e.getName())
                        .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                        .forEach(n -> where.computeIfAbsent(n, k -> new ArrayList<>()).add(jar.getFileName().toString()));
            }
        }
        where.values().removeIf(js -> js.size() < 2);
        return where;
    }

    /** groupId:artifactId to version, from each jar's META-INF/maven/.../pom.properties. */
    static Map<String, String> coordinates(List<Path> jars) throws IOException {
        Map<String, String> found = new TreeMap<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (var entry : file.stream().filter(e -> e.getName().startsWith("META-INF/maven/")
                        && e.getName().endsWith("/pom.properties")).toList()) {
                    Properties p = new Properties();
                    try (var in = file.getInputStream(entry)) {
                        p.load(in);
                    }
                    found.put(p.getProperty("groupId") + ":" + p.getProperty("artifactId"), p.getProperty("version"));
                }
            }
        }
        return found;
    }

    static List<String> jarsHolding(List<Path> jars, String... entries) throws IOException {
        List<String> holding = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                if (Arrays.stream(entries).anyMatch(e -> file.getEntry(e) != null)) {
                    holding.add(jar.getFileName().toString());
                }
            }
        }
        return holding;
    }

    /** The jars with an entry under one of the prefixes ("io/zonky/"). */
    static List<String> jarsWithPrefix(List<Path> jars, String... prefixes) throws IOException {
        List<String> holding = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.stream().anyMatch(e -> Arrays.stream(prefixes).anyMatch(e.getName()::startsWith))) {
                    holding.add(jar.getFileName().toString());
                }
            }
        }
        return holding;
    }

    static long bytes(List<Path> jars) throws IOException {
        long total = 0;
        for (Path jar : jars) {
            total += Files.size(jar);
        }
        return total;
    }
}
