import io.ingestnotify.Application;
import io.ingestnotify.support.TestPostgres;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.apache.camel.test.AvailablePortFinder;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Several instances (separate JVMs, as deployed) on one PostgreSQL:
 *   scale [events] [users]          events/s with 1, 2 and 3 instances: half the events through the outbox, half
 *                                   over HTTP (arrays of 50, 4 clients spread across the instances)
 *   soak [minutes] [rate] [n]       a steady load of rate events/s (half outbox, half HTTP) on n instances, sampling
 *                                   every minute each instance's heap, the database connections, open batches, the
 *                                   backlog and ERROR lines
 * Each run works in a fresh schema of the tests' database; mails go to one GreenMail server.
 */
public class MultiInstanceBenchmark {

    static final String TOKEN = "bench-intake-token";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String schema;
    static String appName;
    static int smtpPort;
    static final List<Process> nodes = new ArrayList<>();
    static final List<Integer> ports = new ArrayList<>();
    static final List<File> logs = new ArrayList<>();
    static final AtomicLong sequence = new AtomicLong();
    static GreenMail mail;

    public static void main(String[] args) throws Exception {
        try {
            benchmark(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // the HTTP client's and GreenMail's threads would keep the JVM alive
        }
        System.exit(0);
    }

    static void benchmark(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "scale";
        smtpPort = AvailablePortFinder.getNextAvailable();
        mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(MultiInstanceBenchmark::stopNodes));
        try {
            if (mode.equals("soak")) {
                soak(arg(args, 1, 30), arg(args, 2, 500), arg(args, 3, 3));
            } else {
                int events = arg(args, 1, 20_000);
                int users = arg(args, 2, 100);
                System.out.printf("%d events from %d users per run, half outbox, half HTTP; %s%n", events, users, postgres());
                for (int n = 1; n <= 3; n++) {
                    startNodes(n);
                    run(5_000 * n, users); // warm-up, untimed: the same share for each instance's JIT
                    double rate = run(events, users);
                    mail.purgeEmailFromAllMailboxes();
                    System.out.printf("%d instance(s): %8.0f events/s%n", n, rate);
                    stopNodes();
                }
            }
        } finally {
            stopNodes();
            mail.stop();
        }
    }

