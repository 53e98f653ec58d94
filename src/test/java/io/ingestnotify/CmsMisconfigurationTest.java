package io.ingestnotify;

import java.time.Duration;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.ingestnotify.CorrectionCmsTest.failed;
import static io.ingestnotify.CorrectionCmsTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a WireMock CMS shows that the real one cannot be made to: an outage (503) is still redelivered, unlike a
 * misconfiguration; and a refused preference look-up falls back to the defaults naming the reason. The refusals
 * themselves (401/403/405, 400 "Invalid key") are shown against a real Strapi 5 in StrapiCmsTest.
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
