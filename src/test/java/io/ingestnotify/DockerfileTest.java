package io.ingestnotify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker image as shipped (no Docker engine here, so the Dockerfile is read, not built): exact base image
 * versions, no embedded stand-ins, listening beyond loopback (so credentials are required), a non-root user that
 * cannot write the routes it runs, and a health check.
 */
class DockerfileTest {

    /** A tag with a full x.y.z version: "3.9.11-eclipse-temurin-17" or "17.0.16_8-jre-noble", not "17-jre" or "latest". */
    private static final Pattern EXACT_TAG = Pattern.compile("\\d+\\.\\d+\\.\\d+([._-].*)?");

    private static List<String> instructions;
    private static List<String> finalStage;

    @BeforeAll
    static void read() throws Exception {
        String text = Files.readString(Path.of("Dockerfile")).replaceAll("\\\\\\r?\\n", " ");
        instructions = text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        int lastFrom = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (keyword(instructions.get(i)).equals("FROM")) {
                lastFrom = i;
            }
        }
        finalStage = instructions.subList(lastFrom, instructions.size());
    }

    @Test
    void everyBaseImageHasAnExactVersion() {
        List<String> stages = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (String line : instructions) {
            if (!keyword(line).equals("FROM")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String image = words[1].startsWith("--platform") ? words[2] : words[1];
            if (!stages.contains(image)) {
                images.add(image);
            }
            if (words.length >= 4 && words[words.length - 2].equalsIgnoreCase("AS")) {
                stages.add(words[words.length - 1]);
            }
        }
        assertThat(images).hasSizeGreaterThanOrEqualTo(2).allSatisfy(image -> {
            String nameAndTag = image.split("@")[0];
            assertThat(nameAndTag).as("%s has a tag", image).contains(":");
            String tag = nameAndTag.substring(nameAndTag.lastIndexOf(':') + 1);
            assertThat(tag).as("tag of %s", image).isNotEqualToIgnoringCase("latest").matches(EXACT_TAG);
        });
    }

    @Test
    void runtimeImageUsesRealServicesAndListensBeyondLoopback() {
        Map<String, String> env = finalEnv();
        assertThat(env).containsEntry("EMBEDDED", "false").containsEntry("HTTP_HOST", "0.0.0.0");
    }

    @Test
    void runsAsANonRootUser() {
        String user = last("USER");
        assertThat(user).as("USER of the runtime stage").isNotNull();
        String name = user.split(":")[0];
        assertThat(name).isNotIn("root", "0");
    }

    @Test
    void routesFolderBelongsToRootAndIsReadOnly() {
        String routes = finalEnv().get("ROUTES_DIR");
        assertThat(routes).as("ROUTES_DIR").isNotBlank();
        String user = last("USER").split(":")[0];
        String runs = String.join(" && ", finalStage.stream().filter(l -> keyword(l).equals("RUN")).toList());
        assertThat(runs).containsPattern("chown\\s+(-R\\s+)?root(:root)?\\s+[^&]*" + Pattern.quote(routes) + "(\\s|$)");
        assertThat(runs).containsPattern("chmod\\s+(-R\\s+)?0?555\\s+[^&]*" + Pattern.quote(routes) + "(\\s|$)");
        // No later grant to the runtime user reaches the folder (or a parent of it, recursively).
        Matcher chown = Pattern.compile("chown\\s+(-R\\s+)?(\\S+)\\s+([^&;]+)").matcher(runs);
        while (chown.find()) {
            String owner = chown.group(2).split(":")[0];
            boolean recursive = chown.group(1) != null;
            if (owner.equals("root") || owner.equals("0")) {
                continue;
            }
            for (String path : chown.group(3).trim().split("\\s+")) {
                assertThat(path.equals(routes) || recursive && routes.startsWith(path.endsWith("/") ? path : path + "/"))
                        .as("chown %s %s gives the routes folder to %s (USER %s)", owner, path, owner, user).isFalse();
            }
        }
        assertThat(finalStage).noneMatch(l -> keyword(l).equals("COPY") && l.contains("--chown") && !l.contains("--chown=root")
                && l.trim().endsWith(routes));
    }

    @Test
    void hasAHealthCheck() {
        assertThat(last("HEALTHCHECK")).as("HEALTHCHECK").isNotNull().contains("/observe/health");
    }

    private static Map<String, String> finalEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher("");
        for (String line : finalStage) {
            if (keyword(line).equals("ENV")) {
                m.reset(line.substring(3));
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replace("\"", ""));
                }
            }
        }
        return env;
    }

    private static String last(String keyword) {
        String found = null;
        for (String line : finalStage) {
            if (keyword(line).equals(keyword)) {
                found = line.substring(keyword.length()).trim();
            }
        }
        return found;
    }

    private static String keyword(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase();
    }
}
