package io.ingestnotify;

import java.util.HashMap;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.RunningApp;
import org.apache.camel.component.mail.MailEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SMTP settings reach the endpoint that sends digests, the password never appears in its URI, and never goes out in plaintext unasked. */
class SmtpConfigTest extends AppTestSupport {

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Test
    void credentialsWithoutTlsStopStartup() {
        Map<String, String> p = baseProperties();
        p.putAll(Map.of("ingest-notify.smtp.user", "mailer", "ingest-notify.smtp.password", "s3cr3t-pa55", "ingest-notify.smtp.starttls", "false", "ingest-notify.smtp.ssl", "false"));
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e -> {
            String all = messages(e);
            assertThat(all).contains("Invalid setting SMTP_STARTTLS='false'").contains("SMTP_USER").contains("SMTP_SSL=true")
                    .contains("SMTP_ALLOW_PLAINTEXT_AUTH=true").doesNotContain("s3cr3t");
        });
    }

    @Test
    void plaintextAuthAllowedOnlyWithTheOverride() throws Exception {
        startApp(Map.of("ingest-notify.smtp.user", "mailer", "ingest-notify.smtp.password", "s3cr3t-pa55", "ingest-notify.smtp.starttls", "false",
                "ingest-notify.smtp.allow.plaintext.auth", "true"));
        MailEndpoint endpoint = mailEndpoint();
        assertThat(endpoint.getConfiguration().getUsername()).isEqualTo("mailer");
        assertThat(endpoint.getConfiguration().getPassword()).isEqualTo("s3cr3t-pa55");
        assertThat(endpoint.getConfiguration().getAdditionalJavaMailProperties()).containsEntry("mail.smtp.starttls.required", "false");
        assertThat(endpoint.getEndpointUri()).doesNotContain("s3cr3t");
    }

    @Test
    void starttlsIsRequiredAndTheServerIdentityChecked() throws Exception {
        startApp(Map.of("ingest-notify.smtp.user", "mailer", "ingest-notify.smtp.password", "s3cr3t-pa55", "ingest-notify.smtp.starttls", "true"));
        assertThat(mailEndpoint().getConfiguration().getAdditionalJavaMailProperties())
                .containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true")
                .containsEntry("mail.smtps.ssl.checkserveridentity", "true")
                .containsEntry("mail.smtp.ssl.enable", "false");
    }

    @Test
    void smtpSslMeansImplicitTlsOnPort465UnlessSmtpPortIsSet() throws Exception {
        Map<String, String> p = new HashMap<>(Map.of("ingest-notify.smtp.ssl", "true", "ingest-notify.smtp.starttls", "true", "ingest-notify.smtp.port", ""));
        startApp(p);
        MailEndpoint endpoint = mailEndpoint();
        assertThat(endpoint.getConfiguration().getPort()).isEqualTo(465);
        assertThat(endpoint.getConfiguration().getAdditionalJavaMailProperties())
                .containsEntry("mail.smtp.ssl.enable", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true")
                // Implicit TLS already encrypts the session: no STARTTLS on top of it.
                .containsEntry("mail.smtp.starttls.enable", "false");
    }

    @Test
    void unreadableTrustStoreStopsStartup() {
        Map<String, String> p = baseProperties();
        p.putAll(Map.of("ingest-notify.smtp.ssl", "true", "ingest-notify.smtp.truststore", "target/no-such-truststore.p12"));
        assertThatThrownBy(() -> new RunningApp(p).close())
                .satisfies(e -> assertThat(messages(e)).contains("Invalid setting SMTP_TRUSTSTORE='target/no-such-truststore.p12'"));
    }

    @Test
    void embeddedSmtpNeedsNoTlsWhateverSmtpStarttlsSays() throws Exception {
        startApp(Map.of("ingest-notify.smtp.server", "", "ingest-notify.embedded.enabled", "true", "ingest-notify.embedded.smtp.port", "0", "ingest-notify.smtp.starttls", "true"));
        assertThat(mailEndpoint().getConfiguration().getAdditionalJavaMailProperties()).containsEntry("mail.smtp.starttls.required", "false");
    }

    /** The endpoint route send-digest sends a digest's attempt to (SmtpRelays chooses it per attempt). */
    private static MailEndpoint mailEndpoint() {
        return app.context().getEndpoint(app.context().resolvePropertyPlaceholders(
                "ingest-notify-smtp://{{ingest-notify.smtp.server}}:{{ingest-notify.smtp.port}}"), MailEndpoint.class);
    }

    @Test
    void theBounceMailboxNeedsTlsAndNoCredentialsInItsUrl() {
        Map<String, String> p = baseProperties();
        p.putAll(Map.of("ingest-notify.bounce.mailbox.url", "imap://mail.example.com/INBOX", "ingest-notify.bounce.mailbox.password", "b0unce-pa55"));
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e -> assertThat(messages(e))
                .contains("Invalid setting BOUNCE_MAILBOX_URL='imap://mail.example.com/INBOX'", "imaps://", "SMTP_ALLOW_PLAINTEXT_AUTH=true")
                .doesNotContain("b0unce-pa55"));
        p.put("ingest-notify.bounce.mailbox.url", "imaps://bounces:secret@mail.example.com");
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e -> assertThat(messages(e))
                .contains("BOUNCE_MAILBOX_URL", "BOUNCE_MAILBOX_USER").doesNotContain("secret"));
    }

    @Test
    void theFallbackFollowsTheSameTlsRule() throws Exception {
        Map<String, String> p = baseProperties();
        p.putAll(Map.of("ingest-notify.smtp.fallback.server", "smtp2.example.com", "ingest-notify.smtp.fallback.user", "mailer2",
                "ingest-notify.smtp.fallback.password", "fa11back-pa55", "ingest-notify.smtp.fallback.starttls", "false"));
        assertThatThrownBy(() -> new RunningApp(p).close()).satisfies(e -> assertThat(messages(e))
                .contains("Invalid setting SMTP_FALLBACK_STARTTLS='false'", "SMTP_FALLBACK_USER", "SMTP_FALLBACK_SSL=true",
                        "SMTP_ALLOW_PLAINTEXT_AUTH=true")
                .doesNotContain("fa11back"));

        startApp(Map.of("ingest-notify.smtp.fallback.server", "smtp2.example.com", "ingest-notify.smtp.fallback.user", "mailer2",
                "ingest-notify.smtp.fallback.password", "fa11back-pa55", "ingest-notify.smtp.fallback.ssl", "true"));
        MailEndpoint fallback = app.context().getEndpoint("ingest-notify-smtp-fallback://smtp2.example.com:465", MailEndpoint.class);
        assertThat(fallback.getConfiguration().getUsername()).isEqualTo("mailer2");
        assertThat(fallback.getConfiguration().getAdditionalJavaMailProperties())
                .containsEntry("mail.smtp.ssl.enable", "true")
                .containsEntry("mail.smtp.starttls.enable", "false")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true");
        assertThat(fallback.getEndpointUri()).doesNotContain("fa11back");
        // The primary keeps its own.
        assertThat(mailEndpoint().getConfiguration().getUsername()).isNull();
    }

    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
