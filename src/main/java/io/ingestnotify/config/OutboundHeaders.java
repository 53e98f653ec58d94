package io.ingestnotify.config;

import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The header allow-list of every call to the CMS and Chroma (bound as {@code outboundHeaders}, set as each http
 * endpoint's headerFilterStrategy): only the credential and content negotiation go out, never the exchange's own
 * headers (recipients, batch ids, task state). Camel's HTTP control headers (CamelHttpMethod, CamelHttpPath, ...) are
 * read by the producer itself and are never sent as headers. Response headers are filtered as camel-http's default.
 */
public class OutboundHeaders extends HttpHeaderFilterStrategy {

    static final Set<String> ALLOWED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        ALLOWED.addAll(Set.of("Authorization", "Content-Type", "Accept", "x-chroma-token"));
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ALLOWED.contains(headerName);
    }
}
