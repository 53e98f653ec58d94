package io.ingestnotify.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.ingestnotify.common.Formats;
import io.ingestnotify.common.IngestMetrics;
import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.LeaseLost;
import io.ingestnotify.common.Leases;
import io.ingestnotify.common.Queries;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digest's life in email_notification_log and notification_retry_log: claimed once per batch, each failed
 * attempt recorded with its next retry time, then sent or failed (and re-sendable on request).
 */
public class EmailLog {

    private static final Logger LOG = LoggerFactory.getLogger(EmailLog.class);
    /** The exchange property holding the fence of the digest's lease, from its claim to its last step. */
    public static final String LEASE_FENCE = "leaseFence";

    private final DataSource dataSource;
    private final int maxAttempts;
    private final RedeliveryPolicy redelivery;
    private final String smtpServer;
    private final IngestMetrics metrics;
    private final Leases leases;
    private final RecipientControls controls;
    private final Suppressions suppressions;

    /** @param redelivery the same policy the send route redelivers with, so the retry log says when it really retries */
    public EmailLog(DataSource dataSource, RedeliveryPolicy redelivery, String smtpServer, IngestMetrics metrics, Leases leases,
                    RecipientControls controls, Suppressions suppressions) {
        this.controls = controls;
        this.suppressions = suppressions;
        this.metrics = metrics;
        this.leases = leases;
        this.dataSource = dataSource;
        this.maxAttempts = redelivery.getMaximumRedeliveries() + 1;
        this.redelivery = redelivery;
        this.smtpServer = smtpServer;
    }

    /**
     * Claims the rendered digest for sending, as the recipient's controls allow (RecipientControls.claim): {@code send}
     * for the one caller whose claim wins, else {@code hold}, {@code fold} or {@code taken}.
     */
    public String claim(@Body Map<String, Object> digest, @Variable("emailHtml") String html,
                        @Variable("emailText") String text, Exchange exchange) throws SQLException {
        String outcome = controls.claim(digest, html, text, this, exchange);
        if (outcome.equals("taken")) {
            LOG.info("Batch {} digest already claimed (or changed since rendered); not sending it now", digest.get("batchId"));
        }
        return outcome;
    }

    /**
     * Inserts the digest's log row, or turns its held row pending; answers the lease's fence only to the one caller
     * whose write wins (else null).
     */
    Long insertClaim(Connection c, Map<String, Object> digest, String html, String text, Instant now) throws SQLException {
        List<Map<String, Object>> won = Jdbc.rows(c, "notification/claim-email", UUID.fromString((String) digest.get("batchId")),
                digest.get("recipient"), digest.get("companyId"), digest.get("botId"), digest.get("subject"),
                "html".equals(digest.get("emailFormat")) ? html : null, text, "pending", maxAttempts,
                leases.instanceId(), leases.seconds(), now, digest.get("foldedBatches"));
        return won.isEmpty() ? null : ((Number) won.get(0).get("lease_fence")).longValue();
    }

    /** Notifications off (globally or by the snapshot): the batch is recorded as completed, its digest as skipped. */
    public void skipped(@Body Map<String, Object> digest) throws SQLException {
        String batchId = (String) digest.get("batchId");
        Jdbc.update(dataSource, "notification/skip-email", UUID.fromString(batchId), digest.get("recipient"), digest.get("companyId"),
                digest.get("botId"), digest.get("subject"), digest.get("skipReason"));
        LOG.info("Batch {} completed; no digest sent ({})", batchId, digest.get("skipReason"));
        metrics.mail("skipped");
    }

