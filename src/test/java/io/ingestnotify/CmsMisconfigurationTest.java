package io.ingestnotify;

import java.time.Duration;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.ingestnotify.CorrectionCmsTest.awaitStatus;
import static io.ingestnotify.CorrectionCmsTest.failed;
import static io.ingestnotify.CorrectionCmsTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A CMS that refuses the bundle's token or requests (401, 403, 405, 400 "Invalid key") is a misconfiguration, not an
 * outage (route ingest-notify-cms-call): the clean-up fails at once with the reason, is neither redelivered nor re-driven (counted
 * in WireMock's journal) until an operator's retry; a mark is refused with an error line; preferences fall back.
 */
class CmsMisconfigurationTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        // One branch redelivery and a fast re-drive: an outage would show a second DELETE within a second or two.
        startApp(CorrectionCmsTest.correctionProperties());
    }

    private static String strapiError(int status, String name, String message) {
        return Json.write(Json.object("data", Map.of(), "error", Json.object("status", status, "name", name, "message", message)));
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 405})
    void cmsDeleteRefusedFailsAtOnceWithTheReasonAndIsNotRetried(int status) throws Exception {
        String doc = "misconfigured-" + status;
        cms.stubFor(delete(urlEqualTo("/api/files/" + doc)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(strapiError(status, "UnauthorizedError", "Missing or invalid credentials"))));
        post("/api/events", failed(doc, "file_not_found", null));

        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(task(doc).get("status")));
        Map<String, Object> t = task(doc);
        assertThat(t.get("failed_action")).isEqualTo("cms_delete");
        assertThat((String) t.get("error_during_correction"))
                .contains("CmsMisconfigured", "CMS answered " + status + " to DELETE /api/files/" + doc, "CMS_API_TOKEN");
        assertThat((String) t.get("refused_reason")).startsWith("misconfiguration: ");
        assertThat(t.get("cms_cleanup_completed")).isEqualTo(false);
        assertThat(count("SELECT count(*) FROM processing_errors WHERE file_document_id = ? AND error_category = 'correction_error'", doc))
                .isEqualTo(1);
        // No redelivery and no re-drive: one request, one attempt, still failed well past the re-drive's back-off.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                cms.findAll(deleteRequestedFor(urlEqualTo("/api/files/" + doc))).size() == 1
                        && "failed".equals(task(doc).get("status")) && ((Number) task(doc).get("attempts")).intValue() == 1);

        // Fixed: the operator's retry runs it again and it completes.
        cms.stubFor(delete(urlEqualTo("/api/files/" + doc)).willReturn(aResponse().withStatus(204)));
        int id = ((Number) t.get("id")).intValue();
        assertThat(post("/api/corrections/" + id + "/retry", "").statusCode()).isEqualTo(202);
        awaitStatus(doc, "completed");
        assertThat(task(doc).get("refused_reason")).isNull();
    }

    @Test
    void outageIsStillRedelivered() throws Exception {
        String doc = "outage-503";
        cms.stubFor(delete(urlEqualTo("/api/files/" + doc)).willReturn(aResponse().withStatus(503)));
        post("/api/events", failed(doc, "file_not_found", null));
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(task(doc).get("status")));
        // The first call and its redelivery (CORRECTION_BRANCH_REDELIVERIES=1 here); no refusal recorded.
        assertThat(cms.findAll(deleteRequestedFor(urlEqualTo("/api/files/" + doc))).size()).isGreaterThanOrEqualTo(2);
        assertThat(task(doc).get("refused_reason")).isNull();
    }

    @Test
    void markRefusedWithInvalidKeyIsLoggedAsMisconfigurationAndTheFileStaysUnmarked() throws Exception {
        String user = newUser();
        stubPreferences(61, 62, user, prefs(1, 1, "text", true, true, true));
        cms.stubFor(put(urlEqualTo("/api/files/unmarkable")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(strapiError(400, "ValidationError", "Invalid key notification_sent"))));
        try (LogCapture log = LogCapture.attach()) {
            post("/api/events", event(newEventId(), "unmarkable", "success", user, 61, 62, "unmarkable.pdf"));
            awaitMails(user, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> !log.linesContaining("refused by the CMS").isEmpty());
            assertThat(log.linesContaining("refused by the CMS").get(0))
                    .contains("unmarkable", "400 Invalid key to PUT /api/files/unmarkable", "install cms/strapi");
        }
        assertThat(cms.findAll(putRequestedFor(urlEqualTo("/api/files/unmarkable")))).isNotEmpty();
        assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id = 'unmarkable' AND cms_marked_at IS NOT NULL"))
                .isZero();
    }

    @Test
    void preferencesRefusedFallBackToDefaultsNamingTheReason() throws Exception {
        String user = newUser();
        cms.stubFor(get(urlEqualTo("/api/user-notification-preferences/by-user/71/72/" + user.replace("@", "%40")))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody(strapiError(401, "UnauthorizedError", "Missing or invalid credentials"))));
        try (LogCapture log = LogCapture.attach()) {
            post("/api/events", event(newEventId(), "prefs-401", "success", user, 71, 72, "p.pdf"));
            assertThat(log.linesContaining("unavailable from CMS")).anySatisfy(line ->
                    assertThat(line).contains("CMS answered 401", "CMS_API_TOKEN", "default"));
        }
    }
}
