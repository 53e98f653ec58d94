package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ingestnotify.embedded.EmbeddedS3;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deletion circuit breaker with MAX_DELETIONS_PER_HOUR=2, against S3Proxy and a WireMock CMS: two tasks delete,
 * the third waits as held (its object still there) until the operator releases it; cancelled held tasks delete
 * nothing; a refused task takes no slot.
 */
class DeletionBreakerTest extends AppTestSupport {

    static final String BUCKET = "breaker-files";
    static EmbeddedS3 s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = CorrectionCmsTest.startS3(BUCKET);
        Map<String, String> p = CorrectionCmsTest.correctionProperties(BUCKET, s3.endpoint());
        p.put("ingest-notify.max.deletions.per.hour", "2");
        startApp(p);
        cms.stubFor(delete(urlPathMatching("/api/files/.*")).willReturn(aResponse().withStatus(204)));
    }

    @AfterAll
    static void stopS3() {
        s3.stop();
    }

    static void store(String key) {
        s3.blobStore().putBlob(BUCKET, s3.blobStore().blobBuilder(key).payload(key).build());
    }

    static boolean exists(String key) {
        return s3.blobStore().blobExists(BUCKET, key);
    }

    static List<String> docsWithStatus(String like, String status) throws Exception {
        return rows("SELECT file_document_id FROM auto_correction_tasks WHERE file_document_id LIKE ? AND status = ? ORDER BY id", like, status)
                .stream().map(r -> (String) r.get("file_document_id")).toList();
    }

    @Test
    void pastTheLimitTasksAreHeldUntilReleasedOrCancelled() throws Exception {
        // A task whose actions are all refused deletes nothing and takes no slot.
        store("b/victim.pdf");
        post("/api/events", failed("br/../refused", "s3_error", "a/../b/victim.pdf"));
        awaitStatus("br/../refused", "failed");
        assertThat(exists("b/victim.pdf")).isTrue();

        // N + 1 = 3 failed events in one group: 2 run, 1 held.
        StringBuilder group = new StringBuilder("[");
        for (int i = 0; i < 3; i++) {
            store("k/br-" + i + ".pdf");
            group.append(i == 0 ? "" : ",").append(failed("br-" + i, "s3_error", "k/br-" + i + ".pdf"));
        }
        assertThat(post("/api/events", group.append("]").toString()).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> docsWithStatus("br-_", "completed").size() == 2
                && docsWithStatus("br-_", "held").size() == 1);
        String held = docsWithStatus("br-_", "held").get(0);
        assertThat(exists("k/" + held + ".pdf")).isTrue();
        cms.verify(0, deleteRequestedFor(urlEqualTo("/api/files/" + held)));
        assertThat(value("SELECT execution_log::text FROM auto_correction_tasks WHERE file_document_id = ?", held).toString())
                .contains("\"step\": \"held\"", "MAX_DELETIONS_PER_HOUR (2) reached");

        // Held stays held (the re-drive does not take it), shown on the ops summary and the metric.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(1).plusSeconds(30))
                .until(() -> "held".equals(value("SELECT status FROM auto_correction_tasks WHERE file_document_id = ?", held)));
        String summary = getHttp("/api/ops/summary").body();
        assertThat(summary).contains("\"heldCorrections\":{\"limitPerHour\":2,\"count\":1", "\"file_document_id\":\"" + held + "\"");
        assertThat(getHttp("/observe/metrics").body()).containsPattern("ingest_corrections_held(\\{[^}]*})? 1\\.0");

        // Release: it runs now, beyond the limit.
        HttpResponse<String> released = post("/api/corrections/held/release", "{}");
        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(released.body()).isEqualTo("{\"released\":1}");
        awaitStatus(held, "completed");
        assertThat(exists("k/" + held + ".pdf")).isFalse();

        // The hour is used up: two more are held; cancel deletes nothing.
        store("k/br-c1.pdf");
        store("k/br-c2.pdf");
        post("/api/events", Json.array(failed("br-c1", "s3_error", "k/br-c1.pdf"), failed("br-c2", "s3_error", "k/br-c2.pdf")));
        awaitStatus("br-c1", "held");
        awaitStatus("br-c2", "held");
        HttpResponse<String> cancelled = post("/api/corrections/held/cancel", "{}");
        assertThat(cancelled.body()).isEqualTo("{\"cancelled\":2}");
        assertThat(docsWithStatus("br-c_", "cancelled")).containsExactlyInAnyOrder("br-c1", "br-c2");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(1).plusSeconds(30)).until(() -> exists("k/br-c1.pdf") && exists("k/br-c2.pdf"));
        cms.verify(0, deleteRequestedFor(urlEqualTo("/api/files/br-c1")));
        assertThat(post("/api/corrections/held/release", "{}").body()).isEqualTo("{\"released\":0}");
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE deletions_admitted_at IS NOT NULL")).isEqualTo(3);
    }
}
