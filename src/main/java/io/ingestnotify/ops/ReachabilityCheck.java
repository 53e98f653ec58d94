package io.ingestnotify.ops;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health of what the bundle talks to, for /observe/health: the database (down means down), the SMTP server (down
 * means down: digests would only pile up in retries) and the CMS (a warning only: preferences fall back to the cache
 * or defaults, and its clean-up actions wait for the re-drive); with the Kafka intake, Kafka (down when misconfigured:
 * the consumers stopped, see intake.KafkaMisconfiguration).
 */
public class ReachabilityCheck extends AbstractHealthCheck {

    private final Supplier<String> probe;
    private final boolean critical;

    private ReachabilityCheck(String id, boolean critical, Supplier<String> probe) {
        super("ingest-notify", id);
        this.critical = critical;
        this.probe = probe;
    }

    /** @return null when reachable, else what failed */
    public static ReachabilityCheck database(DataSource dataSource) {
        return new ReachabilityCheck("ingest-notify-database", true, () -> {
            try (Connection c = dataSource.getConnection()) {
                return c.isValid(2) ? null : "connection not valid";
            } catch (Exception e) {
                return e.getMessage();
            }
        });
    }

    public static ReachabilityCheck smtp(String host, int port) {
        return new ReachabilityCheck("ingest-notify-smtp", true, () -> tcp(host, port));
    }

    public static ReachabilityCheck cms(String url) {
        return new ReachabilityCheck("ingest-notify-cms", false, () -> {
            if (url == null || url.isBlank()) {
                return null;
            }
            URI uri = URI.create(url);
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return tcp(uri.getHost(), port);
        });
    }

    /** The Kafka intake: DOWN with what to fix once a consumer met a misconfiguration (a refused login, TLS). */
    public static ReachabilityCheck kafka(Supplier<String> misconfiguration) {
        return new ReachabilityCheck("ingest-notify-kafka", true, misconfiguration);
    }

    private static String tcp(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return null;
        } catch (Exception e) {
            return host + ":" + port + " unreachable (" + e.getMessage() + ")";
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String problem = probe.get();
        if (problem == null) {
            builder.up();
        } else if (critical) {
            builder.message(problem).down();
        } else {
            builder.message("warning: " + problem).detail("warning", problem).up();
        }
    }
}
