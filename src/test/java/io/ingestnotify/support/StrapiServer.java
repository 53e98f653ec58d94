/*
 * Strapi 5.54.0 (src/test/strapi, installed by `npm ci`; the bundle's content types copied in from cms/strapi/src/api)
 * answers, checked with curl:
 *
 *   GET    /_health                                       204
 *   POST   /api/files {"data":{...}}                      201 {"data":{"id":1,"documentId":"jm7b…","name":…},"meta":{}}
 *   GET    /api/files/{documentId}                        200 {"data":{…},"meta":{}}; unknown: 404
 *                                                         {"data":null,"error":{"status":404,"name":"NotFoundError","message":"Not Found","details":{}}}
 *   PUT    /api/files/{documentId} {"data":{"nope":true}} 400 {"data":null,"error":{"status":400,"name":"ValidationError","message":"Invalid key nope",…}}
 *   DELETE /api/files/{documentId}                        204, for a record that does not exist too
 *   DELETE /api/filez/{documentId} (no such route)        405 "Method Not Allowed" (text)
 *   GET    /api/user-notification-preferences/by-user/1/2/ana%40EXAMPLE.com
 *                                                         200 {"data":{…the record…}} (no meta); unknown user: the defaults
 *   no token 403, wrong token 401 {"error":{"name":"UnauthorizedError","message":"Missing or invalid credentials"}},
 *   read-only token 403 {"error":{"name":"ForbiddenError","message":"Forbidden"}} on by-user, PUT and DELETE.
 *
 * Up in ~10 s on an idle machine, ~260 MB resident.
 */
package io.ingestnotify.support;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.ingestnotify.support.NodeServer.Answer;

/**
 * A real Strapi 5 as a child process on a free port, SQLite in a fresh temp file, with fixed API tokens (created in
 * the test app's bootstrap): {@link #FULL_TOKEN} to seed, {@link #BUNDLE_TOKEN} with exactly the permissions
 * cms/strapi/README.md lists, {@link #READ_ONLY_TOKEN}. One server per test JVM ({@link #shared()}), ended by a
 * shutdown hook (its whole process tree); tests keep apart by their own company ids and emails. Output goes to
 * {@code target/strapi-<port>.log}.
 */
public final class StrapiServer implements TestCms {

    public static final String FULL_TOKEN = "test-strapi-full-access-4b1d";
    public static final String BUNDLE_TOKEN = "test-strapi-ingest-notify-9c2e";
    public static final String READ_ONLY_TOKEN = "test-strapi-read-only-77a0";

    /** Generous: the machine may be busy; an idle start takes ~10 s. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static StrapiServer shared;

    private final NodeServer server;

    /** The JVM's one Strapi, started on first use. */
    public static synchronized StrapiServer shared() throws IOException {
        if (shared == null) {
            StrapiServer s = new StrapiServer();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "strapi-shutdown"));
            s.start();
            shared = s;
        }
        return shared;
    }

    /** True when {@code node} is on the PATH and {@code npm ci} has installed Strapi in src/test/strapi. */
    public static boolean available() {
        return NodeServer.installed("strapi", "node_modules/@strapi/strapi/bin/strapi.js");
    }

    private StrapiServer() throws IOException {
        this.server = new NodeServer("Strapi", Duration.ofSeconds(5));
    }

    public String kind() {
        return "strapi";
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
        return "/api/filez";
    }

    private synchronized void start() throws IOException {
        copyContentTypes();
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", Integer.toString(server.port()));
        env.put("NODE_ENV", "production");
        env.put("DATABASE_FILENAME", server.data().resolve("data.db").toString());
        // Fixed secrets: test data only, nothing generated at CI time.
        env.put("APP_KEYS", "dGVzdGtleTE=,dGVzdGtleTI=");
        env.put("API_TOKEN_SALT", "dGVzdC1hcGktdG9rZW4tc2FsdA==");
        env.put("ADMIN_JWT_SECRET", "dGVzdC1hZG1pbi1qd3Q=");
        env.put("JWT_SECRET", "dGVzdC1qd3Q=");
        env.put("TRANSFER_TOKEN_SALT", "dGVzdC10cmFuc2Zlcg==");
        env.put("ENCRYPTION_KEY", "dGVzdC1lbmNyeXB0aW9uLWtleS0wMTIzNDU2Nzg5YWI=");
        env.put("STRAPI_TELEMETRY_DISABLED", "true");
        env.put("STRAPI_DISABLE_UPDATE_NOTIFICATION", "true");
        env.put("STRAPI_FULL_TOKEN", FULL_TOKEN);
        env.put("STRAPI_BUNDLE_TOKEN", BUNDLE_TOKEN);
        env.put("STRAPI_READONLY_TOKEN", READ_ONLY_TOKEN);
        server.start(List.of("node", "node_modules/@strapi/strapi/bin/strapi.js", "start"), env, START_TIMEOUT,
                Duration.ofMillis(250), () -> server.answers("/_health", Duration.ofSeconds(5), s -> s == 204 || s == 200));
    }

    /** Ends the server's process tree and deletes its data. */
    private synchronized void stop() {
        server.stop();
        server.deleteData();
    }

    /** The shipped content types (cms/strapi/src/api) into the test app's src/api, fresh each start. */
    private void copyContentTypes() throws IOException {
        Path from = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("cms/strapi/src/api");
        Path to = NodeServer.dir("strapi").resolve("src/api");
        if (Files.exists(to)) {
            try (Stream<Path> files = Files.walk(to)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    // ---- seeding and reading, with the full-access token ----

    /** Creates a file record; returns its documentId. */
    public String createFile(String name, String storageKey, int company, int bot) {
        Map<String, Object> data = new HashMap<>();
        data.put("name", name);
        data.put("storage_key", storageKey);
        data.put("company_id", company);
        data.put("bot_id", bot);
        return send("POST", "/api/files", FULL_TOKEN, Map.of("data", data)).body().path("data").path("documentId").asText();
    }

    /** Creates a user's preference record. */
    public void createPreference(int company, int bot, String email, int threshold, int delay, String format,
                                 boolean enabled, boolean success, boolean errors) {
        Answer a = send("POST", "/api/user-notification-preferences", FULL_TOKEN, Map.of("data",
                TestCms.preference(company, bot, email, threshold, delay, format, enabled, success, errors)));
        if (a.status() != 201) {
            throw new IllegalStateException("Strapi refused the preference: " + a.status() + " " + a.body());
        }
    }

    /** GET of a file record: its status and body. */
    public Answer fileAnswer(String documentId) {
        return send("GET", "/api/files/" + URLEncoder.encode(documentId, StandardCharsets.UTF_8), FULL_TOKEN, null);
    }

    public JsonNode file(String documentId) {
        Answer a = fileAnswer(documentId);
        return a.status() == 200 ? a.body().path("data") : null;
    }

    public Boolean notificationsEnabled(int company, int bot, String email) {
        JsonNode data = send("GET", "/api/user-notification-preferences/by-user/" + company + "/" + bot + "/"
                + email.replace("@", "%40"), FULL_TOKEN, null).body().path("data");
        return data.path("is_default").asBoolean(false) ? null : data.path("notification_enabled").asBoolean();
    }

    /** Sends a JSON request with a token; returns status and parsed body (a JSON null for an empty or non-JSON body). */
    public Answer send(String method, String path, String token, Object body) {
        return server.send(method, path, token, body);
    }
}
