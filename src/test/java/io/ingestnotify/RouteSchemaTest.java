package io.ingestnotify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route file, built-in and example, validates against Camel's own YAML DSL schema (the one inside
 * camel-yaml-dsl that Kaoto and {@code camel validate} use), so the tools open them without errors.
 */
class RouteSchemaTest {

    static JsonSchema schema;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = YamlRoutesBuilderLoader.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("camel-yaml-dsl's schema").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    static List<Path> routeFiles() throws IOException {
        try (Stream<Path> builtIn = Stream.concat(Files.list(Path.of("src/main/resources/routes")), Files.list(Path.of("src/embedded/resources/routes")));
             Stream<Path> examples = Files.exists(Path.of("examples")) ? Files.walk(Path.of("examples")) : Stream.empty();
             Stream<Path> cmsExample = Files.list(Path.of("cms/plain-rest"))) {
            return Stream.concat(Stream.concat(builtIn, examples), cmsExample)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void validatesAgainstCamelsYamlDslSchema(Path file) throws IOException {
        JsonNode routes = YAML.readTree(file.toFile());
        Set<ValidationMessage> errors = schema.validate(routes);
        assertThat(errors.stream().map(ValidationMessage::getMessage).sorted().toList())
                .as(file + " against camelYamlDsl.json").isEmpty();
    }
}
