package io.ingestnotify;

import java.net.http.HttpResponse;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata look-up through the CMS when the CMS fails: an outage is ours (503, retry later), a path no route
 * serves is a misconfiguration (500, logged naming it); either way nothing of the request is recorded, and a known
 * file never becomes file_not_found. (An unknown document, Strapi's own 404, is shown against a real Strapi.)
 */
class CmsLookupFailureTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of("ingest-notify.metadata.source", "cms"));
    }

    /** An event without company and bot: its metadata must be looked up. */
    private static String eventNeedingLookUp(String eventId, String doc) {
        return Json.write(Json.object("event_id", eventId, "file_document_id", doc, "status", "success", "user_email", newUser()));
    }

    @Test
    void cmsOutageAnswers503AndRecordsNothing() throws Exception {
        String doc = "lookup-outage";
        cms.stubFor(get(urlPathEqualTo("/api/files/" + doc)).willReturn(aResponse().withStatus(503)));
        String eventId = newEventId();

        HttpResponse<String> r = post("/api/events", eventNeedingLookUp(eventId, doc));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", eventId)).isZero();
        assertThat(count("SELECT count(*) FROM file_processing_status WHERE file_document_id = ?", doc)).isZero();
    }

    @Test
    void pathNoRouteServesIsAMisconfigurationNotAMissingFile() throws Exception {
        String doc = "lookup-wrong-path";
        // A 404 without Strapi's error body: no content type answers there (wrong CMS_FILES_PATH or prefix).
        cms.stubFor(get(urlPathEqualTo("/api/files/" + doc)).willReturn(aResponse().withStatus(404).withBody("Not Found")));
        String eventId = newEventId();

        try (LogCapture log = LogCapture.attach()) {
            HttpResponse<String> r = post("/api/events", eventNeedingLookUp(eventId, doc));

            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(log.linesContaining(doc)).anySatisfy(line -> assertThat(line).contains("misconfiguration", "CMS_FILES_PATH"));
        }
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", eventId)).isZero();
        assertThat(count("SELECT count(*) FROM file_processing_status WHERE file_document_id = ?", doc)).isZero();
    }
}
