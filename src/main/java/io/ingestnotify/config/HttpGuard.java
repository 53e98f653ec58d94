package io.ingestnotify.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.ingestnotify.common.Formats;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request on the HTTP port, before any route runs: a refused request records nothing and
 * runs nothing.
 * <ul>
 * <li>Each verb has its role ({@link #roleOf}): {@code /api/events} is the intake's (bearer INTAKE_TOKEN);
 * {@code GET /api/openapi.json} is either role's (the pipeline generates its client from it); the health probes are
 * open but show anonymous callers only each check's name and UP/DOWN; everything else (ops page, operator API, info,
 * metrics) is the operator's.</li>
 * <li>Mutating requests must be JSON (415) from this origin (403), so no page on another site can forge one, and
 * no bigger than MAX_REQUEST_BYTES (413).</li>
 * <li>The one exception: {@code GET}, {@code HEAD} and {@code POST /unsubscribe/{token}} are the recipient's, with no
 * credential, cookie or origin check (RFC 8058: mail clients post the one-click form from nowhere; the signed token
 * is the authority). The POST must be a form (urlencoded or multipart, 415) within MAX_REQUEST_BYTES. Any other verb,
 * or a longer path, is the operator's as before; a refusal's log line never prints the token.</li>
 * <li>Guessing costs time ({@link LoginThrottle}): after AUTH_FAILURES_PER_MINUTE wrong credentials from one client
 * address, every credential-checked path answers it 429 with Retry-After until its minute passes, a right credential
 * included; one WARN line per address and minute.</li>
 * <li>An allowed request carries who it is (the credential's label, never the secret) and the client address as its
 * platform-http user, for the operator audit (ops.OperatorAudit).</li>
 * <li>JSON is UTF-8 (RFC 8259): a body declared in another charset is 415; a verb the intake path does not have is 405
 * before anything about its body.</li>
 * <li>Every answer carries a strict Content-Security-Policy and no-framing, no-sniffing, no-referrer headers.</li>
 * </ul>
 */
public class HttpGuard implements AuthenticationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    private static final String INTAKE_PATH = "/api/events";
    private static final String OPENAPI_PATH = "/api/openapi.json";
    private static final java.util.regex.Pattern UNSUBSCRIBE_PATH = java.util.regex.Pattern.compile("/unsubscribe/[A-Za-z0-9_.-]{1,1000}");
    private static final Set<HttpMethod> RECIPIENT_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST);
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final List<String> ECHOED_REQUEST_HEADERS = List.of("Authorization", "Proxy-Authorization", "Cookie", "User-Agent");
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final CamelContext context;
    private final Credentials credentials;
    private final long maxRequestBytes;
    private final String healthPath;
    private final String basePath;
    private final LoginThrottle throttle;
    private final List<String> trustedProxies;

    /**
     * @param healthPath the health probes' path, or null where the server and its probes are a host's
     * @param basePath   the path the bundle's API lives under ("" at the server's root)
     */
    public HttpGuard(CamelContext context, Credentials credentials, LoginThrottle throttle, List<String> trustedProxies,
                     long maxRequestBytes, String healthPath, String basePath) {
        this.context = context;
        this.trustedProxies = trustedProxies;
        this.credentials = credentials;
        this.throttle = throttle;
        this.maxRequestBytes = maxRequestBytes;
        this.healthPath = healthPath == null ? null : stripSlash(healthPath);
        this.basePath = stripSlash(basePath);
    }

    /**
     * Puts the guard in front of every path of the embedded server, through platform-http's own authentication hook:
     * the server mounts it before any route or management endpoint, and before it starts listening.
     */
    public void installOn(MainHttpServer server) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        // Under a base path (a guest in a host's server) only the bundle's paths: the host's routes are the host's.
        entry.setPath(basePath.isEmpty() ? "/*" : basePath + "/*");
        entry.setAuthenticationProviderFactory(vertx -> null);
        HttpGuard guard = this;
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                return guard;
            }
        });
        AuthenticationConfig config = server.getConfiguration().getAuthenticationConfig();
        config.getEntries().add(entry);
        config.setEnabled(true);
        if (healthPath != null) {
            // A body sent without Content-Length (chunked) is cut off by the server's body handler at the same size
            // (our own server only: a host's server keeps the host's limit).
            server.setMaxBodySize(maxRequestBytes);
        }
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        ctx.addHeadersEndHandler(v -> securityHeaders(response));
        HttpServerRequest request = ctx.request();
        String path = stripSlash(ctx.normalizedPath());
        if (!basePath.isEmpty()) {
            if (!path.equals(basePath) && !path.startsWith(basePath + "/")) {
                ctx.next();   // not the bundle's path (Vert.x matched basePath* on a longer name): the host's
                return;
            }
            path = path.substring(basePath.length());
        }
        String authorization = request.getHeader("Authorization");

        if (isHealth(path)) {
            if (credentials.operatorAllows(authorization)) {
                ctx.next();   // the operator sees Camel's full report
            } else {
                anonymousHealth(ctx, path);
            }
            return;
        }
        Role role = roleOf(request.method(), path);
        String client = clientAddress(request);
        boolean intake = role == Role.INTAKE;
        if (role != Role.RECIPIENT) {
            // A throttled address is refused before its credential is looked at: a right one too, else guessing goes on.
            long wait = throttle.retryAfterSeconds(client);
            if (wait > 0) {
                tooManyFailures(ctx, wait);
                return;
            }
        }
        boolean allowed = switch (role) {
            case INTAKE -> credentials.intakeAllows(authorization);
            case OPERATOR -> credentials.operatorAllows(authorization);
            case EITHER -> credentials.intakeAllows(authorization) || credentials.operatorAllows(authorization);
            case RECIPIENT -> true;   // the signed token in the path is checked by the route
        };
        if (!allowed) {
            if (authorization == null) {
                refuse(ctx, 401, "authentication required", intake);   // not a guess: a browser's first request
            } else {
                wrongCredential(ctx, client, intake);
            }
            return;
        }
        if (role != Role.RECIPIENT) {
            // Who and from where, for the operator audit (ops.OperatorAudit reads it from the platform-http user header).
            boolean asIntake = intake || role == Role.EITHER && credentials.intakeConfigured() && credentials.intakeAllows(authorization);
            ctx.setUser(User.create(new JsonObject().put("username", credentials.label(asIntake, authorization)).put("address", client)));
        }
        if (intake && !HttpMethod.POST.equals(request.method())) {
            // The method is wrong before anything about the body is: 405, not 415.
            ctx.response().putHeader("Allow", "POST");
            refuse(ctx, 405, "method " + request.method() + " not allowed on " + INTAKE_PATH + " (POST only)", true);
            return;
        }
        if (MUTATING.contains(request.method())) {
            if (role == Role.RECIPIENT) {
                // a mail client's one-click form, from no origin at all: the signed token is the authority
                if (!isForm(request.getHeader("Content-Type"))) {
                    refuse(ctx, 415, "Content-Type must be a form (application/x-www-form-urlencoded or multipart/form-data)", false);
                    return;
                }
            } else {
                if (!sameOrigin(request)) {
                    refuse(ctx, 403, "cross-origin request refused", intake);
                    return;
                }
                if (!isJson(request.getHeader("Content-Type"))) {
                    refuse(ctx, 415, "Content-Type must be application/json", intake);
                    return;
                }
                if (!utf8(request.getHeader("Content-Type"))) {
                    refuse(ctx, 415, "JSON must be UTF-8 (RFC 8259): charset must be utf-8 or absent", intake);
                    return;
                }
            }
            if (tooLarge(request.getHeader("Content-Length"))) {
                refuse(ctx, 413, "request body larger than " + maxRequestBytes + " bytes (MAX_REQUEST_BYTES)", intake);
                return;
            }
        }
        ctx.next();
    }

    /** Who may call a verb (health aside). */
    enum Role { INTAKE, OPERATOR, EITHER, RECIPIENT }

    /**
     * The role a request needs, by path and verb: the API document is read-only and describes both roles' verbs, so
     * either credential may read it; any other verb on it, like every other path, is the operator's.
     */
    static Role roleOf(HttpMethod method, String path) {
        if (path.equals(INTAKE_PATH)) {
            return Role.INTAKE;
        }
        if (path.equals(OPENAPI_PATH) && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            return Role.EITHER;
        }
        if (RECIPIENT_METHODS.contains(method) && UNSUBSCRIBE_PATH.matcher(path).matches()) {
            return Role.RECIPIENT;
        }
        return Role.OPERATOR;
    }

    private boolean isHealth(String path) {
        return healthPath != null && path.equals(healthPath) || path.equals(healthPath + "/live") || path.equals(healthPath + "/ready");
    }

    /** Browsers send Origin (and Sec-Fetch-Site) on cross-site POSTs; non-browser clients send neither. */
    private static boolean sameOrigin(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        HostAndPort self = request.authority();
        try {
            URI o = URI.create(origin);
            String scheme = request.isSSL() ? "https" : "http";
            int defaultPort = scheme.equals("https") ? 443 : 80;
            return self != null && scheme.equalsIgnoreCase(o.getScheme()) && self.host().equalsIgnoreCase(o.getHost())
                    && (self.port() < 0 ? defaultPort : self.port()) == (o.getPort() < 0 ? defaultPort : o.getPort());
        } catch (IllegalArgumentException e) {
            return false;   // "null" (a sandboxed or file: page) and anything unparsable is foreign
        }
    }

    private static boolean isJson(String contentType) {
        return media(contentType).equals("application/json");
    }

    /** JSON between systems is UTF-8 (RFC 8259 section 8.1): a charset parameter, if any, must say so. */
    private static boolean utf8(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String charset = p.substring(8).trim().replace("\"", "");
                return charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
            }
        }
        return true;
    }

    /**
     * The client's address: the TCP peer, unless the peer is one of HTTP_TRUSTED_PROXIES: then the last
     * X-Forwarded-For hop that is not a trusted proxy (hops before it were written by whoever sent the request, so
     * they are not believed). X-Forwarded-For from any other peer is never read: any client can write it.
     */
    String clientAddress(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress();
        if (trustedProxies.isEmpty() || !trustedProxies.contains(peer)) {
            return peer;
        }
        String client = peer;
        List<String> hops = request.headers().getAll("X-Forwarded-For");
        for (int h = hops.size() - 1; h >= 0; h--) {
            String[] parts = hops.get(h).split(",");
            for (int i = parts.length - 1; i >= 0; i--) {
                String hop = parts[i].trim();
                if (hop.isEmpty() || hop.length() > 45 || !hop.matches("[0-9A-Fa-f:.]+")) {
                    return client;   // not an address: stop at the last believed hop
                }
                client = hop;
                if (!trustedProxies.contains(hop)) {
                    return hop;
                }
            }
        }
        return client;
    }

    /**
     * A wrong credential: counted for its address; one WARN line per address and minute (the window's first failure),
     * one INFO line when the limit is reached, the rest not logged. The credential itself is never printed.
     */
    private void wrongCredential(RoutingContext ctx, String client, boolean intake) {
        LoginThrottle.Failure failure = throttle.failed(client);
        HttpServerRequest request = ctx.request();
        if (failure == LoginThrottle.Failure.FIRST_IN_WINDOW || failure == LoginThrottle.Failure.LIMIT_REACHED && throttle.limit() == 1) {
            LOG.warn("Refused {} {} from {}: 401 wrong credential (further wrong credentials from {} this minute are counted, not "
                    + "logged; after {}, 429 until {})", request.method(), withoutToken(request.path()), client, client,
                    throttle.limit(), throttle.windowEnd(client));
        } else if (failure == LoginThrottle.Failure.LIMIT_REACHED) {
            LOG.info("Throttling {}: {} wrong credentials within a minute; every credential-checked path answers it 429 until {}",
                    client, throttle.limit(), throttle.windowEnd(client));
        }
        answer(ctx, 401, "wrong credential", intake);
    }

    /** 429 with Retry-After: not logged (the window's first failure was). */
    private void tooManyFailures(RoutingContext ctx, long retryAfterSeconds) {
        ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        answer(ctx, 429, "too many wrong credentials from this address; retry after " + retryAfterSeconds + " s", false);
    }

    private static boolean isForm(String contentType) {
        String media = media(contentType);
        return media.equals("application/x-www-form-urlencoded") || media.equals("multipart/form-data");
    }

    private static String media(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private boolean tooLarge(String contentLength) {
        try {
            return contentLength != null && Long.parseLong(contentLength.trim()) > maxRequestBytes;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private void refuse(RoutingContext ctx, int status, String reason, boolean intake) {
        HttpServerRequest request = ctx.request();
        LOG.warn("Refused {} {} from {}: {} {}", request.method(), withoutToken(request.path()), clientAddress(request), status, reason);
        answer(ctx, status, reason, intake);
    }

    private void answer(RoutingContext ctx, int status, String reason, boolean intake) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 401) {
            if (!intake && credentials.operatorBasic()) {
                // lets a browser ask the operator to log in
                response.headers().add("WWW-Authenticate", "Basic realm=\"ingest-notify\", charset=\"UTF-8\"");
            }
            response.headers().add("WWW-Authenticate", "Bearer realm=\"ingest-notify\"");
        }
        // The request body is never read; close the connection instead of draining a body nobody wants.
        if (MUTATING.contains(request.method())) {
            response.putHeader("Connection", "close");
        }
        response.end(Formats.json(fields("error", reason, "status", status)));
    }

    /** Each check's name and UP/DOWN, nothing more: no messages, errors or data for anonymous probes. */
    private void anonymousHealth(RoutingContext ctx, String path) {
        boolean readiness = path.endsWith("/ready");
        ctx.vertx().<Map<String, Object>> executeBlocking(() -> {
            Collection<HealthCheck.Result> results = path.endsWith("/live") ? HealthCheckHelper.invokeLiveness(context)
                    : readiness ? HealthCheckHelper.invokeReadiness(context) : HealthCheckHelper.invoke(context);
            List<Map<String, Object>> checks = new ArrayList<>();
            for (HealthCheck.Result r : results) {
                checks.add(fields("name", r.getCheck().getId(), "status", r.getState().name()));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", HealthCheckHelper.isResultsUp(results, readiness) ? "UP" : "DOWN");
            body.put("checks", checks);
            return body;
        }, false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            ctx.response().setStatusCode("UP".equals(done.result().get("status")) ? 200 : 503)
                    .putHeader("Content-Type", "application/json").end(Formats.json(done.result()));
        });
    }

    /** Two fields in the order given: Map.of's order changes from one JVM to the next, and probes match on text. */
    private static Map<String, Object> fields(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static void securityHeaders(HttpServerResponse response) {
        // An answer Camel writes without a route's removeHeaders (the Rest DSL binding refusing a body it cannot read)
        // copies the request's headers: never send a credential back.
        for (String echoed : ECHOED_REQUEST_HEADERS) {
            response.headers().remove(echoed);
        }
        response.putHeader("Content-Security-Policy", CSP);
        response.putHeader("X-Frame-Options", "DENY");
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("Referrer-Policy", "no-referrer");
        response.putHeader("Cache-Control", "no-store");
    }

    /** A path as a log line may print it: an unsubscribe token is a capability, so only its start is shown. */
    static String withoutToken(String path) {
        int at = path == null ? -1 : path.indexOf("/unsubscribe/");
        if (at < 0) {
            return path;
        }
        String token = path.substring(at + "/unsubscribe/".length());
        return path.substring(0, at) + "/unsubscribe/" + (token.length() > 6 ? token.substring(0, 6) + "…" : token);
    }

    private static String stripSlash(String path) {
        return path != null && path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
