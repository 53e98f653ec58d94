/*
 * Directus 10.13.4 (src/test/directus, installed by `npm ci`; collections made by the shipped cms/directus/setup.mjs)
 * answers, checked with curl (bundle token: the role setup.mjs makes):
 *
 *   GET    /server/health                                   200 {"status":"ok"}
 *   GET    /items/ingest_notify_files/{id}                  200 {"data":{…}}; unknown id: 403
 *                                                           {"errors":[{"message":"You don't have permission to access this.","extensions":{"code":"FORBIDDEN"}}]}
 *   GET    /items/ingest_notify_files?filter={"id":{"_in":[…]}}  200 {"data":[…the known ones…]}
 *   PATCH  /items/ingest_notify_files/{id}                  200; unknown id 403 FORBIDDEN; a field without permission 403
 *   DELETE /items/ingest_notify_files/{id}                  204; unknown id (or deleted before) 403 FORBIDDEN
 *   any    /items/ingest_notify_filez…  (no such collection) 403 FORBIDDEN
 *   GET    /wrong/items/…                                   404 {"errors":[{"message":"Route /wrong/items/… doesn't exist.","extensions":{…,"code":"ROUTE_NOT_FOUND"}}]}
 *   wrong token 401 INVALID_CREDENTIALS "Invalid user credentials."; no token: 403 FORBIDDEN
 *
 * bootstrap (SQLite schema, admin user) ~4 s, start ~2 s on an idle machine.
 */
package io.ingestnotify.support;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.ingestnotify.support.NodeServer.Answer;

/**
 * A real Directus 10 as a child process on a free port, SQLite in a fresh temp folder, an admin with a fixed static
 * token ({@link #ADMIN_TOKEN}, to seed), the collections, role and user of cms/directus/setup.mjs (run as shipped,
 * {@link #BUNDLE_TOKEN}) and a user who may only read files ({@link #READ_ONLY_TOKEN}). One server per test JVM
 * ({@link #shared()}), ended by a shutdown hook; tests keep apart by their own ids. Output goes to
 * {@code target/directus-<port>.log}.
 */
public final class DirectusServer implements TestCms {

    public static final String ADMIN_TOKEN = "test-directus-admin-1f3a";
    public static final String BUNDLE_TOKEN = "test-directus-ingest-notify-5b7e";
    public static final String READ_ONLY_TOKEN = "test-directus-read-only-c2d9";
    public static final String FILES = "/items/ingest_notify_files";
    public static final String PREFERENCES = "/items/ingest_notify_preferences";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static DirectusServer shared;

    private final NodeServer server;
    /** How long bootstrap and start took (README, CI time). */
    private long bootstrapMillis;
    private long startMillis;

