import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestPostgres;
import org.apache.camel.test.AvailablePortFinder;

/**
 * Many workers, one event each (issue #24): wrk posts single events with the intake token at 1, 8, 64, 256 and 1,024
 * connections against the bundle (in this JVM, fresh schema, digests mailed to GreenMail; 100 users, batches of 50),
 * once with every request filed alone (INTAKE_GROUP_WINDOW_MS=0, as before group commit) and once with group commit
 * (the default window, or BENCH_WINDOW_MS); then 8 connections posting arrays of 50 for reference. Per step: events
 * filed per second (rows in file_events, counted by PostgreSQL), wrk's p50/p99, errors, and this JVM's CPU per 1,000
 * events. Each configuration runs `rounds` times; the summary gives medians.
 */
public class GroupCommitBenchmark {

    private static final String TOKEN = "bench-intake-token-5e7d";
    private static final Pattern RESULT = Pattern.compile("RESULT requests=(\\d+) duration_us=(\\d+) non2xx=(\\d+) socket_errors=(\\d+) "
            + "timeouts=(\\d+) p50_us=(\\d+) p99_us=(\\d+) max_us=(\\d+)");

    record Step(String mode, String load, double eventsPerSecond, long requests, long non2xx, long errors, double p50Ms,
                double p99Ms, double cpuMsPer1000, long filed, long accepted) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] connections = Arrays.stream((args.length > 2 ? args[2] : "1,8,64,256,1024").split(",")).mapToInt(Integer::parseInt).toArray();
        String window = System.getenv().getOrDefault("BENCH_WINDOW_MS", "");
        try (Connection c = TestPostgres.connect(null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            rs.next();
            System.out.printf("PostgreSQL %s, fsync=%s, synchronous_commit=%s; %d s per step, %d rounds%n", TestPostgres.url(),
                    rs.getString(1), rs.getString(2), seconds, rounds);
        }
        Map<String, List<Step>> byKey = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String mode : List.of("alone", "group")) {
                for (Step step : run(mode, mode.equals("alone") ? "0" : window, seconds, connections, round)) {
                    System.out.printf("round %d %-5s %-14s %7.0f events/s  p50 %7.1f ms  p99 %7.1f ms  non-2xx %d  errors %d  "
                                    + "CPU %5.0f ms/1000  (202: %d events, filed: %d)%n", round, step.mode, step.load,
                            step.eventsPerSecond, step.p50Ms, step.p99Ms, step.non2xx, step.errors, step.cpuMsPer1000,
                            step.accepted, step.filed);
                    byKey.computeIfAbsent(step.mode + " " + step.load, k -> new ArrayList<>()).add(step);
                }
            }
        }
        System.out.println();
        System.out.println("| load | each request alone: events/s | p99 | group commit: events/s | p99 | ratio |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String load : byKey.keySet().stream().filter(k -> k.startsWith("alone ")).map(k -> k.substring(6)).toList()) {
            List<Step> alone = byKey.get("alone " + load);
            List<Step> group = byKey.get("group " + load);
            double a = median(alone.stream().mapToDouble(Step::eventsPerSecond).toArray());
            double g = median(group.stream().mapToDouble(Step::eventsPerSecond).toArray());
            System.out.printf("| %s | %,.0f | %.0f ms | %,.0f | %.0f ms | %.2f × |%n", load, a,
                    median(alone.stream().mapToDouble(Step::p99Ms).toArray()), g,
                    median(group.stream().mapToDouble(Step::p99Ms).toArray()), g / a);
        }
    }

    static List<Step> run(String mode, String window, int seconds, int[] connections, int round) throws Exception {
        String schema = TestPostgres.newSchema();
        int smtpPort = AvailablePortFinder.getNextAvailable();
        int httpPort = AvailablePortFinder.getNextAvailable();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> p = new HashMap<>();
        p.put("ingest-notify.db.url", TestPostgres.url());
        p.put("ingest-notify.db.schema", schema);
        p.put("ingest-notify.metadata.source", "sql");
        p.put("ingest-notify.smtp.server", "127.0.0.1");
        p.put("ingest-notify.smtp.port", String.valueOf(smtpPort));
        p.put("ingest-notify.smtp.starttls", "false");
        p.put("ingest-notify.http.port", String.valueOf(httpPort));
        p.put("ingest-notify.intake.token", TOKEN);
        p.put("ingest-notify.default.batch.size.threshold", "50");
        p.put("ingest-notify.data.dir", "target/bench-data");
        p.put("ingest-notify.embedded.enabled", "false");
        if (!window.isEmpty()) {
            p.put("ingest-notify.intake.group.window.ms", window);
        }
        List<Step> steps = new ArrayList<>();
        try (RunningApp app = new RunningApp(p)) {
            String url = "http://127.0.0.1:" + httpPort + "/api/events";
            awaitUp(url);
            // Idle cost: the aggregator's timeout checker ticks every millisecond while group commit is on.
            Thread.sleep(3000);
            long idleCpu = cpuNanos();
            Thread.sleep(10_000);
            System.out.printf("round %d %-5s idle: %.1f ms of CPU per second%n", round, mode, (cpuNanos() - idleCpu) / 1e6 / 10);
            if (System.getenv().containsKey("BENCH_IDLE_ONLY")) {
                return steps;
            }
            // Untimed warm-up: the JIT compiles the request path before the first timed step.
            wrk(url, 64, Math.max(5, seconds / 2), 1, mode + "-warm-" + round);
            for (int c : connections) {
                steps.add(step(schema, url, mode, c + " conn", c, seconds, 1, mode + "-" + c + "-" + round));
            }
            steps.add(step(schema, url, mode, "8 conn × 50", 8, seconds, 50, mode + "-arrays-" + round));
        } finally {
            smtp.stop();
            TestPostgres.dropSchema(schema);
        }
        return steps;
    }

    static Step step(String schema, String url, String mode, String load, int connections, int seconds, int eventsPer, String runId)
            throws Exception {
        long before = filed(schema);
        long cpuBefore = cpuNanos();
        Matcher m = wrk(url, connections, seconds, eventsPer, runId);
        long cpu = cpuNanos() - cpuBefore;
        long filed = filed(schema) - before;
        long requests = Long.parseLong(m.group(1));
        long non2xx = Long.parseLong(m.group(3));
        long accepted = (requests - non2xx) * eventsPer;
        double durationS = Long.parseLong(m.group(2)) / 1e6;
        return new Step(mode, load, filed / durationS, requests, non2xx, Long.parseLong(m.group(4)) + Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6)) / 1000.0, Long.parseLong(m.group(7)) / 1000.0, filed == 0 ? 0 : cpu / 1e6 / (filed / 1000.0),
                filed, accepted);
    }

    static Matcher wrk(String url, int connections, int seconds, int eventsPer, String runId) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("wrk", "-t", String.valueOf(Math.min(2, connections)), "-c", String.valueOf(connections),
                "-d", seconds + "s", "--timeout", "30s", "-s", "bench/post-events.lua", url);
        pb.environment().put("EVENTS_PER_REQUEST", String.valueOf(eventsPer));
        pb.environment().put("INTAKE_TOKEN", TOKEN);
        pb.environment().put("RUN_ID", runId);
        pb.environment().put("USERS", "100");
        pb.redirectErrorStream(true);
        Process wrk = pb.start();
        String out = new String(wrk.getInputStream().readAllBytes());
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        Matcher m = RESULT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no RESULT line from wrk: " + out);
        }
        return m;
    }

    static long filed(String schema) throws Exception {
        try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM file_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static void awaitUp(String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI health = URI.create(url.replace("/api/events", "/observe/health"));
        for (int i = 0; i < 600; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the bundle did not come up at " + health);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
