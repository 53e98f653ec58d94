package io.ingestnotify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.ingestnotify.embedded.EmbeddedS3;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.ChromaServer;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The full clean-up against real servers: S3Proxy, a Strapi-like CMS (WireMock) and a real Chroma (npm chromadb). */
class CorrectionChromaTest extends AppTestSupport {

    static final String BUCKET = "pipeline-files";
    static ChromaServer chroma;
    static EmbeddedS3 s3;
    static String collection;
    static TcpProxy chromaProxy;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(ChromaServer.available() || System.getenv("CI") != null,
                "Node.js or src/test/chroma/node_modules missing (run npm ci there): Chroma tests skipped");
        chroma = new ChromaServer();
        collection = chroma.createCollection("global");
        s3 = CorrectionCmsTest.startS3(BUCKET);
        Map<String, String> p = CorrectionCmsTest.correctionProperties(BUCKET, s3.endpoint());
        chromaProxy = new TcpProxy("127.0.0.1", chroma.port());
        p.put("ingest-notify.chroma.url", "http://127.0.0.1:" + chromaProxy.port());
        p.put("ingest-notify.chroma.timeout.ms", "1000");
        // no CMS fault here: a slow machine's late 204 must not time out and send the DELETE again
        p.put("ingest-notify.cms.timeout.ms", "10000");
        startApp(p);
        cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
    }

    @AfterAll
    static void stopServers() {
        if (chromaProxy != null) {
            chromaProxy.close();
        }
        if (chroma != null) {
            chroma.close();
        }
        if (s3 != null) {
            s3.stop();
        }
    }

    static void put(String key) {
        BlobStore store = s3.blobStore();
        store.putBlob(BUCKET, store.blobBuilder(key).payload("x".getBytes(StandardCharsets.UTF_8)).build());
    }

    @Test
    void processingErrorIsCleanedFromS3CmsAndChroma() throws Exception {
        put("uploads/full.pdf");
        chroma.addChunks(collection, "full", 4);
        chroma.addChunks(collection, "neighbour", 3);
        post("/api/events", failed("full", "processing_error", "uploads/full.pdf"));

        awaitStatus("full", "completed");
        assertThat(s3.blobStore().blobExists(BUCKET, "uploads/full.pdf")).isFalse();
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/full")));
        assertThat(chroma.countFor(collection, "full")).isZero();
        assertThat(chroma.countFor(collection, "neighbour")).isEqualTo(3);
        assertThat(task("full")).containsEntry("s3_cleanup_completed", true).containsEntry("cms_cleanup_completed", true)
                .containsEntry("chroma_cleanup_completed", true);
    }

    @Test
    void chromaWithNoMatchingChunksCountsAsDone() throws Exception {
        post("/api/events", failed("no-chunks", "storage_error", null));
        awaitStatus("no-chunks", "completed");
        assertThat(task("no-chunks").get("execution_log").toString()).contains("deleted chunks where document_id = no-chunks");
    }

    @Test
    void chromaDownThenBack() throws Exception {
        chroma.addChunks(collection, "chroma-down", 2);
        chroma.stop();
        try {
            post("/api/events", failed("chroma-down", "storage_error", null));
            await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(task("chroma-down").get("status")));
            assertThat(task("chroma-down").get("failed_action")).isEqualTo("chroma_delete");
        } finally {
            chroma.start();
        }
        awaitStatus("chroma-down", "completed");
        assertThat(chroma.countFor(collection, "chroma-down")).isZero();
    }

    @Test
    void chromaHangingTimesOutThenTheRedriveFinishesIt() throws Exception {
        chroma.addChunks(collection, "chroma-hung", 2);
        chromaProxy.stall();
        try {
            post("/api/events", failed("chroma-hung", "storage_error", null));
            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(task("chroma-hung").get("status")));
            assertThat((String) task("chroma-hung").get("error_during_correction")).containsIgnoringCase("timeout");
        } finally {
            chromaProxy.unstall();
        }
        awaitStatus("chroma-hung", "completed");
        assertThat(chroma.countFor(collection, "chroma-hung")).isZero();
    }

    @Test
    void documentIdCannotBendTheChromaFilter() throws Exception {
        chroma.addChunks(collection, "victim", 2);
        String tricky = "x\"},\"$or\":[{\"document_id\":\"victim";
        post("/api/events", failed(tricky, "storage_error", null));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Object s = value("SELECT status FROM auto_correction_tasks WHERE file_document_id LIKE 'x\"%'");
            return "completed".equals(s) || "failed".equals(s);
        });
        assertThat(chroma.countFor(collection, "victim")).isEqualTo(2);
    }
}
