package io.ingestnotify;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.LogCapture;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bounces read back (issue 20, part 5): a GreenMail IMAP bounce mailbox receives delivery status notifications laid out
 * as Postfix and Exchange build them; each is matched to its digest by the digest's Message-ID and recorded, a
 * permanent one suppresses the address; a report for no digest of ours and a message that is no report are moved to
 * the unmatched folder, one log line each.
 */
class BounceMailboxTest extends AppTestSupport {

    private static GreenMail imap;
    private static GreenMailUser box;

    @BeforeAll
    static void start() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        imap = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        imap.start();
        box = imap.setUser("bounces@knowledgebot.com", "bounces", "b0unce-pa55");
        // Plain IMAP on the loopback for the test; a real mailbox is imaps:// (plain needs SMTP_ALLOW_PLAINTEXT_AUTH).
        startApp(Map.of("ingest-notify.bounce.mailbox.url", "imap://127.0.0.1:" + port + "/INBOX",
                "ingest-notify.bounce.mailbox.user", "bounces", "ingest-notify.bounce.mailbox.password", "b0unce-pa55",
                "ingest-notify.smtp.allow.plaintext.auth", "true", "ingest-notify.bounce.mailbox.poll.ms", "1000"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
        imap.stop();
    }

    private static String digest(String user, String doc) throws Exception {
        stubPreferences(1, 2, user, prefs(1, 1440, "text", true, true, true));
        post("/api/events", event(newEventId(), doc, "success", user, 1, 2, doc + ".pdf"));
        MimeMessage mail = awaitMails(user, 1).get(0);
        String id = mail.getMessageID();
        assertThat(id).matches("<digest\\.[0-9a-f-]{36}@knowledgebot\\.com>");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                id.equals(value("SELECT message_id FROM email_notification_log WHERE recipient_email = ?", user)));
        return id;
    }

