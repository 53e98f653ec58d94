/*
 * Chroma 3.0.12 (npm chromadb, native bindings 1.0.5) REST shapes, checked with curl against
 * `node node_modules/chromadb/dist/cli.mjs run --path DIR --host 127.0.0.1 --port PORT` (up in < 1 s).
 * C = /api/v2/tenants/default_tenant/databases/default_database/collections
 *
 *   GET  /api/v2/heartbeat                        200 {"nanosecond heartbeat":1795901039450590962}
 *   POST C  {"name":"global","get_or_create":true} 200 {"id":"e09bbf86-...","name":"global",
 *          "configuration_json":{...},"metadata":null,"dimension":null,"tenant":"default_tenant",
 *          "database":"default_database","log_position":0,"version":0}   (same id again when it exists)
 *   POST C  {"name":"global"} when it exists       409 {"error":"ChromaError","message":"Collection [global] already exists"}
 *   GET  C/global                                  200 same object as above (by NAME; "id" is the UUID)
 *   GET  C/nosuch                                  404 {"error":"NotFoundError","message":"Collection [nosuch] does not exists"}
 *   POST C/{id}/add {"ids":["docA-0","docA-1"],"embeddings":[[0.1,0.2,0.3],[0.2,0.3,0.4]],
 *                    "metadatas":[{"document_id":"docA"},{"document_id":"docA"}]}
 *                                                  201 {}
 *        (wrong dimension: 400 {"error":"InvalidArgumentError","message":"Collection expecting embedding with dimension of 3, got 2"})
 *   GET  C/{id}/count                              200 3            (a bare JSON number)
 *   POST C/{id}/get {"where":{"document_id":{"$eq":"docA"}},"include":[]}
 *                                                  200 {"ids":["docA-0","docA-1"],"embeddings":null,"documents":null,
 *                                                       "uris":null,"metadatas":null,"include":[]}
 *        without "include": "documents":[null,null],"metadatas":[{"document_id":"docA"},...],"include":["documents","metadatas"]
 *   POST C/{id}/delete {"where":{"document_id":{"$eq":"docA"}}}
 *                                                  200 {}   (also 200 {} when nothing matched, e.g. a second time;
 *                                                            {"ids":["nope"]} and {} are 200 {} too and delete nothing)
 *   Any /{id}/... (add, delete, count, get) with an unknown UUID
 *                                                  404 {"error":"NotFoundError","message":"Collection [0000...] does not exists."}
 *   POST C/global/delete (a NAME where the id belongs)
 *                                                  400 {"error":"InvalidArgumentError","message":"Collection ID is not a valid UUIDv4"}
 *
 * Data under --path survives a restart (same collection id, same count). SIGTERM ends the server in about 1 s;
 * it runs as a single node process (no children).
 */
package io.ingestnotify.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Chroma server (npm {@code chromadb}, installed in {@code src/test/chroma} by {@code npm ci}) as a child
 * process on a free port with a fresh data directory. {@link #stop()} and {@link #start()} simulate an outage and the
 * recovery: same port, same data. Output goes to {@code target/chroma-<port>.log}.
 */
public final class ChromaServer implements AutoCloseable {

    public static final String COLLECTIONS = "/api/v2/tenants/default_tenant/databases/default_database/collections";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final NodeServer server;
    private final Thread shutdownHook;

    /** Starts a server on a free port with a fresh data directory. */
    public ChromaServer() throws IOException {
        this.server = new NodeServer("Chroma", Duration.ofSeconds(2));
        this.shutdownHook = new Thread(server::kill, "chroma-" + port() + "-shutdown"); // no orphan if a test forgets close()
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        start();
    }

    /** True when {@code node} is on the PATH and {@code npm ci} has installed chromadb in src/test/chroma. */
    public static boolean available() {
        return NodeServer.installed("chroma", "node_modules/chromadb/dist/cli.mjs");
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** (Re)starts the server on the same port with the same data; returns once the heartbeat answers. */
    public synchronized void start() throws IOException {
        if (server.running()) {
            return;
        }
        server.start(List.of("node", "node_modules/chromadb/dist/cli.mjs", "run",
                        "--path", server.data().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port())),
                Map.of(), START_TIMEOUT, Duration.ofMillis(100),
                () -> server.answers("/api/v2/heartbeat", Duration.ofSeconds(2), s -> s == 200));
    }

    /** Ends the server (its process tree) and waits until it is gone; the data directory stays. */
    public synchronized void stop() {
        server.stop();
    }

    public synchronized boolean running() {
        return server.running();
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
        server.deleteData();
    }

    // ---- helpers for the tests ----

    /** Creates the collection (or gets it when it exists); returns its id (a UUID). */
    public String createCollection(String name) {
        JsonNode c = call("POST", COLLECTIONS, Map.of("name", name, "get_or_create", true));
        return c.get("id").asText();
    }

    /** Adds {@code n} chunks with 3-dim embeddings and metadata {@code document_id} (and {@code chunk}). */
    public void addChunks(String collectionId, String documentId, int n) {
        String batch = UUID.randomUUID().toString().substring(0, 8); // unique ids: a second call adds more chunks
        List<String> ids = new ArrayList<>();
        List<List<Double>> embeddings = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(documentId + "-" + batch + "-" + i);
            embeddings.add(List.of(0.1 + i * 0.01, 0.2, 0.3));
            metadatas.add(Map.of("document_id", documentId, "chunk", i));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ids", ids);
        body.put("embeddings", embeddings);
        body.put("metadatas", metadatas);
        call("POST", COLLECTIONS + "/" + collectionId + "/add", body);
    }

    /** All chunks in the collection. */
    public int count(String collectionId) {
        return call("GET", COLLECTIONS + "/" + collectionId + "/count", null).asInt();
    }

    /** The chunks whose metadata {@code document_id} is the given one. */
    public int countFor(String collectionId, String documentId) {
        Map<String, Object> body = Map.of(
                "where", Map.of("document_id", Map.of("$eq", documentId)),
                "include", List.of());
        return call("POST", COLLECTIONS + "/" + collectionId + "/get", body).get("ids").size();
    }

    /** Sends a JSON request; returns the parsed response, or throws with status and body unless 2xx. */
    public JsonNode call(String method, String path, Object body) {
        HttpResponse<String> r = server.request(method, path, null, body, Duration.ofSeconds(10));
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("Chroma " + method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        try {
            return MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
