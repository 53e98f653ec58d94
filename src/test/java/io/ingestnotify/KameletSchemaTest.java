package io.ingestnotify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Kamelet has only the Kamelet resource's fields, its template is a route of Camel's YAML DSL schema, and
 * it carries what the catalogue's validator asks of a Kamelet: type label, title, description, a default for every
 * optional property.
 */
class KameletSchemaTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path KAMELET = Path.of("src/main/resources/kamelets/ingest-notify-sink.kamelet.yaml");

    /**
     * Only the fields of the Kamelet resource (camel.apache.org/v1) at each level, so a misspelt one fails here: the
     * catalogue's CRD is not in any artifact this build can resolve, so its field lists are written out below.
     */
    @Test
    void usesOnlyTheKameletResourceFields() throws IOException {
        JsonNode kamelet = YAML.readTree(KAMELET.toFile());
        assertThat(unknownFields(kamelet)).as(KAMELET.toString()).isEmpty();
        ObjectNode misspelt = kamelet.deepCopy();
        ((ObjectNode) misspelt.get("spec")).set("defintion", misspelt.get("spec").get("definition"));
        assertThat(unknownFields(misspelt)).containsExactly("spec.defintion");
    }

    private static List<String> unknownFields(JsonNode kamelet) {
        Map<String, List<String>> allowed = Map.of(
                "", List.of("apiVersion", "kind", "metadata", "spec"),
                "metadata", List.of("name", "labels", "annotations"),
                "spec", List.of("definition", "template", "dependencies", "types", "dataTypes"),
                "spec.definition", List.of("title", "description", "required", "type", "properties", "example"));
        List<String> unknown = new java.util.ArrayList<>();
        allowed.forEach((path, fields) -> {
            JsonNode node = path.isEmpty() ? kamelet : kamelet.at("/" + path.replace('.', '/'));
            node.fieldNames().forEachRemaining(f -> {
                if (!fields.contains(f)) {
                    unknown.add(path.isEmpty() ? f : path + "." + f);
                }
            });
        });
        return unknown;
    }

    @Test
    void carriesWhatTheCatalogueAsksOfAKamelet() throws IOException {
        JsonNode kamelet = YAML.readTree(KAMELET.toFile());
        assertThat(kamelet.at("/apiVersion").asText()).isEqualTo("camel.apache.org/v1");
        assertThat(kamelet.at("/kind").asText()).isEqualTo("Kamelet");
        assertThat(kamelet.at("/metadata/name").asText()).isEqualTo("ingest-notify-sink");
        assertThat(KAMELET.getFileName().toString()).isEqualTo(kamelet.at("/metadata/name").asText() + ".kamelet.yaml");
        assertThat(kamelet.at("/metadata/labels").get("camel.apache.org/kamelet.type").asText()).isEqualTo("sink");
        JsonNode definition = kamelet.at("/spec/definition");
        assertThat(definition.get("title").asText()).isNotBlank();
        assertThat(definition.get("description").asText()).isNotBlank();
        assertThat(definition.get("type").asText()).isEqualTo("object");
        List<String> required = definition.has("required") ? YAML.convertValue(definition.get("required"), List.class) : List.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = definition.get("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            assertThat(p.getValue().get("title")).as(p.getKey() + " title").isNotNull();
            assertThat(p.getValue().get("description")).as(p.getKey() + " description").isNotNull();
            if (!required.contains(p.getKey())) {
                assertThat(p.getValue().get("default")).as(p.getKey() + " default").isNotNull();
            }
        }
        assertThat(kamelet.at("/spec/template/from/uri").asText()).isEqualTo("kamelet:source");
    }

    @Test
    void templateIsARouteOfTheYamlDsl() throws IOException {
        JsonSchema dsl;
        try (InputStream in = YamlRoutesBuilderLoader.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            dsl = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        JsonNode kamelet = YAML.readTree(KAMELET.toFile());
        JsonNode routes = YAML.createArrayNode().add(YAML.createObjectNode().set("route",
                YAML.createObjectNode().put("id", "template").set("from", kamelet.at("/spec/template/from"))));
        assertThat(dsl.validate(routes).stream().map(ValidationMessage::getMessage).toList()).isEmpty();
    }
}
