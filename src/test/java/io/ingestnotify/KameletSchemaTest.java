package io.ingestnotify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
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
 * The shipped Kamelet validates against the Kamelet catalogue's schema (the Kamelet CRD's openAPIV3Schema, in
 * src/test/resources/kamelet), read strictly: an unknown field where the CRD lists the fields is an error here, where
 * Kubernetes would silently prune it. Its template is a route of Camel's YAML DSL schema, and it carries what the
 * catalogue's validator asks of a Kamelet: type label, title, description, a default for every optional property.
 */
class KameletSchemaTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path KAMELET = Path.of("src/main/resources/kamelets/ingest-notify-sink.kamelet.yaml");

    @Test
    void validatesAgainstTheKameletCrdSchema() throws IOException {
        JsonNode crd;
        try (InputStream in = KameletSchemaTest.class.getResourceAsStream("/kamelet/camel.apache.org_kamelets.yaml")) {
            crd = YAML.readTree(in);
        }
        ObjectNode schemaNode = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
        assertThat(schemaNode.isMissingNode()).isFalse();
        strict(schemaNode);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schemaNode);
        JsonNode kamelet = YAML.readTree(KAMELET.toFile());
        List<String> errors = schema.validate(kamelet).stream().map(ValidationMessage::getMessage).sorted().toList();
        assertThat(errors).as(KAMELET + " against the Kamelet CRD schema").isEmpty();

        // The strict reading does catch a misspelt field.
        ObjectNode misspelt = kamelet.deepCopy();
        ((ObjectNode) misspelt.get("spec")).set("defintion", misspelt.get("spec").get("definition"));
        assertThat(schema.validate(misspelt)).isNotEmpty();
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

    /** Every object the CRD describes field by field takes no other field (unless it says it keeps unknown ones). */
    private static void strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties") && !o.has("x-kubernetes-preserve-unknown-fields")) {
                o.set("additionalProperties", BooleanNode.FALSE);
            }
            o.elements().forEachRemaining(KameletSchemaTest::strict);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(KameletSchemaTest::strict);
        }
    }
}
