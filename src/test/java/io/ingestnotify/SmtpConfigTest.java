package io.ingestnotify;

import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import org.apache.camel.component.mail.MailEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SMTP settings reach the endpoint that sends digests, and the password never appears in its URI. */
class SmtpConfigTest extends AppTestSupport {

    @AfterEach
    void stop() {
        app.close();
        app = null;
    }

    @Test
    void endpointCarriesCredentialsAndTlsSettings() throws Exception {
        startApp(Map.of("smtp.user", "mailer", "smtp.password", "s3cr3t-pa55", "smtp.starttls", "false"));
        MailEndpoint endpoint = app.context().getEndpoints().stream().filter(MailEndpoint.class::isInstance)
                .map(MailEndpoint.class::cast).findFirst().orElseThrow();
        assertThat(endpoint.getConfiguration().getUsername()).isEqualTo("mailer");
        assertThat(endpoint.getConfiguration().getPassword()).isEqualTo("s3cr3t-pa55");
        assertThat(endpoint.getConfiguration().getAdditionalJavaMailProperties()).containsEntry("mail.smtp.starttls.required", "false");
        assertThat(endpoint.getEndpointUri()).doesNotContain("s3cr3t");
    }

    @Test
    void embeddedSmtpNeedsNoTlsWhateverSmtpStarttlsSays() throws Exception {
        startApp(Map.of("smtp.server", "", "embedded.enabled", "true", "embedded.smtp.port", "0", "smtp.starttls", "true"));
        MailEndpoint endpoint = app.context().getEndpoints().stream().filter(MailEndpoint.class::isInstance)
                .map(MailEndpoint.class::cast).findFirst().orElseThrow();
        assertThat(endpoint.getConfiguration().getAdditionalJavaMailProperties()).containsEntry("mail.smtp.starttls.required", "false");
    }
}
