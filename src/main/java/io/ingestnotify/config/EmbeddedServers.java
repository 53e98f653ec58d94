package io.ingestnotify.config;

import java.io.File;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.ingestnotify.settings.Setting;
import io.ingestnotify.settings.Settings;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up step: the embedded default. With EMBEDDED=true, a missing DB_URL, SMTP_SERVER or S3 store starts an
 * in-process PostgreSQL, SMTP server or S3 store (the embedded artifact's {@link EmbeddedParts}) and the settings
 * name them from then on. The lean artifact has none: a missing DB_URL or SMTP_SERVER (or DEMO=true) stops start-up
 * here, naming what to set, before anything starts. A missing S3 store only leaves S3 not configured.
 */
final class EmbeddedServers {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);
    static final String DB_URL_EXPECTED = "the JDBC URL of the operational PostgreSQL, such as jdbc:postgresql://db:5432/ingest";
    static final String SMTP_EXPECTED = "an SMTP host";
    static final String BUCKET = "ingest-files";

    private EmbeddedServers() {
    }

    static Settings start(CamelContext context, Settings settings) throws Exception {
        Settings.Embedded embedded = settings.embedded();
        boolean noDb = settings.database().url().isEmpty() && settings.database().bean().isEmpty();
        boolean noSmtp = settings.smtp().server().isEmpty();
        if (!embedded.enabled()) {
            if (noDb) {
                throw Setting.DB_URL.invalid("", DB_URL_EXPECTED + " (EMBEDDED=false: no embedded PostgreSQL)");
            }
            if (noSmtp) {
                throw Setting.SMTP_SERVER.invalid("", SMTP_EXPECTED + " (or EMBEDDED=true for an embedded SMTP server)");
            }
        }
        if (EmbeddedParts.find().isEmpty()) {
            refuseOnLean(embedded.demo(), embedded.enabled() && noDb, embedded.enabled() && noSmtp);
            return settings;
        }
        if (!embedded.enabled()) {
            return settings;
        }
        EmbeddedParts parts = EmbeddedParts.find().get();
        Map<Setting, String> started = new EnumMap<>(Setting.class);
        if (noDb) {
            File dir = new File(embedded.dataDir(), "postgres");
            started.put(Setting.DB_URL, parts.startPostgres(context, dir));
            started.put(Setting.DB_USER, "postgres");
            started.put(Setting.DB_PASSWORD, "");
            LOG.info("Embedded PostgreSQL at {} (data in {}); set DB_URL to use a real one", started.get(Setting.DB_URL), dir);
        }
        if (noSmtp) {
            File outbox = new File(embedded.dataDir(), "outbox");
            int port = parts.startSmtp(context, embedded.smtpPort(), outbox);
            // Loopback, no TLS, no credentials: the embedded server takes every mail as it comes.
            started.put(Setting.SMTP_SERVER, "127.0.0.1");
            started.put(Setting.SMTP_PORT, String.valueOf(port));
            started.put(Setting.SMTP_STARTTLS, "false");
            started.put(Setting.SMTP_SSL, "false");
            LOG.info("Embedded SMTP server at 127.0.0.1:{}, mails saved in {}; set SMTP_SERVER to use a real one", port,
                    outbox.getAbsolutePath());
        }
        if (settings.s3().bucket().isEmpty() && settings.s3().endpoint().isEmpty()) {
            File dir = new File(embedded.dataDir(), "s3");
            EmbeddedParts.S3 s3 = parts.startS3(context, dir, BUCKET);
            started.put(Setting.S3_BUCKET, BUCKET);
            started.put(Setting.S3_ENDPOINT, s3.endpoint());
            started.put(Setting.AWS_ACCESS_KEY_ID, s3.accessKey());
            started.put(Setting.AWS_SECRET_ACCESS_KEY, s3.secretKey());
            LOG.info("Embedded S3 store at {} (bucket {}, files in {}); set S3_BUCKET / S3_ENDPOINT to use a real one",
                    s3.endpoint(), BUCKET, dir.getAbsolutePath());
        }
        return settings.with(started);
    }

    private static void refuseOnLean(boolean demo, boolean noDb, boolean noSmtp) {
        if (demo) {
            throw Setting.DEMO.invalid("true", "false (the demo runs on the embedded artifact: java -jar ingest-notify-embedded.jar)");
        }
        List<String> missing = new ArrayList<>();
        if (noDb) {
            missing.add("DB_URL (" + DB_URL_EXPECTED + ")");
        }
        if (noSmtp) {
            missing.add("SMTP_SERVER (" + SMTP_EXPECTED + ")");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Missing setting " + String.join(" and ", missing) + ": " + EmbeddedParts.LEAN);
        }
    }
}
