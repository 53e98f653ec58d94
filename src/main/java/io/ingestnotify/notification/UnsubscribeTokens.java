package io.ingestnotify.notification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed token of a one-click unsubscribe link: {@code base64url("v1:company:bot:address") "." base64url(HMAC-SHA256)}.
 * The first secret signs; every secret verifies, so a secret can be rotated without breaking links already mailed.
 * A token is a capability, not a secret to hide from its recipient; logs name it by {@link #id} only.
 */
public class UnsubscribeTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** Who a verified token unsubscribes. */
    public record Recipient(int companyId, int botId, String email) {
    }

    private final List<byte[]> secrets;
    private final String publicBaseUrl;
    private final String mailto;

    /** @param publicBaseUrl where recipients reach the service (PUBLIC_BASE_URL); empty: no links, no header */
    public UnsubscribeTokens(List<String> secrets, String publicBaseUrl, String mailto) {
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.publicBaseUrl = publicBaseUrl;
        this.mailto = mailto;
    }

    /** Whether digests carry an unsubscribe link: only with a public URL (and so, checked at start, a secret). */
    public boolean enabled() {
        return !publicBaseUrl.isEmpty() && !secrets.isEmpty();
    }

    /** The recipient's one-click link, or empty when unsubscribe links are off. */
    public String url(int companyId, int botId, String email) {
        return enabled() ? publicBaseUrl + "/unsubscribe/" + sign(companyId, botId, email) : "";
    }

    /** The List-Unsubscribe header (RFC 2369): the HTTPS link, then the mailto: address where one is set. */
    public String listUnsubscribe(int companyId, int botId, String email) {
        String token = sign(companyId, botId, email);
        return "<" + publicBaseUrl + "/unsubscribe/" + token + ">"
                + (mailto.isEmpty() ? "" : ", <mailto:" + mailto + "?subject=unsubscribe%20" + token + ">");
    }

    public String sign(int companyId, int botId, String email) {
        byte[] payload = ("v1:" + companyId + ":" + botId + ":" + email.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(payload) + "." + B64.encodeToString(mac(secrets.get(0), payload));
    }

    /** The recipient a token names, if one of the secrets signed it exactly so; empty for anything forged or altered. */
    public Optional<Recipient> verify(String token) {
        if (token == null || token.length() > 1000) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 1 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = B64D.decode(token.substring(0, dot));
            signature = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean signed = secrets.stream().anyMatch(s -> MessageDigest.isEqual(mac(s, payload), signature));
        if (!signed) {
            return Optional.empty();
        }
        String[] parts = new String(payload, StandardCharsets.UTF_8).split(":", 4);
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Recipient(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), parts[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** What a log line may print of a token: the first 12 hex digits of its SHA-256. */
    public static String id(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(String.valueOf(token).getBytes(StandardCharsets.UTF_8));
            return "tok-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(byte[] secret, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
