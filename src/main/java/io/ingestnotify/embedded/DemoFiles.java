package io.ingestnotify.embedded;

import java.nio.charset.StandardCharsets;

import org.apache.camel.CamelContext;
import org.jclouds.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Demo only: puts the example files into the embedded S3 store, so the demo's corrections have something to delete. */
public class DemoFiles {

    private static final Logger LOG = LoggerFactory.getLogger(DemoFiles.class);
    private static final String[] KEYS = {"uploads/demo-doc-1.pdf", "uploads/demo-doc-2.docx", "uploads/demo-doc-3.pdf",
        "uploads/demo-doc-4.xlsx", "uploads/demo-doc-5.md", "uploads/demo-doc-6.pdf", "uploads/demo-doc-7.zip"};

    private final CamelContext context;

    public DemoFiles(CamelContext context) {
        this.context = context;
    }

    public void upload() {
        EmbeddedS3 s3 = context.getRegistry().lookupByNameAndType("ingestNotifyEmbeddedS3", EmbeddedS3.class);
        if (s3 == null) {
            LOG.info("Demo: S3 is not the embedded store; no example files uploaded");
            return;
        }
        String bucket = context.getPropertiesComponent().resolveProperty("ingest-notify.s3.bucket").orElseThrow();
        BlobStore store = s3.blobStore();
        for (String key : KEYS) {
            store.putBlob(bucket, store.blobBuilder(key).payload(("demo content of " + key).getBytes(StandardCharsets.UTF_8)).build());
        }
        LOG.info("Demo: {} example files uploaded to s3://{}", KEYS.length, bucket);
    }
}
