package io.ingestnotify.retention;

import java.util.Map;
import java.util.stream.Collectors;

/** One retention pass: its number, the instance that ran it, rows removed per table, how long it took, why it stopped early. */
public record RetentionReport(int pass, String instance, Map<String, Long> removed, long millis, String stopped) {

    /** The pass's one log line. */
    public String line() {
        String what = removed.isEmpty() ? "nothing"
                : removed.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        return "Retention pass " + pass + " (" + instance + "): removed " + what + " in " + millis + " ms"
                + (stopped == null ? "" : "; " + stopped);
    }
}
