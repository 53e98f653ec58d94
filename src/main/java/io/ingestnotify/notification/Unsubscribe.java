package io.ingestnotify.notification;

import java.sql.SQLException;
import java.util.Optional;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipient's side of {@code /unsubscribe/{token}} (no credential: HttpGuard lets exactly this path through).
 * GET shows a page with one button and changes nothing (link scanners follow GETs); POST with
 * {@code List-Unsubscribe=One-Click} (RFC 8058, as a mail client sends it, or the page's button) suppresses the
 * address at once, idempotently. A forged or altered token is refused (400) and records nothing. Logs name a token
 * by its hash only.
 */
public class Unsubscribe {

    private static final Logger LOG = LoggerFactory.getLogger(Unsubscribe.class);

    private final UnsubscribeTokens tokens;
    private final Suppressions suppressions;

    public Unsubscribe(UnsubscribeTokens tokens, Suppressions suppressions) {
        this.tokens = tokens;
        this.suppressions = suppressions;
    }

    /** GET: the confirmation page (one button posting the one-click body), or 400 for a bad token. Changes nothing. */
    public String page(@Header("token") String token, Exchange exchange) {
        Optional<UnsubscribeTokens.Recipient> who = tokens.verify(token);
        if (who.isEmpty()) {
            return refuse(exchange, token, "This unsubscribe link is not valid.");
        }
        answer(exchange, 200);
        return page("Unsubscribe", "<p>Stop the file-processing digests of company " + who.get().companyId() + ", bot "
                + who.get().botId() + " to " + escape(masked(who.get().email())) + "?</p>\n"
                + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    /** POST: suppresses the address (header suppressionId set for the CMS write) and answers 200 with a short page. */
    public String oneClick(@Header("token") String token, @Header("List-Unsubscribe") String formField, @Body String body,
                           Exchange exchange) throws SQLException {
        Optional<UnsubscribeTokens.Recipient> who = tokens.verify(token);
        if (who.isEmpty()) {
            return refuse(exchange, token, "This unsubscribe link is not valid.");
        }
        if (!isOneClick(formField, body)) {
            return refuse(exchange, token, "Expected the form field List-Unsubscribe=One-Click.");
        }
        String tokenId = UnsubscribeTokens.id(token);
        int suppression = suppressions.unsubscribe(who.get(), tokenId);
        LOG.info("Unsubscribe {}: company {}, bot {}, {} suppressed (suppression {})", tokenId, who.get().companyId(),
                who.get().botId(), masked(who.get().email()), suppression);
        answer(exchange, 200);
        exchange.getMessage().setHeader("suppressionId", suppression);
        return page("Unsubscribed", "<p>You will get no more file-processing digests of company " + who.get().companyId()
                + ", bot " + who.get().botId() + " at " + escape(masked(who.get().email())) + ".</p>");
    }

    /** The form field as platform-http hands it over (a header), or the raw urlencoded or multipart body. */
    static boolean isOneClick(String formField, String body) {
        if ("One-Click".equals(formField)) {
            return true;
        }
        String b = body == null ? "" : body;
        return b.contains("List-Unsubscribe=One-Click")
                || b.contains("name=\"List-Unsubscribe\"") && b.contains("One-Click");
    }

    private static String refuse(Exchange exchange, String token, String message) {
        LOG.warn("Unsubscribe {} refused: {}", UnsubscribeTokens.id(token), message);
        answer(exchange, 400);
        return page("Not unsubscribed", "<p>" + escape(message) + "</p>");
    }

    private static void answer(Exchange exchange, int status) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=UTF-8");
    }

    private static String page(String title, String content) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1>\n" + content + "\n</body></html>\n";
    }

    /** a***@example.com: enough for the recipient to recognise, little for whoever else holds the link. */
    static String masked(String email) {
        int at = email.indexOf('@');
        return at < 1 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
