package io.ingestnotify.common;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance may take new work now: not while it has gone a whole lease period without reaching
 * PostgreSQL to renew its leases ({@link Leases#mayClaim}); it may have been frozen or partitioned, and whatever it
 * held may belong to another instance by now. The pollers consult it as their poll strategy (a closed gate skips the
 * poll), the sweeper, the re-drive and retention before their claims. One line when it closes, one when it opens.
 */
public class ClaimGate extends DefaultPollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimGate.class);

    private final Leases leases;
    private final AtomicBoolean open = new AtomicBoolean(true);

    public ClaimGate(Leases leases) {
        this.leases = leases;
    }

    /**
     * True when this instance may claim work now. Synchronized: the line that says the gate opened is written before
     * any poller (several call this at once) can claim through it.
     */
    public synchronized boolean open() {
        boolean now = leases.mayClaim();
        if (open.getAndSet(now) != now) {
            if (now) {
                LOG.info("Instance {}: leases renewed; taking new work again", leases.instanceId());
            } else {
                LOG.warn("Instance {}: no lease renewal for {} ms (more than LEASE_SECONDS = {}): taking no new work until "
                        + "the leases are renewed", leases.instanceId(), leases.millisSinceRenewal(), leases.seconds());
            }
        }
        return now;
    }

    public boolean closed() {
        return !open();
    }

    /** As a camel-sql poller's pollStrategy: a closed gate skips the poll (the claim is the poll's query). */
    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return open();
    }
}
