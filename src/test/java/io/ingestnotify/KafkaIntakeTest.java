package io.ingestnotify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.ingestnotify.support.BrokerIntakeSupport;
import io.ingestnotify.support.InstanceJvms;
import io.ingestnotify.support.KafkaBroker;
import io.ingestnotify.support.RunningApp;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka intake against a real Kafka broker (KRaft, {@link KafkaBroker}), on topics of this class's own: one poll's
 * batch filed in one transaction and committed after it, one digest per batch, poison records on the dead-letter topic
 * with their reason, PostgreSQL cut mid-stream with nothing lost or doubled, two instances of one group splitting the
 * partitions, and an instance killed with kill -9 whose partitions the other takes over, every event filed once.
 */
class KafkaIntakeTest extends BrokerIntakeSupport {

    static KafkaBroker kafka;
    static KafkaProducer<String, String> producer;
    static String topic;
    static String deadLetterTopic;
    static String group;
    static InstanceJvms nodes;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.shared();
        topic = "ingest-notify-test-" + schema;
        deadLetterTopic = topic + "-dead-letter";
        group = "ingest-notify-test-" + schema;
        kafka.createTopic(topic, 4);
        kafka.createTopic(deadLetterTopic, 1);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        proxyPostgres();
        startApp(kafkaSettings(httpPort, "kafka-a"));
    }

    static Map<String, String> kafkaSettings(int port, String instance) {
        return instanceSettings(port, instance, Map.of(
                "ingest-notify.kafka.bootstrap.servers", kafka.bootstrapServers(),
                "ingest-notify.kafka.topic", topic,
                "ingest-notify.kafka.group.id", group,
                "ingest-notify.kafka.dead-letter.topic", deadLetterTopic,
                "ingest-notify.kafka.max.poll.records", "20",
                "ingest-notify.kafka.session.timeout.ms", "10000"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            try (Admin admin = kafka.admin()) {
                admin.deleteTopics(List.of(topic, deadLetterTopic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Keyed by user, as the README asks of producers: one user's events on one partition, in order. */
    private static void publish(String to, String user, String value) throws Exception {
        producer.send(new ProducerRecord<>(to, user, value)).get(30, TimeUnit.SECONDS);
    }

    private static void publish(String user, String value) throws Exception {
        publish(topic, user, value);
    }

    @Test
    void eventsInBatchesOneDigestPerBatchEachEventOnceOffsetsCommitted() throws Exception {
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
            // one record with one event, one with an array
            publish(topic, user, event(a, "doc-" + a, "success", user, 1, 2, "a.pdf"));
            publish(topic, user, "[" + event(b, "doc-" + b, "success", user, 1, 2, "b.pdf") + "]");
        }
        assertOneDigestEach(users);
        assertFiledOnce(ids);
        awaitAllCommitted(topic, group);
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheOffsetMovesOn() throws Exception {
        String user = newUser();
        String good = newEventId();
        String bad = newEventId();
        String badEvent = event(bad, "doc-" + bad, "success", "not-an-address", 1, 2, "bad.pdf");
        publish(topic, user, "this is not json");
        publish(topic, user, badEvent);
        publish(topic, user, event(good, "doc-" + good, "success", user, 1, 2, "good.pdf"));

        Map<String, String> reasons = new ConcurrentHashMap<>();
        Map<String, String> keys = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, String> dead = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-reader-" + schema, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            dead.subscribe(List.of(deadLetterTopic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : dead.poll(Duration.ofMillis(200))) {
                    Header reason = r.headers().lastHeader("ingest-notify-reason");
                    reasons.put(r.value(), reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
                    keys.put(r.value(), String.valueOf(r.key()));
                }
                return reasons.containsKey("this is not json") && reasons.containsKey(badEvent);
            });
        }
        assertThat(reasons.get(badEvent)).startsWith("user_email");
        assertThat(reasons.get("this is not json")).isNotBlank();
        assertThat(keys.get(badEvent)).as("the dead letter keeps the record's key").isEqualTo(user);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM file_events WHERE event_id = ?", good) == 1);
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", bad)).isZero();
        // committed past the poison: never redelivered
        awaitAllCommitted(topic, group);
    }

    @Test
    void postgresCutMidStreamLosesNothingAndDoublesNothing() throws Exception {
        // the batch meets the outage and is retried on the consumer's thread, its offsets uncommitted
        postgresCutMidStream(KafkaIntakeTest::publish, "ingest-notify-kafka-file-group");
        awaitAllCommitted(topic, group);
    }

    @Test
    void twoInstancesOfOneGroupSplitThePartitionsAndFileEachEventOnce() throws Exception {
        try (RunningApp second = new RunningApp(withBase(kafkaSettings(AvailablePortFinder.getNextAvailable(), "kafka-b")))) {
            // both instances are members, each with partitions of its own
            await().atMost(Duration.ofSeconds(60)).until(() -> partitionsPerMember(group).size() == 2
                    && partitionsPerMember(group).values().stream().allMatch(n -> n > 0));
            List<String> users = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int u = 0; u < 20; u++) {
                String user = newUser();
                users.add(user);
                stubPreferences(1, 2, user, prefs(10, 60, "html", true, true, true));
                for (int i = 0; i < 10; i++) {
                    ids.add(publishEvent(KafkaIntakeTest::publish, user, "f" + i + ".pdf"));
                }
            }
            assertOneDigestEach(users);
            assertFiledOnce(ids);
            awaitAllCommitted(topic, group);
        }
    }

    @Test
    void aConsumerKilledMidStreamLosesItsPartitionsToTheOtherEveryEventFiledOnce() throws Exception {
        String crashTopic = topic + "-crash";
        String crashGroup = group + "-crash";
        kafka.createTopic(crashTopic, 4);
        List<String> users = new ArrayList<>();
        for (int u = 0; u < 16; u++) {
            users.add(newUser());
            stubPreferences(1, 2, users.get(u), prefs(100, 600, "html", true, true, true));
        }
        nodes = new InstanceJvms("kafka-crash", 30, "kafka-crash", Set.of(), i -> Map.of(
                "S3_ENDPOINT", nodes.s3().endpoint(),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "KAFKA_TOPIC", crashTopic,
                "KAFKA_GROUP_ID", crashGroup,
                "KAFKA_DEAD_LETTER_TOPIC", crashTopic + "-dead-letter",
                "KAFKA_MAX_POLL_RECORDS", "20",
                "KAFKA_SESSION_TIMEOUT_MS", "10000"));
        try {
            nodes.start(0, "kafka-crash-1");
            nodes.start(1, "kafka-crash-2");
            nodes.awaitHealthy(0);
            nodes.awaitHealthy(1);
            await().atMost(Duration.ofSeconds(90)).until(() -> partitionsPerMember(crashGroup).size() == 2
                    && partitionsPerMember(crashGroup).values().stream().allMatch(n -> n > 0));

            // Records of 16 users (keys), so every partition has some; the kill comes while they are being filed.
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String id = newEventId();
                ids.add(id);
                String user = users.get(i % users.size());
                producer.send(new ProducerRecord<>(crashTopic, user, event(id, "doc-" + id, "success", user, 1, 2, "k" + i + ".pdf")));
                if (i == 200) {
                    producer.flush();
                    await().atMost(Duration.ofSeconds(60)).until(() -> filed(ids) >= 40);
                    nodes.process(0).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
            producer.flush();
            assertThat(nodes.process(0).isAlive()).isFalse();
            // the survivor takes the dead one's partitions once its session times out, and files what it left
            await().atMost(Duration.ofSeconds(120)).until(() -> filed(ids) == ids.size());
            assertThat(partitionsPerMember(crashGroup)).hasSize(1);
            assertThat(partitionsPerMember(crashGroup).values()).containsExactly(4);
            assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ANY (?)", (Object) ids.toArray(String[]::new)))
                    .as("each event once").isEqualTo(ids.size());
            assertThat(count("SELECT count(*) FROM batch_files bf JOIN file_events fe ON fe.id = bf.file_event_id "
                    + "WHERE fe.event_id = ANY (?)", (Object) ids.toArray(String[]::new))).isEqualTo(ids.size());
            awaitAllCommitted(crashTopic, crashGroup);
        } finally {
            nodes.close();
            try (Admin admin = kafka.admin()) {
                admin.deleteTopics(List.of(crashTopic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long filed(List<String> ids) throws Exception {
        return count("SELECT count(DISTINCT event_id) FROM file_events WHERE event_id = ANY (?)", (Object) ids.toArray(String[]::new));
    }

    /** Each member of the group (by client host and id) with the number of partitions it was assigned. */
    private static Map<String, Integer> partitionsPerMember(String groupId) throws Exception {
        try (Admin admin = kafka.admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get(30, TimeUnit.SECONDS);
            Map<String, Integer> members = new HashMap<>();
            for (MemberDescription m : d.members()) {
                members.put(m.consumerId(), m.assignment().topicPartitions().size());
            }
            return members;
        }
    }

    /** Every partition's committed offset at its end: nothing left to redeliver. */
    private static void awaitAllCommitted(String topicName, String groupId) {
        await("offsets of " + groupId + " at the end of " + topicName).atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Admin admin = kafka.admin()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < 4; p++) {
                    latest.put(new TopicPartition(topicName, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
                var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                        || committed.containsKey(e.getKey()) && committed.get(e.getKey()).offset() == e.getValue().offset());
            }
        });
    }
}
