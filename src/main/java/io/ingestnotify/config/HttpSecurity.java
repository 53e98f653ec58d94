package io.ingestnotify.config;

import io.ingestnotify.settings.Setting;
import io.ingestnotify.settings.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up step: secure by default. A credential configured is a credential required, and beyond loopback both
 * roles need one. Camel Main has created its HTTP server (not yet started) before configurations run, so the guard
 * goes in first, in front of every path.
 */
final class HttpSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurity.class);

    private HttpSecurity() {
    }

    /** The clock a host or a test binds in the registry (as IngestNotifyBeans' clock), else the system's. */
    private static java.time.Clock clock(CamelContext context) {
        java.time.Clock bound = context.getRegistry().findSingleByType(java.time.Clock.class);
        return bound != null ? bound : java.time.Clock.systemUTC();
    }

    static void install(CamelContext context, Settings.Http http, boolean guest) {
        var pc = context.getPropertiesComponent();
        // A guest's requests reach the host's server, which binds where the host says (Camel's default: every address).
        String host = guest ? pc.resolveProperty("camel.server.host").orElse("0.0.0.0") : http.host();
        Credentials credentials = new Credentials(http.intakeTokens(), http.opsUser(), http.opsPassword(), http.opsTokens());
        credentials.checkBindAddress(host);
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            if (guest) {
                throw new IllegalStateException("ingest-notify's HTTP API needs the host's platform-http server: set "
                        + "camel.server.enabled=true in the host's application.properties");
            }
            LOG.warn("No embedded HTTP server (camel.server.enabled=false): the HTTP guard is not installed");
            return;
        }
        // A guest leaves the host's health probes to the host: the guard covers the bundle's base path only.
        String healthPath = guest ? null : pc.resolveProperty("camel.management.health-path").orElse("/observe/health");
        // The clock is looked up on first use (beans are bound after this step), then kept.
        java.util.concurrent.atomic.AtomicReference<java.time.Clock> clock = new java.util.concurrent.atomic.AtomicReference<>();
        LoginThrottle throttle = new LoginThrottle(http.authFailuresPerMinute(), () -> clock.updateAndGet(c -> c != null ? c : clock(context)));
        new HttpGuard(context, credentials, throttle, http.trustedProxies(), http.maxRequestBytes(), healthPath, http.basePath()).installOn(server);
        LOG.info("HTTP on {}{}: intake {}, operator {}", host, http.basePath(),
                credentials.intakeConfigured() ? "needs " + Setting.INTAKE_TOKEN.variable() : "open (loopback only)",
                credentials.operatorConfigured() ? "needs its credential" : "open (loopback only)");
    }
}
