package io.ingestnotify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ingestnotify.settings.Setting;
import io.ingestnotify.settings.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One settings model: README's Configuration table is generated from {@link Setting} (run this test with
 * {@code -Dsettings.write=true} to write it), and application.properties defines exactly its keys with its defaults.
 */
class SettingsDocumentedTest {

    private static final Path README = Path.of("README.md");
    private static final String HEADER = "| variable | key | default | meaning |\n|---|---|---|---|\n";

    @Test
    void readmeTableIsTheCatalogue() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf(HEADER, readme.indexOf("\n## Configuration"));
        assertThat(start).as("README's '## Configuration' section has the settings table").isPositive();
        int end = readme.indexOf("\n\n", start);
        String expected = table();
        if (Boolean.getBoolean("settings.write")) {
            Files.writeString(README, readme.substring(0, start) + expected + readme.substring(end + 1));
            readme = Files.readString(README);
            end = readme.indexOf("\n\n", start);
        }
        assertThat(readme.substring(start, end + 1)).as("README's settings table (regenerate: mvn test -Dtest=SettingsDocumentedTest "
                + "-Dsettings.write=true)").isEqualTo(expected);
    }

    @Test
    void applicationPropertiesDefineEverySettingWithItsDefault() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        Map<String, String> defined = p.stringPropertyNames().stream()
                .filter(k -> k.startsWith(Setting.PREFIX) && !k.equals("ingest-notify.guest"))
                .collect(Collectors.toMap(k -> k, p::getProperty));
        Map<String, String> catalogue = Stream.of(Setting.values())
                .collect(Collectors.toMap(Setting::property, Setting::defaultValue));
        assertThat(defined).isEqualTo(catalogue);
    }

    /** The defaults themselves pass the checks: an unconfigured bundle starts. */
    @Test
    void defaultsAreValid() {
        Settings settings = Settings.read(s -> java.util.Optional.empty());
        assertThat(settings.http().port()).isEqualTo(8080);
        assertThat(settings.smtp().port()).as("587 unless SMTP_SSL").isEqualTo(587);
        assertThat(settings.instance().id()).as("host name and pid").endsWith("-" + ProcessHandle.current().pid());
        assertThat(settings.values()).containsOnlyKeys(Setting.values());
    }

    @Test
    void aSecretIsNeverRepeatedInARefusal() {
        Map<Setting, String> bad = new LinkedHashMap<>();
        bad.put(Setting.OPS_USER, "");
        bad.put(Setting.OPS_PASSWORD, "hunter2-secret");
        Settings defaults = Settings.read(s -> java.util.Optional.empty());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> defaults.with(bad)))
                .hasMessageContaining("Invalid setting OPS_USER=''")
                .hasMessageNotContaining("hunter2");
        assertThat(Setting.CMS_API_TOKEN.invalid("tok-123", "x")).hasMessageContaining("CMS_API_TOKEN='***'")
                .hasMessageNotContaining("tok-123");
    }

    static String table() {
        StringBuilder t = new StringBuilder(HEADER);
        for (Setting s : Setting.values()) {
            String def = s.defaultValue().isEmpty() ? "empty" : "`" + s.defaultValue() + "`";
            t.append("| `").append(s.variable()).append("` | `").append(s.key()).append("` | ").append(def).append(" | ")
                    .append(s.meaning()).append(" |\n");
        }
        return t.toString();
    }
}
