package io.ingestnotify;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ingestnotify.support.AppTestSupport;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS to the SMTP server for real: GreenMail speaking SMTPS with a self-signed certificate for 127.0.0.1 only.
 * An untrusted certificate, or a trusted one for another name, sends nothing and the digest records why; trusted
 * through SMTP_TRUSTSTORE it is sent. STARTTLS on a server that does not offer it sends nothing in plaintext.
 */
class SmtpTlsTest extends AppTestSupport {

    private static final String STORE_PASSWORD = "changeit";
    private static Path trustStore;
    private static GreenMail smtps;
    private static int smtpsPort;

    @BeforeAll
    static void startSmtps() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "smtp-tls-" + UUID.randomUUID()));
        Path serverStore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", serverStore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "smtp", "-keystore", serverStore.toString(), "-storepass", STORE_PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "smtp", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", STORE_PASSWORD);
        // GreenMail reads its server key once per JVM, from these properties (no other test speaks TLS to GreenMail).
        System.setProperty("greenmail.tls.keystore.file", serverStore.toAbsolutePath().toString());
        System.setProperty("greenmail.tls.keystore.password", STORE_PASSWORD);
        smtpsPort = AvailablePortFinder.getNextAvailable();
        smtps = new GreenMail(new ServerSetup(smtpsPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        smtps.start();
    }

    @AfterAll
    static void stopSmtps() {
        if (smtps != null) {
            smtps.stop();
        }
    }

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Test
    void untrustedCertificateIsRefused() throws Exception {
        startApp(Map.of("ingest-notify.smtp.ssl", "true", "ingest-notify.smtp.port", String.valueOf(smtpsPort), "ingest-notify.notification.max.attempts", "1"));
        String user = sendOneDigest();
        assertThat(awaitFailure(user)).containsAnyOf("PKIX", "certification path");
        assertThat(smtps.getReceivedMessages()).noneMatch(m -> addressedTo(m, user));
    }

    @Test
    void trustedCertificateForAnotherNameIsRefused() throws Exception {
        startApp(Map.of("ingest-notify.smtp.server", "localhost", "ingest-notify.smtp.ssl", "true", "ingest-notify.smtp.port", String.valueOf(smtpsPort),
                "ingest-notify.smtp.truststore", trustStore.toString(), "ingest-notify.smtp.truststore.password", STORE_PASSWORD,
                "ingest-notify.notification.max.attempts", "1"));
        String user = sendOneDigest();
        // The same trust store succeeds for 127.0.0.1 (trustedCertificateSends): only the name differs. The JDK's
        // endpoint identification reports the mismatch as a failed certification path.
        assertThat(awaitFailure(user)).contains("Could not connect to SMTP host: localhost").contains("certification path");
        assertThat(smtps.getReceivedMessages()).noneMatch(m -> addressedTo(m, user));
    }

    @Test
    void trustedCertificateSends() throws Exception {
        startApp(Map.of("ingest-notify.smtp.ssl", "true", "ingest-notify.smtp.port", String.valueOf(smtpsPort),
                "ingest-notify.smtp.truststore", trustStore.toString(), "ingest-notify.smtp.truststore.password", STORE_PASSWORD));
        String user = sendOneDigest();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "sent".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
        assertThat(smtps.getReceivedMessages()).filteredOn(m -> addressedTo(m, user)).hasSize(1);
        assertThat(mailsTo(user)).isEmpty();
    }

    @Test
    void requiredStarttlsOnAServerWithoutItSendsNothing() throws Exception {
        // The class's plain GreenMail offers no STARTTLS.
        startApp(Map.of("ingest-notify.smtp.starttls", "true", "ingest-notify.notification.max.attempts", "1"));
        String user = sendOneDigest();
        assertThat(awaitFailure(user)).contains("STARTTLS");
        assertThat(mailsTo(user)).isEmpty();
    }

    /** One success event for a fresh user whose batches complete at one file; returns the user. */
    private static String sendOneDigest() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(1, 1440, "text", true, true, true));
        assertThat(post("/api/events", event(newEventId(), "tls-" + UUID.randomUUID(), "success", user, 1, 2, "a.pdf"))
                .statusCode()).isEqualTo(202);
        return user;
    }

    /** Waits for the digest to fail and returns the error it recorded. */
    private static String awaitFailure(String user) {
        // GreenMail's connection thread throws when the client aborts the handshake: expected here, not a failure.
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).until(() ->
                "failed".equals(value("SELECT send_status FROM email_notification_log WHERE recipient_email = ?", user)));
        try {
            return (String) value("SELECT error_message FROM email_notification_log WHERE recipient_email = ?", user);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean addressedTo(jakarta.mail.internet.MimeMessage m, String user) {
        try {
            return List.of(m.getAllRecipients()).stream().anyMatch(a -> a.toString().equalsIgnoreCase(user));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = new File(System.getProperty("java.home"), "bin/keytool").getPath();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool %s: %s", args[0], out).isZero();
    }
}
