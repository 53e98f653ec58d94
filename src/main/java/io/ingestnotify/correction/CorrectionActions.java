package io.ingestnotify.correction;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.event.ErrorCategories;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/** The action policy: which clean-up actions a failed file gets, and which of them an attempt must still run. */
public final class CorrectionActions {

    public static final String S3 = "s3_delete";
    public static final String CMS = "cms_delete";
    public static final String CHROMA = "chroma_delete";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Which clean-up actions a failure category needs; an unknown category gets all three. */
    public static List<String> actionsFor(String category) {
        return switch (category == null ? "" : category) {
            case ErrorCategories.FILE_NOT_FOUND -> List.of(CMS);
            case ErrorCategories.S3_ERROR -> List.of(S3, CMS);
            case ErrorCategories.PROCESSING_ERROR -> List.of(S3, CMS, CHROMA);
            case ErrorCategories.STORAGE_ERROR -> List.of(CHROMA);
            default -> List.of(S3, CMS, CHROMA);
        };
    }

    /** Whether this attempt must run the branch's action: needed, not refused, and no earlier attempt completed it. */
    public boolean needs(@Body Map<String, Object> task, @Header("action") String action,
                         @ExchangeProperty("refusedActions") Set<String> refused) {
        return pending(task, action) && (refused == null || !refused.contains(action));
    }

    /** The task has the action and no earlier attempt completed it. */
    static boolean pending(Map<String, Object> task, String action) {
        String actions = String.valueOf(task.get("actions"));
        String flag = switch (action) {
            case S3 -> "s3_cleanup_completed";
            case CMS -> "cms_cleanup_completed";
            default -> "chroma_cleanup_completed";
        };
        return actions.contains("\"" + action + "\"") && !Boolean.TRUE.equals(task.get(flag));
    }

    static List<String> parseActions(Map<String, Object> task) {
        try {
            return List.of(MAPPER.readValue(String.valueOf(task.get("actions")), String[].class));
        } catch (Exception e) {
            throw new IllegalStateException("correction_actions of task " + task.get("id") + " unreadable", e);
        }
    }
}
