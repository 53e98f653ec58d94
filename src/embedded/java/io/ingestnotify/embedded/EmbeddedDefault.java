package io.ingestnotify.embedded;

import java.io.File;

import io.ingestnotify.config.EmbeddedParts;
import org.apache.camel.CamelContext;

/** The embedded default's servers, as the lean configuration asks for them (registered in META-INF/services). */
public class EmbeddedDefault implements EmbeddedParts {

    @Override
    public String startPostgres(CamelContext context, File dir) throws Exception {
        EmbeddedPostgres pg = new EmbeddedPostgres(dir, 0);
        pg.start();
        context.addService(pg, true, true);
        return pg.jdbcUrl();
    }

    @Override
    public int startSmtp(CamelContext context, int port, File outbox) throws Exception {
        EmbeddedSmtp smtp = new EmbeddedSmtp(port, outbox);
        smtp.start();
        context.addService(smtp, true, true);
        context.getRegistry().bind("ingestNotifyEmbeddedSmtp", smtp);
        return smtp.port();
    }

    @Override
    public S3 startS3(CamelContext context, File dir, String bucket) throws Exception {
        EmbeddedS3 s3 = new EmbeddedS3(dir, 0);
        s3.start();
        context.addService(s3, true, true);
        context.getRegistry().bind("ingestNotifyEmbeddedS3", s3);
        s3.createBucket(bucket);
        return new S3(s3.endpoint(), EmbeddedS3.IDENTITY, EmbeddedS3.CREDENTIAL);
    }
}
