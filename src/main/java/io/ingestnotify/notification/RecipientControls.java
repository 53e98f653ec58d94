package io.ingestnotify.notification;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.ingestnotify.common.Jdbc;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the recipient's controls make of a completed batch's digest (route notify-batch): {@code send},
 * {@code hold} (quiet hours or a spent budget: until header {@code digestDueAt}), {@code fold} (the recipient has a
 * held digest: this batch's files go out in it) or {@code suppressed} (the address is on the suppression list).
 * Nothing held back is dropped: a held digest goes out at its due time (the sweeper), with every batch folded into it.
 * Every write for a recipient runs under that recipient's lock, so instances never both spend the budget's last
 * digest, nor hold two digests for one address.
 */
public class RecipientControls {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientControls.class);

    /** Why a digest cannot go now, and when it can. */
    record Blocked(Instant due, String reason) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final QuietHours quietHours;
    private final Integer defaultMaxDigestsPerDay;
    private final String instanceId;
    private final int leaseSeconds;

    public RecipientControls(DataSource dataSource, Clock clock, QuietHours quietHours, Integer defaultMaxDigestsPerDay,
                             String instanceId, int leaseSeconds) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.leaseSeconds = leaseSeconds;
        this.clock = clock;
        this.quietHours = quietHours;
        this.defaultMaxDigestsPerDay = defaultMaxDigestsPerDay;
    }

    /** The digest's fate now; sets headers digestDueAt (when it could go on its own) and heldReason. */
    public String decide(@Body Map<String, Object> digest, Exchange exchange) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            if (suppressionReason(c, digest).isPresent()) {
                return "suppressed";
            }
            return verdict(c, digest, now, exchange);
        }
    }

    /**
     * Claims the digest for sending ({@code send}), unless the recipient's budget was spent or a digest held for the
     * recipient meanwhile (then {@code hold} or {@code fold}, with the headers of {@link #decide}); {@code taken}
     * when it is claimed already or a batch folded into it since it was rendered (the next sweep renders it again).
     */
    public String claim(@Body Map<String, Object> digest, String html, String text, EmailLog log, Exchange exchange)
            throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, digest);
                String outcome = verdict(c, digest, now, exchange);
                if (outcome.equals("send")) {
                    Long fence = log.insertClaim(c, digest, html, text, now);
                    if (fence == null) {
                        outcome = "taken";
                    } else {
                        exchange.setProperty(EmailLog.LEASE_FENCE, fence);
                    }
                }
                c.commit();
                return outcome;
            } finally {
                c.rollback();
            }
        }
    }

    /** Holds the digest until its due time, or folds the batch into the recipient's held digest. */
    public void hold(@Body Map<String, Object> digest, @Header("digestDueAt") Instant due, @Header("heldReason") String reason)
            throws SQLException {
        String batchId = (String) digest.get("batchId");
        UUID id = UUID.fromString(batchId);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, digest);
                Map<String, Object> held = held(c, digest);
                if (held == null) {
                    Jdbc.update(c, "notification/hold-digest", id, digest.get("recipient"), digest.get("companyId"),
                            digest.get("botId"), digest.get("subject"), due, reason);
                    LOG.info("Batch {} digest held until {} ({})", batchId, due, reason);
                } else if (isThisBatch(held, digest)) {
                    Jdbc.update(c, "notification/rehold-digest", due, reason, id);
                    LOG.info("Batch {} digest held again until {} ({})", batchId, due, reason);
                } else {
                    UUID into = (UUID) held.get("batch_id");
                    if (Jdbc.update(c, "notification/fold-digest", id, digest.get("recipient"), digest.get("companyId"),
                            digest.get("botId"), digest.get("subject"), into) == 1) {
                        Jdbc.update(c, "notification/fold-into-held", due, into);
                        LOG.info("Batch {} folded into the held digest of batch {} ({} file(s))", batchId, into,
                                digest.get("totalFiles"));
                    }
                }
                c.commit();
            } finally {
                c.rollback();
            }
        }
    }

    /** The address is suppressed: the batch is recorded as such, no mail (its failed files are corrected as ever). */
    public void suppressed(@Body Map<String, Object> digest) throws SQLException {
        String batchId = (String) digest.get("batchId");
        try (Connection c = dataSource.getConnection()) {
            String reason = suppressionReason(c, digest).orElse("lifted");
            Jdbc.update(c, "notification/suppress-digest", UUID.fromString(batchId), digest.get("recipient"),
                    digest.get("companyId"), digest.get("botId"), digest.get("subject"), "address suppressed (" + reason + ")");
            LOG.info("Batch {} completed as suppressed: no digest ({})", batchId, reason);
        }
    }

    /** Held digests whose due time has come on this bundle's clock, claimed with a lease for this instance. */
    public List<String> claimDue() throws SQLException {
        return Jdbc.rows(dataSource, "notification/claim-held-digests", instanceId, leaseSeconds, clock.instant())
                .stream().map(r -> r.get("batch_id").toString()).toList();
    }

    /**
     * send, hold or fold (a held digest of the recipient's that is not this one), with headers digestDueAt (when this
     * digest could go on its own) and heldReason.
     */
    private String verdict(Connection c, Map<String, Object> digest, Instant now, Exchange exchange) throws SQLException {
        Optional<Blocked> blocked = blocked(c, digest, now);
        exchange.getMessage().setHeader("digestDueAt", blocked.map(Blocked::due).orElse(now));
        exchange.getMessage().setHeader("heldReason", blocked.map(Blocked::reason).orElse(null));
        Map<String, Object> held = held(c, digest);
        if (held != null && !isThisBatch(held, digest)) {
            return "fold";
        }
        return blocked.isPresent() ? "hold" : "send";
    }

    /** Quiet hours first (they end at a known time), then the budget. */
    private Optional<Blocked> blocked(Connection c, Map<String, Object> digest, Instant now) throws SQLException {
        Optional<Instant> quiet = QuietHours.until(now, quietHours.zone((String) digest.get("timezone")),
                (String) digest.get("quietHoursStart"), (String) digest.get("quietHoursEnd"));
        if (quiet.isPresent()) {
            return Optional.of(new Blocked(quiet.get(), "quiet_hours"));
        }
        Integer max = digest.get("maxDigestsPerDay") instanceof Integer i ? i : defaultMaxDigestsPerDay;
        return DigestBudget.spentUntil(c, (Integer) digest.get("companyId"), (Integer) digest.get("botId"),
                (String) digest.get("recipient"), max, now).map(due -> new Blocked(due, "budget"));
    }

    private static Optional<String> suppressionReason(Connection c, Map<String, Object> digest) throws SQLException {
        List<Map<String, Object>> rows = Jdbc.rows(c, "notification/suppression-of", digest.get("companyId"),
                digest.get("botId"), digest.get("recipient"));
        return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0).get("reason"));
    }

    private static Map<String, Object> held(Connection c, Map<String, Object> digest) throws SQLException {
        List<Map<String, Object>> rows = Jdbc.rows(c, "notification/held-digest", digest.get("companyId"),
                digest.get("botId"), digest.get("recipient"));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static boolean isThisBatch(Map<String, Object> held, Map<String, Object> digest) {
        return held.get("batch_id").toString().equals(digest.get("batchId"));
    }

    private static void lock(Connection c, Map<String, Object> digest) throws SQLException {
        Jdbc.rows(c, "notification/recipient-lock", String.valueOf(digest.get("companyId")),
                String.valueOf(digest.get("botId")), digest.get("recipient"));
    }
}
