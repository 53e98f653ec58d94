package io.ingestnotify.batching;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's notification preferences, as the CMS returns them, clamped to the content type's bounds.
 * Frozen into each batch as user_preferences_snapshot. The recipient's controls are kept as given, empty where the
 * CMS has none: time zone (an IANA name, checked when used), quiet hours ("HH:mm", both or neither) and the daily
 * digest budget (null: the DEFAULT_MAX_DIGESTS_PER_DAY setting).
 */
public record Preferences(boolean notificationEnabled, int batchSizeThreshold, int notificationDelayMinutes,
                          String emailFormat, boolean includeSuccessDetails, boolean includeErrorDetails,
                          String timezone, String quietHoursStart, String quietHoursEnd, Integer maxDigestsPerDay) {

    public Preferences(boolean notificationEnabled, int batchSizeThreshold, int notificationDelayMinutes,
                       String emailFormat, boolean includeSuccessDetails, boolean includeErrorDetails) {
        this(notificationEnabled, batchSizeThreshold, notificationDelayMinutes, emailFormat, includeSuccessDetails,
                includeErrorDetails, "", "", "", null);
    }

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
                bool(data.get("include_error_details"), defaults.includeErrorDetails),
                data.get("timezone") instanceof String z ? z.trim() : "",
                localTime(data.get("quiet_hours_start")), localTime(data.get("quiet_hours_end")),
                data.get("max_digests_per_day") == null ? null : intIn(data.get("max_digests_per_day"), 1, 1000, null));
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
        m.put("timezone", timezone);
        m.put("quiet_hours_start", quietHoursStart);
        m.put("quiet_hours_end", quietHoursEnd);
        m.put("max_digests_per_day", maxDigestsPerDay);
        return m;
    }

    /** Strapi's time ("22:00:00.000") or "22:00" as "HH:mm"; anything else empty (no quiet hours). */
    private static String localTime(Object v) {
        if (!(v instanceof String s) || s.isBlank()) {
            return "";
        }
        try {
            return LocalTime.parse(s.trim()).toString().substring(0, 5);
        } catch (DateTimeParseException e) {
            return "";
        }
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

    private static Integer intIn(Object v, int min, int max, Integer dflt) {
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
