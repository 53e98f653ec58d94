package io.ingestnotify.embedded;

import java.io.File;
import java.net.URI;
import java.util.Properties;

import org.apache.camel.support.service.ServiceSupport;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible store in-process (S3Proxy over jclouds): on the filesystem for the embedded default, in memory
 * ({@code dir == null}) for tests. Signed requests (AWS v4) with a fixed identity and credential.
 */
public class EmbeddedS3 extends ServiceSupport {

    public static final String IDENTITY = "ingest-notify";
    public static final String CREDENTIAL = "ingest-notify-secret";

    private final File dir;
    private final int port;
    private BlobStoreContext blobContext;
    private S3Proxy proxy;
    private int boundPort;

    public EmbeddedS3(File dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    @Override
    protected void doStart() throws Exception {
        if (blobContext == null) {
            Properties props = new Properties();
            ContextBuilder builder;
            if (dir != null) {
                dir.mkdirs();
                props.setProperty("jclouds.filesystem.basedir", dir.getAbsolutePath());
                builder = ContextBuilder.newBuilder("filesystem");
            } else {
                builder = ContextBuilder.newBuilder("transient");
            }
            blobContext = builder.credentials(IDENTITY, CREDENTIAL).overrides(props).buildView(BlobStoreContext.class);
        }
        proxy = S3Proxy.builder()
                .blobStore(blobContext.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + (boundPort > 0 ? boundPort : port))) // a restart keeps its port
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.onSpinWait();
        }
        boundPort = proxy.getPort();
    }

    @Override
    protected void doStop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + boundPort;
    }

    public void createBucket(String bucket) {
        blobStore().createContainerInLocation(null, bucket);
    }

    public BlobStore blobStore() {
        return blobContext.getBlobStore();
    }
}
