package io.ingestnotify.notification;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.ingestnotify.common.Formats;
import io.ingestnotify.common.Jdbc;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounces read back from the bounce mailbox (route bounces): an RFC 3464 report ({@code multipart/report;
 * report-type=delivery-status}, as Postfix, Exchange and others build it) is matched to its digest by the digest's
 * Message-ID, which the report carries in its returned message or headers ({@code message/rfc822},
 * {@code text/rfc822-headers}); the digest is recorded bounced ({@code bounced_at}; its send_status stays
 * {@code sent}) with the report's Status and Diagnostic-Code,
 * and a permanent failure (Action {@code failed}, Status 5.x.x) suppresses the address ({@code hard_bounce}). A
 * delay report (Action {@code delayed}, 4.x.x) is logged and consumed. A message that is not such a report, cannot
 * be read, or names no digest of ours is moved to BOUNCE_UNMATCHED_FOLDER (IMAP; never deleted) with one log line.
 */
public class BounceReports {

    private static final Logger LOG = LoggerFactory.getLogger(BounceReports.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:[ \\t]*(?:\\r?\\n[ \\t]+)?(<[^>\\s]+>)");
    private static final Pattern STATUS = Pattern.compile("([245])\\.[0-9]{1,3}\\.[0-9]{1,3}");

    /** What a report says about its (first failed, else first) recipient. */
    record Report(String messageId, String recipient, String action, String status, String diagnostic) {
        boolean permanent() {
            return "failed".equals(action) || (status != null && status.startsWith("5."));
        }
    }

    private final DataSource dataSource;
    private final Suppressions suppressions;
    private final String unmatchedFolder;
    private final boolean imap;

    public BounceReports(DataSource dataSource, Suppressions suppressions, String unmatchedFolder, boolean imap) {
        this.dataSource = dataSource;
        this.suppressions = suppressions;
        this.unmatchedFolder = unmatchedFolder;
        this.imap = imap;
    }

    /** Reads one message of the bounce mailbox; an unmatched or unreadable one gets the header that moves it aside. */
    public void read(Exchange exchange) throws SQLException {
        jakarta.mail.Message mail = exchange.getIn() instanceof MailMessage mm ? mm.getMessage() : null;
        String subject = subject(mail);
        Report report;
        try {
            report = mail == null ? null : parse(mail);
        } catch (MessagingException | IOException | RuntimeException e) {
            aside(exchange, subject, "unreadable (" + Formats.describe(e) + ")");
            return;
        }
        if (report == null) {
            aside(exchange, subject, "not a delivery status report (RFC 3464)");
            return;
        }
        if (report.messageId() == null) {
            aside(exchange, subject, "a report that names no Message-ID");
            return;
        }
        if (!"failed".equals(report.action()) && !report.permanent()) {
            List<Map<String, Object>> known = Jdbc.rows(dataSource, "notification/email-by-message-id", report.messageId());
            if (known.isEmpty()) {
                aside(exchange, subject, "a report for " + report.messageId() + ", which is no digest of ours");
                return;
            }
            LOG.info("Bounce mailbox: batch {} digest {} for {} ({}, status {}): not a bounce, nothing recorded",
                    known.get(0).get("batch_id"), report.messageId(), report.recipient(), report.action(), report.status());
            return;
        }
        List<Map<String, Object>> rows = Jdbc.rows(dataSource, "notification/email-bounced", report.status(), report.diagnostic(),
                report.messageId());
        if (rows.isEmpty()) {
            List<Map<String, Object>> known = Jdbc.rows(dataSource, "notification/email-by-message-id", report.messageId());
            if (known.isEmpty()) {
                aside(exchange, subject, "a report for " + report.messageId() + ", which is no digest of ours");
            } else {
                LOG.info("Bounce mailbox: batch {} digest already recorded bounced; this report changes nothing",
                        known.get(0).get("batch_id"));
            }
            return;
        }
        Map<String, Object> digest = rows.get(0);
        LOG.warn("Batch {} digest bounced: {} (status {}, {}){}", digest.get("batch_id"), digest.get("recipient_email"),
                report.status(), report.diagnostic() == null ? "no diagnostic" : report.diagnostic(),
                report.permanent() ? "; address suppressed (hard_bounce)" : "");
        if (report.permanent()) {
            suppressions.hardBounce((Integer) digest.get("company_id"), (Integer) digest.get("bot_id"), (String) digest.get("recipient_email"),
                    "bounce (" + report.status() + ", batch " + digest.get("batch_id") + ")");
        }
    }

    private void aside(Exchange exchange, String subject, String why) {
        if (imap) {
            // camel-mail moves the message there once the exchange is done (IMAP); it is never deleted.
            exchange.getIn().setHeader("moveTo", unmatchedFolder);
        }
        LOG.warn("Bounce mailbox: message \"{}\" is {}; {}", subject, why,
                imap ? "moved to folder " + unmatchedFolder : "left in the mailbox (POP3 has no folders)");
    }

    /** The report in a message, or null when it is no RFC 3464 report. */
    static Report parse(Part mail) throws MessagingException, IOException {
        Report[] found = new Report[1];
        String[] messageId = new String[1];
        walk(mail, found, messageId);
        if (found[0] == null) {
            return null;
        }
        Report r = found[0];
        return new Report(messageId[0], r.recipient(), r.action(), r.status(), r.diagnostic());
    }

    private static void walk(Part part, Report[] found, String[] messageId) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                walk(child, found, messageId);
            }
        } else if (part.isMimeType("message/delivery-status")) {
            found[0] = deliveryStatus(text(part));
        } else if (part.isMimeType("message/rfc822") && messageId[0] == null
                && part.getContent() instanceof jakarta.mail.Message returned && returned.getHeader("Message-ID") != null) {
            // Read through IMAP, the returned message's headers come from the server's parse of it (its envelope).
            messageId[0] = returned.getHeader("Message-ID")[0].trim();
        } else if (part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers")) {
            Matcher m = MESSAGE_ID.matcher(headersOf(text(part)));
            if (m.find() && messageId[0] == null) {
                messageId[0] = m.group(1);
            }
        }
    }

    /** The per-message fields, then one block per recipient: the first recipient whose Action is failed, else the first. */
    private static Report deliveryStatus(String text) {
        String[] blocks = text.replace("\r\n", "\n").split("\n\\s*\n");
        Report first = null;
        for (int i = 1; i < blocks.length; i++) {
            Map<String, String> f = fields(blocks[i]);
            if (!f.containsKey("final-recipient") && !f.containsKey("action")) {
                continue;
            }
            String recipient = f.getOrDefault("final-recipient", f.getOrDefault("original-recipient", ""));
            recipient = recipient.contains(";") ? recipient.substring(recipient.indexOf(';') + 1).trim() : recipient.trim();
            String action = f.getOrDefault("action", "").toLowerCase(Locale.ROOT).trim();
            Matcher s = STATUS.matcher(f.getOrDefault("status", ""));
            String diagnostic = f.get("diagnostic-code");
            if (diagnostic != null && diagnostic.contains(";")) {
                diagnostic = diagnostic.substring(diagnostic.indexOf(';') + 1).trim();
            }
            Report r = new Report(null, recipient, action, s.find() ? s.group() : null,
                    diagnostic == null ? null : (diagnostic.length() > 1000 ? diagnostic.substring(0, 1000) : diagnostic));
            if (action.equals("failed")) {
                return r;
            }
            if (first == null) {
                first = r;
            }
        }
        return first;
    }

    /** Header fields, folded lines unfolded, names lower-cased. */
    private static Map<String, String> fields(String block) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        String last = null;
        for (String line : block.split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                f.put(last, f.get(last) + " " + line.trim());
            } else if (line.indexOf(':') > 0) {
                last = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                f.putIfAbsent(last, line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return f;
    }

    private static String headersOf(String message) {
        String m = message.replace("\r\n", "\n");
        int end = m.indexOf("\n\n");
        return end < 0 ? m : m.substring(0, end);
    }

    private static String text(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            byte[] bytes = in.readNBytes(256 * 1024);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static String subject(jakarta.mail.Message mail) {
        try {
            String s = mail == null ? null : mail.getSubject();
            return s == null ? "(no subject)" : io.ingestnotify.common.EventText.printable(s.length() > 120 ? s.substring(0, 120) : s);
        } catch (MessagingException e) {
            return "(unreadable subject)";
        }
    }
}
