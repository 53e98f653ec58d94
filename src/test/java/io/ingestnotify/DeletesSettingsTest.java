package io.ingestnotify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.ingestnotify.intake.FileLookup;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The deletes-in-bounds settings: a bad value stops start-up naming it; METADATA_LOOKUP=true needs a look-up to confirm with. */
class DeletesSettingsTest extends AppTestSupport {

    static void assertStartupRefused(Map<String, String> p, String message) {
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e -> {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            assertThat(all.toString()).contains(message);
        });
    }

    @ParameterizedTest(name = "{1}={2}")
    @CsvSource(delimiter = '|', value = {
        "ingest-notify.metadata.lookup | METADATA_LOOKUP | sometimes",
        "ingest-notify.max.deletions.per.hour | MAX_DELETIONS_PER_HOUR | 0",
        "ingest-notify.s3.key.prefix | S3_KEY_PREFIX | /tenants/",
        "ingest-notify.s3.key.prefix | S3_KEY_PREFIX | tenants/{company_id}",
        "ingest-notify.s3.key.prefix | S3_KEY_PREFIX | tenants/../{company_id}/",
        "ingest-notify.s3.key.prefix | S3_KEY_PREFIX | tenants/{user_email}/",
    })
    void badSettingStopsStartup(String property, String envName, String value) {
        Map<String, String> p = baseProperties();
        p.put(property, value);
        assertStartupRefused(p, "Invalid setting " + envName + "='" + value + "'");
    }

    @Test
    void requiredLookUpNeedsTheFilesTableOrAUserRoute() throws Exception {
        Map<String, String> p = baseProperties();
        p.put("ingest-notify.metadata.lookup", "true");
        assertStartupRefused(p, "Invalid setting METADATA_LOOKUP='true': expected a files table");

        // A replaced ingest-notify-lookup-file route (ROUTES_DIR) is a look-up too.
        Path dir = Files.createTempDirectory("routes");
        Files.writeString(dir.resolve("lookup.yaml"), RoutesDirTest.lookupRoute(5));
        p.put("ingest-notify.routes.dir", dir.toString());
        try (RunningApp a = new RunningApp(p)) {
            assertThat(a.bean("ingestNotifyFileLookup", FileLookup.class).confirmsFailures()).isTrue();
        }

        // So is the files table in the search path.
        p.remove("ingest-notify.routes.dir");
        execute("CREATE TABLE files (id serial PRIMARY KEY, document_id text, company_id int, bot_id int, name text, storage_key text)");
        try (RunningApp a = new RunningApp(p)) {
            assertThat(a.bean("ingestNotifyFileLookup", FileLookup.class).confirmsFailures()).isTrue();
        }
        p.put("ingest-notify.metadata.lookup", "false");
        try (RunningApp a = new RunningApp(p)) {
            assertThat(a.bean("ingestNotifyFileLookup", FileLookup.class).confirmsFailures()).isFalse();
        }
    }
}
