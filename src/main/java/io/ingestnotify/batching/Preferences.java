package io.ingestnotify.batching;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's notification preferences, as the CMS returns them, clamped to the content type's bounds.
 * Frozen into each batch as user_preferences_snapshot.
 */
public record Preferences(boolean notificationEnabled, int batchSizeThreshold, int notificationDelayMinutes,
                          String emailFormat, boolean includeSuccessDetails, boolean includeErrorDetails) {

    public static Preferences defaults(int batchSizeThreshold, int notificationDelayMinutes) {
        return new Preferences(true, batchSizeThreshold, notificationDelayMinutes, "html", true, true);
    }

    /** Reads the CMS's {@code data} object; a missing or out-of-range field takes the default. */
    public static Preferences from(Map<?, ?> data, Preferences defaults) {
        if (data == null) {
            return defaults;
        }
        return new Preferences(
                bool(data.get("notification_enabled"), defaults.notificationEnabled),
                intIn(data.get("batch_size_threshold"), 1, 100, defaults.batchSizeThreshold),
                intIn(data.get("notification_delay_minutes"), 1, 1440, defaults.notificationDelayMinutes),
                "text".equals(data.get("email_format")) ? "text" : "html".equals(data.get("email_format")) ? "html" : defaults.emailFormat,
                bool(data.get("include_success_details"), defaults.includeSuccessDetails),
                bool(data.get("include_error_details"), defaults.includeErrorDetails));
    }

    /** The snapshot as stored in batch_processing_sessions (the CMS's field names). */
    public Map<String, Object> toSnapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("notification_enabled", notificationEnabled);
        m.put("batch_size_threshold", batchSizeThreshold);
        m.put("notification_delay_minutes", notificationDelayMinutes);
        m.put("email_format", emailFormat);
        m.put("include_success_details", includeSuccessDetails);
        m.put("include_error_details", includeErrorDetails);
        return m;
    }

    private static boolean bool(Object v, boolean dflt) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        return dflt;
    }

    private static int intIn(Object v, int min, int max, int dflt) {
        int i;
        if (v instanceof Number n) {
            i = n.intValue();
        } else if (v instanceof String s) {
            try {
                i = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        } else {
            return dflt;
        }
        return i < min || i > max ? dflt : i;
    }
}
