import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.ingestnotify.support.KafkaBroker;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestPostgres;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The hub sources side by side with the outbox, in one run: the same events (one event per RabbitMQ message or Kafka
 * record, keyed by user, on a topic of 4 partitions; outbox rows) from the same users, filed by one or two instances
 * in a fresh schema, digests really rendered and mailed (GreenMail). Prints events/s (first claim / route start to the
 * last event filed) and the digests' p99 from batch completion to SMTP, per round, then medians. Needs RabbitMQ on
 * 127.0.0.1:5672 (guest/guest); Kafka is the tests' KRaft broker (support.KafkaBroker), started here.
 * BENCH_SOURCES (default outbox,rabbitmq,kafka) chooses the sources.
 *
 * Usage (bench/hub.sh): [events] [users] [instances]
 */
public class HubBenchmark {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int instances = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "3"));
        System.out.printf("%d events from %d users, %d instance(s), %d rounds (after one warm-up round each)%n", events, users, instances, rounds);
        List<String> sources = List.of(System.getenv().getOrDefault("BENCH_SOURCES", "outbox,rabbitmq,kafka").split(","));
        for (String source : sources) {
            run(source, events, users, instances, true);
        }
        Map<String, List<double[]>> results = new HashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (String source : sources) {
                results.computeIfAbsent(source, k -> new ArrayList<>()).add(run(source, events, users, instances, false));
            }
        }
        for (String source : sources) {
            System.out.printf("MEDIAN %-9s: %8.0f events/s, mail p99 %6.0f ms%n", source, median(results.get(source), 0),
                    median(results.get(source), 1));
        }
        System.exit(0);
    }

    static double[] run(String source, int events, int users, int instances, boolean warmUp) throws Exception {
        String schema = TestPostgres.newSchema();
        String queue = "ingest-notify-bench-" + schema;
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        List<RunningApp> apps = new ArrayList<>();
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        try (com.rabbitmq.client.Connection rabbit = f.newConnection("HubBenchmark"); Channel channel = rabbit.createChannel();
             Connection c = TestPostgres.connect(schema)) {
            if (source.equals("kafka")) {
                // before the instances start: their consumers would create it with the broker's defaults
                KafkaBroker.shared().createTopic(queue, 4);
            }
            for (int i = 0; i < instances; i++) {
                apps.add(new RunningApp(properties(schema, smtpPort, queue, source, "bench-" + i)));
            }
            String route = switch (source) {
                case "rabbitmq" -> "ingest-notify-rabbitmq-intake";
                case "kafka" -> "ingest-notify-kafka-intake";
                default -> "ingest-notify-outbox-poller";
            };
            for (RunningApp app : apps) {
                app.context().getRouteController().stopRoute(route);
            }
            if (source.equals("rabbitmq")) {
                publish(channel, queue, events, users);
            } else if (source.equals("kafka")) {
                publishKafka(queue, events, users);
            } else {
                fillOutbox(c, events, users);
            }
            long start = System.nanoTime();
            for (RunningApp app : apps) {
                app.context().getRouteController().startRoute(route);
            }
            double seconds;
            if (source.equals("outbox")) {
                awaitCount(c, "SELECT count(*) FROM file_events WHERE processed_at IS NULL", 0);
                seconds = query(c, "SELECT extract(epoch FROM clock_timestamp()::timestamp - min(claimed_at)) FROM file_events");
            } else {
                awaitCount(c, "SELECT count(*) FROM file_events", events);
                seconds = (System.nanoTime() - start) / 1e9;
            }
            double rate = events / seconds;
            double p99 = mailP99(c, events / 50);
            if (!warmUp) {
                System.out.printf("%-8s %8.0f events/s, mail p99 %6.0f ms%n", source, rate, p99);
            }
            apps.forEach(RunningApp::close);
            apps.clear();
            if (source.equals("rabbitmq")) {
                channel.queueDelete(queue);
                channel.queueDelete(queue + "-dead-letter");
                channel.exchangeDelete(queue + "-dlx");
            }
            if (source.equals("kafka")) {
                try (Admin admin = KafkaBroker.shared().admin()) {
                    admin.deleteTopics(List.of(queue)).all().get();
                }
            }
            return new double[] {rate, p99};
        } finally {
            apps.forEach(RunningApp::close);
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
    }

    static Map<String, String> properties(String schema, int smtpPort, String queue, String source, String instance) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("ingest-notify.db.url", TestPostgres.url());
        p.put("ingest-notify.db.schema", schema);
        p.put("ingest-notify.metadata.source", "sql");
        p.put("ingest-notify.smtp.server", "127.0.0.1");
        p.put("ingest-notify.smtp.port", String.valueOf(smtpPort));
        p.put("ingest-notify.smtp.starttls", "false");
        p.put("ingest-notify.http.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        p.put("ingest-notify.instance.id", instance);
        p.put("ingest-notify.default.batch.size.threshold", "50");
        p.put("ingest-notify.outbox.poll.limit", "200");
        p.put("ingest-notify.outbox.poll.delay.ms", "50");
        p.put("ingest-notify.data.dir", "target/bench-data");
        if (source.equals("kafka")) {
            p.put("ingest-notify.kafka.bootstrap.servers", KafkaBroker.shared().bootstrapServers());
            p.put("ingest-notify.kafka.topic", queue);
            p.put("ingest-notify.kafka.group.id", queue);
            p.put("ingest-notify.kafka.dead-letter.topic", queue + "-dead-letter");
        }
        if (source.equals("rabbitmq")) {
            p.put("ingest-notify.rabbitmq.url", "amqp://127.0.0.1:5672");
            p.put("ingest-notify.rabbitmq.password", "guest");
            p.put("ingest-notify.rabbitmq.queue", queue);
            p.put("ingest-notify.rabbitmq.dead-letter.exchange", queue + "-dlx");
            p.put("ingest-notify.rabbitmq.dead-letter.queue", queue + "-dead-letter");
        }
        for (String kv : System.getenv().getOrDefault("BENCH_SETTINGS", "").split(",")) {
            if (kv.contains("=")) {
                p.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return p;
    }

    static String event(int i, int users) {
        boolean failed = i % 10 == 0;
        return "{\"event_id\":\"bench-" + UUID.randomUUID() + "\",\"file_document_id\":\"doc-" + i + "\",\"status\":\""
                + (failed ? "failed" : "success") + "\",\"user_email\":\"user" + (i % users) + "@bench.example\",\"company_id\":1,"
                + "\"bot_id\":1,\"file_name\":\"file-" + i + ".pdf\",\"chunks_created\":5,\"processing_time_seconds\":2"
                + (failed ? ",\"error_message\":\"parser crashed\"" : "") + "}";
    }

    static void publish(Channel channel, String queue, int events, int users) throws Exception {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
        channel.confirmSelect();
        for (int i = 0; i < events; i++) {
            channel.basicPublish("", queue, props, event(i, users).getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(60_000);
    }

    /** One event per record, keyed by user (as the README asks of producers), on the run's topic of 4 partitions. */
    static void publishKafka(String topic, int events, int users) throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "5"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < events; i++) {
                producer.send(new ProducerRecord<>(topic, "user" + (i % users) + "@bench.example", event(i, users)));
            }
            producer.flush();
        }
    }

    static void fillOutbox(Connection c, int events, int users) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_events (event_id, file_document_id, status, user_email, "
                + "company_id, bot_id, file_name, chunks_created, processing_time_seconds, error_message) VALUES (?,?,?,?,1,1,?,5,2,?)")) {
            for (int i = 0; i < events; i++) {
                boolean failed = i % 10 == 0;
                ps.setString(1, "bench-" + UUID.randomUUID());
                ps.setString(2, "doc-" + i);
                ps.setString(3, failed ? "failed" : "success");
                ps.setString(4, "user" + (i % users) + "@bench.example");
                ps.setString(5, "file-" + i + ".pdf");
                ps.setString(6, failed ? "parser crashed" : null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    static double mailP99(Connection c, int expectedMails) throws Exception {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() ->
                query(c, "SELECT count(*) FROM email_notification_log WHERE send_status = 'sent'") >= expectedMails);
        return 1000 * query(c, "SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM l.sent_at - b.batch_end_time)) "
                + "FROM email_notification_log l JOIN batch_processing_sessions b USING (batch_id) WHERE l.send_status = 'sent'");
    }

    static void awaitCount(Connection c, String sql, long target) {
        Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(5)).until(() -> (long) query(c, sql) == target);
    }

    static double query(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }
}
