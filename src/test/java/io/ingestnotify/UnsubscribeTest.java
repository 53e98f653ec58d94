package io.ingestnotify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.notification.UnsubscribeTokens;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.LogCapture;
import io.ingestnotify.support.RunningApp;
import io.ingestnotify.support.StrapiServer;
import io.ingestnotify.support.TcpProxy;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One-click unsubscribe (RFC 8058) against the real test Strapi (cms/strapi with its unsubscribe action and the
 * bundle's token): the link taken from a received digest, POSTed as a mail client does (no credential, cookie or
 * Origin) turns the preference off in Strapi and suppresses the next batch; GET changes nothing; a tampered token is
 * refused; a CMS outage keeps the suppression and the sweeper writes the preference afterwards. Strapi is reached
 * through a TCP proxy that the outage test cuts.
 */
class UnsubscribeTest extends AppTestSupport {

    private static final String SECRET = "unsubscribe-test-secret-0123456789abcdef";
    private static final AtomicInteger COMPANY = new AtomicInteger(300);
    private static final Pattern LINK = Pattern.compile("<(http[^>]+)>");
    private static StrapiServer strapi;
    private static TcpProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(StrapiServer.available() || System.getenv("CI") != null,
                "Strapi not installed: run npm ci in src/test/strapi (.ci/run does)");
        strapi = StrapiServer.shared();
        proxy = new TcpProxy("127.0.0.1", URI.create(strapi.url()).getPort());
        Map<String, String> p = new HashMap<>(baseProperties());
        p.put("ingest-notify.cms.api.url", "http://127.0.0.1:" + proxy.port());
        p.put("ingest-notify.cms.api.token", StrapiServer.BUNDLE_TOKEN);
        p.put("ingest-notify.cms.timeout.ms", "10000");
        p.put("ingest-notify.public.base.url", "http://127.0.0.1:" + httpPort);
        p.put("ingest-notify.unsubscribe.secret", SECRET);
        p.put("ingest-notify.unsubscribe.mailto", "unsubscribe@example.com");
        p.put("ingest-notify.sweeper.interval.ms", "300");
        p.put("ingest-notify.lease.seconds", "3");
        app = new RunningApp(p);
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A request as a mail client sends it: no Authorization, no cookie, no Origin. */
    private static HttpResponse<String> anonymous(String method, String url, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> oneClick(String url) throws Exception {
        return anonymous("POST", url, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click");
    }

    private static JsonNode preference(int company, String user) {
        return strapi.send("GET", "/api/user-notification-preferences/by-user/" + company + "/1/" + user.replace("@", "%40"),
                StrapiServer.FULL_TOKEN, null).body().path("data");
    }

    private static long suppressions(String user) throws Exception {
        return count("SELECT count(*) FROM suppressions WHERE email = ?", user);
    }

    private static String[] twoFiles(String user, int company, String first, String second) {
        return new String[] {event(newEventId(), first, "success", user, company, 1, first + ".pdf"),
                event(newEventId(), second, "success", user, company, 1, second + ".pdf")};
    }

    @Test
    void theLinkOfAReceivedDigestUnsubscribesWithOnePostAndTheNextBatchIsSuppressed() throws Exception {
        int company = COMPANY.incrementAndGet();
        String user = newUser();
        strapi.createPreference(company, 1, user, 2, 1440, "text", true, true, true);
        // by-user answers the new preference fields (empty: the bundle's defaults)
        assertThat(preference(company, user).has("quiet_hours_start")).isTrue();
        assertThat(preference(company, user).has("max_digests_per_day")).isTrue();

        post("/api/events", Json.array((Object[]) twoFiles(user, company, "u1", "u2")));
        MimeMessage mail = awaitMails(user, 1).get(0);
        String header = mail.getHeader("List-Unsubscribe")[0];
        assertThat(mail.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        assertThat(header).contains("<mailto:unsubscribe@example.com?subject=unsubscribe%20");
        Matcher m = LINK.matcher(header);
        assertThat(m.find()).isTrue();
        String url = m.group(1);
        assertThat(url).startsWith("http://127.0.0.1:" + httpPort + "/unsubscribe/");
        assertThat((String) mail.getContent()).contains("To stop these digests: " + url, "You receive it because");

        // GET (a link scanner, or the recipient's browser) shows one button and changes nothing.
        HttpResponse<String> page = anonymous("GET", url, null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\">", "name=\"List-Unsubscribe\" value=\"One-Click\"", "<button");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(suppressions(user)).isZero();
        assertThat(preference(company, user).path("notification_enabled").asBoolean()).isTrue();

        // A tampered token (the payload of another address, the same signature) is refused; nothing recorded.
        String token = url.substring(url.lastIndexOf('/') + 1);
        String other = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("v1:" + company + ":1:someone-else@example.com").getBytes(StandardCharsets.UTF_8));
        String tampered = url.substring(0, url.lastIndexOf('/') + 1) + other + token.substring(token.indexOf('.'));
        HttpResponse<String> refused = oneClick(tampered);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("not valid");
        assertThat(count("SELECT count(*) FROM suppressions WHERE company_id = ?", company)).isZero();

        // The mail client's POST: unsubscribed at once, the preference off in Strapi.
        try (LogCapture log = LogCapture.attach()) {
            HttpResponse<String> done = oneClick(url);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            assertThat(done.body()).contains("Unsubscribed");
            await().atMost(Duration.ofSeconds(20)).until(() -> !preference(company, user).path("notification_enabled").asBoolean());
            assertThat(log.linesContaining(token)).isEmpty();
            assertThat(log.linesContaining(UnsubscribeTokens.id(token))).isNotEmpty();
        }
        assertThat(rows("SELECT reason, cms_pending FROM suppressions WHERE email = ?", user))
                .containsExactly(Map.of("reason", "unsubscribed", "cms_pending", false));
        // Idempotent, a multipart form too: still one suppression.
        String boundary = "b0undary";
        HttpResponse<String> again = anonymous("POST", url, "multipart/form-data; boundary=" + boundary, "--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--" + boundary + "--\r\n");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(suppressions(user)).isEqualTo(1);
        // A recipient's unsubscribe is on its suppression row (created_by), not in the operator's audit.
        assertThat((String) value("SELECT created_by FROM suppressions WHERE email = ?", user)).startsWith("recipient (one-click, ");
        assertThat(count("SELECT count(*) FROM operator_audit WHERE target LIKE ?", "%" + user + "%")).isZero();

        // The next batch (its preferences still cached as enabled) is suppressed: recorded, no mail.
        post("/api/events", Json.array((Object[]) twoFiles(user, company, "u3", "u4")));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(
                "SELECT count(*) FROM email_notification_log WHERE recipient_email = ? AND send_status IN ('suppressed', 'skipped')", user) == 1);
        assertThat(mailsTo(user)).hasSize(1);
    }

    @Test
    void theGuardLetsExactlyTheUnsubscribeVerbsThrough() throws Exception {
        String base = "http://127.0.0.1:" + httpPort;
        // Other verbs, longer paths, and the operator's API stay the operator's.
        assertThat(anonymous("PUT", base + "/unsubscribe/abc.def", "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")
                .statusCode()).isEqualTo(401);
        assertThat(anonymous("POST", base + "/unsubscribe/abc.def/more", "application/x-www-form-urlencoded", "x").statusCode())
                .isEqualTo(401);
        assertThat(anonymous("GET", base + "/api/suppressions", null, null).statusCode()).isEqualTo(401);
        // The one-click POST is a form, nothing else.
        assertThat(anonymous("POST", base + "/unsubscribe/abc.def", "application/json", "{}").statusCode()).isEqualTo(415);
        // No Origin check may block it: a foreign Origin still reaches the token check (here: 400, a bad token).
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/unsubscribe/abc.def"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://mail.example.net")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(400);
        // A refusal's log line does not print the token.
        try (LogCapture log = LogCapture.attach()) {
            anonymous("POST", base + "/unsubscribe/SECRETISHTOKEN.value", "text/plain", "x");
            assertThat(log.linesContaining("Refused POST")).isNotEmpty();
            assertThat(log.linesContaining("SECRETISHTOKEN.value")).isEmpty();
        }
    }

    @Test
    void aCmsOutageKeepsTheSuppressionAndTheSweeperWritesThePreferenceLater() throws Exception {
        int company = COMPANY.incrementAndGet();
        String user = newUser();
        String url = new UnsubscribeTokens(List.of(SECRET), "http://127.0.0.1:" + httpPort, "").url(company, 1, user);
        proxy.cut();
        try {
            assertThat(oneClick(url).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    value("SELECT cms_error FROM suppressions WHERE email = ?", user) != null);
            assertThat(value("SELECT cms_pending FROM suppressions WHERE email = ?", user)).isEqualTo(true);
        } finally {
            proxy.restore();
        }
        // The user had no preference record: the CMS write creates one, notifications off.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                value("SELECT cms_pending FROM suppressions WHERE email = ?", user).equals(false));
        JsonNode pref = preference(company, user);
        assertThat(pref.path("notification_enabled").asBoolean()).isFalse();
        assertThat(pref.has("is_default")).isFalse();
        assertThat(suppressions(user)).isEqualTo(1);
    }
}
