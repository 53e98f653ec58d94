package io.ingestnotify.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.ingestnotify.embedded.EmbeddedS3;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.util.ForwardingBlobStore;

/** S3Proxy (in memory, signed requests as EmbeddedS3) that counts the deletes it serves, by key: the count at the server. */
public final class CountingS3 implements AutoCloseable {

    private final Map<String, AtomicInteger> deletes = new ConcurrentHashMap<>();
    private final BlobStore store;
    private final S3Proxy proxy;

    public CountingS3(String bucket) throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials(EmbeddedS3.IDENTITY, EmbeddedS3.CREDENTIAL).buildView(BlobStoreContext.class);
        store = context.getBlobStore();
        store.createContainerInLocation(null, bucket);
        BlobStore counting = new ForwardingBlobStore(store) {
            @Override
            public void removeBlob(String container, String name) {
                deletes.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                super.removeBlob(container, name);
            }
        };
        proxy = S3Proxy.builder().blobStore(counting).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, EmbeddedS3.IDENTITY, EmbeddedS3.CREDENTIAL).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.onSpinWait();
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public void put(String bucket, String key) {
        store.putBlob(bucket, store.blobBuilder(key).payload(("content of " + key).getBytes(StandardCharsets.UTF_8)).build());
    }

    public boolean exists(String bucket, String key) {
        return store.blobExists(bucket, key);
    }

    /** How many DELETEs of each key the server carried out. */
    public Map<String, Integer> deletes() {
        Map<String, Integer> out = new ConcurrentHashMap<>();
        deletes.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
