package io.ingestnotify;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.support.AppTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API's OpenAPI 3 document, from which the pipeline generates its client: either role may read it, nobody
 * else; it lists every verb with its parameters, bodies and answers, the intake's refusals included.
 */
class OpenApiTest extends AppTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
    }

    static JsonNode document(String authorization) throws Exception {
        HttpResponse<String> r = HttpSecurityTest.send("GET", "/api/openapi.json", null, "Authorization", authorization);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        return JSON.readTree(r.body());
    }

    @Test
    void eitherRoleReadsAnOpenApi3DocumentOfEveryVerb() throws Exception {
        JsonNode doc = document("Bearer " + INTAKE_TOKEN);
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("info").path("title").asText()).isEqualTo("ingest-notify");
        assertThat(doc.path("info").path("version").asText()).isNotEmpty();
        // The server a generated client calls: the HTTP server's address.
        assertThat(doc.path("servers").get(0).path("url").asText()).isEqualTo("http://127.0.0.1:" + httpPort);
        // The operator reads the same document.
        assertThat(document("Bearer " + OPS_TOKEN)).isEqualTo(doc);
        assertThat(document(HttpSecurityTest.basic(OPS_USER, OPS_PASSWORD))).isEqualTo(doc);

        JsonNode paths = doc.path("paths");
        assertThat(paths.fieldNames()).toIterable().contains("/api/events", "/api/batches/{batchId}/resend",
                "/api/corrections/{id}", "/api/corrections/{id}/retry", "/api/corrections/held/release",
                "/api/corrections/held/cancel", "/api/ops/summary", "/api/audit");
        // The ops page and its files are for a browser, not for a generated client.
        assertThat(paths.fieldNames()).toIterable().doesNotContain("/", "/ops/ops.js", "/ops/ops.css");
        assertThat(paths.path("/api/events").has("post")).isTrue();
        assertThat(paths.path("/api/corrections/{id}").has("get")).isTrue();
        assertThat(paths.path("/api/corrections/{id}/retry").has("post")).isTrue();
        assertThat(paths.path("/api/ops/summary").has("get")).isTrue();
        // The audit's paging and filters are documented; every credential-checked verb documents the throttle.
        JsonNode audit = paths.path("/api/audit").path("get");
        assertThat(audit.path("parameters").findValuesAsText("name")).contains("limit", "before", "action", "since");
        assertThat(audit.path("responses").fieldNames()).toIterable().contains("200", "400", "401", "429");
        assertThat(paths.path("/api/corrections/{id}/retry").path("post").path("responses").path("429").path("headers").has("Retry-After")).isTrue();
    }

    @Test
    void theIntakeVerbDescribesItsBodyAnswerAndRefusals() throws Exception {
        JsonNode doc = document("Bearer " + INTAKE_TOKEN);
        JsonNode post = doc.path("paths").path("/api/events").path("post");
        JsonNode requestSchema = resolve(doc, post.path("requestBody").path("content").path("application/json").path("schema"));
        assertThat(requestSchema.path("properties").fieldNames()).toIterable()
                .contains("event_id", "file_document_id", "status", "user_email", "company_id", "error_message", "occurred_at");
        assertThat(requestSchema.path("required")).extracting(JsonNode::asText)
                .contains("event_id", "file_document_id", "status");

        JsonNode responses = post.path("responses");
        assertThat(responses.fieldNames()).toIterable().contains("202", "400", "401", "413", "415", "500", "503")
                .doesNotContain("200");
        JsonNode accepted = resolve(doc, responses.path("202").path("content").path("application/json").path("schema"));
        assertThat(accepted.path("properties").fieldNames()).toIterable()
                .contains("accepted", "duplicates", "rejected", "no_recipient", "batches");
        JsonNode error = resolve(doc, responses.path("400").path("content").path("application/json").path("schema"));
        assertThat(error.path("properties").fieldNames()).toIterable().contains("error", "field");
        assertThat(responses.path("503").path("headers").has("Retry-After")).isTrue();
        assertThat(responses.path("429").path("headers").has("Retry-After")).isTrue();
    }

    @Test
    void operatorVerbsDescribeTheirPathIdsAndAnswers() throws Exception {
        JsonNode doc = document("Bearer " + OPS_TOKEN);
        JsonNode retry = doc.path("paths").path("/api/corrections/{id}/retry").path("post");
        assertThat(retry.path("parameters").get(0).path("name").asText()).isEqualTo("id");
        assertThat(retry.path("parameters").get(0).path("in").asText()).isEqualTo("path");
        assertThat(retry.path("responses").fieldNames()).toIterable().contains("202", "400", "401", "404", "409");
        assertThat(resolve(doc, retry.path("responses").path("202").path("content").path("application/json").path("schema"))
                .path("properties").fieldNames()).toIterable().contains("retried", "error");

        JsonNode view = doc.path("paths").path("/api/corrections/{id}").path("get");
        assertThat(resolve(doc, view.path("responses").path("200").path("content").path("application/json").path("schema"))
                .path("properties").fieldNames()).toIterable().contains("id", "status", "execution_log", "attempts");
        JsonNode resend = doc.path("paths").path("/api/batches/{batchId}/resend").path("post");
        assertThat(resend.path("parameters").get(0).path("name").asText()).isEqualTo("batchId");
        assertThat(resend.path("responses").fieldNames()).toIterable().contains("200", "404", "409");
        JsonNode summary = doc.path("paths").path("/api/ops/summary").path("get");
        assertThat(resolve(doc, summary.path("responses").path("200").path("content").path("application/json").path("schema"))
                .path("properties").fieldNames()).toIterable().contains("openBatches", "heldCorrections");
    }

    @Test
    void withoutACredentialItIs401AndOnlyGetIsEitherRoles() throws Exception {
        HttpResponse<String> none = HttpSecurityTest.send("GET", "/api/openapi.json", null);
        HttpSecurityTest.assertRefused(none, 401, "authentication required");
        HttpSecurityTest.assertRefused(HttpSecurityTest.send("GET", "/api/openapi.json", null, "Authorization", "Bearer guess"),
                401, "wrong credential");
        // A verb that is not reading the document is the operator's, like every other path.
        HttpSecurityTest.assertRefused(HttpSecurityTest.send("POST", "/api/openapi.json", "{}", "Content-Type", "application/json",
                "Authorization", "Bearer " + INTAKE_TOKEN), 401, "wrong credential");
    }

    @Test
    void aBodyTheJsonBindingCannotReadIs400AndEchoesNoCredential() throws Exception {
        for (String path : new String[] {"/api/corrections/1/retry", "/api/corrections/held/release", "/api/corrections/held/cancel",
            "/api/batches/" + UUID.randomUUID() + "/resend"}) {
            HttpResponse<String> r = post(path, "{not json");
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(r.headers().map().keySet()).as(path).doesNotContain("authorization", "Authorization", "user-agent");
            assertThat(r.body()).doesNotContain(OPS_TOKEN);
        }
        // Nothing ran: no task, and the held-task verb with a readable body still answers its count.
        assertThat(count("SELECT count(*) FROM auto_correction_tasks")).isZero();
        assertThat(post("/api/corrections/held/release", "{}").body()).isEqualTo("{\"released\":0}");
    }

    /** A schema, following its $ref into components. */
    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        assertThat(schema.isMissingNode()).as("schema present").isFalse();
        String ref = schema.path("$ref").asText("");
        if (ref.isEmpty()) {
            return schema;
        }
        JsonNode target = doc.at(ref.substring(1));
        assertThat(target.isMissingNode()).as(ref).isFalse();
        return target;
    }
}
