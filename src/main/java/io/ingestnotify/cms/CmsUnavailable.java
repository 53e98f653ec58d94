package io.ingestnotify.cms;

import org.apache.camel.Exchange;

/**
 * The CMS could not answer now (down, slow, 5xx, 408, 429): retrying later helps. The contract's routes
 * (cms.camel.yaml) signal it the same way for every CMS; the metadata look-up answers 503 over HTTP (outbox rows are
 * taken again when their lease ends), the clean-up redelivers, marks and unsubscribes wait for the sweeper,
 * preferences fall back to the cached value or the defaults.
 */
public class CmsUnavailable extends RuntimeException {

    public CmsUnavailable(String message) {
        super(message);
    }

    public CmsUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    /** Route ingest-notify-cms-call: the call's failure (5xx, reset, timeout) as an outage, with its own message. */
    public static void rethrow(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        throw new CmsUnavailable(t == null ? "CMS unavailable" : t.getMessage(), t);
    }
}
