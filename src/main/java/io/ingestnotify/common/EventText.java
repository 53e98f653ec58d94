package io.ingestnotify.common;

/**
 * What characters an event's strings may hold. Event text ends up in PostgreSQL (which refuses NUL), in log lines and
 * in mails, so control characters are refused rather than cleaned: the sender learns which field to fix.
 * <ul>
 *   <li>tab: allowed everywhere;</li>
 *   <li>CR and LF: allowed only where a value is prose (error_message: stack traces and multi-line messages are
 *       normal there); anywhere else (names, keys, ids, addresses) they could forge a log line or a header;</li>
 *   <li>every other C0 character (NUL included), DEL and the C1 range (U+0080..U+009F): refused everywhere, no
 *       legitimate file name or message needs them and terminals act on them;</li>
 *   <li>an unpaired UTF-16 surrogate (a "\ud800" escape): refused, it has no UTF-8 form the database would take.</li>
 * </ul>
 */
public final class EventText {

    private EventText() {
    }

    /** Null when the value is acceptable, else why not. */
    public static String problem(String s, boolean multiline) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || (multiline && (c == '\n' || c == '\r'))) {
                continue;
            }
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return String.format("holds control character U+%04X at position %d", (int) c, i);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "holds an unpaired surrogate at position " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "holds an unpaired surrogate at position " + i;
            }
        }
        return null;
    }

    /** Text from a request as it may appear in a log line or an answer: control characters shown as '?', at most 200 chars. */
    public static String printable(String s) {
        if (s == null) {
            return null;
        }
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replaceAll("[\\p{Cntrl}\\u0080-\\u009F\\u2028\\u2029]", "?");
    }
}