    private static void deliver(String raw) throws Exception {
        box.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.replace("\n", "\r\n")
                .getBytes(StandardCharsets.US_ASCII))));
    }

    /** A Postfix bounce: text/plain notification, message/delivery-status, text/rfc822-headers of the digest. */
    static String postfix(String user, String messageId) {
        return """
                Return-Path: <>
                From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
                Subject: Undelivered Mail Returned to Sender
                To: noreply@knowledgebot.com
                Auto-Submitted: auto-replied
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status;
                \tboundary="4D2F61A0B2.1733324400/mx.example.net"
                Message-Id: <20261204150000.4D2F61A0B2@mx.example.net>

                This is a MIME-encapsulated message.

                --4D2F61A0B2.1733324400/mx.example.net
                Content-Description: Notification
                Content-Type: text/plain; charset=us-ascii

                This is the mail system at host mx.example.net.

                I'm sorry to have to inform you that your message could not
                be delivered to one or more recipients.

                <USER>: host mail.example.com[192.0.2.10] said: 550 5.1.1
                    <USER>: Recipient address rejected: User unknown in virtual mailbox
                    table (in reply to RCPT TO command)

                --4D2F61A0B2.1733324400/mx.example.net
                Content-Description: Delivery report
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net
                X-Postfix-Queue-ID: 4D2F61A0B2
                X-Postfix-Sender: rfc822; noreply@knowledgebot.com
                Arrival-Date: Fri,  4 Dec 2026 15:00:00 +0000 (UTC)

                Final-Recipient: rfc822; USER
                Original-Recipient: rfc822;USER
                Action: failed
                Status: 5.1.1
                Remote-MTA: dns; mail.example.com
                Diagnostic-Code: smtp; 550 5.1.1 <USER>: Recipient address rejected: User
                    unknown in virtual mailbox table

                --4D2F61A0B2.1733324400/mx.example.net
                Content-Description: Undelivered Message Headers
                Content-Type: text/rfc822-headers

                Return-Path: <noreply@knowledgebot.com>
                Received: from ingest-notify (localhost [127.0.0.1])
                \tby mx.example.net (Postfix) with ESMTP id 4D2F61A0B2
                \tfor <USER>; Fri,  4 Dec 2026 15:00:00 +0000 (UTC)
                From: noreply@knowledgebot.com
                To: USER
                Message-ID: MSGID
                Subject: File Processing Complete - 1 Success, 0 Failed
                MIME-Version: 1.0

                --4D2F61A0B2.1733324400/mx.example.net--
                """.replace("USER", user).replace("MSGID", messageId);
    }

    /** An Exchange (Exchange Online) NDR: multipart/alternative notification, delivery-status, the whole message/rfc822. */
    static String exchange(String user, String messageId) {
        return """
                From: postmaster@contoso.onmicrosoft.com
                To: noreply@knowledgebot.com
                Date: Fri, 4 Dec 2026 15:00:05 +0000
                Content-Type: multipart/report; report-type=delivery-status;
                \tboundary="a8d3c7e2-6b1f-4f0e-9d7a-1c2b3a4d5e6f"
                X-MS-Exchange-Message-Is-Ndr:
                Content-Language: en-US
                Message-ID: <7e1b2c3d-4a5b-6c7d-8e9f-0a1b2c3d4e5f@BN8PR12MB3456.namprd12.prod.outlook.com>
                In-Reply-To: MSGID
                Subject: Undeliverable: File Processing Complete - 1 Success, 0 Failed
                Auto-Submitted: auto-replied
                MIME-Version: 1.0

                --a8d3c7e2-6b1f-4f0e-9d7a-1c2b3a4d5e6f
                Content-Type: multipart/alternative; differences=Content-Type;
                \tboundary="b7c6d5e4-f3a2-4b1c-8d9e-0f1a2b3c4d5e"

                --b7c6d5e4-f3a2-4b1c-8d9e-0f1a2b3c4d5e
                Content-Type: text/plain; charset="us-ascii"
                Content-Transfer-Encoding: quoted-printable

                Your message to USER couldn't be delivered.
                USER wasn't found at contoso.com.

                Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipien=
                t not found by SMTP address lookup'

                --b7c6d5e4-f3a2-4b1c-8d9e-0f1a2b3c4d5e
                Content-Type: text/html; charset="us-ascii"
                Content-Transfer-Encoding: quoted-printable

                <html><body><p>Your message to USER couldn't be delivered.</p></body></html>

                --b7c6d5e4-f3a2-4b1c-8d9e-0f1a2b3c4d5e--

                --a8d3c7e2-6b1f-4f0e-9d7a-1c2b3a4d5e6f
                Content-Type: message/delivery-status

                Reporting-MTA: dns;BN8PR12MB3456.namprd12.prod.outlook.com
                Received-From-MTA: dns;mail.knowledgebot.com
                Arrival-Date: Fri, 4 Dec 2026 15:00:03 +0000

                Final-Recipient: rfc822;USER
                Action: failed
                Status: 5.1.10
                Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
                X-Display-Name: USER

                --a8d3c7e2-6b1f-4f0e-9d7a-1c2b3a4d5e6f
                Content-Type: message/rfc822

                Received: from mail.knowledgebot.com (203.0.113.5) by BN8PR12MB3456.namprd12.prod.outlook.com
                From: noreply@knowledgebot.com
                To: USER
                Subject: File Processing Complete - 1 Success, 0 Failed
                Message-ID: MSGID
                MIME-Version: 1.0
                Content-Type: text/plain; charset=UTF-8

                FILE PROCESSING COMPLETE

                --a8d3c7e2-6b1f-4f0e-9d7a-1c2b3a4d5e6f--
                """.replace("USER", user).replace("MSGID", messageId);
    }

    private static int messagesIn(String folder) {
        try {
            ImapHostManager manager = imap.getManagers().getImapHostManager();
            MailFolder f = manager.getFolder(box, folder);
            return f == null ? 0 : f.getMessageCount();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void reportsAreMatchedByMessageIdAndRecordedAndTheRestMovedAside() throws Exception {
        try (LogCapture log = LogCapture.attach()) {
            String postfixUser = newUser();
            deliver(postfix(postfixUser, digest(postfixUser, "bn-1")));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    value("SELECT bounced_at FROM email_notification_log WHERE recipient_email = ?", postfixUser) != null);
            Map<String, Object> d = rows("SELECT * FROM email_notification_log WHERE recipient_email = ?", postfixUser).get(0);
            assertThat(d.get("bounce_status")).isEqualTo("5.1.1");
            assertThat((String) d.get("bounce_diagnostic")).contains("550 5.1.1", "User unknown");
            // The server took it (sent), then it bounced: both are recorded; the ops page shows "bounced 5.1.1".
            assertThat(d.get("send_status")).isEqualTo("sent");
            assertThat(value("SELECT reason FROM suppressions WHERE email = lower(?) AND lifted_at IS NULL", postfixUser))
                    .isEqualTo("hard_bounce");

            String exchangeUser = newUser();
            deliver(exchange(exchangeUser, digest(exchangeUser, "bn-2")));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    value("SELECT bounced_at FROM email_notification_log WHERE recipient_email = ?", exchangeUser) != null);
            assertThat(value("SELECT bounce_status FROM email_notification_log WHERE recipient_email = ?", exchangeUser)).isEqualTo("5.1.10");
            assertThat(value("SELECT reason FROM suppressions WHERE email = lower(?) AND lifted_at IS NULL", exchangeUser))
                    .isEqualTo("hard_bounce");

            // A report for a message we never sent, and a message that is no report: moved aside, one line each.
            deliver(postfix("someone@example.org", "<not-ours@example.org>"));
            deliver("""
                    From: someone@example.org
                    To: bounces@knowledgebot.com
                    Subject: Out of office
                    Content-Type: text/plain

                    I am away until Monday.
                    """);
            await().atMost(Duration.ofSeconds(20)).until(() -> messagesIn("ingest-notify-unmatched") == 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(2).plusSeconds(30)).until(() -> log.linesContaining("moved to folder").size() == 2);
            assertThat(log.linesContaining("moved to folder")).anySatisfy(l -> assertThat(l).contains("no digest of ours"))
                    .anySatisfy(l -> assertThat(l).contains("Out of office", "not a delivery status report"));
            assertThat(count("SELECT count(*) FROM email_notification_log WHERE bounced_at IS NOT NULL")).isEqualTo(2);
            assertThat(log.linesContaining("b0unce-pa55")).isEmpty();
        }
    }
}
