import io.ingestnotify.notification.BatchDigest;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.AvailablePortFinder;

/**
 * A digest's cost by batch size (bench/digest.sh [sizes...], default 10 1000 10000): one batch per size (12% failures
 * in three categories), completed and mailed through the real flow (PostgreSQL, GreenMail); then the mail's size
 * on the wire, and the render time (BatchDigest.load + both FreeMarker templates, as route notify-batch does them),
 * median and max of 15 rounds after 5 warm-up rounds.
 */
public class DigestBenchmark {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {10, 1_000, 10_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int httpPort = AvailablePortFinder.getNextAvailable();
        Map<String, String> p = new HashMap<>(Map.of("ingest-notify.db.url", TestPostgres.url(), "ingest-notify.db.schema", schema,
                "ingest-notify.metadata.source", "sql", "ingest-notify.smtp.server", "127.0.0.1",
                "ingest-notify.smtp.port", String.valueOf(smtpPort), "ingest-notify.smtp.starttls", "false",
                "ingest-notify.http.port", String.valueOf(httpPort), "ingest-notify.intake.token", "bench-intake-token",
                "ingest-notify.data.dir", "target/bench-data", "ingest-notify.embedded.enabled", "false"));
        p.put("ingest-notify.ops.token", "bench-ops-token");
        p.put("ingest-notify.notification.delay.unit", "SECONDS");
        p.put("ingest-notify.default.notification.delay.minutes", "3");
        p.put("ingest-notify.default.batch.size.threshold", "100");
        RunningApp app = new RunningApp(p);
        try (Connection c = TestPostgres.connect(schema)) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT version()")) {
                rs.next();
                System.out.printf("%s; %d cores; DIGEST_MAX_LISTED_FILES=50%n", rs.getString(1).replaceAll(" on .*", ""),
                        Runtime.getRuntime().availableProcessors());
            }
            List<String> batches = new ArrayList<>();
            for (int size : sizes) {
                String user = "bench-" + size + "@bench.example";
                post(httpPort, "{\"event_id\":\"first-" + size + "\",\"file_document_id\":\"d" + size + "-0\",\"status\":\"success\","
                        + "\"user_email\":\"" + user + "\",\"company_id\":1,\"bot_id\":1,\"file_name\":\"f0.pdf\",\"chunks_created\":4}");
                String batch;
                try (PreparedStatement ps = c.prepareStatement("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = ?")) {
                    ps.setString(1, user);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        batch = rs.getString(1);
                    }
                }
                int failed = (int) Math.round((size - 1) * 0.12);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_files (batch_id, file_document_id, file_name, "
                        + "processing_status, processing_time_seconds, chunks_created, error_message, error_category) "
                        + "SELECT ?::uuid, 'd-' || g, 'quarterly-report-' || g || '.pdf', CASE WHEN g <= ? THEN 'failed' ELSE 'success' END, 2, "
                        + "CASE WHEN g <= ? THEN 0 ELSE 5 END, CASE WHEN g <= ? THEN 'Processing failed: parser crashed on page ' || g END, "
                        + "CASE WHEN g <= ? THEN (ARRAY['processing_error','s3_error','timeout'])[1 + g % 3] END FROM generate_series(1, ?) g")) {
                    ps.setString(1, batch);
                    for (int i = 2; i <= 5; i++) {
                        ps.setInt(i, failed);
                    }
                    ps.setInt(6, size - 1);
                    ps.execute();
                }
                batches.add(batch);
            }
            for (int i = 0; i < sizes.length; i++) {
                String user = "bench-" + sizes[i] + "@bench.example";
                MimeMessage mail = awaitMail(smtp, user);
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                mail.writeTo(raw);
                System.out.printf("%,7d files: mail %,d bytes on the wire (%s)%n", sizes[i], raw.size(), mail.getSubject());
            }
            BatchDigest digest = app.bean("ingestNotifyBatchDigest", BatchDigest.class);
            ProducerTemplate templates = app.context().createProducerTemplate();
            for (int i = 0; i < sizes.length; i++) {
                long[] times = new long[15];
                for (int round = -5; round < times.length; round++) {
                    long t0 = System.nanoTime();
                    Map<String, Object> model = digest.load(batches.get(i));
                    templates.requestBody("freemarker:batch-completion.txt.ftl?configuration=#ingestNotifyDigestTemplates", model, String.class);
                    templates.requestBody("freemarker:batch-completion.html.ftl?configuration=#ingestNotifyDigestTemplates", model, String.class);
                    if (round >= 0) {
                        times[round] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(times);
                System.out.printf("%,7d files: render (load + text + html) median %.1f ms, max %.1f ms%n", sizes[i],
                        times[times.length / 2] / 1e6, times[times.length - 1] / 1e6);
            }
        } finally {
            app.close();
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
        System.exit(0);
    }

    static void post(int port, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                .header("Authorization", "Bearer bench-intake-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
    }

    static MimeMessage awaitMail(GreenMail smtp, String user) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getAllRecipients()[0].toString().equalsIgnoreCase(user)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no digest for " + user);
    }
}
