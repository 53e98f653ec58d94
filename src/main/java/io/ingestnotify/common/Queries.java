package io.ingestnotify.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/** Named SQL statements kept in {@code queries/*.sql} on the classpath, so SQL stays SQL. */
public final class Queries {

    private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

    private Queries() {
    }

    public static String get(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = Queries.class.getClassLoader().getResourceAsStream("queries/" + n + ".sql")) {
                if (in == null) {
                    throw new IllegalStateException("No query queries/" + n + ".sql on the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
