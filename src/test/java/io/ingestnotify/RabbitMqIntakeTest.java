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
import io.ingestnotify.support.BrokerIntakeSupport;
import io.ingestnotify.support.RunningApp;
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
class RabbitMqIntakeTest extends BrokerIntakeSupport {

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
        proxyPostgres();
        startApp(rabbitSettings(httpPort, "rabbit-a"));
    }

    static Map<String, String> rabbitSettings(int port, String instance) {
        return instanceSettings(port, instance, Map.of(
                "ingest-notify.rabbitmq.url", "amqp://127.0.0.1:5672",
                "ingest-notify.rabbitmq.user", "guest",
                "ingest-notify.rabbitmq.password", "guest",
                "ingest-notify.rabbitmq.queue", queue,
                "ingest-notify.rabbitmq.dead-letter.exchange", queue + "-dlx",
                "ingest-notify.rabbitmq.dead-letter.queue", deadLetterQueue,
                "ingest-notify.rabbitmq.prefetch", "20",
                "ingest-notify.rabbitmq.group.max.messages", "20"));
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
    }

    private static void publish(String body) throws Exception {
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** One queue for all users: the user does not route the message. */
    private static void publish(String user, String body) throws Exception {
        publish(body);
    }

    @Test
    void eventsInGroupsOneDigestPerBatchEachEventOnce() throws Exception {
        List<String> users = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            String user = newUser();
            users.add(user);
            stubPreferences(1, 2, user, prefs(2, 60, "html", true, true, true));
            String a = newEventId();
            String b = newEventId();
            ids.add(a);
            ids.add(b);
            // one message with one event, one with an array
            publish(event(a, "doc-" + a, "success", user, 1, 2, "a.pdf"));
            publish("[" + event(b, "doc-" + b, "success", user, 1, 2, "b.pdf") + "]");
        }
        assertOneDigestEach(users);
        assertFiledOnce(ids);
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
        // the group meets the outage and is retried, its messages held unacknowledged
        postgresCutMidStream(RabbitMqIntakeTest::publish, "ingest-notify-rabbitmq-file-group");
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
                stubPreferences(1, 2, user, prefs(10, 60, "html", true, true, true));
                for (int i = 0; i < 10; i++) {
                    ids.add(publishEvent(RabbitMqIntakeTest::publish, user, "f" + i + ".pdf"));
                }
            }
            assertOneDigestEach(users);
            assertFiledOnce(ids);
        }
    }
}
