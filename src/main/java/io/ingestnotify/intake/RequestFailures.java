package io.ingestnotify.intake;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.ingestnotify.cms.CmsMisconfigured;
import io.ingestnotify.cms.CmsUnavailable;
import io.ingestnotify.common.Formats;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request that failed on an unexpected exception, and logs it once. Only an outage is a 503 (retrying
 * helps); data the database refused is a 400 naming the field (retrying never helps); anything else is a 500 whose
 * short random error id is in the answer and in the one log line, so the operator finds one from the other.
 */
public class RequestFailures {

    private static final Logger LOG = LoggerFactory.getLogger(RequestFailures.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int retryAfterSeconds;

    public RequestFailures(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public RequestFailure answer(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String request = exchange.getFromRouteId() != null ? exchange.getFromRouteId() : "request";
        // The CMS as the metadata look-up: its outage is an outage (503), its refusal a misconfiguration (500).
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CmsUnavailable) {
                LOG.warn("{}: nothing accepted, {}", request, c.getMessage());
                return RequestFailure.of(503, retryAfterSeconds, "error", "CMS unavailable for the metadata look-up; nothing was accepted, retry later");
            }
            if (c instanceof CmsMisconfigured) {
                String id = errorId();
                LOG.error("{}: failed [error id {}], misconfiguration: {}", request, id, c.getMessage());
                return RequestFailure.of(500, null, "error", "the service is misconfigured; nothing was accepted (error id " + id + ")",
                        "error_id", id);
            }
        }
        if (t instanceof GroupTimeout) {
            LOG.warn("{}: not answered, {}", request, t.getMessage());
            return RequestFailure.of(503, retryAfterSeconds, "error", "no answer in time; retry later (events already filed are then answered as duplicates)");
        }
        switch (DatabaseErrors.kind(t)) {
            case OUTAGE -> {
                LOG.warn("{}: nothing accepted, database unavailable: {}", request, DatabaseErrors.message(t));
                return RequestFailure.of(503, retryAfterSeconds, "error", "database unavailable; nothing was accepted, retry later");
            }
            case BAD_DATA -> {
                String field = DatabaseErrors.field(t);
                String reason = DatabaseErrors.message(t);
                LOG.warn("{}: rejected, the database refused a value ({}): {}", request, field, reason);
                return RequestFailure.of(400, null, "error", field + ": refused by the database (" + reason + ")", "field", field);
            }
            case MISCONFIGURED -> {
                String id = errorId();
                LOG.error("{}: failed [error id {}], misconfiguration: {}; {}", request, id, DatabaseErrors.message(t), fixFor(t));
                LOG.debug("Stack trace of error id {}", id, t);
                return RequestFailure.of(500, null, "error", "the service is misconfigured; nothing was accepted (error id " + id + ")",
                        "error_id", id);
            }
            default -> {
                String id = errorId();
                LOG.error("{}: failed [error id {}]: {}", request, id, Formats.describe(t).replace('\n', ' '));
                LOG.debug("Stack trace of error id {}", id, t);
                return RequestFailure.of(500, null, "error", "internal error; nothing was accepted (error id " + id + ")",
                        "error_id", id);
            }
        }
    }

    /** True for the CMS's outage or refusal during the look-up: no request's own data is to blame. */
    static boolean isCmsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CmsUnavailable || c instanceof CmsMisconfigured) {
                return true;
            }
        }
        return false;
    }

    /** What the operator must do about a missing database object. */
    private static String fixFor(Throwable t) {
        String m = DatabaseErrors.message(t);
        if (m.contains("\"files\"")) {
            return "the metadata look-up (route ingest-notify-lookup-file, METADATA_SOURCE=sql) reads the CMS's files table (METADATA_TABLE): make it "
                    + "reachable in DB_SCHEMA, set CMS_API_URL to look files up through the CMS API, or send company_id and bot_id in every event";
        }
        return "check DB_SCHEMA and that the migrations ran against this database";
    }

    static String errorId() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
