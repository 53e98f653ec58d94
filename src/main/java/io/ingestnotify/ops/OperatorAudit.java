package io.ingestnotify.ops;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.ingestnotify.common.Formats;
import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.PathIds.BadPathIdException;
import io.vertx.ext.auth.User;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's audit trail: every operator action that changes something writes one operator_audit row (when, which
 * credential by its non-secret label, client address, action, target, HTTP status and a short result) and one log
 * line, whatever its answer: a refused action (400, 404, 409) and a failed one (5xx) are recorded as such. A request
 * the guard refuses (401, 403, 415, 429) never reaches a route and records nothing.
 * <p>
 * A route calls {@link #begin} first (the guard's label and address are read from the request before the route
 * clears its headers) and {@link #record} last; the API's error handlers call {@link #record} too. The row is written
 * after the action, on its own: when the database is down the log line still says what happened.
 */
public class OperatorAudit {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorAudit.class);
    /** platform-http's header for the user HttpGuard sets on an allowed request (label and address). */
    static final String USER_HEADER = "CamelVertxPlatformHttpAuthenticatedUser";
    public static final String ACTION = "auditAction";
    public static final String CREDENTIAL = "auditCredential";
    public static final String ADDRESS = "auditAddress";
    public static final String TARGET = "auditTarget";
    public static final int MAX_LIMIT = 500;
    private static final int DEFAULT_LIMIT = 50;

    private final DataSource dataSource;

    public OperatorAudit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Notes who does what to which target (a path id as given: a refused one is recorded as the caller wrote it). */
    public void begin(Exchange exchange, String action, String target) {
        Message in = exchange.getMessage();
        String credential = "unknown";
        String address = null;
        if (in.getHeader(USER_HEADER) instanceof User user && user.principal() != null) {
            credential = user.principal().getString("username", credential);
            address = user.principal().getString("address");
        }
        exchange.setProperty(ACTION, action);
        exchange.setProperty(CREDENTIAL, credential);
        exchange.setProperty(ADDRESS, address);
        exchange.setProperty(TARGET, clean(target, 300));
    }

    /** Records the action begun on this exchange with its answer (once; nothing when no action was begun). */
    public void record(Exchange exchange) {
        String action = exchange.getProperty(ACTION, String.class);
        if (action == null) {
            return;
        }
        exchange.removeProperty(ACTION);
        String credential = exchange.getProperty(CREDENTIAL, String.class);
        String address = exchange.getProperty(ADDRESS, String.class);
        String target = exchange.getProperty(TARGET, String.class);
        Object code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE);
        int status = code == null ? 200 : Integer.parseInt(code.toString().trim());
        String result = "?";
        try {
            result = result(exchange);
            Jdbc.update(dataSource, "ops/audit-insert", credential, address, action, target, status, result);
            LOG.info("Operator action {} on {} by {} from {}: {} {}", action, target, credential, address, status, result);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Operator action {} on {} by {} from {}: {} {} (audit row not written: {})", action, target, credential, address,
                    status, result, Formats.describe(e));
        }
    }

    /**
     * {@code GET /api/audit}: newest first, at most {@code limit} (1-500, default 50) rows with an id below
     * {@code before} (the previous page's {@code next_before}), of one {@code action} and not older than {@code since}
     * (ISO-8601 instant or date) when given.
     */
    public Map<String, Object> list(@Header("limit") String limit, @Header("before") String before, @Header("action") String action,
                                    @Header("since") String since) throws SQLException {
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
                throw new BadPathIdException("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
            }
            n = Integer.parseInt(limit);
        }
        Long beforeId = null;
        if (before != null && !before.isBlank()) {
            if (!before.matches("[1-9][0-9]{0,17}")) {
                throw new BadPathIdException("before", "before must be a positive integer (the previous page's next_before)");
            }
            beforeId = Long.parseLong(before);
        }
        String act = action == null || action.isBlank() ? null : action;
        if (act != null && !act.matches("[a-z.]{1,40}")) {
            throw new BadPathIdException("action", "action must be an action name such as correction.retry");
        }
        Instant from = since == null || since.isBlank() ? null : instant(since);
        List<Map<String, Object>> rows = Jdbc.rows(dataSource, "ops/audit-list", beforeId, beforeId, act, act, from, from, n);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("entries", rows);
        answer.put("next_before", rows.size() == n ? rows.get(rows.size() - 1).get("id") : null);
        return answer;
    }

    private static Instant instant(String since) {
        try {
            return since.length() == 10 ? LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new BadPathIdException("since", "since must be an ISO-8601 instant (2026-01-31T12:00:00Z) or date (2026-01-31)");
        }
    }

    /** A short outcome: the error of a refusal or failure, else the answer's JSON (cut to 300 characters). */
    private static String result(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught != null) {
            return clean(caught.getClass().getSimpleName() + ": " + caught.getMessage(), 300);
        }
        Object body = exchange.getMessage().getBody();
        String text;
        if (body == null) {
            text = "";
        } else if (body instanceof byte[] b) {
            text = new String(b, StandardCharsets.UTF_8);
        } else if (body instanceof String s) {
            text = s;
        } else if (body instanceof StreamCache cache) {
            // a marshalled answer: read, then rewound for the HTTP answer
            text = exchange.getContext().getTypeConverter().convertTo(String.class, exchange, cache);
            cache.reset();
        } else {
            text = Formats.json(body);
        }
        return clean(text, 300);
    }

    /** No control characters (a log line stays one line), at most max characters. */
    private static String clean(String s, int max) {
        if (s == null) {
            return null;
        }
        String c = s.replaceAll("\\p{Cntrl}", " ");
        return c.length() > max ? c.substring(0, max - 1) + "…" : c;
    }
}
