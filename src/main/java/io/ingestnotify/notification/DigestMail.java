package io.ingestnotify.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import io.ingestnotify.common.Queries;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mail.MailConstants;

/**
 * The digest as a mail: To, From, Subject and the parts, all from the digest logged in email_notification_log,
 * never from an event (the send route removes every other header first).
 */
public class DigestMail {

    private final DataSource dataSource;
    private final String fromEmail;
    private final UnsubscribeTokens unsubscribe;

    public DigestMail(DataSource dataSource, String fromEmail, UnsubscribeTokens unsubscribe) {
        this.dataSource = dataSource;
        this.fromEmail = fromEmail;
        this.unsubscribe = unsubscribe;
    }

    /** {@code <digest.{batchId}@{FROM_EMAIL's domain}>}: unique per digest, and the same for all its attempts. */
    String messageId(String batchId) {
        return "<digest." + batchId + "@" + fromEmail.substring(fromEmail.lastIndexOf('@') + 1) + ">";
    }

    /** Sets the mail's body and its only headers from the logged digest. Nothing from an event becomes a header. */
    public void prepareMail(Exchange exchange) throws SQLException {
        String batchId = exchange.getProperty("batchId", String.class);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("notification/email-for-send"))) {
            ps.setObject(1, UUID.fromString(batchId));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("No digest logged for batch " + batchId);
                }
                Message m = exchange.getMessage();
                // A stable Message-ID (the same on every attempt): a bounce report names it, so BounceReports finds the
                // digest. camel-mail keeps a Message-ID it is given.
                String messageId = messageId(batchId);
                io.ingestnotify.common.Jdbc.update(c, "notification/email-message-id", messageId, UUID.fromString(batchId));
                m.setHeader("Message-ID", messageId);
                m.setHeader("To", rs.getString("recipient_email"));
                m.setHeader("From", fromEmail);
                m.setHeader("Subject", rs.getString("email_subject"));
                if (unsubscribe.enabled()) {
                    // RFC 2369 and RFC 8058: a mail client may unsubscribe with one POST, no page, no login.
                    m.setHeader("List-Unsubscribe", unsubscribe.listUnsubscribe(rs.getInt("company_id"), rs.getInt("bot_id"),
                            rs.getString("recipient_email")));
                    m.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                }
                String html = rs.getString("email_content_html");
                if (html != null) {
                    m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=UTF-8");
                    m.setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, rs.getString("email_content_text"));
                    m.setBody(html);
                } else {
                    m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
                    m.setBody(rs.getString("email_content_text"));
                }
            }
        }
    }
}
