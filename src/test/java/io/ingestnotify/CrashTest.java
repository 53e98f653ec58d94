package io.ingestnotify;

import java.io.File;
import java.time.Duration;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kill -9 of the service mid-batch: after a restart the open batch completes, with every event, in one digest. */
class CrashTest extends AppTestSupport {

    Process process;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private Process startService() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp", System.getProperty("java.class.path"), Application.class.getName());
        Map<String, String> env = pb.environment();
        env.put("DB_URL", TestPostgres.url());
        env.put("DB_SCHEMA", schema);
        env.put("SMTP_SERVER", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(smtpPort));
        env.put("SMTP_STARTTLS", "false");
        env.put("CMS_API_URL", "http://127.0.0.1:" + cms.port());
        env.put("CMS_API_TOKEN", CMS_TOKEN);
        env.put("METADATA_SOURCE", "sql"); // the WireMock CMS serves preferences only
        env.put("HTTP_PORT", String.valueOf(httpPort));
        env.put("NOTIFICATION_DELAY_UNIT", "SECONDS");
        env.put("SWEEPER_INTERVAL_MS", "300");
        env.put("SWEEPER_GRACE_SECONDS", "0");
        env.put("EMBEDDED", "false");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/crash-test-" + schema + ".log")));
        Process p = pb.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> getHttp("/observe/health").statusCode() == 200);
        return p;
    }

    @Test
    void openBatchSurvivesKillDashNine() throws Exception {
        String user = newUser();
        // 24 min: the batch stays open however slow the restart is; its third file completes it by size.
        stubPreferences(1, 2, user, prefs(3, 1440, "html", true, true, true));
        process = startService();
        post("/api/events", Json.array(event(newEventId(), "k1", "success", user, 1, 2, "k1.pdf"),
                event(newEventId(), "k2", "failed", user, 1, 2, "k2.pdf")));

        process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no graceful stop
        assertThat(value("SELECT status FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo("processing");

        process = startService();
        post("/api/events", event(newEventId(), "k3", "success", user, 1, 2, "k3.pdf"));

        assertThat(BatchingTest.html(awaitMails(user, 1).get(0))).contains("k1.pdf", "k2.pdf", "k3.pdf");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() -> mailsTo(user).size() == 1);
        assertThat(count("SELECT count(*) FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo(1);
        assertThat(count("SELECT total_files FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(3);
    }
}