    /** Called on every failed SMTP attempt (onExceptionOccurred): counts it and writes its retry log row. */
    public void attemptFailed(Exchange exchange) throws SQLException {
        String batchId = exchange.getProperty("batchId", String.class);
        Long fence = exchange.getProperty(LEASE_FENCE, Long.class);
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SmtpReply reply = SmtpReply.of(error);
        String message = reply.code() > 0 ? reply.describe() : Formats.describe(error);
        Integer code = reply.code() > 0 ? reply.code() : null;
        String relay = exchange.getProperty("smtpRelayName", String.class);
        UUID id = UUID.fromString(batchId);
        try (Connection c = dataSource.getConnection()) {
            int attempt;
            int max;
            try (PreparedStatement ps = c.prepareStatement(Queries.get("notification/email-attempt-failed"))) {
                ps.setString(1, message);
                ps.setObject(2, code);
                ps.setString(3, reply.enhancedStatus());
                ps.setString(4, relay);
                ps.setObject(5, id);
                ps.setString(6, leases.instanceId());
                ps.setObject(7, fence);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // Lease gone: nothing recorded; the redelivery's check before the hand-over stops the send.
                        leases.lost("digest", batchId, fence == null ? -1 : fence, "recording the failed attempt");
                        return;
                    }
                    attempt = rs.getInt(1);
                    max = rs.getInt(2);
                }
            }
            Timestamp next = null;
            if (attempt < max) {
                long delay = 0;
                for (int i = 1; i <= attempt; i++) {
                    delay = redelivery.calculateRedeliveryDelay(delay, i);
                }
                next = Jdbc.timestamp(Instant.now().plusMillis(delay));
            }
            Jdbc.update(c, "notification/insert-retry-log", id, attempt, message, false, next, code, reply.enhancedStatus(), relay);
            LOG.warn("Batch {} digest attempt {}/{} on {} failed: {}{}{} (instance {})", batchId, attempt, max, relay, message,
                    reply.enhancedStatus() != null ? " [status " + reply.enhancedStatus() + ", transient]" : "",
                    next != null ? "; retrying" : "", leases.instanceId());
            if (next != null) {
                metrics.mail("retried");
            }
        }
    }

    /**
     * Whether the failed attempt was refused for good (a 5xx to RCPT TO or DATA): then the send route does not
     * redeliver, and {@link #refused} ends the digest.
     */
    public boolean finalRefusal(Exchange exchange) {
        return SmtpReply.of(exchange).permanent();
    }

    /**
     * A final refusal: the digest ends {@code failed} at once with the server's reply (on the digest and in its retry log
     * row, no next retry); a bad mailbox (5.1.x) also suppresses the address ({@code hard_bounce}).
     */
    public void refused(Exchange exchange) throws SQLException {
        String batchId = exchange.getProperty("batchId", String.class);
        SmtpReply reply = SmtpReply.of(exchange);
        String message = reply.describe();
        String relay = exchange.getProperty("smtpRelayName", String.class);
        Long fence = exchange.getProperty(LEASE_FENCE, Long.class);
        UUID id = UUID.fromString(batchId);
        Map<String, Object> digest;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Map<String, Object>> rows = Jdbc.rows(c, "notification/email-refused", message, message, reply.code(),
                    reply.enhancedStatus(), relay, id, leases.instanceId(), fence);
            if (rows.isEmpty()) {
                c.rollback();
                leases.lost("digest", batchId, fence == null ? -1 : fence, "recording the refusal");
                return;
            }
            digest = rows.get(0);
            Jdbc.update(c, "notification/insert-retry-log", id, digest.get("send_attempts"), message, false, null, reply.code(),
                    reply.enhancedStatus(), relay);
            c.commit();
        }
        boolean suppress = reply.badMailbox();
        LOG.error("Batch {} digest refused by the SMTP server {}: {} [status {}, final]: not retried{}", batchId, relay,
                message, reply.enhancedStatus() == null ? "none" : reply.enhancedStatus(),
                suppress ? "; address suppressed (hard_bounce)" : "");
        metrics.mail("refused");
        if (suppress) {
            suppressions.hardBounce((Integer) digest.get("company_id"), (Integer) digest.get("bot_id"),
                    (String) digest.get("recipient_email"), "smtp (" + reply.code() + " " + reply.enhancedStatus() + ", batch " + batchId + ")");
        }
    }

    /**
     * The server accepted the digest: recorded by its holder (owner and fence). A holder whose lease was taken over
     * meanwhile records nothing (LeaseLost) and the batch stays with the instance that took it.
     */
    public void sent(@ExchangeProperty("batchId") String batchId, @ExchangeProperty(LEASE_FENCE) Long fence,
                     @ExchangeProperty("leaseCheckedAt") Long checkedAt, @ExchangeProperty("smtpRelayName") String relay)
            throws SQLException, LeaseLost {
        if (checkedAt != null) {
            metrics.handOffWindow(System.nanoTime() - checkedAt);
        }
        UUID id = UUID.fromString(batchId);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int attempts;
            try (PreparedStatement ps = c.prepareStatement(Queries.get("notification/email-sent"))) {
                ps.setString(1, "250 accepted by " + (relay == null ? smtpServer : relay));
                ps.setString(2, relay);
                ps.setObject(3, id);
                ps.setString(4, leases.instanceId());
                ps.setObject(5, fence);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        throw leases.lost("digest", batchId, fence == null ? -1 : fence, "recording the sent digest (the server had accepted it)");
                    }
                    attempts = rs.getInt(1);
                }
            }
            if (attempts > 1) {
                Jdbc.update(c, "notification/insert-retry-log", id, attempts, null, true, null, null, null, relay);
            }
            Jdbc.update(c, "notification/batch-notified", id, id);
            c.commit();
            LOG.info("Batch {} digest mailed via {} (attempt {}, instance {})", batchId, relay, attempts, leases.instanceId());
            metrics.mail("sent");
        }
    }

    public void failed(Exchange exchange) throws SQLException {
        String batchId = exchange.getProperty("batchId", String.class);
        String message = Formats.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        Long fence = exchange.getProperty(LEASE_FENCE, Long.class);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("notification/email-failed"))) {
            ps.setString(1, message);
            ps.setObject(2, UUID.fromString(batchId));
            ps.setString(3, leases.instanceId());
            ps.setObject(4, fence);
            if (ps.executeUpdate() == 0) {
                leases.lost("digest", batchId, fence == null ? -1 : fence, "recording the failed digest");
                return;
            }
        }
        LOG.error("Batch {} digest failed after {} attempts: {} (re-send with POST /api/batches/{}/resend)",
                batchId, maxAttempts, message, batchId);
        metrics.mail("failed");
    }

    /**
     * Makes a failed digest sendable again, under this instance's lease (its fence in the exchange property
     * leaseFence); false when there is no failed digest for the batch.
     */
    public boolean resend(@Header("batchId") String batchId, Exchange exchange) throws SQLException {
        List<Map<String, Object>> claimed = Jdbc.rows(dataSource, "notification/email-resend", leases.instanceId(), leases.seconds(),
                UUID.fromString(batchId));
        if (claimed.isEmpty()) {
            return false;
        }
        exchange.setProperty(LEASE_FENCE, ((Number) claimed.get(0).get("lease_fence")).longValue());
        return true;
    }

    /** Whether the batch exists: an unknown id is a 404, a known one without a failed digest a 409. */
    public boolean batchExists(String batchId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("notification/batch-exists"))) {
            ps.setObject(1, UUID.fromString(batchId));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
