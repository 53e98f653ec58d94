package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.BrokerCertificate;
import io.ingestnotify.support.KafkaBroker;
import io.ingestnotify.support.LogCapture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka intake's security settings against a real broker ({@link KafkaBroker}'s SASL_PLAINTEXT listener with a
 * SCRAM-SHA-512 user, its SSL listener with a certificate made at test time): events flow with the right settings;
 * a wrong password or a missing trust store is a misconfiguration, which stops the consumer at once with a log line
 * and a DOWN health check naming the setting to fix, records nothing and never logs the password.
 */
class KafkaSecurityTest extends AppTestSupport {

    static KafkaBroker kafka;
    static KafkaProducer<String, String> producer;
    static List<String> topics = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.shared();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void stopApp() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null && !topics.isEmpty()) {
            try (Admin admin = kafka.admin()) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A topic (and dead-letter topic) of the test's own, holding one record of one event of {@code user}. */
    private static String topicWithOneEvent(String name, String user, String eventId) throws Exception {
        String topic = "ingest-notify-security-" + name + "-" + schema;
        kafka.createTopic(topic, 1);
        kafka.createTopic(topic + "-dead-letter", 1);
        topics.addAll(List.of(topic, topic + "-dead-letter"));
        producer.send(new ProducerRecord<>(topic, user, event(eventId, "doc-" + eventId, "success", user, 1, 2, "s.pdf")))
                .get(30, TimeUnit.SECONDS);
        return topic;
    }

    private static Map<String, String> settings(String topic, String servers, String protocol) {
        Map<String, String> p = new HashMap<>(Map.of(
                "ingest-notify.kafka.bootstrap.servers", servers,
                "ingest-notify.kafka.topic", topic,
                "ingest-notify.kafka.group.id", topic,
                "ingest-notify.kafka.dead-letter.topic", topic + "-dead-letter",
                "ingest-notify.kafka.security.protocol", protocol));
        return p;
    }

    @Test
    void saslScramWithTheRightCredentialsFilesTheEvents() throws Exception {
        String user = newUser();
        String id = newEventId();
        String topic = topicWithOneEvent("sasl", user, id);
        Map<String, String> p = settings(topic, kafka.saslBootstrapServers(), "SASL_PLAINTEXT");
        p.put("ingest-notify.kafka.user", KafkaBroker.SASL_USER);
        p.put("ingest-notify.kafka.password", KafkaBroker.SASL_PASSWORD);
        startApp(p);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM file_events WHERE event_id = ?", id) == 1);
    }

    @Test
    void tlsWithTheTruststoreFilesTheEvents() throws Exception {
        String user = newUser();
        String id = newEventId();
        String topic = topicWithOneEvent("tls", user, id);
        Map<String, String> p = settings(topic, kafka.sslBootstrapServers(), "SSL");
        p.put("ingest-notify.kafka.truststore", kafka.truststore().toString());
        p.put("ingest-notify.kafka.truststore.password", BrokerCertificate.PASSWORD);
        startApp(p);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM file_events WHERE event_id = ?", id) == 1);
    }

    @Test
    void aWrongPasswordStopsTheIntakeAtOnceNamingKafkaPasswordAndRecordsNothing() throws Exception {
        String user = newUser();
        String id = newEventId();
        String topic = topicWithOneEvent("wrong-password", user, id);
        Map<String, String> p = settings(topic, kafka.saslBootstrapServers(), "SASL_PLAINTEXT");
        p.put("ingest-notify.kafka.user", KafkaBroker.SASL_USER);
        String wrong = "pw-" + java.util.UUID.randomUUID();
        p.put("ingest-notify.kafka.password", wrong);
        try (LogCapture log = LogCapture.attach()) {
            startApp(p);
            assertMisconfigured(log, "fix KAFKA_USER and KAFKA_PASSWORD", "failed authentication", id);
            assertThat(log.events()).noneMatch(e -> e.getMessage().getFormattedMessage().contains(wrong)
                    || e.getThrown() != null && String.valueOf(e.getThrown()).contains(wrong));
            assertThat(getHttp("/observe/health").body()).doesNotContain(wrong);
        }
    }

    @Test
    void aMissingTruststoreStopsTheIntakeAtOnceNamingKafkaTruststoreAndRecordsNothing() throws Exception {
        String user = newUser();
        String id = newEventId();
        String topic = topicWithOneEvent("no-truststore", user, id);
        try (LogCapture log = LogCapture.attach()) {
            startApp(settings(topic, kafka.sslBootstrapServers(), "SSL"));
            assertMisconfigured(log, "set KAFKA_TRUSTSTORE", "failed authentication", id);
        }
    }

    @Test
    void aTruststoreThatCannotBeReadStopsTheStartNamingKafkaTruststore() throws Exception {
        Map<String, String> p = settings("ingest-notify-security-unread-" + schema, kafka.sslBootstrapServers(), "SSL");
        p.put("ingest-notify.kafka.truststore", kafka.truststore().toString());
        p.put("ingest-notify.kafka.truststore.password", "not-the-store-password");
        assertThatThrownBy(() -> startApp(p)).satisfies(e -> {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            assertThat(all.toString()).contains("Invalid setting KAFKA_TRUSTSTORE=", "KAFKA_TRUSTSTORE_PASSWORD")
                    .doesNotContain("not-the-store-password");
        });
    }

    /**
     * Health check ingest-notify-kafka DOWN with the reason naming the setting, the service DOWN (503); one ERROR line
     * saying so; the consumer stopped: the broker's refusal met once, not again and again; the event not recorded.
     */
    private static void assertMisconfigured(LogCapture log, String setting, String clientLine, String eventId) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> getHttp("/observe/health").body()
                .contains("\"name\":\"ingest-notify-kafka\",\"status\":\"DOWN\""));
        HttpResponse<String> health = getHttp("/observe/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).containsPattern("\"name\":\"ingest-notify-kafka\",\"status\":\"DOWN\",\"message\":\"[^\"]*"
                + java.util.regex.Pattern.quote(setting));
        List<String> stopped = log.linesContaining("Kafka intake stopped:");
        assertThat(stopped).hasSize(1);
        assertThat(stopped.get(0)).contains(setting);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(3).plusSeconds(30))
                .until(() -> log.linesContaining(clientLine).size() == 1 && log.linesContaining("Kafka intake stopped:").size() == 1);
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", eventId)).isZero();
    }
}
