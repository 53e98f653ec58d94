package io.ingestnotify;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.Fault;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.ingestnotify.CorrectionCmsTest.awaitStatus;
import static io.ingestnotify.CorrectionCmsTest.failed;
import static io.ingestnotify.CorrectionCmsTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * S3 and Chroma answering HTTP 500 (a stand-in server, WireMock, speaking their protocols: S3's path-style
 * DELETE and Chroma's v2 API), then recovering: the task fails on that action, and the re-drive completes it.
 */
class CorrectionServerErrorTest extends AppTestSupport {

    static final String CHROMA = "/api/v2/tenants/default_tenant/databases/default_database/collections";

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> p = new HashMap<>(CorrectionCmsTest.correctionProperties());
        p.put("ingest-notify.s3.bucket", "pipeline-files");
        p.put("ingest-notify.s3.endpoint", "http://127.0.0.1:" + cms.port());
        p.put("ingest-notify.s3.access-key", "test");
        p.put("ingest-notify.s3.secret-key", "test-secret");
        p.put("ingest-notify.chroma.url", "http://127.0.0.1:" + cms.port());
        // Requests are counted here: a slow first answer must not turn into a timeout and a redelivery.
        p.put("ingest-notify.cms.timeout.ms", "10000");
        startApp(p);
        cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
        cms.stubFor(get(urlEqualTo(CHROMA + "/global")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Json.write(Json.object("id", "7d3f0c1e-0000-4000-8000-000000000001", "name", "global")))));
    }

    @Test
    void s3Answering500FailsTheTaskThenTheRedriveCompletesIt() throws Exception {
        cms.stubFor(delete(urlEqualTo("/pipeline-files/uploads/s3-500.pdf")).willReturn(aResponse().withStatus(500)
                .withBody("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>")));
        post("/api/events", failed("s3-500", "s3_error", "uploads/s3-500.pdf"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(task("s3-500").get("status")));
        assertThat(task("s3-500").get("failed_action")).isEqualTo("s3_delete");
        assertThat(task("s3-500").get("cms_cleanup_completed")).isEqualTo(true);

        cms.stubFor(delete(urlEqualTo("/pipeline-files/uploads/s3-500.pdf")).willReturn(aResponse().withStatus(204)));
        awaitStatus("s3-500", "completed");
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/s3-500")));
        // Sent once per lease check: the SDK resends nothing by itself (it would, three times, after a 500).
        cms.verify(sentOncePerCheck("s3-500"), deleteRequestedFor(urlEqualTo("/pipeline-files/uploads/s3-500.pdf")));
    }

    @Test
    void aCmsConnectionResetIsRetriedOnlyByTheRouteAfterItsLeaseCheck() throws Exception {
        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(CHROMA + "/7d3f0c1e-0000-4000-8000-000000000001/delete"))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
        cms.stubFor(delete(urlEqualTo("/api/files/cms-reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        post("/api/events", failed("cms-reset", "s3_error", null));
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(task("cms-reset").get("status")));

        cms.stubFor(delete(urlEqualTo("/api/files/cms-reset")).willReturn(aResponse().withStatus(204)));
        awaitStatus("cms-reset", "completed");
        // Apache HttpClient would resend the idempotent DELETE once by itself after the reset, unchecked.
        cms.verify(sentOncePerCheck("cms-reset"), deleteRequestedFor(urlEqualTo("/api/files/cms-reset")));
    }

    /** Each failed attempt's calls (the first and CORRECTION_BRANCH_REDELIVERIES=1 more), then the one that succeeded. */
    private static int sentOncePerCheck(String doc) throws Exception {
        int attempts = ((Number) task(doc).get("attempts")).intValue();
        assertThat(attempts).isGreaterThan(1);
        return (attempts - 1) * 2 + 1;
    }

    @Test
    void chromaAnswering500FailsTheTaskThenTheRedriveCompletesIt() throws Exception {
        String delete = CHROMA + "/7d3f0c1e-0000-4000-8000-000000000001/delete";
        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(delete)).willReturn(aResponse().withStatus(500)
                .withBody(Json.write(Json.object("error", "InternalError", "message", "boom")))));
        post("/api/events", failed("chroma-500", "storage_error", null));
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(task("chroma-500").get("status")));
        assertThat((String) task("chroma-500").get("error_during_correction")).contains("500");

        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(delete)).willReturn(aResponse().withStatus(200).withBody("{}")));
        awaitStatus("chroma-500", "completed");
        cms.verify(postRequestedFor(urlEqualTo(delete))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        Json.write(Json.object("where", Json.object("document_id", Json.object("$eq", "chroma-500")))))));
    }
}
