package io.ingestnotify.common;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** How values are written where they go: an error into a log row, JSON into a jsonb column, text into a URL path. */
public final class Formats {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Formats() {
    }

    /** "Type: message (RootType: root message)", at most 2,000 characters, for error_message columns. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (root != t) {
            msg += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return msg.length() > 2000 ? msg.substring(0, 2000) : msg;
    }

    /**
     * One URL path segment (an email, a document id), percent-encoded; a space is %20, not '+'. '.' and '..' are
     * encoded too (%2E), so a value can never bend the path; an empty one would, and is refused.
     */
    public static String pathSegment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("an empty URL path segment");
        }
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
