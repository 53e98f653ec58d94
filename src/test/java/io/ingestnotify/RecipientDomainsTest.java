package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.RunningApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * RECIPIENT_DOMAINS: an event for another domain (a subdomain too) is recorded as recipient_not_allowed, joins no
 * batch and gets no mail; its failure is still corrected as usual. Allowed domains batch and mail as before.
 */
class RecipientDomainsTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of("ingest-notify.recipient.domains", " Allowed.Example ,second.example"));
    }

    @Test
    void eventForAnotherDomainIsRecordedWithoutBatchOrMail() throws Exception {
        String allowed = newUser().replace("@example.com", "@ALLOWED.example");
        String foreign = newUser().replace("@example.com", "@elsewhere.example");
        String subdomain = newUser().replace("@example.com", "@mail.allowed.example");
        stubPreferences(31, 32, allowed, prefs(1, 1440, "text", true, true, true));

        HttpResponse<String> r = post("/api/events", Json.array(event(newEventId(), "rd-ok", "success", allowed, 31, 32, "ok.pdf"),
                event(newEventId(), "rd-foreign", "failed", foreign, 31, 32, "foreign.pdf"),
                event(newEventId(), "rd-sub", "success", subdomain, 31, 32, "sub.pdf")));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"accepted\":3", "\"recipient_not_allowed\":2");
        assertThat(awaitMails(allowed, 1)).hasSize(1);
        assertThat(value("SELECT outcome FROM file_events WHERE file_document_id = 'rd-ok'")).isEqualTo("batched");
        for (String doc : new String[] {"rd-foreign", "rd-sub"}) {
            assertThat(value("SELECT outcome FROM file_events WHERE file_document_id = ?", doc)).isEqualTo("recipient_not_allowed");
            assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id = ?", doc)).isZero();
        }
        assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE user_email IN (?, ?)", foreign, subdomain)).isZero();
        // The failure is still a failure: its correction task is made as for any other event.
        assertThat(count("SELECT count(*) FROM auto_correction_tasks WHERE file_document_id = 'rd-foreign'")).isEqualTo(1);
        assertThat(value("SELECT error_category FROM processing_errors WHERE file_document_id = 'rd-foreign'")).isNotNull();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(1).plusSeconds(30)).until(() -> noMailTo(foreign) && noMailTo(subdomain));
        assertThat(getHttp("/observe/metrics").body())
                .containsPattern("ingest_events_total\\{outcome=\"recipient_not_allowed\"[^}]*} [2-9]");
    }

    @Test
    void outboxRowForAnotherDomainIsMarkedRecipientNotAllowed() throws Exception {
        String foreign = newUser().replace("@example.com", "@elsewhere.example");
        execute("INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name) "
                + "VALUES (?, 'rd-outbox', 'success', ?, 33, 34, 'outbox.pdf')", newEventId(), foreign);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "recipient_not_allowed".equals(value("SELECT outcome FROM file_events WHERE file_document_id = 'rd-outbox'")));
        assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE user_email = ?", foreign)).isZero();
    }

    @Test
    void defaultRecipientOutsideTheListStopsStartup() {
        Map<String, String> p = baseProperties();
        p.put("ingest-notify.recipient.domains", "allowed.example");
        p.put("ingest-notify.default.recipient", "ops@elsewhere.example");
        p.put("ingest-notify.http.port", "0");
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e ->
                assertThat(SmtpConfigTest.messages(e)).contains("Invalid setting DEFAULT_RECIPIENT='ops@elsewhere.example'")
                        .contains("RECIPIENT_DOMAINS"));
    }

    private static boolean noMailTo(String email) {
        return Arrays.stream(smtp.getReceivedMessages()).noneMatch(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(email));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
