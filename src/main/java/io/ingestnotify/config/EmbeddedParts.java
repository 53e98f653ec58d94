package io.ingestnotify.config;

import java.io.File;
import java.util.Optional;
import java.util.ServiceLoader;

import io.ingestnotify.settings.Setting;
import org.apache.camel.CamelContext;

/**
 * The embedded default's servers (PostgreSQL, SMTP, S3), which live in the embedded artifact
 * ({@code ingest-notify-embedded.jar}, source set {@code src/embedded}), not in the lean one: found through
 * {@link ServiceLoader}, so the lean jar runs without them and says what to set when a server is missing.
 * Each start registers its server as a service of the context, so it stops with it.
 */
public interface EmbeddedParts {

    /** What the lean artifact answers when a setting would need an embedded server. */
    String LEAN = "the lean artifact has no embedded servers (for the embedded default: java -jar ingest-notify-embedded.jar)";

    /** Starts PostgreSQL with its data in {@code dir}; answers its JDBC URL (user postgres, no password). */
    String startPostgres(CamelContext context, File dir) throws Exception;

    /** Starts an SMTP server on {@code port} (0: any free one) that saves each mail in {@code outbox}; answers its port. */
    int startSmtp(CamelContext context, int port, File outbox) throws Exception;

    /** Starts an S3-compatible store with its files in {@code dir} and the bucket created. */
    S3 startS3(CamelContext context, File dir, String bucket) throws Exception;

    /** Where the embedded S3 store listens and the credentials it wants. */
    record S3(String endpoint, String accessKey, String secretKey) {
    }

    static Optional<EmbeddedParts> find() {
        return ServiceLoader.load(EmbeddedParts.class, EmbeddedParts.class.getClassLoader()).findFirst();
    }

    /** The embedded parts, or a refusal naming the setting to give instead. */
    static EmbeddedParts require(Setting setting, String expected) {
        return find().orElseThrow(() -> setting.invalid("", expected + " (" + LEAN + ")"));
    }
}
