package io.ingestnotify.notification;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailComponent;

/**
 * The bundle's own mail component (routes send with {@code ingest-notify-smtp:}), so a host's {@code smtp} component
 * stays the host's. Configured once, so credentials never appear in an endpoint URI or a log line; the scheme no
 * longer names the protocol, so it is set here. Camel Main's and Karaf's wiring both build it through this.
 */
public final class DigestMailComponent {

    public static final String NAME = "ingest-notify-smtp";

    private DigestMailComponent() {
    }

    public static MailComponent create(CamelContext context, String host, int port, String user, String password,
                                       SmtpTransportSecurity security, int timeoutMillis) {
        StreamProviderPin.apply();
        MailComponent mail = new MailComponent(context);
        mail.getConfiguration().configureProtocol("smtp");
        mail.getConfiguration().setIgnoreUriScheme(true);
        mail.getConfiguration().setHost(host);
        mail.getConfiguration().setPort(port);
        if (user != null && !user.isBlank()) {
            mail.getConfiguration().setUsername(user);
            mail.getConfiguration().setPassword(password);
        }
        mail.getConfiguration().setAdditionalJavaMailProperties(security.javaMailProperties());
        mail.getConfiguration().setConnectionTimeout(timeoutMillis);
        return mail;
    }
}