    static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    static String postgres() throws Exception {
        try (Connection c = TestPostgres.connect(null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            rs.next();
            return "PostgreSQL " + TestPostgres.url() + " fsync=" + rs.getString(1) + " synchronous_commit=" + rs.getString(2);
        }
    }

    static void startNodes(int n) throws Exception {
        schema = TestPostgres.newSchema();
        appName = "bench-" + schema;
        for (int i = 0; i < n; i++) {
            int port = AvailablePortFinder.getNextAvailable();
            File log = new File("target/bench-multi-" + schema + "-node-" + (i + 1) + ".log");
            ProcessBuilder pb = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), Application.class.getName());
            Map<String, String> env = pb.environment();
            env.put("INSTANCE_ID", "bench-node-" + (i + 1));
            String url = TestPostgres.url();
            env.put("DB_URL", url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + appName);
            env.put("DB_SCHEMA", schema);
            env.put("SMTP_SERVER", "127.0.0.1");
            env.put("SMTP_PORT", String.valueOf(smtpPort));
            env.put("SMTP_STARTTLS", "false");
            env.put("HTTP_PORT", String.valueOf(port));
            env.put("INTAKE_TOKEN", TOKEN);
            env.put("EMBEDDED", "false");
            env.put("NOTIFICATION_DELAY_UNIT", "SECONDS");
            env.put("DEFAULT_NOTIFICATION_DELAY_MINUTES", "5");
            env.put("DEFAULT_BATCH_SIZE_THRESHOLD", "20");
            env.put("OUTBOX_POLL_DELAY_MS", "100");
            env.put("SWEEPER_INTERVAL_MS", "5000");
            env.put("DATA_DIR", "target/bench-data-" + schema + "-" + i);
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            nodes.add(pb.start());
            ports.add(port);
            logs.add(log);
        }
        for (int port : ports) {
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).GET().build();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            } catch (ConditionTimeoutException e) {
                throw new IllegalStateException("instance on port " + port + " did not start; see target/bench-multi-*.log");
            }
        }
    }

    static void stopNodes() {
        for (Process p : nodes) {
            p.destroy();
        }
        for (Process p : nodes) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
        }
        nodes.clear();
        ports.clear();
        logs.clear();
    }

    /** Sends events (half outbox, half HTTP) and waits until all are filed; events/s from first send to last filed. */
    static double run(int events, int users) throws Exception {
        long before = filed();
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = send(events, users, clients);
        for (Future<?> f : sent) {
            f.get();
        }
        clients.shutdown();
        Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(50)).until(() -> filed() >= before + events);
        return events / ((System.nanoTime() - start) / 1e9);
    }

    static List<Future<?>> send(int events, int users, ExecutorService clients) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        List<String> http = new ArrayList<>();
        try (Connection c = TestPostgres.connect(schema); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name) "
                        + "VALUES (?, ?, 'success', ?, 1, 2, ?)")) {
            for (int i = 0; i < events; i++) {
                long id = sequence.incrementAndGet();
                String user = "bench-" + (id % users) + "@example.com";
                if (i % 2 == 0) {
                    http.add("{\"event_id\":\"b-" + id + "\",\"file_document_id\":\"d-" + id + "\",\"status\":\"success\","
                            + "\"user_email\":\"" + user + "\",\"company_id\":1,\"bot_id\":2,\"file_name\":\"f" + id + ".pdf\"}");
                } else {
                    ps.setString(1, "b-" + id);
                    ps.setString(2, "d-" + id);
                    ps.setString(3, user);
                    ps.setString(4, "f" + id + ".pdf");
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        AtomicInteger next = new AtomicInteger();
        for (int i = 0; i < http.size(); i += 50) {
            String body = "[" + String.join(",", http.subList(i, Math.min(http.size(), i + 50))) + "]";
            sent.add(clients.submit(() -> {
                int port = ports.get(next.getAndIncrement() % ports.size());
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                }
                return null;
            }));
        }
        return sent;
    }

    static long filed() throws Exception {
        return query("SELECT count(*) FROM file_events WHERE processed_at IS NOT NULL");
    }

    static long query(String sql) throws Exception {
        try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A steady load: every second rate events (half outbox, half HTTP); a sample of every instance each minute. */
    static void soak(int minutes, int rate, int n) throws Exception {
        System.out.printf("soak: %d instance(s), %d events/s for %d min; %s%n", n, rate, minutes, postgres());
        startNodes(n);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        System.out.println("minute | sent | filed | backlog | open batches | digests sent | mails received this minute | db connections "
                + "| heap used MB per instance (old gen MB) | ERROR lines");
        long start = System.nanoTime();
        long sent = 0;
        long lastSample = start;
        long behind = 0;
        for (int second = 1; second <= minutes * 60; second++) {
            // 97 users: batches do not all fill on the same tick, so some are always open
            List<Future<?>> batch = send(rate, 97, clients);
            sent += rate;
            for (Future<?> f : batch) {
                f.get();
            }
            long target = start + TimeUnit.SECONDS.toNanos(second);
            long wait = target - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing of the load generator
            } else {
                behind++;
            }
            if (second % 60 == 0) {
                sample(second / 60, sent);
                lastSample = System.nanoTime();
            }
        }
        clients.shutdown();
        System.out.printf("seconds the load generator fell behind its pace: %d%n", behind);
        long total = sent;
        try {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> filed() >= total);
        } catch (ConditionTimeoutException late) {
            // the last sample says how many were left
        }
        sample(-1, sent);
    }

    static void sample(int minute, long sent) throws Exception {
        long mails = mail.getReceivedMessages().length;
        mail.purgeEmailFromAllMailboxes(); // the server keeps every mail in memory: counted and dropped
        StringBuilder heap = new StringBuilder();
        for (Process p : nodes) {
            long[] h = heap(p.pid());
            heap.append(heap.length() == 0 ? "" : ", ").append(h[0]).append(" (").append(h[1]).append(")");
        }
        long errors = 0;
        for (File log : logs) {
            errors += Files.readAllLines(log.toPath()).stream().filter(l -> l.contains(" ERROR ")).count();
        }
        long filed = filed();
        System.out.printf("%s | %d | %d | %d | %d | %d | %d | %d | %s | %d%n", minute < 0 ? "end" : String.valueOf(minute), sent, filed,
                sent - filed, query("SELECT count(*) FROM batch_processing_sessions WHERE status = 'processing'"),
                query("SELECT count(*) FROM email_notification_log WHERE send_status = 'sent'"), mails,
                query("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + appName + "'"), heap, errors);
    }

    /** Heap used and old generation used (MB) of a JVM, from jstat. */
    static long[] heap(long pid) throws Exception {
        Process jstat = new ProcessBuilder("jstat", "-gc", String.valueOf(pid)).redirectErrorStream(true).start();
        List<String> out = new String(jstat.getInputStream().readAllBytes()).lines().toList();
        jstat.waitFor();
        if (out.size() < 2) {
            return new long[] {-1, -1};
        }
        String[] names = out.get(0).trim().split("\\s+");
        String[] values = out.get(1).trim().split("\\s+");
        double used = 0;
        double old = 0;
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU") || names[i].equals("OU")) {
                used += Double.parseDouble(values[i]);
            }
            if (names[i].equals("OU")) {
                old = Double.parseDouble(values[i]);
            }
        }
        return new long[] {Math.round(used / 1024), Math.round(old / 1024)};
    }
}
