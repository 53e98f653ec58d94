package io.ingestnotify.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.test.AvailablePortFinder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import static org.awaitility.Awaitility.await;

/**
 * A real Kafka broker for the tests: one KRaft node (broker and controller) from the Kafka jars on Maven Central, in a
 * child JVM with its own class path (src/test/kafka/pom.xml, resolved once into target/kafka-broker.classpath: the
 * broker's kafka-clients and Scala would clash with the client on the test class path), on free ports, its data in
 * target/. One per test JVM, started on first use, killed when the JVM ends. Three client listeners: PLAINTEXT (the
 * tests' own clients), SASL_PLAINTEXT with SCRAM-SHA-512 user {@link #SASL_USER} (added by kafka-storage format) and
 * SSL with a certificate made at test time ({@link BrokerCertificate}).
 */
public final class KafkaBroker {

    private static final Path CLASS_PATH = Path.of("target/kafka-broker.classpath");
    private static KafkaBroker shared;

    /** The SCRAM-SHA-512 user of the SASL_PLAINTEXT listener. */
    public static final String SASL_USER = "ingest-notify-test";
    public static final String SASL_PASSWORD = "sasl-test-password-4e1b";

    private final int port;
    private final int saslPort;
    private final int sslPort;
    private final BrokerCertificate certificate;
    private final Process process;

    private KafkaBroker(int port, int saslPort, int sslPort, BrokerCertificate certificate, Process process) {
        this.port = port;
        this.saslPort = saslPort;
        this.sslPort = sslPort;
        this.certificate = certificate;
        this.process = process;
    }

    /** The test JVM's broker, started (and its class path resolved) on first use. */
    public static synchronized KafkaBroker shared() throws Exception {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
        }
        return shared;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The SASL_PLAINTEXT listener (SCRAM-SHA-512, user {@link #SASL_USER}). */
    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /** The SSL listener, its certificate self-signed for 127.0.0.1 (trusted by {@link #truststore()} only). */
    public String sslBootstrapServers() {
        return "127.0.0.1:" + sslPort;
    }

    /** A PKCS12 trust store holding the broker's certificate, password {@link BrokerCertificate#PASSWORD}. */
    public Path truststore() {
        return certificate.truststore();
    }

    /** Creates {@code name} with {@code partitions} partitions (replication 1). */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private static KafkaBroker start() throws Exception {
        String classPath = classPath();
        int port = AvailablePortFinder.getNextAvailable();
        int saslPort = AvailablePortFinder.getNextAvailable();
        int sslPort = AvailablePortFinder.getNextAvailable();
        int controllerPort = AvailablePortFinder.getNextAvailable();
        Path dir = Files.createDirectories(Path.of("target/kafka-broker-" + port).toAbsolutePath());
        BrokerCertificate certificate = BrokerCertificate.create(dir.resolve("tls"));
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        // PLAINTEXT for the tests' own clients and between the node's roles; SASL_PLAINTEXT and SSL for the bundle's
        // security settings (KafkaSecurityTest)
        String clients = "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort + ",SSL://127.0.0.1:" + sslPort;
        p.setProperty("listeners", clients + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", clients);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
        p.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.setProperty("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("ssl.keystore.location", certificate.keystore().toString());
        p.setProperty("ssl.keystore.password", BrokerCertificate.PASSWORD);
        p.setProperty("ssl.key.password", BrokerCertificate.PASSWORD);
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", "4");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        // a new group starts at once; a killed member leaves after session.timeout.ms (the consumer's, 10 s min here)
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("group.consumer.min.session.timeout.ms", "6000");
        p.setProperty("group.min.session.timeout.ms", "6000");
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(out, "KafkaBroker (tests)");
        }
        File log = dir.resolve("broker.log").toFile();
        String java = new File(System.getProperty("java.home"), "bin/java").getPath();
        // the SASL user is part of the cluster's bootstrap (KIP-900): there from the first start, no Admin call to race
        Process format = new ProcessBuilder(java, "-cp", classPath, "kafka.tools.StorageTool", "format",
                "-t", "aW5nZXN0LW5vdGlmeS10ZQ", "-c", config.toString(),
                "--add-scram", "SCRAM-SHA-512=[name=" + SASL_USER + ",password=" + SASL_PASSWORD + "]")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("kafka-storage format failed, see " + log);
        }
        Process broker = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classPath, "kafka.Kafka", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroyForcibly));
        KafkaBroker started = new KafkaBroker(port, saslPort, sslPort, certificate, broker);
        await("Kafka broker on " + port).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!broker.isAlive()) {
                throw new IllegalStateException("Kafka broker died, see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        try (Admin admin = started.admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
        return started;
    }

    /** The broker's class path: resolved by Maven from src/test/kafka/pom.xml once (.ci/run does it before the build). */
    private static String classPath() throws Exception {
        if (!Files.isRegularFile(CLASS_PATH) || Files.size(CLASS_PATH) == 0) {
            Process mvn = new ProcessBuilder("mvn", "-B", "-q", "-f", "src/test/kafka/pom.xml", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + CLASS_PATH.toAbsolutePath())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/kafka-broker-mvn.log"))).start();
            if (!mvn.waitFor(600, TimeUnit.SECONDS) || mvn.exitValue() != 0) {
                throw new IllegalStateException("could not resolve the Kafka broker's jars, see target/kafka-broker-mvn.log");
            }
        }
        return Files.readString(CLASS_PATH).trim();
    }
}
