package io.ingestnotify.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON for tests, built by Jackson: a value with a quote, a backslash or a line break is escaped as a real client's
 * would be, so a test sends exactly the value it names. Raw strings stay only where a test sends broken JSON on purpose.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** An object from name, value pairs, in order; a null value leaves the field out (an absent optional field). */
    public static ObjectNode object(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                node.set((String) namesAndValues[i], value instanceof JsonNode json ? json : MAPPER.valueToTree(value));
            }
        }
        return node;
    }

    /** An array; a String item is a JSON document (such as {@code AppTestSupport.event(...)}), anything else a value. */
    public static ArrayNode array(Object... items) {
        ArrayNode node = MAPPER.createArrayNode();
        for (Object item : items) {
            node.add(item instanceof String document ? parse(document) : MAPPER.valueToTree(item));
        }
        return node;
    }

    public static JsonNode parse(String document) {
        try {
            return MAPPER.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + document, e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
