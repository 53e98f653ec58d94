package io.ingestnotify;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.retention.Retention;
import io.ingestnotify.retention.RetentionReport;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.ingestnotify.HttpSecurityTest.basic;
import static io.ingestnotify.HttpSecurityTest.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's audit trail (issue 22): each operator action that changes something writes one operator_audit row
 * (credential label, client address, action, target, status, result) and one log line, a refused one (400, 404) too;
 * a request the guard refuses records nothing; GET /api/audit pages them, bounded, for the operator only.
 */
class OperatorAuditTest extends AppTestSupport {

    static String tokenLabel;

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(OPS_TOKEN.getBytes(StandardCharsets.UTF_8));
        tokenLabel = "operator token " + HexFormat.of().formatHex(hash, 0, 4);
    }

    static Map<String, Object> last() throws Exception {
        return rows("SELECT credential, client_address, action, target, status, result FROM operator_audit ORDER BY id DESC LIMIT 1").get(0);
    }

    static long audited() throws Exception {
        return count("SELECT count(*) FROM operator_audit");
    }

    @Test
    void eachActionWritesOneRowAndOneLineWithItsAnswer() throws Exception {
        long before = audited();
        try (LogCapture log = LogCapture.attach()) {
            // Done: the held corrections released (none held) by the bearer token, cancelled by Basic.
            assertThat(post("/api/corrections/held/release", "{}").statusCode()).isEqualTo(200);
            assertThat(last()).containsEntry("credential", tokenLabel).containsEntry("client_address", "127.0.0.1")
                    .containsEntry("action", "corrections.held.release").containsEntry("target", "held corrections")
                    .containsEntry("status", 200).containsEntry("result", "{\"released\":0}");
            HttpResponse<String> cancel = send("POST", "/api/corrections/held/cancel", "{}", "Content-Type", "application/json",
                    "Authorization", basic(OPS_USER, OPS_PASSWORD));
            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(last()).containsEntry("credential", "operator " + OPS_USER).containsEntry("action", "corrections.held.cancel")
                    .containsEntry("status", 200);

            // Refused by the route: recorded with their answer.
            String batch = UUID.randomUUID().toString();
            assertThat(post("/api/batches/" + batch + "/resend", "{}").statusCode()).isEqualTo(404);
            assertThat(last()).containsEntry("action", "digest.resend").containsEntry("target", "batch " + batch)
                    .containsEntry("status", 404).containsEntry("credential", tokenLabel);
            assertThat(post("/api/batches/not-a-uuid/resend", "{}").statusCode()).isEqualTo(400);
            assertThat(last()).containsEntry("action", "digest.resend").containsEntry("target", "batch not-a-uuid")
                    .containsEntry("status", 400);
            assertThat((String) last().get("result")).contains("BadPathIdException");
            assertThat(post("/api/corrections/987654/retry", "{}").statusCode()).isEqualTo(404);
            assertThat(last()).containsEntry("action", "correction.retry").containsEntry("target", "correction 987654")
                    .containsEntry("status", 404);

            // A suppression added and lifted.
            String email = newUser();
            HttpResponse<String> added = post("/api/suppressions", Json.object("company_id", 5, "bot_id", 6, "email", email, "reason", "complaint"));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            long id = Json.parse(added.body()).path("id").asLong();
            assertThat(last()).containsEntry("action", "suppression.add")
                    .containsEntry("target", "suppression " + id + " (company 5, bot 6, " + email + ")").containsEntry("status", 201);
            assertThat(post("/api/suppressions/" + id + "/lift", "{}").statusCode()).isEqualTo(200);
            assertThat(last()).containsEntry("action", "suppression.lift").containsEntry("target", "suppression " + id)
                    .containsEntry("status", 200);
            assertThat(value("SELECT lifted_by FROM suppressions WHERE id = ?", (int) id)).isEqualTo(tokenLabel);

            assertThat(audited() - before).isEqualTo(7);
            assertThat(log.linesContaining("Operator action ")).hasSize(7);
            assertThat(log.linesContaining("Operator action corrections.held.cancel on held corrections by operator " + OPS_USER
                    + " from 127.0.0.1: 200")).hasSize(1);
            assertThat(log.linesContaining(OPS_TOKEN)).isEmpty();
            assertThat(log.linesContaining(OPS_PASSWORD)).isEmpty();
        }
    }

    @Test
    void aRequestTheGuardRefusesRecordsNothing() throws Exception {
        long before = audited();
        assertThat(send("POST", "/api/corrections/held/release", "{}", "Content-Type", "application/json").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/corrections/held/release", "{}", "Content-Type", "application/json",
                "Authorization", "Bearer " + INTAKE_TOKEN).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/corrections/held/release", "{}", "Content-Type", "text/plain",
                "Authorization", "Bearer " + OPS_TOKEN).statusCode()).isEqualTo(415);
        assertThat(send("POST", "/api/corrections/held/release", "{}", "Content-Type", "application/json",
                "Authorization", "Bearer " + OPS_TOKEN, "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(audited()).isEqualTo(before);
    }

    @Test
    void theAuditIsReadByTheOperatorNewestFirstInBoundedPages() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/corrections/" + (555_000 + i) + "/retry", "{}").statusCode()).isEqualTo(404);
        }
        long before = audited();
        HttpResponse<String> page = getHttp("/api/audit?limit=2&action=correction.retry");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        JsonNode first = Json.parse(page.body());
        assertThat(first.path("entries")).hasSize(2);
        assertThat(first.path("entries").get(0).path("target").asText()).isEqualTo("correction 555002");
        assertThat(first.path("entries").get(1).path("target").asText()).isEqualTo("correction 555001");
        assertThat(first.path("entries").get(0).path("credential").asText()).isEqualTo(tokenLabel);
        assertThat(first.path("entries").get(0).path("client_address").asText()).isEqualTo("127.0.0.1");
        assertThat(first.path("entries").get(0).path("at").asText()).endsWith("Z");
        long next = first.path("next_before").asLong();
        JsonNode second = Json.parse(getHttp("/api/audit?limit=2&action=correction.retry&before=" + next).body());
        assertThat(second.path("entries").get(0).path("target").asText()).isEqualTo("correction 555000");
        assertThat(Json.parse(getHttp("/api/audit?since=2999-01-01").body()).path("entries")).isEmpty();
        assertThat(Json.parse(getHttp("/api/audit?since=2000-01-01T00:00:00Z&limit=500").body()).path("entries").size()).isPositive();

        // Bounds: refused naming the parameter.
        for (String bad : List.of("limit=0", "limit=501", "limit=abc", "before=-1", "since=yesterday", "action=DROP%20TABLE")) {
            HttpResponse<String> r = getHttp("/api/audit?" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(Json.parse(r.body()).path("field").asText()).as(bad).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
        // The operator's only.
        assertThat(send("GET", "/api/audit", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/audit", null, "Authorization", "Bearer " + INTAKE_TOKEN).statusCode()).isEqualTo(401);
        // Reading records nothing.
        assertThat(audited()).isEqualTo(before);
    }

    @Test
    void retentionRemovesAuditRowsPastTheirAge() throws Exception {
        assertThat(post("/api/corrections/444001/retry", "{}").statusCode()).isEqualTo(404);
        assertThat(post("/api/corrections/444002/retry", "{}").statusCode()).isEqualTo(404);
        execute("UPDATE operator_audit SET at = at - interval '366 days' WHERE target = 'correction 444001'");
        execute("UPDATE retention_pass SET lease_owner = NULL, lease_expires_at = NULL, next_pass_at = now()");
        RetentionReport report = app.bean("ingestNotifyRetention", Retention.class).pass();
        assertThat(report).isNotNull();
        assertThat(report.removed()).containsEntry("operator_audit", 1L);
        assertThat(count("SELECT count(*) FROM operator_audit WHERE target = 'correction 444001'")).isZero();
        assertThat(count("SELECT count(*) FROM operator_audit WHERE target = 'correction 444002'")).isEqualTo(1);
    }
}
