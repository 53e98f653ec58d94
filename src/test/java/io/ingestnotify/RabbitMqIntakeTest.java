package io.ingestnotify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.LogCapture;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TcpProxy;
import io.ingestnotify.support.TestPostgres;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RabbitMQ intake against this machine's RabbitMQ (127.0.0.1:5672, guest/guest), on queues of this class's own:
 * groups of messages filed and acknowledged after the commit, one digest per batch, poison messages in the dead-letter
 * queue with their reason, PostgreSQL cut mid-stream with nothing lost or doubled, two instances on one queue.
 */
class RabbitMqIntakeTest extends AppTestSupport {

    static TcpProxy proxy;
    static Connection rabbit;
    static Channel channel;
    static String queue;
    static String deadLetterQueue;

    @BeforeAll
    static void start() throws Exception {
        queue = "ingest-notify-test-" + schema;
        deadLetterQueue = queue + "-dead-letter";
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        f.setUsername("guest");
        f.setPassword("guest");
        rabbit = f.newConnection("RabbitMqIntakeTest");
        channel = rabbit.createChannel();
        proxy = new TcpProxy("127.0.0.1", TestPostgres.port());
        startApp(rabbitSettings(httpPort, "rabbit-a"));
    }

    static Map<String, String> rabbitSettings(int port, String instance) {
        Map<String, String> p = new HashMap<>(Map.of(
                "ingest-notify.db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + TestPostgres.database(),
                "ingest-notify.rabbitmq.url", "amqp://127.0.0.1:5672",
                "ingest-notify.rabbitmq.user", "guest",
                "ingest-notify.rabbitmq.password", "guest",
                "ingest-notify.rabbitmq.queue", queue,
                "ingest-notify.rabbitmq.dead-letter.exchange", queue + "-dlx",
                "ingest-notify.rabbitmq.dead-letter.queue", deadLetterQueue,
                "ingest-notify.rabbitmq.prefetch", "20",
                "ingest-notify.rabbitmq.group.max.messages", "20"));
        p.put("ingest-notify.http.port", String.valueOf(port));
        p.put("ingest-notify.instance.id", instance);
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
        if (channel != null) {
            channel.queueDelete(queue);
            channel.queueDelete(deadLetterQueue);
            channel.exchangeDelete(queue + "-dlx");
        }
        if (rabbit != null) {
            rabbit.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private static void publish(String body) throws Exception {
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eventsInGroupsOneDigestPerBatchEachEventOnce() throws Exception {
        List<String> users = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            String user = newUser();
            users.add(user);
            stubPreferences(1, 2, user, prefs(2, 600, "html", true, true, true));
            String a = newEventId();
            String b = newEventId();
            ids.add(a);
            ids.add(b);
            // one message with one event, one with an array
            publish(event(a, "doc-" + a, "success", user, 1, 2, "a.pdf"));
            publish("[" + event(b, "doc-" + b, "success", user, 1, 2, "b.pdf") + "]");
        }
        for (String user : users) {
            assertThat(awaitMails(user, 1)).hasSize(1);
        }
        for (String id : ids) {
            assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", id)).isEqualTo(1);
        }
        // everything acknowledged: nothing left ready on the queue
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(queue) == 0);
    }

    @Test
    void poisonMessagesGoToTheDeadLetterQueueWithTheirReasonAndNothingIsRecorded() throws Exception {
        String user = newUser();
        String good = newEventId();
        String bad = newEventId();
        String badEvent = event(bad, "doc-" + bad, "success", "not-an-address", 1, 2, "bad.pdf");
        publish("this is not json");
        publish(badEvent);
        publish(event(good, "doc-" + good, "success", user, 1, 2, "good.pdf"));

        List<GetResponse> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            GetResponse r = channel.basicGet(deadLetterQueue, true);
            if (r != null) {
                dead.add(r);
            }
            return dead.size() >= 2;
        });
        Map<String, String> reasons = new HashMap<>();
        for (GetResponse r : dead) {
            reasons.put(new String(r.getBody(), StandardCharsets.UTF_8), String.valueOf(r.getProps().getHeaders().get("ingest-notify-reason")));
        }
        assertThat(reasons).containsKeys("this is not json", badEvent);
        assertThat(reasons.get(badEvent)).startsWith("user_email");
        assertThat(reasons.get("this is not json")).isNotBlank();
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM file_events WHERE event_id = ?", good) == 1);
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", bad)).isZero();
        // acknowledged, not redelivered forever
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(queue) == 0);
        assertThat(channel.messageCount(deadLetterQueue)).isZero();
    }

    @Test
    void postgresCutMidStreamLosesNothingAndDoublesNothing() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 600, "html", true, true, true));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = newEventId();
            ids.add(id);
            publish(event(id, "doc-" + id, "success", user, 1, 2, "f" + i + ".pdf"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM file_events WHERE user_email = ?", user) == 10);
        try (LogCapture log = LogCapture.attach()) {
            proxy.cut();
            try {
                for (int i = 10; i < 40; i++) {
                    String id = newEventId();
                    ids.add(id);
                    publish(event(id, "doc-" + id, "success", user, 1, 2, "f" + i + ".pdf"));
                }
                // the group meets the outage and is retried, its messages held unacknowledged
                await().atMost(Duration.ofSeconds(60)).until(() -> !log.linesContaining("ingest-notify-rabbitmq-file-group").isEmpty()
                        || !log.linesContaining("Failed delivery for").isEmpty());
            } finally {
                proxy.restore();
            }
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> count("SELECT count(*) FROM file_events WHERE user_email = ?", user) == 40);
        for (String id : ids) {
            assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", id)).as(id).isEqualTo(1);
        }
        assertThat(count("SELECT count(*) FROM batch_files bf JOIN batch_processing_sessions b ON b.batch_id = bf.batch_id WHERE b.user_email = ?", user))
                .isEqualTo(40);
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(queue) == 0);
    }

    @Test
    void twoInstancesShareTheQueueAndFileEachEventOnce() throws Exception {
        try (RunningApp second = new RunningApp(withBase(rabbitSettings(AvailablePortFinder.getNextAvailable(), "rabbit-b")))) {
            // both instances' consumers are on the queue (RABBITMQ_CONSUMERS each)
            await().atMost(Duration.ofSeconds(20)).until(() -> channel.consumerCount(queue) == 4);
            List<String> users = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int u = 0; u < 20; u++) {
                String user = newUser();
                users.add(user);
                stubPreferences(1, 2, user, prefs(10, 600, "html", true, true, true));
                for (int i = 0; i < 10; i++) {
                    String id = newEventId();
                    ids.add(id);
                    publish(event(id, "doc-" + id, "success", user, 1, 2, "f" + i + ".pdf"));
                }
            }
            for (String user : users) {
                assertThat(awaitMails(user, 1)).hasSize(1);
            }
            for (String id : ids) {
                assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", id)).as(id).isEqualTo(1);
            }
        }
    }

    private static Map<String, String> withBase(Map<String, String> overrides) {
        Map<String, String> p = baseProperties();
        p.putAll(overrides);
        return p;
    }
}
