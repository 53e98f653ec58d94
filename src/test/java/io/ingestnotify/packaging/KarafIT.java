package io.ingestnotify.packaging;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.ingestnotify.embedded.EmbeddedS3;
import io.ingestnotify.support.ChromaServer;
import io.ingestnotify.support.CountingS3;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.KafkaBroker;
import io.ingestnotify.support.TestPostgres;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Apache Karaf (the 4.4.8 distribution from Maven Central, unpacked by the build) installs feature ingest-notify
 * from the attached features descriptor at boot: one bundle, target/ingest-notify-karaf.jar, the same Camel Main
 * application as the standalone jar, configured only by etc/io.ingestnotify.cfg. Around it, as in production: the test
 * PostgreSQL, an SMTP server (GreenMail), a CMS answering as cms/strapi does (WireMock), an S3-compatible store
 * (S3Proxy) and, where Node.js and src/test/chroma are installed, a real Chroma. Karaf runs as its own process, started
 * and stopped with bin/start and bin/stop; the tests run in order against the one Karaf.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafIT {

    static final Path DIST = Path.of(System.getProperty("karaf.home", "target/karaf-dist/apache-karaf-4.4.8"));
    static final Path KARAF = Path.of("target/karaf-it").toAbsolutePath();
    static final Path REPO = Path.of("target/karaf-it-repo").toAbsolutePath();
    static final Path BUNDLE = KarafHome.BUNDLE;
    static final KarafHome HOME = new KarafHome(KARAF, REPO);
    static final String INTAKE_TOKEN = "karaf-intake-token-5c2e";
    static final String OPS_USER = "operator";
    static final String OPS_PASSWORD = "karaf-ops-password-91ad";
    static final String CMS_TOKEN = "karaf-cms-token";
    static final String BUCKET = "karaf-files";
    static final String UNSUBSCRIBE_SECRET = "karaf-unsubscribe-secret-0123456789abcdef";
    static final int COMPANY = 31;
    static final int BOT = 32;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static GreenMail smtp;
    static WireMockServer cms;
    static CountingS3 s3;
    static ChromaServer chroma;
    static String chromaCollection;
    static String schema;
    static int httpPort;
    static long firstBootMillis;
    static com.rabbitmq.client.Connection rabbitConnection;
    static Channel rabbit;
    static String rabbitQueue;
    static KafkaBroker kafka;
    static String kafkaTopic;

    @BeforeAll
    static void startKaraf() throws Exception {
        assertThat(DIST.resolve("bin/start")).as("Karaf unpacked by the build (mvn verify)").exists();
        int smtpPort = freePort();
        httpPort = freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        cms = new WireMockServer(options().port(freePort()).bindAddress("127.0.0.1"));
        cms.start();
        // The CMS as cms/strapi answers: marks and deletes of file records; preferences are stubbed per user.
        cms.stubFor(put(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Json.write(Json.object("data", Json.object())))));
        cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
        cms.stubFor(put(urlPathMatching("/api/user-notification-preferences/by-user/.*/unsubscribe")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Json.write(Json.object("data", Json.object())))));
        s3 = new CountingS3(BUCKET);
        if (ChromaServer.available()) {
            chroma = new ChromaServer();
            chromaCollection = chroma.createCollection("global");
        }
        schema = TestPostgres.newSchema();

        // The distribution copied and configured as KarafHome says; then this run's settings.
        HOME.install();
        List<String> cfg = new ArrayList<>(List.of(
                "db.url = " + TestPostgres.url(),
                "db.user = postgres",
                "db.schema = " + schema,
                "smtp.server = 127.0.0.1",
                "smtp.port = " + smtpPort,
                "smtp.starttls = false",
                "from.email = digest@example.com",
                "http.port = " + httpPort,
                "intake.token = " + INTAKE_TOKEN,
                "ops.user = " + OPS_USER,
                "ops.password = " + OPS_PASSWORD,
                "cms.api.url = " + cms.baseUrl(),
                "cms.api.token = " + CMS_TOKEN,
                "s3.bucket = " + BUCKET,
                "s3.endpoint = " + s3.endpoint(),
                "s3.access-key = " + EmbeddedS3.IDENTITY,
                "s3.secret-key = " + EmbeddedS3.CREDENTIAL,
                "notification.delay.unit = SECONDS",
                "outbox.poll.delay.ms = 300",
                "auto.correction.delay.seconds = 1",
                "correction.poll.delay.ms = 200",
                "correction.retry.base.seconds = 1",
                "correction.redrive.interval.ms = 1000",
                "sweeper.interval.ms = 2000",
                "sweeper.grace.seconds = 1",
                // The recipient's controls and retention run here as standalone: a one-click unsubscribe link, a pass each 2 s.
                "public.base.url = http://127.0.0.1:" + httpPort,
                "unsubscribe.secret = " + UNSUBSCRIBE_SECRET,
                "retention.interval.ms = 2000",
                "auth.failures.per.minute = 5"));
        if (chroma != null) {
            cfg.add("chroma.url = " + chroma.url());
        }
        // The RabbitMQ intake on this machine's RabbitMQ, on queues of this run's own.
        rabbitQueue = "ingest-notify-karaf-" + schema;
        cfg.addAll(List.of("rabbitmq.url = amqp://127.0.0.1:5672", "rabbitmq.user = guest", "rabbitmq.password = guest",
                "rabbitmq.queue = " + rabbitQueue, "rabbitmq.dead-letter.exchange = " + rabbitQueue + "-dlx",
                "rabbitmq.dead-letter.queue = " + rabbitQueue + "-dead-letter"));
        ConnectionFactory rabbitFactory = new ConnectionFactory();
        rabbitFactory.setHost("127.0.0.1");
        rabbitFactory.setUsername("guest");
        rabbitFactory.setPassword("guest");
        rabbitConnection = rabbitFactory.newConnection();
        rabbit = rabbitConnection.createChannel();
        // The Kafka intake on the test broker (started before Karaf), on topics and a group of this run's own.
        kafka = KafkaBroker.shared();
        kafkaTopic = "ingest-notify-karaf-" + schema;
        kafka.createTopic(kafkaTopic, 2);
        kafka.createTopic(kafkaTopic + "-dead-letter", 1);
        // Through the broker's SASL_PLAINTEXT listener: the SCRAM login module loads in Karaf too.
        cfg.addAll(List.of("kafka.bootstrap.servers = " + kafka.saslBootstrapServers(), "kafka.topic = " + kafkaTopic,
                "kafka.dead-letter.topic = " + kafkaTopic + "-dead-letter", "kafka.group.id = " + kafkaTopic,
                "kafka.security.protocol = SASL_PLAINTEXT", "kafka.sasl.mechanism = SCRAM-SHA-512",
                "kafka.user = " + KafkaBroker.SASL_USER, "kafka.password = " + KafkaBroker.SASL_PASSWORD));
        // User routes in a folder under etc/, named as the README says (File Install fills in ${karaf.etc}).
        Path routes = Files.createDirectories(KARAF.resolve("etc/ingest-notify/routes"));
        Files.writeString(routes.resolve("hello.camel.yaml"), String.join("\n",
                "- route:", "    id: karaf-user-route", "    from:", "      uri: timer:karaf-user-route",
                "      parameters:", "        repeatCount: 1", "      steps:", "        - log: \"karaf user route ran\"", ""));
        cfg.add("routes.dir = ${karaf.etc}/ingest-notify/routes");
        Files.writeString(KARAF.resolve("etc/io.ingestnotify.cfg"), String.join("\n", cfg) + "\n");

        firstBootMillis = startAndAwaitReady(1);
        long bytes = Files.size(BUNDLE);
        System.out.printf("KarafIT: feature ingest-notify = 1 bundle, %d bytes (%.1f MB); first boot (feature install) to ready %d ms%n",
                bytes, bytes / 1e6, firstBootMillis);
    }

    @AfterAll
    static void stopKaraf() throws Exception {
        try {
            stop();
        } finally {
            karafProcesses().forEach(ProcessHandle::destroyForcibly);
            for (AutoCloseable part : new AutoCloseable[] {s3, chroma}) {
                if (part != null) {
                    part.close();
                }
            }
            if (smtp != null) {
                smtp.stop();
            }
            if (cms != null) {
                cms.stop();
            }
            if (rabbit != null) {
                rabbit.queueDelete(rabbitQueue);
                rabbit.queueDelete(rabbitQueue + "-dead-letter");
                rabbit.exchangeDelete(rabbitQueue + "-dlx");
                rabbitConnection.close();
            }
            if (kafka != null && kafkaTopic != null) {
                try (Admin admin = kafka.admin()) {
                    admin.deleteTopics(List.of(kafkaTopic, kafkaTopic + "-dead-letter")).all().get(30, TimeUnit.SECONDS);
                }
            }
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    @Order(1)
    void httpIntakeNeedsTheTokenAndAPreferenceOfTwoFromTheCmsMakesADigestOfTwo() throws Exception {
        String pat = "pat@example.com";
        stubPreferences(pat, 2, 1440);
        String events = Json.write(Json.array(event("karaf-http-1", pat, "karaf-http-1.pdf"), event("karaf-http-2", pat, "karaf-http-2.pdf")));

        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/api/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(events)));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(rows("SELECT count(*) FROM file_events WHERE file_document_id LIKE 'karaf-http-%'")).containsExactly("0");

        HttpResponse<String> accepted = send(HttpRequest.newBuilder(uri("/api/events")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + INTAKE_TOKEN).POST(HttpRequest.BodyPublishers.ofString(events)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.body()).contains("\"accepted\":2");

        // The preference (2 files, a day's delay) came from the CMS: the batch completes by size, at once.
        await().atMost(Duration.ofMinutes(1)).until(() -> mailsTo(pat).size() == 1);
        assertThat(GreenMailUtil.getBody(mailsTo(pat).get(0))).contains("karaf-http-1.pdf", "karaf-http-2.pdf");
        assertThat(rows("SELECT completion_reason || ' ' || total_files FROM batch_processing_sessions WHERE user_email = '" + pat + "'"))
                .containsExactly("size 2");
        cms.verify(getRequestedFor(urlEqualTo(preferencesPath(pat))).withHeader("Authorization", equalTo("Bearer " + CMS_TOKEN)));

        // RFC 8058 one-click unsubscribe from the received digest's header, on the bundle's own HTTP server in Karaf too.
        MimeMessage digest = mailsTo(pat).get(0);
        assertThat(digest.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        Matcher link = Pattern.compile("<(http[^>]+)>").matcher(digest.getHeader("List-Unsubscribe")[0]);
        assertThat(link.find()).isTrue();
        HttpResponse<String> unsubscribed = send(HttpRequest.newBuilder(URI.create(link.group(1)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
        assertThat(unsubscribed.statusCode()).as(unsubscribed.body()).isEqualTo(200);
        assertThat(rows("SELECT reason FROM suppressions WHERE email = '" + pat + "'")).containsExactly("unsubscribed");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> cms.verify(1,
                putRequestedFor(urlPathMatching("/api/user-notification-preferences/by-user/.*pat.*/unsubscribe"))));
    }

    @Test
    @Order(2)
    void outboxRowsBecomeOneDigestPerBatchAndAFailedFileIsCleanedUpEverywhere() throws Exception {
        String ana = "ana@example.com";
        String bob = "bob@example.com";
        String cy = "cy@example.com";
        stubPreferences(ana, 3, 1440);
        stubPreferences(bob, 5, 2);
        stubPreferences(cy, 5, 2);
        String broken = "karaf-doc-7";
        String key = "uploads/karaf-broken-7.pdf";
        s3.put(BUCKET, key);
        // The CMS's file record of the failed file: the metadata look-up (through the CMS) confirms it before any delete.
        // A group's failed events are looked up in one list call (Strapi: filters[documentId][$in]).
        cms.stubFor(get(urlPathEqualTo("/api/files")).withQueryParam("filters[documentId][$in][0]", equalTo(broken))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(Json.write(Json.object("data", Json.array(Json.object("documentId", broken, "name", "karaf-broken-7.pdf",
                        "storage_key", key, "company_id", COMPANY, "bot_id", BOT)))))));
        if (chroma != null) {
            chroma.addChunks(chromaCollection, broken, 3);
            chroma.addChunks(chromaCollection, "karaf-doc-kept", 2);
        }

        try (Connection c = TestPostgres.connect(schema)) {
            for (int i = 1; i <= 3; i++) {
                insertOutbox(c, ana, "karaf-doc-" + i, "karaf-report-" + i + ".pdf");
            }
            insertOutbox(c, bob, "karaf-doc-9", "karaf-scan-9.pdf");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_events (event_id, file_document_id, status, user_email, "
                    + "company_id, bot_id, file_name, storage_key, error_message) VALUES (?, ?, 'failed', ?, ?, ?, 'karaf-broken-7.pdf', ?, "
                    + "'Processing failed: parser crashed')")) {
                ps.setString(1, "karaf-" + UUID.randomUUID());
                ps.setString(2, broken);
                ps.setString(3, cy);
                ps.setInt(4, COMPANY);
                ps.setInt(5, BOT);
                ps.setString(6, key);
                ps.executeUpdate();
            }
        }

        await().atMost(Duration.ofMinutes(2)).until(() -> mailsTo(ana).size() + mailsTo(bob).size() + mailsTo(cy).size() >= 3);
        assertThat(GreenMailUtil.getBody(mailsTo(ana).get(0))).contains("karaf-report-1.pdf", "karaf-report-2.pdf", "karaf-report-3.pdf");
        assertThat(GreenMailUtil.getBody(mailsTo(bob).get(0))).contains("karaf-scan-9.pdf");
        assertThat(GreenMailUtil.getBody(mailsTo(cy).get(0))).contains("karaf-broken-7.pdf");
        assertThat(mailsTo(ana).get(0).getFrom()[0].toString()).isEqualTo("digest@example.com");
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(rows(
                "SELECT s.user_email || ' ' || s.completion_reason || ' ' || s.total_files || ' ' || l.send_status "
                        + "FROM batch_processing_sessions s JOIN email_notification_log l USING (batch_id) "
                        + "WHERE s.user_email IN ('ana@example.com', 'bob@example.com', 'cy@example.com') ORDER BY s.user_email"))
                .containsExactly("ana@example.com size 3 sent", "bob@example.com timeout 1 sent", "cy@example.com timeout 1 sent"));
        assertThat(rows("SELECT count(*) FROM file_events WHERE processed_at IS NULL")).containsExactly("0");

        // The correction: S3 object, CMS record and Chroma chunks deleted, the task completed (partial without a Chroma).
        String ended = chroma != null ? "completed" : "partial";
        await().atMost(Duration.ofMinutes(1)).until(() -> rows("SELECT status FROM auto_correction_tasks WHERE file_document_id = '"
                + broken + "'").equals(List.of(ended)));
        assertThat(s3.exists(BUCKET, key)).isFalse();
        assertThat(s3.deletes()).containsEntry(key, 1);
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/" + broken)));
        cms.verify(getRequestedFor(urlPathEqualTo("/api/files")).withQueryParam("filters[documentId][$in][0]", equalTo(broken)));
        String log = rows("SELECT execution_log::text FROM auto_correction_tasks WHERE file_document_id = '" + broken + "'").get(0);
        assertThat(log).contains("\"action\": \"s3_delete\"", "\"action\": \"cms_delete\"", "(confirmed by the metadata look-up)");
        if (chroma != null) {
            assertThat(log).contains("\"action\": \"chroma_delete\"", "deleted chunks where document_id = " + broken);
            assertThat(chroma.countFor(chromaCollection, broken)).isZero();
            assertThat(chroma.countFor(chromaCollection, "karaf-doc-kept")).isEqualTo(2);
        } else {
            System.out.println("KarafIT: Chroma not installed (node, npm ci in src/test/chroma): its clean-up was not checked");
        }
    }

    @Test
    @Order(3)
    void opsApiNeedsTheOperatorHealthIsAnonymousAndUserRoutesRun() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(uri("/api/ops/summary")).GET());
        assertThat(none.statusCode()).isEqualTo(401);
        String basic = Base64.getEncoder().encodeToString((OPS_USER + ":" + OPS_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> summary = send(HttpRequest.newBuilder(uri("/api/ops/summary")).header("Authorization", "Basic " + basic).GET());
        assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
        assertThat(summary.body()).contains("\"heldCorrections\"");
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/")).header("Authorization", "Basic " + basic).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("ingest-notify");
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/observe/metrics")).header("Authorization", "Basic " + basic).GET());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ingest_");

        // An operator's change is audited in Karaf too: a suppression added through the API is a row of GET /api/audit.
        HttpResponse<String> added = send(HttpRequest.newBuilder(uri("/api/suppressions")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"company_id\":9,\"bot_id\":9,\"email\":\"karaf-audit@example.com\",\"reason\":\"operator\"}")));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        HttpResponse<String> audit = send(HttpRequest.newBuilder(uri("/api/audit?action=suppression.add")).header("Authorization", "Basic " + basic).GET());
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        assertThat(audit.body()).contains("\"suppression.add\"", "operator " + OPS_USER);
        assertThat(rows("SELECT count(*) FROM operator_audit WHERE action = 'suppression.add'")).containsExactly("1");

        // Retention's pass runs on its quartz timer in Karaf as well: the pass row is claimed and finished.
        await().atMost(Duration.ofSeconds(30)).until(() -> !rows("SELECT count(*) FROM retention_pass WHERE finished_at IS NOT NULL").equals(List.of("0")));

        assertThat(log()).contains("Loaded 1 route(s) from " + KARAF.resolve("etc/ingest-notify/routes") + ": [karaf-user-route]");
        await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("karaf user route ran"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/observe/health")).GET());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"", "ingest-notify-database", "ingest-notify-smtp", "ingest-notify-cms");
        });
    }

    /** The RabbitMQ intake in Karaf: a message of two events becomes one digest; a poison message is dead-lettered. */
    @Test
    @Order(4)
    void rabbitMqMessagesAreFiledAndAPoisonMessageIsDeadLettered() throws Exception {
        String rio = "rio@example.com";
        stubPreferences(rio, 2, 1440);
        String events = Json.write(Json.array(event("karaf-rabbit-1", rio, "karaf-rabbit-1.pdf"), event("karaf-rabbit-2", rio, "karaf-rabbit-2.pdf")));
        rabbit.basicPublish("", rabbitQueue, new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                events.getBytes(StandardCharsets.UTF_8));
        rabbit.basicPublish("", rabbitQueue, new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                "{not json".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofMinutes(1)).until(() -> mailsTo(rio).size() == 1);
        assertThat(GreenMailUtil.getBody(mailsTo(rio).get(0))).contains("karaf-rabbit-1.pdf", "karaf-rabbit-2.pdf");
        await().atMost(Duration.ofSeconds(30)).until(() -> rabbit.messageCount(rabbitQueue + "-dead-letter") == 1);
        GetResponse dead = rabbit.basicGet(rabbitQueue + "-dead-letter", true);
        assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(String.valueOf(dead.getProps().getHeaders().get("ingest-notify-reason"))).isNotBlank();
        assertThat(rabbit.messageCount(rabbitQueue)).isZero();
        assertThat(rows("SELECT count(*) FROM file_events WHERE file_document_id LIKE 'karaf-rabbit-%'")).containsExactly("2");
    }

    /**
     * The Kafka intake in Karaf, logged in with SCRAM-SHA-512 (kafka-clients in the bundle's class path: its
     * deserializers and serializers, the SCRAM login module and the compression codecs loaded there): two records of
     * one user become one digest; a poison record lands on the dead-letter topic with its reason, its offset committed
     * with the batch; health check ingest-notify-kafka is UP.
     */
    @Test
    @Order(5)
    void kafkaRecordsAreFiledAndAPoisonRecordIsDeadLettered() throws Exception {
        String kim = "kim@example.com";
        stubPreferences(kim, 2, 1440);
        // compressed as a hub may send them, each record with another codec: the bundle's consumer decompresses
        // with zstd-jni and snappy-java (native libraries loaded from inside their jars) and lz4-java from its lib/
        publishKafka("zstd", kim, Json.write(event("karaf-kafka-1", kim, "karaf-kafka-1.pdf")));
        publishKafka("snappy", kim, Json.write(Json.array(event("karaf-kafka-2", kim, "karaf-kafka-2.pdf"))));
        publishKafka("lz4", "poison-key", "{not json");

        await().atMost(Duration.ofMinutes(1)).until(() -> mailsTo(kim).size() == 1);
        assertThat(GreenMailUtil.getBody(mailsTo(kim).get(0))).contains("karaf-kafka-1.pdf", "karaf-kafka-2.pdf");
        assertThat(rows("SELECT count(*) FROM file_events WHERE file_document_id LIKE 'karaf-kafka-%'")).containsExactly("2");
        try (KafkaConsumer<String, String> dead = new KafkaConsumer<>(java.util.Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, kafkaTopic + "-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            dead.subscribe(List.of(kafkaTopic + "-dead-letter"));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.poll(Duration.ofMillis(500)).forEach(records::add);
                return !records.isEmpty();
            });
            assertThat(records).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo("poison-key");
            assertThat(records.get(0).value()).isEqualTo("{not json");
            Header reason = records.get(0).headers().lastHeader("ingest-notify-reason");
            assertThat(reason).isNotNull();
            assertThat(new String(reason.value(), StandardCharsets.UTF_8)).isNotBlank();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(send(HttpRequest.newBuilder(uri("/observe/health")).GET()).body())
                .contains("{\"name\":\"ingest-notify-kafka\",\"status\":\"UP\"}"));
        // every offset committed: the group's position is the topic's end on both partitions
        try (Admin admin = kafka.admin()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.listConsumerGroupOffsets(kafkaTopic).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum() == 3);
        }
    }

    private static void publishKafka(String compression, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(java.util.Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(kafkaTopic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(6)
    void anOpenBatchIsMailedOnceAfterKarafRestarts() throws Exception {
        String rex = "rex@example.com";
        stubPreferences(rex, 10, 30); // 30 s (notification.delay.unit = SECONDS): still open when Karaf has stopped
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(uri("/api/events")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + INTAKE_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(event("karaf-open-1", rex, "karaf-open-1.pdf")))));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        // The operator previews the open batch's digest in Karaf as standalone: nothing is sent.
        String batchId = rows("SELECT batch_id FROM batch_processing_sessions WHERE user_email = '" + rex + "'").get(0);
        String operator = Base64.getEncoder().encodeToString((OPS_USER + ":" + OPS_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> preview = send(HttpRequest.newBuilder(uri("/api/batches/" + batchId + "/preview"))
                .header("Authorization", "Basic " + operator).GET());
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(preview.body()).contains("karaf-open-1.pdf");
        assertThat(mailsTo(rex)).isEmpty();
        stop();
        assertThat(mailsTo(rex)).isEmpty();
        assertThat(rows("SELECT status FROM batch_processing_sessions WHERE user_email = '" + rex + "'")).containsExactly("processing");

        long restartMillis = startAndAwaitReady(2);
        System.out.printf("KarafIT: restart (bin/stop, bin/start) to ready %d ms%n", restartMillis);
        await().atMost(Duration.ofMinutes(1)).until(() -> mailsTo(rex).size() >= 1);
        assertThat(GreenMailUtil.getBody(mailsTo(rex).get(0))).contains("karaf-open-1.pdf");
        // Once: the re-armed timer and the sweeper share the batch's lease; nothing sends it a second time.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(5).plusSeconds(30)).until(() -> mailsTo(rex).size() == 1);
        assertThat(rows("SELECT l.send_status FROM batch_processing_sessions s JOIN email_notification_log l USING (batch_id) "
                + "WHERE s.user_email = '" + rex + "'")).containsExactly("sent");
        assertThat(log()).doesNotContain("ingest-notify did not start");

        // Last, since it shuts this address out for a minute. Guessing costs time in Karaf too: after auth.failures.per.minute (the cfg's 5) wrong logins, 429 with Retry-After.
        String wrong = Base64.getEncoder().encodeToString((OPS_USER + ":wrong").getBytes(StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString((OPS_USER + ":" + OPS_PASSWORD).getBytes(StandardCharsets.UTF_8));
        List<Integer> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            answers.add(send(HttpRequest.newBuilder(uri("/api/ops/summary")).header("Authorization", "Basic " + wrong).GET()).statusCode());
        }
        assertThat(answers).containsExactly(401, 401, 401, 401, 401, 429, 429);
        HttpResponse<String> right = send(HttpRequest.newBuilder(uri("/api/ops/summary")).header("Authorization", "Basic " + basic).GET());
        assertThat(right.statusCode()).as("the right login from the throttled address, inside the minute").isEqualTo(429);
        assertThat(right.headers().firstValue("Retry-After")).isPresent();
    }

    /** Runs bin/start; answers the milliseconds until the n-th "started" line and /observe/health answer. */
    private static long startAndAwaitReady(int nth) throws Exception {
        return HOME.startAndAwaitReady(nth, uri("/observe/health"));
    }

    private static void stop() throws Exception {
        HOME.stop();
    }

    private static String preferencesPath(String email) {
        return "/api/user-notification-preferences/by-user/" + COMPANY + "/" + BOT + "/" + email.replace("@", "%40");
    }

    /** The preference record of one user, as cms/strapi's by-user route answers it. */
    private static void stubPreferences(String email, int threshold, int delay) {
        cms.stubFor(get(urlEqualTo(preferencesPath(email))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Json.write(Json.object("data", Json.object("id", 1,
                        "documentId", "p-" + email, "notification_enabled", true, "batch_size_threshold", threshold,
                        "notification_delay_minutes", delay, "email_format", "html", "include_success_details", true,
                        "include_error_details", true))))));
    }

    private static Object event(String doc, String email, String fileName) {
        return Json.object("event_id", "karaf-" + UUID.randomUUID(), "file_document_id", doc, "status", "success",
                "user_email", email, "company_id", COMPANY, "bot_id", BOT, "file_name", fileName, "chunks_created", 4);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<MimeMessage> mailsTo(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address))) {
                out.add(m);
            }
        }
        return out;
    }

    private static void insertOutbox(Connection c, String user, String doc, String fileName) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_events (event_id, file_document_id, status, user_email, "
                + "company_id, bot_id, file_name) VALUES (?, ?, 'success', ?, ?, ?, ?)")) {
            ps.setString(1, "karaf-" + UUID.randomUUID());
            ps.setString(2, doc);
            ps.setString(3, user);
            ps.setInt(4, COMPANY);
            ps.setInt(5, BOT);
            ps.setString(6, fileName);
            ps.executeUpdate();
        }
    }

    private static List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestPostgres.connect(schema); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<ProcessHandle> karafProcesses() {
        return HOME.processes();
    }

    private static String log() throws IOException {
        return HOME.log();
    }
}
