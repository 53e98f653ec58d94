package io.ingestnotify.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the broker intakes' tests (RabbitMQ, Kafka) share: the app reaches PostgreSQL through a proxy a test cuts, a
 * second instance's settings, waiting for digests, counting file_events, and the PostgreSQL cut mid-stream.
 */
public abstract class BrokerIntakeSupport extends AppTestSupport {

    /** PostgreSQL behind a proxy, so that a test can cut it mid-stream. */
    protected static TcpProxy proxy;

    /** Publishes one message (a Kafka record, a RabbitMQ message) of {@code user}'s. */
    @FunctionalInterface
    protected interface Publisher {
        void publish(String user, String body) throws Exception;
    }

    /** Opens the proxy; a test class's {@code @BeforeAll} calls it before it starts the app. */
    protected static void proxyPostgres() throws Exception {
        proxy = new TcpProxy("127.0.0.1", TestPostgres.port());
    }

    @AfterAll
    static void closeProxy() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    /**
     * One instance's settings: PostgreSQL through the proxy, its HTTP port and id, delays in seconds, and the broker's
     * {@code settings}.
     */
    protected static Map<String, String> instanceSettings(int port, String instance, Map<String, String> settings) {
        Map<String, String> p = new HashMap<>(settings);
        p.put("ingest-notify.db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + TestPostgres.database());
        p.put("ingest-notify.http.port", String.valueOf(port));
        p.put("ingest-notify.instance.id", instance);
        // batches close by size here: a quiet period in seconds never closes one early on a slow machine
        p.put("ingest-notify.notification.delay.unit", "SECONDS");
        return p;
    }

    /** A second instance's whole settings: the base ones with {@code overrides}. */
    protected static Map<String, String> withBase(Map<String, String> overrides) {
        Map<String, String> p = baseProperties();
        p.putAll(overrides);
        return p;
    }

    /** Each user's digest, exactly one. */
    protected static void assertOneDigestEach(List<String> users) {
        for (String user : users) {
            assertThat(awaitMails(user, 1)).hasSize(1);
        }
    }

    /** Each event recorded exactly once in file_events. */
    protected static void assertFiledOnce(List<String> ids) throws Exception {
        for (String id : ids) {
            assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", id)).as(id).isEqualTo(1);
        }
    }

    private static long filedFor(String user) throws Exception {
        return count("SELECT count(*) FROM file_events WHERE user_email = ?", user);
    }

    /**
     * 10 events filed, then PostgreSQL cut while 30 more arrive: the group meets the outage (a line of route
     * {@code fileGroupRoute} or of a failed delivery) and is retried, unacknowledged. Once restored, all 40 are filed
     * and batched, each once.
     */
    protected static void postgresCutMidStream(Publisher publisher, String fileGroupRoute) throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 600, "html", true, true, true));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(publishEvent(publisher, user, "f" + i + ".pdf"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> filedFor(user) == 10);
        try (LogCapture log = LogCapture.attach()) {
            proxy.cut();
            try {
                for (int i = 10; i < 40; i++) {
                    ids.add(publishEvent(publisher, user, "f" + i + ".pdf"));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> !log.linesContaining(fileGroupRoute).isEmpty()
                        || !log.linesContaining("Failed delivery for").isEmpty());
            } finally {
                proxy.restore();
            }
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> filedFor(user) == 40);
        assertFiledOnce(ids);
        assertThat(count("SELECT count(*) FROM batch_files bf JOIN batch_processing_sessions b ON b.batch_id = bf.batch_id WHERE b.user_email = ?", user))
                .isEqualTo(40);
    }

    /** Publishes one succeeded event of {@code user}'s; returns its id. */
    protected static String publishEvent(Publisher publisher, String user, String fileName) throws Exception {
        String id = newEventId();
        publisher.publish(user, event(id, "doc-" + id, "success", user, 1, 2, fileName));
        return id;
    }
}
