package io.ingestnotify.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The two roles' credentials: the ingestion pipeline's bearer tokens (INTAKE_TOKEN, comma-separated for rotation)
 * and the operator's Basic user/password or bearer token. A role with nothing configured is open (allowed only on
 * loopback, see {@link #checkBindAddress}). Comparisons are constant-time over SHA-256 digests, so neither a
 * token's content nor its length leaks through timing.
 */
public final class Credentials {

    private final List<byte[]> intakeTokens;
    private final byte[] opsBasic;
    private final List<byte[]> opsTokens;

    /** The settings are checked already (Settings): a user comes with a password, and has no ':'. */
    public Credentials(List<String> intakeTokens, String opsUser, String opsPassword, List<String> opsTokens) {
        this.intakeTokens = intakeTokens.stream().map(Credentials::digest).toList();
        this.opsBasic = opsUser.isEmpty() ? null : digest(opsUser + ":" + opsPassword);
        this.opsTokens = opsTokens.stream().map(Credentials::digest).toList();
    }

    public boolean intakeConfigured() {
        return !intakeTokens.isEmpty();
    }

    public boolean operatorConfigured() {
        return opsBasic != null || !opsTokens.isEmpty();
    }

    public boolean operatorBasic() {
        return opsBasic != null;
    }

    /** Whether an Authorization header value lets its caller send events. */
    public boolean intakeAllows(String authorization) {
        if (!intakeConfigured()) {
            return true;
        }
        return anyEqual(intakeTokens, bearer(authorization));
    }

    /** No early exit: every configured token is compared. */
    private static boolean anyEqual(List<byte[]> tokens, byte[] given) {
        boolean match = false;
        for (byte[] token : tokens) {
            match |= given != null && MessageDigest.isEqual(token, given);
        }
        return match;
    }

    /** Whether an Authorization header value is the operator's (Basic user:password or bearer token). */
    public boolean operatorAllows(String authorization) {
        if (!operatorConfigured()) {
            return true;
        }
        return operatorPresented(authorization);
    }

    /** Whether the header carries a valid operator credential (false when none is configured). */
    public boolean operatorPresented(String authorization) {
        byte[] token = bearer(authorization);
        if (token != null) {
            return anyEqual(opsTokens, token);
        }
        byte[] basic = basic(authorization);
        return basic != null && opsBasic != null && MessageDigest.isEqual(opsBasic, basic);
    }

    /**
     * Who a request is, for the audit and the log, never the secret: {@code operator <user>} for Basic, {@code operator
     * token <id>} or {@code intake token <id>} for a bearer token (id: the first 8 hex digits of its SHA-256, the same
     * for every instance and across a rotation), {@code open (no credential configured)} where the role has none.
     * Asked only once the request is allowed.
     */
    public String label(boolean intake, String authorization) {
        String who = intake ? "intake" : "operator";
        if (intake ? !intakeConfigured() : !operatorConfigured()) {
            return who + " (no credential configured)";
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return who + " token " + java.util.HexFormat.of().formatHex(digest(authorization.substring(7).trim()), 0, 4);
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return who + " " + (colon < 0 ? pair : pair.substring(0, colon));
            } catch (IllegalArgumentException e) {
                return who;
            }
        }
        return who;
    }

    /**
     * Secure default: beyond loopback both roles need a credential. Names the missing settings, so the message says
     * what to fix.
     */
    public void checkBindAddress(String host) {
        if (isLoopback(host)) {
            return;
        }
        StringBuilder missing = new StringBuilder();
        if (!intakeConfigured()) {
            missing.append("INTAKE_TOKEN");
        }
        if (!operatorConfigured()) {
            missing.append(missing.length() > 0 ? " and " : "").append("OPS_TOKEN (or OPS_USER and OPS_PASSWORD)");
        }
        if (missing.length() > 0) {
            throw new IllegalArgumentException("HTTP_HOST='" + host + "' opens the API beyond this machine, so it needs "
                    + missing + "; set them, or bind to 127.0.0.1");
        }
    }

    static boolean isLoopback(String host) {
        String h = blankToEmpty(host).trim().toLowerCase();
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    private static byte[] bearer(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : digest(token);
        }
        return null;
    }

    private static byte[] basic(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                return digest(new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s;
    }
}
