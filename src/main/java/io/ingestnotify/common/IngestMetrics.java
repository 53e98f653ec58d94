package io.ingestnotify.common;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The bundle's own counters and gauges, on the Prometheus registry Camel serves at /observe/metrics: events by
 * outcome, batches completed by reason, digests by result, corrections by status. Gauges are handed in by whoever
 * builds the watched object ({@link #gauge}); all of it goes onto the registry when it is first needed (Camel makes
 * its registry after the beans).
 */
public class IngestMetrics {

    private final Supplier<MeterRegistry> camelRegistry;
    private final List<Consumer<MeterRegistry>> gauges = new ArrayList<>();
    private volatile MeterRegistry registry;

    /** @param camelRegistry Camel's meter registry, or null where metrics are off (then a registry of its own) */
    public IngestMetrics(Supplier<MeterRegistry> camelRegistry) {
        this.camelRegistry = camelRegistry;
    }

    /** A gauge over an object this bundle made, with tags as name/value pairs. */
    public synchronized <T> void gauge(String name, T watched, ToDoubleFunction<T> value, String... tags) {
        Consumer<MeterRegistry> add = r -> Gauge.builder(name, watched, value).tags(tags).register(r);
        gauges.add(add);
        if (registry != null) {
            add.accept(registry);
        }
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                if (registry == null) {
                    MeterRegistry camel = camelRegistry.get();
                    MeterRegistry made = camel != null ? camel : new SimpleMeterRegistry();
                    gauges.forEach(g -> g.accept(made));
                    registry = made;
                }
                r = registry;
            }
        }
        return r;
    }

    private void count(String name, String tag, String value, double amount) {
        if (amount > 0) {
            Counter.builder(name).tag(tag, value).register(registry()).increment(amount);
        }
    }

    /** Counts one filed group of events (called by the intake route). */
    public void intake(IntakeCounts r) {
        r.eventsByOutcome().forEach((outcome, n) -> count("ingest_events", "outcome", outcome, n));
        for (long i = 0; i < r.batchesCompletedBySize(); i++) {
            batchCompleted("size");
        }
    }

    /**
     * The window a fenced lease leaves open: from the last lease check before the SMTP hand-over to the server's
     * acceptance of the digest (ingest_smtp_handoff_window_seconds, with its median and p99).
     */
    public void handOffWindow(long nanos) {
        io.micrometer.core.instrument.Timer.builder("ingest_smtp_handoff_window")
                .description("from the last lease check to the SMTP server's acceptance of a digest")
                .publishPercentiles(0.5, 0.99)
                .register(registry()).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** One group commit of the HTTP intake: how many requests its transaction answered. */
    public void intakeGroup(int requests) {
        io.micrometer.core.instrument.DistributionSummary.builder("ingest_intake_group_requests")
                .description("requests filed in one transaction by the HTTP intake's group commit")
                .publishPercentiles(0.5, 0.99)
                .register(registry()).record(requests);
    }

    /** An HTTP request refused whole (400). */
    public void requestRejected() {
        count("ingest_requests_rejected", "reason", "invalid", 1);
    }

    public void batchCompleted(String reason) {
        count("ingest_batches_completed", "reason", reason, 1);
    }

    public void mail(String result) {
        count("ingest_mails", "result", result, 1);
    }

    public void correction(String status) {
        correction(status, 1);
    }

    public void correction(String status, int n) {
        count("ingest_corrections", "status", status, n);
    }

    /** Rows a retention chunk removed from a table ({@code email_bodies}: digest bodies dropped from their rows). */
    public void retentionRemoved(String table, long n) {
        count("ingest_retention_removed", "table", table, n);
    }
}
