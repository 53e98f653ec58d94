package io.ingestnotify.embedded;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded default's SMTP server (GreenMail): every mail it takes is also saved as an .eml file in a folder. */
public class EmbeddedSmtp extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSmtp.class);

    private final int port;
    private final File outbox;
    private GreenMail greenMail;
    private ScheduledExecutorService saver;
    private int filesInOutbox;
    private int savedThisRun;

    public EmbeddedSmtp(int port, File outbox) {
        this.port = port;
        this.outbox = outbox;
    }

    @Override
    protected void doStart() {
        outbox.mkdirs();
        filesInOutbox = outbox.list() == null ? 0 : outbox.list().length;
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-smtp-outbox");
            t.setDaemon(true);
            return t;
        });
        saver.scheduleWithFixedDelay(this::saveNew, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** Writes the mails received since the last call; GreenMail keeps them in arrival order. */
    private synchronized void saveNew() {
        MimeMessage[] received = greenMail.getReceivedMessages();
        for (int i = savedThisRun; i < received.length; i++) {
            File file = new File(outbox, String.format("%05d.eml", filesInOutbox + 1));
            savedThisRun++;
            try (OutputStream out = new FileOutputStream(file)) {
                received[i].writeTo(out);
                filesInOutbox++;
                LOG.info("Embedded SMTP: mail to {} saved as {}", String.join(",", java.util.Arrays.stream(received[i].getAllRecipients())
                        .map(Object::toString).toList()), file);
            } catch (Exception e) {
                LOG.warn("Embedded SMTP: could not save a mail to {}: {}", file, e.getMessage());
            }
        }
    }

    @Override
    protected void doStop() {
        if (saver != null) {
            saver.shutdown();
            saveNew();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }
}
