package io.ingestnotify.event;

import java.util.List;
import java.util.Locale;

/**
 * Derives an error category from an error message when the event carries none: the rules of the original design
 * ('file not found', 's3'/'bucket', 'chroma'/'vector', else processing), extended with the wordings the
 * pipeline's libraries actually produce.
 */
public final class ErrorCategories {

    public static final String FILE_NOT_FOUND = "file_not_found";
    public static final String S3_ERROR = "s3_error";
    public static final String PROCESSING_ERROR = "processing_error";
    public static final String STORAGE_ERROR = "storage_error";

    public static final List<String> KNOWN = List.of(FILE_NOT_FOUND, S3_ERROR, PROCESSING_ERROR, STORAGE_ERROR);

    private ErrorCategories() {
    }

    public static String derive(String message) {
        if (message == null || message.isBlank()) {
            return PROCESSING_ERROR;
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (containsAny(m, "file not found", "no such file", "nosuchkey", "no file found", "does not exist", "404 not found")) {
            return FILE_NOT_FOUND;
        }
        if (containsAny(m, "s3", "bucket", "accessdenied", "access denied", "signaturedoesnotmatch", "botocore")) {
            return S3_ERROR;
        }
        if (containsAny(m, "chroma", "vector", "embedding store", "collection")) {
            return STORAGE_ERROR;
        }
        return PROCESSING_ERROR;
    }

    private static boolean containsAny(String text, String... needles) {
        for (String n : needles) {
            if (text.contains(n)) {
                return true;
            }
        }
        return false;
    }
}
