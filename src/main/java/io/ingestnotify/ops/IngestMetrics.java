package io.ingestnotify.ops;

import io.ingestnotify.batching.PreferenceCache;
import io.ingestnotify.correction.DeletionBreaker;
import io.ingestnotify.intake.IntakeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The bundle's own counters, on the Prometheus registry Camel serves at /observe/metrics: events by outcome,
 * batches completed by reason, digests by result, corrections by status, preference-cache hit ratio, and this
 * instance's id (label instance) with the leases it holds by kind.
 */
public class IngestMetrics {

    private final CamelContext context;
    private volatile MeterRegistry registry;

    public IngestMetrics(CamelContext context) {
        this.context = context;
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            registry = r = r != null ? r : new SimpleMeterRegistry();
            PreferenceCache cache = context.getRegistry().lookupByNameAndType("ingestNotifyPreferenceCache", PreferenceCache.class);
            if (cache != null) {
                watch(r, cache);
            }
            DeletionBreaker breaker = context.getRegistry().lookupByNameAndType("ingestNotifyDeletionBreaker", DeletionBreaker.class);
            if (breaker != null) {
                Gauge.builder("ingest_corrections_held", breaker, DeletionBreaker::heldCount).register(r);
            }
            Leases leases = context.getRegistry().lookupByNameAndType("ingestNotifyLeases", Leases.class);
            if (leases != null) {
                watch(r, leases);
            }
        }
        return r;
    }

    private void count(String name, String tag, String value, double amount) {
        if (amount > 0) {
            Counter.builder(name).tag(tag, value).register(registry()).increment(amount);
        }
    }

    /** Counts one filed group of events (called by the intake route; registers the gauges on first use). */
    public void intake(IntakeResult r) {
        count("ingest_events", "outcome", "accepted", r.accepted);
        count("ingest_events", "outcome", "duplicate", r.duplicates);
        count("ingest_events", "outcome", "rejected", r.rejected);
        count("ingest_events", "outcome", "no_recipient", r.noRecipient);
        count("ingest_events", "outcome", "file_not_found", r.fileNotFound);
        count("ingest_events", "outcome", "recipient_not_allowed", r.recipientNotAllowed);
        count("ingest_events", "outcome", "metadata_mismatch", r.metadataMismatch);
        r.touched.values().stream().filter(t -> "completed".equals(t.status())).forEach(t -> batchCompleted("size"));
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

    /** Which instance this is, and the work it holds leases on now, by kind (labels instance and kind). */
    private static void watch(MeterRegistry r, Leases leases) {
        Gauge.builder("ingest_instance_info", () -> 1).tag("instance", leases.instanceId()).register(r);
        for (Leases.Kind kind : Leases.Kind.values()) {
            Gauge.builder("ingest_leases_held", leases, l -> l.heldCount(kind))
                    .tag("instance", leases.instanceId()).tag("kind", kind.label()).register(r);
        }
    }

    private static void watch(MeterRegistry r, PreferenceCache cache) {
        Gauge.builder("ingest_preference_cache_hit_ratio", cache, PreferenceCache::hitRatio).register(r);
        Gauge.builder("ingest_preference_cms_calls", cache, PreferenceCache::cmsCalls).register(r);
        Gauge.builder("ingest_preference_cms_failures", cache, PreferenceCache::cmsFailures).register(r);
    }
}
