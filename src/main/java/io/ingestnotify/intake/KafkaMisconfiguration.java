package io.ingestnotify.intake;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.component.kafka.PollExceptionStrategy;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Kafka intake's consumers do when a poll fails. A refused login (SASL), an untrusted broker certificate (TLS)
 * or a refused topic or group is a misconfiguration: retrying cannot fix it, so the consumer stops at once, one ERROR
 * line names the setting to fix and {@link #reason()} turns health check ingest-notify-kafka DOWN until the instance
 * restarts with the setting fixed. Anything else (a broker away) the client rides out: the consumer polls on.
 * The password never appears: the broker's answer does not carry it, and neither does the reason.
 */
public final class KafkaMisconfiguration implements PollExceptionStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaMisconfiguration.class);

    private final String securityProtocol;
    private final String saslMechanism;
    private final String user;
    private final AtomicReference<String> reason = new AtomicReference<>();

    public KafkaMisconfiguration(String securityProtocol, String saslMechanism, String user) {
        this.securityProtocol = securityProtocol;
        this.saslMechanism = saslMechanism;
        this.user = user;
    }

    /** What to fix, or null while no consumer met a misconfiguration. */
    public String reason() {
        return reason.get();
    }

    @Override
    public boolean canContinue() {
        return reason.get() == null;
    }

    @Override
    public void handle(long partitionLastOffset, Exception e) {
        String found = misconfiguration(e);
        if (found != null && reason.compareAndSet(null, found)) {
            LOG.error("Kafka intake stopped: {}", found);
        }
    }

    private String misconfiguration(Exception e) {
        if (e instanceof SslAuthenticationException) {
            return "the TLS handshake with the broker failed (" + rootMessage(e) + "): set KAFKA_TRUSTSTORE (and "
                    + "KAFKA_TRUSTSTORE_PASSWORD) to a trust store of the brokers' CA, or check KAFKA_BOOTSTRAP_SERVERS "
                    + "names the brokers as their certificates do; restart to retry";
        }
        if (e instanceof AuthenticationException) {
            return "the broker refused the login of KAFKA_USER '" + user + "' (" + securityProtocol + " " + saslMechanism + ": "
                    + rootMessage(e) + "): fix KAFKA_USER and KAFKA_PASSWORD (or KAFKA_SASL_MECHANISM); restart to retry";
        }
        if (e instanceof AuthorizationException) {
            return "the broker refused access (" + rootMessage(e) + "): grant KAFKA_USER '" + user + "' read on KAFKA_TOPIC and "
                    + "KAFKA_GROUP_ID, or fix those settings; restart to retry";
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root.getMessage();
    }
}
