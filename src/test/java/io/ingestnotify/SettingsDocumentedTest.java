package io.ingestnotify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One source of settings: README's "## Configuration" table and application.properties name the same environment
 * variables, so a setting is never added (or dropped) in one place only.
 */
class SettingsDocumentedTest {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Z0-9_]+):");
    private static final Pattern BACKTICKED = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

    @Test
    void readmeTableAndPropertiesNameTheSameSettings() throws IOException {
        Set<String> documented = readmeSettings(Files.readString(Path.of("README.md")));
        Set<String> defined = propertiesSettings(Files.readString(Path.of("src/main/resources/application.properties")));

        Set<String> undocumented = new TreeSet<>(defined);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(defined);
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(undocumented).as("settings in application.properties missing from README's Configuration table").isEmpty();
            soft.assertThat(unknown).as("settings in README's Configuration table that application.properties does not define").isEmpty();
        });
    }

    /** The first column of every row of the table under "## Configuration": one or more `NAME`s. */
    static Set<String> readmeSettings(String readme) {
        int start = readme.indexOf("\n## Configuration");
        assertThat(start).as("README has a '## Configuration' section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> names = new TreeSet<>();
        for (String line : section.split("\n")) {
            String[] cells = line.split("\\|");
            if (!line.startsWith("|") || cells.length < 2) {
                continue;
            }
            Matcher m = BACKTICKED.matcher(cells[1]);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        assertThat(names).as("README's Configuration table").isNotEmpty();
        return names;
    }

    static Set<String> propertiesSettings(String properties) {
        Set<String> names = new TreeSet<>();
        for (String line : properties.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = ENV.matcher(line);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
