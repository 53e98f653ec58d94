package io.ingestnotify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.LogCapture;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.TestClock;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing a credential costs time (issue 22): after AUTH_FAILURES_PER_MINUTE wrong credentials from one address,
 * every credential-checked path answers it 429 until its minute passes; other addresses are not affected. The
 * guessing client speaks from 127.0.0.2 or 127.0.0.3 (a socket bound to that loopback address), the others from
 * 127.0.0.1; the minute passes on a test clock, not by waiting.
 */
class LoginThrottleTest extends AppTestSupport {

    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-05-01T10:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> p = baseProperties();
        p.put("ingest-notify.auth.failures.per.minute", "10");
        p.put("ingest-notify.http.trusted-proxies", "127.0.0.9");
        app = new RunningApp(p, Map.of("testClock", CLOCK));
    }

    /** One HTTP/1.1 exchange from a socket bound to the given local (loopback) address: status, headers, body. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    static Answer from(String localAddress, String method, String path, String authorization, String contentType, String body)
            throws IOException {
        return from(localAddress, method, path, authorization, contentType, body, null);
    }

    static Answer from(String localAddress, String method, String path, String authorization, String contentType, String body,
                       String forwardedFor) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
            s.setSoTimeout(30_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + httpPort + "\r\n");
            if (authorization != null) {
                req.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (forwardedFor != null) {
                req.append("X-Forwarded-For: ").append(forwardedFor).append("\r\n");
            }
            if (contentType != null) {
                req.append("Content-Type: ").append(contentType).append("\r\n");
            }
            req.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    static String guess(int i) {
        return HttpSecurityTest.basic(OPS_USER, "guess-" + i + "-x7");
    }

    static List<String> warnings(LogCapture log, String address) {
        return log.events().stream().filter(e -> e.getLevel() == Level.WARN).map(e -> e.getMessage().getFormattedMessage())
                .filter(m -> m.contains(address)).toList();
    }

    @Test
    void threeHundredWrongBasicLoginsAre401TenTimesThen429UntilTheMinutePasses() throws Exception {
        String attacker = "127.0.0.2";
        List<Answer> answers = new ArrayList<>();
        try (LogCapture log = LogCapture.attach()) {
            for (int i = 0; i < 300; i++) {
                // X-Forwarded-For from a peer that is not a trusted proxy is not believed: it cannot spread the count.
                answers.add(from(attacker, "GET", "/api/ops/summary", guess(i), null, null, "198.51.100." + (i % 250)));
            }
            assertThat(answers.subList(0, 10)).extracting(Answer::status).containsOnly(401);
            assertThat(answers.subList(10, 300)).extracting(Answer::status).containsOnly(429);
            Answer throttled = answers.get(299);
            assertThat(throttled.headers().get("retry-after")).isEqualTo("60");
            assertThat(throttled.headers().get("content-type")).isEqualTo("application/json");
            assertThat(throttled.body()).contains("too many wrong credentials", "\"status\":429");

            // Every credential-checked path refuses the address, a right credential too (else the guessing goes on).
            CLOCK.advance(Duration.ofSeconds(20));
            Answer right = from(attacker, "GET", "/api/ops/summary", HttpSecurityTest.basic(OPS_USER, OPS_PASSWORD), null, null);
            assertThat(right.status()).isEqualTo(429);
            assertThat(right.headers().get("retry-after")).isEqualTo("40");
            assertThat(from(attacker, "POST", "/api/events", "Bearer " + INTAKE_TOKEN, "application/json",
                    HttpSecurityTest.oneEvent("throttled-doc")).status()).isEqualTo(429);
            assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id = 'throttled-doc'")).isZero();
            // The open paths stay open: the health probe and the recipient's unsubscribe page.
            assertThat(from(attacker, "GET", "/observe/health", null, null, null).status()).isIn(200, 503);

            // Another address with the right credential is not affected.
            HttpResponse<String> other = getHttp("/api/ops/summary");
            assertThat(other.statusCode()).isEqualTo(200);

            // One WARN line for the address in that minute, never the credential.
            assertThat(warnings(log, attacker)).hasSize(1).first().asString().contains("401 wrong credential", "429");
            for (int i = 0; i < 300; i++) {
                assertThat(log.linesContaining("guess-" + i + "-x7")).isEmpty();
                assertThat(log.linesContaining(guess(i).substring(6))).isEmpty();
            }
        }

        // The minute passes: the address may log in again.
        CLOCK.advance(Duration.ofSeconds(40));
        assertThat(from(attacker, "GET", "/api/ops/summary", HttpSecurityTest.basic(OPS_USER, OPS_PASSWORD), null, null).status())
                .isEqualTo(200);
        // And a new window counts from zero.
        assertThat(from(attacker, "GET", "/api/ops/summary", guess(1000), null, null).status()).isEqualTo(401);
    }

    @Test
    void theIntakeTokenIsThrottledToo() throws Exception {
        String attacker = "127.0.0.3";
        try (LogCapture log = LogCapture.attach()) {
            for (int i = 0; i < 10; i++) {
                assertThat(from(attacker, "POST", "/api/events", "Bearer wrong-" + i, "application/json",
                        HttpSecurityTest.oneEvent("intake-guess-" + i)).status()).isEqualTo(401);
            }
            Answer right = from(attacker, "POST", "/api/events", "Bearer " + INTAKE_TOKEN, "application/json",
                    HttpSecurityTest.oneEvent("intake-after"));
            assertThat(right.status()).isEqualTo(429);
            assertThat(Integer.parseInt(right.headers().get("retry-after"))).isBetween(1, 60);
            // The operator's paths too: the limit is the address's, whichever credential it guessed.
            assertThat(from(attacker, "GET", "/api/ops/summary", "Bearer " + OPS_TOKEN, null, null).status()).isEqualTo(429);
            assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id LIKE 'intake-%'")).isZero();
            assertThat(warnings(log, attacker)).hasSize(1);
            assertThat(log.linesContaining("wrong-3")).isEmpty();
            assertThat(log.linesContaining("Throttling " + attacker)).hasSize(1);
        }
        // The pipeline on another address goes on.
        assertThat(post("/api/events", HttpSecurityTest.oneEvent("intake-other")).statusCode()).isEqualTo(202);

        CLOCK.advance(Duration.ofSeconds(61));
        assertThat(from(attacker, "POST", "/api/events", "Bearer " + INTAKE_TOKEN, "application/json",
                HttpSecurityTest.oneEvent("intake-later")).status()).isEqualTo(202);
    }

    @Test
    void aRequestWithoutCredentialIsNotAGuess() throws Exception {
        String browser = "127.0.0.4";
        for (int i = 0; i < 30; i++) {
            assertThat(from(browser, "GET", "/api/ops/summary", null, null, null).status()).isEqualTo(401);
        }
        assertThat(from(browser, "GET", "/api/ops/summary", "Bearer " + OPS_TOKEN, null, null).status()).isEqualTo(200);
    }

    /** Behind a trusted proxy (HTTP_TRUSTED_PROXIES) the client is the last X-Forwarded-For hop that is not a proxy. */
    @Test
    void behindATrustedProxyTheClientIsItsForwardedAddress() throws Exception {
        String proxy = "127.0.0.9";
        String guesser = "203.0.113.7";
        try (LogCapture log = LogCapture.attach()) {
            for (int i = 0; i < 10; i++) {
                // A hop the guesser wrote itself before the proxy's is not believed.
                assertThat(from(proxy, "GET", "/api/ops/summary", guess(i), null, null, "10.9.9." + i + ", " + guesser).status())
                        .isEqualTo(401);
            }
            assertThat(from(proxy, "GET", "/api/ops/summary", guess(11), null, null, guesser).status()).isEqualTo(429);
            // Another client behind the same proxy is not affected, and its action is audited with its own address.
            assertThat(from(proxy, "POST", "/api/corrections/held/release", "Bearer " + OPS_TOKEN, "application/json", "{}",
                    "203.0.113.8").status()).isEqualTo(200);
            assertThat(value("SELECT client_address FROM operator_audit WHERE action = 'corrections.held.release' ORDER BY id DESC LIMIT 1"))
                    .isEqualTo("203.0.113.8");
            assertThat(warnings(log, guesser)).hasSize(1);
            assertThat(warnings(log, proxy)).isEmpty();
        }
    }
}
