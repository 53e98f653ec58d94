package io.ingestnotify.intake;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.ingestnotify.common.EventText;
import io.ingestnotify.event.ErrorCategories;
import io.ingestnotify.event.FileEvent;

/**
 * Turns inbound JSON (one event or an array) and outbox rows into {@link FileEvent}s, enforcing the event contract.
 * A bad event raises {@link InvalidEventException} naming the field; nothing is guessed.
 */
public class EventParser {

    public static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}$");
    private static final Set<String> STATUSES = Set.of("success", "failed");
    private static final Set<String> STAGES = Set.of("download", "processing", "storage", "completed", "failed");
    private static final int MAX_TEXT = 4000;
    /** RFC 5321's limit on a forward path, less the angle brackets. */
    static final int MAX_EMAIL = 254;
    /** Nothing this pipeline processed predates 2000; a later date than tomorrow is a clock or a field gone wrong. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Duration MAX_AHEAD = Duration.ofDays(1);
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    // Strict: a second object after the first, or a key given twice, would otherwise be silently dropped or overwritten.
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final int maxEvents;

    public EventParser() {
        this(1000);
    }

    public EventParser(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    /** Parses an HTTP body: a JSON object or a non-empty array of at most MAX_EVENTS_PER_REQUEST objects. */
    public List<FileEvent> parseJson(String body) {
        JsonNode root;
        try {
            root = mapper.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
        return parseTree(root);
    }

    /**
     * Parses what a Camel route hands over (the Kamelet, a broker message): JSON text or bytes (UTF-8), or the event as
     * a {@code Map} / the events as a {@code List} of maps, with the same rules and messages as an HTTP body.
     */
    public List<FileEvent> parseAny(Object body) {
        if (body instanceof byte[] bytes) {
            return parseJson(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (body == null || body instanceof CharSequence) {
            return parseJson(body == null ? null : body.toString());
        }
        if (body instanceof Map<?, ?> || body instanceof List<?>) {
            return parseTree(mapper.valueToTree(body));
        }
        throw new InvalidEventException("body", "expected JSON text, a Map or a List, not " + body.getClass().getName());
    }

    private List<FileEvent> parseTree(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw new InvalidEventException("body", "empty body, expected a JSON object or array");
        }
        List<FileEvent> events = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new InvalidEventException("body", "empty array");
            }
            if (root.size() > maxEvents) {
                throw new TooManyEventsException(root.size(), maxEvents);
            }
            for (int i = 0; i < root.size(); i++) {
                events.add(fromNode(root.get(i), "[" + i + "]."));
            }
        } else {
            events.add(fromNode(root, ""));
        }
        return events;
    }

    /** Reads a claimed group of outbox rows, oldest first. */
    public List<FileEvent> fromRows(List<Map<String, Object>> rows) {
        List<FileEvent> events = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            events.add(fromRow(row));
        }
        events.sort(java.util.Comparator.comparing(e -> e.fileEventRowId));
        return events;
    }

    /** Reads one claimed outbox row; a bad row comes back marked rejected instead of throwing. */
    public FileEvent fromRow(Map<String, Object> row) {
        Map<String, Object> values = new java.util.LinkedHashMap<>(row);
        values.replaceAll((k, v) -> v instanceof java.util.Date d ? d.toInstant().atOffset(java.time.ZoneOffset.UTC).toString() : v);
        JsonNode node = mapper.valueToTree(values);
        FileEvent event;
        try {
            event = fromNode(node, "");
        } catch (InvalidEventException e) {
            event = new FileEvent();
            event.eventId = text(node, "event_id");
            event.outcome = "rejected";
            event.rejectedReason = e.getMessage();
        }
        event.fileEventRowId = ((Number) row.get("id")).intValue();
        event.source = "outbox";
        return event;
    }

    /** Names what is wrong: a key given twice (with its place), content after the value, or the syntax error. */
    private static InvalidEventException malformed(JsonProcessingException e) {
        java.util.regex.Matcher dup = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (dup.find()) {
            String prefix = "";
            if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
                JsonStreamContext parent = p.getParsingContext().getParent();
                if (parent != null && parent.inArray()) {
                    prefix = "[" + parent.getCurrentIndex() + "].";
                }
            }
            return new InvalidEventException(prefix + dup.group(1), "given more than once");
        }
        if (e instanceof MismatchedInputException && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
            return new InvalidEventException("body", "content after the JSON value; send one object or one array");
        }
        return new InvalidEventException("body", "malformed JSON (" + e.getOriginalMessage() + ")");
    }

    private FileEvent fromNode(JsonNode n, String prefix) {
        if (n == null || !n.isObject()) {
            throw new InvalidEventException(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "expected a JSON object");
        }
        checkStrings(n, prefix);
        FileEvent e = new FileEvent();
        if (present(n, "event_id") && !n.get("event_id").isTextual()) {
            throw new InvalidEventException(prefix + "event_id", "must be a JSON string");
        }
        e.eventId = required(n, "event_id", prefix);
        e.fileDocumentId = required(n, "file_document_id", prefix);
        e.status = required(n, "status", prefix).toLowerCase();
        if (!STATUSES.contains(e.status)) {
            throw new InvalidEventException(prefix + "status", "must be 'success' or 'failed'");
        }
        e.userEmail = optionalText(n, "user_email", prefix);
        if (e.userEmail != null) {
            e.userEmail = e.userEmail.trim().toLowerCase();
            if (e.userEmail.length() > MAX_EMAIL) {
                throw new InvalidEventException(prefix + "user_email", "longer than " + MAX_EMAIL + " characters");
            }
            if (!EMAIL.matcher(e.userEmail).matches()) {
                throw new InvalidEventException(prefix + "user_email", "not a valid email address");
            }
        }
        e.companyId = optionalInt(n, "company_id", prefix);
        e.botId = optionalInt(n, "bot_id", prefix);
        e.fileName = optionalText(n, "file_name", prefix);
        e.storageKey = optionalText(n, "storage_key", prefix);
        if (present(n, "file_size_bytes")) {
            JsonNode v = n.get("file_size_bytes");
            if (!v.canConvertToLong() || v.asLong() < 0 || !v.isIntegralNumber()) {
                throw new InvalidEventException(prefix + "file_size_bytes", "must be a non-negative integer");
            }
            e.fileSizeBytes = v.asLong();
        }
        e.stage = optionalText(n, "stage", prefix);
        if (e.stage != null && !STAGES.contains(e.stage)) {
            throw new InvalidEventException(prefix + "stage", "must be one of " + STAGES);
        }
        e.chunksCreated = optionalInt(n, "chunks_created", prefix);
        e.processingTimeSeconds = optionalInt(n, "processing_time_seconds", prefix);
        e.errorMessage = optionalText(n, "error_message", prefix);
        e.errorCategory = optionalText(n, "error_category", prefix);
        if (e.errorCategory != null && !ErrorCategories.KNOWN.contains(e.errorCategory)) {
            throw new InvalidEventException(prefix + "error_category", "must be one of " + ErrorCategories.KNOWN);
        }
        if ("failed".equals(e.status) && e.errorCategory == null) {
            e.errorCategory = ErrorCategories.derive(e.errorMessage);
        }
        String occurred = optionalText(n, "occurred_at", prefix);
        if (occurred != null) {
            try {
                e.occurredAt = OffsetDateTime.parse(occurred).toInstant();
            } catch (DateTimeParseException ex) {
                try {
                    e.occurredAt = Instant.parse(occurred);
                } catch (DateTimeParseException ex2) {
                    throw new InvalidEventException(prefix + "occurred_at", "must be an ISO-8601 timestamp");
                }
            }
            Instant latest = Instant.now().plus(MAX_AHEAD);
            if (e.occurredAt.isBefore(EARLIEST) || e.occurredAt.isAfter(latest)) {
                throw new InvalidEventException(prefix + "occurred_at", "must be between " + EARLIEST + " and one day from now");
            }
        } else {
            e.occurredAt = Instant.now();
        }
        return e;
    }

    /** Every string of the event (unknown fields too), checked for characters no field may hold. */
    private static void checkStrings(JsonNode n, String prefix) {
        n.fields().forEachRemaining(f -> checkString(f.getValue(), prefix + f.getKey(), "error_message".equals(f.getKey())));
    }

    private static void checkString(JsonNode v, String field, boolean multiline) {
        if (v.isTextual()) {
            String problem = EventText.problem(v.textValue(), multiline);
            if (problem != null) {
                throw new InvalidEventException(field, problem);
            }
        } else if (v.isContainerNode()) {
            v.forEach(child -> checkString(child, field, false));
        }
    }

    private static boolean present(JsonNode n, String field) {
        return n.hasNonNull(field) && !(n.get(field).isTextual() && n.get(field).asText().isEmpty());
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static String required(JsonNode n, String field, String prefix) {
        String v = optionalText(n, field, prefix);
        if (v == null || v.isBlank()) {
            throw new InvalidEventException(prefix + field, "is required");
        }
        return v;
    }

    private static String optionalText(JsonNode n, String field, String prefix) {
        if (!present(n, field)) {
            return null;
        }
        JsonNode v = n.get(field);
        if (!v.isValueNode()) {
            throw new InvalidEventException(prefix + field, "must be a string");
        }
        String s = v.asText();
        if (s.length() > MAX_TEXT) {
            throw new InvalidEventException(prefix + field, "longer than " + MAX_TEXT + " characters");
        }
        return s;
    }

    private static Integer optionalInt(JsonNode n, String field, String prefix) {
        if (!present(n, field)) {
            return null;
        }
        JsonNode v = n.get(field);
        // Ids, counts and durations alike: never negative, and within the int4 columns they are stored in.
        int value;
        if (v.isTextual()) {
            try {
                value = Integer.parseInt(v.asText().trim());
            } catch (NumberFormatException ex) {
                throw new InvalidEventException(prefix + field, "must be an integer from 0 to " + Integer.MAX_VALUE);
            }
        } else if (v.isIntegralNumber() && v.canConvertToInt()) {
            value = v.asInt();
        } else {
            throw new InvalidEventException(prefix + field, "must be an integer from 0 to " + Integer.MAX_VALUE);
        }
        if (value < 0) {
            throw new InvalidEventException(prefix + field, "must be an integer from 0 to " + Integer.MAX_VALUE);
        }
        return value;
    }
}
