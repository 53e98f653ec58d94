package io.ingestnotify.notification;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.ingestnotify.common.Formats;
import io.ingestnotify.common.Jdbc;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which SMTP server takes a digest's attempt: the primary, or (with SMTP_FALLBACK_SERVER) the fallback after the
 * primary failed an attempt (no connection, a 4xx) and while its circuit breaker is open. The breaker is one row of
 * smtp_breaker, so every instance agrees: the primary's failure opens it for SMTP_BREAKER_COOLDOWN_SECONDS; then one
 * digest (whichever claims it first) probes the primary: its success closes the breaker, its failure re-opens it.
 * A 5xx is final wherever it came from (route send-digest never asks for another server then).
 *
 * <p>The send route sends to {@code ${exchangeProperty.smtpEndpoint}}; a redelivery evaluates it again, so the next
 * attempt goes where {@link #afterFailure} pointed it. {@code smtpRelayName} ("fallback smtp2.example.com:587") is
 * what the log lines and email_notification_log / notification_retry_log ({@code smtp_relay}) record.
 */
public class SmtpRelays {

    public static final String PRIMARY = "primary";
    public static final String FALLBACK = "fallback";
    public static final String FALLBACK_COMPONENT = DigestMailComponent.NAME + "-fallback";

    private static final Logger LOG = LoggerFactory.getLogger(SmtpRelays.class);

    private final CamelContext context;
    private final DataSource dataSource;
    private final String fallbackHost;
    private final int fallbackPort;
    private final int cooldownSeconds;
    private volatile String primaryEndpoint;

    /** @param fallbackHost empty: no fallback, every attempt goes to the primary and the breaker is never read */
    public SmtpRelays(CamelContext context, DataSource dataSource, String fallbackHost, int fallbackPort, int cooldownSeconds) {
        this.context = context;
        this.dataSource = dataSource;
        this.fallbackHost = fallbackHost;
        this.fallbackPort = fallbackPort;
        this.cooldownSeconds = cooldownSeconds;
    }

    public boolean hasFallback() {
        return !fallbackHost.isEmpty();
    }

    /** Before a digest's first attempt: the primary, the fallback while the breaker is open, or the primary as the probe. */
    public void choose(Exchange exchange) throws SQLException {
        if (!hasFallback()) {
            use(exchange, PRIMARY);
            return;
        }
        String route = route();
        if (route.equals("probe")) {
            LOG.info("SMTP primary's cool-down is over: batch {} probes it ({})", exchange.getProperty("batchId"), name(PRIMARY));
        }
        use(exchange, route.equals("fallback") ? FALLBACK : PRIMARY);
    }

    /**
     * After a transient failure (onExceptionOccurred, after the retry log row): a failure of the primary opens the
     * breaker and sends the next attempt to the fallback; after a failure of the fallback, the breaker decides.
     */
    public void afterFailure(Exchange exchange) throws SQLException {
        if (!hasFallback()) {
            return;
        }
        String relay = exchange.getProperty("smtpRelay", PRIMARY, String.class);
        if (relay.equals(PRIMARY)) {
            Throwable error = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            List<Map<String, Object>> rows = Jdbc.rows(dataSource, "notification/breaker-open", cooldownSeconds, Formats.describe(error));
            if (!rows.isEmpty() && Boolean.TRUE.equals(rows.get(0).get("newly"))) {
                LOG.warn("SMTP primary {} failed ({}): circuit open, digests go to the fallback {} for {} s, then the primary is probed",
                        name(PRIMARY), Formats.describe(error), name(FALLBACK), cooldownSeconds);
            }
            use(exchange, FALLBACK);
        } else {
            use(exchange, route().equals("fallback") ? FALLBACK : PRIMARY);
        }
    }

    /** After a server took the digest: the primary's success closes the breaker. */
    public void sent(Exchange exchange) throws SQLException {
        if (hasFallback() && PRIMARY.equals(exchange.getProperty("smtpRelay", String.class))
                && !Jdbc.rows(dataSource, "notification/breaker-close").isEmpty()) {
            LOG.info("SMTP primary {} took a digest again: circuit closed", name(PRIMARY));
        }
    }

    private String route() throws SQLException {
        return (String) Jdbc.rows(dataSource, "notification/breaker-route", cooldownSeconds).get(0).get("route");
    }

    private void use(Exchange exchange, String relay) {
        exchange.setProperty("smtpRelay", relay);
        exchange.setProperty("smtpRelayName", name(relay));
        exchange.setProperty("smtpEndpoint", relay.equals(FALLBACK) ? FALLBACK_COMPONENT + "://" + fallbackHost + ":" + fallbackPort
                : primaryEndpoint());
    }

    private String primaryEndpoint() {
        if (primaryEndpoint == null) {
            // The published settings (the embedded SMTP server's port is known only once it has started).
            primaryEndpoint = context.resolvePropertyPlaceholders(DigestMailComponent.NAME
                    + "://{{ingest-notify.smtp.server}}:{{ingest-notify.smtp.port}}");
        }
        return primaryEndpoint;
    }

    private String name(String relay) {
        String endpoint = relay.equals(FALLBACK) ? fallbackHost + ":" + fallbackPort : primaryEndpoint().substring(DigestMailComponent.NAME.length() + 3);
        return relay + " " + endpoint;
    }
}
