package io.ingestnotify.common;

import java.util.UUID;
import java.util.regex.Pattern;

import io.ingestnotify.common.EventText;
import org.apache.camel.Header;

/** Checks the ids in operator API paths before anything uses them: a malformed id is the caller's mistake (400). */
public final class PathIds {

    private static final Pattern POSITIVE_INT = Pattern.compile("[1-9][0-9]{0,9}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private PathIds() {
    }

    /** A correction task id: a positive int. */
    public static int taskId(@Header("id") String id) {
        if (id == null || !POSITIVE_INT.matcher(id).matches() || Long.parseLong(id) > Integer.MAX_VALUE) {
            throw new BadPathIdException("id", "correction task id " + quote(id) + " is not a positive integer");
        }
        return Integer.parseInt(id);
    }

    /** A batch id: a UUID, in its canonical form. */
    public static String batchId(@Header("batchId") String id) {
        if (id == null || !UUID_TEXT.matcher(id).matches()) {
            throw new BadPathIdException("batchId", "batch id " + quote(id) + " is not a UUID");
        }
        return UUID.fromString(id).toString();
    }

    /** The id as it may appear in a log line and an answer: short, no control characters. */
    static String quote(String id) {
        if (id == null) {
            return "(none)";
        }
        String s = id.length() > 40 ? id.substring(0, 40) + "..." : id;
        return "'" + EventText.printable(s) + "'";
    }

    /** A malformed path id: answered 400 naming the path parameter. */
    public static class BadPathIdException extends RuntimeException {
        private final String field;

        public BadPathIdException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String getField() {
            return field;
        }
    }
}
