package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.TcpProxy;
import io.ingestnotify.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PostgreSQL cut off mid-run (a TCP proxy in front of it): intake refuses, nothing is lost, everything resumes. */
class DatabaseOutageTest extends AppTestSupport {

    static TcpProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new TcpProxy("127.0.0.1", TestPostgres.port());
        startApp(Map.of("ingest-notify.db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + TestPostgres.database(),
                "ingest-notify.sweeper.interval.ms", "500", "ingest-notify.notification.delay.unit", "SECONDS"));
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void outageRefusesHttpKeepsOutboxRowsAndResumesByItself() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(4, 600, "html", true, true, true)); // completes by size, not by timeout
        assertThat(post("/api/events", event(newEventId(), "pg-0", "success", user, 1, 2, "pg-0.pdf")).statusCode()).isEqualTo(202);

        proxy.cut();
        try {
            HttpResponse<String> refused = post("/api/events", event(newEventId(), "pg-http", "success", user, 1, 2, "pg-http.pdf"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("database unavailable");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            // The pipeline keeps writing its outbox (directly, not through the cut proxy).
            for (int i = 1; i <= 3; i++) {
                execute("INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name) "
                        + "VALUES (?, ?, 'success', ?, 1, 2, ?)", newEventId(), "pg-" + i, user, "pg-" + i + ".pdf");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> getHttp("/observe/health").statusCode() == 503);
            assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id LIKE 'pg-%' AND processed_at IS NULL")).isEqualTo(3);
        } finally {
            proxy.restore();
        }

        // Back: the poller takes the rows without any help, the batch fills (1 + 3 = 4) and is mailed once.
        String html = BatchingTest.html(awaitMails(user, 1).get(0));
        assertThat(html).contains("pg-0.pdf", "pg-1.pdf", "pg-2.pdf", "pg-3.pdf").doesNotContain("pg-http.pdf");
        assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id LIKE 'pg-%' AND processed_at IS NULL")).isZero();
        assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id = 'pg-http'")).isZero();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() -> mailsTo(user).size() == 1);
        // The client retries its refused request: accepted now, in the next batch.
        assertThat(post("/api/events", event(newEventId(), "pg-http", "success", user, 1, 2, "pg-http.pdf")).statusCode()).isEqualTo(202);
    }
}
