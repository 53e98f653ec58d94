package io.ingestnotify.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the suite's Node.js servers (Chroma, Strapi, Directus) share: their npm project under src/test, a free port, a
 * fresh data folder, output appended to {@code target/<name>-<port>.log}, starting and waiting until up, stopping the
 * process tree, and JSON requests. What differs (command, environment, the answer that says "up") is the caller's.
 */
public final class NodeServer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String name;
    private final Path dir;
    private final int port;
    private final Path data;
    private final Path log;
    private final HttpClient http;
    private Process process;

    /** A server named {@code name} (its npm project is {@code src/test/<name in lower case>}); nothing started yet. */
    NodeServer(String name, Duration connectTimeout) throws IOException {
        String key = name.toLowerCase(Locale.ROOT);
        this.name = name;
        this.dir = dir(key);
        this.port = freePort();
        this.data = Files.createTempDirectory(key + "-data-");
        Path target = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("target");
        Files.createDirectories(target);
        this.log = target.resolve(key + "-" + port + ".log");
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    /** The npm project of a test server, e.g. {@code src/test/chroma}. */
    static Path dir(String name) {
        return Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("src/test").resolve(name);
    }

    /** True when {@code node} is on the PATH and the npm project {@code name} has {@code file} installed. */
    static boolean installed(String name, String file) {
        return nodeOnPath() && Files.isRegularFile(dir(name).resolve(file));
    }

    private static boolean nodeOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Paths.get(d, "node"))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    Path data() {
        return data;
    }

    Path log() {
        return log;
    }

    /** A process in the npm project, output appended to the log, with {@code env} added to this JVM's. */
    ProcessBuilder builder(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return pb;
    }

    /**
     * Starts the server; returns once {@code up} holds (polled every {@code poll}). Fails at once if its process
     * exits, and after {@code timeout} stops it and fails naming its log.
     */
    synchronized void start(List<String> command, Map<String, String> env, Duration timeout, Duration poll,
                            Callable<Boolean> up) throws IOException {
        Process started = builder(command, env).start();
        process = started;
        try {
            Awaitility.await().atMost(timeout).pollInterval(poll).until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + started.exitValue() + ", see " + log);
                }
                return up.call();
            });
        } catch (ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException(name + " not up on " + url() + " within " + timeout + ", see " + log);
        }
    }

    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Ends the process tree (node starts children): politely, then forcibly; waits until all are gone. */
    synchronized void stop() {
        if (process != null) {
            stopTree(process);
            process = null;
        }
    }

    /** Ends the process tree forcibly without waiting (for a shutdown hook). */
    synchronized void kill() {
        if (process != null) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Deletes the data folder, best effort: a temp folder left behind is harmless. */
    void deleteData() {
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static void stopTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : tree) {
                h.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a child that will not die is reported by the next start (port in use)
        }
    }

    /** True when a GET of {@code path} answers a status {@code ok} accepts within {@code timeout}. */
    boolean answers(String path, Duration timeout, IntPredicate ok) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url() + path)).timeout(timeout).GET().build();
            return ok.test(http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A status and a body read as JSON. */
    public record Answer(int status, JsonNode body) {
    }

    /** A JSON request (with a bearer token unless {@code token} is null); the answer as it came. */
    HttpResponse<String> request(String method, String path, String token, Object body, Duration timeout) {
        try {
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(timeout)
                    .header("Content-Type", "application/json");
            if (token != null) {
                rb.header("Authorization", "Bearer " + token);
            }
            rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
            return http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #request} with 30 s, the body read as JSON (a JSON null for an empty or non-JSON body). */
    Answer send(String method, String path, String token, Object body) {
        HttpResponse<String> r = request(method, path, token, body, Duration.ofSeconds(30));
        return new Answer(r.statusCode(), json(r.body()));
    }

    static JsonNode json(String text) {
        try {
            return text.isBlank() ? MAPPER.nullNode() : MAPPER.readTree(text);
        } catch (IOException e) {
            return MAPPER.nullNode();
        }
    }
}
