package io.ingestnotify.notification;

import java.io.File;
import java.security.KeyStore;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.ingestnotify.settings.Setting;
import io.ingestnotify.settings.Settings;



/**
 * How digests reach a real SMTP server: implicit TLS (SMTP_SSL) or STARTTLS that is required, never opportunistic,
 * the server's certificate checked against its name, and optionally a private CA's trust store. Credentials never
 * cross the network in plaintext unless SMTP_ALLOW_PLAINTEXT_AUTH says so.
 */
public record SmtpTransportSecurity(boolean implicitTls, boolean startTls, SSLSocketFactory trustedSockets) {

    static final int SMTPS_PORT = 465;
    static final int SUBMISSION_PORT = 587;

    /** Implicit TLS or required STARTTLS (the plaintext-credentials rule is checked by Settings), and a private CA's store. */
    public static SmtpTransportSecurity of(Settings.Smtp smtp) {
        return new SmtpTransportSecurity(smtp.ssl(), smtp.startTls(), trustStore(smtp.trustStore(), smtp.trustStorePassword()));
    }

    /** The fallback server's: its own implicit TLS or required STARTTLS, the primary's trust store (SMTP_TRUSTSTORE). */
    public static SmtpTransportSecurity of(Settings.SmtpFallback fallback, Settings.Smtp smtp) {
        return new SmtpTransportSecurity(fallback.ssl(), fallback.startTls(), trustStore(smtp.trustStore(), smtp.trustStorePassword()));
    }

    /** The port when SMTP_PORT is not set: 465 for implicit TLS, else 587 (submission, with STARTTLS). */
    public int defaultPort() {
        return implicitTls ? SMTPS_PORT : SUBMISSION_PORT;
    }

    /** The JavaMail properties for the "smtp" transport (the smtps names too, for a route edited to use smtps://). */
    public Properties javaMailProperties() {
        Properties p = new Properties();
        p.put("mail.smtp.ssl.enable", String.valueOf(implicitTls));
        p.put("mail.smtp.starttls.enable", String.valueOf(startTls));
        p.put("mail.smtp.starttls.required", String.valueOf(startTls));
        for (String protocol : new String[] {"smtp", "smtps"}) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            if (trustedSockets != null) {
                p.put("mail." + protocol + ".ssl.socketFactory", trustedSockets);
            }
        }
        return p;
    }

    /** A private CA's trust store (PKCS12 or JKS): the server certificate must chain to one of its entries. */
    private static SSLSocketFactory trustStore(String path, String password) {
        if (path == null || path.isBlank()) {
            return null;
        }
        try {
            char[] secret = password == null || password.isEmpty() ? null : password.toCharArray();
            KeyStore store = KeyStore.getInstance(new File(path.trim()), secret);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (Exception e) {
            throw Setting.SMTP_TRUSTSTORE.invalid(path, "a readable PKCS12 or JKS trust store (with SMTP_TRUSTSTORE_PASSWORD "
                    + "if it has one): " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
