package io.ingestnotify.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.ingestnotify.Application;
import io.ingestnotify.embedded.EmbeddedS3;
import org.apache.camel.test.AvailablePortFinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three child JVMs of the bundle (Camel Main) on the test's database schema, for the tests that kill, freeze or cut one
 * of several instances: each has its own instance id, HTTP port, SMTP port (one of a {@link FlakySmtp}'s) and log file
 * {@code target/<name>-<schema>-<id>.log}. What the tests set differently (lease seconds, the S3 endpoint, other
 * variables) comes in per instance; the rest is the short-timer setup they share. Uses {@link AppTestSupport}'s
 * schema, CMS and tokens, so only from its subclasses.
 */
public final class InstanceJvms implements AutoCloseable {

    public static final int COUNT = 3;

    private final String name;
    private final FlakySmtp mail;
    private final CountingS3 s3;
    private final int leaseSeconds;
    private final String bucket;
    private final IntFunction<Map<String, String>> perInstance;
    private final Process[] nodes = new Process[COUNT];
    private final String[] ids = new String[COUNT];
    private final int[] httpPorts = new int[COUNT];

    /**
     * Starts the SMTP server (a port per instance, refusing the first 4 attempts of {@code flaky} recipients' mail)
     * and S3 (with {@code bucket}) the instances will use; none of them yet.
     *
     * @param perInstance instance index to its own environment (S3_ENDPOINT at least), put over the shared one
     */
    public InstanceJvms(String name, int leaseSeconds, String bucket, Set<String> flaky,
            IntFunction<Map<String, String>> perInstance) throws Exception {
        this.name = name;
        this.mail = new FlakySmtp(flaky, 4, COUNT);
        this.s3 = new CountingS3(bucket);
        this.leaseSeconds = leaseSeconds;
        this.bucket = bucket;
        this.perInstance = perInstance;
    }

    /** Starts instance {@code i} under {@code id} (again, on the same HTTP port, after it died). */
    public void start(int i, String id) throws IOException {
        if (httpPorts[i] == 0) {
            httpPorts[i] = AvailablePortFinder.getNextAvailable();
        }
        ids[i] = id;
        ProcessBuilder pb = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Application.class.getName());
        Map<String, String> env = pb.environment();
        env.putAll(sharedEnv(i, id));
        env.putAll(perInstance.apply(i));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id)));
        nodes[i] = pb.start();
    }

    private Map<String, String> sharedEnv(int i, String id) {
        Map<String, String> env = new HashMap<>();
        env.put("INSTANCE_ID", id);
        env.put("LEASE_SECONDS", String.valueOf(leaseSeconds));
        env.put("DB_URL", TestPostgres.url());
        env.put("DB_SCHEMA", AppTestSupport.schema);
        env.put("DB_POOL_SIZE", "6");
        env.put("SMTP_SERVER", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(mail.port(i)));
        env.put("SMTP_STARTTLS", "false");
        env.put("CMS_API_URL", "http://127.0.0.1:" + AppTestSupport.cms.port());
        env.put("CMS_API_TOKEN", AppTestSupport.CMS_TOKEN);
        env.put("METADATA_SOURCE", "sql"); // the WireMock CMS takes the clean-up's DELETEs only
        env.put("HTTP_PORT", String.valueOf(httpPorts[i]));
        env.put("INTAKE_TOKEN", AppTestSupport.INTAKE_TOKEN);
        env.put("OPS_TOKEN", AppTestSupport.OPS_TOKEN);
        env.put("NOTIFICATION_DELAY_UNIT", "SECONDS");
        env.put("NOTIFICATION_MAX_ATTEMPTS", "8");
        env.put("NOTIFICATION_RETRY_DELAY_MS", "1000");
        env.put("NOTIFICATION_RETRY_MULTIPLIER", "2");
        env.put("SWEEPER_INTERVAL_MS", "1000");
        env.put("SWEEPER_GRACE_SECONDS", "1");
        env.put("OUTBOX_POLL_DELAY_MS", "200");
        env.put("S3_BUCKET", bucket);
        env.put("AWS_ACCESS_KEY_ID", EmbeddedS3.IDENTITY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.CREDENTIAL);
        env.put("AUTO_CORRECTION_DELAY_SECONDS", "1");
        env.put("CORRECTION_POLL_DELAY_MS", "200");
        env.put("CORRECTION_REDRIVE_INTERVAL_MS", "1000");
        env.put("CORRECTION_RETRY_BASE_SECONDS", "1");
        env.put("MAX_DELETIONS_PER_HOUR", "100000");
        env.put("EMBEDDED", "false");
        env.put("DATA_DIR", "target/data-" + AppTestSupport.schema + "-" + id);
        return env;
    }

    /** Waits until instance {@code i} answers its health check, and checks it is still running. */
    public void awaitHealthy(int i) {
        await("instance " + ids[i] + " up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> AppTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[i] + "/observe/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        assertThat(nodes[i].isAlive()).as(ids[i] + " alive").isTrue();
    }

    /** Starts every instance under {@code ids}, then waits until all are healthy. */
    public void startAll(String... instanceIds) throws IOException {
        for (int i = 0; i < COUNT; i++) {
            start(i, instanceIds[i]);
        }
        for (int i = 0; i < COUNT; i++) {
            awaitHealthy(i);
        }
    }

    /** Posts a JSON array of events to instance {@code i}'s intake; an instance that is down throws IOException. */
    public HttpResponse<String> postEvents(int i, String body) throws IOException, InterruptedException {
        return AppTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[i] + "/api/events"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + AppTestSupport.INTAKE_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public FlakySmtp mail() {
        return mail;
    }

    public CountingS3 s3() {
        return s3;
    }

    public Process process(int i) {
        return nodes[i];
    }

    public String id(int i) {
        return ids[i];
    }

    public File logFile(String id) {
        return new File("target/" + name + "-" + AppTestSupport.schema + "-" + id + ".log");
    }

    /** Kills every instance still running (SIGKILL), then stops the SMTP server and S3. */
    @Override
    public void close() throws Exception {
        for (Process p : nodes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        mail.close();
        s3.close();
    }

    /** Whether the digest of {@code batchId} is recorded as sent. */
    public static boolean recordedSent(String batchId) {
        try {
            return "sent".equals(AppTestSupport.value("SELECT send_status FROM email_notification_log WHERE batch_id = ?::uuid", batchId));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long seconds(long since) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
    }
}
