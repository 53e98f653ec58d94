package io.ingestnotify.notification;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.PathIds.BadPathIdException;
import io.ingestnotify.settings.Settings;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suppression list: addresses (per company and bot) that get no digest, with a reason ({@code unsubscribed},
 * {@code hard_bounce}, {@code complaint}, {@code operator}), when and by whom (created_by, lifted_by: the operator's
 * credential label from ops.OperatorAudit, or the recipient's one-click token id). Every change logs one line; the
 * operator's changes are also rows of the operator audit (routes: ops.OperatorAudit). An unsubscribe also asks for {@code notification_enabled = false} in the CMS
 * (cms_pending, written by route cms-unsubscribes and re-driven by the sweeper after an outage).
 */
public class Suppressions {

    private static final Logger LOG = LoggerFactory.getLogger(Suppressions.class);
    private static final Set<String> REASONS = Set.of("unsubscribed", "hard_bounce", "complaint", "operator");

    private final DataSource dataSource;
    private final boolean cmsConfigured;

    public Suppressions(DataSource dataSource, boolean cmsConfigured) {
        this.dataSource = dataSource;
        this.cmsConfigured = cmsConfigured;
    }

    /** The active suppressions, newest first (operator API). */
    public List<Map<String, Object>> list() throws SQLException {
        return Jdbc.rows(dataSource, "ops/ops-suppressions");
    }

    /** The operator adds one (body: company_id, bot_id, email, reason): the row, new or the active one already there. */
    public Map<String, Object> add(@Body Map<String, Object> body, @ExchangeProperty("auditCredential") String actor) throws SQLException {
        int company = nonNegative(body, "company_id");
        int bot = nonNegative(body, "bot_id");
        Object email = body.get("email");
        if (!(email instanceof String e) || !Settings.EMAIL.matcher(e.trim()).matches()) {
            throw new BadPathIdException("email", "email must be an email address");
        }
        Object reason = body.getOrDefault("reason", "operator");
        if (!(reason instanceof String r) || !REASONS.contains(r)) {
            throw new BadPathIdException("reason", "reason must be one of " + String.join(", ", REASONS.stream().sorted().toList()));
        }
        return add(company, bot, e.trim(), r, actor, false);
    }

    /** A recipient's one-click unsubscribe (idempotent); the suppression's id, for the CMS write. */
    public int unsubscribe(UnsubscribeTokens.Recipient who, String tokenId) throws SQLException {
        Map<String, Object> row = add(who.companyId(), who.botId(), who.email(), "unsubscribed",
                "recipient (one-click, " + tokenId + ")", cmsConfigured);
        return (Integer) row.get("id");
    }

    /** A server refused the address for good (SMTP 5.1.x, or a permanent bounce): no more digests to it. */
    public void hardBounce(int companyId, int botId, String email, String source) throws SQLException {
        add(companyId, botId, email, "hard_bounce", source, false);
    }

    /** The operator lifts one: the lifted row, or null when there is no active suppression with that id. */
    public Map<String, Object> lift(@Header("id") String id, @ExchangeProperty("auditCredential") String actor) throws SQLException {
        if (id == null || !id.matches("[1-9][0-9]{0,8}")) {
            throw new BadPathIdException("id", "suppression id must be a positive integer");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Map<String, Object>> rows = Jdbc.rows(c, "notification/lift-suppression", actor, Integer.parseInt(id));
                if (rows.isEmpty()) {
                    return null;
                }
                Map<String, Object> row = rows.get(0);
                c.commit();
                LOG.info("Suppression {} lifted by {}: company {}, bot {}, {} (was {})", row.get("id"), actor,
                        row.get("company_id"), row.get("bot_id"), row.get("email"), row.get("reason"));
                return row;
            } finally {
                c.rollback();
            }
        }
    }

    private Map<String, Object> add(int company, int bot, String email, String reason, String actor, boolean cmsWrite)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Object> row = Jdbc.rows(c, "notification/add-suppression", company, bot, email, reason, actor, cmsWrite).get(0);
                boolean inserted = Boolean.TRUE.equals(row.get("inserted"));
                c.commit();
                if (inserted) {
                    LOG.info("Suppression {} added by {}: company {}, bot {}, {} ({})", row.get("id"), actor, company, bot,
                            email.toLowerCase(Locale.ROOT), reason);
                } else {
                    LOG.info("Suppression {} already active for company {}, bot {}, {} ({}); nothing changed", row.get("id"),
                            company, bot, email.toLowerCase(Locale.ROOT), row.get("reason"));
                }
                return Map.of("id", row.get("id"), "company_id", company, "bot_id", bot, "email", email.toLowerCase(Locale.ROOT),
                        "reason", row.get("reason"), "created", inserted);
            } finally {
                c.rollback();
            }
        }
    }

    private static int nonNegative(Map<String, Object> body, String field) {
        if (body.get(field) instanceof Integer i && i >= 0) {
            return i;
        }
        throw new BadPathIdException(field, field + " must be a non-negative integer");
    }
}
