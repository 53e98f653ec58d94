package io.ingestnotify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.ingestnotify.embedded.EmbeddedS3;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.TcpProxy;
import org.jclouds.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.ingestnotify.CorrectionCmsTest.awaitStatus;
import static io.ingestnotify.CorrectionCmsTest.failed;
import static io.ingestnotify.CorrectionCmsTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The S3 branch against a real S3-compatible server (S3Proxy, reached through camel-aws2-s3 with an endpoint
 * override and AWS v4 signing), cut off by a TCP proxy to simulate an outage.
 */
class CorrectionS3Test extends AppTestSupport {

    static final String BUCKET = "pipeline-files";
    static EmbeddedS3 s3;
    static TcpProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        s3 = CorrectionCmsTest.startS3(BUCKET);
        proxy = new TcpProxy("127.0.0.1", Integer.parseInt(s3.endpoint().substring(s3.endpoint().lastIndexOf(':') + 1)));
        Map<String, String> p = CorrectionCmsTest.correctionProperties(BUCKET, "http://127.0.0.1:" + proxy.port());
        p.put("ingest-notify.s3.timeout.ms", "1000");
        startApp(p);
        cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
    }

    @AfterAll
    static void stopS3() {
        proxy.close();
        s3.stop();
    }

    static void put(String key) {
        BlobStore store = s3.blobStore();
        store.putBlob(BUCKET, store.blobBuilder(key).payload(("content of " + key).getBytes(StandardCharsets.UTF_8)).build());
    }

    static boolean exists(String key) {
        return s3.blobStore().blobExists(BUCKET, key);
    }

    @Test
    void s3ObjectAndCmsRecordAreDeleted() throws Exception {
        put("uploads/s3-a.pdf");
        put("uploads/keep.pdf");
        post("/api/events", failed("s3-a", "s3_error", "uploads/s3-a.pdf"));
        awaitStatus("s3-a", "completed");
        assertThat(exists("uploads/s3-a.pdf")).isFalse();
        assertThat(exists("uploads/keep.pdf")).isTrue();
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/s3-a")));
        assertThat(task("s3-a")).containsEntry("s3_cleanup_completed", true).containsEntry("cms_cleanup_completed", true);
    }

    @Test
    void missingKeyCountsAsDeleted() throws Exception {
        post("/api/events", failed("s3-missing", "s3_error", "uploads/never-stored.pdf"));
        awaitStatus("s3-missing", "completed");
        assertThat(task("s3-missing").get("s3_cleanup_completed")).isEqualTo(true);
    }

    @Test
    void s3DownFailsTheTaskKeepsTheDoneCmsBranchAndTheRedriveFinishesIt() throws Exception {
        put("uploads/s3-down.pdf");
        proxy.cut();
        try {
            post("/api/events", failed("s3-down", "s3_error", "uploads/s3-down.pdf"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(task("s3-down").get("status")));
            Map<String, Object> t = task("s3-down");
            assertThat(t.get("failed_action")).isEqualTo("s3_delete");
            assertThat(t.get("cms_cleanup_completed")).isEqualTo(true);
            assertThat(t.get("s3_cleanup_completed")).isEqualTo(false);
            assertThat(exists("uploads/s3-down.pdf")).isTrue();
        } finally {
            proxy.restore();
        }
        awaitStatus("s3-down", "completed");
        assertThat(exists("uploads/s3-down.pdf")).isFalse();
        // The CMS branch, done on the first attempt, did not run again on the re-drive.
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/s3-down")));
    }

    @Test
    void s3HangingTimesOutThenTheRedriveFinishesIt() throws Exception {
        put("uploads/s3-hung.pdf");
        proxy.stall();
        try {
            post("/api/events", failed("s3-hung", "s3_error", "uploads/s3-hung.pdf"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(task("s3-hung").get("status")));
            assertThat(task("s3-hung").get("failed_action")).isEqualTo("s3_delete");
            assertThat((String) task("s3-hung").get("error_during_correction")).containsIgnoringCase("timeout");
        } finally {
            proxy.unstall();
        }
        awaitStatus("s3-hung", "completed");
        assertThat(exists("uploads/s3-hung.pdf")).isFalse();
    }

    @Test
    void dryRunAndDisabledDeleteNothing() throws Exception {
        put("uploads/dry.pdf");
        app.close();
        Map<String, String> p = new HashMap<>(app.properties());
        p.put("ingest-notify.correction.dry.run", "true");
        startApp(p);
        try {
            post("/api/events", failed("dry", "s3_error", "uploads/dry.pdf"));
            awaitStatus("dry", "dry_run");
            assertThat(exists("uploads/dry.pdf")).isTrue();
            cms.verify(0, deleteRequestedFor(urlEqualTo("/api/files/dry")));
            assertThat(task("dry").get("execution_log").toString()).contains("would run", "uploads/dry.pdf");
        } finally {
            app.close();
        }

        put("uploads/off.pdf");
        p.put("ingest-notify.correction.dry.run", "false");
        p.put("ingest-notify.enable.auto.correction", "false");
        startApp(p);
        try {
            post("/api/events", failed("off", "s3_error", "uploads/off.pdf"));
            assertThat(task("off").get("status")).isEqualTo("pending");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() -> "pending".equals(task("off").get("status")));
            assertThat(exists("uploads/off.pdf")).isTrue();
        } finally {
            app.close();
            p.put("ingest-notify.enable.auto.correction", "true");
            startApp(p);
        }
    }
}
