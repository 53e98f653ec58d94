package io.ingestnotify.notification;

import java.util.ServiceLoader;

import jakarta.mail.util.StreamProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jakarta Mail 2.1 looks its {@link StreamProvider} up again (a ServiceLoader scan of every jar) each time a message
 * part is built, written or encoded (jakartaee/mail-api#699, #861): most of a digest's cost on a long class path. Its
 * finder reads a system property named after the interface first, so naming the implementation the scan finds, once,
 * makes every later look-up a loaded class. A property already set (by the JVM's owner) is left as it is.
 */
public final class StreamProviderPin {

    private static final Logger LOG = LoggerFactory.getLogger(StreamProviderPin.class);
    private static final String PROPERTY = StreamProvider.class.getName();

    private StreamProviderPin() {
    }

    public static void apply() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        ServiceLoader.load(StreamProvider.class, StreamProviderPin.class.getClassLoader()).findFirst().ifPresent(provider -> {
            System.setProperty(PROPERTY, provider.getClass().getName());
            LOG.debug("Jakarta Mail stream provider pinned to {}", provider.getClass().getName());
        });
    }
}
