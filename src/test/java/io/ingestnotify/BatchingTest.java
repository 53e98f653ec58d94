package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.batching.PreferenceCache;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.spi.AggregationRepository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The batching rules end to end: HTTP in, batches in PostgreSQL, one digest per batch out of GreenMail. */
class BatchingTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of());
    }

    @Test
    void batchCompletesBySizeWithOneDigest() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(3, 1440, "html", true, true, true));

        HttpResponse<String> r = post("/api/events", Json.array(event(newEventId(), "docA", "success", user, 1, 2, "a.pdf"),
                event(newEventId(), "docB", "failed", user, 1, 2, "b.pdf"),
                event(newEventId(), "docC", "success", user, 1, 2, "c.pdf")));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"accepted\":3");
        List<MimeMessage> mails = awaitMails(user, 1);
        assertThat(mails.get(0).getSubject()).isEqualTo("File Processing Complete - 2 Success, 1 Failed");
        assertThat(mails.get(0).getContentType()).startsWith("multipart/alternative");

        Map<String, Object> batch = rows("SELECT * FROM batch_processing_sessions WHERE user_email = ?", user).get(0);
        assertThat(batch).containsEntry("status", "completed").containsEntry("total_files", 3)
                .containsEntry("successful_files", 2).containsEntry("failed_files", 1)
                .containsEntry("completion_reason", "size");
        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(
                value("SELECT notification_sent FROM batch_processing_sessions WHERE user_email = ?", user)));
        assertThat(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)).isEqualTo("sent");
        assertThat(count("SELECT count(*) FROM batch_files f JOIN batch_processing_sessions b USING (batch_id) WHERE b.user_email = ?", user)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM file_processing_status WHERE file_document_id IN ('docA','docB','docC')")).isEqualTo(3);
        // The aggregator holds nothing more for the batch once it completed, and lists only open batches.
        String batchId = batch.get("batch_id").toString();
        AggregationRepository repository = app.bean("ingestNotifyAggregationRepository", AggregationRepository.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> repository.get(app.context(), batchId) == null);
        assertThat(repository.getKeys()).doesNotContain(batchId);
        // Nothing more arrives for this batch.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(1500).plusSeconds(30)).until(() -> mailsTo(user).size() == 1);
    }

    @Test
    void cmsFileRecordsAreMarkedAfterTheDigestAndAgainAfterACmsOutage() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(2, 1440, "html", true, true, true));
        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/files/mark-1"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200).withBody(Json.write(Json.object("data", Json.object())))));
        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/files/mark-2"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(502)));
        post("/api/events", Json.array(event(newEventId(), "mark-1", "success", user, 1, 2, "mark-1.pdf"),
                event(newEventId(), "mark-2", "success", user, 1, 2, "mark-2.pdf")));
        awaitMails(user, 1);
        String batchId = value("SELECT batch_id::text FROM batch_processing_sessions WHERE user_email = ?", user).toString();

        await().atMost(Duration.ofSeconds(5)).until(() -> value("SELECT cms_marked_at FROM batch_files WHERE file_document_id = 'mark-1'") != null);
        cms.verify(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/files/mark-1"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + CMS_TOKEN))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        Json.write(Json.object("data", Json.object("notification_sent", true, "last_notification_batch", batchId))))));
        assertThat(value("SELECT cms_marked_at FROM batch_files WHERE file_document_id = 'mark-2'")).isNull();

        // The CMS is back: the sweeper's mark step (run here directly) marks the deferred file.
        cms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/files/mark-2"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)));
        app.context().createProducerTemplate().sendBody("direct:ingest-notify-mark-cms-files", null);
        assertThat(value("SELECT cms_marked_at FROM batch_files WHERE file_document_id = 'mark-2'")).isNotNull();
    }

    @Test
    void batchCompletesByTimeoutOfItsSnapshotDelay() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(50, 700, "html", true, true, true));

        post("/api/events", event(newEventId(), "t1", "success", user, 1, 2, "t1.pdf"));
        post("/api/events", event(newEventId(), "t2", "success", user, 1, 2, "t2.pdf"));

        List<MimeMessage> mails = awaitMails(user, 1);
        assertThat(mails.get(0).getSubject()).isEqualTo("File Processing Complete - 2 Success, 0 Failed");
        Map<String, Object> batch = rows("SELECT * FROM batch_processing_sessions WHERE user_email = ?", user).get(0);
        assertThat(batch).containsEntry("completion_reason", "timeout").containsEntry("total_files", 2);
        // The delay ran from the last file, not the first: the batch stayed open at least that long.
        java.sql.Timestamp start = (java.sql.Timestamp) batch.get("batch_start_time");
        java.sql.Timestamp end = (java.sql.Timestamp) batch.get("batch_end_time");
        assertThat(end.getTime() - start.getTime()).isGreaterThanOrEqualTo(700);
    }

    @Test
    void interleavedUsersEachGetTheirOwnFiles() throws Exception {
        String[] users = {newUser(), newUser(), newUser()};
        for (String u : users) {
            stubPreferences(7, 8, u, prefs(4, 1440, "text", true, true, true));
        }
        for (int round = 0; round < 4; round++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < users.length; i++) {
                body.append(i == 0 ? "" : ",").append(event(newEventId(), "doc-" + i + "-" + round, "success", users[i], 7, 8,
                        "file-" + i + "-" + round + ".pdf"));
            }
            assertThat(post("/api/events", body.append("]").toString()).statusCode()).isEqualTo(202);
        }
        for (int i = 0; i < users.length; i++) {
            MimeMessage mail = awaitMails(users[i], 1).get(0);
            String text = (String) mail.getContent();
            for (int round = 0; round < 4; round++) {
                assertThat(text).contains("file-" + i + "-" + round + ".pdf");
            }
            for (int other = 0; other < users.length; other++) {
                if (other != i) {
                    assertThat(text).doesNotContain("file-" + other + "-");
                }
            }
        }
        assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE company_id = 7")).isEqualTo(3);
    }

    @Test
    void preferencesAreFrozenWhenTheBatchOpens() throws Exception {
        String user = newUser();
        stubPreferences(3, 4, user, prefs(3, 1440, "html", true, true, true));
        post("/api/events", event(newEventId(), "f1", "success", user, 3, 4, "f1.pdf"));

        // The user changes preferences mid-batch; the cache is refreshed so the change is really seen.
        stubPreferences(3, 4, user, prefs(2, 1440, "text", true, false, false));
        app.bean("ingestNotifyPreferenceCache", PreferenceCache.class).invalidateAll();
        post("/api/events", event(newEventId(), "f2", "success", user, 3, 4, "f2.pdf"));
        assertThat(mailsTo(user)).isEmpty();
        post("/api/events", event(newEventId(), "f3", "success", user, 3, 4, "f3.pdf"));

        MimeMessage mail = awaitMails(user, 1).get(0);
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        assertThat(html(mail)).contains("f1.pdf", "f2.pdf", "f3.pdf");
        assertThat(count("SELECT total_files FROM batch_processing_sessions WHERE user_email = ? AND status = 'completed'", user)).isEqualTo(3);

        // The next batch opens with the new preferences: text only, no file lists, closes at 2.
        post("/api/events", Json.array(event(newEventId(), "f4", "success", user, 3, 4, "f4.pdf"),
                event(newEventId(), "f5", "success", user, 3, 4, "f5.pdf")));
        MimeMessage second = awaitMails(user, 2).get(1);
        assertThat(second.getContentType()).startsWith("text/plain");
        assertThat((String) second.getContent()).doesNotContain("f4.pdf").contains("Successful: 2");
    }

    @Test
    void duplicateEventIsIgnoredAndCounted() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(2, 1440, "html", true, true, true));
        String id = newEventId();
        HttpResponse<String> first = post("/api/events", event(id, "dup", "success", user, 1, 2, "dup.pdf"));
        HttpResponse<String> second = post("/api/events", Json.array(event(id, "dup", "success", user, 1, 2, "dup.pdf"),
                event(id, "dup", "success", user, 1, 2, "dup.pdf")));

        assertThat(first.body()).contains("\"accepted\":1", "\"duplicates\":0");
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.body()).contains("\"accepted\":0", "\"duplicates\":2");
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = ?", id)).isEqualTo(1);
        assertThat(count("SELECT total_files FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id = 'dup'")).isEqualTo(1);
    }

    @Test
    void notificationsDisabledByPreferenceCompletesWithoutMail() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(1, 1440, "html", false, true, true));
        post("/api/events", event(newEventId(), "quiet", "success", user, 1, 2, "quiet.pdf"));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                "skipped".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
        assertThat(value("SELECT status FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo("completed");
        assertThat(value("SELECT notification_sent FROM batch_processing_sessions WHERE user_email = ?", user)).isEqualTo(false);
        assertThat(mailsTo(user)).isEmpty();
    }

    @Test
    void textFormatWithoutDetailsSendsPlainTextOnly() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(2, 1440, "text", true, false, false));
        post("/api/events", Json.array(event(newEventId(), "x1", "success", user, 1, 2, "secret-name-1.pdf"),
                event(newEventId(), "x2", "failed", user, 1, 2, "secret-name-2.pdf")));

        MimeMessage mail = awaitMails(user, 1).get(0);
        assertThat(mail.getContentType()).startsWith("text/plain");
        String text = (String) mail.getContent();
        assertThat(text).contains("Successful: 1", "Failed: 1").doesNotContain("secret-name-1", "secret-name-2");
        assertThat(value("SELECT email_content_html FROM email_notification_log WHERE recipient_email = ?", user)).isNull();
    }

    @Test
    void htmlAndCrlfFromEventsAreEscapedAndNeverReachHeaders() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(1, 1440, "html", true, true, true));
        // CR/LF are refused in a name (400, IntakeValidationTest); a tab is allowed, and the error message may span lines.
        String evil = "<script>alert(1)</script>\tBcc: victim@evil.example\tX-Injected: yes";
        JsonNode body = Json.object("event_id", newEventId(), "file_document_id", "inj", "status", "failed",
                "user_email", user, "company_id", 1, "bot_id", 2, "file_name", evil,
                "error_message", "<img src=x onerror=alert(2)>\r\nSubject: hacked");
        assertThat(post("/api/events", body).statusCode()).isEqualTo(202);

        MimeMessage mail = awaitMails(user, 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("File Processing Complete - 0 Success, 1 Failed");
        assertThat(mail.getHeader("X-Injected")).isNull();
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly(user);
        String html = html(mail);
        assertThat(html).doesNotContain("<script>", "<img").contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x");
        String text = text(mail);
        assertThat(text).doesNotContain("\nBcc:", "\nSubject: hacked").contains("Bcc: victim@evil.example");
        assertThat(smtp.getReceivedMessagesForDomain("evil.example")).isEmpty();

        // A recipient address with CRLF is refused outright.
        HttpResponse<String> r = post("/api/events", Json.object("event_id", "x", "file_document_id", "d", "status", "success",
                "user_email", "a@b.com\r\nBcc: c@evil.example"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"user_email\"");
    }

    @Test
    void missingMetadataIsLookedUpInTheFilesTable() throws Exception {
        execute("CREATE TABLE IF NOT EXISTS files (id serial PRIMARY KEY, document_id text, company_id int, bot_id int, name text, storage_key text)");
        execute("INSERT INTO files (document_id, company_id, bot_id, name, storage_key) VALUES ('known-doc', 11, 12, 'report.docx', 'k/report.docx')");
        String user = newUser();
        stubPreferences(11, 12, user, prefs(1, 1440, "html", true, true, true));

        HttpResponse<String> r = post("/api/events", Json.array(
                Json.object("event_id", newEventId(), "file_document_id", "known-doc", "status", "success", "user_email", user),
                Json.object("event_id", newEventId(), "file_document_id", "ghost-doc", "status", "success", "user_email", user)));

        assertThat(r.body()).contains("\"accepted\":2", "\"file_not_found\":1");
        assertThat(html(awaitMails(user, 1).get(0))).contains("report.docx");
        assertThat(value("SELECT storage_key FROM batch_files WHERE file_document_id = 'known-doc'")).isEqualTo("k/report.docx");
        assertThat(value("SELECT outcome FROM file_events WHERE file_document_id = 'ghost-doc'")).isEqualTo("file_not_found");
        assertThat(value("SELECT error_category FROM processing_errors WHERE file_document_id = 'ghost-doc'")).isEqualTo("file_not_found");
        assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id = 'ghost-doc'")).isZero();
    }

    @Test
    void eventWithoutRecipientIsRecordedButJoinsNoBatch() throws Exception {
        HttpResponse<String> r = post("/api/events", Json.object("event_id", newEventId(), "file_document_id", "nobody",
                "status", "failed", "company_id", 5, "bot_id", 5, "error_message", "S3 bucket unreachable"));
        assertThat(r.body()).contains("\"no_recipient\":1");
        assertThat(value("SELECT outcome FROM file_events WHERE file_document_id = 'nobody'")).isEqualTo("no_recipient");
        assertThat(value("SELECT error_category FROM processing_errors WHERE file_document_id = 'nobody'")).isEqualTo("s3_error");
        assertThat(count("SELECT count(*) FROM batch_processing_sessions WHERE company_id = 5")).isZero();
    }

    @Test
    void outboxRowsAreClaimedBatchedAndBadRowsRejected() throws Exception {
        String user = newUser();
        stubPreferences(21, 22, user, prefs(3, 1440, "html", true, true, true));
        for (int i = 0; i < 3; i++) {
            execute("INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name) "
                    + "VALUES (?, ?, 'success', ?, 21, 22, ?)", newEventId(), "ob-" + i, user, "outbox-" + i + ".pdf");
        }
        execute("INSERT INTO file_events (event_id, file_document_id, status, user_email) VALUES (?, 'ob-bad', 'exploded', ?)",
                newEventId(), user);

        assertThat(html(awaitMails(user, 1).get(0))).contains("outbox-0.pdf", "outbox-1.pdf", "outbox-2.pdf");
        await().atMost(Duration.ofSeconds(5)).until(() -> value("SELECT outcome FROM file_events WHERE file_document_id = 'ob-bad'") != null);
        Map<String, Object> bad = rows("SELECT * FROM file_events WHERE file_document_id = 'ob-bad'").get(0);
        assertThat(bad.get("outcome")).isEqualTo("rejected");
        assertThat((String) bad.get("rejected_reason")).contains("status");
        assertThat(bad.get("processed_at")).isNotNull();
        assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id LIKE 'ob-%' AND outcome = 'batched'")).isEqualTo(3);
    }

    static String html(MimeMessage mail) throws Exception {
        return part(mail, "text/html");
    }

    static String text(MimeMessage mail) throws Exception {
        if (mail.getContent() instanceof String s) {
            return s;
        }
        return part(mail, "text/plain");
    }

    private static String part(MimeMessage mail, String type) throws Exception {
        Multipart mp = (Multipart) mail.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
            if (mp.getBodyPart(i).getContentType().startsWith(type)) {
                return (String) mp.getBodyPart(i).getContent();
            }
        }
        throw new AssertionError("no " + type + " part in " + mail.getContentType());
    }
}