    public static synchronized DirectusServer shared() throws IOException {
        if (shared == null) {
            DirectusServer s = new DirectusServer();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "directus-shutdown"));
            s.start();
            shared = s;
        }
        return shared;
    }

    /** True when {@code node} is on the PATH and {@code npm ci} has installed Directus in src/test/directus. */
    public static boolean available() {
        return NodeServer.installed("directus", "node_modules/directus/cli.js");
    }

    private DirectusServer() throws IOException {
        this.server = new NodeServer("Directus", Duration.ofSeconds(5));
    }

    public String kind() {
        return "directus";
    }

    public String url() {
        return server.url();
    }

    public String bundleToken() {
        return BUNDLE_TOKEN;
    }

    public String readOnlyToken() {
        return READ_ONLY_TOKEN;
    }

    public String wrongFilesPath() {
        return "/items/ingest_notify_filez";
    }

    public long bootstrapMillis() {
        return bootstrapMillis;
    }

    public long startMillis() {
        return startMillis;
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", Integer.toString(server.port()));
        env.put("PUBLIC_URL", url());
        env.put("DB_CLIENT", "sqlite3");
        env.put("DB_FILENAME", server.data().resolve("data.db").toString());
        // Fixed secrets: test data only.
        env.put("KEY", "test-directus-key-7c1f");
        env.put("SECRET", "test-directus-secret-0e42");
        env.put("ADMIN_EMAIL", "admin@example.com");
        env.put("ADMIN_PASSWORD", "test-admin-password-91");
        env.put("ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("TELEMETRY", "false");
        env.put("LOG_LEVEL", "warn");
        env.put("CACHE_ENABLED", "false");
        env.put("STORAGE_LOCAL_ROOT", server.data().resolve("uploads").toString());
        env.put("EXTENSIONS_PATH", server.data().resolve("extensions").toString());
        return env;
    }

    private synchronized void start() throws IOException {
        long t0 = System.nanoTime();
        run("bootstrap", List.of("node", "node_modules/directus/cli.js", "bootstrap"), Map.of());
        bootstrapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long t1 = System.nanoTime();
        server.start(List.of("node", "node_modules/directus/cli.js", "start"), env(), START_TIMEOUT, Duration.ofMillis(250),
                () -> server.answers("/server/health", Duration.ofSeconds(5), s -> s == 200));
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        // The shipped set-up script, as a user would run it.
        Path setup = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("cms/directus/setup.mjs");
        run("setup.mjs", List.of("node", setup.toString()),
                Map.of("DIRECTUS_URL", url(), "DIRECTUS_ADMIN_TOKEN", ADMIN_TOKEN, "INGEST_NOTIFY_TOKEN", BUNDLE_TOKEN));
        readOnlyUser();
        System.out.printf("Directus up on %s: bootstrap %d ms, start %d ms%n", url(), bootstrapMillis, startMillis);
    }

    /** Runs a node command to its end in the Directus project, with the server's environment and {@code extra}. */
    private void run(String what, List<String> command, Map<String, String> extra) throws IOException {
        ProcessBuilder pb = server.builder(command, env());
        pb.environment().putAll(extra);
        Process p = pb.start();
        try {
            if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                NodeServer.stopTree(p);
                throw new IllegalStateException("Directus " + what + " failed, see " + server.log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A role that may read the files collection and nothing else, and a user of it with a static token. */
    private void readOnlyUser() {
        JsonNode role = send("POST", "/roles", ADMIN_TOKEN, Map.of("name", "test-read-only", "admin_access", false, "app_access", false))
                .body().path("data");
        send("POST", "/permissions", ADMIN_TOKEN, Map.of("role", role.path("id").asText(), "collection", "ingest_notify_files",
                "action", "read", "fields", List.of("*"), "permissions", Map.of()));
        Answer a = send("POST", "/users", ADMIN_TOKEN, Map.of("first_name", "read-only", "role", role.path("id").asText(),
                "status", "active", "token", READ_ONLY_TOKEN));
        if (a.status() != 200) {
            throw new IllegalStateException("Directus refused the read-only user: " + a.status() + " " + a.body());
        }
    }

    private synchronized void stop() {
        server.stop();
        server.deleteData();
    }

    // ---- seeding and reading, with the admin token ----

    /** Creates a file record; returns its id (the document id). */
    public String createFile(String name, String storageKey, int company, int bot) {
        String id = "dx-" + UUID.randomUUID();
        Map<String, Object> data = new HashMap<>();
        data.put("id", id);
        data.put("name", name);
        data.put("storage_key", storageKey);
        data.put("company_id", company);
        data.put("bot_id", bot);
        Answer a = send("POST", FILES, ADMIN_TOKEN, data);
        if (a.status() != 200) {
            throw new IllegalStateException("Directus refused the file: " + a.status() + " " + a.body());
        }
        return id;
    }

    public void createPreference(int company, int bot, String email, int threshold, int delay, String format,
                                 boolean enabled, boolean success, boolean errors) {
        Answer a = send("POST", PREFERENCES, ADMIN_TOKEN,
                TestCms.preference(company, bot, email, threshold, delay, format, enabled, success, errors));
        if (a.status() != 200) {
            throw new IllegalStateException("Directus refused the preference: " + a.status() + " " + a.body());
        }
    }

    /** A file record's fields, or null when Directus has none (its 403 for an unknown id, to the admin too). */
    public JsonNode file(String id) {
        Answer a = send("GET", FILES + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8), ADMIN_TOKEN, null);
        return a.status() == 200 ? a.body().path("data") : null;
    }

    /** The user's preference records (any case of the address). */
    public JsonNode preferences(int company, int bot) {
        return send("GET", PREFERENCES + "?filter%5Bcompany_id%5D%5B_eq%5D=" + company + "&filter%5Bbot_id%5D%5B_eq%5D=" + bot,
                ADMIN_TOKEN, null).body().path("data");
    }

    public Boolean notificationsEnabled(int company, int bot, String email) {
        for (JsonNode p : preferences(company, bot)) {
            if (p.path("user_email").asText().equalsIgnoreCase(email.toLowerCase(Locale.ROOT))) {
                JsonNode v = p.path("notification_enabled");
                return v.isNumber() ? v.asInt() != 0 : v.asBoolean();
            }
        }
        return null;
    }

    public Answer send(String method, String path, String token, Object body) {
        return server.send(method, path, token, body);
    }
}
