package io.ingestnotify.notification;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ingestnotify.common.Jdbc;

/**
 * A recipient's digests per rolling day, counted in PostgreSQL (email_notification_log.counted_at), so several
 * instances share one budget; the caller holds the recipient's lock (recipient-lock.sql) while it decides.
 */
public final class DigestBudget {

    static final Duration DAY = Duration.ofDays(1);

    private DigestBudget() {
    }

    /** When the budget next allows a digest, if it is spent at {@code now}; empty when a digest may go (or no limit). */
    static Optional<Instant> spentUntil(Connection c, int companyId, int botId, String email, Integer max, Instant now)
            throws SQLException {
        if (max == null) {
            return Optional.empty();
        }
        List<Map<String, Object>> counted = Jdbc.rows(c, "notification/digests-counted", companyId, botId, email, now.minus(DAY));
        if (counted.size() < max) {
            return Optional.empty();
        }
        // The slot frees when enough of the counted digests age out of the rolling day.
        String oldestThatMustGo = (String) counted.get(counted.size() - max).get("counted_at");
        Instant at = LocalDateTime.parse(oldestThatMustGo.substring(0, oldestThatMustGo.length() - 1)).toInstant(ZoneOffset.UTC);
        return Optional.of(at.plus(DAY));
    }
}
